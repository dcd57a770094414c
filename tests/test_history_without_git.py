"""Through the real CLI: without git (a copy without .git, or git not installed) and in a shallow
clone, ``build --no-pdf`` and ``diff`` still work, and the role pages say what is not known."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.git_support import commit_all, edit, git, scratch_repo
from tests.scratch import minimal
from tests.test_history import history_rows

REPO = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.slow  # whole site builds


def rolebook(*args: str, path: str | None = None) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    if path is not None:
        env["PATH"] = path
    return subprocess.run([sys.executable, str(REPO / "build.py"), *args], capture_output=True, text=True, timeout=300, env=env)


def no_git_path(tmp_path: Path) -> str:
    """A PATH on which there is no git: a folder holding only the other programs a site build runs (Graphviz)."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(exist_ok=True)
    dot = shutil.which("dot")
    assert dot is not None
    (bin_dir / "dot").symlink_to(dot)
    assert shutil.which("git", path=str(bin_dir)) is None
    return str(bin_dir)


def role_html(root: Path, role_id: str) -> str:
    return (root / "site" / "roles" / f"{role_id}.html").read_text(encoding="utf-8")


def test_a_copy_without_git_history_builds_and_says_so(tmp_path: Path) -> None:
    root = scratch_repo(tmp_path / "hb", minimal("en"))
    copy = tmp_path / "zip"
    shutil.copytree(root, copy, ignore=shutil.ignore_patterns(".git"))
    r = rolebook("build", "--no-pdf", str(copy))
    assert r.returncode == 0, r.stderr
    html = role_html(copy, "boss")
    assert "The revision history is not shown: this copy of the handbook has no git history (e.g. a downloaded zip)." in html
    assert "rbs-history" not in html and "未显示" not in html  # no table, and no Chinese in an English handbook


def test_without_git_installed_build_and_folder_diff_work(tmp_path: Path) -> None:
    root = scratch_repo(tmp_path / "hb", minimal("zh"))
    path = no_git_path(tmp_path)
    r = rolebook("build", "--no-pdf", str(root), path=path)
    assert r.returncode == 0, r.stderr
    html = role_html(root, "boss")
    assert "未显示修订记录：生成本网站的电脑上没有安装 git。" in html
    assert "not shown" not in html
    other = tmp_path / "other"
    shutil.copytree(root, other, ignore=shutil.ignore_patterns(".git", "site"))
    edit(other, "roles/cs/clerk.yaml", "headcount: 2", "headcount: 3")
    d = rolebook("diff", str(root), str(other), path=path)
    assert d.returncode == 0, d.stderr
    assert "2 → 3" in d.stdout
    d = rolebook("diff", str(root), path=path)  # revisions need git: said, not a traceback
    assert d.returncode == 2 and "没有安装 git" in d.stderr and "Traceback" not in d.stderr


def test_a_shallow_clone_builds_and_diffs(tmp_path: Path) -> None:
    root = scratch_repo(tmp_path / "hb", minimal("en"))
    edit(root, "roles/cs/clerk.yaml", "headcount: 2", "headcount: 3")
    commit_all(root, "three clerks", date="2024-04-02T09:00:00+00:00")
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{root}", str(clone))
    r = rolebook("build", "--no-pdf", str(clone))
    assert r.returncode == 0, r.stderr
    html = role_html(clone, "clerk")
    assert "History before 2 April 2024 is not available (the clone is shallow)." in html
    assert history_rows(html)[1:] == []  # nothing known after the boundary, and no number made up
    edit(clone, "roles/cs/clerk.yaml", "headcount: 3", "headcount: 4")
    d = rolebook("diff", str(clone))
    assert d.returncode == 0, d.stderr
    assert "3 → 4" in d.stdout
