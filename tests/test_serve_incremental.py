"""``serve`` after an edit writes only the pages it changes — and those pages, and the search index, are
byte for byte what a full build writes; a broken edit keeps the last good pages and says why.

The rebuild is driven as the server drives it (``Preview.rebuild``), then the whole site is built again
from scratch into the same folder and every file compared. The browser side (the edit shows up, the
banner) is tests/test_serve_browser.py."""

from __future__ import annotations

import logging
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.scratch import BOSS, CLERK, ONE_LANGUAGE, make_handbook, minimal
from tests.site_support import free_port

REPO = Path(__file__).resolve().parent.parent


def _tree(site: Path) -> dict[str, bytes]:
    # sitemap.xml.gz carries the time it was compressed
    return {str(p.relative_to(site)): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file() and p.name != "sitemap.xml.gz"}


@contextmanager
def _preview(root: Path) -> Iterator[object]:
    from rolebook.commands.serve import preview
    from rolebook.outputs.site import mkdocs_config

    logger = logging.getLogger("mkdocs")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        with mkdocs_config(root) as config_file, preview(config_file, f"127.0.0.1:{free_port()}") as p:
            p.rebuild(p.config)
            yield p
    finally:
        logger.setLevel(level)


def _same_as_full_build(p: object) -> None:
    site: Path = p.site_dir  # type: ignore[attr-defined]
    partial = _tree(site)
    p.rebuild(p._fresh_config())  # type: ignore[attr-defined]  # the whole site again, from nothing
    assert p.last[0] == "full"  # type: ignore[attr-defined]
    full = _tree(site)
    assert partial.keys() == full.keys()
    differ = [name for name in full if partial[name] != full[name]]
    assert differ == []


def _sample(tmp_path: Path) -> Path:
    root = tmp_path / "hb"
    root.mkdir()
    shutil.copy(ONE_LANGUAGE / "rolebook.yml", root / "rolebook.yml")
    shutil.copytree(ONE_LANGUAGE / "roles", root / "roles")
    return root


@pytest.mark.slow
@pytest.mark.parametrize(
    ("what", "file", "old", "new", "pages"),
    [
        ("a duty", "customer-service/cs-supervisor", "duties:\n", "duties:\n  - duty: 新增的一条职责{n}\n    kpis: [新指标]\n", 1),  # its page only
        ("the number", "customer-service/cs-supervisor", "number: 客-002", "number: 客-002{n}", None),  # and the pages naming it
        ("the headcount", "customer-service/cs-supervisor", "headcount: 1", "headcount: {n}", None),  # departments above, home, list
        # a superior in another department: the new superior's page, the charts of both departments
        ("the superior", "lighting-mall/mall-cs", "\nheadcount:", "\nreports_to: product-manager\nheadcount:", None),
    ],
)
def test_a_partial_rebuild_writes_what_a_full_build_writes(tmp_path: Path, what: str, file: str, old: str, new: str, pages: int | None) -> None:
    root = _sample(tmp_path)
    path = root / f"roles/{file}.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text, what
    with _preview(root) as p:
        # the first edit of a position renders every page it may change; the second only those it does
        for n in ("2", "3") if what != "the superior" else ("", ""):
            path.write_text(text.replace(old, new.format(n=n), 1), encoding="utf-8")
            p.rebuild()  # type: ignore[attr-defined]
            assert p.last[0] == "pages", (what, p.problems)  # type: ignore[attr-defined]
        if what == "the superior":
            assert p.last[1] == 0  # type: ignore[attr-defined]  # the same edit again: nothing to write
        elif pages is not None:
            assert p.last[1] == pages, what  # type: ignore[attr-defined]
        _same_as_full_build(p)


