"""The CSV files of an export, read into the tables of rolebook/sheets/layout.py ``TABLES``.

One file per table, STEM-positions.csv …; given one, the others of the same export beside it are read
too. A problem is at ``FILE.csv:line:column``: the line in the file where the cell is, and its column
number. The file must be UTF-8: what it looks like instead (GBK, UTF-16) is said, with how to save it
as UTF-8. Excel's ';' and tab separators are understood.
"""

from __future__ import annotations

import csv
import io
import os
import re
from collections.abc import Iterator
from pathlib import Path

from rolebook.i18n import Messages
from rolebook.problems import has_errors
from rolebook.sheets.layout import FORMULA_START, TABLES, Column, Table
from rolebook.sheets.rows import (
    LINE_BREAK,
    MAX_CELLS,
    MAX_ROWS,
    Cell,
    Reader,
    SheetData,
    SheetRow,
    Value,
    breaks,
    column_headings,
    convert,
    decoded,
    line_col,
    norm,
    read_headings,
    read_limited,
    table_names,
)

_CSV_NAME = re.compile(r"(.*)-(" + "|".join(t.key for t in TABLES) + r")\.csv", re.IGNORECASE)


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
    by_name = next((t for t in TABLES if norm(path.stem) in table_names(t)), None)
    if by_name is not None:
        return by_name
    scores = sorted(((sum(any(norm(h) in column_headings(c) for c in t.columns) for h in headings), n) for n, t in enumerate(TABLES)), reverse=True)
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


def _csv_records(text: str, delimiter: str, label: str, r: Reader, failed: list[bool]) -> Iterator[tuple[int, list[str]]]:
    """Every record that holds something, with the line it starts on, one at a time (blank lines are skipped
    as they come: a file of millions of them is never held as records). When the file is not valid CSV a
    problem says where and ``failed`` gets an entry."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    last = 0
    try:
        for record in reader:
            if any(record):
                yield last + 1, record
            last = reader.line_num
    except csv.Error as exc:
        failed.append(True)
        starts = [0] + [m.end() for m in LINE_BREAK.finditer(text)]
        start = starts[min(last, len(starts) - 1)]
        fault = _csv_fault(text, start, delimiter)
        if fault is None:
            r.at(Cell(label, last + 1, 1), "import-file", "import/csv-syntax", detail=str(exc))
        else:
            msg_id, offset, column = fault
            r.at(Cell(label, line_col(text, offset)[0], column), "import-file", msg_id, limit=csv.field_size_limit())


def _read_csv_file(path: Path, r: Reader, counted: list[int]) -> SheetData | None:
    """One CSV file as a table; ``counted`` holds the cells with values read so far in all files of the export."""
    label = path.name
    data = read_limited(path, label, r)
    text = decoded(data, label, r) if data is not None else None
    if text is None:
        return None
    first = text[: text.find("\n")] if "\n" in text else text
    delimiter = ";" if "," not in first and ";" in first else "\t" if "," not in first and "\t" in first else ","  # Excel in some locales
    failed: list[bool] = []
    records = _csv_records(text, delimiter, label, r, failed)
    head = next(records, None)
    if head is None:
        if not failed:
            r.whole("import-file", "import/csv-empty", where=label)
        return None
    head_line, header = head
    table = _csv_table(path, header)
    if table is None:
        r.at(Cell(label, head_line, 1), "import-sheet", "import/csv-table")
        return None
    by_col, seen = read_headings(label, table, enumerate(header, start=1), r, head_line)
    rows = _csv_rows(label, header, by_col, records, r, counted)
    if failed or rows is None:
        return None
    return SheetData(table, label, frozenset(seen), tuple(rows))


def _csv_rows(
    label: str, header: list[str], by_col: dict[int, Column], records: Iterator[tuple[int, list[str]]], r: Reader, counted: list[int]
) -> list[SheetRow] | None:
    """The rows after the heading line that hold values; None when a limit was reached (a problem says so)."""
    width = max(by_col, default=0)  # the last column that is read
    rows: list[SheetRow] = []
    for n, (line, record) in enumerate(records, start=2):
        if n > MAX_ROWS:
            r.at(Cell(label, line, 1), "import-file", "import/too-many-rows", name=label, limit=MAX_ROWS)
            return None
        counted[0] += len(record) - record.count("")
        if counted[0] > MAX_CELLS:
            r.at(Cell(label, line, 1), "import-file", "import/too-many-cells", limit=MAX_CELLS)
            return None
        lines = [line]
        for cell_text in record[:-1]:
            lines.append(lines[-1] + breaks(cell_text))
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
                raw = raw[1:]  # export's guard against spreadsheet formulas (rolebook/sheets/layout.py _csv_cell)
            value = convert(col, raw)
            if value is not None:
                values[col.key] = Value(value, Cell(label, lines[j - 1], j))
        if values:
            rows.append(SheetRow(line, values, Cell(label, line, min(v.cell.col for v in values.values()))))
    return rows


def read_csv(path: Path, msgs: Messages) -> tuple[dict[str, SheetData], Reader]:
    """The tables of a CSV export: the file given and the other tables of the same export beside it."""
    name, files = _csv_files(path)
    r = Reader(name, msgs, kind="csv", files=len(files))
    out: dict[str, SheetData] = {}
    counted = [0]
    for f in files:
        if counted[0] > MAX_CELLS:
            break  # said once, where the limit was reached
        sheet = _read_csv_file(f, r, counted)
        if sheet is not None:
            out.setdefault(sheet.table.key, sheet)
    if ("duties" in out or "summary" in out) and "positions" not in out and not has_errors(r.problems):
        m = _CSV_NAME.fullmatch(path.name)
        r.whole("import-sheet", "import/csv-no-positions", where=path.name, name=f"{m.group(1) if m else '…'}-positions.csv")
    return out, r
