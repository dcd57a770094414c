"""The site build's shortcuts give the same site: HTML blocks set aside while Markdown runs,
and role and department pages indexed for search per section from their HTML, without a parser."""

from __future__ import annotations

import json
from pathlib import Path

import markdown
import pytest
from mkdocs.config import load_config
from mkdocs.utils.meta import get_data

from bench.generate import generate
from rolebook.app.pipeline import check_handbook
from rolebook.model import Handbook
from rolebook.render import search
from rolebook.render.pages import join_html_blocks, render_pages, split_html_blocks
from tests.scratch import make_handbook
from tests.site_support import HOSTILE, SampleSite, hostile_files

REPO = Path(__file__).resolve().parent.parent


def _convert(source: str) -> tuple[str, object]:
    cfg = load_config(str(REPO / "mkdocs.yml"))
    md = markdown.Markdown(extensions=cfg["markdown_extensions"], extension_configs=cfg["mdx_configs"])
    return md.convert(source), md.toc_tokens  # type: ignore[attr-defined]


def _handbooks(tmp_path: Path) -> list[Handbook]:
    hostile = make_handbook(tmp_path / "hostile", hostile_files())
    generate(60, tmp_path / "generated")
    out = []
    for root in (REPO, hostile, tmp_path / "generated"):
        hb = check_handbook(root, use_cache=False).handbook
        assert hb is not None, root
        out.append(hb)
    return out


def test_setting_html_blocks_aside_gives_the_same_html_and_toc(tmp_path: Path) -> None:
    checked = 0
    for hb in _handbooks(tmp_path):
        for directory_urls in (False, True):
            for page in render_pages(hb, directory_urls=directory_urls):
                if not page.own_blocks:
                    continue
                source, _ = get_data(page.content)
                skeleton, blocks = split_html_blocks(source)
                assert blocks, page.src_uri
                assert sum(map(len, blocks)) > len(skeleton) / 2, page.src_uri  # most of the page is set aside
                full_html, full_toc = _convert(source)
                html, toc = _convert(skeleton)
                assert join_html_blocks(html, blocks) == full_html, page.src_uri
                assert toc == full_toc, page.src_uri
                checked += 1
    assert checked > 100


def test_only_whole_blocks_are_set_aside() -> None:
    source = "# T\n\n<p>a</p>\n\n<div>\n<p>b</p>\n</div>\n\ntext <b>c</b>\n\n<p>d</p>\n## not html\n"
    skeleton, blocks = split_html_blocks(source)
    assert blocks == ("<p>a</p>", "<div>\n<p>b</p>\n</div>")
    assert "text <b>c</b>" in skeleton and "<p>d</p>\n## not html" in skeleton
    assert join_html_blocks(skeleton, blocks) == source
    # a page that already holds something like a placeholder is left whole
    odd = source + "\n<!--rolebook-block-0-->\n"
    assert split_html_blocks(odd) == (odd, ())


def test_page_entries_are_one_per_section_without_what_is_excluded() -> None:
    page = (
        '<h1 id="t">Nurse &amp; co<a class="headerlink" href="#t">¶</a></h1>\n'
        '<div class="x" data-search-exclude><p>crumbs <div>nested</div> more</p></div>\n'
        "<p>lead</p>\n"
        '<h2 id="part-1">Part 1</h2>\n<table><thead><tr><th>Label</th></tr></thead>'
        "<tbody><tr><th>Number</th><td>C-1</td></tr><tr><td>x &lt;y&gt;</td></tr></tbody></table>\n"
        '<h3 id="g">Group</h3>\n<ul><li>one</li><li>two</li></ul>\n'
    )
    assert search.page_entries("roles/n.html", page) == [
        {"location": "roles/n.html", "title": "Nurse &amp; co", "text": "lead"},
        {"location": "roles/n.html#part-1", "title": "Part 1", "text": "C-1 x &lt;y&gt;"},
        {"location": "roles/n.html#g", "title": "Group", "text": "one two"},
    ]
    assert search.page_entries("p.html", "<p>no heading</p>") == [{"location": "p.html", "title": "", "text": "no heading"}]


