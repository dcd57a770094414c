"""Each position's revision history, from one pass over ``git log``.

One ``git log --raw`` over the handbook's ``roles/`` lists every commit that touched a role file with
the blob ids before and after; one ``cat-file --batch`` brings every commit object and every blob at
once (never one git call per file or per commit). Each version of a role file is parsed (fast, no
positions) and compared with the one before it like ``diff`` compares snapshots, so a revision is a
commit that changed a position's data: a commit that only changed comments or formatting is none.

What is known is said: without git or outside a repository there is no history (``available``
False); in a shallow clone the oldest commit fetched has no parent to compare with, and the history
of a position that existed then starts "before <date>" (``since``) with no revision number derived.
The same repository state always gives the same history (git's own order; dates in the author's
time zone as recorded in the commit).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from rolebook.i18n import Lang, Messages
from rolebook.labels import date_text, label
from rolebook.load.cache import content_key
from rolebook.load.files import DEPARTMENT_FILE, MAX_FILE_BYTES, ROLE_SUFFIXES, ROLES_DIR
from rolebook.load.yamlstrict import parse_yaml
from rolebook.model import Handbook, Role, build_role
from rolebook.problems import Problem
from rolebook.revisions.compare import Change, Diff, role_field_changes
from rolebook.revisions.git import GitError, Repo, open_repo
from rolebook.revisions.report import change_line

NULL_SHA = frozenset({"0" * 40, "0" * 64})
MAX_LINES = 8  # field changes listed per revision; the rest are counted


@dataclass(frozen=True)
class Revision:
    """One commit that changed a position; ``number`` counts from its first version (None: not known)."""

    commit: str
    date: str  # YYYY-MM-DD, in the author's time zone
    author: str
    message: str  # the commit message's first line
    changes: tuple[str, ...]  # the field changes, as lines of text in the handbook's language
    number: int | None = None


@dataclass(frozen=True)
class RoleHistory:
    revisions: tuple[Revision, ...] = ()  # newest first
    since: str | None = None  # the history before this date is not available (a shallow clone)
    uncommitted: tuple[str, ...] = ()  # the work tree differs from the last commit: what differs

    @property
    def revision(self) -> Revision | None:
        """The latest revision, when its number is known."""
        return self.revisions[0] if self.revisions and self.revisions[0].number is not None else None


@dataclass(frozen=True)
class History:
    available: bool  # False: no git, or the handbook is not in a repository
    shallow: bool = False
    roles: Mapping[str, RoleHistory] = field(default_factory=dict)
    missing: str = ""  # why it is not available, when it was asked for: no-git, not-a-repository, failed

    def of(self, role_id: str) -> RoleHistory:
        return self.roles.get(role_id, RoleHistory())


NO_HISTORY = History(False)


@dataclass
class _Commit:
    sha: str
    grafted: bool  # a shallow clone's boundary: git shows it without parents
    entries: list[tuple[str, str, str]]  # (old blob, new blob, path inside the handbook)


def _role_path(path: str) -> tuple[str, str] | None:
    """(department, role id) of a role file path inside the handbook, None for anything else."""
    parts = path.split("/")
    if len(parts) != 3 or parts[0] != ROLES_DIR or parts[2] == DEPARTMENT_FILE:
        return None
    name = parts[2]
    if name.startswith((".", "_")) or parts[1].startswith(".") or not name.endswith(ROLE_SUFFIXES):
        return None
    return parts[1], name.rsplit(".", 1)[0]


def parse_log(out: bytes, prefix: str) -> list[_Commit]:
    """``git log -z --raw --format=%H%x20%P`` → commits (newest first) with their role-file entries."""
    commits: list[_Commit] = []
    tokens = out.split(b"\0")
    i = 0
    while i < len(tokens):
        token = tokens[i].lstrip(b"\n").decode("utf-8", "surrogateescape")
        i += 1
        if not token:
            continue
        if token.startswith(":"):
            meta = token[1:].split(" ")
            path = tokens[i].decode("utf-8", "surrogateescape") if i < len(tokens) else ""
            i += 1
            if commits and len(meta) >= 5 and path.startswith(prefix):
                commits[-1].entries.append((meta[2], meta[3], path[len(prefix) :]))
            continue
        sha, _, parents = token.partition(" ")
        commits.append(_Commit(sha, not parents.strip(), []))
    return commits


def parse_commit(raw: bytes) -> tuple[str, str, str, bool]:
    """(author name, date, first line of the message, whether it names a parent) of a commit object."""
    head, _, body = raw.partition(b"\n\n")
    author, date, has_parent = "", "", False
    for line in head.split(b"\n"):
        if line.startswith(b"parent "):
            has_parent = True
        elif line.startswith(b"author "):
            text = line[7:].decode("utf-8", "replace")
            name, _, rest = text.rpartition(" <")
            author = name.strip()
            stamp = rest.rpartition("> ")[2].split(" ")
            date = _date(stamp)
    message = body.decode("utf-8", "replace").strip().split("\n", 1)[0].strip()
    return author, date, message, has_parent


def _date(stamp: list[str]) -> str:
    try:
        seconds, tz = int(stamp[0]), stamp[1]
        sign = -1 if tz.startswith("-") else 1
        offset = timedelta(hours=int(tz[1:3]), minutes=int(tz[3:5])) * sign
        return datetime.fromtimestamp(seconds, timezone(offset)).date().isoformat()
    except (ValueError, IndexError, OverflowError, OSError):
        return "1970-01-01"


def parse_blob(data: bytes) -> dict[str, Any] | None:
    """A role file's data (strict YAML, no positions), None when it is not a mapping or not YAML."""
    try:
        doc = parse_yaml(data.decode("utf-8"), "", Messages("en"), positions=False)
    except UnicodeDecodeError:
        return None
    return None if isinstance(doc, Problem) or not isinstance(doc.data, dict) else doc.data


