"""What every reader of an export (rolebook/sheets/read_xlsx.py, read_csv.py, read_json.py) produces:
the tables of rolebook/sheets/layout.py ``TABLES`` as rows of values, each value with the cell it came
from, and what is wrong with the file. rolebook/sheets/to_files.py turns the rows into files."""

from __future__ import annotations

import datetime as dt
import difflib
import math
import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from rolebook.i18n import LANGS, MESSAGES, Messages
from rolebook.load.files import NotUtf8, utf8_text
from rolebook.problems import Problem
from rolebook.sheets.layout import Column, Table, import_columns

MAX_ROWS = 200_000  # rows with values in one sheet or CSV file
MAX_CELLS = 800_000  # cells with values in all the sheets or CSV files of one export (10,000 positions have about 540,000)


class Cell(NamedTuple):  # tuples: a workbook has up to a million of them, made fast
    sheet: str
    row: int
    col: int


class Value(NamedTuple):
    value: Any  # normalised: str | int | float | bool | list[str]
    cell: Cell


@dataclass(frozen=True)
class SheetRow:
    row: int
    values: Mapping[str, Value]  # column key -> value (present, non-empty cells only)
    first: Cell  # for problems about the whole row

    def get(self, key: str) -> Any:
        v = self.values.get(key)
        return v.value if v is not None else None


@dataclass(frozen=True)
class SheetData:
    table: Table
    sheet: str
    columns: frozenset[str]  # column keys present in the heading row
    rows: tuple[SheetRow, ...]


@dataclass
class Reader:
    name: str  # the file's name (a set of CSV files: "STEM-*.csv"), used in problem paths and messages
    msgs: Messages
    problems: list[Problem] = field(default_factory=list)
    kind: str = "xlsx"  # xlsx: a cell is FILE.xlsx[Sheet]:row:column; csv, json: Cell.sheet is the file, row is its line
    files: int = 1  # how many files were read

    def path(self, cell: Cell) -> str:
        return f"{self.name}[{cell.sheet}]" if self.kind == "xlsx" else cell.sheet

    def text(self, msg_id: str, **args: Any) -> str:
        """The message; for a CSV or JSON file its '/file' variant where the words differ (lines, not rows of a sheet)."""
        if self.kind != "xlsx" and f"{msg_id}/file" in MESSAGES:
            msg_id += "/file"
        return self.msgs.text(msg_id, **args)

    def at(self, cell: Cell, code: str, msg_id: str, severity: str = "error", **args: Any) -> None:
        self.problems.append(Problem(self.path(cell), cell.row, cell.col, "error" if severity == "error" else "warning", code, self.text(msg_id, **args)))

    def said(self, cell: Cell, code: str, message: str) -> None:
        """An error at ``cell`` whose words are already made (by a rule shared with the checks)."""
        self.problems.append(Problem(self.path(cell), cell.row, cell.col, "error", code, message))

    def whole(self, code: str, msg_id: str, where: str | None = None, **args: Any) -> None:
        self.problems.append(Problem(where or self.name, 0, 0, "error", code, self.text(msg_id, **args)))


def norm(text: str) -> str:
    return " ".join(str(text).split()).casefold()


def table_names(table: Table) -> set[str]:
    return {norm(table.name(lang)) for lang in LANGS} | {norm(table.key)}


def column_headings(col: Column) -> set[str]:
    return {norm(col.heading(lang)) for lang in LANGS} | {norm(col.key)}


def _text_of(raw: Any) -> Any:
    """A cell of a text column: numbers and dates typed in Excel become the text they show."""
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    if isinstance(raw, (int, float)):
        return str(raw)
    if isinstance(raw, dt.datetime):
        return raw.date().isoformat() if raw.time() == dt.time() else raw.isoformat(sep=" ")
    if isinstance(raw, (dt.date, dt.time)):
        return raw.isoformat()
    return raw


def _int_of(raw: Any) -> Any:
    if isinstance(raw, float) and raw.is_integer():
        return int(raw)
    if isinstance(raw, str) and re.fullmatch(r"\s*[+-]?[0-9]+\s*", raw):
        return int(raw)
    return raw


def _bool_of(raw: Any) -> Any:
    if isinstance(raw, str):
        word = raw.strip().casefold()
        if word in ("true", "yes", "是", "1"):
            return True
        if word in ("false", "no", "否", "0"):
            return False
    if isinstance(raw, (int, float)) and not isinstance(raw, bool) and raw in (0, 1):
        return bool(raw)
    return raw


def _plain_value(value: Any) -> Any:
    """Only what a YAML file can hold: anything else (a date in a number column, an error value, …) as its text."""
    if isinstance(value, (bool, int, str)) or (isinstance(value, float) and math.isfinite(value)):
        return value
    text = _text_of(value)
    return text if isinstance(text, str) else str(value)


