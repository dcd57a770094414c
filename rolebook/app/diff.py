"""``diff``: which two snapshots of a handbook to compare, each loaded through the normal pipeline.

A snapshot is the work tree (the handbook folder as it is), a git revision of it (its files written
into a scratch folder under the temporary folder, then read and checked like any handbook; nothing
is written into the handbook), or another handbook folder.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

from rolebook.app.pipeline import build_handbook, check_handbook
from rolebook.i18n import Lang, Messages
from rolebook.load.files import ROLES_DIR, SETTINGS_FILE
from rolebook.model import Handbook
from rolebook.problems import Problem
from rolebook.revisions.compare import Diff, compare
from rolebook.revisions.git import GitError, Repo, open_repo
from rolebook.revisions.news import News, news_base
from rolebook.revisions.snapshot import extract


@dataclass(frozen=True)
class Side:
    """One side of a comparison: a git revision of ``folder`` (``rev`` set) or the folder as it is."""

    folder: Path
    rev: str | None = None


@dataclass(frozen=True)
class Plan:
    root: Path  # the handbook the messages' language comes from (the newer side's folder)
    old: Side
    new: Side


class DiffError(Exception):
    """Why the comparison cannot be made: an i18n message id and its arguments; ``usage``: exit code 2."""

    def __init__(self, msg_id: str, usage: bool = True, **args: object) -> None:
        super().__init__(msg_id)
        self.msg_id = msg_id
        self.usage = usage
        self.args_ = args

    def message(self, msgs: Messages) -> str:
        return msgs.text(self.msg_id, **self.args_)


# Errors that leave every file well-formed and the model sound: rules about the document's control
# (who approved it, when) that a revision written before the rule existed may break.
POLICY_CODES = frozenset({"approval-missing"})


def looks_like_handbook(path: Path) -> bool:
    return path.is_dir() and ((path / ROLES_DIR).is_dir() or (path / SETTINGS_FILE).is_file())


def _is_revision_like(name: str) -> bool:
    return name.startswith(("HEAD", "@")) or "~" in name or "^" in name


def plan(names: list[str], cwd: Path) -> Plan:
    """What ``rolebook diff [REV_A] [REV_B] [HANDBOOK_DIR]`` (or ``diff DIR_A DIR_B``) compares.

    A name that is a handbook folder is a folder, and so is the last name if it is any folder; any
    other name is a revision. No revision: the last commit
    and the work tree; one: it and the work tree; two folders and nothing else: the two folders.
    """
    folders = [looks_like_handbook(cwd / n) for n in names]
    if len(names) == 2 and all(folders):
        return Plan((cwd / names[1]).absolute(), Side((cwd / names[0]).absolute()), Side((cwd / names[1]).absolute()))
    root = cwd
    revs = list(names)
    if names and (folders[-1] or ((cwd / names[-1]).is_dir() and not _is_revision_like(names[-1]))):
        root = (cwd / names[-1]).absolute()
        revs = names[:-1]
    if len(revs) > 2:
        raise DiffError("diff/too-many")
    if not revs:
        return Plan(root, Side(root, "HEAD"), Side(root))
    if len(revs) == 1:
        return Plan(root, Side(root, revs[0]), Side(root))
    return Plan(root, Side(root, revs[0]), Side(root, revs[1]))


def _failed(problems: tuple[Problem, ...], label: str) -> DiffError:
    errors = [p for p in problems if p.severity == "error"]
    first = errors[0]
    return DiffError("diff/snapshot-failed", usage=False, rev=label, errors=len(errors), first=f"{first.path}:{first.line}:{first.col}: {first.message}")


def _folder_snapshot(folder: Path, lang: Lang | None, label: str) -> tuple[Handbook, Messages]:
    result = check_handbook(folder, lang)
    if result.handbook is None:
        raise _failed(result.problems, label)
    return result.handbook, result.msgs


def _revision_snapshot(repo: Repo, rev: str, lang: Lang | None) -> tuple[Handbook, Messages]:
    commit = repo.commit(rev)
    with tempfile.TemporaryDirectory(prefix="rolebook-rev-") as scratch:
        folder = Path(scratch)
        extract(repo, commit, folder)
        if not (folder / ROLES_DIR).is_dir():  # the handbook did not exist yet: an empty one
            result = check_handbook(folder, lang, use_cache=False, recover=False)
            return Handbook(folder, result.settings, (), ()), result.msgs
        result = check_handbook(folder, lang, use_cache=False, recover=False, workers=0)
        if result.handbook is not None:
            return result.handbook, result.msgs
        if all(p.code in POLICY_CODES for p in result.problems if p.severity == "error"):
            # well-formed files that break a document-control rule of today's rolebook (an old revision
            # approved without an approval date): what they say can still be compared
            return build_handbook(folder, result.settings, result.context), result.msgs
        raise _failed(result.problems, rev)


def _git_error(exc: GitError, root: Path) -> DiffError:
    if exc.kind == "no-git":
        return DiffError("diff/no-git")
    if exc.kind == "not-a-repository":
        return DiffError("diff/not-a-repository", path=str(root))
    if exc.kind == "unknown-revision":
        return DiffError("diff/unknown-revision", rev=exc.detail)
    return DiffError("diff/git-failed", usage=False, detail=exc.detail)


def snapshot(side: Side, lang: Lang | None, repos: dict[Path, Repo], work_tree: str) -> tuple[Handbook, Messages]:
    if side.rev is None:
        return _folder_snapshot(side.folder, lang, work_tree)
    try:
        repo = repos.get(side.folder) or repos.setdefault(side.folder, open_repo(side.folder))
        return _revision_snapshot(repo, side.rev, lang)
    except GitError as exc:
        raise _git_error(exc, side.folder) from None


@dataclass(frozen=True)
class Compared:
    diff: Diff
    msgs: Messages
    old: Side
    new: Side
    old_commit: str | None
    new_commit: str | None


def run_diff(p: Plan, lang: Lang | None) -> Compared:
    """Load both sides (the older first) and compare them; raises DiffError."""
    repos: dict[Path, Repo] = {}
    first = Messages(lang or "zh")
    commits: list[str | None] = []
    for side in (p.old, p.new):
        if side.rev is None:
            commits.append(None)
            continue
        try:
            repo = repos.get(side.folder) or repos.setdefault(side.folder, open_repo(side.folder))
            commits.append(repo.commit(side.rev))
        except GitError as exc:
            raise _git_error(exc, side.folder) from None
    old, _ = snapshot(p.old, lang, repos, first.text("diff/work-tree"))
    new, msgs = snapshot(p.new, lang, repos, first.text("diff/work-tree"))
    return Compared(compare(old, new), msgs, p.old, p.new, commits[0], commits[1])


def whats_new(root: Path, hb: Handbook) -> News | None:
    """The "What's new" page's comparison: the checked handbook against its previous release (or a
    few revisions back, rolebook/revisions/news.py); None without history or when the base fails."""
    try:
        repo = open_repo(root)
        base = news_base(repo)
        if base is None:
            return None
        old, _ = _revision_snapshot(repo, base.commit, hb.settings.language)
    except (GitError, DiffError):
        return None
    return News(compare(old, hb), base)
