"""Create new files in a handbook, never replacing anything that is already there.

Used where rolebook adds files of its own (``init``'s skeleton, ``new``'s copy of a schema):
each file is created with ``O_EXCL`` (so not even a file that appears meanwhile is replaced,
and a link in its place is not followed), its folders only where none exists, and a folder or
link in the way is left alone. The files go in all together or not at all: when one cannot be
written, or the run is interrupted (termination signals wait until the end), every file and
folder made so far is removed again.
"""

from __future__ import annotations

import contextlib
import errno
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from rolebook.load.files import SCHEMA_FOLDER
from rolebook.outputs.swap import signals_deferred
from rolebook.resources import SCHEMA_DIR

_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)


@dataclass(frozen=True)
class NewFile:
    rel: str  # a path inside the handbook, '/'-separated
    data: bytes


def taken(root: Path, rel: str) -> bool:
    """Whether something is already at ``rel`` under ``root``, or in its way: a file or a link where a folder is needed."""
    path = root
    parts = rel.split("/")
    for part in parts[:-1]:
        path = path / part
        if path.is_symlink() or (path.exists() and not path.is_dir()):
            return True
    final = path / parts[-1]
    return final.exists() or final.is_symlink()


def schema_copy(root: Path, kind: str) -> NewFile | None:
    """The copy of the ``kind`` schema (role, department, settings) for a handbook that has none, so that the
    modeline of a file rolebook writes there resolves inside the handbook, not in this installation (which
    moves with every venv); None when it has one already, or something else is in its place."""
    rel = f"{SCHEMA_FOLDER}/{kind}.schema.json"
    return None if taken(root, rel) else NewFile(rel, (SCHEMA_DIR / f"{kind}.schema.json").read_bytes())


def _missing_folders(folder: Path) -> list[Path]:
    """``folder`` and those of its parents that do not exist yet, outermost first."""
    missing: list[Path] = []
    while not folder.exists() and not folder.is_symlink():
        missing.append(folder)
        if folder.parent == folder:
            break
        folder = folder.parent
    return missing[::-1]


def create_files(root: Path, files: Sequence[NewFile]) -> None:
    """Create ``root`` (with its parents) if needed and every file of ``files`` in it; all or none.

    Raises ``FileExistsError`` when one is already there (leave those out with ``taken``) and
    ``OSError`` when one cannot be written; either way nothing is left of this call."""
    made: list[Path] = []
    with signals_deferred():
        try:
            for folder in _missing_folders(root):
                folder.mkdir()
                made.append(folder)
            for f in files:
                if taken(root, f.rel):  # a link or file in the way of its folders is never followed or replaced
                    raise FileExistsError(errno.EEXIST, os.strerror(errno.EEXIST), f.rel)
                path = root.joinpath(*f.rel.split("/"))
                for folder in _missing_folders(path.parent):
                    folder.mkdir()
                    made.append(folder)
                fd = os.open(path, _FLAGS, 0o666)
                made.append(path)
                with os.fdopen(fd, "wb") as fh:
                    fh.write(f.data)
        except BaseException:
            for path in reversed(made):
                with contextlib.suppress(OSError):
                    path.rmdir() if path.is_dir() and not path.is_symlink() else path.unlink()
            raise
