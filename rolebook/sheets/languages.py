"""The columns per language of a two-language handbook's export, read back into text per language.

An export has, after each text's column (the main language), one column per other language
(rolebook/sheets/layout.py ``TRANSLATED``). Here each row's ``KEY@LANG`` values join the ``KEY``
value into the file's shape: ``{zh: 物业助理, en: Property Assistant}``; a list item by item when
both languages have as many items, else one list per language (``check`` then warns
``translation-shape``). An empty cell of a language leaves that language out.
"""

from __future__ import annotations

from typing import Any

from rolebook.bilingual import keep_translations
from rolebook.i18n import LANGS, Lang
from rolebook.load.import_plan import Existing
from rolebook.sheets.rows import SheetData, SheetRow, Value


def main_language(sheets: dict[str, SheetData], settings: Existing | None) -> Lang:
    """The handbook's main language: the imported Settings sheet's, else rolebook.yml's, else zh."""
    sheet = sheets.get("settings")
    if sheet is not None and sheet.rows:
        for key in ("languages", "language"):
            v = sheet.rows[0].get(key)
            first = v[0] if isinstance(v, list) and v else v
            if first in LANGS:
                return first  # type: ignore[no-any-return]
    data = settings.data if settings is not None else None
    if isinstance(data, dict):
        several = data.get("languages")
        first = several[0] if isinstance(several, list) and several else data.get("language")
        if first in LANGS:
            return first  # type: ignore[no-any-return]
    return "zh"


def with_languages(sheets: dict[str, SheetData], main: Lang) -> dict[str, SheetData]:
    """The sheets with every ``KEY@LANG`` column joined into its ``KEY`` column."""
    out = {}
    for key, sheet in sheets.items():
        extra = {c for c in sheet.columns if "@" in c}
        if not extra:
            out[key] = sheet
            continue
        columns = frozenset(c for c in sheet.columns if c not in extra) | {c.split("@", 1)[0] for c in extra}
        out[key] = SheetData(sheet.table, sheet.sheet, columns, tuple(_row(row, main) for row in sheet.rows))
    return out


def _row(row: SheetRow, main: Lang) -> SheetRow:
    per_key: dict[str, dict[str, Value]] = {}
    values: dict[str, Value] = {}
    for key, v in row.values.items():
        base, _, lang = key.partition("@")
        if lang:
            per_key.setdefault(base, {})[lang] = v
        else:
            values[key] = v
    for base, langs in per_key.items():
        given: dict[str, Value] = {main: values[base]} if base in values else {}
        given.update((lang, v) for lang, v in langs.items() if lang not in given)
        order = [x for x in (main, *LANGS) if x in given]
        if order == [main]:  # no translation given: the plain text
            values[base] = given[main]
            continue
        first = given[order[0]]
        values[base] = Value(_joined({x: given[x].value for x in order}), first.cell)
    return SheetRow(row.row, values, row.first)


def _joined(by_lang: dict[str, Any]) -> Any:
    lists = [v for v in by_lang.values() if isinstance(v, list)]
    if not lists:
        return by_lang
    if len(lists) == len(by_lang) and len({len(v) for v in lists}) == 1:
        return [{lang: by_lang[lang][i] for lang in by_lang} for i in range(len(lists[0]))]
    return {lang: v if isinstance(v, list) else [v] for lang, v in by_lang.items()}


def has_language_columns(sheets: dict[str, SheetData]) -> bool:
    return any("@" in c for sheet in sheets.values() for c in sheet.columns)


__all__ = ["has_language_columns", "keep_translations", "main_language", "with_languages"]
