"""The JSON file of an export (schema/export.schema.json), read into the tables of rolebook/sheets/layout.py
``TABLES``: checked against its schema, and parsed here (not by json.loads) to know where each value is,
``FILE.json:line:column``. It must be UTF-8."""

from __future__ import annotations

import re
from bisect import bisect_right
from json.decoder import JSONDecodeError, scanstring  # type: ignore[attr-defined]
from pathlib import Path
from typing import Any

from rolebook.check.schema import is_valid, schema_problems
from rolebook.i18n import Messages
from rolebook.load.yamlstrict import MAX_DEPTH, Document
from rolebook.sheets.layout import DEPARTMENTS, EXPORT_FORMAT, EXPORT_VERSION, POSITIONS, SETTINGS, TABLES, WORKFLOWS
from rolebook.sheets.rows import Cell, Reader, SheetData, SheetRow, Value, convert, decoded, read_limited

MAX_JSON_VALUES = 1_000_000  # an export of 10,000 positions holds about 790,000

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
    return _JsonParser(text).parse()


class _JsonParser:
    """One pass over ``text``; ``values`` and ``keys`` hold the index where each value and name starts."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.values: dict[tuple[str | int, ...], int] = {}
        self.keys: dict[tuple[str | int, ...], int] = {}
        self.quoted: set[tuple[str | int, ...]] = set()  # text values ("15", "true"), for check's hints
        self.starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def parse(self) -> Document:
        try:
            data, end = self.value(self.skip(0), (), 0)
            end = self.skip(end)
            if end < len(self.text):
                raise _JsonError("import/json/extra", end)
        except _JsonError as exc:
            exc.pos = self.pos(exc.at)
            raise
        values = {p: self.pos(at) for p, at in self.values.items()}
        return Document(data=data, values=values, keys={p: self.pos(at) for p, at in self.keys.items()}, quoted=self.quoted)

    def pos(self, index: int) -> tuple[int, int]:
        n = bisect_right(self.starts, index) - 1
        return n + 1, index - self.starts[n] + 1

    def skip(self, i: int) -> int:
        m = _JSON_SPACE.match(self.text, i)
        return m.end() if m else i

    def string(self, i: int) -> tuple[str, int]:
        try:
            s, end = scanstring(self.text, i + 1, True)
        except JSONDecodeError as exc:
            if exc.msg.startswith("Unterminated"):
                raise _JsonError("import/json/string", i) from None
            raise _JsonError("import/json/control" if exc.msg.startswith("Invalid control") else "import/json/escape", exc.pos) from None
        bad = _SURROGATE.search(s)
        if bad:
            raise _JsonError("import/json/surrogate", i, hex=f"{ord(bad.group()):04x}")
        return s, end

    def name(self, i: int, path: tuple[str | int, ...], out: dict[str, Any]) -> tuple[tuple[str | int, ...], int]:
        """An object's member name and its colon at ``i``: the member's path, and where its value starts."""
        text = self.text
        if not text.startswith('"', i):
            raise _JsonError("import/json/name", i)
        at = i
        key, i = self.string(i)
        sub: tuple[str | int, ...] = (*path, key)
        if key in out:
            raise _JsonError("duplicate-key", at, key=key, first=self.pos(self.keys[sub])[0])
        self.keys[sub] = at
        i = self.skip(i)
        if not text.startswith(":", i):
            raise _JsonError("import/json/colon", i)
        return sub, self.skip(i + 1)

    def container(self, i: int, path: tuple[str | int, ...], depth: int, close: str) -> tuple[Any, int]:
        if depth >= MAX_DEPTH:
            raise _JsonError("too-deep", i, limit=MAX_DEPTH)
        text = self.text
        out: Any = {} if close == "}" else []
        i = self.skip(i + 1)
        if text.startswith(close, i):
            return out, i + 1
        while True:
            if close == "}":
                sub, i = self.name(i, path, out)
            else:
                sub = (*path, len(out))
            item, i = self.value(i, sub, depth + 1)
            if close == "}":
                out[sub[-1]] = item
            else:
                out.append(item)
            i = self.skip(i)
            if text.startswith(",", i):
                after = self.skip(i + 1)
                if text.startswith(close, after):
                    raise _JsonError("import/json/trailing-comma", i, close=close)
                i = after
                continue
            if text.startswith(close, i):
                return out, i + 1
            raise _JsonError("import/json/comma", i, close=close)

    def value(self, i: int, path: tuple[str | int, ...], depth: int) -> tuple[Any, int]:
        self.values[path] = i
        if len(self.values) > MAX_JSON_VALUES:
            raise _JsonError("import/json/too-many-values", i, limit=MAX_JSON_VALUES)
        text = self.text
        ch = text[i : i + 1]
        if ch == '"':
            self.quoted.add(path)
            return self.string(i)
        if ch in ("{", "["):
            return self.container(i, path, depth, "}" if ch == "{" else "]")
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


# Where each column's value is in a role, a department, a workflow and the settings of the JSON export
# (the layout's field map). A workflow's department is the record it sits in, not a value of its own.
_JSON_COLUMNS: dict[str, dict[str, tuple[str, ...]]] = {
    t.key: {c.key: c.json_path() for c in t.columns if c is not WORKFLOWS.column("department")} for t in (POSITIONS, DEPARTMENTS, WORKFLOWS, SETTINGS)
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
                value = convert(col, raw)
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


def read_json(path: Path, msgs: Messages) -> tuple[dict[str, SheetData], Reader]:
    """The tables of a JSON export (schema/export.schema.json), checked against its schema first."""
    name = path.name
    r = Reader(name, msgs, kind="json")
    data = read_limited(path, name, r)
    text = decoded(data, name, r) if data is not None else None
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
