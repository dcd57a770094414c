"""The one problem type every stage reports, and the reporters that print them."""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Problem:
    """Something wrong in a handbook file, with where it is.

    ``path`` is relative to the handbook folder, with ``/`` separators;
    ``line`` and ``col`` are 1-based (0 when the problem is about the whole file).
    """

    path: str
    line: int
    col: int
    severity: Severity
    code: str
    message: str
    hint: str = ""

    def location(self) -> str:
        if self.line:
            return f"{self.path}:{self.line}:{self.col}"
        return self.path


def sort_problems(problems: Iterable[Problem]) -> list[Problem]:
    """Sorted by file, line, column, then code; exact duplicates dropped."""
    return sorted(set(problems))


def has_errors(problems: Iterable[Problem], strict: bool = False) -> bool:
    return any(p.severity == "error" or strict for p in problems)


# Characters a terminal or a web page would not show as themselves: controls, line and paragraph
# separators, and the invisible "format" characters (zero-width spaces and joiners, BOM, soft
# hyphen, and the bidirectional overrides and isolates that can reverse the rest of a line).
_INVISIBLE = frozenset(("Cc", "Cf", "Zl", "Zp"))


def visible(text: str) -> str:
    """``text`` with every invisible or direction-changing character written as ``<U+XXXX>``.

    File names and values quoted in a report are shown this way, so a zero-width space inside a
    role id shows, and a U+202E in a title cannot turn the rest of the report line around.
    JSON reports keep the text as it is (it is data; the escaping there is JSON's)."""
    if text.isprintable():  # the usual case, and fast: no control, format or separator character but spaces
        return text
    return "".join(f"<U+{ord(ch):04X}>" if unicodedata.category(ch) in _INVISIBLE else ch for ch in text)


def format_text(problems: list[Problem], summary: str) -> str:
    lines = []
    for p in problems:
        lines.append(visible(f"{p.location()}: {p.severity} [{p.code}] {p.message}"))
        if p.hint:
            lines.append("    " + "\n".join(visible(line) for line in p.hint.split("\n")))
    lines.append(summary)
    return "\n".join(lines) + "\n"


def format_json(problems: list[Problem], files_checked: int) -> str:
    doc = {
        "version": 1,
        "files_checked": files_checked,
        "errors": sum(p.severity == "error" for p in problems),
        "warnings": sum(p.severity == "warning" for p in problems),
        "problems": [asdict(p) for p in problems],
    }
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def format_github(problems: list[Problem]) -> str:
    """GitHub Actions workflow commands, so problems show on the changed lines."""

    def esc(s: str) -> str:
        return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")

    def prop(s: str) -> str:  # a property value: ',' and ':' would end it (a file named 'a,b.yaml')
        return esc(s).replace(":", "%3A").replace(",", "%2C")

    out = []
    for p in problems:
        level = "error" if p.severity == "error" else "warning"
        msg = visible(p.message + (f" ({p.hint})" if p.hint else ""))
        out.append(f"::{level} file={prop(p.path)},line={max(p.line, 1)},col={max(p.col, 1)},title={p.code}::{esc(msg)}")
    return "\n".join(out) + ("\n" if out else "")
