"""Revision history on role pages and the revision the documents carry, from scratch git repositories."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from html import unescape
from pathlib import Path

import pypdf
import pytest

from rolebook.app.pipeline import check_handbook
from rolebook.render.pages import Renderer
from rolebook.revisions.history import read_history
from tests.git_support import commit_all, edit, git, sample_repo, scratch_repo
from tests.scratch import minimal
from tests.test_diff import PA, three_changes

REPO = Path(__file__).resolve().parent.parent
HOSTILE_AUTHOR = "<script>alert('a')</script> **Bold** {{ 7*7 }} <mallory@example.com>"
HOSTILE_MESSAGE = "<img src=x onerror=alert(1)> # not a heading [link](javascript:alert(1)) {% raw %} {{ 7*7 }} | x |"


def history_rows(html: str) -> list[list[str]]:
    """The cells of the revision history table of a built role page, as visible text."""
    table = re.search(r'<table class="rbs-table rbs-history".*?</table>', html, re.S)
    assert table is not None, "no revision history"
    rows = re.findall(r"<tr>(.*?)</tr>", table.group(0), re.S)
    return [
        [unescape(re.sub(r"<br ?/?>", " / ", re.sub(r"<(?!br)[^>]+>", "", c))).strip() for c in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row, re.S)]
        for row in rows
    ]


def page_of(root: Path, role_id: str) -> str:
    result = check_handbook(root)
    assert result.handbook is not None
    return Renderer(result.published, history=result.history).role_page(result.published.role(role_id)).content


def test_history_lists_every_revision_newest_first(tmp_path: Path) -> None:
    root = sample_repo(tmp_path / "hb")
    three_changes(root)
    edit(root, PA, "# 原文未写人数，暂按 1 人。\n", "# 一条新注释\n")  # a comment: not a revision
    commit_all(root, "注释", date="2024-06-01T09:00:00+08:00")
    rows = history_rows(page_of(root, "property-assistant"))
    assert rows == [
        ["版本", "日期", "修订人", "说明", "改动"],
        [
            "2",
            "2024 年 4 月 1 日",
            "Li Lei",
            "物业助理改由客服主管领导",
            "物业助理 改为向 客服主管 汇报，原为 前台组长 / 岗位职责 1 · 考核指标: 及时性 → 及时性、准确性",
        ],
        ["1", "2024 年 3 月 1 日", "Li Lei", "手册初稿", "新建"],
    ]
    assert history_rows(page_of(root, "night-clerk"))[1:] == [["1", "2024 年 5 月 1 日", "Li Lei", "新增夜班专员", "新建"]]


def test_uncommitted_changes_are_shown_and_carry_no_revision(tmp_path: Path) -> None:
    root = scratch_repo(tmp_path / "hb", minimal("en"))
    edit(root, "roles/cs/clerk.yaml", "headcount: 2", "headcount: 3")
    page = page_of(root, "clerk")
    assert history_rows(page)[1] == ["—", "Not yet committed", "Headcount: 2 → 3"]
    result = check_handbook(root)
    assert result.published.role("clerk").revision is None
    assert result.published.role("boss").revision == "1 (1 March 2024)"


def test_a_revision_set_in_the_file_wins(tmp_path: Path) -> None:
    files = minimal("en")
    files["roles/cs/boss.yaml"] = files["roles/cs/boss.yaml"].replace("headcount: 1\n", "headcount: 1\nrevision: A/2\n")
    root = scratch_repo(tmp_path / "hb", files)
    result = check_handbook(root)
    assert result.published.role("boss").revision == "A/2"
    assert result.handbook is not None and result.handbook.role("clerk").revision is None  # the model itself is untouched
    assert result.published.role("clerk").revision == "1 (1 March 2024)"


def test_without_git_there_is_no_section(tmp_path: Path) -> None:
    root = scratch_repo(tmp_path / "hb", minimal("en"))
    copy = tmp_path / "zip"
    shutil.copytree(root, copy, ignore=shutil.ignore_patterns(".git"))
    assert "rbs-history" not in page_of(copy, "boss")
    assert "rbs-history" in page_of(root, "boss")


def test_shallow_clone_says_what_is_not_known(tmp_path: Path) -> None:
    root = scratch_repo(tmp_path / "hb", minimal("en"))
    edit(root, "roles/cs/clerk.yaml", "headcount: 2", "headcount: 3")
    commit_all(root, "three clerks", date="2024-04-02T09:00:00+00:00")
    edit(root, "roles/cs/clerk.yaml", "headcount: 3", "headcount: 4")
    commit_all(root, "four clerks", date="2024-05-02T09:00:00+00:00")
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--depth", "2", f"file://{root}", str(clone))
    page = page_of(clone, "clerk")
    assert "History before 2 April 2024 is not available (the clone is shallow)." in page
    assert history_rows(page)[1:] == [["—", "2 May 2024", "Li Lei", "four clerks", "Headcount: 3 → 4"]]
    assert check_handbook(clone).published.role("clerk").revision is None  # no number without the whole history
    full = history_rows(page_of(root, "clerk"))
    assert [row[0] for row in full[1:]] == ["3", "2", "1"]


def hostile_commit(root: Path, message: str) -> None:
    """Commit what is staged with an author name git itself would not write (it strips '<' and '>'): a
    hostile repository can hold any bytes in a commit object."""
    git(root, "add", "-A")
    tree = git(root, "write-tree").strip()
    parent = git(root, "rev-parse", "HEAD").strip()
    body = f"tree {tree}\nparent {parent}\nauthor {HOSTILE_AUTHOR} 1712048400 +0000\ncommitter x <x@x> 1712048400 +0000\n\n{message}\n"
    sha = (
        subprocess.run(["git", "hash-object", "-t", "commit", "-w", "--stdin"], cwd=root, input=body.encode(), capture_output=True, check=True)
        .stdout.decode()
        .strip()
    )
    git(root, "update-ref", "HEAD", sha)


def test_author_and_message_are_shown_literally(tmp_path: Path) -> None:
    root = scratch_repo(tmp_path / "hb", minimal("en"))
    edit(root, "roles/cs/clerk.yaml", "headcount: 2", "headcount: 3")
    hostile_commit(root, HOSTILE_MESSAGE + "\n\nbody <b>x</b>")
    page = page_of(root, "clerk")
    assert "<script>" not in page and "<img" not in page and "javascript:alert" not in page.replace("javascript:alert(1))", "")
    row = history_rows(page)[1]
    assert row[2] == "<script>alert('a')</script> **Bold** {{ 7*7 }}"
    assert row[3] == HOSTILE_MESSAGE


def test_history_is_the_same_for_the_same_repository(tmp_path: Path) -> None:
    root = sample_repo(tmp_path / "hb")
    three_changes(root)
    first = check_handbook(root)
    assert first.handbook is not None
    assert read_history(root, first.handbook) == read_history(root, first.handbook)
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", f"file://{root}", str(clone))
    again = check_handbook(clone)
    assert again.handbook is not None
    assert page_of(clone, "property-assistant") == page_of(root, "property-assistant")


@pytest.mark.slow
def test_site_and_pdf_show_the_same_revision(tmp_path: Path) -> None:
    """Through the real CLI: the role page (its basic-information table, its footer, its history) and the PDF."""
    root = scratch_repo(tmp_path / "hb", minimal("en"))
    edit(root, "roles/cs/clerk.yaml", "headcount: 2", "headcount: 3")
    hostile_commit(root, HOSTILE_MESSAGE)
    r = subprocess.run([sys.executable, str(REPO / "build.py"), "build", str(root)], capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    html = (root / "site/roles/clerk.html").read_text(encoding="utf-8")
    assert "2 (2 April 2024)" in html
    assert "<script>alert" not in html and "<img src=x" not in html
    assert [row[:2] for row in history_rows(html)[1:]] == [["2", "2 April 2024"], ["1", "1 March 2024"]]
    news = (root / "site/whats-new.html").read_text(encoding="utf-8")
    assert '<a href="../roles/clerk.html">专员 · Headcount: 2 → 3</a>' in news or '<a href="roles/clerk.html">专员 · Headcount: 2 → 3</a>' in news
    text = " ".join(page.extract_text() for page in pypdf.PdfReader(root / "site/pdf/roles/clerk.pdf").pages)
    assert "2 (2 April 2024)" in " ".join(text.split())
