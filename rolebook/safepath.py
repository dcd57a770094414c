"""Where rolebook may write, replace or delete: every such path is checked here first.

A handbook is a repository other people edit, and git stores symbolic links, so any folder or
file in it may be a link to somewhere else on the disk. The rule, for every path rolebook
writes, replaces or deletes (outputs, caches, backups, new files):

* **A link inside the handbook may only lead inside the handbook.** The path is followed one
  component at a time, as the system would follow it; a component that is a symbolic link and
  lies inside the handbook folder must end up inside the handbook folder too. So
  ``handbook/site -> /home/someone`` is refused for ``site/``, ``site/pdf`` and any
  ``--site-dir``, ``--out`` or ``-o`` that passes through it.
* **An output the user names outside the handbook is allowed** (``--site-dir /srv/www/hb``,
  ``-o ~/hb.xlsx``): the user typed it. Links outside the handbook (the user's own set-up,
  ``/home -> /data/home``) are followed as the system follows them — but a hop through a link
  inside the handbook is checked as above, however the path reaches it.
* **The last component is never a link**: an output is replaced as a whole, and rolebook never
  writes through a link it would replace or delete. Remove the link, or name the real path.
* **rolebook's own folders hold no links at all** (``.rolebook-cache``, ``.rolebook-backup``
  and what is under them, see ``owned``): not even one that stays inside the handbook.
* **What must stay inside the handbook** (a new role file, see ``inside``) must end up there.

A refused path raises ``UnsafePath`` before anything is written; ``message(msgs)`` says which
component is the link and where it leads, in the handbook's language.

Deleting: rolebook only deletes files it wrote. A cache folder rolebook makes carries a marker
(``CACHEDIR.TAG``, the cache-directory tag backup tools know) and a manifest of the files rolebook
wrote into it (``Manifest``); only files listed there are ever removed, and a folder without the
marker that holds anything is neither cleaned nor adopted.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import re
import secrets
import stat
import time
from dataclasses import dataclass
from pathlib import Path

from rolebook.i18n import Messages

MAX_HOPS = 40  # links followed before giving up, as the system does (ELOOP)
MARKER = "CACHEDIR.TAG"
MARKER_TEXT = "Signature: 8a477f597d28d172789f06886806bc55\n# This folder is a cache made by rolebook (https://bford.info/cachedir/). It can be deleted.\n"
MANIFEST = ".rolebook-manifest.json"
_MANIFEST_FORMAT = 1


class UnsafePath(Exception):
    """A path rolebook must not write, replace or delete; ``message(msgs)`` says why."""

    def __init__(self, msg_id: str, path: Path, **args: object) -> None:
        super().__init__(f"{msg_id}: {path}")
        self.msg_id = msg_id
        self.path = path
        self.params = args

    def message(self, msgs: Messages, base: Path | None = None) -> str:
        """The reason, in ``msgs``' language; paths under ``base`` are shown relative to it (as a report shows them)."""

        def shown(value: object) -> object:
            if base is not None and isinstance(value, Path):
                with contextlib.suppress(ValueError):
                    return value.relative_to(base).as_posix()
            return value

        params = {k: shown(v) for k, v in self.params.items()}
        return msgs.text(self.msg_id, path=shown(self.path), **params)


def _real(path: Path) -> Path:
    return Path(os.path.realpath(path))


def _parts(path: Path) -> list[str]:
    """The components of ``path`` made absolute, ``..`` kept (it means the parent of what the link before it reached)."""
    full = path if path.is_absolute() else Path(os.getcwd()) / path
    return list(full.parts[1:])


def follow(path: Path, root: Path, *, owned: Path | None = None, last_link: bool = False) -> Path:
    """Follow ``path`` as the system would and return where it leads (the part that does not exist yet appended).

    Raises UnsafePath when a link inside ``root`` leads out of it, when a link lies at or under
    ``owned`` (a folder of rolebook's own, inside ``root``), when the last component is a link
    (unless ``last_link``), or after MAX_HOPS links.
    """
    home = _real(root)
    own = home / os.path.relpath(os.path.abspath(owned), os.path.abspath(root)) if owned is not None else None
    pending = list(reversed(_parts(path)))
    cur = Path("/")
    hops = 0
    while pending:
        part = pending.pop()
        if part in ("", "."):
            continue
        if part == "..":
            cur = cur.parent
            continue
        nxt = cur / part
        try:
            st = os.lstat(nxt)
        except (FileNotFoundError, NotADirectoryError):
            rest = [part, *reversed(pending)]
            if ".." not in rest:
                return nxt.joinpath(*rest[1:])
            return follow(Path(os.path.normpath(cur.joinpath(*rest))), root, owned=owned, last_link=last_link)
        if not stat.S_ISLNK(st.st_mode):
            cur = nxt
            continue
        shown = _shown(nxt, home, root)
        target = os.readlink(nxt)
        if own is not None and nxt == own:
            raise UnsafePath("unsafe/owned-is-link", shown, target=target)
        if own is not None and nxt.is_relative_to(own):
            raise UnsafePath("unsafe/owned-link", shown, target=target, folder=_shown(own, home, root))
        if cur.is_relative_to(home) and not _real(nxt).is_relative_to(home):
            raise UnsafePath("unsafe/link-out", shown, target=target)
        if not pending and not last_link:
            raise UnsafePath("unsafe/last-link", shown, target=target)
        hops += 1
        if hops > MAX_HOPS:
            raise UnsafePath("unsafe/loop", shown)
        pending.extend(reversed(Path(target).parts[1:] if os.path.isabs(target) else Path(target).parts))
        if os.path.isabs(target):
            cur = Path("/")
    return cur


