"""Two snapshots of a handbook (``model.Handbook``), compared field by field.

What is compared is the parsed data, never the text, so comments, quoting, indentation and key order
are not changes. Positions are matched by id (the file name); one removed and one added with the
same document number are one position whose file was renamed. Lists (duties, summary items,
department duties, …) are matched by content (``match_items``): an edited duty is one change, a
duty moved up or down is one "moved", and the others are not touched by either.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Literal

from rolebook.model import Department, Duty, Handbook, Relationship, Role

Kind = Literal["added", "removed", "changed", "moved"]
Value = str | int | tuple[str, ...] | None
SIMILAR = 0.5  # two items at least this similar (difflib's ratio of their text) are one item edited


@dataclass(frozen=True)
class Change:
    """One difference. ``field`` None: the whole position or department was added or removed."""

    scope: Literal["role", "department"]
    subject: str  # the role's or department's id (the new one when it changed)
    name: str  # its title or name, as the newer snapshot has it
    department: str  # the department it is listed under (the newer one)
    kind: Kind
    field: str | None = None
    index: int | None = None  # 1-based place in a list, in the newer snapshot (the older one for a removed item)
    old_index: int | None = None
    old: Value = None
    new: Value = None


@dataclass(frozen=True)
class HeadcountChange:
    department: str
    name: str
    old: int
    new: int


@dataclass(frozen=True)
class Diff:
    changes: tuple[Change, ...]
    headcount: tuple[HeadcountChange, ...]
    old: Handbook
    new: Handbook

    def __bool__(self) -> bool:
        return bool(self.changes or self.headcount)


@dataclass(frozen=True)
class ItemChange:
    kind: Kind
    index: int | None  # new place (1-based), or the old place for a removed item
    old_index: int | None
    old: Value
    new: Value
    part: str | None = None  # which part of a matched item changed (e.g. "kpis"), None: the item itself


def _longest_increasing(seq: Sequence[int]) -> set[int]:
    """The positions (into ``seq``) of one longest increasing subsequence."""
    tails: list[int] = []
    prev = [-1] * len(seq)
    values: list[int] = []
    for i, v in enumerate(seq):
        k = bisect_left(values, v)
        if k == len(values):
            values.append(v)
            tails.append(i)
        else:
            values[k] = v
            tails[k] = i
        prev[i] = tails[k - 1] if k else -1
    keep: set[int] = set()
    i = tails[-1] if tails else -1
    while i >= 0:
        keep.add(i)
        i = prev[i]
    return keep


def match_pairs(old: Sequence[str], new: Sequence[str]) -> list[tuple[int, int]]:
    """Pairs (old place, new place) of matched items: equal ones first, then the most similar (≥ SIMILAR)."""
    pairs: list[tuple[int, int]] = []
    free_new: dict[str, list[int]] = {}
    for j, text in enumerate(new):
        free_new.setdefault(text, []).append(j)
    left_old: list[int] = []
    for i, text in enumerate(old):
        if free_new.get(text):
            pairs.append((i, free_new[text].pop(0)))
        else:
            left_old.append(i)
    used = {j for _, j in pairs}
    left_new = [j for j in range(len(new)) if j not in used]
    scored = []
    for i in left_old:
        for j in left_new:
            m = SequenceMatcher(None, old[i], new[j], autojunk=False)
            if m.real_quick_ratio() >= SIMILAR and m.quick_ratio() >= SIMILAR:
                ratio = m.ratio()
                if ratio >= SIMILAR:
                    scored.append((-ratio, abs(i - j), i, j))
    scored.sort()
    taken_old: set[int] = set()
    taken_new: set[int] = set()
    for _, _, i, j in scored:
        if i not in taken_old and j not in taken_new:
            pairs.append((i, j))
            taken_old.add(i)
            taken_new.add(j)
    return sorted(pairs)


def match_items(old: Sequence[str], new: Sequence[str], key: Callable[[str], str] | None = None) -> list[ItemChange]:
    """The changes from list ``old`` to list ``new`` of texts, in the newer list's order (removed ones last)."""
    pairs = match_pairs([key(t) for t in old] if key else old, [key(t) for t in new] if key else new)
    order = [j for _, j in sorted(pairs)]
    kept = _longest_increasing(order)
    moved = {order[k] for k in range(len(order)) if k not in kept}
    by_new = {j: i for i, j in pairs}
    out: list[ItemChange] = []
    for j, text in enumerate(new):
        i = by_new.get(j)
        if i is None:
            out.append(ItemChange("added", j + 1, None, None, text))
            continue
        if j in moved:
            out.append(ItemChange("moved", j + 1, i + 1, old[i], text))
        if old[i] != text:
            out.append(ItemChange("changed", j + 1, i + 1, old[i], text))
    matched_old = {i for i, _ in pairs}
    out += [ItemChange("removed", i + 1, i + 1, text, None) for i, text in enumerate(old) if i not in matched_old]
    return out


