"""PDFs at scale: the stylesheet parsed once per worker gives the same bytes; no whole-handbook PDF above a size."""

from __future__ import annotations

from pathlib import Path

import pytest

from rolebook.outputs import pdf
from rolebook.pipeline import check_handbook
from rolebook.render import links
from rolebook.render.pages import render_pages
from rolebook.render.print_html import PRINT_CSS, page_css

REPO = Path(__file__).resolve().parent.parent


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


def test_no_whole_handbook_pdf_above_the_limit(sample, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    assert any(d.kind == "handbook" for d in pdf.print_documents(sample))
    home = next(p for p in render_pages(sample) if p.src_uri == "index.md")
    assert links.HANDBOOK_PDF in home.content
    monkeypatch.setattr(links, "HANDBOOK_PDF_MAX_ROLES", len(sample.roles) - 1)
    assert not any(d.kind == "handbook" for d in pdf.print_documents(sample))
    home = next(p for p in render_pages(sample) if p.src_uri == "index.md")
    assert links.HANDBOOK_PDF not in home.content  # no button to a PDF that is not there
