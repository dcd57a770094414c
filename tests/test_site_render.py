"""The site's page sources (no MkDocs build): escaping, golden role page, links, charts, nav, reference.

Regenerate the golden files after an intended change with:
    ROLEBOOK_UPDATE_GOLDEN=1 python -m pytest tests/test_site_render.py
and review the diff.
"""

from __future__ import annotations

import os
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import markdown
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from mkdocs.config import load_config

from rolebook.app.pipeline import check_handbook
from rolebook.check.handbook import CHECKS, FILE_CHECKS
from rolebook.check.registry import LOADER_CODES, OUTPUT_CODES, codes_of
from rolebook.check.schema import CODES as SCHEMA_CODES
from rolebook.model import Handbook
from rolebook.render.escape import dot_string, html_text, md_inline
from rolebook.render.links import Links, department_src, role_src
from rolebook.render.orgchart import department_dot, organisation_dot, render_svgs, wrap
from rolebook.render.pages import NAV_DEPTH, NAV_GROUP, Renderer, doc_for_lang, problem_codes, render_pages, site_nav, stats
from rolebook.sheets.codes import IMPORT_CODES, SHEET_CODES
from tests.scratch import make_handbook, minimal
from tests.site_support import HOSTILE, REPO, hostile_files

GOLDEN = Path(__file__).parent / "golden"
SVG = "{http://www.w3.org/2000/svg}"
XLINK = "{http://www.w3.org/1999/xlink}href"


def _md() -> markdown.Markdown:
    """Python-Markdown with exactly the extensions the site's mkdocs.yml enables."""
    cfg = load_config(str(REPO / "mkdocs.yml"))
    return markdown.Markdown(extensions=cfg["markdown_extensions"], extension_configs=cfg["mdx_configs"])


MD = _md()


def to_html(source: str) -> str:
    MD.reset()
    return MD.convert(source)


