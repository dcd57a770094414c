"""The "What's new" page: changes since the previous release tag, or the last revisions, by department."""

from __future__ import annotations

from pathlib import Path

from rolebook.app.diff import whats_new
from rolebook.app.pipeline import check_handbook
from rolebook.model import Handbook
from rolebook.render.links import Links
from rolebook.render.pages import render_pages, site_nav
from rolebook.render.revisions import WHATS_NEW, whats_new_markdown
from tests.git_support import commit_all, edit, git, sample_repo, scratch_repo
from tests.scratch import minimal
from tests.test_diff import three_changes


def checked(root: Path) -> Handbook:
    result = check_handbook(root)
    assert result.handbook is not None
    return result.handbook


def test_changes_since_the_previous_release_tag(tmp_path: Path) -> None:
    root = sample_repo(tmp_path / "hb")
    git(root, "tag", "<b>v1</b>")
    three_changes(root)
    hb = checked(root)
    news = whats_new(root, hb)
    assert news is not None and news.base.tag == "<b>v1</b>"
    page = whats_new_markdown(news, Links(WHATS_NEW))
    assert page == (
        "# 最近更新\n\n"
        '<p class="rbs-news-since">自版本 &lt;b&gt;v1&lt;/b&gt;（2024 年 3 月 1 日）以来的改动。</p>\n\n'
        "## 客服部\n\n"
        '<ul class="rbs-news">\n'
        '<li><a href="roles/property-assistant.html">物业助理 改为向 客服主管 汇报，原为 前台组长</a></li>\n'
        '<li><a href="roles/property-assistant.html">物业助理 · 岗位职责 1 · 考核指标: 及时性 → 及时性、准确性</a></li>\n'
        '<li><a href="roles/night-clerk.html">新增岗位 夜班专员（客服部，2 人）</a></li>\n'
        "</ul>\n"
    )
    git(root, "tag", "v2")  # a build of the tagged release shows what is new in it: still since v1
    again = whats_new(root, hb)
    assert again is not None and again.base.tag == "<b>v1</b>"
    pages = render_pages(hb, news=news)
    assert [p.src_uri for p in pages if p.src_uri == WHATS_NEW] == [WHATS_NEW]
    assert {"最近更新": WHATS_NEW} in site_nav(hb, (), lambda k: {"whats_new": "最近更新"}.get(k, k), whats_new=True)


def test_without_a_tag_the_last_revisions(tmp_path: Path) -> None:
    root = scratch_repo(tmp_path / "hb", minimal("en"))
    for n in range(3, 15):
        edit(root, "roles/cs/clerk.yaml", f"headcount: {n - 1}", f"headcount: {n}")
        commit_all(root, f"clerks {n}", date=f"2024-03-{n:02d}T09:00:00+00:00")
    news = whats_new(root, checked(root))
    assert news is not None and news.base.tag is None
    page = whats_new_markdown(news, Links(WHATS_NEW))
    assert '<p class="rbs-news-since">Changes in the last 10 revisions, since 4 March 2024.</p>' in page
    assert '<li><a href="roles/clerk.html">专员 · Headcount: 4 → 14</a></li>' in page


def test_no_page_without_history(tmp_path: Path) -> None:
    root = scratch_repo(tmp_path / "hb", minimal("en"))
    assert whats_new(root, checked(root)) is None  # one commit: nothing to compare with
    plain = tmp_path / "plain"
    plain.mkdir()
    for rel, text in minimal("en").items():
        (plain / rel).parent.mkdir(parents=True, exist_ok=True)
        (plain / rel).write_text(text, encoding="utf-8")
    assert whats_new(plain, checked(plain)) is None
    assert WHATS_NEW not in [p.src_uri for p in render_pages(checked(plain))]
