"""Print HTML (no PDF rendering): escaping, dashes for missing sections, dates, the stylesheet."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest

from rolebook.app.pipeline import check_handbook
from rolebook.model import Handbook
from rolebook.outputs.pdf import FIXED_TIMESTAMP, PdfBuildError, document_timestamp, print_documents, source_date_epoch
from rolebook.render.print_html import PRINT_CSS, css_string, make_context, page_css, role_document, role_fragment
from tests.scratch import CLERK, make_handbook, minimal

REPO = Path(__file__).resolve().parent.parent


def load(root: Path) -> Handbook:
    result = check_handbook(root)
    assert result.handbook is not None, result.problems
    return result.handbook


def part(html: str, name: str) -> str:
    match = re.search(rf'<section class="rb-part rb-part-{name}">(.*?)</section>', html, re.S)
    assert match, name
    return match.group(1)


def test_everything_typed_is_escaped(tmp_path: Path) -> None:
    files = minimal("zh")
    files["roles/cs/clerk.yaml"] = CLERK.replace("title: 专员", "title: \"<script>alert('x')</script> & co\"").replace("接听电话", '"<b>粗</b> \\" \'"')
    files["rolebook.yml"] = 'organisation: "A&B <集团>"\nlanguage: zh\n'
    hb = load(make_handbook(tmp_path, files))
    docs = print_documents(hb)
    for doc in docs:
        assert "<script>" not in doc.html
        assert "<b>粗</b>" not in doc.html
        assert "A&B <集团>" not in doc.html
    clerk = next(d for d in docs if d.ident == "clerk")
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; co" in clerk.html
    assert 'data-rb-org="A&amp;B &lt;集团&gt;"' in clerk.html


def test_missing_optional_sections_show_a_dash_not_an_empty_frame(tmp_path: Path) -> None:
    hb = load(make_handbook(tmp_path, minimal("zh")))
    html = role_document(make_context(hb), hb.role("clerk")).html  # the clerk has no summary, relationships, qualifications
    for name in ("summary", "relationships", "qualifications"):
        body = part(html, name)
        assert '<p class="rb-empty">—</p>' in body
        assert "<table" not in body and "<ol" not in body
    basic = part(html, "basic")
    assert '<td><span class="rb-dash">—</span></td>' in basic  # no effective date, approver, revision
    boss = role_document(make_context(hb), hb.role("boss")).html
    assert '<p class="rb-empty">' not in boss
    assert '<section class="rb-signatures">' not in boss  # signatures are off unless the settings ask for them


def test_duty_groups_and_several_kpis(tmp_path: Path) -> None:
    files = minimal("zh")
    files["roles/cs/clerk.yaml"] = CLERK.replace(
        "duties:\n  - duty: 接听电话\n    kpis: [及时性]\n",
        "duties:\n  - group: 前台\n    duties:\n      - duty: 接听电话\n        kpis: [及时性, 准确性]\n  - group: 贴心管家\n    duties:\n      - duty: 巡查\n        kpis: [频率]\n",
    )
    hb = load(make_handbook(tmp_path, files))
    duties = part(role_document(make_context(hb), hb.role("clerk")).html, "duties")
    assert re.findall(r'<tr class="rb-group-row"><th colspan="3">(.*?)</th></tr>', duties) == ["前台", "贴心管家"]
    assert '<ul class="rb-kpis"><li>及时性</li><li>准确性</li></ul>' in duties
    assert re.findall(r'<td class="rb-seq">(\d+)</td>', duties) == ["1", "2"]


def test_document_dates() -> None:
    hb = load(REPO)
    assert document_timestamp(hb.roles, FIXED_TIMESTAMP, None) == "2006-06-01T00:00:00Z"
    assert document_timestamp((hb.role("cs-specialist"),), "fallback", None) == "fallback"  # no effective date
    assert document_timestamp(hb.roles, FIXED_TIMESTAMP, 0) == "1970-01-01T00:00:00Z"
    assert source_date_epoch({"SOURCE_DATE_EPOCH": "1700000000"}) == (1700000000, None)
    assert source_date_epoch({}) == (None, None)
    value, why = source_date_epoch({"SOURCE_DATE_EPOCH": "yesterday"})
    assert value is None and why and "SOURCE_DATE_EPOCH" in why
    docs = print_documents(hb, epoch=86400)
    assert all('<meta name="dcterms.created" content="1970-01-02T00:00:00Z">' in d.html for d in docs)


def test_logo_is_inlined_and_a_bad_logo_is_a_positioned_problem(tmp_path: Path) -> None:
    files: dict[str, str | bytes] = dict(minimal("zh"))
    files["rolebook.yml"] = "organisation: 测试集团\nlanguage: zh\nlogo: logo.svg\n"
    files["logo.svg"] = "<svg xmlns='http://www.w3.org/2000/svg' width='10' height='10'/>"
    hb = load(make_handbook(tmp_path / "good", files))
    handbook_html = print_documents(hb)[0].html
    assert '<img class="rb-cover-logo" src="data:image/svg+xml;base64,' in handbook_html

    files["rolebook.yml"] = "organisation: 测试集团\nlanguage: zh\nlogo: ../outside.png\n"
    (tmp_path / "outside.png").write_bytes(b"\x89PNG")
    bad = make_handbook(tmp_path / "bad", files)
    # check refuses it at its line (tests/cases/invalid/logo-*); the PDFs refuse it too, should the file change after the check
    assert [(p.path, p.line, p.col, p.code) for p in check_handbook(bad).problems] == [("rolebook.yml", 3, 7, "bad-logo")]
    hb = dataclasses.replace(hb, root=bad, settings=dataclasses.replace(hb.settings, logo="../outside.png"))
    with pytest.raises(PdfBuildError) as info:
        print_documents(hb)
    (problem,) = info.value.problems
    assert (problem.path, problem.line, problem.col, problem.code) == ("rolebook.yml", 3, 1, "bad-logo")
    assert "../outside.png" in problem.message


def test_page_words_come_from_the_labels() -> None:
    assert css_string('a"b\\c\n') == '"a\\"b\\\\c\\a "'
    zh, en = page_css("zh"), page_css("en")
    assert 'content: "第 " counter(page) " 页 共 " counter(pages) " 页";' in zh
    assert 'content: "Page " counter(page) " of " counter(pages);' in en
    assert "%E8%8D%89%E7%A8%BF%20%2F%20DRAFT" in zh  # 草稿 / DRAFT, URL-encoded in the watermark SVG
    assert "DRAFT" in en and "%E8%8D%89" not in en


def test_stylesheet_serves_the_pdf_and_the_site_print_view() -> None:
    css = PRINT_CSS.read_text(encoding="utf-8")
    assert "size: A4" in css
    assert "tr { break-inside: avoid; }" in css
    assert "thead { display: table-header-group; }" in css
    margin_boxes = re.findall(r"@(top|bottom)-(left|right) \{([^}]*)\}", css)
    assert margin_boxes and all("font-family" in body for *_, body in margin_boxes if "content: none" not in body)
    media = css[css.index("@media print") :]
    for chrome in (".md-header", ".md-tabs", ".md-sidebar", ".md-nav", ".md-search", ".md-footer"):
        assert chrome in media
    assert "display: none !important" in media


def test_role_fragment_for_the_site(tmp_path: Path) -> None:
    hb = load(make_handbook(tmp_path, minimal("en")))
    html = str(role_fragment(hb, hb.role("clerk")))
    assert html.lstrip().startswith('<article class="rb-role" id="role-clerk"')
    assert "<html" not in html and "Main duty" in html
