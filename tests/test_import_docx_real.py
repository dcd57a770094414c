"""``import`` on Word job descriptions as HR departments really keep them: fields in the page header and
footer, titles in text boxes, Word forms made of content controls; and the line breaks inside a value kept
through export and import. Through the CLI."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import yaml

from rolebook.app.pipeline import check_handbook
from rolebook.cli import main
from tests.docx_real import folder_of_layouts, header_fields, textbox_and_controls
from tests.scratch import ONE_LANGUAGE, make_handbook
from tests.test_import import normalised


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(["import", *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def role(root: Path, rel: str) -> dict[str, object]:
    data = yaml.safe_load((root / rel).read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def test_fields_in_page_headers_and_footers_go_to_the_job_description_of_their_section(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """编号 and 版本 in a header table, 生效日期 in the first page's header, 审核 in the footer (its page number
    left out); each section's header to its own job description, the footer carried on to the next section."""
    doc = header_fields(tmp_path / "行政部.docx")
    hb = tmp_path / "hb"
    code, out, err = run([str(doc), str(hb)], capsys)
    assert (code, err) == (0, "")
    assert out.startswith("从 1 个文档读取了 2 份职位说明书。\n请核对（4 项）")
    first = role(hb, "roles/xing-zheng-bu/xing-zheng-zhuan-yuan.yaml")
    second = role(hb, "roles/xing-zheng-bu/qian-tai-jie-dai.yaml")
    assert (first["number"], first["revision"], first["effective_date"], first["approver"]) == ("HR-JD-011", "A/0", "2024-03-01", "人力资源部")
    assert (second["number"], second["revision"], second["approver"]) == ("HR-JD-012", "A/1", "人力资源部")
    assert [p for p in check_handbook(hb, use_cache=False).problems if p.severity == "error"] == []


