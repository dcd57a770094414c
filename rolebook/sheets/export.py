"""Spreadsheet and JSON exports of a checked handbook: the tables of rolebook/sheets/layout.py
filled from the model, written as XLSX (one sheet each), CSV (one file each) or JSON."""

from __future__ import annotations

import csv
import io
import json
import re
import unicodedata
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from rolebook import dates
from rolebook.bilingual import Fallback
from rolebook.i18n import Lang, Messages
from rolebook.load.files import SETTINGS_FILE
from rolebook.model import Handbook, Settings
from rolebook.problems import Problem
from rolebook.sheets.layout import EXPORT_FORMAT, EXPORT_VERSION, FORMULA_START, MAX_CELL, TABLES, TRANSLATED, Column, Table, language_key, tables_for

Value = str | int | bool | tuple[str, ...] | None
Translations = Mapping[Lang, Handbook]  # the model in each other language of a two-language handbook


@dataclass(frozen=True)
class Row:
    source: str  # the handbook file the row comes from (for problem reports)
    values: Mapping[str, Value]


# ---------------------------------------------------------------------------
# the tables


def settings_values(s: Settings) -> dict[str, Any]:
    """The settings as the exports carry them (the Settings sheet's row and the JSON's ``settings``)."""
    return {
        "organisation": s.organisation,
        "language": s.language,
        "logo": s.logo,
        "signatures": s.signatures,
        "review_every": s.review_every,
        "version": s.version,
        "paper": s.paper,
        "engine": s.engine,
    }


def _opt(items: tuple[str, ...]) -> tuple[str, ...] | None:
    return items or None


def table_rows(hb: Handbook, translations: Translations | None = None) -> dict[str, list[Row]]:
    """Every table of the export, rows in the handbook's order; with ``translations`` (the model in each
    other language), each text's column per language too (empty where the translation is missing)."""
    rows = _rows(hb)
    for lang, other in (translations or {}).items():
        if lang in hb.settings.languages[1:]:
            _add_language(rows, _rows(other), lang)
    if hb.settings.bilingual:
        for row in rows["settings"]:
            row.values["languages"] = tuple(hb.settings.languages)  # type: ignore[index]
    return rows


def _translated(value: Value) -> Value:
    """A value of the model in another language, as its column shows it: what fell back to the main language is missing."""
    if isinstance(value, Fallback):
        return None
    if isinstance(value, tuple):
        kept = tuple(x for x in value if not isinstance(x, Fallback))
        return kept or None
    return value


def _identities(rows: list[Row]) -> list[tuple[object, ...]]:
    """What a row is about, the same in every language: its role or department and 序号 (and how many came before)."""
    seen: dict[tuple[object, ...], int] = {}
    out: list[tuple[object, ...]] = []
    for row in rows:
        base = tuple(row.values.get(k) for k in ("id", "role", "department", "seq"))
        seen[base] = seen.get(base, -1) + 1
        out.append((*base, seen[base]))
    return out


def _add_language(rows: dict[str, list[Row]], other: dict[str, list[Row]], lang: Lang) -> None:
    for table, keys in TRANSLATED.items():
        # by identity, not by position: a summary given as one list per language may have fewer items in one
        theirs = dict(zip(_identities(other[table]), other[table], strict=True))
        for ident, row in zip(_identities(rows[table]), rows[table], strict=True):
            translated = theirs.get(ident)
            for key in keys:
                value = _translated(translated.values.get(key)) if translated is not None else None
                row.values[language_key(key, lang)] = value  # type: ignore[index]


def _rows(hb: Handbook) -> dict[str, list[Row]]:
    out: dict[str, list[Row]] = {t.key: [] for t in TABLES}
    for r in hb.roles:
        q = r.qualifications
        out["positions"].append(
            Row(
                r.source,
                {
                    "number": r.number,
                    "id": r.id,
                    "title": r.title,
                    "department": r.department,
                    "reports_to": r.reports_to,
                    "subordinates": _opt(r.subordinates),
                    "headcount": r.headcount,
                    "education": (q.education or None) if q else None,
                    "experience": (q.experience or None) if q else None,
                    "abilities": (q.abilities or None) if q else None,
                    "other": (q.other or None) if q else None,
                    "internal.percent": r.internal.percent if r.internal else None,
                    "internal.parties": _opt(r.internal.parties) if r.internal else None,
                    "external.percent": r.external.percent if r.external else None,
                    "external.parties": _opt(r.external.parties) if r.external else None,
                    "effective_date": r.effective_date,
                    "approver": r.approver,
                    "approval_date": r.approval_date,
                    "revision": r.revision,
                    "status": r.status,
                },
            )
        )
        for group, seq, duty in r.numbered_duties():
            out["duties"].append(Row(r.source, {"role": r.id, "group": group, "seq": seq, "duty": duty.text, "kpis": _opt(duty.kpis)}))
        n = 0
        for sgroup in r.summary:
            for item in sgroup.items:
                n += 1
                out["summary"].append(Row(r.source, {"role": r.id, "group": sgroup.name, "seq": n, "item": item}))
    for d in hb.departments:
        out["departments"].append(
            Row(
                d.source,
                {
                    "id": d.id,
                    "name": d.name,
                    "parent": d.parent,
                    "order": d.order,
                    "description": d.description,
                    "duties": _opt(d.duties),
                    "requirements": _opt(d.requirements),
                },
            )
        )
        for w in d.workflows:
            out["workflows"].append(Row(d.source, {"department": d.id, "name": w.name, "steps": _opt(w.steps)}))
    out["settings"].append(
        Row(
            SETTINGS_FILE,
            settings_values(hb.settings),
        )
    )
    return out


