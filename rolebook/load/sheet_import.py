"""Read an exported (and edited) workbook back into role, department and settings files.

``plan_import`` does everything but write: it reads the workbook (layout: rolebook/outputs/sheet.py
``TABLES``), turns the rows into the same data as the YAML files, merges them into the files that
exist (only the values that changed; comments and layout are kept by yamledit.update_yaml), and
checks the resulting handbook with the real ``check_handbook`` on a scratch copy. Problems in the
imported data point at the workbook: path ``FILE.xlsx[Sheet]``, line = row, column = column.
``apply_import`` then writes the planned files (backups first, each through a temporary file and a
rename). Nothing is written when the plan has an error.

The other files ``export`` writes are read into the same tables, so everything after reading is
shared: the CSV files (one per table, STEM-positions.csv …; given one, the others of the same export
beside it are read too; a problem is at ``FILE.csv:line:column``, the line in the file where the
cell is and its column number) and the JSON (schema/export.schema.json, checked against it; parsed
here to know where each value is: ``FILE.json:line:column``). Both must be UTF-8: what they look
like instead (GBK, UTF-16) is said, with how to save them as UTF-8.

Rules, chosen so HR's data is never lost:

* a sheet or column that is missing leaves those values as they are; a present but empty cell
  removes the value; rows that are missing never delete a file;
* for each role in 岗位/Positions, the 职责/Duties and 职责综述/Summary sheets (when present) are the
  whole list, in 序号 order (a row without 序号 stays after the row above it);
* 直接下级/Direct reports is written to a file only when it was edited: a role whose file leaves
  subordinates to be derived keeps deriving them, and an explicit list follows a changed reporting
  line by itself, as ``new`` does;
* a role whose 部门 changed moves to the new folder.
"""

from __future__ import annotations

import copy
import csv
import dataclasses
import datetime as dt
import difflib
import io
import itertools
import math
import os
import re
import zipfile
import zlib
from bisect import bisect_right
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from json.decoder import JSONDecodeError, scanstring  # type: ignore[attr-defined]
from pathlib import Path
from typing import Any, NamedTuple

from rolebook.check.handbook import ID_RE, WINDOWS_RESERVED, suggest_id
from rolebook.check.registry import Code
from rolebook.check.schema import is_valid, load_schema, schema_problems
from rolebook.check.suggest import nearest_id
from rolebook.i18n import LANGS, MESSAGES, Lang, Messages
from rolebook.load.files import DEPARTMENT_FILE, ROLE_SUFFIXES, ROLES_DIR, SETTINGS_FILE, NotUtf8, discover, read_bytes, read_text, utf8_text
from rolebook.load.import_write import BACKUP_DIR, leads_out, scratch_dir, write_changes, write_new
from rolebook.load.logo import LogoError, read_logo
from rolebook.load.sheet_xlsx import Workbook, XlsxError, open_workbook
from rolebook.load.yamledit import dump_yaml, modeline, update_yaml
from rolebook.load.yamlstrict import MAX_DEPTH, Document, parse_yaml
from rolebook.outputs.sheet import (
    DEPARTMENTS,
    DUTIES,
    EXPORT_FORMAT,
    EXPORT_VERSION,
    FORMULA_START,
    POSITIONS,
    SETTINGS,
    TABLES,
    WORKFLOWS,
    Column,
    Table,
)
from rolebook.pipeline import CheckResult, check_handbook, load_settings
from rolebook.problems import Problem, has_errors, sort_problems

MAX_ROWS = 200_000  # rows with values in one sheet or CSV file

IMPORT_CODES: tuple[Code, ...] = (
    Code(
        "import-file",
        "error",
        "The file cannot be read: it is missing, its name does not end in .xlsx, .csv or .json, it is not what its name says (an old .xls, a CSV named .xlsx), it is damaged or far larger than any handbook needs, a CSV or JSON file is not UTF-8 (the message says what it looks like: Excel's GBK or UTF-16) or not valid CSV or JSON, or a JSON file is not a rolebook export.\n\n无法读取文件：文件不存在、扩展名不是 .xlsx、.csv 或 .json、内容和扩展名不符（例如旧的 .xls）、已损坏或大得不合理、CSV 或 JSON 文件不是 UTF-8 编码（信息会说明它像什么编码）或格式不对，或 JSON 文件不是 rolebook 的导出文件。",
    ),
    Code(
        "import-sheet",
        "error",
        "A sheet the import needs is missing (岗位/Positions when 职责/Duties or 职责综述/Summary is there; for CSV files, the …-positions.csv beside them), or a CSV file's table cannot be told from its name or headings. A sheet with another name is ignored, with a warning.\n\n缺少导入需要的工作表（CSV：缺少岗位表文件），或看不出 CSV 文件是哪张表；名称不认识的工作表会被忽略（警告）。",
    ),
    Code(
        "import-column",
        "error",
        "A column heading is unknown (ignored, with a warning and the nearest known heading), appears twice, or the column that names the row (岗位标识, 部门标识) is missing.\n\n列标题不认识（忽略并给出最接近的标题）、重复，或缺少标识列。",
    ),
    Code(
        "import-cell",
        "error",
        "A cell holds a formula, or 序号 is not a whole number. Type the text itself; to start text with '=', type an apostrophe first.\n\n单元格里是公式，或序号不是整数。",
    ),
    Code(
        "import-interrupted",
        "warning",
        "An import was interrupted before it finished (the process was killed, the machine lost power). The next command (import, check, build, …) undoes it from the journal in .rolebook-backup/, so the handbook is as it was before that import, and says so; a file changed by hand since is left as it is, its old version kept in .rolebook-backup/<n>/.\n\n导入在完成之前被中断（进程被杀掉、断电）。下一个命令（import、check、build 等）根据 .rolebook-backup/ 里的日志撤销那次导入，使手册恢复到导入之前的样子，并给出提示；期间被手工修改过的文件保持原样，旧版本保存在 .rolebook-backup/<编号>/。",
    ),
    Code(
        "import-row",
        "error",
        "A row has no id, repeats an id, has an id that is not a valid file name, or refers to a position or department that is neither in the workbook nor in the handbook; a line of a CSV file has more cells than the heading line (a warning when it has fewer: the missing cells count as empty).\n\n某一行没有标识、标识重复或不合规，或引用了不存在的岗位或部门；CSV 文件的某一行比标题行的单元格多（少时是警告：缺少的按空白处理）。",
    ),
)


# ---------------------------------------------------------------------------
# reading the workbook


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
class _Reader:
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

    def whole(self, code: str, msg_id: str, where: str | None = None, **args: Any) -> None:
        self.problems.append(Problem(where or self.name, 0, 0, "error", code, self.text(msg_id, **args)))


def _norm(text: str) -> str:
    return " ".join(str(text).split()).casefold()


def _names(table: Table) -> set[str]:
    return {_norm(table.name(lang)) for lang in LANGS} | {_norm(table.key)}


def _headings(col: Column) -> set[str]:
    return {_norm(col.heading(lang)) for lang in LANGS} | {_norm(col.key)}


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


def _convert(col: Column, raw: Any) -> Any:
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