def convert(col: Column, raw: Any) -> Any:
    """A cell's value as file data; None when the cell is empty."""
    if raw is None or (isinstance(raw, str) and raw == ""):
        return None
    kind = col.kind
    if kind == "text" and (type(raw) is str or type(raw) is int):  # the usual cases, made fast
        return raw if type(raw) is str else str(raw)
    if kind == "int" and type(raw) is int:
        return raw
    if col.kind == "int":
        return _plain_value(_int_of(raw))
    if col.kind == "bool":
        return _plain_value(_bool_of(raw))
    text = _plain_value(_text_of(raw))
    if col.kind == "list":
        if not isinstance(text, str):
            return [text]
        items = [line for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n") if line.strip()]
        return items or None
    return text


def read_headings(sheet: str, table: Table, headings: Iterable[tuple[int, Any]], r: Reader, row: int = 1) -> tuple[dict[int, Column], dict[str, int]]:
    """The heading row (column number, text): which column holds what (by column number), and the column of each key."""
    by_col: dict[int, Column] = {}
    seen: dict[str, int] = {}
    lang = r.msgs.lang
    for col_no, value in headings:
        if value is None or str(value).strip() == "":
            continue
        heading = str(value)
        col = next((k for k in import_columns(table) if norm(heading) in column_headings(k)), None)
        where = Cell(sheet, row, col_no)
        if col is None:
            near = difflib.get_close_matches(heading.strip(), [k.heading(lang) for k in table.columns], n=1, cutoff=0.5)
            if near:
                r.at(where, "import-column", "import/unknown-column/suggest", "warning", name=heading, suggestion=near[0])
            else:
                r.at(where, "import-column", "import/unknown-column", "warning", name=heading)
            continue
        if col.key in seen:
            r.at(where, "import-column", "import/duplicate-column", name=heading, other=seen[col.key])
            continue
        seen[col.key] = col_no
        by_col[col_no] = col
    if table.row_key is not None and table.row_key not in seen:
        r.at(Cell(sheet, row, 1), "import-column", "import/missing-column", name=table.column(table.row_key).heading(lang))
    return by_col, seen


# the text of a CSV or JSON file

MAX_TEXT = 100_000_000  # bytes of one CSV or JSON file: an export of 10,000 roles is about 30 MB
_ZIP = b"PK\x03\x04"  # an .xlsx (any zip)
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # an old .xls
LINE_BREAK = re.compile(r"\r\n|\r|\n")  # as csv counts lines


def read_limited(path: Path, label: str, r: Reader) -> bytes | None:
    """The bytes of one CSV or JSON file, or None (a problem said why)."""
    try:
        with open(path, "rb") as fh:
            size = os.fstat(fh.fileno()).st_size
            data = fh.read(MAX_TEXT + 1) if size <= MAX_TEXT else b""
    except OSError as exc:
        r.whole("import-file", "import/unreadable", where=label, detail=exc.strerror or type(exc).__name__)
        return None
    if size > MAX_TEXT or len(data) > MAX_TEXT:
        r.whole("import-file", "import/file-too-large", where=label, size=max(size, len(data)), limit=MAX_TEXT)
        return None
    return data


def decoded(data: bytes, label: str, r: Reader) -> str | None:
    """UTF-8 text (a BOM is fine), or None when a problem said what the bytes look like instead and how to save them as UTF-8."""
    kind = r.kind  # csv | json
    if data.startswith(_ZIP):
        r.whole("import-file", "import/is-workbook", where=label, kind=kind.upper())
        return None
    if data.startswith(_OLE):
        r.whole("import-file", "import/not-xlsx", where=label)
        return None
    text = utf8_text(data.removeprefix(b"\xef\xbb\xbf"))
    if isinstance(text, NotUtf8):
        msg_id = {"UTF-16": f"import/{kind}-utf16", "GB18030": f"import/{kind}-gbk"}.get(text.encoding, f"import/{kind}-not-utf8")
        r.at(Cell(label, text.line, text.col), "import-file", msg_id, byte=text.byte)
        return None
    nul = text.find("\x00")
    if nul >= 0:
        line, col = line_col(text, nul)
        r.at(Cell(label, line, col), "import-file", "encoding/nul")
        return None
    return text


def line_col(text: str, index: int) -> tuple[int, int]:
    line = len(LINE_BREAK.findall(text, 0, index)) + 1
    start = max(text.rfind("\n", 0, index), text.rfind("\r", 0, index)) + 1
    return line, index - start + 1


def breaks(text: str) -> int:
    return text.count("\n") + text.count("\r") - text.count("\r\n")