def _role(rid: str, dept: str, path: str, data: dict[str, Any] | None) -> Role | None:
    if data is None:
        return None
    try:
        return build_role(rid, dept, path, data, ())
    except (KeyError, TypeError, ValueError, AttributeError):
        return None


def _lines(old: Role, new: Role, hb: Handbook, msgs: Messages) -> tuple[str, ...]:
    """The field changes from ``old`` to ``new`` as lines, without the position's title in front."""
    view = Diff((), (), hb, hb)
    lines = []
    for fld, c in role_field_changes(old, new):
        change = Change("role", new.id, new.title, new.department, c.kind, fld, c.index, c.old_index, c.old, c.new)
        line = change_line(change, view, msgs)
        lines.append(line.removeprefix(new.title + " · "))
    if len(lines) > MAX_LINES:
        lines = [*lines[: MAX_LINES - 1], msgs.text("history/more", n=len(lines) - MAX_LINES + 1)]
    return tuple(lines)


def _same(a: Role, b: Role) -> bool:
    """Whether two versions of a position hold the same data (where the file is and its bytes aside)."""
    return a is b or replace(a, source="", digest="", subordinates=()) == replace(b, source="", digest="", subordinates=())


@dataclass
class _Log:
    """What one ``git log`` and one ``cat-file`` batch brought, parsed as it is needed (each blob once)."""

    commits: list[_Commit]
    objects: Mapping[str, bytes]
    headers: dict[str, tuple[str, str, str, bool]]
    digests: dict[str, str]
    data: dict[str, dict[str, Any] | None] = field(default_factory=dict)
    built: dict[tuple[str, str, str], Role | None] = field(default_factory=dict)

    def blob(self, sha: str) -> dict[str, Any] | None:
        if sha not in self.data:
            raw = self.objects.get(sha)
            self.data[sha] = None if raw is None else parse_blob(raw)
        return self.data[sha]


def _read_log(repo: Repo, roles: frozenset[str]) -> _Log:
    spec = repo.prefix + ROLES_DIR
    out = repo.run(["log", "-z", "--raw", "--no-abbrev", "--no-renames", "--no-merges", "--format=%H %P", "HEAD", "--", spec])
    commits = parse_log(out, repo.prefix)
    blobs = {s for c in commits for old, new, path in c.entries for s in (old, new) if s not in NULL_SHA and (_role_path(path) or ("", ""))[1] in roles}
    objects = repo.blobs([*blobs, *(c.sha for c in commits)], MAX_FILE_BYTES, ("blob", "commit"))
    headers = {c.sha: parse_commit(objects.get(c.sha, b"")) for c in commits}
    return _Log(commits, objects, headers, {sha: content_key("role", raw) for sha, raw in objects.items()})


class HistoryCache:
    """The git side of the history kept between reads (the live preview): read again only when the
    repository's HEAD moves (a commit, a checkout), it becomes or stops being shallow, or the set of
    positions changes. A save of a role file then costs one ``rev-parse``, not a whole ``git log``;
    what the work tree holds (the uncommitted changes) is compared again on every read."""

    def __init__(self) -> None:
        self._key: tuple[str, str, bool, frozenset[str]] | None = None
        self._log: _Log | None = None
        self.reads = 0  # how many times the log was read (for the curious, and the tests)

    def log(self, repo: Repo, roles: frozenset[str]) -> _Log:
        key = (str(repo.root), repo.commit("HEAD"), repo.shallow, roles)
        if self._log is None or key != self._key:
            self._log, self._key = None, None
            log = _read_log(repo, roles)
            self._log, self._key = log, key
            self.reads += 1
        return self._log

    @property
    def head(self) -> str | None:
        """The commit the kept history was read at."""
        return self._key[1] if self._key else None


