"""Printable job descriptions: the real PDFs of the sample handbook, read back with pypdf."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pypdf
import pytest

from rolebook.app.pipeline import check_handbook
from rolebook.model import Handbook, Role
from rolebook.outputs.pdf import PdfBuildError, PdfReport, write_pdfs
from tests.pdf_support import tofu_char
from tests.scratch import make_handbook, minimal

REPO = Path(__file__).resolve().parent.parent


def load(root: Path) -> Handbook:
    result = check_handbook(root)
    assert result.handbook is not None, result.problems
    return result.handbook


def pages_text(path: Path) -> list[str]:
    return [page.extract_text() for page in pypdf.PdfReader(path).pages]


def squeeze(text: str) -> str:
    """Text without the line breaks and spaces that wrapping puts anywhere."""
    return re.sub(r"\s+", "", text)


def all_duties(role: Role) -> Iterator[tuple[str, tuple[str, ...]]]:
    for _group, _n, duty in role.numbered_duties():
        yield duty.text, duty.kpis


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> tuple[Handbook, PdfReport]:
    """Every PDF of the sample handbook, built once (cold, two worker processes)."""
    base = tmp_path_factory.mktemp("sample")
    hb = load(REPO)
    report = write_pdfs(hb, base / "out", cache_dir=base / "cache", jobs=2, progress=False)
    return hb, report


@pytest.mark.slow
def test_every_pdf_of_the_sample_is_written(sample: tuple[Handbook, PdfReport]) -> None:
    hb, report = sample
    expected = {f"roles/{r.id}.pdf" for r in hb.roles} | {f"departments/{d.id}.pdf" for d in hb.departments} | {"handbook.pdf"}
    assert set(report.files) == expected
    assert set(report.rendered) == expected and report.reused == ()
    assert (report.roles_rendered, report.departments_rendered, report.handbook_rendered) == (15, len(hb.departments), True)
    for name in expected:
        assert (report.dest / name).read_bytes().startswith(b"%PDF-")
    # WeasyPrint understood every rule of the stylesheet and found every resource
    assert report.warnings == ()


@pytest.mark.slow
def test_property_assistant_holds_the_standard_form(sample: tuple[Handbook, PdfReport]) -> None:
    hb, report = sample
    role = hb.role("property-assistant")
    pages = pages_text(report.dest / "roles/property-assistant.pdf")
    text = squeeze("".join(pages))
    for words in ("物业助理", "编号", "客-004", "客服部", "前台组长", "2006-06-01", "职位基本信息", "职责综述", "主要工作联系", "任职资格要求", "岗位职责"):
        assert words in text
    # the two duty groups, and every duty and KPI
    assert "前台" in text and "贴心管家" in text
    duties = list(all_duties(role))
    assert len(duties) == 6
    for duty, kpis in duties:
        assert squeeze(duty) in text
        for kpi in kpis:
            assert squeeze(kpi) in text
    # the relationships table: the % split and the parties
    assert "15%" in text and "85%" in text and "地产工程部" in text and "业主" in text
    # signature lines (settings.signatures is true in the sample)
    assert "审核人（签字/日期）" in text and "任职人确认（签字/日期）" in text


@pytest.mark.slow
def test_document_control_on_every_page(sample: tuple[Handbook, PdfReport]) -> None:
    _hb, report = sample
    pages = pages_text(report.dest / "roles/property-assistant.pdf")
    assert len(pages) == 2
    for n, page in enumerate(pages, start=1):
        assert "示例集团" in page
        assert "编号：客-004" in page
        assert "制定时间：2006-06-01" in page
        assert "状态：草稿" in page  # the source leaves 审核 blank: a draft
        assert f"第 {n} 页 共 2 页" in page
    text = squeeze(pages[0])
    assert "审核—审核日期—" in text  # approver and approval date, both blank, side by side


@pytest.mark.slow
def test_pdf_metadata(sample: tuple[Handbook, PdfReport]) -> None:
    _hb, report = sample
    reader = pypdf.PdfReader(report.dest / "roles/property-assistant.pdf")
    meta = reader.metadata
    assert meta is not None
    assert meta.title == "客-004 物业助理"
    assert meta.author == "示例集团"
    assert meta["/CreationDate"] == meta["/ModDate"] == "D:20060601000000Z"
    assert reader.trailer["/Root"]["/Lang"] == "zh-CN"
    outline = reader.outline
    assert [item.title for item in outline if not isinstance(item, list)] == ["客-004 物业助理"]


@pytest.mark.slow
def test_embedded_fonts_are_cjk_everywhere_even_in_the_margins(sample: tuple[Handbook, PdfReport]) -> None:
    _hb, report = sample
    for name in ("roles/property-assistant.pdf", "handbook.pdf"):
        fonts = set()
        for page in pypdf.PdfReader(report.dest / name).pages:
            for font in page["/Resources"]["/Font"].values():
                font = font.get_object()
                fonts.add(str(font["/BaseFont"]))
                descendant = font["/DescendantFonts"][0].get_object()
                descriptor = descendant["/FontDescriptor"].get_object()
                assert "/FontFile3" in descriptor or "/FontFile2" in descriptor, "font not embedded"
        assert fonts, name
        assert all("CJK" in f for f in fonts), fonts  # no fallback face, not in the page margins either
        assert any("Noto-Sans-CJK-SC" in f for f in fonts)
        # the faces cut down to the handbook's characters (rolebook.outputs.pdf.fonts), not the 20 MB collections
        assert all("Rolebook-Noto" in f for f in fonts), fonts


@pytest.mark.slow
def test_subset_fonts_keep_job_descriptions_small(sample: tuple[Handbook, PdfReport]) -> None:
    _hb, report = sample
    # ~380 KB each when WeasyPrint embedded subsets of the whole Noto CJK collections
    sizes = {name: (report.dest / name).stat().st_size for name in report.files if name.startswith("roles/")}
    assert max(sizes.values()) < 250_000, sizes


@pytest.mark.slow
def test_draft_roles_are_watermarked_and_approved_ones_are_not(sample: tuple[Handbook, PdfReport], tmp_path: Path) -> None:
    hb, report = sample
    assert hb.role("cs-specialist").status == "draft"
    for page in pages_text(report.dest / "roles/cs-specialist.pdf"):
        assert "草稿 / DRAFT" in page
        assert "状态：草稿" in page
    # the sample has no approved role (its source names no approver): an approved one of a scratch handbook
    from rolebook.outputs.pdf import RenderJob, print_documents, render_pdf

    approved = load(make_handbook(tmp_path / "hb", minimal("zh")))
    doc = next(d for d in print_documents(approved) if d.kind == "role" and d.ident == "boss")
    path = tmp_path / "boss.pdf"
    path.write_bytes(render_pdf(RenderJob("roles/boss.pdf", doc.html, b"test")).pdf)
    pages = pages_text(path)
    assert pages and all("DRAFT" not in page and "状态：已审核" in page for page in pages)
    assert "审核总经理审核日期2020-01-01" in squeeze(pages[0])


@pytest.mark.slow
def test_department_pdf_holds_its_positions_in_reporting_order(sample: tuple[Handbook, PdfReport]) -> None:
    hb, report = sample
    pages = pages_text(report.dest / "departments/customer-service.pdf")
    text = squeeze("".join(pages))
    assert "岗位设置" in text and "共同要求" in text
    firsts = []
    for role in hb.roles_in("customer-service"):
        marker = squeeze(f"编号：{role.number}")
        firsts.append(next(i for i, page in enumerate(pages) if marker in squeeze(page)))
    assert firsts == sorted(firsts) and len(set(firsts)) == len(firsts) == 8
    # numbered as one document, once a page
    for number, page in enumerate(pages, start=1):
        assert f"— {number} —" in page and "页 共" not in page, number
    # while each position's own PDF keeps its "page x of y"
    assert "第 1 页 共 " in pages_text(report.dest / "roles/guide.pdf")[0]


@pytest.mark.slow
def test_handbook_contents_give_the_right_page_numbers(sample: tuple[Handbook, PdfReport]) -> None:
    hb, report = sample
    pages = pages_text(report.dest / "handbook.pdf")
    assert "示例集团" in squeeze(pages[0]) and "岗位说明书手册" in squeeze(pages[0])
    assert "第" not in pages[0]  # the cover has no document control
    toc = pages[1]
    assert "目录" in squeeze(toc)
    for role in hb.roles:
        match = re.search(re.escape(role.number) + r"\s+" + re.escape(role.title) + r"[\s.]*?(\d+)\s*$", toc, re.MULTILINE)
        assert match, role.number
        number = int(match.group(1))
        page = pages[number - 1]
        assert f"编号：{role.number}" in page and role.title in page
        # one page-numbering scheme: the handbook's number, not the job description's own "page x of y" too
        assert "页 共" not in page
        assert f"— {number} —" in page
        assert f"— {number} —" not in pages[number - 2]
    assert all(f"— {n} —" in page for n, page in enumerate(pages[1:], start=2))
    assert "—" not in pages[0]  # the cover is page 1 but not numbered


@pytest.mark.slow
def test_handbook_bookmarks_and_contents_links_go_to_the_pages(sample: tuple[Handbook, PdfReport]) -> None:
    hb, report = sample
    reader = pypdf.PdfReader(report.dest / "handbook.pdf")
    pages = [page.extract_text() for page in reader.pages]

    def flat(items: list, depth: int = 0) -> Iterator[tuple[int, str, int]]:  # type: ignore[type-arg]
        for item in items:
            if isinstance(item, list):
                yield from flat(item, depth + 1)
            else:
                yield depth, item.title, reader.get_destination_page_number(item)

    marks = list(flat(reader.outline))
    assert marks[0][:2] == (0, "目录")
    for role in hb.roles:
        ((depth, _title, index),) = [m for m in marks if m[1] == f"{role.number} {role.title}"]
        assert depth >= 1 and f"编号：{role.number}" in pages[index]
        assert f"— {index + 1} —" in pages[index]
    for dept in hb.departments:
        assert any(title == dept.name for _, title, _ in marks)
    # every link on the contents pages points at a page inside the PDF, none at an address
    targets = set()
    for page in reader.pages[1:3]:
        for annot in page.get("/Annots") or []:
            annot = annot.get_object()
            assert "/A" not in annot, annot
            targets.add(reader.get_page_number(annot["/Dest"][0].get_object()) if hasattr(reader, "get_page_number") else None)
    assert len(targets) >= len(hb.roles)


# ---------------------------------------------------------------------------
# a long role flows over pages: no cut rows, the header repeats, numbering right

LONG_TEXT = "负责与各部门协调沟通并跟进客户反馈的处理结果，及时记录、整理、归档所有相关资料，按月汇总分析后提交部门经理审阅"


def long_role() -> str:
    lines = [
        "number: T-009",
        "title: 长岗位",
        "reports_to: boss",
        "headcount: 1",
        "status: approved",
        "approver: 经理",
        'approval_date: "2024-01-01"',
        "duties:",
    ]
    for i in range(1, 41):
        lines.append(f"  - duty: 第{i}条职责：{LONG_TEXT}（第{i}条完）")
        lines.append(f"    kpis: [第{i}条指标甲, 第{i}条指标乙]")
    return "\n".join(lines) + "\n"


def test_long_role_flows_over_pages_without_cut_rows(tmp_path: Path) -> None:
    files = minimal("zh")
    files["roles/cs/long.yaml"] = long_role()
    hb = load(make_handbook(tmp_path / "hb", files))
    role = hb.role("long")
    from rolebook.outputs.pdf import RenderJob, print_documents, render_pdf

    doc = next(d for d in print_documents(hb) if d.kind == "role" and d.ident == "long")
    result = render_pdf(RenderJob("roles/long.pdf", doc.html, b"test"))
    assert result.missing == () and result.warnings == ()
    path = tmp_path / "long.pdf"
    path.write_bytes(result.pdf)
    pages = pages_text(path)
    n = len(pages)
    assert n >= 3 and result.pages == n
    squeezed = [squeeze(p) for p in pages]
    for i, (duty, kpis) in enumerate(all_duties(role), start=1):
        whole = [p for p in squeezed if squeeze(duty) in p]
        assert len(whole) == 1, f"duty {i} is not whole on exactly one page"
        # its KPIs are in the same row, so on the same page
        assert all(squeeze(k) in whole[0] for k in kpis)
    for number, page in enumerate(pages, start=1):
        assert f"第 {number} 页 共 {n} 页" in page
        assert "编号：T-009" in page
    # every page the duties table runs over repeats its header
    table_pages = [p for p in squeezed if "第1条职责" in p or "条完" in p]
    assert len(table_pages) >= 2
    assert all("主要职责" in p and "主要考核指标" in p for p in table_pages)


# ---------------------------------------------------------------------------
# incremental builds and reproducibility


@pytest.mark.slow
def test_second_build_renders_nothing_and_an_edit_renders_only_what_shows_it(tmp_path: Path) -> None:
    root = make_handbook(tmp_path / "hb", minimal("zh"))
    cache = tmp_path / "cache"
    first = write_pdfs(load(root), tmp_path / "a", cache_dir=cache, progress=False)
    assert len(first.rendered) == 4 and first.reused == ()

    again = write_pdfs(load(root), tmp_path / "b", cache_dir=cache, progress=False)
    assert again.rendered == () and again.roles_rendered == 0
    assert len(again.reused) == 4
    for name in first.files:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()

    clerk = root / "roles/cs/clerk.yaml"
    clerk.write_text(clerk.read_text(encoding="utf-8").replace("接听电话", "接听并记录电话"), encoding="utf-8")
    edited = write_pdfs(load(root), tmp_path / "c", cache_dir=cache, progress=False)
    assert edited.rendered == ("departments/cs.pdf", "handbook.pdf", "roles/clerk.pdf")
    assert (edited.roles_rendered, edited.departments_rendered, edited.handbook_rendered) == (1, 1, True)
    assert "接听并记录电话" in "".join(pages_text(tmp_path / "c/roles/clerk.pdf"))

    # the superior's title shows on the clerk's page: renaming the boss re-renders both
    boss = root / "roles/cs/boss.yaml"
    boss.write_text(boss.read_text(encoding="utf-8").replace("title: 经理", "title: 部门经理"), encoding="utf-8")
    renamed = write_pdfs(load(root), tmp_path / "d", cache_dir=cache, progress=False)
    assert renamed.rendered == ("departments/cs.pdf", "handbook.pdf", "roles/boss.pdf", "roles/clerk.pdf")


@pytest.mark.slow
def test_corrupt_or_missing_cache_entries_are_rendered_again(tmp_path: Path) -> None:
    root = make_handbook(tmp_path / "hb", minimal("en"))
    cache = tmp_path / "cache"
    first = write_pdfs(load(root), tmp_path / "a", cache_dir=cache, jobs=1, progress=False)
    entries = sorted(cache.glob("*.pdf"), key=lambda p: p.stat().st_size)
    assert len(entries) >= 7  # 2 roles, a part, its department, the front matter, page numbers, the handbook
    for entry in entries:
        if entry.read_bytes() == (tmp_path / "a/roles/boss.pdf").read_bytes():
            entry.write_bytes(entry.read_bytes()[:100])  # truncated
        elif entry.read_bytes() == (tmp_path / "a/departments/cs.pdf").read_bytes():
            entry.unlink()  # gone
        elif entry.read_bytes() == (tmp_path / "a/handbook.pdf").read_bytes():
            (cache / (entry.stem + ".sha256")).write_text("nonsense")
    again = write_pdfs(load(root), tmp_path / "b", cache_dir=cache, jobs=1, progress=False)
    assert again.rendered == ("departments/cs.pdf", "handbook.pdf", "roles/boss.pdf")
    assert again.reused == ("roles/clerk.pdf",)
    for name in first.files:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


def test_english_handbook_prints_english_labels(tmp_path: Path) -> None:
    root = make_handbook(tmp_path / "hb", minimal("en"))
    report = write_pdfs(load(root), tmp_path / "out", cache_dir=tmp_path / "cache", jobs=1, progress=False)
    text = "\n".join(pages_text(report.dest / "roles/clerk.pdf"))
    for words in ("Document no.: T-002", "Job description", "Main duty", "KPIs", "Page 1 of 1", "Reports to", "经理", "Test Group"):
        assert words in text
    assert pypdf.PdfReader(report.dest / "roles/clerk.pdf").trailer["/Root"]["/Lang"] == "en"


def test_tofu_is_an_error_naming_file_character_and_what_to_do(tmp_path: Path) -> None:
    char = tofu_char()
    files = minimal("en")
    files["roles/cs/clerk.yaml"] = files["roles/cs/clerk.yaml"].replace("接听电话", f"接听{char}电话")
    hb = load(make_handbook(tmp_path / "hb", files))
    with pytest.raises(PdfBuildError) as info:
        write_pdfs(hb, tmp_path / "out", cache_dir=tmp_path / "cache", jobs=1, progress=False)
    (problem,) = info.value.problems
    assert (problem.path, problem.line, problem.col, problem.code) == ("roles/cs/clerk.yaml", 7, 13, "missing-glyph")
    assert f"U+{ord(char):04X}" in problem.message
    assert "private-use character" in problem.hint and "cannot be printed" in problem.hint  # no font package has it
    assert not (tmp_path / "out").exists()
    # only the boss's page, which has no tofu, went into the cache (besides the fonts)
    assert len(list((tmp_path / "cache").glob("*.pdf"))) == 1


@pytest.mark.slow
def test_an_unwritable_cache_only_costs_a_warning(tmp_path: Path) -> None:
    root = make_handbook(tmp_path / "hb", minimal("en"))
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x", encoding="utf-8")
    report = write_pdfs(load(root), tmp_path / "out", cache_dir=blocker / "pdf", jobs=1, progress=False)
    assert len(report.files) == 4 and all((tmp_path / "out" / name).read_bytes().startswith(b"%PDF-") for name in report.files)
    assert len(report.warnings) == 1 and "PDF cache" in report.warnings[0]