def _flat_duties(role: Role) -> list[tuple[str | None, Duty]]:
    return [(group, duty) for group, _, duty in role.numbered_duties()]


def duty_changes(old: Role, new: Role) -> list[ItemChange]:
    """Duties matched by their text (then KPIs); per matched duty what of it changed."""
    a, b = _flat_duties(old), _flat_duties(new)
    pairs = match_pairs([d.text + "\n" + "\n".join(d.kpis) for _, d in a], [d.text + "\n" + "\n".join(d.kpis) for _, d in b])
    order = [j for _, j in pairs]
    kept = _longest_increasing(order)
    moved = {order[k] for k in range(len(order)) if k not in kept}
    by_new = {j: i for i, j in pairs}
    out: list[ItemChange] = []
    for j, (group, duty) in enumerate(b):
        i = by_new.get(j)
        if i is None:
            out.append(ItemChange("added", j + 1, None, None, duty.text))
            continue
        old_group, old_duty = a[i]
        if j in moved:
            out.append(ItemChange("moved", j + 1, i + 1, old_duty.text, duty.text))
        if old_group != group:
            out.append(ItemChange("changed", j + 1, i + 1, old_group, group, "group"))
        if old_duty.text != duty.text:
            out.append(ItemChange("changed", j + 1, i + 1, old_duty.text, duty.text))
        if old_duty.kpis != duty.kpis:
            out.append(ItemChange("changed", j + 1, i + 1, old_duty.kpis, duty.kpis, "kpis"))
    matched = {i for i, _ in pairs}
    out += [ItemChange("removed", i + 1, i + 1, d.text, None) for i, (_, d) in enumerate(a) if i not in matched]
    return out


ROLE_SCALARS = ("number", "title", "department", "reports_to", "headcount", "status", "effective_date", "approver", "revision")


def _summary_items(role: Role) -> list[str]:
    return [item for group in role.summary for item in group.items]


def _rel_fields(name: str, old: Relationship | None, new: Relationship | None) -> list[tuple[str, Value, Value]]:
    out: list[tuple[str, Value, Value]] = []
    if (old.percent if old else None) != (new.percent if new else None):
        out.append((f"relationships.{name}.percent", old.percent if old else None, new.percent if new else None))
    if (old.parties if old else ()) != (new.parties if new else ()):
        out.append((f"relationships.{name}.parties", old.parties if old else (), new.parties if new else ()))
    return out


def role_field_changes(old: Role, new: Role) -> list[tuple[str, ItemChange]]:
    """(field, change) for every difference between two versions of one position."""
    out: list[tuple[str, ItemChange]] = []
    if old.id != new.id:
        out.append(("id", ItemChange("changed", None, None, old.id, new.id)))
    for name in ROLE_SCALARS:
        a, b = getattr(old, name), getattr(new, name)
        if a != b:
            out.append((name, ItemChange("changed", None, None, a, b)))
    out += [("summary", c) for c in match_items(_summary_items(old), _summary_items(new))]
    for name, a_rel, b_rel in (("internal", old.internal, new.internal), ("external", old.external, new.external)):
        out += [(f, ItemChange("changed", None, None, a, b)) for f, a, b in _rel_fields(name, a_rel, b_rel)]
    for name in ("education", "experience", "abilities", "other"):
        a = getattr(old.qualifications, name) if old.qualifications else ""
        b = getattr(new.qualifications, name) if new.qualifications else ""
        if a != b:
            out.append((f"qualifications.{name}", ItemChange("changed", None, None, a or None, b or None)))
    for c in duty_changes(old, new):
        out.append(("duties." + c.part if c.part else "duties", c))
    return out


def _workflow_texts(d: Department) -> list[str]:
    return [w.name + ": " + " → ".join(w.steps) for w in d.workflows]


def department_field_changes(old: Department, new: Department) -> list[tuple[str, ItemChange]]:
    out: list[tuple[str, ItemChange]] = []
    for name in ("name", "parent", "order", "description"):
        a, b = getattr(old, name), getattr(new, name)
        if a != b:
            out.append((name, ItemChange("changed", None, None, a, b)))
    out += [("duties", c) for c in match_items(list(old.duties), list(new.duties))]
    out += [("requirements", c) for c in match_items(list(old.requirements), list(new.requirements))]
    out += [("workflows", c) for c in match_items(_workflow_texts(old), _workflow_texts(new))]
    return out


