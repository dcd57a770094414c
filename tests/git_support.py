"""Scratch git repositories of handbooks, with fixed authors and dates (so their history is reproducible)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from tests.scratch import ONE_LANGUAGE, make_handbook

REPO = Path(__file__).resolve().parent.parent


def git(root: Path, *args: str, date: str = "2024-03-01T10:00:00+08:00", author: str = "Li Lei <li@example.com>") -> str:
    name, _, mail = author.partition(" <")
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(
        GIT_AUTHOR_NAME=name,
        GIT_AUTHOR_EMAIL=mail.rstrip(">"),
        GIT_COMMITTER_NAME=name,
        GIT_COMMITTER_EMAIL=mail.rstrip(">"),
        GIT_AUTHOR_DATE=date,
        GIT_COMMITTER_DATE=date,
        GIT_CONFIG_NOSYSTEM="1",
        GIT_CONFIG_GLOBAL=os.devnull,
    )
    done = subprocess.run(["git", "-c", "init.defaultBranch=main", *args], cwd=root, env=env, capture_output=True, text=True, check=True)
    return done.stdout


def commit_all(root: Path, message: str, **kw: str) -> None:
    git(root, "add", "-A")
    git(root, "commit", "-q", "--allow-empty", "-m", message, **kw)


def sample_repo(dest: Path) -> Path:
    """The sample handbook (rolebook.yml and roles/) in a new git repository with one commit."""
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copy(ONE_LANGUAGE / "rolebook.yml", dest / "rolebook.yml")
    shutil.copytree(ONE_LANGUAGE / "roles", dest / "roles")
    git(dest, "init", "-q")
    commit_all(dest, "手册初稿")
    return dest


def scratch_repo(dest: Path, files: dict[str, str | bytes], message: str = "first") -> Path:
    dest.mkdir(parents=True, exist_ok=True)
    make_handbook(dest, files)
    git(dest, "init", "-q")
    commit_all(dest, message)
    return dest


def edit(root: Path, rel: str, old: str, new: str) -> None:
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, (rel, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
