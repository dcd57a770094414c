"""The layout of an export, shared by ``export`` and ``import``: the tables, their columns, and
where each column's value lives in a handbook file and in the JSON export.

A table row is a dict from column key to value; list values are one item per line in a cell.
Headings are in the handbook's language; import recognises the Chinese and English headings and
the raw keys.

Positions  one row per role           Duties    one row per duty (role id, group, 序号, duty, KPIs)
Summary    one row per summary item   Departments / Workflows / Settings
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Literal

from rolebook.i18n import LANGS, Lang
from rolebook.labels import label

Kind = Literal["text", "int", "list", "bool"]

EXPORT_FORMAT = "rolebook-export"
EXPORT_VERSION = 1
MAX_CELL = 32767  # Excel's limit; openpyxl would silently cut longer text
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Column:
    key: str
    label: str  # id in rolebook.labels
    kind: Kind = "text"
    choices: tuple[str, ...] = ()
    # Where the value sits in the role, department or settings file. None: the import places it by
    # a rule of its own (the id is the file name, the department its folder, duties go into groups).
    field: tuple[str, ...] | None = None
    json: tuple[str, ...] | None = None  # where it sits in the JSON export's record, when not at ``field``
    lang: Lang | None = None  # a column of one language's text (``title@en``) in a handbook of two languages

    def heading(self, lang: Lang) -> str:
        if self.lang is not None:  # in the words of its own language, whatever the sheet's: "Title (en)"
            return f"{label(self.lang, self.label)} ({self.lang})"
        return label(lang, self.label)

    def json_path(self) -> tuple[str, ...]:
        return self.json or self.field or (self.key,)


@dataclass(frozen=True)
class Table:
    key: str
    label: str  # id in rolebook.labels (the sheet's name)
    columns: tuple[Column, ...]
    row_key: str | None = None  # the column that says which role or department a row is about

    def name(self, lang: Lang) -> str:
        return label(lang, self.label)

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)


def _c(key: str, kind: Kind = "text", choices: tuple[str, ...] = (), label_id: str | None = None) -> Column:
    """A column placed by the import's own rules (see ``Column.field``)."""
    return Column(key, label_id or "col_" + key.replace(".", "_"), kind, choices)


def _f(key: str, *path: str, kind: Kind = "text", choices: tuple[str, ...] = (), label_id: str | None = None, json: tuple[str, ...] | None = None) -> Column:
    """A column whose value is at ``path`` in the file (the key itself when no path is given)."""
    return Column(key, label_id or "col_" + key.replace(".", "_"), kind, choices, path or (key,), json)


def _side(side: str, key: str, kind: Kind) -> Column:
    return _f(f"{side}.{key}", "relationships", side, key, kind=kind, json=(side, key))


POSITIONS = Table(
    "positions",
    "sheet_positions",
    (
        _f("number"),
        _c("id", label_id="col_role_id"),
        _f("title"),
        _c("department"),
        _f("reports_to"),
        _c("subordinates", "list"),
        _f("headcount", kind="int"),
        _f("education", "qualifications", "education"),
        _f("experience", "qualifications", "experience"),
        _f("abilities", "qualifications", "abilities"),
        _f("other", "qualifications", "other"),
        _side("internal", "percent", "int"),
        _side("internal", "parties", "list"),
        _side("external", "percent", "int"),
        _side("external", "parties", "list"),
        _f("effective_date"),
        _f("approver"),
        _f("approval_date"),
        _f("revision"),
        _f("status", choices=("draft", "approved")),
    ),
    "id",
)
DUTIES = Table("duties", "sheet_duties", (_c("role", label_id="col_role_id"), _c("group"), _c("seq", "int"), _c("duty"), _c("kpis", "list")), "role")
SUMMARY = Table("summary", "sheet_summary", (_c("role", label_id="col_role_id"), _c("group"), _c("seq", "int"), _c("item", label_id="col_summary")), "role")
DEPARTMENTS = Table(
    "departments",
    "sheet_departments",
    (
        _c("id", label_id="col_dept_id"),
        _f("name", label_id="col_dept_name"),
        _f("parent"),
        _f("order", kind="int"),
        _f("description"),
        _f("duties", kind="list", label_id="col_dept_duties"),
        _f("requirements", kind="list"),
    ),
    "id",
)
WORKFLOWS = Table(
    "workflows", "sheet_workflows", (_c("department", label_id="col_dept_id"), _c("name", label_id="col_workflow"), _c("steps", "list")), "department"
)
SETTINGS = Table(
    "settings",
    "sheet_settings",
    (
        _f("organisation"),
        _f("language", choices=("zh", "en")),
        _f("logo"),
        _f("signatures", kind="bool"),
        _f("review_every", kind="int"),
        _f("version"),
        _f("paper", choices=("a4", "letter")),
        _f("engine", choices=("mkdocs", "properdocs", "zensical")),
    ),
)
TABLES: tuple[Table, ...] = (POSITIONS, DUTIES, SUMMARY, DEPARTMENTS, WORKFLOWS, SETTINGS)

# The order of the keys inside a nested mapping of a role file, for keys the import adds.
FIELD_ORDER: dict[str, tuple[str, ...]] = {
    "qualifications": ("education", "experience", "abilities", "other"),
    "internal": ("percent", "parties"),
    "external": ("percent", "parties"),
}


# ---------------------------------------------------------------------------
# a handbook in two languages: a column per language for every text
#
# The column as above holds the main language's text; after it, one column for each other language,
# keyed ``KEY@LANG`` and headed in that language ("职位名称 | Title (en)"). A one-language handbook's
# export has none of them (its tables are TABLES exactly); import reads them whenever present.

TRANSLATED: dict[str, tuple[str, ...]] = {
    "positions": ("title", "education", "experience", "abilities", "other", "internal.parties", "external.parties"),
    "duties": ("group", "duty", "kpis"),
    "summary": ("group", "item"),
    "departments": ("name", "description", "duties", "requirements"),
    "workflows": ("name", "steps"),
    "settings": ("organisation",),
}
LANGUAGES_COLUMN = _f("languages", kind="list")  # the Settings sheet of a two-language handbook, instead of `language`


def language_key(key: str, lang: Lang) -> str:
    return f"{key}@{lang}"


def _with_languages(table: Table, langs: tuple[Lang, ...]) -> Table:
    cols: list[Column] = []
    for col in table.columns:
        if table is SETTINGS and col.key == "language":
            cols.append(LANGUAGES_COLUMN)
            continue
        cols.append(col)
        if col.key in TRANSLATED.get(table.key, ()):
            cols.extend(dataclasses.replace(col, key=language_key(col.key, lang), lang=lang) for lang in langs)
    return dataclasses.replace(table, columns=tuple(cols))


def tables_for(languages: tuple[Lang, ...]) -> tuple[Table, ...]:
    """The tables of an export of a handbook in ``languages`` (the main one first)."""
    if len(languages) < 2:
        return TABLES
    return tuple(_with_languages(t, languages[1:]) for t in TABLES)


def import_columns(table: Table) -> tuple[Column, ...]:
    """Every column import recognises in ``table``: its own, and the columns of each language."""
    extra = _with_languages(table, LANGS).columns
    return table.columns + tuple(c for c in extra if c not in table.columns)
