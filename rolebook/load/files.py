"""Find the handbook's files and read them as text, refusing what is not safe to read."""

from __future__ import annotations

import errno
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, NamedTuple

from rolebook.i18n import Messages
from rolebook.problems import Problem
from rolebook.safepath import UnsafePath, owned

MAX_FILE_BYTES = 1_000_000
SETTINGS_FILE = "rolebook.yml"
ROLES_DIR = "roles"
SCHEMA_FOLDER = "schema"  # a handbook's copies of rolebook's schemas, which its files' modelines point at
DEPARTMENT_FILE = "_department.yaml"
ROLE_SUFFIXES = (".yaml", ".yml")
DOCS_DIR = "docs"
MKDOCS_FILE = "mkdocs.yml"
CACHE_DIR = ".rolebook-cache"
BACKUP_DIR = ".rolebook-backup"
OWN_DIRS = (CACHE_DIR, BACKUP_DIR)  # rolebook's own folders in a handbook: no symbolic links in them at all

Kind = Literal["settings", "department", "role"]
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")


@dataclass(frozen=True)
class SourceFile:
    """One file of the handbook: ``rel`` is its path inside the handbook, with '/'."""

    rel: str
    kind: Kind
    ident: str  # role id (file stem) or department id (folder name); "" for settings
    department: str  # the department folder; "" for settings


def _line_col(data: bytes, index: int) -> tuple[int, int]:
    before = data[:index]
    line = before.count(b"\n") + 1
    start = before.rfind(b"\n") + 1
    col = len(before[start:].decode("utf-8", errors="replace")) + 1
    return line, col


class NotUtf8(NamedTuple):
    """What bytes that are not UTF-8 look like: the encoding, and the line, column and value of the first byte that is not UTF-8."""

    encoding: Literal["UTF-16", "GB18030", "unknown"]
    line: int = 1
    col: int = 1
    byte: int = 0


def utf8_text(data: bytes) -> str | NotUtf8:
    """``data`` (a UTF-8 BOM already taken off) as text, or what it looks like instead.
    Shared by the handbook's files and by the CSV and JSON files ``import`` reads."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or (len(data) > 1 and data.count(b"\x00") * 4 >= len(data)):
        return NotUtf8("UTF-16")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, col = _line_col(data, exc.start)
        try:
            looks_gbk = any(0x4E00 <= ord(ch) <= 0x9FFF for ch in data.decode("gb18030"))
        except UnicodeDecodeError:
            looks_gbk = False
        return NotUtf8("GB18030" if looks_gbk else "unknown", line, col, data[exc.start])


def decode(data: bytes, rel: str, msgs: Messages) -> str | Problem:
    """UTF-8 (a BOM is fine) or a problem that names the likely encoding and the fix."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    text = utf8_text(data)
    if isinstance(text, NotUtf8):
        if text.encoding == "UTF-16":
            return Problem(rel, 1, 1, "error", "encoding", msgs.text("encoding/utf16"), msgs.hint("encoding", enc="UTF-16", path=rel))
        if text.encoding == "GB18030":
            return Problem(rel, text.line, text.col, "error", "encoding", msgs.text("encoding/gbk"), msgs.hint("encoding", enc="GB18030", path=rel))
        return Problem(
            rel, text.line, text.col, "error", "encoding", msgs.text("encoding/unknown", byte=text.byte), msgs.hint("encoding", enc="<encoding>", path=rel)
        )
    bad = _CONTROL.search(text)
    if bad:
        line = text.count("\n", 0, bad.start()) + 1
        col = bad.start() - (text.rfind("\n", 0, bad.start()) + 1) + 1
        if bad.group() == "\x00":
            return Problem(rel, line, col, "error", "encoding", msgs.text("encoding/nul"))
        return Problem(rel, line, col, "error", "yaml-syntax", msgs.text("yaml-syntax", detail=f"control character U+{ord(bad.group()):04X}"))
    return text


