"""A comparison (``compare.Diff``) as lines of text in the handbook's language, and as JSON data.

The JSON's shape is published in ``schema/diff.schema.json``; each change carries its line of text
too, so a CI job can print it without knowing every field.
"""

from __future__ import annotations

from typing import Any

from rolebook.i18n import Messages
from rolebook.labels import label
from rolebook.model import Handbook
from rolebook.revisions.compare import Change, Diff, HeadcountChange, Value

DIFF_FORMAT_VERSION = 1
LIST_FIELDS = {
    ("role", "summary"): "diff/field/summary",
    ("role", "duties"): "diff/field/duty",
    ("role", "duties.kpis"): "diff/field/duty",
    ("role", "duties.group"): "diff/field/duty",
    ("department", "duties"): "diff/field/department-duty",
    ("department", "requirements"): "diff/field/requirement",
    ("department", "workflows"): "diff/field/workflow",
}


def _role_title(hb: Handbook, role_id: str | None) -> str | None:
    if role_id is None:
        return None
    try:
        return hb.role(role_id).title
    except KeyError:
        return role_id


def _dept_name(hb: Handbook, dept_id: str | None) -> str | None:
    if dept_id is None:
        return None
    try:
        return hb.department(dept_id).name
    except KeyError:
        return dept_id


def show(value: Value, msgs: Messages, fld: str | None = None) -> str:
    """A value as the text shows it: lists joined, nothing as a dash, a status in words."""
    if value is None or value == () or value == "":
        return "—"
    if isinstance(value, tuple):
        return msgs.join(list(value))
    if fld == "status" and value in ("draft", "approved"):
        return label(msgs.lang, f"status_{value}")
    return str(value)


def where(c: Change, msgs: Messages) -> str:
    """The place of a change inside its position or department: "岗位职责 3 · 考核指标", "对内 · 时间占比"."""
    fld = c.field or ""
    list_label = LIST_FIELDS.get((c.scope, fld))
    if list_label is not None:
        text = msgs.text(list_label, n=c.index)
        if fld.endswith(".kpis"):
            text += " · " + msgs.text("diff/field/kpis")
        elif fld.endswith(".group"):
            text += " · " + msgs.text("diff/field/group")
        return text
    parts = fld.split(".")
    if parts[0] == "relationships":
        return msgs.text(f"diff/field/{parts[1]}") + " · " + msgs.text(f"diff/field/{parts[2]}")
    if parts[0] == "qualifications":
        return msgs.text("diff/field/qualifications") + " · " + msgs.text(f"diff/field/{parts[1]}")
    return msgs.text(f"diff/field/{fld}")


def change_line(c: Change, diff: Diff, msgs: Messages) -> str:
    """One change as one line of text."""
    title = c.name
    if c.field is None:
        if c.scope == "department":
            return msgs.text("diff/dept-added" if c.kind == "added" else "diff/dept-removed", title=title)
        if c.kind == "added":
            return msgs.text("diff/role-added", title=title, dept=_dept_name(diff.new, c.department), n=role_headcount(c, diff))
        return msgs.text("diff/role-removed", title=title, dept=_dept_name(diff.old, c.department), n=role_headcount(c, diff))
    if c.scope == "role":
        special = _role_special(c, diff, msgs)
        if special is not None:
            return special
    old, new = c.old, c.new
    if c.scope == "department" and c.field == "parent":
        old, new = _dept_name(diff.old, _str(old)), _dept_name(diff.new, _str(new))
    place = where(c, msgs)
    if c.kind == "added":
        return msgs.text("diff/item-added", title=title, where=place, new=show(new, msgs))
    if c.kind == "removed":
        return msgs.text("diff/item-removed", title=title, where=place, old=show(old, msgs))
    if c.kind == "moved":
        return msgs.text("diff/item-moved", title=title, where=place, n=c.old_index, new=show(new, msgs))
    return msgs.text("diff/changed", title=title, where=place, old=show(old, msgs, c.field), new=show(new, msgs, c.field))


def role_headcount(c: Change, diff: Diff) -> int | None:
    """The headcount of a position added (in the newer snapshot) or removed (in the older); None for other changes."""
    if c.scope != "role" or c.field is not None:
        return None
    return (diff.new if c.kind == "added" else diff.old).role(c.subject).headcount


def _str(value: Value) -> str | None:
    return value if isinstance(value, str) else None


def _role_special(c: Change, diff: Diff, msgs: Messages) -> str | None:
    if c.field == "title":
        return msgs.text("diff/renamed", old=show(c.old, msgs), new=show(c.new, msgs))
    if c.field == "id":
        return msgs.text("diff/file-renamed", title=c.name, old=show(c.old, msgs), new=show(c.new, msgs))
    if c.field == "department":
        return msgs.text("diff/moved-department", title=c.name, old=_dept_name(diff.old, _str(c.old)), new=_dept_name(diff.new, _str(c.new)))
    if c.field == "reports_to":
        old, new = _role_title(diff.old, _str(c.old)), _role_title(diff.new, _str(c.new))
        if new is None:
            return msgs.text("diff/reports-to/none", title=c.name, old=old)
        if old is None:
            return msgs.text("diff/reports-to/first", title=c.name, new=new)
        return msgs.text("diff/reports-to", title=c.name, old=old, new=new)
    return None


def headcount_line(h: HeadcountChange, msgs: Messages) -> str:
    return msgs.text("diff/headcount", title=h.name, old=h.old, new=h.new)


def text_lines(diff: Diff, msgs: Messages) -> list[str]:
    """Every change, then every department whose headcount changed by more than its positions added, removed or moved say."""
    return [change_line(c, diff, msgs) for c in diff.changes] + [headcount_line(h, msgs) for h in diff.headcount]


def _json_value(value: Value) -> Any:
    return list(value) if isinstance(value, tuple) else value


def to_json(diff: Diff, msgs: Messages, old_label: dict[str, str | None], new_label: dict[str, str | None]) -> dict[str, Any]:
    """The comparison as data (schema/diff.schema.json)."""
    return {
        "version": DIFF_FORMAT_VERSION,
        "language": msgs.lang,
        "from": old_label,
        "to": new_label,
        "differences": bool(diff),
        "changes": [
            {
                "scope": c.scope,
                "id": c.subject,
                "name": c.name,
                "department": c.department,
                "kind": c.kind,
                "field": c.field,
                "index": c.index,
                "old_index": c.old_index,
                "old": _json_value(c.old),
                "new": _json_value(c.new),
                "headcount": role_headcount(c, diff),
                "text": change_line(c, diff, msgs),
            }
            for c in diff.changes
        ],
        "headcount": [{"department": h.department, "name": h.name, "old": h.old, "new": h.new, "text": headcount_line(h, msgs)} for h in diff.headcount],
    }
