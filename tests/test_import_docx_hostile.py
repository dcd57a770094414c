"""Word import of files that are not what they say, or are built to hurt: a clear error naming the file, no
traceback, bounded time, nothing written, nothing fetched."""

from __future__ import annotations

import io
import shutil
import socket
import time
import zipfile
from pathlib import Path

import docx
import pytest

from rolebook.app.pipeline import check_handbook
from rolebook.cli import main

FIXTURES = Path(__file__).parent / "fixtures" / "docx"
NOTHING = "没有读到任何职位说明书，未导入。\n"


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(["import", *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def refused(path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> str:
    """Import ``path``; it must fail with exit 1 and write nothing; the error line."""
    hb = tmp_path / "hb"
    start = time.monotonic()
    code, out, err = run([str(path), str(hb)], capsys)
    assert time.monotonic() - start < 30
    assert (code, out) == (1, "从 1 个文档读取了 0 份职位说明书。\n"), err
    assert err.endswith(NOTHING) and "Traceback" not in err
    assert not hb.exists()
    return err.removesuffix(NOTHING)


def minimal_docx(body_xml: str, extra: dict[str, bytes] | None = None, rels: str = "") -> bytes:
    """A .docx (made by python-docx) whose body is replaced by ``body_xml``; ``extra`` entries added."""
    buf = io.BytesIO()
    docx.Document().save(buf)
    out = io.BytesIO()
    with zipfile.ZipFile(buf) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "word/document.xml":
                text = data.decode()
                head, _, rest = text.partition("<w:body>")
                _, _, tail = rest.partition("<w:sectPr")
                data = (head + "<w:body>" + body_xml + "<w:sectPr" + tail).encode()
            if info.filename == "word/_rels/document.xml.rels" and rels:
                data = data.decode().replace("</Relationships>", rels + "</Relationships>").encode()
            dst.writestr(info.filename, data)
        for name, blob in (extra or {}).items():
            dst.writestr(name, blob)
    return out.getvalue()


def test_a_zip_bomb_is_refused_from_the_zip_directory(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bomb = tmp_path / "bomb.docx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", b"<" + b" " * 80_000_000)
    assert bomb.stat().st_size < 1_000_000
    assert refused(bomb, tmp_path, capsys) == "bomb.docx: 文件解压后远大于任何职位说明书所需（word/document.xml: 80000001 bytes unpacked），不予读取\n"


def test_ten_thousand_tables_are_refused_in_bounded_time(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    table = "<w:tbl><w:tblGrid><w:gridCol/></w:tblGrid><w:tr><w:tc><w:p><w:r><w:t>职位名称</w:t></w:r></w:p></w:tc></w:tr></w:tbl>"
    path = tmp_path / "tables.docx"
    path.write_bytes(minimal_docx(table * 10_000))
    assert refused(path, tmp_path, capsys) == "tables.docx: 文档里的表格超过 3000 个，不予读取\n"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "page.docx",
            "<!DOCTYPE html><html><body><p>职位名称：物业助理</p></body></html>",
            "这个文件是网页（HTML），只是用了 Word 的名字，不是 Word 文档；请用 Word 或 WPS 打开后另存为 .docx（Word 文档）",
        ),
        (
            "page.doc",
            "<html xmlns:w='urn:schemas-microsoft-com:office:word'><body>职位名称：物业助理</body></html>",
            "这个文件是网页（HTML），只是用了 Word 的名字，不是 Word 文档；请用 Word 或 WPS 打开后另存为 .docx（Word 文档）",
        ),
        (
            "mht.doc",
            "MIME-Version: 1.0\r\nContent-Type: multipart/related\r\n\r\n",
            "这个文件是网页（HTML），只是用了 Word 的名字，不是 Word 文档；请用 Word 或 WPS 打开后另存为 .docx（Word 文档）",
        ),
        ("old.docx", "{\\rtf1\\ansi 职位名称}", "这个文件是 RTF 文档，不是 Word 文档；请用 Word 或 WPS 打开后另存为 .docx"),
        ("text.docx", "职位名称：物业助理\n", "这个文件不是 Word 文档（.docx）"),
    ],
)
def test_files_that_are_not_word_documents(tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, content: str, message: str) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    assert refused(path, tmp_path, capsys) == f"{name}: {message}\n"


def ole2(stream_names: list[str]) -> bytes:
    """The start of an OLE2 compound file with directory entries of these names (enough to tell what it holds)."""
    header = bytes.fromhex("d0cf11e0a1b11ae1") + b"\x00" * 504
    return header + b"".join(n.encode("utf-16-le").ljust(64, b"\x00") + b"\x00" * 64 for n in stream_names)


def test_password_protected_documents(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for name in ("locked.docx", "locked.doc"):
        path = tmp_path / name
        path.write_bytes(ole2(["Root Entry", "EncryptionInfo", "EncryptedPackage"]))
        assert refused(path, tmp_path, capsys) == f"{name}: 文档设置了密码（已加密）；请用 Word 或 WPS 打开，取消密码（文件 → 信息 → 保护文档）后重新保存\n"


def test_an_old_doc_named_docx_and_a_doc_without_libreoffice(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "old.docx"
    path.write_bytes(ole2(["Root Entry", "WordDocument", "1Table"]))
    assert refused(path, tmp_path, capsys).startswith("old.docx: 这是旧版 Word 97–2003 文档（.doc），却用了 .docx 的名字")
    monkeypatch.setenv("PATH", str(tmp_path / "no-programs"))
    doc = tmp_path / "old.doc"
    shutil.copyfile(FIXTURES / "lo-standard-form.doc", doc)
    assert refused(doc, tmp_path, capsys) == (
        "old.doc: 这是 Word 97–2003 文档（.doc），转换需要 LibreOffice，但没有安装。请安装（apt install libreoffice-writer），或用 Word 或 WPS 打开后另存为 .docx\n"
    )


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"PK\x03\x04 truncated", "文件已损坏：不是可以读取的 .docx（zip）文件"),
        (None, "这个文件是 zip 压缩包（xlsx），但不是 Word 文档：里面没有 word/document.xml"),
    ],
)
def test_damaged_files_and_other_zips(tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes | None, message: str) -> None:
    path = tmp_path / "x.docx"
    if content is None:
        with zipfile.ZipFile(path, "w") as z:
            z.writestr("xl/workbook.xml", "<workbook/>")
    else:
        path.write_bytes(content)
    assert refused(path, tmp_path, capsys) == f"x.docx: {message}\n"


