"""The records of the Word import. What the parser (docx_parse) makes of a document: one record per job
description and department block, each value with the place it came from (docx_reader.Where). What the
mapper (docx_map) takes and gives: the documents read, what the handbook already holds, the review items
(and their place in words) and the files."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from rolebook.i18n import Lang, Messages
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


@dataclass(frozen=True)
class Review:
    source: str  # the document's name as given
    where: Where
    target: str  # the file it is about ('' for the document as a whole)
    message: str
    error: bool = False  # the document (or a job description in it) could not be imported


@dataclass(frozen=True)
class Known:
    """A role or department already in the handbook."""

    ident: str
    name: str  # title or department name
    department: str = ""


@dataclass
class Source:
    name: str
    parsed: Parsed
    rolebook: bool  # made by rolebook's own export: its ids, status and settings are taken as written
    subject: str = ""  # the document's subject (rolebook's exports: the organisation)
    language: str = ""  # the document's language (rolebook's exports: zh-CN or en-GB)
    paper: str = ""  # the document's paper ("a4", "letter"), for a new handbook made from rolebook's export


@dataclass(frozen=True)
class Mapped:
    files: dict[str, str]  # relative path -> text
    reviews: tuple[Review, ...]
    roles: int
    language: Lang


def where_text(where: Where, msgs: Messages) -> str:
    if where.table:
        if where.col:
            text = msgs.text("docx/where-cell", table=where.table, row=where.row, col=where.col)
        else:
            text = msgs.text("docx/where-row", table=where.table, row=where.row)
    else:
        text = msgs.text("docx/where-paragraph", n=where.paragraph)
    return msgs.text(f"docx/where-{where.part}", where=text) if where.part in ("header", "footer") else text


@dataclass
class RoleDraft:
    """A role file being made from one job description: its data, and the comments and notes at its values."""

    source: Source
    rec: JobRec
    ident: str
    dept: str
    data: dict[str, Any] = field(default_factory=dict)
    comments: dict[tuple[str | int, ...], list[str]] = field(default_factory=dict)
    head: list[str] = field(default_factory=list)

    def note(self, path: tuple[str | int, ...], text: str) -> None:
        self.comments.setdefault(path, []).append(text)
