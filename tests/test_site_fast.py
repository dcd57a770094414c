"""The site build's shortcuts give the same site: HTML blocks set aside while Markdown runs,
and role pages indexed for search from the model (in a worker process)."""

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


def test_search_entries_in_a_worker_are_the_ones_made_here() -> None:
    items = [(f"roles/r{i}/", f"专员 <{i}>", f"D-{i:04d} 客服部 负责接待业主来访 kpi 及时性 & more") for i in range(search.CHUNK + 7)]
    here = search.make_entries(items)
    there = search.SearchEntries(items, workers=1).result()
    assert there == here
    assert here[3]["title"] == "专员\u200b &lt;3&gt;" or here[3]["title"].replace("\u200b", "") == "专员 &lt;3&gt;"
    assert "\u200b" in here[0]["text"] and "&amp;" in here[0]["text"]


@pytest.mark.slow
def test_role_pages_are_searchable_once_from_the_model(sample_site: SampleSite) -> None:
    index = json.loads((sample_site.path / "search" / "search_index.json").read_text(encoding="utf-8"))
    docs = index["docs"]
    hb = check_handbook(REPO, use_cache=False).handbook
    assert hb is not None
    role_docs = [d for d in docs if d["location"].startswith("roles/")]
    assert sorted(d["location"] for d in role_docs) == sorted(f"roles/{r.id}.html" for r in hb.roles)  # one each, no sections
    guide = next(d for d in role_docs if d["location"] == "roles/guide.html")
    text = guide["text"].replace("\u200b", "")
    role = hb.role("guide")
    assert role.number in text and hb.department(role.department).name in text
    duty = role.duties[0].duties[0]
    assert duty.text in text and duty.kpis[0] in text
    assert role.qualifications is not None and role.qualifications.education not in text  # not indexed: the same on many roles
    assert guide["title"].replace("\u200b", "") == role.title
    assert not [d for d in docs if d["location"].startswith("positions")]  # the big table is not indexed twice


@pytest.mark.parametrize("field", ["title"])
def test_hostile_title_is_escaped_in_the_index(hostile_site: Path, field: str) -> None:
    docs = json.loads((hostile_site / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]
    boss = next(d for d in docs if d["location"] == "roles/boss.html")
    assert "<script" not in boss[field] and "&lt;" in boss[field]
    assert "<script" not in json.dumps(docs)
    assert HOSTILE["title"]
