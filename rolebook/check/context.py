"""What every check gets: the parsed files and how to word a problem."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from rolebook.i18n import Messages
from rolebook.load.files import SourceFile
from rolebook.load.yamlstrict import Document, Path, parse_yaml
from rolebook.problems import Problem, Severity


@dataclass(frozen=True)
class ParsedFile:
    """A file that parsed. ``data`` is always there; the positions (``doc``) are
    re-derived from ``text`` only when a problem must point into the file, so a
    cached, valid file costs nothing more than its data."""

    source: SourceFile
    data: Any
    text: str
    digest: str
    schema_problems: tuple[Problem, ...] = ()
    parsed: Document | None = field(default=None, compare=False)

    @property
    def doc(self) -> Document:
        if self.parsed is not None:
            return self.parsed
        doc = parse_yaml(self.text, self.source.rel, Messages("en"))
        if not isinstance(doc, Document):  # pragma: no cover - it parsed before
            return Document(self.data)
        object.__setattr__(self, "parsed", doc)
        return doc

    def get(self, key: str, kind: type | tuple[type, ...] = str) -> Any:
        """A top-level value if it has the expected type, else None.

        Checks run on files that have schema errors too (so every problem is
        reported at once); this keeps them from tripping over wrong types.
        """
        value = self.data.get(key)
        if isinstance(value, bool) and kind is not bool:
            return None
        return value if isinstance(value, kind) else None


@dataclass(frozen=True)
class CheckContext:
    msgs: Messages
    roles: Mapping[str, ParsedFile]  # role files that parsed (maybe with schema errors), by id
    departments: Mapping[str, ParsedFile]  # department files that parsed, by id
    role_sources: tuple[SourceFile, ...]  # every role file found, valid or not
    dept_folders: frozenset[str]  # every folder under roles/
    dept_files: frozenset[str]  # every folder that has a _department.yaml (valid or not)
    role_ids: frozenset[str] = frozenset()  # ids of every role file found

    def __post_init__(self) -> None:
        object.__setattr__(self, "role_ids", frozenset(s.ident for s in self.role_sources))

    def problem(
        self, f: ParsedFile | SourceFile, path: Path, severity: Severity, code: str, msg_id: str, *, key: bool = False, hint: str = "", **args: Any
    ) -> Problem:
        source = f.source if isinstance(f, ParsedFile) else f
        if isinstance(f, ParsedFile):
            line, col = f.doc.pos(path, key=key)
        else:
            line, col = 0, 0
        return Problem(source.rel, line, col, severity, code, self.msgs.text(msg_id, **args), hint)