def cell_text(col: Column, value: Value) -> str | int | bool | None:
    """A table value as one spreadsheet cell: lists one item per line."""
    if value is None:
        return None
    if isinstance(value, tuple):
        return "\n".join(value) if value else None
    return value


def sheet_problems(hb: Handbook, msgs: Messages, lang: Lang, translations: Translations | None = None) -> list[Problem]:
    """What a spreadsheet cannot hold: control characters, text over 32,767 characters (errors), and a line
    break inside one item of a list (a warning: import would read it as two items)."""
    problems: list[Problem] = []
    rows = table_rows(hb, translations)
    for table in tables_for(hb.settings.languages):
        for row in rows[table.key]:
            for col in table.columns:
                value = row.values.get(col.key)
                what = msgs.quote(f"{table.name(lang)} / {col.heading(lang)}")
                if isinstance(value, tuple) and any("\n" in item for item in value):
                    problems.append(Problem(row.source, 0, 0, "warning", "sheet-line-break", msgs.text("sheet-line-break", what=what)))
                text = cell_text(col, value)
                if not isinstance(text, str):
                    continue
                bad = ILLEGAL_CHARACTERS_RE.search(text) or re.search("\r", text)
                if bad:
                    problems.append(
                        Problem(row.source, 0, 0, "error", "sheet-unsupported", msgs.text("sheet-control-char", what=what, code=f"{ord(bad.group()):04X}"))
                    )
                elif len(text) > MAX_CELL:
                    problems.append(
                        Problem(row.source, 0, 0, "error", "sheet-unsupported", msgs.text("sheet-too-long", what=what, size=len(text), limit=MAX_CELL))
                    )
    return problems


# ---------------------------------------------------------------------------
# XLSX


def fixed_time(hb: Handbook, source_date_epoch: str | None) -> datetime:
    """The one timestamp written into an export (see rolebook/dates.py)."""
    return dates.fixed_time((r.effective_date for r in hb.roles), source_date_epoch)


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _column_width(heading: str, values: list[Any]) -> float:
    widest = _width(heading) + 3  # room for the filter button
    for v in values:
        if v is None:
            continue
        for line in str(v).split("\n"):
            widest = max(widest, _width(line))
    return float(min(max(widest, 6), 60) + 2)


HEAD_FONT = Font(bold=True)
HEAD_FILL = PatternFill("solid", fgColor="DDE6F0")
WRAP = Alignment(wrap_text=True, vertical="top")


def _fill(ws: Worksheet, table: Table, rows: list[Row], lang: Lang) -> None:
    for j, col in enumerate(table.columns, start=1):
        cell = ws.cell(row=1, column=j, value=col.heading(lang))
        cell.data_type = "s"
        cell.font = HEAD_FONT
        cell.fill = HEAD_FILL
        cell.alignment = WRAP
    for i, row in enumerate(rows, start=2):
        for j, col in enumerate(table.columns, start=1):
            value = cell_text(col, row.values.get(col.key))
            cell = ws.cell(row=i, column=j, value=value)
            if isinstance(value, str):
                cell.data_type = "s"  # never a formula (=…) or an error code (#N/A): text stays text
                if value.startswith(FORMULA_START):
                    cell.quotePrefix = True  # and stays text when edited in Excel
            cell.alignment = WRAP
    last = get_column_letter(len(table.columns))
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{last}{len(rows) + 1}"
    for j, col in enumerate(table.columns, start=1):
        values = [cell_text(col, r.values.get(col.key)) for r in rows]
        ws.column_dimensions[get_column_letter(j)].width = _column_width(col.heading(lang), values)
        if col.choices:
            dv = DataValidation(type="list", formula1='"' + ",".join(col.choices) + '"', allow_blank=True)
            ws.add_data_validation(dv)
            dv.add(f"{get_column_letter(j)}2:{get_column_letter(j)}{max(len(rows) + 1, 2) + 200}")