def read_bytes(root: Path, rel: str, msgs: Messages) -> bytes | Problem:
    """Read one handbook file safely: inside the handbook, a regular file, not too large.

    Opened without following a link and without waiting (a FIFO would hang a plain open),
    then checked with fstat: no lstat of a path per file (at 10,000 files it shows); os-level
    reads sized from fstat (a buffered read(MAX_FILE_BYTES) allocates a megabyte per file).
    """
    path = f"{root}/{rel}"
    try:
        try:
            fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
        except OSError as exc:
            if exc.errno != errno.ELOOP:  # ELOOP: it is a symbolic link
                raise
            real = os.path.realpath(path)
            if os.path.commonpath([real, os.path.realpath(root)]) != os.path.realpath(root):
                return Problem(rel, 0, 0, "error", "symlink-outside", msgs.text("symlink-outside", target=os.readlink(path)))
            if not stat.S_ISREG(os.stat(real).st_mode):
                return Problem(rel, 0, 0, "error", "not-a-file", msgs.text("not-a-file", name=os.path.basename(rel)))
            fd = os.open(real, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
        try:
            st = os.fstat(fd)
            if not stat.S_ISREG(st.st_mode):  # a folder, a FIFO, a device …
                return Problem(rel, 0, 0, "error", "not-a-file", msgs.text("not-a-file", name=os.path.basename(rel)))
            if st.st_size > MAX_FILE_BYTES:
                return Problem(rel, 0, 0, "error", "file-too-large", msgs.text("file-too-large", size=st.st_size, limit=MAX_FILE_BYTES))
            data = os.read(fd, st.st_size + 1)
            if len(data) > st.st_size:  # it grew since fstat: read on, up to the limit
                chunks = [data]
                while sum(map(len, chunks)) <= MAX_FILE_BYTES and (more := os.read(fd, 1 << 16)):
                    chunks.append(more)
                data = b"".join(chunks)
        finally:
            os.close(fd)
    except OSError as exc:
        return Problem(rel, 0, 0, "error", "unreadable", msgs.text("unreadable", detail=exc.strerror or type(exc).__name__))
    if len(data) > MAX_FILE_BYTES:
        return Problem(rel, 0, 0, "error", "file-too-large", msgs.text("file-too-large", size=len(data), limit=MAX_FILE_BYTES))
    return data


def read_text(root: Path, rel: str, msgs: Messages) -> str | Problem:
    """Read one handbook file safely (see read_bytes) and decode it (see decode)."""
    data = read_bytes(root, rel, msgs)
    return data if isinstance(data, Problem) else decode(data, rel, msgs)


def discover(root: Path, msgs: Messages) -> tuple[list[SourceFile], list[Problem]]:
    """List department and role files under ``roles/`` in a stable order."""
    files: list[SourceFile] = []
    problems: list[Problem] = []
    roles = root / ROLES_DIR
    try:
        top = sorted(os.scandir(roles), key=lambda e: e.name)
    except OSError:
        return [], [Problem(ROLES_DIR, 0, 0, "error", "no-roles", msgs.text("no-roles"))]
    for entry in top:
        rel = f"{ROLES_DIR}/{entry.name}"
        if entry.name.startswith("."):
            continue
        if not entry.is_dir(follow_symlinks=False):
            if entry.is_symlink() and not _inside(root, entry.path):
                problems.append(Problem(rel, 0, 0, "error", "symlink-outside", msgs.text("symlink-outside", target=os.readlink(entry.path))))
                continue
            problems.append(Problem(rel, 0, 0, "warning", "stray-file", msgs.text("stray-file", name=entry.name)))
            continue
        for sub in sorted(os.scandir(entry.path), key=lambda e: e.name):
            srel = f"{rel}/{sub.name}"
            if sub.name.startswith("."):
                continue
            if sub.name == DEPARTMENT_FILE:
                files.append(SourceFile(srel, "department", entry.name, entry.name))
            elif sub.name.endswith(ROLE_SUFFIXES) and not sub.name.startswith("_"):
                files.append(SourceFile(srel, "role", sub.name.rsplit(".", 1)[0], entry.name))
            elif sub.is_dir(follow_symlinks=False):
                problems.append(Problem(srel, 0, 0, "warning", "stray-file", msgs.text("stray-file", name=sub.name)))
            else:
                problems.append(Problem(srel, 0, 0, "warning", "stray-file", msgs.text("stray-file", name=sub.name)))
    if not any(f.kind == "role" for f in files):
        problems.append(Problem(ROLES_DIR, 0, 0, "error", "no-roles", msgs.text("no-roles")))
    return files, problems


def _inside(root: Path, path: str) -> bool:
    try:
        return Path(path).resolve().is_relative_to(root.resolve())
    except OSError:
        return False


def link_problems(root: Path, msgs: Messages) -> list[Problem]:
    """Symbolic links rolebook must not go through, outside ``roles/``: any at or directly under one of
    its own folders (OWN_DIRS), and one leading out of the handbook at or under ``docs/`` or as
    ``mkdocs.yml`` (MkDocs would read them and publish what they point at)."""
    problems: list[Problem] = []
    for name in OWN_DIRS:
        try:
            owned(root / name, root)
        except UnsafePath as exc:
            problems.append(Problem(_rel(root, exc.path), 0, 0, "error", "unsafe-path", exc.message(msgs, root)))
    path = root / MKDOCS_FILE
    if path.is_symlink() and not _inside(root, str(path)):
        problems.append(Problem(MKDOCS_FILE, 0, 0, "error", "symlink-outside", msgs.text("symlink-outside", target=os.readlink(path))))
    problems.extend(docs_link_problems(root, DOCS_DIR, msgs))
    return problems


def docs_link_problems(root: Path, rel: str, msgs: Messages) -> list[Problem]:
    """The folder of hand-written pages ``rel``: a link out of the handbook, it or anything under it."""
    docs = root / rel
    if docs.is_symlink() and not _inside(root, str(docs)):
        return [Problem(rel, 0, 0, "error", "symlink-outside", msgs.text("symlink-outside", target=os.readlink(docs)))]
    problems: list[Problem] = []
    if docs.is_dir() and not docs.is_symlink():
        for dirpath, dirnames, filenames in os.walk(docs):
            dirnames.sort()
            for name in sorted([*dirnames, *filenames]):
                entry = os.path.join(dirpath, name)
                if os.path.islink(entry) and not _inside(root, entry):
                    problems.append(Problem(_rel(root, Path(entry)), 0, 0, "error", "symlink-outside", msgs.text("symlink-outside", target=os.readlink(entry))))
    return problems


def _rel(root: Path, path: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()