@pytest.mark.slow
def test_role_and_department_pages_are_indexed_per_section(sample_site: SampleSite) -> None:
    index = json.loads((sample_site.path / "search" / "search_index.json").read_text(encoding="utf-8"))
    docs = index["docs"]
    hb = check_handbook(REPO, use_cache=False).handbook
    assert hb is not None
    for role in hb.roles:
        rel = f"roles/{role.id}.html"
        mine = [d for d in docs if str(d["location"]).split("#")[0] == rel]
        assert mine[0] == {**mine[0], "location": rel, "title": role.title}, mine[0]
        page = (sample_site.path / rel).read_text(encoding="utf-8")
        for d in mine[1:]:  # every section's anchor is on the page, and its text is short
            anchor = str(d["location"]).split("#", 1)[1]
            assert f'id="{anchor}"' in page, (rel, anchor)
            assert len(str(d["text"])) < 2000, d
        text = " ".join(str(d["text"]) for d in mine)
        assert role.number in text
        for duty in (d for g in role.duties for d in g.duties):
            assert duty.text in text and all(k in text for k in duty.kpis), (rel, duty.text)
        for item in (i for g in role.summary for i in g.items):
            assert item in text, (rel, item)
        if role.qualifications is not None and role.qualifications.education:
            assert role.qualifications.education in text, rel
        assert "\u200b" not in text  # no word segmentation: the search worker matches text as it is
    for dept in hb.departments:
        sections = [d for d in docs if str(d["location"]).startswith(f"departments/{dept.id}/index.html#")]
        assert sections, dept.id
    assert not [d for d in docs if str(d["location"]).startswith("positions")]  # the big table is not indexed twice
    about = [d for d in docs if str(d["location"]).startswith("about.html")]
    assert about and all(d["boost"] == search.OTHER_PAGE_BOOST for d in about)  # hand-written pages rank below roles


@pytest.mark.slow
def test_the_search_index_is_written_in_utf8(sample_site: SampleSite) -> None:
    """Chinese text as characters, not Material's ASCII escapes (twice the bytes for the browser to read)."""
    raw = (sample_site.path / "search" / "search_index.json").read_bytes()
    index = json.loads(raw)
    titles = [str(d["title"]) for d in index["docs"] if str(d["location"]).startswith("roles/")]
    assert titles and any(not t.isascii() for t in titles)
    assert all(t.encode("utf-8") in raw for t in titles if not t.isascii())
    assert b"\\u" not in raw.replace(b"\\\\", b"")  # no escapes left (a JSON string can still hold a backslash)
    assert raw == search.index_json(index).encode("utf-8")  # compact, one form
    script = (sample_site.path / "search" / "search_index.js").read_bytes()
    assert script == b"var __index = " + raw  # the copy for file:// is the same


def test_a_lone_surrogate_stays_escaped_in_the_index() -> None:
    text = search.index_json([{"title": "a\ud800b", "text": "物业"}])
    assert text == '[{"title":"a\\ud800b","text":"物业"}]'
    assert json.loads(text) == [{"title": "a\ud800b", "text": "物业"}]


@pytest.mark.slow
def test_the_site_uses_rolebooks_search_worker(sample_site: SampleSite) -> None:
    workers = list((sample_site.path / "assets" / "javascripts" / "workers").glob("search.*.min.js"))
    assert [w.read_text(encoding="utf-8") for w in workers] == [search.worker_source()]
    served = workers[0].read_text(encoding="utf-8")
    assert served.startswith(search.LUNR.read_text(encoding="utf-8").rstrip("\n"))  # lunr's pipeline, vendored
    assert "lunr.stemmer(" in served and "function porterStem" not in served


@pytest.mark.parametrize("field", ["title"])
def test_hostile_title_is_escaped_in_the_index(hostile_site: Path, field: str) -> None:
    docs = json.loads((hostile_site / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]
    boss = next(d for d in docs if d["location"] == "roles/boss.html")
    assert "<script" not in boss[field] and "&lt;" in boss[field]
    assert "<script" not in json.dumps(docs)
    assert HOSTILE["title"]
