"""The cells of an .xlsx workbook, read with time and memory bounded by what the cells hold.

openpyxl cannot be bounded that way, even in read-only mode: it loads every shared string when
the workbook is opened (11 million one-letter strings: 215 s, 1 GB), pads every row with empty
cells up to the last column that row uses (a cell in column XFD: 16,384 cells per row), keeps a
record of every formatted row, and parses the whole style sheet first. So the parts of the
workbook the import needs are read here, streamed through expat straight out of the zip:

* the list of sheets (``xl/workbook.xml`` and its relationships, found as the package's own
  relationships say), and which cell styles are dates (``xl/styles.xml``);
* the shared strings, at most MAX_STRINGS of them;
* each sheet that is read, row by row: only cells that hold a value or a formula are ever
  handed on. Empty cells and rows (formatting only) are dropped from the stream before it is
  parsed, with a regular expression over the bytes, so a sheet of millions of formatted cells
  costs the time of a byte scan, not of an XML event per cell.

Limits (each refused with a message that names the sheet, row and column where it was reached):
MAX_CELLS cells with values in all sheets read, MAX_CELL_CHARS characters in one cell, cell
references within Excel's own (column XFD, row 1,048,576). Numbers, booleans, errors, dates and
times are turned into Python values as openpyxl would (its own number-format and date helpers).

At 500 lines on purpose: one streaming reader over the parts of one zip, whose limits are
counted across those parts.
"""

from __future__ import annotations

import functools
import itertools
import posixpath
import re
import zipfile
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any, NamedTuple
from xml.parsers import expat

from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format, is_timedelta_format
from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900, from_excel, from_ISO8601

from rolebook.problems import has_errors
from rolebook.sheets.layout import POSITIONS, TABLES, Table
from rolebook.sheets.rows import MAX_CELLS, MAX_ROWS, Cell, Reader, SheetData, SheetRow, Value, convert, norm, read_headings, table_names

MAX_UNPACKED = 200_000_000  # bytes: far beyond any handbook, far below a zip bomb
MAX_ENTRIES = 10_000
MAX_STRINGS = MAX_CELLS  # shared strings: never more are needed than there are cells
MAX_CELL_CHARS = 1_000_000
MAX_PART = 20_000_000  # bytes of the workbook part, its relationships and the style sheet
MAX_COLUMN = 16_384  # XFD
MAX_ROW = 1_048_576
CHUNK = 1 << 20

_P = rb"(?:[A-Za-z_][\w.-]*:)?"  # a namespace prefix
_EMPTY_CELL = re.compile(  # a cell or row with no content (and its own position: nothing after it depends on it)
    rb"<" + _P + rb"(?:c|row)(?=[\s/])[^>]*?\sr\s*=\s*[\"'][^>]*/>|<" + _P + rb"c(?=\s)[^>]*?\sr\s*=[^>]*>\s*</" + _P + rb"c>"
)
_EMPTY_ROW = re.compile(rb"<" + _P + rb"row(?=\s)[^>]*?\sr\s*=[^>]*>\s*</" + _P + rb"row>")  # a row its empty cells left empty


def _strip(data: bytes) -> bytes:
    return _EMPTY_ROW.sub(b"", _EMPTY_CELL.sub(b"", data))


class XlsxError(Exception):
    """What is wrong with the workbook: a message id with its arguments, and where (sheet, row, column) if known."""

    def __init__(self, msg_id: str, where: tuple[str, int, int] | None = None, **args: Any) -> None:
        super().__init__(msg_id)
        self.msg_id, self.where, self.args_ = msg_id, where, args


class XCell(NamedTuple):
    row: int
    column: int
    value: Any  # str | int | float | bool | datetime | date | time | timedelta
    formula: bool = False  # the cell holds a formula; ``value`` is its text, with '='


def _local(name: str) -> str:
    """An element's or attribute's name without its namespace prefix ('x:c' -> 'c')."""
    return name if ":" not in name else name.rsplit(":", 1)[1]