def test_only_the_pages_an_edit_changes_are_written(tmp_path: Path) -> None:
    root = make_handbook(tmp_path / "hb", dict[str, str | bytes](minimal("en")))
    clerk = root / "roles/cs/clerk.yaml"
    with _preview(root) as p:
        site: Path = p.site_dir  # type: ignore[attr-defined]
        clerk.write_text(CLERK.replace("接听电话", "Answers the phone"), encoding="utf-8")
        p.rebuild()  # type: ignore[attr-defined]  # the first edit of a position renders the pages it may change
        assert p.last[0] == "pages"  # type: ignore[attr-defined]
        before = {name: (site / name).stat().st_mtime_ns for name in _tree(site)}
        clerk.write_text(CLERK.replace("接听电话", "Answers the phone, politely"), encoding="utf-8")
        p.rebuild()  # type: ignore[attr-defined]
        assert p.last[:2] == ("pages", 1)  # type: ignore[attr-defined]
        touched = {name for name, mtime in before.items() if (site / name).stat().st_mtime_ns != mtime}
        assert touched == {"roles/clerk.html", "search/search_index.json"} | ({"search/search_index.js"} & set(before))
        assert "Answers the phone, politely" in (site / "roles/clerk.html").read_text(encoding="utf-8")
        assert "Answers the phone, politely" in (site / "search/search_index.json").read_text(encoding="utf-8")
        # a change the pages do not show (a comment) writes nothing
        clerk.write_text("# a comment\n" + clerk.read_text(encoding="utf-8"), encoding="utf-8")
        p.rebuild()  # type: ignore[attr-defined]
        assert p.last[:2] == ("pages", 0)  # type: ignore[attr-defined]
        # a new title is in the navigation of many pages: everything is built again
        clerk.write_text(clerk.read_text(encoding="utf-8").replace("title: 专员", "title: 客服专员"), encoding="utf-8")
        p.rebuild()  # type: ignore[attr-defined]
        assert p.last[0] == "full"  # type: ignore[attr-defined]
        assert "客服专员" in (site / "roles/boss.html").read_text(encoding="utf-8")
        # a department edit changes the navigation: everything is built again
        (root / "roles/cs/_department.yaml").write_text("name: Customer care\n", encoding="utf-8")
        p.rebuild()  # type: ignore[attr-defined]
        assert p.last[0] == "full"  # type: ignore[attr-defined]
        assert "Customer care" in (site / "roles/clerk.html").read_text(encoding="utf-8")


def test_a_broken_edit_keeps_the_last_good_pages_and_says_why(tmp_path: Path) -> None:
    root = make_handbook(tmp_path / "hb", dict[str, str | bytes](minimal("en")))
    boss = root / "roles/cs/boss.yaml"
    with _preview(root) as p:
        site: Path = p.site_dir  # type: ignore[attr-defined]
        good = _tree(site)
        boss.write_text(BOSS.replace("headcount: 1", "headcount: <b>one</b>"), encoding="utf-8")
        p.rebuild()  # type: ignore[attr-defined]
        assert p.last[0] == "failed"  # type: ignore[attr-defined]
        assert _tree(site) == good
        banner = p.banner().decode()  # type: ignore[attr-defined]
        assert "roles/cs/boss.yaml:3:12: error [wrong-type]" in banner
        assert "&lt;b&gt;one&lt;/b&gt;" in banner and "<b>" not in banner  # what the user typed, escaped
        assert "This preview shows the last version without errors: 1 error(s) to fix first." in banner
        boss.write_text(BOSS.replace("部门管理", "Runs the team"), encoding="utf-8")
        p.rebuild()  # type: ignore[attr-defined]
        assert p.last[0] == "pages" and p.banner() == b""  # type: ignore[attr-defined]
        assert "Runs the team" in (site / "roles/boss.html").read_text(encoding="utf-8")
        _same_as_full_build(p)


@pytest.mark.slow
def test_the_history_is_read_again_only_after_a_commit(tmp_path: Path) -> None:
    """A save re-reads no git log (one rev-parse for HEAD) yet the page shows the uncommitted change;
    a new commit moves HEAD: the log is read again and the whole site shows the new revision."""
    from tests.git_support import commit_all, scratch_repo
    from tests.test_history import history_rows

    root = scratch_repo(tmp_path / "hb", minimal("en"))
    clerk = root / "roles/cs/clerk.yaml"
    with _preview(root) as p:
        site: Path = p.site_dir  # type: ignore[attr-defined]
        cache = p.history_cache  # type: ignore[attr-defined]
        assert cache.reads == 1
        assert history_rows((site / "roles/clerk.html").read_text(encoding="utf-8"))[1][0] == "1"
        clerk.write_text(CLERK.replace("headcount: 2", "headcount: 3"), encoding="utf-8")
        p.rebuild()  # type: ignore[attr-defined]
        assert p.last[0] == "pages" and cache.reads == 1  # type: ignore[attr-defined]
        rows = history_rows((site / "roles/clerk.html").read_text(encoding="utf-8"))
        assert rows[1] == ["—", "Not yet committed", "Headcount: 2 → 3"]
        _same_as_full_build(p)  # the partial page is what a full build writes
        reads = cache.reads
        assert reads == 1  # the full build too took the log it had
        commit_all(root, "three clerks", date="2024-04-02T09:00:00+00:00")
        p.rebuild()  # type: ignore[attr-defined]
        assert p.last[0] == "full" and cache.reads == 2  # type: ignore[attr-defined]
        rows = history_rows((site / "roles/clerk.html").read_text(encoding="utf-8"))
        assert [row[:2] for row in rows[1:]] == [["2", "2 April 2024"], ["1", "1 March 2024"]]