def test_external_relationships_and_entities_are_never_fetched(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    canary = tmp_path / "canary.txt"
    canary.write_text("CANARY-SECRET", encoding="utf-8")
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(5)
    listener.setblocking(False)
    port = listener.getsockname()[1]
    rels = (
        f'<Relationship Id="rIdX1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink" Target="http://127.0.0.1:{port}/x" TargetMode="External"/>'
        f'<Relationship Id="rIdX2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" Target="http://127.0.0.1:{port}/i.png" TargetMode="External"/>'
        f'<Relationship Id="rIdX3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/subDocument" Target="{canary.as_uri()}" TargetMode="External"/>'
    )
    body = (
        "<w:p><w:r><w:t>职位名称：物业助理</w:t></w:r></w:p>"
        '<w:p><w:hyperlink r:id="rIdX1"><w:r><w:t>部门：客服部</w:t></w:r></w:hyperlink></w:p>'
        "<w:p><w:r><w:t>岗位职责</w:t></w:r></w:p><w:p><w:r><w:t>1、接待业主 &amp; 来访</w:t></w:r></w:p>"
        '<w:subDoc r:id="rIdX3"/>'
    )
    path = tmp_path / "links.docx"
    path.write_bytes(minimal_docx(body, rels=rels))
    hb = tmp_path / "hb"
    code, out, err = run([str(path), str(hb)], capsys)
    assert (code, err) == (0, ""), err
    with pytest.raises(BlockingIOError):
        listener.accept()  # nobody connected
    listener.close()
    written = "".join(p.read_text(encoding="utf-8") for p in hb.rglob("*.yaml"))
    assert "CANARY" not in written and "CANARY" not in out
    result = check_handbook(hb, use_cache=False)
    assert [p.code for p in result.problems] == ["placeholder"]  # no 编号 in the document: to fill in
    assert result.handbook is not None
    assert result.handbook.role("wu-ye-zhu-li").duties[0].duties[0].text == "接待业主 & 来访"
    assert canary.read_text(encoding="utf-8") == "CANARY-SECRET"


def test_an_entity_declaration_is_not_expanded(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    buf = io.BytesIO()
    d = docx.Document()
    d.add_paragraph("职位名称：物业助理")
    d.add_paragraph("岗位职责：&lol9;")
    d.save(buf)
    out = io.BytesIO()
    laughs = (
        '<!DOCTYPE w:document [<!ENTITY lol "lol">'
        + "".join(f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10))
        + "]>"
    )
    with zipfile.ZipFile(buf) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "word/document.xml":
                text = data.decode().replace("&amp;lol9;", "&lol9;")
                head, _, rest = text.partition("?>")
                data = (head + "?>" + laughs + rest).encode()
            dst.writestr(info.filename, data)
    path = tmp_path / "laughs.docx"
    path.write_bytes(out.getvalue())
    start = time.monotonic()
    code, _, err = run([str(path), str(tmp_path / "hb")], capsys)
    assert time.monotonic() - start < 30 and "Traceback" not in err
    written = "".join(p.read_text(encoding="utf-8") for p in (tmp_path / "hb").rglob("*.yaml")) if code == 0 else ""
    assert "lollollol" not in written


def test_libreoffice_made_documents(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    hb = tmp_path / "hb"
    code, out, err = run([str(FIXTURES / "lo-standard-form.docx"), str(hb)], capsys)
    assert (code, err) == (0, "")
    assert "lo-standard-form.docx: 表格 1，第 3 行，第 3 格: roles/ke-fu-bu/jie-shuo-zu-zhang.yaml: 直接下级“解说员”：文档和手册里都没有这个岗位" in out
    code, out, err = run([str(FIXTURES / "lo-english-lists.docx"), str(hb), "--department", "digital-tech"], capsys)
    assert (code, err) == (0, "")
    result = check_handbook(hb, use_cache=False)
    assert result.problems == () and result.handbook is not None
    leader = result.handbook.role("jie-shuo-zu-zhang")
    assert [(d.text, d.kpis) for g in leader.duties for d in g.duties] == [
        ("样板房解说员的管理", ("解说员的工作纪律",)),
        ("样板房的清洁和物品管理", ("清洁程度",)),
        ("样板房物品的保管", ("物品完好率",)),
    ]
    assert leader.internal is not None and (leader.internal.percent, leader.internal.parties) == (10, ("客服部", "地产销售部"))
    rep = result.handbook.role("customer-service-representative")
    assert (rep.number, rep.headcount, rep.department) == ("DT-002", 4, "digital-tech")
    assert [d.text for g in rep.duties for d in g.duties] == [
        "Answer incoming calls and chats",
        "Record every request in the ticket system",
        "Escalate technical faults to second-line support",
    ]


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed: .doc conversion cannot be tried")
def test_a_word_97_doc_is_converted_with_libreoffice(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    hb = tmp_path / "hb"
    code, out, err = run([str(FIXTURES / "lo-standard-form.doc"), str(hb)], capsys)
    assert (code, err) == (0, "")
    assert out.startswith("从 1 个文档读取了 1 份职位说明书。\n")
    result = check_handbook(hb, use_cache=False)
    assert result.problems == () and result.handbook is not None
    assert result.handbook.role("jie-shuo-zu-zhang").number == "客-005"
