"""Rows of an export → the data and text of role, department and settings files.

The rows come from any reader (rolebook/sheets/read.py); each value becomes a file's value at the
place rolebook/sheets/layout.py gives its column, merged into the file that exists (only the values
that changed; comments and layout are kept by yamledit.update_yaml). Every value remembers its cell,
so that a problem found later in a file points back at the workbook: path ``FILE.xlsx[Sheet]``,
line = row, column = column (``FILE.csv:line:column``, ``FILE.json:line:column``).

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
from bisect import bisect_right
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rolebook.check.schema import load_schema
from rolebook.check.suggest import nearest_id
from rolebook.i18n import Messages
from rolebook.ids import id_message
from rolebook.load.files import DEPARTMENT_FILE, ROLE_SUFFIXES, ROLES_DIR, SETTINGS_FILE
from rolebook.load.import_plan import Existing
from rolebook.load.yamledit import dump_yaml, modeline, update_yaml
from rolebook.load.yamlstrict import Document, parse_yaml
from rolebook.problems import Problem
from rolebook.sheets.languages import has_language_columns, keep_translations, with_languages
from rolebook.sheets.languages import main_language as _main_language
from rolebook.sheets.layout import DEPARTMENTS, DUTIES, FIELD_ORDER, LANGUAGES_COLUMN, POSITIONS, SETTINGS, WORKFLOWS
from rolebook.sheets.rows import Cell, Reader, SheetData, SheetRow


@dataclass
class FileDoc:
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


def _sorted_rows(rows: Iterable[SheetRow], r: Reader) -> list[SheetRow]:
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


def _grouped(doc: FileDoc, key: str, rows: list[SheetRow], list_key: str) -> None:
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


def _role_docs(sheets: dict[str, SheetData], roles: dict[str, Existing], r: Reader) -> dict[str, FileDoc]:
    pos = sheets.get("positions")
    if pos is None:
        return {}
    lang = r.msgs.lang
    docs: dict[str, FileDoc] = {}
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
        doc = FileDoc("role", rid, rel, base, rid_v.cell, old=old, moved_from=moved)
        if dept_v is not None:
            doc.special["unknown-department"] = dept_v.cell
        for col in POSITIONS.columns:
            path = col.field
            if path is None or col.key not in pos.columns:
                continue
            v = row.values.get(col.key)
            _set(doc.data, path, v.value if v is not None else None, FIELD_ORDER.get(path[-2], ()) if len(path) > 1 else ())
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


def _valid_id(ident: str, cell: Cell, r: Reader) -> bool:
    message = id_message(ident, r.msgs, length=False)
    if message is not None:
        r.said(cell, "import-row", message)
    return message is None


def _subordinates(docs: dict[str, FileDoc], pos: SheetData | None, roles: dict[str, Existing]) -> None:
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


def _dept_docs(sheets: dict[str, SheetData], depts: dict[str, Existing], r: Reader) -> dict[str, FileDoc]:
    lang = r.msgs.lang
    docs: dict[str, FileDoc] = {}
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
            doc = FileDoc("department", did, f"{ROLES_DIR}/{did}/{DEPARTMENT_FILE}", base, id_v.cell, old=old)
            for col in DEPARTMENTS.columns:
                if col.field is None or col.key not in sheet.columns:
                    continue
                v = row.values.get(col.key)
                _set(doc.data, col.field, v.value if v is not None else None)
                if v is not None:
                    doc.reg(col.field, v.cell)
                    for n in range(len(v.value) if isinstance(v.value, list) else 0):
                        doc.reg((*col.field, n), v.cell)
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
            docs[did] = FileDoc("department", did, old.rel, copy.deepcopy(old.data), ref.cell, old=old)
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


# Settings whose default an import does not write out as a line of its own.
SETTING_DEFAULTS = frozenset({("signatures", False), ("paper", "a4"), ("engine", "mkdocs")})


def _settings_doc(sheets: dict[str, SheetData], old: Existing | None, r: Reader) -> FileDoc | None:
    sheet = sheets.get("settings")
    if sheet is None or not sheet.rows:
        return None
    if len(sheet.rows) > 1:
        r.at(sheet.rows[1].first, "import-row", "import/one-settings-row")
        return None
    row = sheet.rows[0]
    base = copy.deepcopy(old.data) if old is not None and old.data is not None else {}
    doc = FileDoc("settings", "", SETTINGS_FILE, base, row.first, old=old)
    for col in (*SETTINGS.columns, LANGUAGES_COLUMN):
        if col.key not in sheet.columns:
            continue
        v = row.values.get(col.key)
        value = v.value if v is not None else None
        languages = base.get("languages")
        if col.key == "language" and isinstance(languages, list) and languages and value == languages[0]:
            continue  # an export of the main language only (the JSON): the handbook keeps its languages
        if col.key in ("language", "languages") and value is not None:
            doc.data.pop("languages" if col.key == "language" else "language", None)  # one or the other
        if isinstance(value, str | bool) and (col.key, value) in SETTING_DEFAULTS and col.key not in base:
            continue  # the default: do not add a line for it
        _set(doc.data, (col.key,), value)
        if v is not None:
            doc.reg((col.key,), v.cell)
    return doc


def text_for(doc: FileDoc, root: Path, r: Reader) -> str | None:
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


def relocate(problems: Iterable[Problem], docs: list[FileDoc], texts: Mapping[str, str], r: Reader) -> list[Problem]:
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


def file_docs(sheets: dict[str, SheetData], roles: dict[str, Existing], depts: dict[str, Existing], settings: Existing | None, r: Reader) -> list[FileDoc]:
    """Every file the rows make or change: departments, roles, then the settings; ``r`` collects what is wrong."""
    main = _main_language(sheets, settings)
    per_language = has_language_columns(sheets)
    sheets = with_languages(sheets, main)
    role_docs = _role_docs(sheets, roles, r)
    _subordinates(role_docs, sheets.get("positions"), roles)
    dept_docs = _dept_docs(sheets, depts, r)
    settings_doc = _settings_doc(sheets, settings, r)
    docs = [*dept_docs.values(), *role_docs.values(), *([settings_doc] if settings_doc else [])]
    if not per_language:  # an export of one language: the translations in the files stay
        for doc in docs:
            if doc.old is not None and isinstance(doc.old.data, dict):
                doc.data = keep_translations(doc.data, doc.old.data, main)
    return docs
