"""What the parser (docx_parse) makes of a Word document: one record per job description and department
block, each value with the place it came from (docx_reader.Where), for the review report."""

from __future__ import annotations

from dataclasses import dataclass, field

from rolebook.load.docx_reader import Where

LIST_SECTIONS = ("summary", "duties", "kpis", "dept_duties", "dept_requirements", "dept_workflows")
NO_GROUP = "—"  # rolebook's export: the duties or summary items after a group that belong to none
LINE_SEP = "\x1e"  # the lines of one table cell, kept apart while a relationship row is read as one text


@dataclass
class Found:
    text: str
    where: Where
    exact: bool = False  # a field of rolebook's own export: taken as written ("N/A" is a title there, not "none")


@dataclass
class DutyRec:
    text: str
    where: Where
    group: str | None
    kpis: list[str] = field(default_factory=list)
    kpi_guessed: bool = False
    columns: list[tuple[str, str]] = field(default_factory=list)  # (heading, value) of columns rolebook has no field for
    group_no: int = 0  # which group of that name: two groups one after another may have the same name
    kind: str | None = None  # the numbering it had in the list (a later item numbered otherwise is below it)


@dataclass
class RelRec:
    side: str  # internal | external
    where: Where
    percent: int | None = None
    parties: list[str] = field(default_factory=list)
    text: str = ""


@dataclass
class Extra:
    label: str
    value: str
    where: Where
    section: str
    lines: list[str] = field(default_factory=list)  # a part of the form rolebook has no place for: its text
    part: bool = False


@dataclass
class JobRec:
    start: Where
    fields: dict[str, Found] = field(default_factory=dict)
    title_from_heading: bool = False
    summary: list[tuple[str | None, Found, int]] = field(default_factory=list)  # (group, item, which group)
    duties: list[DutyRec] = field(default_factory=list)
    kpi_list: list[Found] = field(default_factory=list)
    relationships: list[RelRec] = field(default_factory=list)
    quals: dict[str, list[Found]] = field(default_factory=dict)
    qual_guessed: set[str] = field(default_factory=set)
    extras: list[Extra] = field(default_factory=list)
    twice: list[tuple[str, Found, Found]] = field(default_factory=list)
    unplaced: list[Found] = field(default_factory=list)
    empty_labels: int = 0
    signatures: bool = False

    def has_content(self) -> bool:
        return bool(self.summary or self.duties or self.quals or self.relationships or set(self.fields) - {"department"})


@dataclass
class DeptRec:
    start: Where
    fields: dict[str, Found] = field(default_factory=dict)
    duties: list[Found] = field(default_factory=list)
    requirements: list[Found] = field(default_factory=list)
    workflows: list[tuple[Found, list[Found]]] = field(default_factory=list)
    staffing: list[tuple[str, int, Where]] = field(default_factory=list)


@dataclass
class Parsed:
    jobs: list[JobRec] = field(default_factory=list)
    depts: list[DeptRec] = field(default_factory=list)
    before: list[Found] = field(default_factory=list)  # text before the first job description
