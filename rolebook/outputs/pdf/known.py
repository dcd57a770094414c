"""Print HTML not rendered again: a job description's HTML is rendered only when what its template read changed.

Rendering every role's print HTML only to find its PDF's cache key took 9 s of a 10,000-role build
after one edit. So a role's document is rendered with a handbook that notes every read of it
(Reads: the attribute or method, its arguments, what it gave — ``hb.role("boss")``,
``hb.department_chain("ops")``, the settings), and with the org charts noted the same way. The index,
one file in the PDF cache, holds for each role those reads and a digest of what they gave together
with the role itself, its timestamp and everything else its template sees (``scope``: rolebook's own
code and templates, Jinja's version, the stylesheets and the logo), beside the document's cache key,
title, sources and the characters it adds to the fonts' base repertoire. On the next build the reads
are made again on the new handbook; when they give the same, the document is the one of that key and
is not rendered (unless its part is laid out again: rolebook.outputs.pdf.schedule renders it then).

Whatever the template reads of the handbook is captured, since it reads it only through the noted
handbook; a read whose arguments are not plain values, or an edit to rolebook itself, makes the role's
document rendered again (correct, only slower). The keys hold only for the cache base they were made
with (fonts, WeasyPrint): another base renders every document.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.metadata
import json
import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import rolebook
from rolebook.model import Handbook, Role
from rolebook.outputs.pdf.cache import PdfCache, digest
from rolebook.safepath import read_nofollow, replace_file

INDEX_FORMAT = "rolebook-print-index-1"
_PLAIN = (str, int, bool, type(None))


class Reads:
    """A handbook that notes what is read of it: ``log`` maps (name, arguments, keyword arguments) to what it gave."""

    def __init__(self, handbook: Handbook) -> None:
        self._handbook = handbook
        self.log: dict[tuple[str, tuple[Any, ...] | None, tuple[tuple[str, Any], ...]], Any] = {}
        self.plain = True  # every read's arguments are plain values (replayable from the index)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        value = getattr(self._handbook, name)
        if not callable(value):
            self.log[(name, None, ())] = value
            return value

        def call(*args: Any, **kwargs: Any) -> Any:
            result = value(*args, **kwargs)
            if not all(isinstance(a, _PLAIN) for a in (*args, *kwargs.values())):
                self.plain = False
            else:
                self.log[(name, args, tuple(sorted(kwargs.items())))] = result
            return result

        return call


class NotedCharts(Mapping[str, str]):
    """The org charts (department id → data: URL), noting which are read into ``reads``' log as ``charts:get``."""

    def __init__(self, charts: Mapping[str, str], reads: Reads) -> None:
        self._charts = charts
        self._reads = reads

    def __getitem__(self, key: str) -> str:
        value = self._charts.get(key)
        self._reads.log[("charts:get", (key,), ())] = value
        if value is None:
            raise KeyError(key)
        return value

    def __iter__(self) -> Iterator[str]:
        self._reads.plain = False  # the whole mapping: not kept
        return iter(self._charts)

    def __len__(self) -> int:
        self._reads.plain = False
        return len(self._charts)


def replay(handbook: Handbook, charts: Mapping[str, str], name: str, args: tuple[Any, ...] | None, kwargs: tuple[tuple[str, Any], ...]) -> Any:
    """What one noted read gives on ``handbook`` (raises what the read raises)."""
    if name == "charts:get":
        return charts.get(args[0]) if args else None
    value = getattr(handbook, name)
    return value if args is None else value(*args, **dict(kwargs))


@dataclass
class Fingerprints:
    """What a build's reads gave, as text to hash; each model object's repr is made once (local to a build)."""

    made: dict[int, tuple[object, str]]

    def of(self, value: object) -> str:
        found = self.made.get(id(value))
        if found is not None and found[0] is value:
            return found[1]
        text = repr(value)
        self.made[id(value)] = (value, text)
        return text


def inputs_digest(scope: str, role: Role, timestamp: str | None, log: Mapping[tuple[str, Any, Any], Any], prints: Fingerprints) -> str:
    """The digest of everything a role's document was made from."""
    parts = [scope, prints.of(role), timestamp or ""]
    for (name, args, kwargs), result in log.items():
        parts.append(f"{name}\0{args!r}\0{kwargs!r}\0{prints.of(result)}")
    return digest(*parts)


@dataclass(frozen=True)
class Entry:
    """A role document as the index keeps it."""

    reads: tuple[tuple[str, tuple[Any, ...] | None, tuple[tuple[str, Any], ...]], ...]
    inputs: str
    key: str  # its PDF's cache key (for the index's base)
    title: str
    sources: tuple[str, ...]
    extra: str  # its characters outside the fonts' base repertoire

    def to_json(self) -> object:
        reads = [[n, None if a is None else list(a), [list(kv) for kv in k]] for n, a, k in self.reads]
        return {"reads": reads, "inputs": self.inputs, "key": self.key, "title": self.title, "sources": list(self.sources), "extra": self.extra}

    @staticmethod
    def from_json(data: Any) -> Entry:
        reads = tuple((str(n), None if a is None else tuple(a), tuple((str(k), v) for k, v in kw)) for n, a, kw in data["reads"])
        for _, args, kwargs in reads:
            if not all(isinstance(v, _PLAIN) for v in (*(args or ()), *(v for _, v in kwargs))):
                raise ValueError("not a plain argument")
        sources = tuple(str(s) for s in data["sources"])
        return Entry(reads, str(data["inputs"]), str(data["key"]), str(data["title"]), sources, str(data["extra"]))


@dataclass(frozen=True)
class Index:
    """The index of one cache base: role id → Entry."""

    base: str
    entries: Mapping[str, Entry]


def code_scope() -> str:
    """A digest of rolebook's own files (code, templates, labels) and of the template engine's version:
    an edit to any of them renders every document again."""
    top = Path(rolebook.__file__).parent
    h = hashlib.sha256(INDEX_FORMAT.encode("ascii"))
    for dist in ("jinja2", "markupsafe"):
        with contextlib.suppress(importlib.metadata.PackageNotFoundError):
            h.update(f"\0{dist}\0{importlib.metadata.version(dist)}".encode())
    for dirpath, dirnames, filenames in os.walk(top):
        dirnames[:] = sorted(d for d in dirnames if d != "__pycache__")
        for name in sorted(filenames):
            if name.endswith((".pyc", ".pyo")):
                continue
            path = Path(dirpath, name)
            with contextlib.suppress(OSError):
                h.update(f"\0{path.relative_to(top).as_posix()}\0".encode("utf-8", "surrogateescape"))
                h.update(path.read_bytes())
    return h.hexdigest()


def index_key(prebase: str) -> str:
    return digest(prebase, INDEX_FORMAT)


def load_index(cache: PdfCache, prebase: str) -> Index | None:
    """The index the last build left for this ``prebase`` (the cache base but for the fonts), if it is readable."""
    try:
        data = json.loads(read_nofollow(cache.folder / f"{index_key(prebase)}.index.json", 1 << 30))
        if data.get("format") != INDEX_FORMAT:
            return None
        entries = {str(k): Entry.from_json(v) for k, v in data["roles"].items()}
        return Index(str(data["base"]), entries)
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return None


def save_index(cache: PdfCache, prebase: str, index: Index) -> None:
    data = {"format": INDEX_FORMAT, "base": index.base, "roles": {k: e.to_json() for k, e in sorted(index.entries.items())}}
    with contextlib.suppress(OSError):
        replace_file(cache.folder / f"{index_key(prebase)}.index.json", json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8"), sync=False)