def _renamed_files(old: Handbook, new: Handbook) -> dict[str, str]:
    """new id → old id for positions whose file was renamed: gone and new ids with the same document number."""
    gone = {r.number: r.id for r in old.roles if not _has_role(new, r.id)}
    return {r.id: gone[r.number] for r in new.roles if not _has_role(old, r.id) and r.number in gone}


def _has_role(hb: Handbook, role_id: str) -> bool:
    try:
        hb.role(role_id)
    except KeyError:
        return False
    return True


def _has_dept(hb: Handbook, dept_id: str) -> bool:
    try:
        hb.department(dept_id)
    except KeyError:
        return False
    return True


def _department_changes(old: Handbook, new: Handbook) -> dict[str, list[Change]]:
    out: dict[str, list[Change]] = {}
    for d in new.departments:
        if not _has_dept(old, d.id):
            out.setdefault(d.id, []).append(Change("department", d.id, d.name, d.id, "added"))
            continue
        for fld, c in department_field_changes(old.department(d.id), d):
            out.setdefault(d.id, []).append(Change("department", d.id, d.name, d.id, c.kind, fld, c.index, c.old_index, c.old, c.new))
    for d in old.departments:
        if not _has_dept(new, d.id):
            out.setdefault(d.id, []).append(Change("department", d.id, d.name, d.id, "removed"))
    return out


def compare(old: Handbook, new: Handbook) -> Diff:
    """Every difference from snapshot ``old`` to snapshot ``new``, grouped by department in the newer tree order."""
    renamed = _renamed_files(old, new)
    was_renamed = set(renamed.values())
    by_dept = _department_changes(old, new)
    for r in new.roles:
        before_id = r.id if _has_role(old, r.id) else renamed.get(r.id)
        if before_id is None:
            by_dept.setdefault(r.department, []).append(Change("role", r.id, r.title, r.department, "added", new=r.title))
            continue
        for fld, c in role_field_changes(old.role(before_id), r):
            by_dept.setdefault(r.department, []).append(Change("role", r.id, r.title, r.department, c.kind, fld, c.index, c.old_index, c.old, c.new))
    for r in old.roles:
        if not _has_role(new, r.id) and r.id not in was_renamed:
            by_dept.setdefault(r.department, []).append(Change("role", r.id, r.title, r.department, "removed", old=r.title))
    order = [d.id for d in new.departments] + [d.id for d in old.departments if not _has_dept(new, d.id)]
    changes = tuple(c for dept in order for c in _dept_first(by_dept.pop(dept, [])))
    changes += tuple(c for dept in sorted(by_dept) for c in by_dept[dept])  # (roles of a folder with no department file)
    return Diff(changes, _headcount_changes(old, new, order, renamed), old, new)


def _moved_people(old: Handbook, new: Handbook, renamed: dict[str, str]) -> dict[str, int]:
    """Per department, the headcount that positions added, removed or moved in or out bring or take away."""
    out: dict[str, int] = {}
    before: set[str] = set()
    for r in new.roles:
        before_id = r.id if _has_role(old, r.id) else renamed.get(r.id)
        if before_id is not None:
            before.add(before_id)
            was = old.role(before_id)
            if was.department == r.department:
                continue
            out[was.department] = out.get(was.department, 0) - was.headcount
        out[r.department] = out.get(r.department, 0) + r.headcount
    for r in old.roles:
        if r.id not in before:
            out[r.department] = out.get(r.department, 0) - r.headcount
    return out


def _headcount_changes(old: Handbook, new: Handbook, order: list[str], renamed: dict[str, str]) -> tuple[HeadcountChange, ...]:
    """Departments whose headcount changed by more than the positions added, removed or moved say.

    A new position's line carries its headcount already ("新增岗位 夜班专员（客服部，2 人）"), so a
    department's line would only repeat it; it is shown when a position's headcount was edited
    (alongside that position's own line), as the department's total before and after.
    """
    explained = _moved_people(old, new, renamed)
    counts = []
    for dept in order:
        a = old.headcount(dept, recursive=False) if _has_dept(old, dept) else 0
        b = new.headcount(dept, recursive=False) if _has_dept(new, dept) else 0
        if a != b and b - a != explained.get(dept, 0):
            name = new.department(dept).name if _has_dept(new, dept) else old.department(dept).name
            counts.append(HeadcountChange(dept, name, a, b))
    return tuple(counts)


def _dept_first(changes: list[Change]) -> list[Change]:
    return [c for c in changes if c.scope == "department"] + [c for c in changes if c.scope == "role"]
