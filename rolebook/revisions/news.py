"""What the "What's new" page compares the handbook with: the previous release tag, or a few revisions back.

The base is the newest tag reachable from the last commit's parent (so a build of a tagged release
shows what is new in it, and a build after it what is new since), else the state
``REVISIONS_BACK`` commits that touched ``roles/`` ago. None when the handbook has no history
to speak of (no git, one commit).
"""

from __future__ import annotations

from dataclasses import dataclass

from rolebook.load.files import ROLES_DIR
from rolebook.revisions.compare import Diff
from rolebook.revisions.git import GitError, Repo
from rolebook.revisions.history import parse_commit

REVISIONS_BACK = 10


@dataclass(frozen=True)
class Base:
    commit: str
    date: str
    tag: str | None  # the release tag, or None: ``revisions`` commits back
    revisions: int


@dataclass(frozen=True)
class News:
    diff: Diff
    base: Base


def news_base(repo: Repo, back: int = REVISIONS_BACK) -> Base | None:
    """The commit the "What's new" page starts from; None if there is none to compare with."""
    try:
        touched = repo.run(["log", "--format=%H", f"-n{back + 1}", "HEAD", "--", repo.prefix + ROLES_DIR]).decode("ascii").split()
    except GitError:
        return None
    tag = None
    try:
        tag = repo.run(["describe", "--tags", "--abbrev=0", "HEAD^"]).decode("utf-8", "replace").strip() or None
    except GitError:
        tag = None
    if tag is not None:
        try:
            commit = repo.commit(f"refs/tags/{tag}")
        except GitError:
            tag = None
    if tag is None:
        if len(touched) < 2:
            return None
        commit = touched[min(back, len(touched) - 1)]
    objects = repo.blobs([commit], 1 << 20, ("commit",))
    date = parse_commit(objects.get(commit, b""))[1]
    newer = touched.index(commit) if commit in touched else len(touched)
    return Base(commit, date, tag, newer)