def read_source(path: Path, msgs: Messages) -> tuple[dict[str, SheetData], _Reader]:
    """The tables in the file ``import`` was given, read as its extension says (.xlsx, .csv, .json, in any case);
    the reader holds what is wrong with it."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return read_csv(path, msgs)
    if suffix == ".json":
        return read_json(path, msgs)
    r = _Reader(path.name, msgs)
    if suffix == ".xlsx":
        return read_workbook(path, r), r
    if suffix:
        r.whole("import-file", "import/unknown-type", ext=path.suffix)
    else:
        r.whole("import-file", "import/no-type")
    return {}, r


def read_workbook(path: Path, r: _Reader) -> dict[str, SheetData]:
    """The known sheets of the workbook as rows of values; what is wrong with the layout or cells goes to ``r``."""
    msgs = r.msgs
    out: dict[str, SheetData] = {}
    sheet = ""
    try:
        with zipfile.ZipFile(path) as z:
            wb = open_workbook(z)
            for sheet, part in wb.sheets:
                table = next((t for t in TABLES if _norm(sheet) in _names(t)), None)
                if table is None:
                    r.at(Cell(sheet, 1, 1), "import-sheet", "import/unknown-sheet", "warning", name=sheet)
                    continue
                if table.key in out:
                    continue
                out[table.key] = _read_sheet(wb, sheet, part, table, r)
    except XlsxError as exc:
        if exc.where is None:
            r.whole("import-file", exc.msg_id, **exc.args_)
        else:
            r.at(Cell(*exc.where), "import-file", exc.msg_id, **exc.args_)
        return out
    except zipfile.BadZipFile as exc:
        if not sheet:
            r.whole("import-file", "import/not-xlsx")
        else:
            r.whole("import-file", "import/unreadable", detail=f"{type(exc).__name__}: {exc}"[:300])
        return out
    except (OSError, EOFError, RuntimeError, NotImplementedError, zlib.error) as exc:  # a damaged or encrypted member
        detail = exc.strerror if isinstance(exc, OSError) and exc.strerror else f"{type(exc).__name__}: {exc}"
        r.whole("import-file", "import/unreadable", detail=detail[:300])
        return out
    if ("duties" in out or "summary" in out) and "positions" not in out:
        r.whole("import-sheet", "import/no-sheet", name=POSITIONS.name(msgs.lang))
    if not out and not has_errors(r.problems):
        r.whole("import-sheet", "import/no-sheet", name=POSITIONS.name(msgs.lang))
    return out


def _read_headings(sheet: str, table: Table, headings: Iterable[tuple[int, Any]], r: _Reader, row: int = 1) -> tuple[dict[int, Column], dict[str, int]]:
    """The heading row (column number, text): which column holds what (by column number), and the column of each key."""
    by_col: dict[int, Column] = {}
    seen: dict[str, int] = {}
    lang = r.msgs.lang
    for col_no, value in headings:
        if value is None or str(value).strip() == "":
            continue
        heading = str(value)
        col = next((k for k in table.columns if _norm(heading) in _headings(k)), None)
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


def _read_sheet(wb: Workbook, name: str, part: str, table: Table, r: _Reader) -> SheetData:
    """The rows of one sheet: row 1 holds the headings; only rows with values count (towards MAX_ROWS too)."""
    rows = wb.rows(name, part)
    first = next(rows, None)
    header = first[1] if first is not None and first[0] == 1 else []
    by_col, seen = _read_headings(name, table, ((c.column, c.value) for c in header), r)
    data: list[SheetRow] = []
    pending = [first] if first is not None and first[0] != 1 else []
    for n, (i, cells) in enumerate(itertools.chain(pending, rows), start=1):
        if n > MAX_ROWS:
            r.at(Cell(name, i, 1), "import-file", "import/too-many-rows", name=name, limit=MAX_ROWS)
            break
        values: dict[str, Value] = {}
        for c in cells:
            col = by_col.get(c.column)
            if col is None:
                continue
            where = Cell(name, i, c.column)
            if c.formula:
                r.at(where, "import-cell", "import/formula", formula=r.msgs.quote(c.value))
                continue
            value = _convert(col, c.value)
            if value is not None:
                values[col.key] = Value(value, where)
        if values:
            data.append(SheetRow(i, values, Cell(name, i, min(v.cell.col for v in values.values()))))
    return SheetData(table, name, frozenset(seen), tuple(data))


# ---------------------------------------------------------------------------
# reading the CSV files and the JSON file `export` writes

MAX_TEXT = 100_000_000  # bytes of one CSV or JSON file: an export of 10,000 roles is about 30 MB
_ZIP = b"PK\x03\x04"  # an .xlsx (any zip)
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # an old .xls
_CSV_NAME = re.compile(r"(.*)-(" + "|".join(t.key for t in TABLES) + r")\.csv", re.IGNORECASE)
_LINE_BREAK = re.compile(r"\r\n|\r|\n")  # as csv counts lines


def _read_limited(path: Path, label: str, r: _Reader) -> bytes | None:
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


def _decoded(data: bytes, label: str, r: _Reader) -> str | None:
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
        line, col = _line_col(text, nul)
        r.at(Cell(label, line, col), "import-file", "encoding/nul")
        return None
    return text


def _line_col(text: str, index: int) -> tuple[int, int]:
    line = len(_LINE_BREAK.findall(text, 0, index)) + 1
    start = max(text.rfind("\n", 0, index), text.rfind("\r", 0, index)) + 1
    return line, index - start + 1


def _breaks(text: str) -> int:
    return text.count("\n") + text.count("\r") - text.count("\r\n")


def _csv_files(path: Path) -> tuple[str, list[Path]]:
    """The CSV file ``import`` was given and, when it is named as ``export`` names them (STEM-positions.csv,
    STEM-duties.csv …), the other tables of that export beside it; and the name that stands for them all."""
    m = _CSV_NAME.fullmatch(path.name)
    if m is None:
        return path.name, [path]
    stem = m.group(1)
    found: dict[str, Path] = {m.group(2).lower(): path}
    try:
        names = sorted(os.listdir(path.parent))
    except OSError:
        names = []
    for entry in names:
        other = _CSV_NAME.fullmatch(entry)
        if other and other.group(1) == stem and other.group(2).lower() not in found and (path.parent / entry).is_file():
            found[other.group(2).lower()] = path.parent / entry
    files = [found[t.key] for t in TABLES if t.key in found]
    return (f"{stem}-*.csv" if len(files) > 1 else path.name), files


def _csv_table(path: Path, headings: list[str]) -> Table | None:
    """Which table a CSV file holds: by its name (as export names it, or a sheet's name), else by its headings."""
    m = _CSV_NAME.fullmatch(path.name)
    if m is not None:
        return next(t for t in TABLES if t.key == m.group(2).lower())
    by_name = next((t for t in TABLES if _norm(path.stem) in _names(t)), None)
    if by_name is not None:
        return by_name
    scores = sorted(((sum(any(_norm(h) in _headings(c) for c in t.columns) for h in headings), n) for n, t in enumerate(TABLES)), reverse=True)
    if scores[0][0] == 0 or scores[0][0] == scores[1][0]:
        return None
    return TABLES[scores[0][1]]


def _csv_fault(text: str, start: int, delimiter: str) -> tuple[str, int, int] | None:
    """Where the CSV record that starts at ``start`` goes wrong: (message id, offset, column), or None."""
    limit = csv.field_size_limit()
    ends = re.compile(f"[{re.escape(delimiter)}\r\n]")
    i, n, column = start, len(text), 1
    while i < n:
        cell = i
        if text[i] == '"':
            i += 1
            while True:
                j = text.find('"', i)
                if j < 0:
                    return "import/csv-open-quote", cell, column
                if text.startswith('""', j):
                    i = j + 2
                    continue
                i = j + 1
                break
            if i < n and text[i] not in (delimiter, "\r", "\n"):
                return "import/csv-after-quote", i, column
        else:
            end = ends.search(text, i)
            i = end.start() if end else n
        if i - cell > limit:
            return "import/csv-cell-too-long", cell, column
        if i >= n or text[i] in "\r\n":
            return None
        i += 1
        column += 1
    return None


def _csv_records(text: str, delimiter: str, label: str, r: _Reader) -> list[tuple[int, list[str]]] | None:
    """Every record with the line it starts on; None when the file is not valid CSV (a problem says where)."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    out: list[tuple[int, list[str]]] = []
    last = 0
    try:
        for record in reader:
            out.append((last + 1, record))
            last = reader.line_num
    except csv.Error as exc:
        starts = [0] + [m.end() for m in _LINE_BREAK.finditer(text)]
        start = starts[min(last, len(starts) - 1)]
        fault = _csv_fault(text, start, delimiter)
        if fault is None:
            r.at(Cell(label, last + 1, 1), "import-file", "import/csv-syntax", detail=str(exc))
        else:
            msg_id, offset, column = fault
            r.at(Cell(label, _line_col(text, offset)[0], column), "import-file", msg_id, limit=csv.field_size_limit())
        return None
    return out


def _read_csv_file(path: Path, r: _Reader) -> SheetData | None:
    label = path.name
    data = _read_limited(path, label, r)
    text = _decoded(data, label, r) if data is not None else None
    if text is None:
        return None
    first = text[: text.find("\n")] if "\n" in text else text
    delimiter = ";" if "," not in first and ";" in first else "\t" if "," not in first and "\t" in first else ","  # Excel in some locales
    records = _csv_records(text, delimiter, label, r)
    if records is None:
        return None
    records = [(line, rec) for line, rec in records if any(rec)] if records else []  # blank lines
    if not records:
        r.whole("import-file", "import/csv-empty", where=label)
        return None
    head_line, header = records[0]
    table = _csv_table(path, header)
    if table is None:
        r.at(Cell(label, head_line, 1), "import-sheet", "import/csv-table")
        return None
    by_col, seen = _read_headings(label, table, enumerate(header, start=1), r, head_line)
    width = max(by_col, default=0)  # the last column that is read
    rows: list[SheetRow] = []
    for n, (line, record) in enumerate(records[1:], start=2):
        if n > MAX_ROWS:
            r.at(Cell(label, line, 1), "import-file", "import/too-many-rows", name=label, limit=MAX_ROWS)
            break
        lines = [line]
        for cell_text in record[:-1]:
            lines.append(lines[-1] + _breaks(cell_text))
        extra = next((j for j in range(len(header), len(record)) if record[j].strip()), None)
        if extra is not None:
            r.at(Cell(label, lines[extra], extra + 1), "import-row", "import/csv-extra-cells", count=len(record), expected=len(header))
            continue
        if len(record) < width:
            r.at(Cell(label, lines[-1], len(record) + 1), "import-row", "import/csv-short-row", "warning", count=len(record), expected=len(header))
        values: dict[str, Value] = {}
        for j, raw in enumerate(record, start=1):
            col = by_col.get(j)
            if col is None or raw == "":
                continue
            if raw.startswith("'") and raw.lstrip("'").startswith(FORMULA_START):
                raw = raw[1:]  # export's guard against spreadsheet formulas (rolebook/outputs/sheet.py _csv_cell)
            value = _convert(col, raw)
            if value is not None:
                values[col.key] = Value(value, Cell(label, lines[j - 1], j))
        if values:
            rows.append(SheetRow(line, values, Cell(label, line, min(v.cell.col for v in values.values()))))
    return SheetData(table, label, frozenset(seen), tuple(rows))


def read_csv(path: Path, msgs: Messages) -> tuple[dict[str, SheetData], _Reader]:
    """The tables of a CSV export: the file given and the other tables of the same export beside it."""
    name, files = _csv_files(path)
    r = _Reader(name, msgs, kind="csv", files=len(files))
    out: dict[str, SheetData] = {}
    for f in files:
        sheet = _read_csv_file(f, r)
        if sheet is not None:
            out.setdefault(sheet.table.key, sheet)
    if ("duties" in out or "summary" in out) and "positions" not in out and not has_errors(r.problems):
        m = _CSV_NAME.fullmatch(path.name)
        r.whole("import-sheet", "import/csv-no-positions", where=path.name, name=f"{m.group(1) if m else '…'}-positions.csv")
    return out, r


# JSON: parsed here, not by json.loads, to know the line and column of every value


_JSON_SPACE = re.compile(r"[ \t\n\r]*")
_JSON_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?")
_SURROGATE = re.compile("[\ud800-\udfff]")
_JSON_WORDS = (("true", True), ("false", False), ("null", None))


class _JsonError(Exception):
    def __init__(self, msg_id: str, at: int, **args: Any) -> None:
        super().__init__(msg_id)
        self.msg_id, self.at, self.args_ = msg_id, at, args
        self.pos = (1, 1)  # line and column of ``at``, set by _parse_json


def _parse_json(text: str) -> Document:
    """Strict JSON (no NaN, no comments, no duplicate names, at most MAX_DEPTH levels) with the position of every value and name."""
    values: dict[tuple[str | int, ...], int] = {}
    keys: dict[tuple[str | int, ...], int] = {}
    quoted: set[tuple[str | int, ...]] = set()  # text values ("15", "true"), for check's hints
    starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def pos(index: int) -> tuple[int, int]:
        n = bisect_right(starts, index) - 1
        return n + 1, index - starts[n] + 1

    def skip(i: int) -> int:
        m = _JSON_SPACE.match(text, i)
        return m.end() if m else i

    def string(i: int) -> tuple[str, int]:
        try:
            s, end = scanstring(text, i + 1, True)
        except JSONDecodeError as exc:
            if exc.msg.startswith("Unterminated"):
                raise _JsonError("import/json/string", i) from None
            raise _JsonError("import/json/control" if exc.msg.startswith("Invalid control") else "import/json/escape", exc.pos) from None
        bad = _SURROGATE.search(s)
        if bad:
            raise _JsonError("import/json/surrogate", i, hex=f"{ord(bad.group()):04x}")
        return s, end

    def container(i: int, path: tuple[str | int, ...], depth: int, close: str) -> tuple[Any, int]:
        if depth >= MAX_DEPTH:
            raise _JsonError("too-deep", i, limit=MAX_DEPTH)
        out: Any = {} if close == "}" else []
        i = skip(i + 1)
        if text.startswith(close, i):
            return out, i + 1
        while True:
            if close == "}":
                if not text.startswith('"', i):
                    raise _JsonError("import/json/name", i)
                at = i
                key, i = string(i)
                sub: tuple[str | int, ...] = (*path, key)
                if key in out:
                    raise _JsonError("duplicate-key", at, key=key, first=pos(keys[sub])[0])
                keys[sub] = at
                i = skip(i)
                if not text.startswith(":", i):
                    raise _JsonError("import/json/colon", i)
                i = skip(i + 1)
            else:
                sub = (*path, len(out))
            item, i = value(i, sub, depth + 1)
            if close == "}":
                out[sub[-1]] = item
            else:
                out.append(item)
            i = skip(i)
            if text.startswith(",", i):
                after = skip(i + 1)
                if text.startswith(close, after):
                    raise _JsonError("import/json/trailing-comma", i, close=close)
                i = after
                continue
            if text.startswith(close, i):
                return out, i + 1
            raise _JsonError("import/json/comma", i, close=close)

    def value(i: int, path: tuple[str | int, ...], depth: int) -> tuple[Any, int]:
        values[path] = i
        ch = text[i : i + 1]
        if ch == '"':
            quoted.add(path)
            return string(i)
        if ch in ("{", "["):
            return container(i, path, depth, "}" if ch == "{" else "]")
        m = _JSON_NUMBER.match(text, i)
        if m:
            number = m.group()
            if m.group(1) or m.group(2) or len(number) > 100:  # a hundred digits: a number no handbook holds, and int() may refuse it
                return float(number), m.end()
            return int(number), m.end()
        for word, v in _JSON_WORDS:
            if text.startswith(word, i):
                return v, i + len(word)
        raise _JsonError("import/json/value", i)

    try:
        data, end = value(skip(0), (), 0)
        end = skip(end)
        if end < len(text):
            raise _JsonError("import/json/extra", end)
    except _JsonError as exc:
        exc.pos = pos(exc.at)
        raise
    return Document(data=data, values={p: pos(at) for p, at in values.items()}, keys={p: pos(at) for p, at in keys.items()}, quoted=quoted)


# where each column's value is in a role, a department, a workflow and the settings of the JSON export
_JSON_COLUMNS: dict[str, dict[str, tuple[str, ...]]] = {
    "positions": {
        **{
            k: (k,)
            for k in ("number", "id", "title", "department", "reports_to", "subordinates", "headcount", "effective_date", "approver", "revision", "status")
        },
        **{k: ("qualifications", k) for k in ("education", "experience", "abilities", "other")},
        **{f"{side}.{k}": (side, k) for side in ("internal", "external") for k in ("percent", "parties")},
    },
    "departments": {k: (k,) for k in ("id", "name", "parent", "order", "description", "duties", "requirements")},
    "workflows": {"name": ("name",), "steps": ("steps",)},
    "settings": {k: (k,) for k in ("organisation", "language", "logo", "signatures")},
}


def _json_rows(doc: Document, name: str) -> dict[str, SheetData]:
    """The export's model as the rows of the workbook's tables, each value at its place in the file."""
    data = doc.data
    rows: dict[str, list[SheetRow]] = {t.key: [] for t in TABLES}
    by_key = {t.key: t for t in TABLES}

    def cell(path: tuple[str | int, ...]) -> Cell:
        return Cell(name, *doc.pos(path))

    def row(table: str, at: tuple[str | int, ...], obj: Any, extra: dict[str, Value] | None = None, fields: dict[str, tuple[str, ...]] | None = None) -> None:
        values = dict(extra or {})
        for key, rel in (fields if fields is not None else _JSON_COLUMNS[table]).items():
            raw: Any = obj
            for part in rel:
                raw = raw.get(part) if isinstance(raw, dict) else None
            col = by_key[table].column(key)
            if col.kind == "list":
                value: Any = [str(x) for x in raw] if isinstance(raw, list) and raw else None
            else:
                value = _convert(col, raw)
            if value is not None:
                values[key] = Value(value, cell((*at, *rel)))
        rows[table].append(SheetRow(cell(at).row, values, cell(at)))

    for i, role in enumerate(data["roles"]):
        at: tuple[str | int, ...] = ("roles", i)
        row("positions", at, role)
        rid = Value(role["id"], cell((*at, "id")))
        for key, list_key, text_key in (("duties", "duties", "duty"), ("summary", "items", "item")):
            for g, group in enumerate(role[key]):
                gat = (*at, key, g)
                named = {"group": Value(group["group"], cell((*gat, "group")))} if group["group"] is not None else {}
                for n, item in enumerate(group[list_key]):
                    iat = (*gat, list_key, n)
                    if key == "duties":
                        row("duties", iat, item, {"role": rid, **named}, {"duty": ("duty",), "kpis": ("kpis",)})
                    else:
                        rows["summary"].append(SheetRow(cell(iat).row, {"role": rid, **named, text_key: Value(item, cell(iat))}, cell(iat)))
    for i, dept in enumerate(data["departments"]):
        at = ("departments", i)
        row("departments", at, dept)
        did = Value(dept["id"], cell((*at, "id")))
        for w, flow in enumerate(dept["workflows"]):
            row("workflows", (*at, "workflows", w), flow, {"department": did})
    row("settings", ("settings",), data["settings"])
    return {t.key: SheetData(t, name, frozenset(c.key for c in t.columns), tuple(rows[t.key])) for t in TABLES}


def read_json(path: Path, msgs: Messages) -> tuple[dict[str, SheetData], _Reader]:
    """The tables of a JSON export (schema/export.schema.json), checked against its schema first."""
    name = path.name
    r = _Reader(name, msgs, kind="json")
    data = _read_limited(path, name, r)
    text = _decoded(data, name, r) if data is not None else None
    if text is None:
        return {}, r
    if not text.strip():
        r.whole("import-file", "import/json-empty")
        return {}, r
    try:
        doc = _parse_json(text)
    except _JsonError as exc:
        code = exc.msg_id if exc.msg_id in ("duplicate-key", "too-deep") else "import-file"
        r.at(Cell(name, *exc.pos), code, exc.msg_id, **exc.args_)
        return {}, r
    model = doc.data
    if not isinstance(model, dict) or model.get("format") != EXPORT_FORMAT:
        where = doc.pos(("format",)) if isinstance(model, dict) and "format" in model else (1, 1)
        r.at(Cell(name, *where), "import-file", "import/json-not-export")
        return {}, r
    version = model.get("version")
    if isinstance(version, int) and not isinstance(version, bool) and version != EXPORT_VERSION:
        r.at(Cell(name, *doc.pos(("version",))), "import-file", "import/json-version", version=version, supported=EXPORT_VERSION)
        return {}, r
    if not is_valid("export", model):
        r.problems.extend(schema_problems("export", doc, name, msgs))
        return {}, r
    return _json_rows(doc, name), r


# ---------------------------------------------------------------------------
# what the handbook holds now


@dataclass(frozen=True)
class Existing:
    rel: str
    text: str | None  # None when it cannot be read
    data: dict[str, Any] | None  # None when it does not parse


def _existing(root: Path, msgs: Messages) -> tuple[dict[str, Existing], dict[str, Existing], Existing | None, list[str], list[Problem]]:
    sources, found = discover(root, msgs)
    roles: dict[str, Existing] = {}
    depts: dict[str, Existing] = {}

    def read(rel: str) -> Existing:
        text = read_text(root, rel, msgs)
        if isinstance(text, Problem):
            return Existing(rel, None, None)
        doc = parse_yaml(text, rel, msgs)
        return Existing(rel, text, doc.data if isinstance(doc, Document) and isinstance(doc.data, dict) else None)

    for src in sources:
        if src.kind == "role":
            roles.setdefault(src.ident, read(src.rel))
        else:
            depts[src.ident] = read(src.rel)
    settings = read(SETTINGS_FILE) if (root / SETTINGS_FILE).is_file() else None
    return roles, depts, settings, [s.rel for s in sources], found


# ---------------------------------------------------------------------------
# rows → file data


@dataclass
class _Doc:
    """One file the import writes: its data and where each value came from."""

    kind: str  # role | department | settings
    ident: str
    rel: str
    data: dict[str, Any]
    anchor: Cell
    cells: dict[tuple[str | int, ...], Cell] = field(default_factory=dict)
    special: dict[str, Cell] = field(default_factory=dict)  # problem code -> cell
    old: Existing | None = None  # the file it replaces or updates
    moved_from: str | None = None

    def reg(self, path: tuple[str | int, ...], cell: Cell) -> None:
        for n in range(1, len(path) + 1):
            self.cells.setdefault(path[:n], cell)


def _order(kind: str) -> list[str]:
    return list(load_schema(kind)["properties"])


def _canonical(data: dict[str, Any], kind: str) -> dict[str, Any]:
    order = _order(kind)
    rank = {k: i for i, k in enumerate(order)}
    return {k: data[k] for k in sorted(data, key=lambda k: rank.get(k, len(order)))}


def _set(data: dict[str, Any], path: tuple[str, ...], value: Any, order: tuple[str, ...] = ()) -> None:
    """Set or (value None) remove data[path…], creating and pruning sub-mappings; new keys follow ``order``."""
    node = data
    parents: list[tuple[dict[str, Any], str]] = []
    for key in path[:-1]:
        child = node.get(key)
        if not isinstance(child, dict):
            if value is None:
                return
            child = {}
            node[key] = child
        parents.append((node, key))
        node = child
    last = path[-1]
    if value is None:
        node.pop(last, None)
        for parent, key in reversed(parents):
            if parent[key] == {}:
                del parent[key]
    else:
        node[last] = value
    if order and node is not data:
        ordered = {k: node[k] for k in order if k in node}
        ordered.update({k: v for k, v in node.items() if k not in ordered})
        node.clear()
        node.update(ordered)


ROLE_FIELDS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    # column key -> (path in the file, order of the keys at that level)
    "number": (("number",), ()),
    "title": (("title",), ()),
    "reports_to": (("reports_to",), ()),
    "headcount": (("headcount",), ()),
    "status": (("status",), ()),
    "effective_date": (("effective_date",), ()),
    "approver": (("approver",), ()),
    "revision": (("revision",), ()),
    "education": (("qualifications", "education"), ("education", "experience", "abilities", "other")),
    "experience": (("qualifications", "experience"), ("education", "experience", "abilities", "other")),
    "abilities": (("qualifications", "abilities"), ("education", "experience", "abilities", "other")),
    "other": (("qualifications", "other"), ("education", "experience", "abilities", "other")),
    "internal.percent": (("relationships", "internal", "percent"), ("percent", "parties")),
    "internal.parties": (("relationships", "internal", "parties"), ("percent", "parties")),
    "external.percent": (("relationships", "external", "percent"), ("percent", "parties")),
    "external.parties": (("relationships", "external", "parties"), ("percent", "parties")),
}
DEPT_FIELDS = ("name", "parent", "order", "description", "duties", "requirements")


def _sorted_rows(rows: Iterable[SheetRow], r: _Reader) -> list[SheetRow]:
    """In 序号 order; a row without 序号 stays after the row above it."""
    keyed = []
    last = 0
    for i, row in enumerate(rows):
        seq = row.values.get("seq")
        if seq is not None:
            if isinstance(seq.value, int) and not isinstance(seq.value, bool):
                last = seq.value
            else:
                r.at(
                    seq.cell, "import-cell", "import/not-a-number", what=r.msgs.quote(DUTIES.column("seq").heading(r.msgs.lang)), value=r.msgs.quote(seq.value)
                )
        keyed.append((last, i, row))
    keyed.sort(key=lambda k: (k[0], k[1]))
    return [k[2] for k in keyed]


def _grouped(doc: _Doc, key: str, rows: list[SheetRow], list_key: str) -> None:
    """Rows → the file's list: consecutive rows with the same group form a named group."""
    out: list[Any] = []
    current: str | None = None
    for row in rows:
        group = row.values.get("group")
        name = group.value if group is not None else None
        if key == "duties":
            item: Any = {}
            duty, kpis = row.values.get("duty"), row.values.get("kpis")
            if duty is not None:
                item["duty"] = duty.value
            if kpis is not None:
                item["kpis"] = kpis.value
        else:
            text = row.values.get("item")
            item = text.value if text is not None else None
        if item is None:  # a summary row with no text
            continue
        if name is None or group is None:
            current = None
            path: tuple[str | int, ...] = (key, len(out))
            out.append(item)
        else:
            if current != name:
                out.append({"group": name, list_key: []})
                doc.reg((key, len(out) - 1, "group"), group.cell)
                current = name
            path = (key, len(out) - 1, list_key, len(out[-1][list_key]))
            out[-1][list_key].append(item)
        doc.reg(path, row.first)
        for k, v in row.values.items():
            if k in ("duty", "kpis"):
                doc.reg((*path, k), v.cell)
                if isinstance(v.value, list):
                    for n in range(len(v.value)):
                        doc.reg((*path, k, n), v.cell)
            elif k == "item":
                doc.reg(path, v.cell)
    if out:
        doc.data[key] = out
    else:
        doc.data.pop(key, None)


def _role_docs(sheets: dict[str, SheetData], roles: dict[str, Existing], r: _Reader) -> dict[str, _Doc]:
    pos = sheets.get("positions")
    if pos is None:
        return {}
    lang = r.msgs.lang
    docs: dict[str, _Doc] = {}
    rows_of: dict[str, SheetRow] = {}
    for row in pos.rows:
        rid_v = row.values.get("id")
        if rid_v is None:
            r.at(row.first, "import-row", "import/no-id", name=POSITIONS.column("id").heading(lang))
            continue
        rid = str(rid_v.value).strip()
        if not _valid_id(rid, rid_v.cell, r):
            continue
        if rid in rows_of:
            r.at(rid_v.cell, "import-row", "import/duplicate-row", id=rid, other=rows_of[rid].row)
            continue
        rows_of[rid] = row
        old = roles.get(rid)
        dept_v = row.values.get("department")
        if dept_v is not None:
            dept = str(dept_v.value).strip()
            if not _valid_id(dept, dept_v.cell, r):
                continue
        elif old is not None and "department" not in pos.columns:
            dept = old.rel.split("/")[1]
        else:
            r.at(row.first, "import-row", "import/no-id", name=POSITIONS.column("department").heading(lang))
            continue
        base = copy.deepcopy(old.data) if old is not None and old.data is not None else {}
        if old is not None and old.rel.split("/")[1] == dept:
            rel, moved = old.rel, None
        else:
            rel, moved = f"{ROLES_DIR}/{dept}/{rid}{ROLE_SUFFIXES[0]}", old.rel if old is not None else None
        doc = _Doc("role", rid, rel, base, rid_v.cell, old=old, moved_from=moved)
        if dept_v is not None:
            doc.special["unknown-department"] = dept_v.cell
        for key, (path, order) in ROLE_FIELDS.items():
            if key not in pos.columns:
                continue
            v = row.values.get(key)
            _set(doc.data, path, v.value if v is not None else None, order)
            if v is not None:
                doc.reg(path, v.cell)
                if isinstance(v.value, list):
                    for n in range(len(v.value)):
                        doc.reg((*path, n), v.cell)
        docs[rid] = doc
    for sheet_key, key, list_key in (("duties", "duties", "duties"), ("summary", "summary", "items")):
        sheet = sheets.get(sheet_key)
        if sheet is None:
            continue
        per_role: dict[str, list[SheetRow]] = {rid: [] for rid in docs}
        for row in sheet.rows:
            ref = row.values.get("role")
            if ref is None:
                r.at(row.first, "import-row", "import/no-id", name=sheet.table.column("role").heading(lang))
                continue
            rid = str(ref.value).strip()
            if rid in per_role:
                per_role[rid].append(row)
            elif rid not in rows_of:
                near = nearest_id(rid, {k: None for k in rows_of})
                msg = "import/unknown-role/suggest" if near else "import/unknown-role"
                r.at(ref.cell, "import-row", msg, id=rid, sheet=pos.sheet, suggestion=near or "")
        for rid, doc in docs.items():
            _grouped(doc, key, _sorted_rows(per_role[rid], r), list_key)
    return docs


def _valid_id(ident: str, cell: Cell, r: _Reader) -> bool:
    if ident.lower() in WINDOWS_RESERVED:
        r.at(cell, "import-row", "bad-id/reserved", name=ident)
        return False
    if not ID_RE.fullmatch(ident):
        r.at(cell, "import-row", "bad-id", name=ident, suggestion=suggest_id(ident))
        return False
    return True


def _subordinates(docs: dict[str, _Doc], pos: SheetData | None, roles: dict[str, Existing]) -> None:
    """直接下级: written only when edited (see the module docstring)."""
    if pos is None:
        return
    final_sup: dict[str, str | None] = {rid: (e.data or {}).get("reports_to") for rid, e in roles.items()}
    final_sup.update({rid: d.data.get("reports_to") for rid, d in docs.items()})
    rank = {row.get("id"): n for n, row in enumerate(pos.rows)}
    new_derived: dict[str, list[str]] = {}
    for rid in sorted(final_sup, key=lambda x: (rank.get(x, len(rank)), x)):
        sup = final_sup[rid]
        if isinstance(sup, str):
            new_derived.setdefault(sup, []).append(rid)
    old_derived: dict[str, set[str]] = {}
    for rid, e in roles.items():
        sup = (e.data or {}).get("reports_to")
        if isinstance(sup, str):
            old_derived.setdefault(sup, set()).add(rid)
    rows = {str(row.get("id")).strip(): row for row in pos.rows if row.get("id") is not None}
    column = "subordinates" in pos.columns
    for rid, doc in docs.items():
        v = rows[rid].values.get("subordinates") if rid in rows else None
        cell_list: list[str] | None = v.value if v is not None and isinstance(v.value, list) else None
        if v is not None:
            doc.reg(("subordinates",), v.cell)
            for n in range(len(v.value) if isinstance(v.value, list) else 0):
                doc.reg(("subordinates", n), v.cell)
        explicit = doc.data.get("subordinates")
        derived = new_derived.get(rid, [])
        if isinstance(explicit, list):
            edited = column and {str(x) for x in (cell_list or [])} != {str(x) for x in explicit}
            if edited:
                _set(doc.data, ("subordinates",), cell_list)
            else:  # follow the reporting lines, keeping HR's order
                follow = [x for x in explicit if x in derived] + [x for x in derived if x not in explicit]
                if follow != explicit:
                    doc.data["subordinates"] = follow
        elif column and cell_list is not None:
            before = old_derived.get(rid, set()) if doc.old is not None else set(derived)
            if set(cell_list) != before:
                doc.data["subordinates"] = cell_list
        if "subordinates" in doc.data and not doc.data.get("subordinates") and not isinstance(explicit, list):
            del doc.data["subordinates"]


def _dept_docs(sheets: dict[str, SheetData], depts: dict[str, Existing], r: _Reader) -> dict[str, _Doc]:
    lang = r.msgs.lang
    docs: dict[str, _Doc] = {}
    sheet = sheets.get("departments")
    rows_of: dict[str, SheetRow] = {}
    if sheet is not None:
        for row in sheet.rows:
            id_v = row.values.get("id")
            if id_v is None:
                r.at(row.first, "import-row", "import/no-id", name=DEPARTMENTS.column("id").heading(lang))
                continue
            did = str(id_v.value).strip()
            if not _valid_id(did, id_v.cell, r):
                continue
            if did in rows_of:
                r.at(id_v.cell, "import-row", "import/duplicate-row", id=did, other=rows_of[did].row)
                continue
            rows_of[did] = row
            old = depts.get(did)
            base = copy.deepcopy(old.data) if old is not None and old.data is not None else {}
            doc = _Doc("department", did, f"{ROLES_DIR}/{did}/{DEPARTMENT_FILE}", base, id_v.cell, old=old)
            for key in DEPT_FIELDS:
                if key not in sheet.columns:
                    continue
                v = row.values.get(key)
                _set(doc.data, (key,), v.value if v is not None else None)
                if v is not None:
                    doc.reg((key,), v.cell)
                    for n in range(len(v.value) if isinstance(v.value, list) else 0):
                        doc.reg((key, n), v.cell)
            docs[did] = doc
    wf = sheets.get("workflows")
    if wf is None:
        return docs
    per: dict[str, list[SheetRow]] = {did: [] for did in docs}
    for row in wf.rows:
        ref = row.values.get("department")
        if ref is None:
            r.at(row.first, "import-row", "import/no-id", name=WORKFLOWS.column("department").heading(lang))
            continue
        did = str(ref.value).strip()
        if did not in per:
            old = depts.get(did)
            if old is None or old.data is None:
                r.at(ref.cell, "import-row", "import/unknown-department", id=did, sheet=sheet.sheet if sheet else DEPARTMENTS.name(lang))
                continue
            docs[did] = _Doc("department", did, old.rel, copy.deepcopy(old.data), ref.cell, old=old)
            per[did] = []
        per[did].append(row)
    for did, rows in per.items():
        doc = docs[did]
        flows: list[dict[str, Any]] = []
        for row in rows:
            flow: dict[str, Any] = {}
            path = ("workflows", len(flows))
            doc.reg(path, row.first)
            for key in ("name", "steps"):
                v = row.values.get(key)
                if v is not None:
                    flow[key] = v.value
                    doc.reg((*path, key), v.cell)
                    for n in range(len(v.value) if isinstance(v.value, list) else 0):
                        doc.reg((*path, key, n), v.cell)
            flows.append(flow)
        _set(doc.data, ("workflows",), flows or None)
    return docs


def _settings_doc(sheets: dict[str, SheetData], old: Existing | None, r: _Reader) -> _Doc | None:
    sheet = sheets.get("settings")
    if sheet is None or not sheet.rows:
        return None
    if len(sheet.rows) > 1:
        r.at(sheet.rows[1].first, "import-row", "import/one-settings-row")
        return None
    row = sheet.rows[0]
    base = copy.deepcopy(old.data) if old is not None and old.data is not None else {}
    doc = _Doc("settings", "", SETTINGS_FILE, base, row.first, old=old)
    for col in SETTINGS.columns:
        if col.key not in sheet.columns:
            continue
        v = row.values.get(col.key)
        value = v.value if v is not None else None
        if col.key == "signatures" and value is False and "signatures" not in base:
            continue  # false is the default: do not add a line for it
        _set(doc.data, (col.key,), value)
        if v is not None:
            doc.reg((col.key,), v.cell)
    return doc


# ---------------------------------------------------------------------------
# the plan


@dataclass(frozen=True)
class Change:
    rel: str
    old_text: str | None  # None: a new file
    new_text: str | None  # None: the file is removed (a role that moved to another department)
    moved_from: str | None = None  # the role's old file, when it moved here from another department


@dataclass(frozen=True)
class ImportPlan:
    source: str  # the workbook's name as shown in messages
    msgs: Messages
    problems: tuple[Problem, ...]
    changes: tuple[Change, ...] = ()
    unchanged: int = 0
    files_checked: int = 1  # the workbook, then the files of the handbook it would make

    def failed(self) -> bool:
        return has_errors(self.problems)

    @property
    def created(self) -> int:
        return sum(c.old_text is None and c.new_text is not None and c.moved_from is None for c in self.changes)

    @property
    def updated(self) -> int:
        """Files changed in place, and roles moved to another department."""
        return sum(c.new_text is not None and (c.old_text is not None or c.moved_from is not None) for c in self.changes)

    def replaced(self) -> list[str]:
        """Existing files the plan changes or removes (they need --overwrite)."""
        return [c.rel for c in self.changes if c.old_text is not None]

    def diff(self) -> str:
        out: list[str] = []
        for c in self.changes:
            a = (c.old_text or "").splitlines(keepends=True)
            b = (c.new_text or "").splitlines(keepends=True)
            out.extend(
                difflib.unified_diff(
                    a, b, fromfile="/dev/null" if c.old_text is None else f"a/{c.rel}", tofile="/dev/null" if c.new_text is None else f"b/{c.rel}"
                )
            )
        return "".join(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in out)


def _text_for(doc: _Doc, root: Path, r: _Reader) -> str | None:
    data = _canonical(doc.data, doc.kind)
    old = doc.old
    if old is not None and old.text is not None and old.data is not None:
        if old.data == data and doc.moved_from is None:
            return old.text  # nothing changed: not even a byte
        try:
            return update_yaml(old.text, data, doc.rel)
        except Exception:  # ruamel may refuse what the strict loader read: write the data afresh
            pass
    head = modeline(root, root / doc.rel, doc.kind)
    try:
        return dump_yaml(data, [head.removeprefix("# ")], doc.rel)
    except Exception as exc:  # a value YAML cannot carry faithfully: refuse the row, never crash
        r.at(doc.anchor, "import-row", "import/cannot-write", path=doc.rel, detail=str(exc)[:200])
        return None


def _source_language(path: Path) -> Lang | None:
    """For a folder without rolebook.yml: the language of the workbook's sheet names, of a CSV file's
    headings, or the one a JSON export's settings name."""
    suffix = path.suffix.lower()
    if suffix in (".csv", ".json"):
        try:
            with open(path, "rb") as fh:
                head = fh.read(65536).decode("utf-8-sig", errors="replace")
        except OSError:
            return None
        if suffix == ".json":
            m = re.search(r'"language"\s*:\s*"(zh|en)"', head)
            return "zh" if m and m.group(1) == "zh" else "en" if m else None
        first = next(csv.reader(io.StringIO(head.splitlines()[0] if head.strip() else "")), [])
        for lang in LANGS:
            if any(_norm(h) == _norm(c.heading(lang)) for h in first for t in TABLES for c in t.columns if c.heading("zh") != c.heading("en")):
                return lang
        return None
    try:
        with zipfile.ZipFile(path) as z:
            titles = {_norm(name) for name, _ in Workbook(z).sheets}  # only the sheet names: the size limit is not needed
    except (XlsxError, zipfile.BadZipFile, OSError, EOFError, RuntimeError, NotImplementedError, zlib.error):
        return None
    for lang in LANGS:
        if any(_norm(t.name(lang)) in titles for t in TABLES if t.name("zh") != t.name("en")):
            return lang
    return None


def plan_import(source: Path, root: Path, lang: Lang | None = None) -> ImportPlan:
    """Everything ``import`` would do, checked; nothing is written. ``source``: an .xlsx, .csv or .json file."""
    if lang is None and not (root / SETTINGS_FILE).exists():
        lang = _source_language(source)
    settings, _ = load_settings(root, lang)
    msgs = Messages(settings.language)
    sheets, r = read_source(source, msgs)
    name = r.name
    if has_errors(r.problems):
        return ImportPlan(name, msgs, tuple(sort_problems(r.problems)), files_checked=r.files)
    roles, depts, old_settings, sources, found = _existing(root, msgs)
    role_docs = _role_docs(sheets, roles, r)
    _subordinates(role_docs, sheets.get("positions"), roles)
    dept_docs = _dept_docs(sheets, depts, r)
    settings_doc = _settings_doc(sheets, old_settings, r)
    if has_errors(r.problems):
        return ImportPlan(name, msgs, tuple(sort_problems(r.problems)), files_checked=r.files)
    docs: list[_Doc] = [*dept_docs.values(), *role_docs.values(), *([settings_doc] if settings_doc else [])]
    made = {d.rel: _text_for(d, root, r) for d in docs}
    texts = {rel: text for rel, text in made.items() if text is not None}
    if has_errors(r.problems):
        return ImportPlan(name, msgs, tuple(sort_problems(r.problems)), files_checked=r.files)
    removed = {d.moved_from for d in docs if d.moved_from}
    unsafe = _unsafe(root, [*sources, *texts, *removed], found, msgs)
    if unsafe:
        return ImportPlan(name, msgs, tuple(sort_problems(unsafe)), files_checked=r.files)
    result = _check_copy(root, sources, texts, removed, lang, msgs)
    problems = _relocate(result.problems, docs, texts, r)
    changes: list[Change] = []
    unchanged = 0
    for d in docs:
        old_text = d.old.text if d.old is not None and d.moved_from is None else None
        if old_text == texts[d.rel]:
            unchanged += 1
            continue
        changes.append(Change(d.rel, old_text, texts[d.rel], d.moved_from))
        if d.moved_from is not None:
            changes.append(Change(d.moved_from, d.old.text if d.old is not None else "", None))
    changes.sort(key=lambda c: c.rel)
    return ImportPlan(name, msgs, tuple(sort_problems(problems)), tuple(changes), unchanged, result.files_checked)


def _unsafe(root: Path, rels: Iterable[str], found: Iterable[Problem], msgs: Messages) -> list[Problem]:
    """Symbolic links that lead out of the handbook on the way to anything the import reads or writes:
    the import is refused before anything happens (nothing is read, copied or written through them)."""
    out = [p for p in found if p.code == "symlink-outside"]
    seen = {p.path for p in out}
    for rel in sorted({BACKUP_DIR, SETTINGS_FILE, ROLES_DIR, *rels}):
        hit = leads_out(root, rel)
        if hit is not None and hit[0] not in seen:
            seen.add(hit[0])
            out.append(Problem(hit[0], 0, 0, "error", "symlink-outside", msgs.text("import/symlink-outside", path=hit[0], target=hit[1])))
    return out


def _check_copy(root: Path, sources: list[str], texts: Mapping[str, str], removed: set[str], lang: Lang | None, msgs: Messages) -> CheckResult:
    """The real check, on a scratch copy of the handbook with the planned files in place.

    The copy is made of real files in a private temporary folder, never of links: each file is read
    as check reads it (read_bytes: nothing outside the handbook) and written there. A file check
    cannot read is stood in for by an empty folder of its name, and the problem check gives for the
    real file replaces the stand-in's. The settings' logo is copied too (read as check reads it), so
    that the settings are checked as they are in the handbook."""
    with scratch_dir() as scratch:
        stand_ins: dict[str, Problem] = {}
        for rel in [*sources, SETTINGS_FILE]:
            if rel in removed or rel in texts or not os.path.lexists(root / rel):
                continue
            dest = scratch / rel
            dest.parent.mkdir(parents=True, exist_ok=True)
            data = read_bytes(root, rel, msgs)
            if isinstance(data, Problem):
                stand_ins[rel] = data
                dest.mkdir()
            else:
                write_new(dest, data)
        for rel in _roles_entries(root):
            (scratch / rel).parent.mkdir(parents=True, exist_ok=True)
            write_new(scratch / rel, b"")  # a stray file or an inside link in roles/: check warns about it
        for rel, text in texts.items():
            dest = scratch / rel
            dest.parent.mkdir(parents=True, exist_ok=True)
            write_new(dest, text.encode("utf-8"))
        logo_error = _copy_logo(root, scratch, texts, msgs)
        result = check_handbook(scratch, lang, use_cache=False, recover=False)
    problems = [p for p in result.problems if not (p.path in stand_ins and p.code == "not-a-file")]
    problems.extend(stand_ins.values())
    if logo_error is not None:
        problems = [dataclasses.replace(p, message=msgs.text("bad-logo", detail=logo_error)) if p.code == "bad-logo" else p for p in problems]
    return dataclasses.replace(result, root=root, problems=tuple(sort_problems(problems)))


def _roles_entries(root: Path) -> list[str]:
    """What directly under roles/ is not a folder (stray files, links): check warns about each."""
    try:
        return sorted(f"{ROLES_DIR}/{e.name}" for e in os.scandir(root / ROLES_DIR) if not e.name.startswith(".") and not e.is_dir(follow_symlinks=False))
    except OSError:
        return []


def _copy_logo(root: Path, scratch: Path, texts: Mapping[str, str], msgs: Messages) -> str | None:
    """Put the logo the settings (as the import leaves them) name into the scratch copy; the reason when it cannot be read."""
    text = texts.get(SETTINGS_FILE)
    if text is None:
        on_disk = read_text(root, SETTINGS_FILE, msgs) if os.path.lexists(root / SETTINGS_FILE) else None
        text = on_disk if isinstance(on_disk, str) else None
    doc = parse_yaml(text, SETTINGS_FILE, msgs, positions=False) if text is not None else None
    rel = doc.data.get("logo") if isinstance(doc, Document) and isinstance(doc.data, dict) else None
    if not isinstance(rel, str) or not rel:
        return None
    try:
        logo = read_logo(root, rel, msgs)
    except LogoError as exc:
        return str(exc)
    dest = Path(os.path.normpath(scratch / rel))
    if not dest.is_relative_to(scratch):
        return None
    dest.parent.mkdir(parents=True, exist_ok=True)
    write_new(dest, logo.data)
    return None


def _relocate(problems: Iterable[Problem], docs: list[_Doc], texts: Mapping[str, str], r: _Reader) -> list[Problem]:
    """Problems in files the import writes point at the workbook cell the value came from."""
    by_rel = {d.rel: d for d in docs}
    out: list[Problem] = [p for p in r.problems if p.severity == "warning"]
    index: dict[str, tuple[list[tuple[int, int]], list[tuple[str | int, ...]]]] = {}
    for p in problems:
        doc = by_rel.get(p.path)
        if doc is None:
            if p.code == "missing-settings" and any(d.kind == "settings" for d in docs):
                continue
            out.append(p)
            continue
        cell = doc.special.get(p.code) if p.line == 0 else None
        if cell is None and p.line:
            if doc.rel not in index:
                index[doc.rel] = _positions(texts[doc.rel])
            keys, paths = index[doc.rel]
            i = bisect_right(keys, (p.line, p.col)) - 1
            path: tuple[str | int, ...] = paths[i] if i >= 0 else ()
            while path and path not in doc.cells:
                path = path[:-1]
            cell = doc.cells.get(path) if path else None
        cell = cell or doc.anchor
        out.append(Problem(r.path(cell), cell.row, cell.col, p.severity, p.code, p.message, p.hint))
    return out


def _positions(text: str) -> tuple[list[tuple[int, int]], list[tuple[str | int, ...]]]:
    doc = parse_yaml(text, "<import>", Messages("en"))
    if not isinstance(doc, Document):
        return [], []
    found: dict[tuple[int, int], tuple[str | int, ...]] = {}
    for table in (doc.values, doc.keys):
        for path, pos in table.items():
            if pos not in found or len(path) > len(found[pos]):
                found[pos] = path
    keys = sorted(found)
    return keys, [found[k] for k in keys]


# ---------------------------------------------------------------------------
# writing


def apply_import(root: Path, plan: ImportPlan) -> str | None:
    """Write the plan all or nothing (see import_write.write_changes); returns the backup folder, relative to
    ``root``, when existing files were replaced. Moved roles' old files are removed last."""
    if plan.failed():
        raise ValueError("a plan with errors is never written")
    writes = [(c.rel, c.new_text.encode("utf-8")) for c in plan.changes if c.new_text is not None]
    removes = [(c.rel, None) for c in plan.changes if c.new_text is None]
    return write_changes(root, plan.source, [*writes, *removes])