def _shown(path: Path, home: Path, root: Path) -> Path:
    """``path`` as the user knows it: under the handbook folder as they named it, else as it is."""
    try:
        return root / path.relative_to(home)
    except ValueError:
        return path


def leads_out(root: Path, rel: str) -> tuple[str, str] | None:
    """The first part of ``rel`` (a '/' path inside the handbook) that is a symbolic link leading out
    of the handbook, with the link's target; None when every part that exists stays inside."""
    base = os.path.realpath(root)
    parts = [p for p in rel.split("/") if p]
    for n in range(1, len(parts) + 1):
        sub = "/".join(parts[:n])
        path = os.path.join(root, sub)
        if os.path.islink(path):
            real = os.path.realpath(path)
            if os.path.commonpath([real, base]) != base:
                return sub, os.readlink(path)
        elif not os.path.lexists(path):
            return None
    return None


def output(path: Path, root: Path) -> Path:
    """Check an output rolebook writes or replaces at ``path`` (a file or a folder, in the handbook or
    anywhere the user named); return where it leads. Raises UnsafePath (see the module's rule)."""
    return follow(path, root)


def inside(path: Path, root: Path) -> Path:
    """Check a file that must be written inside the handbook ``root`` (a new role file): as ``output``,
    and it must end up inside ``root``."""
    real = follow(path, root)
    if not real.is_relative_to(_real(root)):
        raise UnsafePath("unsafe/outside", path)
    return real


def owned(folder: Path, root: Path, *, depth: int = 1) -> Path:
    """Check a folder of rolebook's own inside ``root`` (a cache, the backups): no link on the way from
    ``root``, ``folder`` itself no link, and no link among what it holds, ``depth`` levels down. Returns
    the folder's real path (it need not exist)."""
    real = follow(folder, root, owned=folder)
    if not real.is_relative_to(_real(root)):
        raise UnsafePath("unsafe/outside", folder)
    _no_links(real, folder, depth)
    return real


def _no_links(real: Path, shown: Path, depth: int) -> None:
    if depth <= 0:
        return
    try:
        entries = sorted(os.scandir(real), key=lambda e: e.name)
    except (FileNotFoundError, NotADirectoryError):
        return
    except OSError:
        return  # unreadable: writing into it fails later with the system's own message
    for entry in entries:
        if entry.is_symlink():
            raise UnsafePath("unsafe/owned-link", shown / entry.name, target=os.readlink(entry.path), folder=shown)
        if entry.is_dir(follow_symlinks=False):
            _no_links(Path(entry.path), shown / entry.name, depth - 1)


def nofollow(path: str, flags: int) -> int:
    """An ``opener`` for ``open()`` that never opens through a link (ELOOP instead)."""
    return os.open(path, flags | os.O_NOFOLLOW | os.O_CLOEXEC, 0o666)


def read_nofollow(path: Path, limit: int | None = None) -> bytes:
    """The bytes of the regular file at ``path``, never through a link (OSError otherwise)."""
    fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(errno.EINVAL, "not a regular file", str(path))
        with os.fdopen(os.dup(fd), "rb") as fh:
            return fh.read() if limit is None else fh.read(limit)
    finally:
        os.close(fd)


TMP_SUFFIX = ".rolebook-tmp"  # how rolebook names a file it is still writing, beside its target
_BUSY_SECONDS = 600  # a temporary file younger than this may be another run's, writing the same file now


def write_new(path: Path, data: bytes, mode_of: Path | None = None, *, sync: bool = True) -> None:
    """Create ``path`` holding ``data``: whatever is there already (a leftover, a planted link) is removed
    first and never followed; the file is created exclusively and synced. ``mode_of``: an existing regular
    file whose permissions the new one takes."""
    with contextlib.suppress(FileNotFoundError):
        os.unlink(path)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC, 0o666)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
        if mode_of is not None:
            with contextlib.suppress(OSError):
                st = os.stat(mode_of, follow_symlinks=False)
                if stat.S_ISREG(st.st_mode):
                    os.fchmod(fd, stat.S_IMODE(st.st_mode))
        if sync:
            os.fsync(fd)
    except BaseException:
        os.close(fd)
        with contextlib.suppress(OSError):
            os.unlink(path)
        raise
    os.close(fd)


