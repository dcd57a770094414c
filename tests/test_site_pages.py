"""The built site's pages as readers see them, on an English handbook of the shape real ones have
(tests/en_handbook.py: long titles, party names with commas, a manager with 100+ direct reports,
drafts, empty sections) and on a Chinese one: built through the real command line, read from HTML."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from rolebook.cli import main
from tests.en_handbook import ORGANISATION, english_handbook
from tests.scratch import make_handbook, minimal

BIG = 110  # positions in the second department: its head has BIG - 1 direct reports
CJK = re.compile(r"[\u2e80-\u9fff\u3000-\u303f\uf900-\ufaff\uff00-\uffef]")


@pytest.fixture(scope="module")
def en_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    files = english_handbook(roles=150, departments=6, big=BIG)
    # numbers out of file order: the positions page counts 2 before 10
    files["roles/d00/zz-late.yaml"] = (
        'number: "NW-2"\ntitle: Archivist\nheadcount: 1\nstatus: draft\nreports_to: r0001\nduties:\n  - duty: Files\n    kpis: [Order]\n'
    )
    files["roles/d00/aa-early.yaml"] = (
        'number: "NW-10"\ntitle: Courier\nheadcount: 1\nstatus: draft\nreports_to: r0001\nduties:\n  - duty: Post\n    kpis: [Speed]\n'
    )
    files["roles/d00/grouped.yaml"] = (
        'number: "NW-9000"\ntitle: Coordinator\nheadcount: 3\nstatus: approved\napprover: HR\napproval_date: "2020-01-01"\nreports_to: r0001\nduties:\n'
        "  - group: Planning\n    duties:\n      - duty: Plans the week\n        kpis: [Plan on time]\n"
        "  - group: Reporting and follow-up with every unit of the organisation\n    duties:\n      - duty: Writes the monthly report for the board\n        kpis: [Report on time, No errors]\n"
    )
    root = make_handbook(tmp_path_factory.mktemp("en"), files)
    assert main(["build", "--no-pdf", str(root)]) == 0
    return root / "site"


def page(site: Path, rel: str) -> str:
    return (site / rel).read_text(encoding="utf-8")


def visible(doc: str) -> str:
    """The text a reader sees, and the words of the attributes a browser shows (tooltips, placeholders, labels)."""
    body = re.sub(r"<script.*?</script>|<style.*?</style>|<svg.*?</svg>", " ", doc, flags=re.S)
    attrs = re.findall(r'\s(?:title|aria-label|placeholder|alt|data-rbs-[a-z-]+)="([^"]*)"', body)
    return html.unescape(re.sub(r"<[^>]+>", " ", body) + " " + " ".join(attrs))


def words(text: str) -> str:
    return " ".join(text.split())


def test_every_page_of_an_english_handbook_is_english_and_shows_no_markdown(en_site: Path) -> None:
    pages = sorted(en_site.rglob("*.html"))
    assert len(pages) > 150
    for p in pages:
        text = visible(p.read_text(encoding="utf-8"))
        assert not CJK.findall(text), (p.relative_to(en_site), CJK.findall(text)[:5])
        assert "`" not in text, p.relative_to(en_site)
        assert not re.search(r"\b1 (people|positions|departments)\b", text), p.relative_to(en_site)
    reference = words(visible(page(en_site, "reference.html")))
    assert "Every problem that rolebook check (and the site and PDF builds) can report" in reference
    assert "<code>rolebook check</code>" in page(en_site, "reference.html")


def test_role_page_is_the_form_with_lists_status_and_empty_parts_marked(en_site: Path) -> None:
    doc = page(en_site, "roles/r0012.html")
    parts = re.findall(r'<h2 id="([^"]+)"><span class="rbs-part-no">(Part \d)</span> ([^<]+)', doc)
    assert [(a, n, t.strip()) for a, n, t in parts] == [
        ("basic-information", "Part 1", "Basic information"),
        ("summary", "Part 2", "Summary"),
        ("main-work-relationships", "Part 3", "Main work relationships"),
        ("qualifications", "Part 4", "Qualifications"),
        ("duties", "Part 5", "Duties"),
    ]
    basic = doc[doc.index('<table class="rbs-table rbs-basic">') :]
    basic = basic[: basic.index("</table>")]
    assert basic.count("<col ") == 4 and '<th>Effective date</th><td><time datetime="2024-03-15">15 March 2024</time>' in basic
    assert "<th>Headcount</th><td>1 person</td>" in basic
    # parties with commas are list items, whole
    assert "<li>Business Teachers, Postsecondary</li><li>Faculty, Department of Nursing</li>" in doc
    assert '<td class="rbs-num">60%</td>' in doc
    assert "<li>On-time completion rate of 95% or more</li><li>Audit findings closed within 30 days</li>" in doc
    grouped = page(en_site, "roles/grouped.html")  # every group's duties table has the same columns
    assert grouped.count('<table class="rbs-table rbs-duties">\n<colgroup><col class="rbs-seq"><col class="rbs-duty"><col class="rbs-kpis"></colgroup>') == 2
    assert "<td>Plan on time</td>" in grouped and "<th>Headcount</th><td>3 people</td>" in grouped
    sparse = page(en_site, "roles/r0014.html")  # every seventh role has no summary, relationships or qualifications
    assert sparse.count('<p class="rbs-todo" data-search-exclude>(to be completed)</p>') == 3
    assert 'rbs-status-approved">Approved</span>' in sparse
    draft = page(en_site, "roles/r0018.html")  # every ninth role is a draft, without an approver
    assert '<span class="rbs-badge rbs-badge-draft">Draft</span>' in draft
    assert '<th>Approved by</th><td><span class="rbs-todo" data-search-exclude>(to be completed)</span></td>' in draft


def test_a_hundred_direct_reports_are_a_compact_list_with_a_count(en_site: Path) -> None:
    head = next(p for p in (en_site / "roles").glob("*.html") if f"{BIG - 1} direct reports" in p.read_text(encoding="utf-8"))
    doc = head.read_text(encoding="utf-8")
    row = doc[doc.index("<th>Direct reports</th>") :]
    row = row[: row.index("</tr>")]
    assert f'<p class="rbs-count">{BIG - 1} direct reports</p><ul class="rbs-list rbs-list-many">' in row
    assert row.count("<li><a href=") == BIG - 1


def test_big_department_chart_is_a_grid_of_whole_titles(en_site: Path) -> None:
    doc = page(en_site, "departments/d01/index.html")
    chart = doc[doc.index('<div class="rbs-chart"') :]
    svg = chart[chart.index("<svg") : chart.index("</svg>")]
    assert f"{BIG - 1} direct reports" in svg and 'class="cluster"' in svg
    assert "…" not in svg and "1 people" not in svg
    assert "1 person" in svg and "3 people" in svg
    width_pt = float(re.search(r'<svg width="([0-9.]+)pt"', svg).group(1))  # type: ignore[union-attr]
    assert width_pt < 1000  # four boxes a row, not 109 side by side
    assert len(re.findall(r'class="edge"', svg)) < 12  # one line to the grid, not one per box


def test_positions_page_is_sorted_by_number_with_status_and_stable_columns(en_site: Path) -> None:
    doc = page(en_site, "positions.html")
    numbers = re.findall(r"<tr><td data-sort=\"\d+\">([^<]+)</td>", doc)
    assert numbers[:3] == ["NW-0001", "NW-2", "NW-0002"] or numbers.index("NW-2") < numbers.index("NW-10")
    assert numbers.index("NW-2") < numbers.index("NW-10") < numbers.index("NW-0011")
    assert '<th data-sort-method="intl">Status</th>' in doc and 'rbs-status-draft">Draft</span>' in doc
    assert 'data-rbs-nomatch="No position matches the filter."' in doc
    assert '<div class="rbs-scroll">\n<p class="rbs-scroll-hint">Swipe sideways to see every column.</p>' in doc
    assert doc.count("<col ") == 7
    assert "153 positions in 6 departments" in words(visible(doc))


def test_home_says_what_each_number_counts(en_site: Path) -> None:
    text = words(visible(page(en_site, "index.html")))
    assert "Positions (this department) Headcount (this department) Headcount incl. sub-departments" in text
    assert "the last column adds those of all its sub-departments" in text


def test_footer_has_organisation_document_and_neighbours(en_site: Path) -> None:
    doc = page(en_site, "roles/r0012.html")
    dept = page(en_site, re.search(r'<p class="rbs-crumbs">.*<a href="\.\./(departments/[^"]+)">[^<]*</a></p>', doc).group(1))  # type: ignore[union-attr]
    staffing = dept[dept.index("rbs-staffing") : dept.index("</table>")]
    order = re.findall(r'<tr><td>[^<]*</td><td><a href="\.\./\.\./roles/([^"]+)"', staffing)
    i = order.index("r0012.html")
    footer = doc[doc.index('<footer class="md-footer">') : doc.index("</footer>")]
    assert f'href="{order[i - 1]}"' in footer and f'href="{order[i + 1]}"' in footer  # the department's previous and next roles
    meta = footer[footer.index('<div class="md-copyright rbs-footer">') :]
    assert words(visible(meta)) == f"{ORGANISATION} NW-0012 Effective 15 March 2024"
    assert "md-footer__link--prev" in dept and "md-footer__link--next" in dept  # in the navigation: Material's previous / next


def test_404_page_speaks_the_handbook_language(en_site: Path, tmp_path: Path) -> None:
    text = words(visible(page(en_site, "404.html")))
    assert "Page not found" in text and "Go to the home page" in text
    assert '<a class="md-button md-button--primary rbs-home" href="/index.html" data-rbs-base="/">' in page(en_site, "404.html")
    root = make_handbook(tmp_path / "zh", minimal("zh"))
    assert main(["build", "--no-pdf", str(root)]) == 0
    zh = page(root / "site", "404.html")
    assert "找不到这个页面" in zh and "返回首页" in zh and "Not found" not in zh
    role = page(root / "site", "roles/clerk.html")
    assert "第一部分" in role and "2 人" in role and "上一个" in role  # boss comes before clerk in 客服部
    assert 'title="切换到深色模式"' in role and 'title="切换到浅色模式"' in role
