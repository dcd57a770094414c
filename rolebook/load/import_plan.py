"""An import's plan, for every kind of source (spreadsheets, CSV, JSON, Word): what the handbook holds
now, and the files the import would create, change or remove. Planning reads; nothing here writes."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rolebook.i18n import Messages
from rolebook.load.files import BACKUP_DIR, ROLES_DIR, SCHEMA_FOLDER, SETTINGS_FILE, discover, read_text
from rolebook.load.yamlstrict import Document, parse_yaml
from rolebook.problems import Problem, has_errors
from rolebook.safepath import leads_out


@dataclass(frozen=True)
class Existing:
    rel: str
    text: str | None  # None when it cannot be read
    data: dict[str, Any] | None  # None when it does not parse


def existing_files(root: Path, msgs: Messages) -> tuple[dict[str, Existing], dict[str, Existing], Existing | None, list[str], list[Problem]]:
    sources, found = discover(root, msgs)
    roles: dict[str, Existing] = {}
    depts: dict[str, Existing] = {}

    def read(rel: str) -> Existing:
        text = read_text(root, rel, msgs)
        if isinstance(text, Problem):
            return Existing(rel, None, None)
        doc = parse_yaml(text, rel, msgs)
        return Existing(rel, text, doc.data if isinstance(doc, Document) and isinstance(doc.data, dict) else None)

    for src in sources:
        if src.kind == "role":
            roles.setdefault(src.ident, read(src.rel))
        else:
            depts[src.ident] = read(src.rel)
    settings = read(SETTINGS_FILE) if (root / SETTINGS_FILE).is_file() else None
    return roles, depts, settings, [s.rel for s in sources], found


@dataclass(frozen=True)
class Change:
    rel: str
    old_text: str | None  # None: a new file
    new_text: str | None  # None: the file is removed (a role that moved to another department)
    moved_from: str | None = None  # the role's old file, when it moved here from another department


@dataclass(frozen=True)
class ImportPlan:
    source: str  # the workbook's name as shown in messages
    msgs: Messages
    problems: tuple[Problem, ...]
    changes: tuple[Change, ...] = ()
    unchanged: int = 0
    files_checked: int = 1  # the workbook, then the files of the handbook it would make

    def failed(self) -> bool:
        return has_errors(self.problems)

    @property
    def created(self) -> int:
        return sum(c.old_text is None and c.new_text is not None and c.moved_from is None for c in self.changes)

    @property
    def updated(self) -> int:
        """Files changed in place, and roles moved to another department."""
        return sum(c.new_text is not None and (c.old_text is not None or c.moved_from is not None) for c in self.changes)

    def replaced(self) -> list[str]:
        """Existing files the plan changes or removes (they need --overwrite)."""
        return [c.rel for c in self.changes if c.old_text is not None]

    def diff(self) -> str:
        out: list[str] = []
        for c in self.changes:
            if c.old_text is None and c.rel.startswith(f"{SCHEMA_FOLDER}/"):  # rolebook's own file: named, not shown
                out.extend([f"+++ b/{c.rel}\n", self.msgs.text("import/schema-copy") + "\n"])
                continue
            a = (c.old_text or "").splitlines(keepends=True)
            b = (c.new_text or "").splitlines(keepends=True)
            out.extend(
                difflib.unified_diff(
                    a, b, fromfile="/dev/null" if c.old_text is None else f"a/{c.rel}", tofile="/dev/null" if c.new_text is None else f"b/{c.rel}"
                )
            )
        return "".join(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in out)


def unsafe_links(root: Path, rels: Iterable[str], found: Iterable[Problem], msgs: Messages) -> list[Problem]:
    """Symbolic links that lead out of the handbook on the way to anything the import reads or writes:
    the import is refused before anything happens (nothing is read, copied or written through them)."""
    out = [p for p in found if p.code == "symlink-outside"]
    seen = {p.path for p in out}
    for rel in sorted({BACKUP_DIR, SETTINGS_FILE, ROLES_DIR, *rels}):
        hit = leads_out(root, rel)
        if hit is not None and hit[0] not in seen:
            seen.add(hit[0])
            out.append(Problem(hit[0], 0, 0, "error", "symlink-outside", msgs.text("import/symlink-outside", path=hit[0], target=hit[1])))
    return out