def _stable_zip(data: bytes, when: datetime) -> bytes:
    """The same archive with every entry's timestamp and attributes fixed."""
    stamp = min(max(when, datetime(1980, 1, 1)), datetime(2107, 12, 31, 23, 59, 58)).timetuple()[:6]  # what a zip can hold
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=stamp)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            zout.writestr(entry, zin.read(info.filename))
    return out.getvalue()


def write_xlsx(hb: Handbook, lang: Lang, when: datetime, translations: Translations | None = None) -> bytes:
    """The workbook as bytes: the same data and ``when`` always give the same bytes.

    ``translations``: the model in each other language of the handbook (a column per language)."""
    wb = Workbook()
    wb.remove(wb.active)
    rows = table_rows(hb, translations)
    for table in tables_for(hb.settings.languages):
        _fill(wb.create_sheet(table.name(lang)), table, rows[table.key], lang)
    props = wb.properties
    props.creator = "rolebook"
    props.lastModifiedBy = "rolebook"
    props.title = hb.settings.organisation
    props.created = when
    props.modified = when
    buf = io.BytesIO()
    archive = zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED)
    ExcelWriter(wb, archive).save()  # not save_workbook(): it stamps 'modified' with the clock
    return _stable_zip(buf.getvalue(), when)


# ---------------------------------------------------------------------------
# CSV


def _csv_cell(value: str | int | bool | None) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    text = str(value)
    if isinstance(value, str) and text.lstrip("'").startswith(FORMULA_START):
        # Excel would run =… +… -… @… from a CSV as a formula. `import` takes one ' off again, so text
        # that already starts with ' before one of them ('=x) gets one more and comes back as it was.
        return "'" + text
    return text


def write_csv(hb: Handbook, lang: Lang, translations: Translations | None = None) -> dict[str, bytes]:
    """One CSV per table (key → UTF-8 bytes with a BOM, so Excel reads Chinese correctly).

    Cells that start with = + - @ get a leading ' so that spreadsheet programs show them instead of
    running them; `import` reads the files back and takes that ' off (rolebook/sheets/to_files.py)."""
    rows = table_rows(hb, translations)
    out: dict[str, bytes] = {}
    for table in tables_for(hb.settings.languages):
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\r\n")
        w.writerow([c.heading(lang) for c in table.columns])
        for row in rows[table.key]:
            w.writerow([_csv_cell(cell_text(c, row.values.get(c.key))) for c in table.columns])
        out[table.key] = ("\ufeff" + buf.getvalue()).encode("utf-8")
    return out


# ---------------------------------------------------------------------------
# JSON


def model_json(hb: Handbook) -> dict[str, Any]:
    """The whole checked model as plain JSON data (schema/export.schema.json)."""
    return {
        "format": EXPORT_FORMAT,
        "version": EXPORT_VERSION,
        "settings": settings_values(hb.settings),
        "departments": [
            {
                "id": d.id,
                "name": d.name,
                "parent": d.parent,
                "order": d.order,
                "description": d.description,
                "duties": list(d.duties),
                "requirements": list(d.requirements),
                "workflows": [{"name": w.name, "steps": list(w.steps)} for w in d.workflows],
                "headcount": hb.headcount(d.id),
                "source": d.source,
            }
            for d in hb.departments
        ],
        "roles": [
            {
                "id": r.id,
                "department": r.department,
                "number": r.number,
                "title": r.title,
                "reports_to": r.reports_to,
                "subordinates": list(r.subordinates),
                "headcount": r.headcount,
                "status": r.status,
                "effective_date": r.effective_date,
                "approver": r.approver,
                "approval_date": r.approval_date,
                "revision": r.revision,
                "summary": [{"group": g.name, "items": list(g.items)} for g in r.summary],
                "internal": {"percent": r.internal.percent, "parties": list(r.internal.parties)} if r.internal else None,
                "external": {"percent": r.external.percent, "parties": list(r.external.parties)} if r.external else None,
                "qualifications": (
                    {
                        "education": r.qualifications.education,
                        "experience": r.qualifications.experience,
                        "abilities": r.qualifications.abilities or None,
                        "other": r.qualifications.other or None,
                    }
                    if r.qualifications
                    else None
                ),
                "duties": [{"group": g.name, "duties": [{"duty": d.text, "kpis": list(d.kpis)} for d in g.duties]} for g in r.duties],
                "source": r.source,
                "digest": r.digest,
            }
            for r in hb.roles
        ],
    }


def write_json(hb: Handbook) -> str:
    return json.dumps(model_json(hb), ensure_ascii=False, indent=2) + "\n"
