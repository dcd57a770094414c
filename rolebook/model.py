"""Stage 3: the validated handbook as frozen dataclasses.

Built only from data that passed every check, so nothing here validates; it
only derives (subordinates, staffing tables, reporting chains, orderings).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from rolebook.bilingual import Choice, is_per_language
from rolebook.dates import ReferenceDate
from rolebook.i18n import LANGS, Lang

Status = Literal["draft", "approved"]


@dataclass(frozen=True)
class Settings:
    organisation: str
    language: Lang
    logo: str | None = None
    signatures: bool = False
    paper: str = "a4"  # "a4" or "letter": the page size of PDFs and Word exports
    review_every: int | None = None  # months an approval stays current; None: no review reminders
    version: str | None = None  # the handbook's version, on the handbook PDF's cover
    engine: str = "mkdocs"  # the site engine: "mkdocs", "properdocs" or "zensical" (rolebook.outputs.engines)
    # the languages of the content, the main one first (``languages:``; ``language: zh`` alone is ("zh",));
    # ``language`` is the language of labels and messages, which ``--lang`` may change
    languages: tuple[Lang, ...] = ()
    organisation_text: Any = None  # ``organisation`` as written, when it is given per language

    def __post_init__(self) -> None:
        if not self.languages:
            object.__setattr__(self, "languages", (self.language,))

    @property
    def main_language(self) -> Lang:
        return self.languages[0]

    @property
    def bilingual(self) -> bool:
        return len(self.languages) > 1


@dataclass(frozen=True)
class Duty:
    text: str
    kpis: tuple[str, ...]


@dataclass(frozen=True)
class DutyGroup:
    """Consecutive duties; ``name`` is None for duties not in a named group."""

    name: str | None
    duties: tuple[Duty, ...]


@dataclass(frozen=True)
class SummaryGroup:
    name: str | None
    items: tuple[str, ...]


@dataclass(frozen=True)
class Relationship:
    percent: int
    parties: tuple[str, ...]


@dataclass(frozen=True)
class Qualifications:
    education: str = ""
    experience: str = ""
    abilities: str = ""
    other: str = ""


@dataclass(frozen=True)
class Role:
    id: str
    department: str
    source: str
    number: str
    title: str
    reports_to: str | None
    subordinates: tuple[str, ...]
    headcount: int
    status: Status
    effective_date: str | None
    approver: str | None
    revision: str | None
    summary: tuple[SummaryGroup, ...]
    internal: Relationship | None
    external: Relationship | None
    qualifications: Qualifications | None
    duties: tuple[DutyGroup, ...]
    digest: str = ""
    approval_date: str | None = None  # the last approval (YYYY-MM-DD); set, with approver, on approved roles
    review_due: str | None = None  # the date its review fell due, when it is due (rolebook.yml's review_every)

    def numbered_duties(self) -> Iterator[tuple[str | None, int, Duty]]:
        """(group name, 序号, duty), numbered 1..n across groups."""
        n = 0
        for group in self.duties:
            for duty in group.duties:
                n += 1
                yield group.name, n, duty


@dataclass(frozen=True)
class Workflow:
    name: str
    steps: tuple[str, ...]


@dataclass(frozen=True)
class Department:
    id: str
    name: str
    parent: str | None
    order: int | None
    description: str | None
    duties: tuple[str, ...]
    requirements: tuple[str, ...]
    workflows: tuple[Workflow, ...]
    source: str


@dataclass(frozen=True)
class Handbook:
    """Departments in tree order; roles grouped by department, each in reporting-tree order."""

    root: Path
    settings: Settings
    departments: tuple[Department, ...]
    roles: tuple[Role, ...]
    _roles: Mapping[str, Role] = field(init=False, repr=False, compare=False)
    _depts: Mapping[str, Department] = field(init=False, repr=False, compare=False)
    _members: Mapping[str, tuple[Role, ...]] = field(init=False, repr=False, compare=False)
    _kids: Mapping[str | None, tuple[Department, ...]] = field(init=False, repr=False, compare=False)
    _totals: Mapping[str, int] = field(init=False, repr=False, compare=False)
    review_reference: ReferenceDate | None = None  # the day reviews were counted to (with settings.review_every)

    def __post_init__(self) -> None:
        members: dict[str, list[Role]] = {}
        for r in self.roles:
            members.setdefault(r.department, []).append(r)
        kids: dict[str | None, list[Department]] = {}
        for d in self.departments:
            kids.setdefault(d.parent, []).append(d)
        totals = {d.id: sum(r.headcount for r in members.get(d.id, ())) for d in self.departments}
        for d in reversed(self.departments):  # tree order, children last: add each subtree to its parent, no recursion
            if d.parent is not None and d.parent in totals:
                totals[d.parent] += totals[d.id]
        object.__setattr__(self, "_roles", {r.id: r for r in self.roles})
        object.__setattr__(self, "_depts", {d.id: d for d in self.departments})
        object.__setattr__(self, "_members", {k: tuple(v) for k, v in members.items()})
        object.__setattr__(self, "_kids", {k: tuple(v) for k, v in kids.items()})
        object.__setattr__(self, "_totals", totals)

    def role(self, role_id: str) -> Role:
        return self._roles[role_id]

    def department(self, dept_id: str) -> Department:
        return self._depts[dept_id]

    def roles_in(self, dept_id: str) -> tuple[Role, ...]:
        return self._members.get(dept_id, ())

    def child_departments(self, dept_id: str | None) -> tuple[Department, ...]:
        return self._kids.get(dept_id, ())

    def department_chain(self, dept_id: str) -> tuple[Department, ...]:
        """The department and its parents, top first."""
        chain = []
        cur: str | None = dept_id
        while cur is not None:
            d = self._depts[cur]
            chain.append(d)
            cur = d.parent
        return tuple(reversed(chain))

    def chain(self, role_id: str) -> tuple[Role, ...]:
        """The reporting chain from the top position down to this role."""
        chain = []
        cur: str | None = role_id
        while cur is not None:
            r = self._roles[cur]
            chain.append(r)
            cur = r.reports_to
        return tuple(reversed(chain))

    def staffing(self, dept_id: str) -> tuple[tuple[Role, int], ...]:
        """岗位设置: (position, headcount) for the department, derived from the role files."""
        return tuple((r, r.headcount) for r in self.roles_in(dept_id))

    def headcount(self, dept_id: str, *, recursive: bool = True) -> int:
        if recursive:
            return self._totals.get(dept_id, 0)
        return sum(r.headcount for r in self.roles_in(dept_id))


# ---------------------------------------------------------------------------
# building the model from validated data

FIRST_GIVEN = Choice(LANGS[0], LANGS[0])  # text given per language, read without a handbook's languages


def _summary(items: list[Any], c: Choice) -> tuple[SummaryGroup, ...]:
    groups: list[SummaryGroup] = []
    loose: list[str] = []
    for item in items:
        if isinstance(item, str) or is_per_language(item):
            loose.append(c.text(item))
            continue
        if loose:
            groups.append(SummaryGroup(None, tuple(loose)))
            loose = []
        groups.append(SummaryGroup(c.text(item["group"]), c.texts(item["items"])))
    if loose:
        groups.append(SummaryGroup(None, tuple(loose)))
    return tuple(groups)


def _duty(d: Mapping[str, Any], c: Choice) -> Duty:
    return Duty(c.text(d["duty"]), c.texts(d.get("kpis")))


def _duties(items: list[Any], c: Choice) -> tuple[DutyGroup, ...]:
    groups: list[DutyGroup] = []
    loose: list[Duty] = []
    for item in items:
        if "group" not in item:
            loose.append(_duty(item, c))
            continue
        if loose:
            groups.append(DutyGroup(None, tuple(loose)))
            loose = []
        groups.append(DutyGroup(c.text(item["group"]), tuple(_duty(d, c) for d in item["duties"])))
    if loose:
        groups.append(DutyGroup(None, tuple(loose)))
    return tuple(groups)


def _rel(d: Mapping[str, Any] | None, c: Choice) -> Relationship | None:
    if d is None:
        return None
    return Relationship(_whole(d["percent"]), c.texts(d.get("parties")))


def build_role(
    role_id: str,
    department: str,
    source: str,
    data: Mapping[str, Any],
    subordinates: tuple[str, ...],
    digest: str = "",
    choice: Choice | None = None,
) -> Role:
    """``choice``: the language to take text given per language in (default: the first one given)."""
    c = choice or FIRST_GIVEN
    q = data.get("qualifications")
    rel = data.get("relationships") or {}
    return Role(
        id=role_id,
        department=department,
        source=source,
        number=data["number"],
        title=c.text(data["title"]),
        reports_to=data.get("reports_to"),
        subordinates=subordinates,
        headcount=_whole(data["headcount"]),
        status=data["status"],
        effective_date=data.get("effective_date"),
        approver=c.text(data.get("approver")),
        revision=data.get("revision"),
        summary=_summary(data.get("summary", []), c),
        internal=_rel(rel.get("internal"), c),
        external=_rel(rel.get("external"), c),
        qualifications=Qualifications(**{k: c.text(v) for k, v in q.items()}) if q is not None else None,
        duties=_duties(data["duties"], c),
        digest=digest,
        approval_date=data.get("approval_date"),
    )


def build_department(dept_id: str, source: str, data: Mapping[str, Any], choice: Choice | None = None) -> Department:
    c = choice or FIRST_GIVEN
    return Department(
        id=dept_id,
        name=c.text(data["name"]),
        parent=data.get("parent"),
        order=_whole(data.get("order")),
        description=c.text(data.get("description")),
        duties=c.texts(data.get("duties")),
        requirements=c.texts(data.get("requirements")),
        workflows=tuple(Workflow(c.text(w["name"]), c.texts(w.get("steps"))) for w in data.get("workflows", ())),
        source=source,
    )


def _number_key(role: Role) -> tuple[str, str]:
    return (role.number, role.id)


def _whole(value: Any) -> Any:
    """2.0 → 2: YAML reads ``headcount: 2.0`` as a float, which the schema accepts as a whole number
    (JSON Schema's integer); shown as written it would print "2.0 人" and "40.0 %"."""
    return int(value) if isinstance(value, float) and value.is_integer() else value


def order_departments(depts: list[Department]) -> list[Department]:
    """Tree order (parents before children), siblings by (order, name, id); iterative."""
    by_parent: dict[str | None, list[Department]] = {}
    ids = {d.id for d in depts}
    for d in depts:
        by_parent.setdefault(d.parent if d.parent in ids else None, []).append(d)
    for kids in by_parent.values():
        kids.sort(key=lambda d: (d.order if d.order is not None else 1 << 30, d.name, d.id))
    out: list[Department] = []
    stack = list(reversed(by_parent.get(None, [])))
    while stack:
        d = stack.pop()
        out.append(d)
        stack.extend(reversed(by_parent.get(d.id, [])))
    return out


def order_roles(roles: list[Role], departments: list[Department]) -> list[Role]:
    """Department order, then within a department the reporting tree (depth first), siblings by number."""
    by_dept: dict[str, list[Role]] = {}
    for r in roles:
        by_dept.setdefault(r.department, []).append(r)
    out: list[Role] = []
    for dept in departments:
        members = by_dept.get(dept.id, [])
        ids = {r.id for r in members}
        kids: dict[str | None, list[Role]] = {}
        for r in members:
            kids.setdefault(r.reports_to if r.reports_to in ids else None, []).append(r)
        for k in kids.values():
            k.sort(key=_number_key)
        stack = list(reversed(kids.get(None, [])))
        while stack:
            r = stack.pop()
            out.append(r)
            stack.extend(reversed(kids.get(r.id, [])))
    return out
