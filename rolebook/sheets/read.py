"""Any file ``export`` wrote, read as its extension says: the same rows from every format."""

from __future__ import annotations

import csv
import io
import re
import zipfile
import zlib
from pathlib import Path

from rolebook.i18n import LANGS, Lang, Messages
from rolebook.sheets.layout import TABLES
from rolebook.sheets.read_csv import read_csv
from rolebook.sheets.read_json import read_json
from rolebook.sheets.read_xlsx import Workbook, XlsxError, read_workbook
from rolebook.sheets.rows import Reader, SheetData, norm


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


def source_language(path: Path) -> Lang | None:
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
