"""The PDFs a build leaves where the previous build's were: hard links to the very files it wrote, when unchanged.

A build writes every PDF into a fresh folder that then replaces the previous one
(rolebook.outputs.swap), so after one edit at 10,000 roles 1.8 GB were copied out of the
cache again, and as much freed when the previous folder went: 7–8 s of system time on this
project's machine, more than everything else an edit costs. Most of those files are already
there, byte for byte, in the folder being replaced.

So each build records, in the PDF cache, what it wrote to a destination: per PDF, the cache entry
it was copied from and the file's status (device, inode, size, modification time). The next build
with the same destination links a PDF from the previous folder instead of copying it when all of
these hold: the PDF comes from the same cache entry; the previous file is a regular file with that
very status and no other name (one link); no folder on the way to it is a link. Anything else, and
the PDF is copied from the cache as before. A link made is checked to be that file: the new folder
holds regular files only.

The previous folder's files are not written through: the old name goes when the folder is replaced,
and the new folder's file is the same, unchanged file. A file changed in place keeps its inode but
not its modification time or size (a program that sets the time back after writing could pass; a
build with an empty cache, or another destination, copies every PDF).
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import stat
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from rolebook.outputs.pdf.cache import PdfCache, digest
from rolebook.safepath import read_nofollow, replace_file

RECORD_FORMAT = "rolebook-pdf-written-1"


def record_key(previous: Path) -> str:
    """The cache key of the record of what was written to ``previous`` (an absolute destination)."""
    return digest(RECORD_FORMAT, str(previous))


def _status(st: os.stat_result) -> str:
    # not the change time: linking the file into the next folder changes it, and so does the old name going
    return f"{st.st_dev}:{st.st_ino}:{st.st_size}:{st.st_mtime_ns}"


@dataclass(frozen=True)
class Written:
    """What the last build wrote to ``previous``: PDF name → (cache key, file status)."""

    previous: Path | None
    files: Mapping[str, tuple[str, str]]

    def link(self, name: str, key: str, target: Path, folders: dict[Path, bool]) -> bool:
        """Make ``target`` a link to the previous build's ``name`` when that is the file copied from
        the cache entry ``key`` and unchanged since; False (nothing made) otherwise.
        ``folders``: which folders of the previous output were found to be real folders."""
        was = self.files.get(name)
        if self.previous is None or was is None or was[0] != key:
            return False
        source = self.previous / name
        if not all(_real_folder(self.previous / folder, folders) for folder in Path(name).parents):  # (".": previous itself)
            return False
        try:
            st = os.lstat(source)
            if not stat.S_ISREG(st.st_mode) or st.st_nlink != 1 or _status(st) != was[1]:
                return False
            os.link(source, target, follow_symlinks=False)
        except (OSError, NotImplementedError):
            return False
        try:
            made = os.lstat(target)
        except OSError:
            return False
        if stat.S_ISREG(made.st_mode) and (made.st_dev, made.st_ino) == (st.st_dev, st.st_ino):
            return True
        with contextlib.suppress(OSError):
            target.unlink()
        return False


def _real_folder(folder: Path, seen: dict[Path, bool]) -> bool:
    if folder not in seen:
        try:
            seen[folder] = stat.S_ISDIR(os.lstat(folder).st_mode)
        except OSError:
            seen[folder] = False
    return seen[folder]


def load_written(cache: PdfCache, previous: Path | None) -> Written:
    """The record the last build left for ``previous`` (nothing when there is none, or it cannot be read)."""
    if previous is None:
        return Written(None, {})
    try:
        data = json.loads(read_nofollow(cache.folder / f"{record_key(previous)}.written.json", 64 << 20))
        if data.get("format") != RECORD_FORMAT or data.get("previous") != str(previous):
            return Written(previous, {})
        files = {str(name): (str(key), str(status)) for name, (key, status) in data["files"].items()}
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return Written(previous, {})
    return Written(previous, files)


def _save_written(cache: PdfCache, before: Written, dest: Path, sources: Mapping[str, str]) -> None:
    """Record what this build wrote to ``dest``, which is to replace ``before.previous``: ``sources`` maps each
    PDF name to the cache key it was copied from (PDFs written from memory are not recorded, so never linked).
    The last record's other entries stay (a selection's build keeps the other PDFs as they were)."""
    previous = before.previous
    if previous is None:
        return
    files = {name: entry for name, entry in before.files.items() if name not in sources}
    for name, key in sources.items():
        with contextlib.suppress(OSError):
            files[name] = (key, _status(os.lstat(dest / name)))
    data = {"format": RECORD_FORMAT, "previous": str(previous), "files": {name: list(entry) for name, entry in sorted(files.items())}}
    with contextlib.suppress(OSError):
        replace_file(
            cache.folder / f"{record_key(previous)}.written.json", json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8"), sync=False
        )


class Made(Protocol):
    """What a build made: each PDF's name and its cache file (or its bytes, when the cache could not take it)."""

    @property
    def pdfs(self) -> Mapping[str, Path | bytes]: ...


@dataclass(frozen=True)
class Output:
    """The folder a build writes its PDFs to, ``dest``, which is to replace ``before.previous``.
    ``written``: the PDFs written so far, with the cache key each came from ("": from memory)."""

    dest: Path
    before: Written
    written: dict[str, str] = field(default_factory=dict)
    folders: dict[Path, bool] = field(default_factory=dict)

    def write(self, made: Made, cache: PdfCache) -> None:
        """Write the PDFs of ``made`` not written yet (10,000 roles' are ~1.8 GB to copy): a link to the
        previous build's file where that is the same, unchanged file, else a copy of the cache entry."""
        for name in sorted(made.pdfs.keys() - self.written.keys()):
            path = self.dest / name
            path.parent.mkdir(parents=True, exist_ok=True)
            out = made.pdfs[name]
            key = ""
            if isinstance(out, bytes):
                path.write_bytes(out)
            else:
                key = out.name.removesuffix(".pdf") if out.parent == cache.folder else ""
                if not (key and self.before.link(name, key, path, self.folders)):
                    shutil.copyfile(out, path)
            self.written[name] = key

    def record(self, cache: PdfCache) -> set[str]:
        """Record what was written, for the next build; the cache keys the record is kept under."""
        _save_written(cache, self.before, self.dest, {name: key for name, key in self.written.items() if key})
        return {record_key(self.before.previous)} if self.before.previous is not None else set()


__all__ = ["Output", "Written", "load_written", "record_key"]