def _parser(start: Callable[[str, dict[str, str]], None], end: Callable[[str], None], text: Callable[[str], None] | None = None) -> Any:
    """An expat parser (names as written: ``start`` and ``end`` see them without a prefix) that refuses DTDs."""
    p = expat.ParserCreate()
    p.buffer_text = True
    p.StartElementHandler = lambda name, attrs: start(name if ":" not in name else _local(name), attrs)
    p.EndElementHandler = lambda name: end(name if ":" not in name else _local(name))
    if text is not None:
        p.CharacterDataHandler = text

    def no_dtd(*_: Any) -> None:
        raise XlsxError("import/xlsx-dtd")  # a workbook never has one; entities could expand without bound

    p.StartDoctypeDeclHandler = no_dtd
    p.EntityDeclHandler = no_dtd
    return p


def _attr(attrs: dict[str, str], name: str) -> str | None:
    """An attribute by its name without prefix ('r:id' for 'id')."""
    if name in attrs:
        return attrs[name]
    return next((v for k, v in attrs.items() if _local(k) == name), None)


def _feed(p: Any, stream: IO[bytes], strip: bool = False) -> Iterator[None]:
    """Parse ``stream`` in pieces, yielding after each; with ``strip``, empty cells and rows are taken out first."""
    carry = b""
    try:
        while True:
            chunk = stream.read(CHUNK)
            data = carry + chunk
            if not chunk:
                p.Parse(_strip(data) if strip else data, True)
                yield
                return
            cut = data.rfind(b"<") if strip else len(data)
            if cut <= 0 or len(data) - cut > CHUNK:  # no element starts near the end: nothing to keep for the next piece
                cut = len(data)
            carry, data = data[cut:], data[:cut]
            p.Parse(_strip(data) if strip else data, False)
            yield
    except expat.ExpatError as exc:
        raise XlsxError("import/xlsx-xml", None, detail=f"{expat.errors.messages.get(exc.code, exc)} (line {exc.lineno})") from None


