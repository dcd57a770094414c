"""The role and department files' texts as the Word import writes them: an existing file updated in place
(its comments and layout kept), a new one with '# …' comments above the values a person should check."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rolebook.bilingual import HAN, keep_translations
from rolebook.i18n import Lang, Messages
from rolebook.load.yamledit import update_yaml
from rolebook.load.yamlstrict import Document, parse_yaml


def updated_text(old: str | None, data: dict[str, Any], rel: str) -> str | None:
    """An existing file with the imported values: only what changed is rewritten (its comments and layout
    stay); ``subordinates``, which import never writes, kept as it was. None when there is no such file."""
    if old is None:
        return None
    doc = parse_yaml(old, rel, Messages("en"))
    if not isinstance(doc, Document) or not isinstance(doc.data, dict):
        return None
    # a Word document is in one language: in a handbook of two, it replaces that language's text only
    lang: Lang = "zh" if HAN.search(str(data.get("title", data.get("name", "")))) else "en"
    merged = keep_translations(dict(data), doc.data, lang)
    if "subordinates" in doc.data:
        merged["subordinates"] = doc.data["subordinates"]
        merged = {k: merged[k] for k in ORDER if k in merged} if "title" in merged else merged
    if merged == doc.data:
        return old
    try:
        return update_yaml(old, merged, rel)
    except Exception:  # what ruamel cannot edit in place is written afresh
        return None


ORDER = (
    "number", "title", "reports_to", "subordinates", "headcount", "status", "effective_date", "approver", "approval_date", "revision",
    "summary", "relationships", "qualifications", "duties",
)  # fmt: skip


def with_comments(text: str, comments: Mapping[tuple[str | int, ...], list[str]], rel: str) -> str:
    """``text`` with '# …' lines above the values at ``comments``' paths (a key's line, or a list item's '- ')."""
    if not comments:
        return text
    doc = parse_yaml(text, rel, Messages("en"))
    assert isinstance(doc, Document)
    lines = text.splitlines(keepends=True)
    inserts: dict[int, list[str]] = {}
    for path, notes in comments.items():
        pos = doc.keys.get(path) if path and isinstance(path[-1], str) else None
        if pos is None:
            pos = doc.values.get(path) or doc.pos(path, key=True)
        line_no, _col = pos
        row = lines[line_no - 1]
        indent = len(row) - len(row.lstrip(" "))
        inserts.setdefault(line_no - 1, []).extend(f"{' ' * indent}# {n}\n" for note in notes for n in note.splitlines())
    out: list[str] = []
    for i, line in enumerate(lines):
        out.extend(inserts.get(i, []))
        out.append(line)
    result = "".join(out)
    again = parse_yaml(result, rel, Messages("en"))
    assert isinstance(again, Document) and again.data == doc.data
    return result
