"""PDFs at scale: the stylesheet parsed once per worker gives the same bytes; departments and the handbook are joined from parts."""

from __future__ import annotations

from pathlib import Path

import pypdf
import pytest

from rolebook.app.pipeline import check_handbook
from rolebook.outputs import pdf
from rolebook.outputs.pdf import join, plan
from rolebook.render.print_html import PRINT_CSS, page_css
from tests.pdf_support import six_departments
from tests.scratch import CLERK, make_handbook, minimal

REPO = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.slow  # each test lays out hundreds of pages


@pytest.fixture(scope="module")
def sample():  # type: ignore[no-untyped-def]
    hb = check_handbook(REPO, use_cache=False).handbook
    assert hb is not None
    return hb


def test_shared_stylesheets_give_the_same_pdf(sample) -> None:  # type: ignore[no-untyped-def]
    docs = {(d.kind, d.ident): d for d in pdf.print_documents(sample, epoch=0)}
    sheets = (PRINT_CSS.read_text(encoding="utf-8"), page_css(sample.settings.language))
    drafts = [r.id for r in sample.roles if r.status == "draft"]
    assert drafts  # the watermark comes from the second stylesheet
    for key in (("handbook", "handbook"), ("role", "guide"), ("role", drafts[0])):
        doc = docs[key]
        inline = pdf.render_pdf(pdf.RenderJob(doc.ident, doc.html, b"id"))
        shared = pdf.render_pdf(pdf.RenderJob(doc.ident, doc.html, b"id", sheets))
        assert shared.pdf == inline.pdf, key
    # a document that does not hold the stylesheets as given is rendered as it is
    odd = pdf.render_pdf(pdf.RenderJob("x", docs[("role", "guide")].html, b"id", ("p { color: red }",)))
    assert odd.pdf == pdf.render_pdf(pdf.RenderJob("x", docs[("role", "guide")].html, b"id")).pdf


