"""Read an exported (and edited) workbook back into role, department and settings files.

``plan_import`` does everything but write: it reads the file ``export`` wrote (an .xlsx workbook:
rolebook/load/sheet_xlsx.py; the CSV files: sheet_csv.py; the JSON: sheet_json.py — each gives the
same rows of the tables of rolebook/outputs/sheet.py ``TABLES``, sheet_rows.py), turns the rows into
the same data as the YAML files, merges them into the files that exist (only the values that changed;
comments and layout are kept by yamledit.update_yaml), and checks the resulting handbook with the
real ``check_handbook`` on a scratch copy. Problems in the imported data point at the workbook: path
``FILE.xlsx[Sheet]``, line = row, column = column (``FILE.csv:line:column``, ``FILE.json:line:column``).
``apply_import`` then writes the planned files, all or nothing (rolebook/load/import_write.py).
Nothing is written when the plan has an error.

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
import difflib
import io
import os
import re
import zipfile
import zlib
from bisect import bisect_right
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rolebook.check.handbook import ID_RE, WINDOWS_RESERVED, suggest_id
from rolebook.check.registry import Code
from rolebook.check.schema import load_schema
from rolebook.check.suggest import nearest_id
from rolebook.i18n import LANGS, Lang, Messages
from rolebook.load.files import BACKUP_DIR, DEPARTMENT_FILE, ROLE_SUFFIXES, ROLES_DIR, SCHEMA_FOLDER, SETTINGS_FILE, discover, read_bytes, read_text
from rolebook.load.import_write import scratch_dir, write_changes
from rolebook.load.logo import LogoError, read_logo
from rolebook.load.sheet_csv import read_csv
from rolebook.load.sheet_json import read_json
from rolebook.load.sheet_rows import Cell, Reader, SheetData, SheetRow, norm
from rolebook.load.sheet_xlsx import Workbook, XlsxError, read_workbook
from rolebook.load.yamledit import dump_yaml, modeline, schema_copies, update_yaml, write_new
from rolebook.load.yamlstrict import Document, parse_yaml
from rolebook.outputs.sheet import (
    DEPARTMENTS,
    DUTIES,
    POSITIONS,
    SETTINGS,
    TABLES,
    WORKFLOWS,
)
from rolebook.pipeline import CheckResult, check_handbook, load_settings
from rolebook.problems import Problem, has_errors, sort_problems
from rolebook.safepath import leads_out

IMPORT_CODES: tuple[Code, ...] = (
    Code(
        "import-file",
        "error",
        "The file cannot be read: it is missing, its name does not end in .xlsx, .csv or .json, it is not what its name says (an old .xls, a CSV named .xlsx), it is damaged or far larger than any handbook needs, a CSV or JSON file is not UTF-8 (the message says what it looks like: Excel's GBK or UTF-16) or not valid CSV or JSON, or a JSON file is not a rolebook export.\n\n无法读取文件：文件不存在、扩展名不是 .xlsx、.csv 或 .json、内容和扩展名不符（例如旧的 .xls）、已损坏或大得不合理、CSV 或 JSON 文件不是 UTF-8 编码（信息会说明它像什么编码）或格式不对，或 JSON 文件不是 rolebook 的导出文件。",
    ),
    Code(
        "import-sheet",
        "error",
        "A sheet the import needs is missing (Positions when Duties or Summary is there, by their English or Chinese names; for CSV files, the …-positions.csv beside them), or a CSV file's table cannot be told from its name or headings. A sheet with another name is ignored, with a warning.\n\n缺少导入需要的工作表（CSV：缺少岗位表文件），或看不出 CSV 文件是哪张表；名称不认识的工作表会被忽略（警告）。",
    ),
    Code(
        "import-column",
        "error",
        "A column heading is unknown (ignored, with a warning and the nearest known heading), appears twice, or the column that names the row (Role id, Department id) is missing.\n\n列标题不认识（忽略并给出最接近的标题）、重复，或缺少标识列。",
    ),
    Code(
        "import-cell",
        "error",
        "A cell holds a formula, or a No. (sequence number) is not a whole number. Type the text itself; to start text with '=', type an apostrophe first.\n\n单元格里是公式，或序号不是整数。",
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


def read_source(path: Path, msgs: Messages) -> tuple[dict[str, SheetData], Reader]:
    """The tables in the file ``import`` was given, read as its extension says (.xlsx, .csv, .json, in any case);
    the reader holds what is wrong with it."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return read_csv(path, msgs)
    if suffix == ".json":
        return read_json(path, msgs)
    r = Reader(path.name, msgs)
    if suffix == ".xlsx":
        return read_workbook(path, r), r
    if suffix:
        r.whole("import-file", "import/unknown-type", ext=path.suffix)
    else:
        r.whole("import-file", "import/no-type")
    return {}, r


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


def _role_docs(sheets: dict[str, SheetData], roles: dict[str, Existing], r: Reader) -> dict[str, _Doc]:
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


def _valid_id(ident: str, cell: Cell, r: Reader) -> bool:
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


def _dept_docs(sheets: dict[str, SheetData], depts: dict[str, Existing], r: Reader) -> dict[str, _Doc]:
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


def _settings_doc(sheets: dict[str, SheetData], old: Existing | None, r: Reader) -> _Doc | None:
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
            if c.old_text is None and c.rel.startswith(f"{SCHEMA_FOLDER}/"):  # rolebook's own file: named, not shown
                out.extend([f"+++ b/{c.rel}\n", self.msgs.text("import/schema-copy") + "\n"])
                continue
            a = (c.old_text or "").splitlines(keepends=True)
            b = (c.new_text or "").splitlines(keepends=True)
            out.extend(
                difflib.unified_diff(
                    a, b, fromfile="/dev/null" if c.old_text is None else f"a/{c.rel}", tofile="/dev/null" if c.new_text is None else f"b/{c.rel}"
                )
            )
        return "".join(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in out)


def _text_for(doc: _Doc, root: Path, r: Reader) -> str | None:
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
            if any(norm(h) == norm(c.heading(lang)) for h in first for t in TABLES for c in t.columns if c.heading("zh") != c.heading("en")):
                return lang
        return None
    try:
        with zipfile.ZipFile(path) as z:
            titles = {norm(name) for name, _ in Workbook(z).sheets}  # only the sheet names: the size limit is not needed
    except (XlsxError, zipfile.BadZipFile, OSError, EOFError, RuntimeError, NotImplementedError, zlib.error):
        return None
    for lang in LANGS:
        if any(norm(t.name(lang)) in titles for t in TABLES if t.name("zh") != t.name("en")):
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
    copies = schema_copies(root, texts)  # new files' modelines point at the handbook's schema/: written with them
    if has_errors(r.problems):
        return ImportPlan(name, msgs, tuple(sort_problems(r.problems)), files_checked=r.files)
    removed = {d.moved_from for d in docs if d.moved_from}
    unsafe = _unsafe(root, [*sources, *texts, *copies, *removed], found, msgs)
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
    changes.extend(Change(rel, None, text) for rel, text in copies.items())
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


def _relocate(problems: Iterable[Problem], docs: list[_Doc], texts: Mapping[str, str], r: Reader) -> list[Problem]:
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