class Workbook:
    """An open .xlsx file: its sheets, in order, and their rows."""

    def __init__(self, z: zipfile.ZipFile) -> None:
        self._zip = z
        self._names = set(z.namelist())
        self.cells = 0  # cells with values handed on so far, in all sheets
        wb_part = self._target("_rels/.rels", "", "officeDocument") or "xl/workbook.xml"
        self._rels = self._relationships(wb_part)
        self.sheets, self._epoch = self._sheets(wb_part)
        styles = next((t for t, kind in self._rels.values() if kind == "styles"), None)
        self._dates, self._durations = self._styles(styles) if styles else (frozenset(), frozenset())
        self._strings: list[str] | None = None

    # --- the package

    def _open(self, name: str, limit: int | None = None) -> IO[bytes]:
        if name not in self._names:
            raise XlsxError("import/xlsx-part", part=name)
        info = self._zip.getinfo(name)
        if limit is not None and info.file_size > limit:
            raise XlsxError("import/xlsx-part-too-large", part=name, size=info.file_size, limit=limit)
        return self._zip.open(info)

    def _relationships(self, part: str) -> dict[str, tuple[str, str]]:
        """The relationships of ``part``: id -> (target part, type's last word)."""
        folder, name = posixpath.split(part)
        rels = posixpath.join(folder, "_rels", name + ".rels")
        out: dict[str, tuple[str, str]] = {}
        if rels not in self._names:
            return out

        def start(tag: str, a: dict[str, str]) -> None:
            if tag == "Relationship" and "Id" in a and "Target" in a and a.get("TargetMode") != "External":
                target = a["Target"]
                path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))
                out[a["Id"]] = (path, a.get("Type", "").rsplit("/", 1)[-1])

        with self._open(rels, MAX_PART) as fh:
            for _ in _feed(_parser(start, lambda tag: None), fh):
                pass
        return out

    def _target(self, rels: str, folder: str, kind: str) -> str | None:
        if rels not in self._names:
            return None
        found: list[str] = []

        def start(tag: str, a: dict[str, str]) -> None:
            if tag == "Relationship" and a.get("Type", "").endswith("/" + kind) and "Target" in a:
                found.append(posixpath.normpath(posixpath.join(folder, a["Target"].lstrip("/"))))

        with self._open(rels, MAX_PART) as fh:
            for _ in _feed(_parser(start, lambda tag: None), fh):
                pass
        return found[0] if found else None

    def _sheets(self, part: str) -> tuple[list[tuple[str, str]], Any]:
        sheets: list[tuple[str, str]] = []
        epoch = [CALENDAR_WINDOWS_1900]

        def start(tag: str, a: dict[str, str]) -> None:
            if tag == "sheet" and "name" in a:
                target = self._rels.get(_attr(a, "id") or "")
                if target is not None and target[1] == "worksheet":
                    sheets.append((a["name"], target[0]))
            elif tag == "workbookPr" and a.get("date1904", "").lower() in ("1", "true"):
                epoch[0] = CALENDAR_MAC_1904

        with self._open(part, MAX_PART) as fh:
            for _ in _feed(_parser(start, lambda tag: None), fh):
                pass
        return sheets, epoch[0]

    def _styles(self, part: str) -> tuple[frozenset[int], frozenset[int]]:
        """The cell styles (their index) whose number format shows a date or time, and those that show a duration."""
        formats: dict[int, str] = dict(BUILTIN_FORMATS)
        xfs: list[int] = []
        depth = {"cellXfs": 0}

        def start(tag: str, a: dict[str, str]) -> None:
            if tag == "numFmt" and a.get("numFmtId", "").isdigit():
                formats[int(a["numFmtId"])] = a.get("formatCode", "")
            elif tag == "cellXfs":
                depth["cellXfs"] += 1
            elif tag == "xf" and depth["cellXfs"]:
                xfs.append(int(a["numFmtId"]) if a.get("numFmtId", "").isdigit() else 0)

        def end(tag: str) -> None:
            if tag == "cellXfs":
                depth["cellXfs"] -= 1

        if part in self._names:
            with self._open(part, MAX_PART) as fh:
                for _ in _feed(_parser(start, end), fh):
                    pass
        dates = {i for i, f in enumerate(xfs) if is_date_format(formats.get(f, ""))}
        durations = {i for i in dates if is_timedelta_format(formats.get(xfs[i], ""))}
        return frozenset(dates), frozenset(durations)

    def _shared(self) -> list[str]:
        if self._strings is not None:
            return self._strings
        part = next((t for t, kind in self._rels.values() if kind == "sharedStrings"), None)
        strings: list[str] = []
        self._strings = strings
        if part is None or part not in self._names:
            return strings
        state = {"depth": 0, "phonetic": 0, "text": False}
        buf: list[str] = []
        size = [0]

        def start(tag: str, a: dict[str, str]) -> None:
            if tag == "si":
                buf.clear()
                size[0] = 0
            elif tag == "rPh":
                state["phonetic"] += 1
            elif tag == "t" and not state["phonetic"]:
                state["text"] = True

        def end(tag: str) -> None:
            if tag == "si":
                if len(strings) >= MAX_STRINGS:
                    raise XlsxError("import/too-many-strings", limit=MAX_STRINGS)
                strings.append("".join(buf))
            elif tag == "rPh":
                state["phonetic"] -= 1
            elif tag == "t":
                state["text"] = False

        def text(data: str) -> None:
            if state["text"]:
                size[0] += len(data)
                if size[0] > MAX_CELL_CHARS:
                    raise XlsxError("import/shared-string-too-long", limit=MAX_CELL_CHARS, index=len(strings))
                buf.append(data)

        with self._open(part) as fh:
            for _ in _feed(_parser(start, end, text), fh):
                pass
        return strings

    # --- a sheet

    def rows(self, name: str, part: str) -> Iterator[tuple[int, list[XCell]]]:
        """The rows of the sheet that have a cell with a value or a formula: (row number, those cells)."""
        reader = _SheetReader(self, name)
        with self._open(part) as fh:
            for _ in _feed(reader.parser, fh, strip=True):
                while reader.done:
                    yield reader.done.pop(0)

    def value(self, raw: str, kind: str, style: int, where: tuple[str, int, int]) -> Any:
        """A cell's value from its text in the file, as its type (``t``) and style say."""
        if kind == "s":
            try:
                strings = self._shared()
            except XlsxError as exc:  # say where the table of texts was needed
                raise XlsxError(exc.msg_id, exc.where or where, **exc.args_) from None
            try:
                return strings[int(raw)]
            except (ValueError, IndexError):
                raise XlsxError("import/xlsx-string-index", where, index=raw.strip()[:20], count=len(strings)) from None
        if kind in ("str", "inlineStr", "e"):
            return raw
        if kind == "b":
            return raw.strip() in ("1", "true")
        if kind == "d":
            try:
                return from_ISO8601(raw.strip())
            except ValueError:
                return raw
        text = raw.strip()
        try:
            number: int | float = int(text) if text.isdigit() or re.fullmatch(r"[+-]?[0-9]+", text) else float(text)
        except ValueError:
            return raw
        if style in self._dates:
            try:
                return from_excel(number, self._epoch, timedelta=style in self._durations)
            except (ValueError, OverflowError):
                return number
        return number