def test_departments_of_many_parts_and_the_handbook_keep_every_role_in_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A department larger than a part is rendered in several parts and joined; so is the handbook, at any size."""
    files = dict(minimal("en"))
    for i in range(1, 8):
        files[f"roles/cs/agent-{i}.yaml"] = CLERK.replace("T-002", f"T-1{i:02d}").replace("title: 专员", f"title: Agent {i}")
    files["roles/ops/_department.yaml"] = "name: Operations\nparent: cs\n"
    files["roles/ops/runner.yaml"] = CLERK.replace("T-002", "T-200").replace("title: 专员", "title: Runner")
    root = make_handbook(tmp_path / "hb", files)
    hb = check_handbook(root, use_cache=False).handbook
    assert hb is not None
    monkeypatch.setattr(plan, "PART_ROLES", 3)
    report = pdf.write_pdfs(hb, tmp_path / "out", cache_dir=tmp_path / "cache", jobs=2, progress=False)
    assert report.warnings == ()
    assert len(list((tmp_path / "cache").glob("*.pages.json"))) >= 4  # cs: overview + 9 roles in parts of 3; ops: 1

    dept = pypdf.PdfReader(tmp_path / "out/departments/cs.pdf")
    texts = [p.extract_text() for p in dept.pages]
    starts = [next(i for i, t in enumerate(texts) if f"Document no.: {r.number}" in t) for r in hb.roles_in("cs")]
    assert starts == sorted(starts) and len(starts) == 9 and starts[0] == 1
    assert len(dept.pages) == 1 + sum(len(pypdf.PdfReader(tmp_path / f"out/roles/{r.id}.pdf").pages) for r in hb.roles_in("cs"))
    assert dept.metadata is not None and dept.metadata.title.startswith("Customer") is False  # the department's own title
    marks = dept.outline
    assert marks[0].title == "客服部"
    assert [m.title for m in marks[1]] == [f"{r.number} {r.title}" for r in hb.roles_in("cs")]
    assert [dept.get_destination_page_number(m) for m in marks[1]] == starts

    book = pypdf.PdfReader(tmp_path / "out/handbook.pdf")
    pages = [p.extract_text() for p in book.pages]
    for role in hb.roles:
        found = [i for i, t in enumerate(pages) if f"Document no.: {role.number}" in t]
        assert found, role.number
        assert f"— {found[0] + 1} —" in pages[found[0]]
    assert len(book.pages) == 2 + 1 + 9 + 1 + 1  # cover, contents, cs overview, 9 roles, ops overview, runner

    # rebuilt from the cache: byte for byte the same, nothing rendered
    again = pdf.write_pdfs(hb, tmp_path / "again", cache_dir=tmp_path / "cache", jobs=1, progress=False)
    assert again.rendered == ()
    for name in report.files:
        assert (tmp_path / "out" / name).read_bytes() == (tmp_path / "again" / name).read_bytes(), name


def test_a_large_handbook_is_joined_in_its_own_process_with_the_same_bytes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_handbook(tmp_path / "hb", minimal("zh"))
    hb = check_handbook(root, use_cache=False).handbook
    assert hb is not None
    here = pdf.write_pdfs(hb, tmp_path / "here", cache_dir=tmp_path / "c1", jobs=1, progress=False)
    monkeypatch.setattr(join, "HANDBOOK_IN_PROCESS_PAGES", 0)
    apart = pdf.write_pdfs(hb, tmp_path / "apart", cache_dir=tmp_path / "c2", jobs=1, progress=False)
    assert "handbook.pdf" in apart.rendered and apart.warnings == ()
    assert (tmp_path / "here/handbook.pdf").read_bytes() == (tmp_path / "apart/handbook.pdf").read_bytes()
    assert here.files == apart.files
    assert not [p for p in (tmp_path / "c2").iterdir() if p.name.startswith(".tmp-")]
    # the same with a cache that cannot be written: the PDF is still made, with one warning
    blocker = tmp_path / "blocker"
    blocker.write_text("x", encoding="utf-8")
    nocache = pdf.write_pdfs(hb, tmp_path / "nocache", cache_dir=blocker / "pdf", jobs=1, progress=False)
    assert (tmp_path / "nocache/handbook.pdf").read_bytes() == (tmp_path / "here/handbook.pdf").read_bytes()
    assert len(nocache.warnings) == 1


def test_a_handbook_of_many_pieces_is_joined_group_by_group_with_the_same_pages(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_handbook(tmp_path / "hb", six_departments())
    hb = check_handbook(root, use_cache=False).handbook
    assert hb is not None
    pdf.write_pdfs(hb, tmp_path / "whole", cache_dir=tmp_path / "c1", jobs=1, progress=False)
    monkeypatch.setattr(join, "JOIN_GROUP", 2)  # 6 departments: 3 groups after the front matter
    monkeypatch.setattr(join, "HANDBOOK_IN_PROCESS_PAGES", 0)  # joined into a file, as a large handbook is
    monkeypatch.setattr(join, "JOIN_IN_WORKER", False)  # here, so that JOIN_GROUP holds
    pdf.write_pdfs(hb, tmp_path / "grouped", cache_dir=tmp_path / "c2", jobs=1, progress=False)

    def seen(folder: str) -> tuple[list[str], list[tuple[str, int]], int]:
        reader = pypdf.PdfReader(tmp_path / folder / "handbook.pdf")
        marks: list[tuple[str, int]] = []

        def walk(items: list) -> None:  # type: ignore[type-arg]
            for item in items:
                if isinstance(item, list):
                    walk(item)
                else:
                    marks.append((item.title, reader.get_destination_page_number(item)))

        walk(reader.outline)
        links = sum(1 for page in reader.pages[:2] for a in page.get("/Annots") or [] if "/Dest" in a.get_object())
        return [p.extract_text() for p in reader.pages], marks, links

    whole, grouped = seen("whole"), seen("grouped")
    assert grouped == whole
    pages, marks, links = grouped
    assert all(f"— {n} —" in page for n, page in enumerate(pages[1:], start=2))
    assert len(marks) == 1 + 6 + 7 and links >= 13
    assert not list((tmp_path / "c2").glob(".tmp-*"))
