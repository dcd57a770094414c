"""The layout of an export, shared by ``export`` and ``import``: the tables, their columns, and
where each column's value lives in a handbook file and in the JSON export.

A table row is a dict from column key to value; list values are one item per line in a cell.
Headings are in the handbook's language; import recognises the Chinese and English headings and
the raw keys.

Positions  one row per role           Duties    one row per duty (role id, group, 序号, duty, KPIs)
Summary    one row per summary item   Departments / Workflows / Settings
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from rolebook.i18n import Lang
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

    def heading(self, lang: Lang) -> str:
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
    (_f("organisation"), _f("language", choices=("zh", "en")), _f("logo"), _f("signatures", kind="bool"), _f("review_every", kind="int")),
)
TABLES: tuple[Table, ...] = (POSITIONS, DUTIES, SUMMARY, DEPARTMENTS, WORKFLOWS, SETTINGS)

# The order of the keys inside a nested mapping of a role file, for keys the import adds.
FIELD_ORDER: dict[str, tuple[str, ...]] = {
    "qualifications": ("education", "experience", "abilities", "other"),
    "internal": ("percent", "parties"),
    "external": ("percent", "parties"),
}
