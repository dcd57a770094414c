"""The Word documents an import names, each read and parsed: ``documents`` finds them (a file, or a
folder and its subfolders), ``read_source`` reads one (docx_reader) and turns its lines into records
(docx_parse, docx_margins). Nothing here plans or writes: app/importing_word.py does, with the
spreadsheet import's checked scratch copy.

A ``.doc`` (Word 97–2003) is converted with LibreOffice (``soffice --headless --convert-to docx``)
into a temporary folder first, when LibreOffice is installed; otherwise the message says how to
convert it by hand.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from rolebook.load.docx_convert import AS_DOCUMENT, CONVERTED, readable
from rolebook.load.docx_margins import apply_margins
from rolebook.load.docx_parse import parse_lines
from rolebook.load.docx_reader import DocxError, read_docx
from rolebook.load.docx_records import Source

WORD_SUFFIXES = (".docx", *AS_DOCUMENT, *CONVERTED)
MAX_DOCUMENTS = 2_000
ROLEBOOK_MARK = "rolebook"  # the keywords of rolebook's own exports


def is_word_source(path: Path) -> bool:
    """What the Word import reads: a Word document (.docx, .doc, .docm, .dotx, .dotm), a WPS, OpenDocument or RTF
    document (converted), or a folder of them."""
    return path.suffix.lower() in WORD_SUFFIXES or path.is_dir()


def documents(source: Path) -> list[Path]:
    """The Word documents ``source`` names: itself, or the documents in a folder and its subfolders,
    in name order; Word's lock files (~$x.docx) and hidden files left out; links never followed."""
    if not source.is_dir():
        return [source]
    found: list[Path] = []
    for folder, dirs, files in os.walk(source):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            path = Path(folder) / name
            if name.startswith(("~$", ".")) or path.suffix.lower() not in WORD_SUFFIXES or path.is_symlink():
                continue
            found.append(path)
            if len(found) > MAX_DOCUMENTS:
                return found
    return found


def read_source(path: Path, shown: str) -> Source | DocxError:
    try:
        with tempfile.TemporaryDirectory(prefix="rolebook-doc-") as tmp:
            text = read_docx(readable(path, Path(tmp)))
    except DocxError as exc:
        return exc
    except OSError as exc:
        return DocxError("docx/unreadable", detail=exc.strerror or type(exc).__name__)
    mark = ROLEBOOK_MARK in text.keywords.split()
    parsed = parse_lines(text.lines, own=mark)
    if not mark:  # rolebook's own export repeats in its headers what the body says
        parsed = apply_margins(parsed, text.margins)
    return Source(shown, parsed, mark, text.subject, text.language, text.paper)
