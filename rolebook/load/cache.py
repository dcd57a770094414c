"""A cache of parsed files, keyed by their content, in two parts.

``check`` on 10,000 roles spends nearly all its time parsing and validating;
after one edit only that file needs it again. Entries are keyed by the SHA-256
of the file's bytes (and its kind), and the whole cache is salted with
rolebook's version and the schemas, so a stale entry can never be used.

What ``check`` needs of a file that did not change is small: the few top-level
fields the cross-file checks read (a *summary*) and whether its one-file checks
found anything. The full data is only needed to build the model (site, PDFs,
export). So the cache is split:

* ``check.index`` — salt, and per key: the summary, the count of one-file
  problems, and where the data and the file's bytes lie in the pack (offset,
  length, CRC-32); and per file what ``lstat`` said of it when it had that key;
* ``check-<token>.pack`` — the marshalled data and the bytes of each file, appended to.

A file whose ``lstat`` (inode, size, modification and change times) is what the
index recorded is not even read: its key is the recorded one, and its bytes, when
a problem must point into it, come from the pack. A file's status is recorded
only once both its times are a few seconds older than the index (as git does
with "racily clean" files): a change within the same tick of a coarse clock then
still shows as a change, and every write moves the change time, which no program
can set back.

Both are plain data (marshal), never positions: those are re-derived from the
text when a problem needs one. The index carries a checksum of itself and
every blob its CRC, so a cache that is corrupt, truncated, from another
version or half-written by a concurrent run is ignored (index) or that one
entry re-parsed (blob) — never trusted. New blobs are appended to the pack;
when more than half of it is dead weight it is written afresh under a new name.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import re
import secrets
import stat
import time
import zlib
from collections.abc import Mapping
from pathlib import Path
from typing import Any, NamedTuple

from rolebook import __version__
from rolebook.load.files import CACHE_DIR
from rolebook.safepath import MARKER, MARKER_TEXT, UnsafePath, nofollow, owned, read_nofollow, replace_file

INDEX_FILE = "check.index"
_MAGIC = b"rolebook-index\n"
_FORMAT = 4
_SUM = 16  # blake2b digest size of the index checksum
_SETTLED_NS = 3_000_000_000  # a status is recorded once both its times are this much older than the index
_PACK_NAME = re.compile(r"check-[0-9a-f]{16}\.pack")  # as _write names them: the only files it deletes


def salt(schema_dir: Path) -> str:
    h = hashlib.sha256(f"{__version__}/{_FORMAT}".encode())
    for p in sorted(schema_dir.glob("*.schema.json")):
        h.update(p.name.encode())
        h.update(p.read_bytes())
    return h.hexdigest()


def content_key(kind: str, raw: bytes) -> str:
    """The cache key (and a role's digest): SHA-256 of the file's kind and bytes."""
    h = hashlib.sha256(kind.encode())
    h.update(b"\0")
    h.update(raw)
    return h.hexdigest()


class Entry(NamedTuple):
    """What the cache knows of one file that parsed."""

    summary: Mapping[str, Any]
    local_count: int  # problems the one-file checks found (re-run when > 0: they need positions)
    blob: BlobRef  # where the marshalled data lies in the pack
    raw: BlobRef  # where the file's bytes lie in the pack


class Stored(NamedTuple):
    """The bytes of a file this run did not read: where the pack keeps them, and the handbook to read it from if the pack lost them."""

    ref: BlobRef
    root: Path


Status = tuple[int, int, int, int, int]  # what lstat says of a regular file: inode, device, size, mtime_ns, ctime_ns


def status(path: str) -> Status | None:
    """``lstat`` of a regular file (None for anything else, or when it cannot be read: such files are read)."""
    try:
        st = os.lstat(path)
    except OSError:
        return None
    if not stat.S_ISREG(st.st_mode):
        return None
    return (st.st_ino, st.st_dev, st.st_size, st.st_mtime_ns, st.st_ctime_ns)


class BlobRef(NamedTuple):  # a NamedTuple: 10,000 of them are made on every warm run
    pack: Path
    offset: int
    length: int
    crc: int


def load_blob(ref: BlobRef | bytes) -> bytes | None:
    """The marshalled data of an entry, or None when it cannot be read or does not match its CRC."""
    if isinstance(ref, bytes):
        return ref
    try:
        with open(ref.pack, "rb", opener=nofollow) as fh:
            fh.seek(ref.offset)
            data = fh.read(ref.length)
    except OSError:
        return None
    if len(data) != ref.length or zlib.crc32(data) != ref.crc:
        return None
    return data


class PackReader:
    """Reads many blobs of one pack with one read of the file (building the model needs them all)."""

    def __init__(self) -> None:
        self._packs: dict[Path, bytes | None] = {}

    def get(self, ref: BlobRef | bytes) -> bytes | None:
        if isinstance(ref, bytes):
            return ref
        if ref.pack not in self._packs:
            try:
                self._packs[ref.pack] = read_nofollow(ref.pack)
            except OSError:
                self._packs[ref.pack] = None
        whole = self._packs[ref.pack]
        if whole is None:
            return None
        data = whole[ref.offset : ref.offset + ref.length]
        if len(data) != ref.length or zlib.crc32(data) != ref.crc:
            return None
        return data


class ParseCache:
    """key → Entry for files that parsed (with or without schema errors).

    ``get`` returns an entry of a previous run; ``put`` records a new one; ``save``
    writes the index (and appends the new blobs) if anything changed."""

    def __init__(self, root: Path | None, salt: str) -> None:
        self._salt = salt
        self._folder = self._locate(root)
        self._pack: Path | None = None
        self._pack_size = 0
        self._stats: dict[str, tuple[Any, ...]] = {}  # rel → (*Status, key), as the index recorded
        self._old: dict[str, tuple[Any, ...]] = self._load()
        self._used: dict[str, tuple[Any, ...]] = {}
        self._fresh: dict[str, tuple[Mapping[str, Any], int, bytes, bytes]] = {}
        self._seen: dict[str, tuple[Any, ...]] = {}  # rel → (*Status, key), this run

    @staticmethod
    def _locate(root: Path | None) -> Path | None:
        if root is None:
            return None
        folder = root / CACHE_DIR
        try:
            owned(folder, root)
        except UnsafePath:
            return None  # never through a link (check reports it: rolebook.load.files.link_problems)
        if folder.exists() and not folder.is_dir():
            return None
        return folder

    def _load(self) -> dict[str, tuple[Any, ...]]:
        if self._folder is None:
            return {}
        path = self._folder / INDEX_FILE
        try:
            raw = read_nofollow(path)
        except OSError:
            return {}
        head = len(_MAGIC) + _SUM
        if not raw.startswith(_MAGIC) or len(raw) < head:
            return {}
        payload = memoryview(raw)[head:]
        if hashlib.blake2b(payload, digest_size=_SUM).digest() != raw[len(_MAGIC) : head]:
            return {}
        try:
            index = marshal.loads(payload)
        except (EOFError, ValueError, TypeError):
            return {}
        if not isinstance(index, dict) or index.get("salt") != self._salt or index.get("format") != _FORMAT:
            return {}
        pack, size, entries, stats = index.get("pack"), index.get("pack_size"), index.get("entries"), index.get("stats")
        if not isinstance(pack, str) or not isinstance(size, int) or not isinstance(entries, dict) or "/" in pack or not pack.startswith("check-"):
            return {}
        self._pack, self._pack_size = self._folder / pack, size
        self._stats = stats if isinstance(stats, dict) else {}
        return entries

    @property
    def cold(self) -> bool:
        """Nothing is cached (no index, or one that cannot be used): every file will be parsed."""
        return not self._old

    def known(self, rel: str, st: Status | None) -> str | None:
        """The key of ``rel`` if it is the file the index recorded (same status), else None: read it."""
        if st is None:
            return None
        item = self._stats.get(rel)
        if item is None or item[:5] != st:
            return None
        self._seen[rel] = item
        key = item[5]
        return key if isinstance(key, str) else None

    def saw(self, rel: str, st: Status | None, key: str) -> None:
        """``rel`` had status ``st`` (taken before it was read) and its bytes have ``key``."""
        if st is not None:
            self._seen[rel] = (*st, key)

    def get(self, key: str) -> Entry | None:
        item = self._old.get(key)
        if item is None:
            return None
        try:
            summary, local_count, offset, length, crc, raw_offset, raw_length, raw_crc = item
        except (TypeError, ValueError):
            return None
        if not isinstance(summary, dict) or not isinstance(local_count, int) or self._pack is None:
            return None
        self._used[key] = item
        return Entry(summary, local_count, BlobRef(self._pack, offset, length, crc), BlobRef(self._pack, raw_offset, raw_length, raw_crc))

    def put(self, key: str, summary: Mapping[str, Any], local_count: int, blob: bytes, raw: bytes) -> None:
        self._fresh[key] = (summary, local_count, blob, raw)

    def _settled(self) -> dict[str, tuple[Any, ...]]:
        """The statuses to record: of files this run saw, those old enough to trust (see the module's notes)."""
        now = time.time_ns()
        keys = self._used.keys() | self._fresh.keys()
        return {rel: item for rel, item in self._seen.items() if item[5] in keys and max(item[3], item[4]) < now - _SETTLED_NS}

    def save(self) -> None:
        """Write if anything changed; a cache that cannot be written is simply skipped."""
        if self._folder is None:
            return
        stats = self._settled()
        if not (self._fresh or len(self._used) != len(self._old) or stats != self._stats):
            return
        try:
            if not self._folder.exists():
                self._folder.mkdir()
                replace_file(self._folder / MARKER, MARKER_TEXT.encode("ascii"), sync=False)
            self._write(stats)
        except (OSError, ValueError):
            pass

    def _write(self, stats: dict[str, tuple[Any, ...]]) -> None:
        assert self._folder is not None
        live = sum(item[3] + item[6] for item in self._used.values()) + sum(len(b) + len(r) for _, _, b, r in self._fresh.values())
        entries: dict[str, tuple[Any, ...]] = {}
        reuse = self._pack is not None and self._pack.is_file() and not self._pack.is_symlink() and live * 2 >= self._pack_size
        if reuse and self._pack is not None:
            pack = self._pack
            entries.update(self._used)
            with open(pack, "ab", opener=nofollow) as fh:
                size = fh.seek(0, os.SEEK_END)
                if size != self._pack_size:  # another run appended meanwhile: start afresh
                    reuse = False
                else:
                    for key, (summary, count, blob, raw) in self._fresh.items():
                        entries[key] = (summary, count, size, len(blob), zlib.crc32(blob), size + len(blob), len(raw), zlib.crc32(raw))
                        size += len(blob) + len(raw)
                    fh.write(b"".join(b + r for _, _, b, r in self._fresh.values()))
        if not reuse:
            reader = PackReader()
            pack = self._folder / f"check-{secrets.token_hex(8)}.pack"
            chunks: list[bytes] = []
            size = 0
            entries = {}
            for key, item in self._used.items():
                kept = reader.get(BlobRef(self._pack, item[2], item[3], item[4])) if self._pack is not None else None
                kept_raw = reader.get(BlobRef(self._pack, item[5], item[6], item[7])) if self._pack is not None else None
                if kept is not None and kept_raw is not None:
                    entries[key] = (item[0], item[1], size, len(kept), item[4], size + len(kept), len(kept_raw), item[7])
                    chunks += (kept, kept_raw)
                    size += len(kept) + len(kept_raw)
            for key, (summary, count, blob, raw) in self._fresh.items():
                entries[key] = (summary, count, size, len(blob), zlib.crc32(blob), size + len(blob), len(raw), zlib.crc32(raw))
                chunks += (blob, raw)
                size += len(blob) + len(raw)
            replace_file(pack, b"".join(chunks), sync=False)
        stats = {rel: item for rel, item in stats.items() if item[5] in entries}
        payload = marshal.dumps({"salt": self._salt, "format": _FORMAT, "pack": pack.name, "pack_size": size, "entries": entries, "stats": stats})
        replace_file(self._folder / INDEX_FILE, _MAGIC + hashlib.blake2b(payload, digest_size=_SUM).digest() + payload, sync=False)
        for old in self._folder.glob("check-*.pack"):  # packs no index refers to any more
            if old != pack and _PACK_NAME.fullmatch(old.name):
                old.unlink(missing_ok=True)
        (self._folder / "check.marshal").unlink(missing_ok=True)  # the format before the split