def read_history(root: Path, hb: Handbook, cache: HistoryCache | None = None) -> History:
    """The history of every position of ``hb`` (the handbook at ``root``); not ``available`` without git,
    outside a repository or before its first commit, with ``missing`` saying which (the pages say it too).
    With ``cache``, the git log read for the same HEAD before is used again."""
    roles = frozenset(r.id for r in hb.roles)
    try:
        repo = open_repo(root)
        log = cache.log(repo, roles) if cache is not None else _read_log(repo, roles)
    except GitError as exc:
        return History(False, missing=exc.kind)
    return History(True, repo.shallow, _histories(log, hb, Messages(hb.settings.language)))


def _histories(log: _Log, hb: Handbook, msgs: Messages) -> dict[str, RoleHistory]:
    versions: dict[str, list[tuple[_Commit, Role | None, Role | None]]] = {}
    # the version the work tree holds is taken from the model, not parsed again; every other
    # blob is parsed once (and, with a cache, once for as long as HEAD stays)
    current = {r.digest: r for r in hb.roles if r.digest}
    known = {r.id for r in hb.roles}

    def version(sha: str, rid: str, dept: str, path: str) -> Role | None:
        same = current.get(log.digests.get(sha, ""))
        if same is not None and same.id == rid and same.department == dept:
            return same
        key = (sha, rid, dept)
        if key not in log.built:
            log.built[key] = _role(rid, dept, path, log.blob(sha))
        return log.built[key]

    for c in log.commits:
        touched: dict[str, list[Role | None]] = {}
        for old, new, path in c.entries:
            where = _role_path(path)
            if where is None or where[1] not in known:
                continue
            dept, rid = where
            pair = touched.setdefault(rid, [None, None])
            if old not in NULL_SHA:
                pair[0] = pair[0] or version(old, rid, dept, path)
            if new not in NULL_SHA:
                pair[1] = pair[1] or version(new, rid, dept, path)
        for rid, (before, after) in touched.items():
            versions.setdefault(rid, []).append((c, before, after))
    return {role.id: _role_history(role, versions.get(role.id, []), log.headers, hb, msgs) for role in hb.roles}


def _role_history(
    role: Role, versions: list[tuple[_Commit, Role | None, Role | None]], headers: Mapping[str, tuple[str, str, str, bool]], hb: Handbook, msgs: Messages
) -> RoleHistory:
    found: list[Revision] = []
    since = None
    for c, before, after in reversed(versions):  # oldest first
        author, date, message, has_parent = headers[c.sha]
        if c.grafted and has_parent:  # a shallow clone's oldest commit: what came before is not known
            since = date
            found = []
            continue
        if after is None and before is None:
            continue
        if before is not None and after is not None and _same(before, after):
            continue  # comments or formatting only
        if after is None:
            lines: tuple[str, ...] = (msgs.text("history/removed"),)
        elif before is None:
            lines = (msgs.text("history/created"),)
        else:
            lines = _lines(before, after, hb, msgs)
        found.append(Revision(c.sha, date, author, message, lines))
    if since is None:
        found = [replace(r, number=n) for n, r in enumerate(found, 1)]
    last = versions[0][2] if versions else None
    uncommitted: tuple[str, ...] = ()
    if last is None:
        uncommitted = (msgs.text("history/created"),)
    elif not _same(last, role):
        uncommitted = _lines(last, role, hb, msgs)
    return RoleHistory(tuple(reversed(found)), since, uncommitted)


def revision_label(history: RoleHistory, lang: Lang) -> str | None:
    """The revision a position's documents show when its file sets none: "3（2024 年 5 月 1 日）"."""
    rev = history.revision
    if rev is None or history.uncommitted:
        return None
    return label(lang, "revision_derived", n=rev.number, date=date_text(lang, rev.date))


def with_revisions(hb: Handbook, history: History) -> Handbook:
    """The handbook as published: a position whose file sets no revision gets the one its history derives."""
    if not history.available:
        return hb
    lang = hb.settings.language
    roles = []
    for r in hb.roles:
        derived = None if r.revision else revision_label(history.of(r.id), lang)
        roles.append(replace(r, revision=derived) if derived else r)
    return replace(hb, roles=tuple(roles))