class _SheetReader:
    """The expat handlers for one sheet: collect the cells that hold something, row by row."""

    def __init__(self, wb: Workbook, name: str) -> None:
        self.wb, self.name = wb, name
        self.done: list[tuple[int, list[XCell]]] = []
        self.row = 0
        self.col = 0
        self.cells: list[XCell] = []
        self.cell: tuple[int, int, str, int] | None = None  # row, column, type, style
        self.buf: list[str] = []
        self.size = 0
        self.sink: list[str] | None = None  # where the text being read goes: the value or the formula
        self.has_value = False
        self.formula: list[str] | None = None
        self.phonetic = 0
        self.parser = _parser(self.start, self.end, self.text)
        self.parser.StartElementHandler = self.start  # no wrapper: the handlers take prefixed names themselves
        self.parser.EndElementHandler = self.end

    def start(self, tag: str, a: dict[str, str]) -> None:
        """(Set as expat's handler itself, not through a wrapper: it runs for every element of the sheet.)"""
        if tag == "c":
            self._cell(a)
        elif tag == "row":
            self.row = self._number(a.get("r"), self.row + 1, (self.name, self.row + 1, 1))
            self.col = 0
            self.cells = []
        elif self.cell is None:
            return
        elif tag == "v" or (tag == "t" and not self.phonetic):
            self.sink = self.buf
            self.has_value = True
        elif tag == "f":
            self.formula = []
            self.sink = self.formula
        elif tag == "rPh":
            self.phonetic += 1
        elif ":" in tag:
            self.start(_local(tag), a)

    def _number(self, text: str | None, default: int, where: tuple[str, int, int]) -> int:
        if text is None:
            return default
        if not text.isdigit() or not 1 <= int(text) <= MAX_ROW:
            raise XlsxError("import/xlsx-bad-row", where, value=text[:20], limit=MAX_ROW)
        return int(text)

    def _cell(self, a: dict[str, str]) -> None:
        ref = a.get("r")
        row, col = self.row, self.col + 1
        if ref is not None:
            letters = ref.rstrip("0123456789")
            col = _column(letters)
            digits = ref[len(letters) :]
            if not col or not digits.isdigit() or not 1 <= (row := int(digits)) <= MAX_ROW:
                raise XlsxError("import/xlsx-bad-ref", (self.name, self.row, max(self.col, 1)), ref=ref[:20])
        self.col = col
        s = a.get("s")
        self.cell = (row, col, a.get("t", "n"), int(s) if s is not None and s.isdigit() else 0)
        self.buf, self.size, self.has_value, self.formula, self.sink = [], 0, False, None, None

    def end(self, tag: str) -> None:
        if tag == "c":
            if self.cell is not None:
                self._finish()
        elif tag in ("v", "t", "f"):
            self.sink = None
        elif tag == "row":
            if self.cells:
                self.done.append((self.row, self.cells))
            self.cells = []
        elif tag == "rPh":
            self.phonetic -= 1
        elif ":" in tag:
            self.end(_local(tag))

    def _finish(self) -> None:
        assert self.cell is not None
        row, col, kind, style = self.cell
        self.cell = None
        if self.formula is not None:
            value: Any = "=" + "".join(self.formula)
        elif self.has_value:
            raw = "".join(self.buf)
            value = raw if kind == "inlineStr" or kind == "str" else self.wb.value(raw, kind, style, (self.name, row, col))
        else:
            return
        self.wb.cells += 1
        if self.wb.cells > MAX_CELLS:
            raise XlsxError("import/too-many-cells", (self.name, row, col), limit=MAX_CELLS)
        self.cells.append(XCell(row, col, value, self.formula is not None))

    def text(self, data: str) -> None:
        if self.sink is None or self.cell is None:
            return
        self.size += len(data)
        if self.size > MAX_CELL_CHARS:
            raise XlsxError("import/cell-too-long", (self.name, self.cell[0], self.cell[1]), limit=MAX_CELL_CHARS)
        self.sink.append(data)