def temp_beside(path: Path) -> Path:
    """The temporary name to write ``path`` through: ``.<name>.rolebook-tmp`` beside it, or a name of its own
    when a recent regular file holds that one (another run writing the same file at this moment)."""
    tmp = path.with_name(f".{path.name}{TMP_SUFFIX}")
    try:
        st = os.lstat(tmp)
    except OSError:
        return tmp
    if stat.S_ISREG(st.st_mode) and time.time() - st.st_mtime < _BUSY_SECONDS:
        return path.with_name(f".{path.name}.{secrets.token_hex(6)}{TMP_SUFFIX}")
    return tmp  # a leftover of a run that was killed, or something planted: write_new removes it


def replace_file(path: Path, data: bytes, *, sync: bool = True) -> None:
    """Replace the file at ``path`` with ``data`` as a whole — the one way rolebook writes a single file.

    ``data`` is written into a fresh temporary file beside ``path`` (``temp_beside``, made by ``write_new``:
    nothing already there is written through) and renamed over it, so a reader sees the old bytes or the
    new ones, never part of each. A link at ``path`` is replaced, not followed; an existing file keeps its
    permissions; missing parent folders are made. ``sync=False`` skips the fsync, for caches, which check
    what they read back anyway."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = temp_beside(path)
    try:
        write_new(tmp, data, mode_of=path, sync=sync)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


# ---------------------------------------------------------------------------
# rolebook's own cache folders: a marker, and a manifest of what rolebook wrote


def _entries(folder: Path) -> list[tuple[str, float]]:
    """Every file in ``folder`` and one level down, as ``name`` or ``sub/name``, with its modification time."""
    found: list[tuple[str, float]] = []
    for entry in sorted(os.scandir(folder), key=lambda e: e.name):
        if entry.is_dir(follow_symlinks=False):
            found.extend((f"{entry.name}/{inner.name}", inner.stat(follow_symlinks=False).st_mtime) for inner in os.scandir(entry.path))
        else:
            found.append((entry.name, entry.stat(follow_symlinks=False).st_mtime))
    return found


def claim(folder: Path, pattern: re.Pattern[str]) -> bool:
    """Whether ``folder`` is a cache folder of rolebook's, making it (with the marker) when it is missing.

    A folder without the marker is taken over only when everything in it is named as rolebook names
    its cache files (``pattern``; a cache of a rolebook from before the marker): those files are listed
    in the manifest. Anything else in it and it is not rolebook's: False, and nothing there is deleted.
    Raises OSError when the folder cannot be made. Check its path with ``owned`` first."""
    folder.mkdir(parents=True, exist_ok=True)
    marker = folder / MARKER
    if marker.is_file() and not marker.is_symlink():
        return True
    found = _entries(folder)
    leftover = re.compile(r"(?:[^/]+/)?\.(?:tmp-[^/]*|[^/]*\.rolebook-tmp)")  # half-written files of a run that was killed
    if any(not (pattern.fullmatch(name) or leftover.fullmatch(name)) for name, _ in found):
        return False
    Manifest(folder, pattern).save({name: when for name, when in found if pattern.fullmatch(name)})
    replace_file(marker, MARKER_TEXT.encode("ascii"))
    return True


@dataclass(frozen=True)
class Manifest:
    """The files rolebook wrote into a cache folder it claimed, with when each was last used.

    Only names matching ``pattern`` (plain names, or ``sub/name`` one level down) are ever listed,
    and only listed files are ever deleted (``update``)."""

    folder: Path
    pattern: re.Pattern[str]

    def load(self) -> dict[str, float]:
        try:
            data = json.loads(read_nofollow(self.folder / MANIFEST, 64 << 20))
        except (OSError, ValueError):
            return {}
        if not isinstance(data, dict) or data.get("format") != _MANIFEST_FORMAT or not isinstance(data.get("files"), dict):
            return {}
        files: dict[str, object] = data["files"]
        return {k: float(v) for k, v in files.items() if self.pattern.fullmatch(k) and isinstance(v, int | float)}

    def save(self, files: dict[str, float]) -> None:
        text = json.dumps({"format": _MANIFEST_FORMAT, "files": dict(sorted(files.items()))}, indent=0)
        replace_file(self.folder / MANIFEST, text.encode("utf-8"))

    def update(self, used: set[str], now: float, keep_seconds: float) -> list[str]:
        """Record ``used`` (names written or read now) as used at ``now``; delete listed files nobody used
        for ``keep_seconds``. Returns the names deleted. Entries another run listed meanwhile are kept."""
        listed = self.load()
        for name in used:
            if self.pattern.fullmatch(name):
                listed[name] = now
        gone = sorted(name for name, when in listed.items() if name not in used and now - when > keep_seconds)
        for name in gone:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(self.folder / name)  # a name of rolebook's pattern in a folder without links: nothing elsewhere
            del listed[name]
        self.save(listed)
        return gone


__all__ = [
    "MARKER",
    "Manifest",
    "UnsafePath",
    "claim",
    "follow",
    "inside",
    "nofollow",
    "output",
    "owned",
    "read_nofollow",
    "replace_file",
    "temp_beside",
    "write_new",
]