class Page(HTMLParser):
    """Elements, attributes and visible text of an HTML fragment (headerlink anchors skipped)."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.tables: list[list[list[str]]] = []
        self._skip = 0
        self._cell: list[str] | None = None
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        self.tags.append((tag, a))
        if tag == "a" and a.get("class") == "headerlink":
            self._skip += 1
        if tag == "br":
            self.handle_data("\n")
        if tag == "table":
            self.tables.append([])
        elif tag == "tr" and self.tables:
            self.tables[-1].append([])
        elif tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._skip:
            self._skip -= 1
        if tag in ("td", "th") and self._cell is not None and self.tables and self.tables[-1]:
            self.tables[-1][-1].append("".join(self._cell))
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._skip:
            return
        self.text.append(data)
        if self._cell is not None:
            self._cell.append(data)

    @property
    def visible(self) -> str:
        return "".join(self.text)


def handbook_of(tmp_path: Path, files: dict[str, str | bytes]) -> Handbook:
    result = check_handbook(make_handbook(tmp_path, files))
    assert result.handbook is not None, result.problems
    return result.handbook


@pytest.fixture(scope="module")
def sample() -> Handbook:
    result = check_handbook(REPO)
    assert result.handbook is not None
    return result.handbook


# -- escaping -------------------------------------------------------------------

text_strategy = st.text(st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp")), min_size=1, max_size=40).filter(lambda s: s.strip())


@settings(max_examples=300, deadline=None)
@given(text_strategy)
def test_md_inline_heading_shows_any_text_literally(text: str) -> None:
    page = Page(to_html("## " + str(md_inline(text))))
    h2 = [t for t, _ in page.tags]
    assert h2[0] == "h2" and "script" not in h2
    assert " ".join(page.visible.split()) == " ".join(text.split())


@settings(max_examples=300, deadline=None)
@given(text_strategy)
def test_html_text_in_a_raw_block_shows_any_text_literally(text: str) -> None:
    page = Page(to_html("<table>\n<tr><td>" + str(html_text(text)) + "</td><td>x</td></tr>\n</table>\n"))
    assert [len(row) for row in page.tables[0]] == [2]
    assert " ".join(page.tables[0][0][0].split()) == " ".join(text.split())


@pytest.mark.parametrize(
    "text", [*HOSTILE.values(), "{% raw %}x{% endraw %}", "\\", "a\n\nb", "1. x", "- x", "> q", "    code", "~~~", "```", "&amp;", "*a* _b_ `c`"]
)
def test_known_traps_stay_literal(text: str) -> None:
    assert " ".join(Page(to_html("# " + str(md_inline(text)))).visible.split()) == " ".join(text.split())
    html = to_html("<ul>\n<li>" + str(html_text(text)) + "</li>\n</ul>\n")
    assert " ".join(Page(html).visible.split()) == " ".join(text.split())


def test_dot_string_escapes_label_escapes_and_quotes() -> None:
    assert dot_string('a\\N "b"\nc') == 'a\\\\N \\"b\\" c'


def test_hostile_role_page_source(tmp_path: Path) -> None:
    hb = handbook_of(tmp_path, hostile_files())
    page = Renderer(hb).role_page(hb.role("boss"))
    assert page.title == "&lt;script&gt;alert(1)&lt;/script&gt;"
    parsed = Page(to_html(page.content.split("---\n", 2)[2]))
    for tag, attrs in parsed.tags:
        assert tag not in ("script", "img", "svg", "iframe", "object", "style"), tag
        assert not any(name.startswith("on") for name in attrs), attrs
        assert not str(attrs.get("href", "")).lower().startswith("javascript"), attrs
    for text in HOSTILE.values():
        if text != HOSTILE["org"]:  # the organisation is only in the site name, not in a role page
            assert " ".join(text.split()) in " ".join(parsed.visible.split()), text
    duty_tables = [t for t in parsed.tables if t and t[0][:1] == ["序号"]]
    assert len(duty_tables) == 2
    assert all(len(row) == 3 for table in duty_tables for row in table)
    assert duty_tables[0][1] == ["1", HOSTILE["duty_hash"], HOSTILE["kpi_pipe"]]


# -- the role page: golden file --------------------------------------------------


@pytest.mark.parametrize("role_id", ["property-assistant", "product-manager"])
def test_role_page_golden(sample: Handbook, role_id: str) -> None:
    content = Renderer(sample).role_page(sample.role(role_id)).content
    golden = GOLDEN / f"role-{role_id}.md"
    if os.environ.get("ROLEBOOK_UPDATE_GOLDEN"):
        golden.parent.mkdir(exist_ok=True)
        golden.write_text(content, encoding="utf-8")
    assert content == golden.read_text(encoding="utf-8"), f"regenerate with ROLEBOOK_UPDATE_GOLDEN=1 and review: {golden}"


def test_role_page_parts_in_order_and_links(sample: Handbook) -> None:
    content = Renderer(sample).role_page(sample.role("guide")).content
    heads = [line for line in content.splitlines() if line.startswith("## ")]
    parts = ["第一部分", "第二部分", "第三部分", "第四部分", "第五部分"]
    names = ["职位基本信息", "职责综述", "主要工作联系", "任职资格要求", "岗位职责"]
    # the form's part numbers in front; the anchors stay the plain names
    assert heads == [f'## <span class="rbs-part-no">{p}</span> {n} {{ #{n} }}' for p, n in zip(parts, names, strict=True)]
    assert '<a href="guide-leader.html">解说组长</a>' in content  # superior, relative
    assert 'href="../pdf/roles/guide.pdf"' in content
    chain = [sample.role(r).title for r in ("general-manager", "cs-manager", "cs-supervisor", "guide-leader")]
    line = next(line for line in content.splitlines() if "rbs-chain" in line)
    assert [line.index(t) for t in chain] == sorted(line.index(t) for t in chain)


def test_english_handbook_uses_english_labels(tmp_path: Path) -> None:
    hb = handbook_of(tmp_path, minimal("en"))
    content = Renderer(hb).role_page(hb.role("clerk")).content
    assert '## <span class="rbs-part-no">Part 1</span> Basic information { #basic-information }' in content
    assert '## <span class="rbs-part-no">Part 3</span> Main work relationships { #main-work-relationships }' in content
    assert "<th>Reports to</th>" in content and "<td>2 people</td>" in content
    assert "职位" not in content


def test_whole_numbers_written_with_a_decimal_point_show_as_whole_numbers(tmp_path: Path) -> None:
    files = minimal("en")
    files["roles/cs/clerk.yaml"] = files["roles/cs/clerk.yaml"].replace("headcount: 2", "headcount: 2.0")
    files["roles/cs/boss.yaml"] = files["roles/cs/boss.yaml"].replace("percent: 40", "percent: 40.0").replace("percent: 60", "percent: 60.00")
    hb = handbook_of(tmp_path, files)  # the schema takes 2.0 as a whole number (JSON Schema's integer)
    assert hb.role("clerk").headcount == 2 and type(hb.role("clerk").headcount) is int
    boss = hb.role("boss")
    assert boss.internal is not None and boss.external is not None
    assert (type(boss.internal.percent), boss.internal.percent, boss.external.percent) == (int, 40, 60)
    content = "".join(page.content for page in render_pages(hb) if page.src_uri.startswith("roles/"))
    assert "40%" in content and "60%" in content
    assert "40.0" not in content and "2.0" not in content and "60.00" not in content


# -- links, stats, nav, reference --------------------------------------------------


def test_links_are_relative_for_both_url_styles() -> None:
    assert Links("roles/a.md").page(department_src("x")) == "../departments/x/index.html"
    assert Links("index.md").page(role_src("a")) == "roles/a.html"
    assert Links("departments/x/index.md").file("pdf/departments/x.pdf") == "../../pdf/departments/x.pdf"
    assert Links("roles/a.md", directory_urls=True).page(role_src("b")) == "../b/"
    assert Links("index.md", directory_urls=True).file("pdf/handbook.pdf") == "pdf/handbook.pdf"


def test_stats_agree_with_the_model(sample: Handbook) -> None:
    s = stats(sample)
    for d in sample.departments:
        assert s.total[d.id] == sample.headcount(d.id)
        assert s.own[d.id] == sample.headcount(d.id, recursive=False)
        assert s.depth[d.id] == len(sample.department_chain(d.id)) - 1


def _nav_srcs(nav: Any, depth: int = 1) -> list[tuple[str, int]]:
    out: list[tuple[str, int]] = []
    for item in nav:
        if isinstance(item, str):
            out.append((item, depth))
            continue
        for value in item.values():
            out.extend(_nav_srcs(value, depth + 1) if isinstance(value, list) else [(value, depth)])
    return out


def test_nav_holds_every_role_under_its_department(sample: Handbook) -> None:
    """Roles are in the navigation (a role page's sidebar then shows it, highlighted, in its department's
    section), right after their department's page; the departments section is not the organisation's name."""
    nav = site_nav(sample, [], lambda key, **args: key)
    srcs = [s for s, _ in _nav_srcs(nav)]
    assert srcs[0] == "index.md"
    assert {department_src(d.id) for d in sample.departments} <= set(srcs)
    assert {role_src(r.id) for r in sample.roles} <= set(srcs)
    assert len(srcs) == len(set(srcs))
    for role in sample.roles:
        before = srcs[: srcs.index(role_src(role.id))]
        last_dept = next(s for s in reversed(before) if s.startswith("departments/"))
        assert last_dept == department_src(role.department), role.id
    titles = [next(iter(item)) for item in nav if isinstance(item, dict)]
    assert "departments" in titles and sample.settings.organisation not in titles


def test_a_large_department_lists_its_roles_in_sections(tmp_path: Path) -> None:
    files = minimal()
    for i in range(230):
        files[f"roles/cs/x{i:03d}.yaml"] = f"number: X-{i:03d}\ntitle: 岗位{i}\nheadcount: 1\nstatus: draft\nduties:\n  - duty: 工作\n    kpis: [及时]\n"
    hb = handbook_of(tmp_path, files)
    nav = site_nav(hb, [], lambda key, **args: f"{key} {args.get('first', '')}-{args.get('last', '')}".strip(" -"))
    (departments,) = (v for item in nav if isinstance(item, dict) for k, v in item.items() if k == "departments")
    chunks = [item for item in departments if isinstance(item, dict) and next(iter(item)).startswith("positions_range")]
    assert [next(iter(c)) for c in chunks] == [f"positions_range {k + 1}-{min(k + NAV_GROUP, 232)}" for k in range(0, 232, NAV_GROUP)]
    assert all(len(next(iter(c.values()))) <= NAV_GROUP for c in chunks)


def test_many_sub_departments_are_listed_in_sections(tmp_path: Path) -> None:
    files = minimal()
    for i in range(75):
        files[f"roles/d{i:02d}/_department.yaml"] = f"name: 部门{i}\nparent: cs\n"
    hb = handbook_of(tmp_path, files)
    nav = site_nav(hb, [], lambda key, **args: f"{key} {args.get('first', '')}-{args.get('last', '')}".strip(" -"))
    (departments,) = (v for item in nav if isinstance(item, dict) for k, v in item.items() if k == "departments")
    chunks = [next(iter(item)) for item in departments if isinstance(item, dict) and next(iter(item)).startswith("departments_range")]
    assert chunks == ["departments_range 1-30", "departments_range 31-60", "departments_range 61-75"]


def test_deep_department_trees_are_flattened_in_the_nav(tmp_path: Path) -> None:
    files = minimal()
    parent = "cs"
    for i in range(6):
        files[f"roles/d{i}/_department.yaml"] = f"name: 第{i}层\nparent: {parent}\n"
        files[f"roles/d{i}/r{i}.yaml"] = f"number: D-{i}\ntitle: 岗位{i}\nheadcount: 1\nstatus: draft\nduties:\n  - duty: 工作\n    kpis: [及时]\n"
        parent = f"d{i}"
    hb = handbook_of(tmp_path, files)
    levels = _nav_srcs(site_nav(hb, [], lambda key, **args: key))
    assert max(depth for _, depth in levels) <= NAV_DEPTH + 1
    assert {department_src(d.id) for d in hb.departments} <= {s for s, _ in levels}


def test_reference_lists_every_code(sample: Handbook) -> None:
    expected = {c.code for c in (*LOADER_CODES, *SCHEMA_CODES, *SHEET_CODES, *IMPORT_CODES, *OUTPUT_CODES)} | {
        c.code for fn in (*CHECKS, *FILE_CHECKS) for c in codes_of(fn)
    }
    listed = [c.code for _, codes in problem_codes() for c in codes]
    assert set(listed) == expected and len(listed) == len(expected)
    content = Renderer(sample).reference_page().content
    for code in expected:
        assert f"\n### {md_inline(code)}\n" in content
    html = to_html(content.split("---\n", 2)[2])
    assert 'id="duplicate-key"' in html  # readable anchors: reference#duplicate-key


def test_doc_for_lang_picks_the_paragraphs_of_one_language() -> None:
    doc = "Every document number (编号) is used once.\n\n每个编号只能用一次。"
    assert doc_for_lang(doc, "en") == "Every document number (编号) is used once."
    assert doc_for_lang(doc, "zh") == "每个编号只能用一次。"
    assert doc_for_lang("Only English.", "zh") == "Only English."
    # a Chinese paragraph full of config names is still Chinese
    mixed = "The config runs code.\n\n手册的 mkdocs.yml 设了 pymdownx.snippets 的 base_path、theme.custom_dir 或 INHERIT。"
    assert doc_for_lang(mixed, "en") == "The config runs code."


# -- org charts ---------------------------------------------------------------------


def test_wrap_keeps_lines_short_and_never_cuts_a_title() -> None:
    assert wrap("客服部经理") == ["客服部经理"]
    lines = wrap("非常" * 30)
    assert all(len(line) <= 12 for line in lines) and "".join(lines) == "非常" * 30
    assert wrap("Head of Customer Service Operations and Quality") == ["Head of Customer Service", "Operations and Quality"]


def _svg_nodes(svg: str) -> dict[str, tuple[str, str]]:
    """node id -> (link, label text) of a Graphviz SVG."""
    root = ET.fromstring(svg)
    out = {}
    for g in root.iter(f"{SVG}g"):
        if g.get("class") != "node":
            continue
        a = next(g.iter(f"{SVG}a"))
        out[g.get("id", "")] = (a.get(XLINK, ""), " ".join(t.text or "" for t in g.iter(f"{SVG}text")))
    return out


def test_department_chart_links_every_role(sample: Handbook) -> None:
    links = Links(department_src("customer-service"))
    [svg] = render_svgs([department_dot(sample, "customer-service", links)])
    assert "<!--" not in svg and "<?xml" not in svg and "graphviz version" not in svg
    nodes = _svg_nodes(svg)
    for role in sample.roles_in("customer-service"):
        href, text = nodes[f"rb-role-{role.id}"]
        assert href == f"../../roles/{role.id}.html"
        assert role.title in text and role.number in text
    assert nodes["rb-role-general-manager"][0] == "../../roles/general-manager.html"  # the superior outside, dashed
    assert 'font-family="Noto Sans CJK SC"' in svg


def test_organisation_chart_is_departments_with_headcounts(sample: Handbook) -> None:
    [svg] = render_svgs([organisation_dot(sample, Links("index.md"), stats(sample).total)])
    nodes = _svg_nodes(svg)
    assert len(nodes) == len(sample.departments)
    assert nodes["rb-org-customer-service"] == ("departments/customer-service/index.html", "客服部 8 人")


def test_chart_of_hostile_titles_is_well_formed_and_literal(tmp_path: Path) -> None:
    hb = handbook_of(tmp_path, hostile_files())
    [svg] = render_svgs([department_dot(hb, "evil", Links(department_src("evil")))])
    nodes = _svg_nodes(svg)
    assert nodes["rb-role-boss"][1].replace(" ", "").startswith(HOSTILE["title"].replace(" ", ""))
    assert nodes["rb-role-clerk"][1].startswith(HOSTILE["dot"])


def test_a_large_fan_out_is_drawn_as_a_grid(tmp_path: Path) -> None:
    files = minimal("en")
    for i in range(10):
        files[f"roles/cs/c{i}.yaml"] = (
            f"number: C-{i:02}\ntitle: Clerk {i}\nreports_to: boss\nheadcount: 1\nstatus: draft\nduties:\n  - duty: Work\n    kpis: [Speed]\n"
        )
    hb = handbook_of(tmp_path, files)
    dot = department_dot(hb, "cs", Links(department_src("cs")))
    assert "rankdir=TB" in dot and 'label="11 direct reports"' in dot
    rows = re.findall(r"\{ rank=same; ([^}]*)\}", dot)
    assert [row.count('";') for row in rows] == [4, 4, 3]  # 11 boxes, 4 to a row
    assert len(re.findall(r'^  "boss" -> ', dot, re.MULTILINE)) == 1  # one line to the grid, not 11
    [svg] = render_svgs([dot])
    nodes = _svg_nodes(svg)
    assert nodes["rb-role-clerk"][1] == "专员 T-002 · 2 people" and nodes["rb-role-c1"][1] == "Clerk 1 C-01 · 1 person"
    small = department_dot(handbook_of(tmp_path / "small", minimal()), "cs", Links(department_src("cs")))
    assert "rankdir=TB" in small and "rank=same" not in small and '"boss" -> "clerk";' in small


def test_a_wide_shallow_organisation_is_laid_out_left_to_right(tmp_path: Path) -> None:
    files = minimal("en")
    for i in range(8):  # four departments under cs, two under each of them: eight boxes side by side
        files[f"roles/d{i}/_department.yaml"] = f"name: Department {i}\nparent: {'cs' if i < 4 else f'd{i - 4}'}\n"
        files[f"roles/e{i}/_department.yaml"] = f"name: Unit {i}\nparent: d{i % 4}\n"
    hb = handbook_of(tmp_path, files)
    assert "rankdir=LR" in organisation_dot(hb, Links("index.md"), stats(hb).total)
    assert "rankdir=TB" in organisation_dot(handbook_of(tmp_path / "small", minimal()), Links("index.md"), {})


def test_render_pages_is_deterministic_and_complete(sample: Handbook) -> None:
    first = render_pages(sample)
    assert first == render_pages(sample)
    srcs = [p.src_uri for p in first]
    assert len(srcs) == len(set(srcs))
    assert {role_src(r.id) for r in sample.roles} <= set(srcs)
    assert {"index.md", "positions.md", "reference.md"} <= set(srcs)
    assert all(p.in_nav for p in first if p.src_uri.startswith("roles/"))  # the sidebar shows a role in its department


# -- front matter: JSON on one line, read back by MkDocs as YAML ---------------------


@given(st.text(), st.lists(st.text(), max_size=3))
@settings(max_examples=200)
def test_front_matter_reads_back_unchanged(title: str, footer: list[str]) -> None:
    from mkdocs.utils.meta import get_data

    from rolebook.render.front_matter import front_matter

    text = front_matter(title, rolebook={"footer": footer}, hide=["toc"])
    assert text.count("\n") == 4  # one line of metadata, whatever the text holds
    body, meta = get_data(text + "body\n")
    # a lone surrogate cannot come from a decoded file; MkDocs would drop such a page's metadata
    if any(0xD800 <= ord(ch) <= 0xDFFF for ch in title + "".join(footer)):
        return
    assert meta == {"title": title, "rolebook": {"footer": footer}, "hide": ["toc"]}
    assert body == "body\n"


@given(st.text(), st.lists(st.text(), max_size=3), st.text(alphabet="-.\n #ab:", max_size=12), st.one_of(st.integers(), st.floats(), st.booleans(), st.none()))
@settings(max_examples=300)
@example("\ud800", [], "", None)  # a lone surrogate: YAML refuses the metadata
@example("a", ["\ufeff\u2028"], "", 1)
@example('{"title": "\x85"}', [], "", None)
def test_front_matter_read_without_yaml_reads_as_mkdocs_reads_it(title: str, footer: list[str], after: str, number: object) -> None:
    from mkdocs.utils.meta import get_data

    from rolebook.render.front_matter import front_matter, read_front_matter

    written = front_matter(title, rolebook={"footer": footer}, hide=["toc"], n=number)
    for text in (written + after + "body\n", f"---\n{title}\n---\n{after}"):
        read = read_front_matter(text)
        if read is not None:  # (None: MkDocs reads the page itself)
            assert read == get_data(text)
    if not any(0xD800 <= ord(ch) <= 0xDFFF for ch in title + "".join(footer)):
        assert read_front_matter(front_matter(title, rolebook={"footer": footer})) is not None
