"""Reading a handbook's git history safely: one fixed argument list per call, no shell, no code of theirs.

A handbook repository is untrusted, and its ``.git/config`` can name commands: a pager, an external
diff or text conversion, an fsmonitor, hooks, a signature program for ``log``, transports for a lazy
fetch in a partial clone. Every call here runs ``git`` with

* a fixed argument list (``subprocess`` without a shell; revisions are checked first and passed
  after ``--end-of-options``, so a revision cannot be read as an option);
* ``-c`` options that switch all of those off (they are read after the repository's own config and
  win), and an environment without the caller's ``GIT_*`` variables, with system and global config
  off, no terminal prompts, no optional locks and no network protocol allowed;
* only reading commands (``rev-parse``, ``ls-tree``, ``log``, ``cat-file``) that never touch the
  work tree or the index; blobs come raw from ``cat-file --batch`` (no filters, no attributes).

Only paths inside the handbook's folder are asked for, and a whole revision (or a whole history) is
read in a fixed number of calls, never one call per file.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

SAFE_CONFIG: tuple[str, ...] = (
    "core.fsmonitor=false",
    "core.hooksPath=/dev/null",
    "core.pager=cat",
    "core.quotePath=false",
    "core.untrackedCache=false",
    "core.sshCommand=false",
    "core.askPass=false",
    "credential.helper=",
    "diff.external=",
    "diff.noprefix=false",
    "diff.renames=false",
    "log.showSignature=false",
    "log.decorate=false",
    "log.mailmap=false",
    "color.ui=never",
    "gpg.program=false",
    "protocol.allow=never",
    "i18n.logOutputEncoding=UTF-8",
)
TIMEOUT = 120  # seconds for one git call; a whole history of a large handbook takes a few


class GitError(Exception):
    """git could not answer: ``kind`` is one of no-git, not-a-repository, unknown-revision, failed."""

    def __init__(self, kind: str, detail: str = "") -> None:
        super().__init__(f"{kind}: {detail}")
        self.kind = kind
        self.detail = detail


def _environment() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(
        GIT_CONFIG_NOSYSTEM="1",
        GIT_CONFIG_GLOBAL=os.devnull,
        GIT_TERMINAL_PROMPT="0",
        GIT_OPTIONAL_LOCKS="0",
        GIT_ALLOW_PROTOCOL="none",
        GIT_NO_LAZY_FETCH="1",
        GIT_NO_REPLACE_OBJECTS="1",
        GIT_ATTR_NOSYSTEM="1",
        GIT_PAGER="cat",
        PAGER="cat",
        LC_ALL="C",
        LANGUAGE="C",
    )
    return env


@dataclass(frozen=True)
class Repo:
    """The git repository a handbook folder is in: ``prefix`` is the folder's path inside it ('' or 'a/b/')."""

    root: Path  # the handbook folder
    prefix: str
    git: str
    shallow: bool

    def run(self, args: Sequence[str], stdin: bytes | None = None) -> bytes:
        return _run(self.git, self.root, args, stdin)

    def commit(self, rev: str) -> str:
        """The full id of the commit ``rev`` names; GitError("unknown-revision") if none."""
        if not rev or rev.startswith("-") or "\0" in rev or "\n" in rev:
            raise GitError("unknown-revision", rev)
        try:
            out = self.run(["rev-parse", "--verify", "--quiet", "--end-of-options", f"{rev}^{{commit}}"])
        except GitError as exc:
            raise GitError("unknown-revision", rev) from exc
        return out.decode("ascii").strip()

    def tree(self, commit: str, under: str = "") -> list[tuple[str, str, str]]:
        """(mode, blob id, path inside the handbook) of the files of the handbook at ``commit``, under ``under``."""
        spec = self.prefix + under
        args = ["ls-tree", "-r", "-z", "--full-tree", "--end-of-options", commit]
        out = self.run([*args, "--", spec] if spec else args)
        found = []
        for entry in out.split(b"\0"):
            if not entry:
                continue
            meta, _, path = entry.partition(b"\t")
            mode, kind, sha = meta.decode("ascii").split(" ")
            name = path.decode("utf-8", "surrogateescape")
            if kind == "blob" and name.startswith(self.prefix):
                found.append((mode, sha, name[len(self.prefix) :]))
        return found

    def sizes(self, shas: Iterable[str], kinds: tuple[str, ...] = ("blob",)) -> dict[str, int]:
        """The size of each object of one of ``kinds``, in one ``cat-file --batch-check``."""
        wanted = sorted(set(shas))
        if not wanted:
            return {}
        out = self.run(["cat-file", "--batch-check=%(objectname) %(objecttype) %(objectsize)"], "".join(s + "\n" for s in wanted).encode())
        sizes = {}
        for line in out.decode("ascii", "replace").splitlines():
            parts = line.split(" ")
            if len(parts) == 3 and parts[1] in kinds:
                sizes[parts[0]] = int(parts[2])
        return sizes

    def blobs(self, shas: Iterable[str], limit: int, kinds: tuple[str, ...] = ("blob",)) -> dict[str, bytes]:
        """The raw content of each object of at most ``limit`` bytes, in one ``cat-file --batch`` (larger ones are left out)."""
        wanted = [s for s, n in self.sizes(shas, kinds).items() if n <= limit]
        if not wanted:
            return {}
        out = self.run(["cat-file", "--batch"], "".join(s + "\n" for s in wanted).encode())
        found: dict[str, bytes] = {}
        pos = 0
        while pos < len(out):
            end = out.index(b"\n", pos)
            header = out[pos:end].decode("ascii").split(" ")
            pos = end + 1
            if len(header) != 3:  # "<sha> missing"
                continue
            size = int(header[2])
            found[header[0]] = out[pos : pos + size]
            pos += size + 1
        return found


def _run(git: str, cwd: Path, args: Sequence[str], stdin: bytes | None = None) -> bytes:
    cmd = [git, "--no-pager", "--no-replace-objects"]
    for option in SAFE_CONFIG:
        cmd += ["-c", option]
    try:
        done = subprocess.run([*cmd, *args], cwd=cwd, input=stdin, capture_output=True, env=_environment(), timeout=TIMEOUT, check=False)
    except OSError as exc:
        raise GitError("no-git", str(exc)) from exc
    except subprocess.TimeoutExpired as exc:
        raise GitError("failed", f"git {args[0]}: timed out") from exc
    if done.returncode != 0:
        raise GitError("failed", done.stderr.decode("utf-8", "replace").strip())
    return done.stdout


def open_repo(root: Path) -> Repo:
    """The repository the handbook folder ``root`` is in; GitError if git is missing or it is in none."""
    git = shutil.which("git")
    if git is None:
        raise GitError("no-git")
    try:
        out = _run(git, root, ["rev-parse", "--is-inside-work-tree", "--show-prefix", "--is-shallow-repository"])
    except GitError as exc:
        if exc.kind == "failed":
            raise GitError("not-a-repository", exc.detail) from exc
        raise
    lines = out.decode("utf-8", "surrogateescape").split("\n")
    if len(lines) < 3 or lines[0] != "true":
        raise GitError("not-a-repository", str(root))
    return Repo(root, lines[1], git, lines[2] == "true")
