"""A cache of parsed, schema-valid files, keyed by their content.

``check`` on 10,000 roles spends nearly all its time parsing and validating;
after one edit only that file needs it again. Entries are keyed by the SHA-256
of the file's text, salted with rolebook's version and the schemas, so a stale
entry can never be used; a cache that cannot be read (corrupt, truncated, from
another version) is ignored and rebuilt. Only plain data is stored (marshal),
never positions: those are re-derived from the text when a problem needs one.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import tempfile
from pathlib import Path
from typing import Any

from rolebook import __version__

CACHE_DIR = ".rolebook-cache"
_FILE = "check.marshal"
_FORMAT = 2


def salt(schema_dir: Path) -> str:
    h = hashlib.sha256(f"{__version__}/{_FORMAT}".encode())
    for p in sorted(schema_dir.glob("*.schema.json")):
        h.update(p.name.encode())
        h.update(p.read_bytes())
    return h.hexdigest()


class ParseCache:
    """digest → an entry for a file that parsed and passed the schema.

    The entry is whatever the caller stores (plain data only: marshal)."""

    def __init__(self, root: Path | None, salt: str) -> None:
        self._salt = salt
        self._path = self._locate(root)
        self._old: dict[str, Any] = self._load()
        self._new: dict[str, Any] = {}
        self._dirty = False

    @staticmethod
    def _locate(root: Path | None) -> Path | None:
        if root is None:
            return None
        folder = root / CACHE_DIR
        if folder.is_symlink() or (folder.exists() and not folder.is_dir()):
            return None  # never write through a link
        return folder / _FILE

    def _load(self) -> dict[str, Any]:
        if self._path is None or not self._path.is_file() or self._path.is_symlink():
            return {}
        try:
            with open(self._path, "rb") as fh:
                blob = marshal.load(fh)
        except (OSError, EOFError, ValueError, TypeError):
            return {}
        if not isinstance(blob, dict) or blob.get("salt") != self._salt or not isinstance(blob.get("entries"), dict):
            return {}
        entries: dict[str, Any] = blob["entries"]
        return entries

    def get(self, digest: str) -> tuple[bool, Any]:
        if digest in self._old:
            data = self._old[digest]
            self._new[digest] = data
            return True, data
        return False, None

    def put(self, digest: str, data: Any) -> None:
        self._new[digest] = data
        self._dirty = True

    def save(self) -> None:
        """Write atomically if anything changed; a cache that cannot be written is simply skipped."""
        if self._path is None or not (self._dirty or len(self._new) != len(self._old)):
            return
        try:
            self._path.parent.mkdir(exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self._path.parent, prefix=".check-", suffix=".tmp")
            try:
                with os.fdopen(fd, "wb") as fh:
                    marshal.dump({"salt": self._salt, "entries": self._new}, fh)
                os.replace(tmp, self._path)
            except BaseException:
                os.unlink(tmp)
                raise
        except (OSError, ValueError):
            pass
