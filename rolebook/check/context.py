"""What every check gets: the parsed files and how to word a problem."""

from __future__ import annotations

import marshal
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from rolebook.dates import ReferenceDate
from rolebook.i18n import Lang, Messages
from rolebook.load.cache import BlobRef, PackReader, Stored, content_key, load_blob
from rolebook.load.files import SourceFile, read_bytes
from rolebook.load.yamlstrict import Document, Path, parse_yaml
from rolebook.problems import Problem, Severity

# Top-level fields the cross-file checks read; the cache keeps them apart from the
# (larger) full data, which is only unpacked when the model is built.
SUMMARY_KEYS = ("number", "title", "reports_to", "subordinates", "status", "relationships", "parent", "name", "approval_date")
_IN_SUMMARY = frozenset(SUMMARY_KEYS)
# Whether the file may give a text per language (it has a `zh:` or `en:` key somewhere): found in its
# bytes when it is parsed and kept in the summary, so a run that finds the file unchanged need not
# scan it again (10,000 scans were a fifth of `check` after one edit).
LANG_KEY = re.compile(rb"""\b(?:zh|en)['"]?\s*:""")
PER_LANGUAGE = "(per-language)"  # the summary's entry for it (no data key: the summary copies only SUMMARY_KEYS)


class StaleCache(Exception):
    """A file this run did not read changed on disk while the parse cache lost its bytes (another run
    rewrote the cache): the check starts again and reads every file (rolebook.app.pipeline.check_handbook)."""


@dataclass(frozen=True)
class ParsedFile:
    """A file that parsed.

    Files parsed in this run carry their ``value`` (the data; positions are not kept
    on the fast path) or their ``parsed`` Document (data + positions). Files from the
    cache carry only a ``summary`` (what cross-file checks read) and a ``blob`` (the
    marshalled data, or where it lies in the cache). Positions, and the text itself,
    are re-derived from ``raw`` (the file's bytes) only when a problem must point into
    the file.
    """

    source: SourceFile
    content: bytes | Stored  # the file's bytes, or where the parse cache keeps them (a file this run did not read)
    digest: str
    schema_problems: tuple[Problem, ...] = ()
    parsed: Document | None = field(default=None, compare=False)
    summary: Mapping[str, Any] | None = field(default=None, compare=False, repr=False)
    blob: BlobRef | bytes | None = field(default=None, compare=False, repr=False)
    value: Any = field(default=None, compare=False, repr=False)

    @cached_property
    def raw(self) -> bytes:
        """The file's bytes (from the cache's pack, for a file this run did not read)."""
        if isinstance(self.content, bytes):
            return self.content
        raw = load_blob(self.content.ref)
        if raw is None:  # another run rewrote the cache meanwhile: the file, if it is still the same
            read = read_bytes(self.content.root, self.source.rel, Messages("en"))
            raw = read if isinstance(read, bytes) and content_key(self.source.kind, read) == self.digest else None
        if raw is None:
            raise StaleCache(self.source.rel)
        return raw

    @cached_property
    def text(self) -> str:
        """The file's text (it was read and decoded once already, so this cannot fail)."""
        raw = self.raw[3:] if self.raw.startswith(b"\xef\xbb\xbf") else self.raw
        return raw.decode("utf-8")

    @cached_property
    def data(self) -> Any:
        if self.parsed is not None:
            return self.parsed.data
        if self.value is not None:
            return self.value
        return self._from_blob(load_blob(self.blob) if self.blob is not None else None)

    def prime(self, reader: PackReader) -> None:
        """Unpack the data now, reading the cache's pack through ``reader`` (one read for all files)."""
        if "data" not in self.__dict__ and self.parsed is None and self.value is None and self.blob is not None:
            self.__dict__["data"] = self._from_blob(reader.get(self.blob))

    def _from_blob(self, blob: bytes | None) -> Any:
        if blob is not None:
            try:
                return marshal.loads(blob)
            except (ValueError, EOFError, TypeError):
                pass
        return self.doc.data  # a damaged cache entry: read the file again

    @property
    def doc(self) -> Document:
        if self.parsed is not None:
            return self.parsed
        doc = parse_yaml(self.text, self.source.rel, Messages("en"))
        if not isinstance(doc, Document):  # pragma: no cover - it parsed before
            raise RuntimeError(f"{self.source.rel} no longer parses")
        object.__setattr__(self, "parsed", doc)
        return doc

    @property
    def may_be_per_language(self) -> bool:
        """False when the file certainly gives no text per language (no `zh:`/`en:` key in it)."""
        known = self.summary.get(PER_LANGUAGE) if self.summary is not None else None
        return known if isinstance(known, bool) else LANG_KEY.search(self.raw) is not None

    def get(self, key: str, kind: type | tuple[type, ...] = str) -> Any:
        """A top-level value if it has the expected type, else None.

        Checks run on files that have schema errors too (so every problem is
        reported at once); this keeps them from tripping over wrong types.
        """
        summary = self.summary
        value = summary.get(key) if summary is not None and key in _IN_SUMMARY else self.data.get(key)
        if value is None or (kind is not bool and value.__class__ is bool):
            return None
        return value if isinstance(value, kind) else None


def summarise(data: Any, raw: bytes) -> dict[str, Any]:
    summary = {k: data[k] for k in SUMMARY_KEYS if k in data}
    summary[PER_LANGUAGE] = LANG_KEY.search(raw) is not None
    rel = summary.get("relationships")
    if isinstance(rel, dict):  # the checks read only the percentages (10,000 lists of parties slow a warm run)
        summary["relationships"] = {side: {"percent": v.get("percent")} if isinstance(v, dict) else v for side, v in rel.items()}
    return summary


def located(
    f: ParsedFile | SourceFile, msgs: Messages, path: Path, severity: Severity, code: str, msg_id: str, *, key: bool = False, hint: str = "", **args: Any
) -> Problem:
    """A problem at ``path`` inside the file (or about the whole file)."""
    if isinstance(f, ParsedFile):
        line, col = f.doc.pos(path, key=key)
        return Problem(f.source.rel, line, col, severity, code, msgs.text(msg_id, **args), hint)
    return Problem(f.rel, 0, 0, severity, code, msgs.text(msg_id, **args), hint)


@dataclass(frozen=True)
class CheckContext:
    msgs: Messages
    roles: Mapping[str, ParsedFile]  # role files that parsed (maybe with schema errors), by id
    departments: Mapping[str, ParsedFile]  # department files that parsed, by id
    role_sources: tuple[SourceFile, ...]  # every role file found, valid or not
    dept_folders: frozenset[str]  # every folder under roles/
    dept_files: frozenset[str]  # every folder that has a _department.yaml (valid or not)
    role_ids: frozenset[str] = frozenset()  # ids of every role file found
    review_every: int | None = None  # rolebook.yml's review_every (months); None: no review-due
    reference: ReferenceDate | None = None  # the day reviews are counted to (set with review_every)
    languages: tuple[Lang, ...] = ("zh",)  # the handbook's languages, the main one first

    def __post_init__(self) -> None:
        object.__setattr__(self, "role_ids", frozenset(s.ident for s in self.role_sources))

    def problem(
        self, f: ParsedFile | SourceFile, path: Path, severity: Severity, code: str, msg_id: str, *, key: bool = False, hint: str = "", **args: Any
    ) -> Problem:
        return located(f, self.msgs, path, severity, code, msg_id, key=key, hint=hint, **args)