@functools.lru_cache(maxsize=MAX_COLUMN)
def _column(letters: str) -> int:
    """The number of column ``letters`` ('A' = 1); 0 when they are not a column of a sheet (A to XFD)."""
    if not (1 <= len(letters) <= 3 and letters.isascii() and letters.isalpha()):
        return 0
    n = 0
    for ch in letters.upper():
        n = n * 26 + ord(ch) - 64
    return n if n <= MAX_COLUMN else 0


def open_workbook(z: zipfile.ZipFile) -> Workbook:
    """The workbook in ``z`` (already checked for its size); raises XlsxError."""
    infos = z.infolist()
    size = sum(i.file_size for i in infos)
    if size > MAX_UNPACKED or len(infos) > MAX_ENTRIES:
        raise XlsxError("import/too-large", size=size, limit=MAX_UNPACKED)
    return Workbook(z)


# ---------------------------------------------------------------------------
# the workbook as the tables of an export


def read_workbook(path: Path, r: Reader) -> dict[str, SheetData]:
    """The known sheets of the workbook as rows of values; what is wrong with the layout or cells goes to ``r``."""
    msgs = r.msgs
    out: dict[str, SheetData] = {}
    sheet = ""
    try:
        with zipfile.ZipFile(path) as z:
            wb = open_workbook(z)
            for sheet, part in wb.sheets:
                table = next((t for t in TABLES if norm(sheet) in table_names(t)), None)
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


def _read_sheet(wb: Workbook, name: str, part: str, table: Table, r: Reader) -> SheetData:
    """The rows of one sheet: row 1 holds the headings; only rows with values count (towards MAX_ROWS too)."""
    rows = wb.rows(name, part)
    first = next(rows, None)
    header = first[1] if first is not None and first[0] == 1 else []
    by_col, seen = read_headings(name, table, ((c.column, c.value) for c in header), r)
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
            value = convert(col, c.value)
            if value is not None:
                values[col.key] = Value(value, where)
        if values:
            data.append(SheetRow(i, values, Cell(name, i, min(v.cell.col for v in values.values()))))
    return SheetData(table, name, frozenset(seen), tuple(data))
