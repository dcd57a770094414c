"""Never tofu: a character no installed font has becomes a problem at its place in the handbook's files.

WeasyPrint draws such a character as an empty box and only logs a ".notdef glyph" warning
(rolebook.outputs.pdf.engine collects those); here each one is reported at its first place in
the most specific file, with the font package that has it or why it cannot be printed.
"""

from __future__ import annotations

import dataclasses
import unicodedata
from collections.abc import Iterator
from pathlib import Path

from rolebook.i18n import Messages
from rolebook.model import Department, Handbook, Role
from rolebook.problems import Problem
from rolebook.render.print_html import PrintDocument

FONT_PACKAGE = "fonts-noto-cjk"
MAX_GLYPH_PROBLEMS = 10


def find_text(root: Path, rel: str, char: str) -> tuple[int, int] | None:
    try:
        text = (root / rel).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return None
    for lineno, line in enumerate(text.splitlines(), start=1):
        col = line.find(char)
        if col >= 0:
            return lineno, col + 1
    return None


# Where emoji are: the pictographs' blocks (U+1F000 …), the older symbols and dingbats, arrows and
# shapes that have emoji forms, the keycap mark and the emoji variation selector.
_EMOJI = ((0x1F000, 0x1FAFF), (0x2600, 0x27BF), (0x2B00, 0x2BFF), (0x2300, 0x23FF), (0x20E3, 0x20E3), (0xFE0F, 0xFE0F))
# Chinese, Japanese and Korean: what the Noto CJK fonts hold.
_CJK = ((0x1100, 0x11FF), (0x2E80, 0x9FFF), (0xA960, 0xA97F), (0xAC00, 0xD7FF), (0xF900, 0xFAFF), (0xFE30, 0xFE4F), (0xFF00, 0xFFEF), (0x20000, 0x3FFFF))


def glyph_hint(char: str) -> str:
    """The hint (a message id) for a character no installed font has: the package that has it, or
    that it cannot be printed at all (a control, format or unassigned character, or a private-use
    one that only some special font draws)."""
    code = ord(char)
    category = unicodedata.category(char)
    if any(lo <= code <= hi for lo, hi in _EMOJI):
        return "missing-glyph/emoji"
    if category in ("Cc", "Cf", "Cs", "Cn", "Zl", "Zp"):
        return "missing-glyph/unprintable"
    if category == "Co":
        return "missing-glyph/private"
    if any(lo <= code <= hi for lo, hi in _CJK):
        return "missing-glyph"
    return "missing-glyph/other"


def _holder(handbook: Handbook, sources: tuple[str, ...], char: str) -> str:
    """The first of ``sources`` whose values hold ``char`` when the file's text does not (it was
    written as an escape, "\\x7f"); the first source if none does."""
    items: list[Role | Department] = [*handbook.roles, *handbook.departments]
    values = {item.source: "\0".join(_strings(item)) for item in items}
    return next((rel for rel in sources if char in values.get(rel, "")), sources[0])


def _strings(item: object) -> Iterator[str]:
    """Every text inside a model object (its fields, their tuples and dataclasses)."""
    stack = [item]
    while stack:
        value = stack.pop()
        if isinstance(value, str):
            yield value
        elif isinstance(value, tuple):
            stack.extend(value)
        elif dataclasses.is_dataclass(value) and not isinstance(value, type):
            stack.extend(getattr(value, f.name) for f in dataclasses.fields(value))


def glyph_problems(handbook: Handbook, found: list[tuple[int, PrintDocument]]) -> list[Problem]:
    """One problem per character no font has, at its first place in the most specific file."""
    msgs = Messages(handbook.settings.language)
    problems: list[Problem] = []
    seen: set[int] = set()
    extra: list[int] = []
    for code, doc in found:
        if code in seen:
            continue
        seen.add(code)
        if len(problems) >= MAX_GLYPH_PROBLEMS:
            extra.append(code)
            continue
        char = chr(code)
        where = next(((rel, pos) for rel in doc.sources if (pos := find_text(handbook.root, rel, char))), None)
        path, (line, col) = where if where else (_holder(handbook, doc.sources, char), (0, 0))
        shown = char if char.isprintable() and not 0xE000 <= code <= 0xF8FF else "\ufffd"
        problems.append(
            Problem(path, line, col, "error", "missing-glyph", msgs.text("missing-glyph", char=shown, code=f"U+{code:04X}"), msgs.hint(glyph_hint(char)))
        )
    if extra:
        codes = msgs.join([f"U+{c:04X}" for c in extra[:20]]) + (" …" if len(extra) > 20 else "")
        first = problems[-1]
        problems.append(
            Problem(
                first.path,
                first.line,
                first.col,
                "error",
                "missing-glyph",
                msgs.text("missing-glyph/more", count=len(extra), codes=codes),
                msgs.hint(glyph_hint(chr(extra[0]))),
            )
        )
    return problems