def test_a_header_says_otherwise_than_the_body_the_body_wins_and_the_report_says_so(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import docx

    d = docx.Document()
    d.sections[0].header.paragraphs[0].text = "编号：HR-9　版本：B"
    for text in ("职位名称：出纳", "编号：CW-002", "所属部门：财务部", "岗位职责：", "1、现金收付", "任职资格：", "学历：大专", "工作经验：一年"):
        d.add_paragraph(text)
    d.save(tmp_path / "出纳.docx")
    code, out, err = run([str(tmp_path / "出纳.docx"), str(tmp_path / "hb"), "--dry-run"], capsys)
    assert (code, err) == (0, "")
    assert "  出纳.docx: 页眉，第 1 段: roles/cai-wu-bu/chu-na.yaml: “编号”出现了两次：用了“CW-002”，没有用“HR-9”\n" in out
    assert "+number: CW-002\n" in out and "+revision: B\n" in out


def test_text_boxes_and_content_controls_are_read_and_placeholders_are_not(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The title in a DrawingML text box (its VML copy not read twice), the qualifications in a VML-only box,
    a row and a cell wrapped in content controls, 编号 left at the control's placeholder text."""
    doc = textbox_and_controls(tmp_path / "仓库.docx")
    hb = tmp_path / "hb"
    code, out, err = run([str(doc), str(hb)], capsys)
    assert (code, err) == (0, "")
    assert out.count("仓库管理员") == 0 and "没有找到编号：写入了占位文字，请填写" in out
    assert "表格 1，第 3 行，第 1 格: roles/wu-liu-bu/cang-ku-guan-li-yuan.yaml: 直接上级“物流经理”：文档和手册里都没有这个岗位" in out
    data = role(hb, "roles/wu-liu-bu/cang-ku-guan-li-yuan.yaml")
    assert data["title"] == "仓库管理员"
    assert data["qualifications"] == {"education": "中专以上", "experience": "两年以上仓库工作经验"}
    assert data["duties"] == [{"duty": "货物出入库登记"}, {"duty": "每月盘点库存"}]
    assert "单击" not in (hb / "roles/wu-liu-bu/cang-ku-guan-li-yuan.yaml").read_text(encoding="utf-8")


MULTILINE = {
    "rolebook.yml": "organisation: 测试\nlanguage: zh\n",
    "roles/ops/_department.yaml": "name: 运营部\ndescription: |-\n  第一段\n  第二段\n",
    "roles/ops/clerk.yaml": (
        "number: Y-1\ntitle: 专员\nheadcount: 1\nstatus: draft\n"
        "summary:\n  - |-\n    第一行\n    第二行\n"
        "relationships:\n  internal: {percent: 50, parties: [各部门]}\n  external: {percent: 50, parties: [客户]}\n"
        "qualifications:\n  education: |-\n    本科以上\n    MBA 优先\n  experience: 一年\n  abilities: |-\n    沟通\n    写作\n"
        'duties:\n  - duty: |-\n      接听电话\n      并记录\n    kpis: ["及时率\\n当日", 满意度]\n'
        "  - group: |-\n      组\n      二\n    duties:\n      - duty: 甲\n"
    ),
}


def test_values_with_line_breaks_come_back_as_one_value(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A duty, a KPI, a qualification, a summary item and a description of several lines: one value each
    after export and import, not one item a line."""
    hb = make_handbook(tmp_path / "hb", dict(MULTILINE))
    word = tmp_path / "hb.docx"
    assert main(["export", "--format", "docx", "-o", str(word), str(hb)]) == 0
    capsys.readouterr()
    code, out, err = run([str(word), str(tmp_path / "empty")], capsys)
    assert (code, err) == (0, ""), out
    data = role(tmp_path / "empty", "roles/ops/clerk.yaml")
    assert data["duties"] == [{"duty": "接听电话\n并记录", "kpis": ["及时率\n当日", "满意度"]}, {"group": "组\n二", "duties": [{"duty": "甲"}]}]
    assert data["qualifications"] == {"education": "本科以上\nMBA 优先", "experience": "一年", "abilities": "沟通\n写作"}
    result = check_handbook(tmp_path / "empty", use_cache=False)
    assert normalised(result.handbook) == normalised(check_handbook(hb, use_cache=False).handbook)


FIXTURES = Path(__file__).parent / "fixtures" / "docx"
DOCUMENT_TYPE = b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"


def retyped(path: Path, content_type: str) -> Path:
    """LibreOffice's .docx fixture saved under another declared type: a template or a macro-enabled document
    (with a macro project part, as Word has it)."""
    with zipfile.ZipFile(FIXTURES / "lo-standard-form.docx") as src, zipfile.ZipFile(path, "w") as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "[Content_Types].xml":
                data = data.replace(DOCUMENT_TYPE, content_type.encode())
            dst.writestr(info, data)
        dst.writestr("word/vbaProject.bin", b"\xd0\xcf\x11\xe0 not run")
    return path


@pytest.mark.parametrize(
    ("name", "content_type"),
    [
        ("模板.dotx", "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml"),
        ("宏.docm", "application/vnd.ms-word.document.macroEnabled.main+xml"),
        ("宏模板.dotm", "application/vnd.ms-word.template.macroEnabledTemplate.main+xml"),
    ],
)
def test_word_templates_and_macro_documents_are_read_as_documents(tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, content_type: str) -> None:
    doc = retyped(tmp_path / name, content_type)
    before = doc.read_bytes()
    hb = tmp_path / "hb"
    code, out, err = run([str(doc), str(hb)], capsys)
    assert (code, err) == (0, "")
    assert out.startswith("从 1 个文档读取了 1 份职位说明书。\n")
    assert role(hb, "roles/ke-fu-bu/jie-shuo-zu-zhang.yaml")["number"] == "客-005"
    assert doc.read_bytes() == before  # the source is never changed


def test_a_folder_picks_up_every_word_processor_format(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """Without LibreOffice an .odt, a .wps and an .rtf each get a message saying how to convert them; the
    documents that can be read are imported all the same."""
    folder = tmp_path / "docs"
    folder.mkdir()
    retyped(folder / "a.dotx", "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml")
    shutil.copyfile(FIXTURES / "lo-standard-form.odt", folder / "b.odt")
    shutil.copyfile(FIXTURES / "lo-standard-form.doc", folder / "c.wps")
    (folder / "d.rtf").write_text("{\\rtf1\\ansi 职位名称}", encoding="utf-8")
    (folder / "notes.txt").write_text("职位名称：不是文档\n", encoding="utf-8")
    monkeypatch.setenv("PATH", str(tmp_path / "no-programs"))
    code, out, err = run([str(folder), str(tmp_path / "hb")], capsys)
    assert code == 0
    assert out.startswith("从 4 个文档读取了 1 份职位说明书。\n")
    need = "文档，转换需要 LibreOffice，但没有安装。请安装（apt install libreoffice-writer），或用 Word、WPS 或 LibreOffice 打开后另存为 .docx\n"
    assert err == f"b.odt: 这是 .odt {need}c.wps: 这是 .wps {need}d.rtf: 这是 .rtf {need}"


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed: conversion cannot be tried")
@pytest.mark.parametrize("suffix", [".odt", ".wps", ".rtf"])
def test_opendocument_wps_and_rtf_are_converted_with_libreoffice(tmp_path: Path, capsys: pytest.CaptureFixture[str], suffix: str) -> None:
    """The .odt LibreOffice made from the standard form's HTML; a WPS Writer file (the Word 97 format WPS
    writes under its own name); an RTF that LibreOffice makes from the .odt in the test."""
    doc = tmp_path / f"岗位说明书{suffix}"
    if suffix == ".rtf":
        src = tmp_path / "form.odt"
        shutil.copyfile(FIXTURES / "lo-standard-form.odt", src)
        profile = (tmp_path / "profile").as_uri()
        soffice = [str(shutil.which("soffice")), f"-env:UserInstallation={profile}", "--headless", "--convert-to", "rtf", "--outdir", str(tmp_path), str(src)]
        subprocess.run(soffice, check=True, capture_output=True, timeout=120)
        (tmp_path / "form.rtf").rename(doc)
        assert doc.read_bytes().startswith(b"{\\rtf")
    else:
        shutil.copyfile(FIXTURES / ("lo-standard-form.odt" if suffix == ".odt" else "lo-standard-form.doc"), doc)
    hb = tmp_path / "hb"
    code, out, err = run([str(doc), str(hb)], capsys)
    assert out.startswith("从 1 个文档读取了 1 份职位说明书。\n")
    assert (code, err) == (0, "")
    result = check_handbook(hb, use_cache=False)
    assert result.problems == () and result.handbook is not None
    leader = result.handbook.role("jie-shuo-zu-zhang")
    assert (leader.number, leader.title) == ("客-005", "解说组长")
    assert [d.text for g in leader.duties for d in g.duties] == ["样板房解说员的管理", "样板房的清洁和物品管理", "样板房物品的保管"]


REPO = Path(__file__).resolve().parent.parent


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    """``python build.py ARGS`` as a user runs it."""
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    return subprocess.run([sys.executable, "build.py", *args], cwd=REPO, capture_output=True, text=True, timeout=300, env=env, check=False)


FOLDER_REVIEW = [
    "仓库管理员.docx: 第 2 段: roles/wu-liu-bu/cang-ku-guan-li-yuan.yaml: 没有找到编号：写入了占位文字，请填写",
    "仓库管理员.docx: 第 2 段: roles/wu-liu-bu/cang-ku-guan-li-yuan.yaml: 没有找到人数（人数 / 定员）：暂按 1 人，请核对",
    "仓库管理员.docx: 表格 1，第 3 行，第 1 格: roles/wu-liu-bu/cang-ku-guan-li-yuan.yaml: 直接上级“物流经理”：文档和手册里都没有这个岗位；未写入——请添加该岗位，或在 reports_to 填写它的标识",
    "仓库管理员.docx: 第 4 段: roles/wu-liu-bu/cang-ku-guan-li-yuan.yaml: 第 1、2 条职责没有考核指标：审核通过（approved）前请补上",
    "客服主管.docx: 第 1 段: roles/ke-fu-bu/ke-fu-zhu-guan.yaml: 没有找到人数（人数 / 定员）：暂按 1 人，请核对",
    "客服主管.docx: 第 7 段: roles/ke-fu-bu/ke-fu-zhu-guan.yaml: 第 1 条职责：考核指标是从职责文字中拆出来的，请核对",
    "客服主管.docx: 第 8 段: roles/ke-fu-bu/ke-fu-zhu-guan.yaml: 第 2 条职责：考核指标是从职责文字中拆出来的，请核对",
    "客服经理.docx: 表格 1，第 2 行，第 1 格: roles/ke-fu-bu/ke-fu-jing-li.yaml: 没有找到人数（人数 / 定员）：暂按 1 人，请核对",
    "行政部.docx: 第 1 段: roles/xing-zheng-bu/xing-zheng-zhuan-yuan.yaml: 没有找到人数（人数 / 定员）：暂按 1 人，请核对",
    "行政部.docx: 第 5 段: roles/xing-zheng-bu/xing-zheng-zhuan-yuan.yaml: 第 1、2 条职责没有考核指标：审核通过（approved）前请补上",
    "行政部.docx: 第 11 段: roles/xing-zheng-bu/qian-tai-jie-dai.yaml: 没有找到人数（人数 / 定员）：暂按 1 人，请核对",
    "行政部.docx: 第 15 段: roles/xing-zheng-bu/qian-tai-jie-dai.yaml: 第 1、2 条职责没有考核指标：审核通过（approved）前请补上",
    "解说组长.docx: 第 1 段: roles/ke-fu-bu/jie-shuo-zu-zhang.yaml: 没有找到人数（人数 / 定员）：暂按 1 人，请核对",
    "解说组长.docx: 表格 1，第 3 行，第 3 格: roles/ke-fu-bu/jie-shuo-zu-zhang.yaml: 直接下级“解说员”：文档和手册里都没有这个岗位",
]


def test_a_folder_of_word_jds_in_different_layouts_becomes_a_handbook_that_passes_check(tmp_path: Path) -> None:
    """The "done when" of the Word import, through the CLI: six documents in six layouts (LibreOffice's big
    table among them) → one handbook; the review report names every guess where it was made; once those
    items are fixed and the positions approved, `check` finds nothing."""
    folder = folder_of_layouts(tmp_path / "岗位说明书")
    shutil.copyfile(FIXTURES / "lo-standard-form.docx", folder / "解说组长.docx")
    hb = tmp_path / "hb"
    done = cli("import", str(folder), str(hb))
    assert (done.returncode, done.stderr) == (0, ""), done.stderr
    lines = done.stdout.splitlines()
    assert lines[:2] == ["从 6 个文档读取了 7 份职位说明书。", "请核对（14 项）：在文件里逐项核对后，把 status 改为 approved。"]
    assert [line.strip() for line in lines[2:16]] == FOLDER_REVIEW
    assert lines[-1] == "已导入 岗位说明书：新建 14 个、更新 0 个、未变 0 个文件。"
    for rel in FOLDER_REVIEW:  # every guess is also a comment at its value in the file
        path, message = rel.split(": ", 1)[1].split(": ", 2)[1:]
        assert f"# {message}" in (hb / path).read_text(encoding="utf-8"), (path, message)
    # the person reviewing fixes what the report lists, then approves the positions
    warehouse = hb / "roles/wu-liu-bu/cang-ku-guan-li-yuan.yaml"
    warehouse.write_text(warehouse.read_text(encoding="utf-8").replace("number: （待填写）cang-ku-guan-li-yuan", "number: WL-001"), encoding="utf-8")
    settings = hb / "rolebook.yml"
    settings.write_text(settings.read_text(encoding="utf-8").replace("（待填写）", "某某物业"), encoding="utf-8")
    for path in sorted((hb / "roles").rglob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if path.name != "_department.yaml":
            data["status"] = "approved"
            data.setdefault("approver", "总经理")
            data.setdefault("approval_date", "2024-05-20")
            for duty in data["duties"]:
                duty.setdefault("kpis", ["按时完成率"])
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    checked = cli("check", str(hb))
    assert (checked.returncode, checked.stdout, checked.stderr) == (0, "检查了 11 个文件，没有发现问题。\n", "")
    result = check_handbook(hb, use_cache=False)
    assert result.handbook is not None
    assert {r.id: (r.department, r.reports_to, r.number) for r in result.handbook.roles} == {
        "cang-ku-guan-li-yuan": ("wu-liu-bu", None, "WL-001"),
        "jie-shuo-zu-zhang": ("ke-fu-bu", "ke-fu-zhu-guan", "客-005"),
        "ke-fu-jing-li": ("ke-fu-bu", None, "KF-001"),
        "ke-fu-zhu-guan": ("ke-fu-bu", "ke-fu-jing-li", "KF-002"),
        "ke-fu-zhuan-yuan": ("ke-fu-bu", "ke-fu-zhu-guan", "KF-003"),
        "qian-tai-jie-dai": ("xing-zheng-bu", None, "HR-JD-012"),
        "xing-zheng-zhuan-yuan": ("xing-zheng-bu", None, "HR-JD-011"),
    }


@pytest.mark.slow
def test_the_sample_handbook_through_word_and_back_with_the_cli(tmp_path: Path) -> None:
    """The sample's 15 job descriptions: `export --format docx`, `import` into an empty folder, `check` —
    each as a user types it — and the imported handbook is the sample's, model for model (the sample in
    one language: a Word document holds one language)."""
    word = tmp_path / "handbook.docx"
    exported = cli("export", "--format", "docx", "-o", str(word), str(ONE_LANGUAGE))
    assert exported.returncode == 0, exported.stderr
    assert exported.stdout.startswith(f"已把 15 份职位说明书导出到 {word}。\n")
    empty = tmp_path / "empty"
    imported = cli("import", str(word), str(empty))
    assert (imported.returncode, imported.stderr) == (0, "")
    assert imported.stdout.startswith("从 1 个文档读取了 15 份职位说明书。\n新建   rolebook.yml\n")
    checked = cli("check", str(empty))
    assert (checked.returncode, checked.stdout, checked.stderr) == (0, "检查了 24 个文件，没有发现问题。\n", "")
    assert normalised(check_handbook(empty, use_cache=False).handbook, review=False) == normalised(
        check_handbook(ONE_LANGUAGE, use_cache=False).handbook, review=False
    )
