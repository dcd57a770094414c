"""Read a Word document (.docx) into lines of text with where each came from; format only, no meaning.

The body is walked in document order: paragraphs, tables (one line per row, merged cells given
once), tables inside table cells (their rows follow the row that holds them), text boxes (after the
paragraph they are anchored in), and what content controls (``w:sdt``) wrap, around paragraphs,
rows or cells (docx_xml). Page headers and footers (default, first-page and even-page ones, each
section's own or the one it carries on from the section before) are read as well, apart from the
body (``DocxText.margins``): 编号, 版本 and 生效日期 often sit there. A paragraph's text is its runs' text as Word shows it (tabs and line
breaks kept; deleted revisions left out). Numbering that Word draws itself (``w:numPr``, on the
paragraph or through its style) is recorded, since the "1." is then not in the text.

Before python-docx opens the file, the zip directory is checked: sizes, entry count, what the
file really is (an HTML page, an RTF, an encrypted or old binary Office file renamed .docx).
Nothing outside the file is read: external relationships (linked images, templates, hyperlinks)
are never followed and XML entities are not resolved.
"""

from __future__ import annotations

import dataclasses
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rolebook.load.docx_xml import FALLBACK, text_boxes, unwrap_controls

MAX_FILE = 100_000_000  # bytes on disk
MAX_DOCUMENT_XML = 60_000_000  # word/document.xml unpacked
MAX_UNPACKED = 300_000_000  # all entries unpacked (images included)
MAX_ENTRIES = 5_000
MAX_RATIO = 200  # unpacked / packed for a large entry: beyond, a zip bomb
MAX_TABLES = 3_000
MAX_LINES = 200_000
MAX_NESTING = 8

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_TEXT_TAGS = {W + "t": None, W + "tab": "\t", W + "br": "\n", W + "cr": "\n", W + "noBreakHyphen": "-", W + "softHyphen": ""}
_SKIP = {FALLBACK, W + "del", W + "moveFrom", W + "txbxContent", W + "rPr", W + "pPr", W + "instrText", W + "delText", W + "fldData"}
_CONTAINERS = {W + "sdt", W + "sdtContent", W + "customXml", W + "smartTag", W + "ins", W + "moveTo"}


@dataclass(frozen=True)
class Where:
    """A place in the document: a paragraph of the body (1-based), or a row (and column) of a table.
    Tables are numbered in document order, tables inside cells included."""

    paragraph: int = 0
    table: int = 0
    row: int = 0
    col: int = 0
    seq: int = 0  # the line's place in document order, for sorting
    part: str = ""  # "header" or "footer" for a line of a page header or footer; "" for the body
    section: int = 1  # the section of the document (Word's 节) the line is in


@dataclass(frozen=True)
class Cell:
    lines: tuple[str, ...]  # its paragraphs (a paragraph with line breaks gives several)
    numbered: bool  # some paragraph in it is auto-numbered
    col: int  # 1-based, counting distinct cells in the row
    continued: bool  # the lower part of a vertically merged cell: the same cell as the row above
    paras: tuple[str, ...] = ()  # its paragraphs as they are, line breaks (Shift+Enter) inside kept

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


@dataclass(frozen=True)
class Line:
    """A paragraph of the body (``cells`` empty) or a row of a table."""

    where: Where
    text: str  # the paragraph's text; for a row, its cells' texts joined by tabs
    cells: tuple[Cell, ...] = ()
    numbered: bool = False  # Word's own numbering (numPr)
    level: int = 0  # numbering level (0 = top)
    heading: int = 0  # outline level from a heading style (1 = 标题 1 / Heading 1), 0 = body text
    bold: bool = False  # every run with text is bold
    lead: str = ""  # the text of the bold runs it starts with, when the rest is not bold ("**Job Title** Clerk")


@dataclass(frozen=True)
class DocxText:
    lines: tuple[Line, ...]
    tables: int
    subject: str  # core properties (rolebook's own exports say what made them)
    keywords: str
    language: str = ""
    margins: tuple[Line, ...] = ()  # the lines of the page headers and footers, by section
    paper: str = ""  # "a4" or "letter" when the first section's page is that size


class DocxError(Exception):
    """The file cannot be read as a Word document; ``msg_id`` says why (catalogue rolebook/i18n.py)."""

    def __init__(self, msg_id: str, **args: Any) -> None:
        super().__init__(msg_id)
        self.msg_id = msg_id
        self.args_ = args


def sniff(head: bytes) -> str:
    """What the first bytes of a file say it is: zip, ole2, html, rtf, text or unknown."""
    if head.startswith(b"PK\x03\x04"):
        return "zip"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "ole2"
    start = head.lstrip(b"\xef\xbb\xbf\xff\xfe\x00 \t\r\n").lower().replace(b"\x00", b"")
    if start.startswith(b"{\\rtf"):
        return "rtf"
    if start.startswith((b"<!doctype html", b"<html", b"<?xml", b"<head", b"<meta", b"mime-version")) or b"<html" in start[:2048]:
        return "html"
    return "unknown"


def ole2_kind(data: bytes) -> str:
    """An OLE2 compound file: 'encrypted' (a password-protected .docx/.xlsx), 'doc' (Word 97–2003), or 'other'.
    The stream names are UTF-16 in the file's directory; a search for them is enough to tell."""
    if "EncryptedPackage".encode("utf-16-le") in data or "EncryptionInfo".encode("utf-16-le") in data:
        return "encrypted"
    if "WordDocument".encode("utf-16-le") in data:
        return "doc"
    return "other"


def check_zip(path: Path) -> None:
    """Refuse what python-docx should not open: not a zip, not a Word document, too large, a zip bomb."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE:
            raise DocxError("docx/too-large", size=size, limit=MAX_FILE)
        with open(path, "rb") as fh:
            head = fh.read(8192)
    except OSError as exc:
        raise DocxError("docx/unreadable", detail=exc.strerror or type(exc).__name__) from None
    kind = sniff(head)
    if kind == "ole2":
        data = path.read_bytes()
        raise DocxError("docx/encrypted" if ole2_kind(data) == "encrypted" else "docx/is-doc")
    if kind in ("html", "rtf"):
        raise DocxError(f"docx/is-{kind}")
    if kind != "zip":
        raise DocxError("docx/not-docx")
    try:
        with zipfile.ZipFile(path) as z:
            infos = z.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise DocxError("docx/damaged") from None
    names = {i.filename for i in infos}
    if "word/document.xml" not in names and not any(n.lower() == "word/document.xml" for n in names):
        raise DocxError("docx/no-document", what=_zip_kind(names))
    if len(infos) > MAX_ENTRIES:
        raise DocxError("docx/bomb", detail=f"{len(infos)} entries")
    total = 0
    for i in infos:
        total += i.file_size
        big = i.file_size > 5_000_000 and i.file_size > MAX_RATIO * max(i.compress_size, 1)
        if big or (i.filename.lower() == "word/document.xml" and i.file_size > MAX_DOCUMENT_XML):
            raise DocxError("docx/bomb", detail=f"{i.filename}: {i.file_size} bytes unpacked")
    if total > MAX_UNPACKED:
        raise DocxError("docx/bomb", detail=f"{total} bytes unpacked")


def _zip_kind(names: set[str]) -> str:
    if "xl/workbook.xml" in names:
        return "xlsx"
    if "ppt/presentation.xml" in names:
        return "pptx"
    if "content.xml" in names:
        return "odf"
    return "zip"


def read_docx(path: Path) -> DocxText:
    """The document's lines in order; raises DocxError."""
    check_zip(path)
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(str(path))
    except PackageNotFoundError:
        raise DocxError("docx/damaged") from None
    except ValueError as exc:  # a template (.dotx), a macro document with another content type
        raise DocxError("docx/not-document", detail=str(exc)[:200]) from None
    except Exception as exc:  # damaged XML, a missing part: python-docx's own errors vary
        raise DocxError("docx/damaged-detail", detail=f"{type(exc).__name__}: {exc}"[:200]) from None
    walker = _Walker(document)
    body = document.element.body
    try:
        unwrap_controls(body)
        walker.container(body, 0)
        margins = _margins(document, [sp for sp in body.iter(W + "sectPr") if _ends_section(sp)])
    except RecursionError:
        raise DocxError("docx/too-deep") from None
    props = document.core_properties
    paper = _paper(document)
    return DocxText(tuple(walker.lines), walker.tables, props.subject or "", props.keywords or "", props.language or "", margins, paper)


def _paper(document: Any) -> str:
    """The paper of the first section: "a4" (210 mm wide), "letter" (8.5 in, 215.9 mm), or ""."""
    try:
        width = document.sections[0].page_width
    except Exception:  # no or damaged section properties
        return ""
    mm = width / 36_000 if width else 0
    return "a4" if abs(mm - 210) < 2 else "letter" if abs(mm - 215.9) < 2 else ""


_REFS = (("header", "first"), ("header", "default"), ("header", "even"), ("footer", "first"), ("footer", "default"), ("footer", "even"))
R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"


def _margins(document: Any, sections: list[Any]) -> tuple[Line, ...]:
    """The lines of each section's page headers and footers. A section without a header of a kind carries on
    the one before it; each header part is read once, however many sections show it."""
    current: dict[tuple[str, str], Any] = {}
    read: dict[int, list[Line]] = {}
    out: list[Line] = []
    for number, sect in enumerate(sections, start=1):
        for kind, which in _REFS:
            for ref in sect.findall(f"{W}{kind}Reference"):
                if (ref.get(W + "type") or "default") == which:
                    current[(kind, which)] = _part_element(document, ref.get(R_ID) or "")
        for kind, which in _REFS:
            element = current.get((kind, which))
            if element is None:
                continue
            if id(element) not in read:
                walker = _Walker(document)
                unwrap_controls(element)
                walker.container(element, 0)
                read[id(element)] = walker.lines
            for line in read[id(element)]:
                if len(out) >= MAX_LINES:
                    raise DocxError("docx/too-many-lines", limit=MAX_LINES)
                out.append(dataclasses.replace(line, where=dataclasses.replace(line.where, part=kind, section=number)))
    return tuple(out)


def _ends_section(sect: Any) -> bool:
    """A section's properties: the body's last child, or in the properties of a paragraph that ends a section
    (not an earlier version of them a tracked change keeps)."""
    up = sect.getparent()
    return up is not None and (up.tag == W + "body" or (up.tag == W + "pPr" and up.getparent() is not None and up.getparent().tag == W + "p"))


def _part_element(document: Any, rid: str) -> Any:
    """The XML of the header or footer part ``rid`` names; None for an external or missing one."""
    rel = document.part.rels.get(rid)
    if rel is None or rel.is_external:
        return None
    return getattr(rel.target_part, "element", None)


class _Walker:
    def __init__(self, document: Any) -> None:
        self.document = document
        self.lines: list[Line] = []
        self.paragraphs = 0
        self.tables = 0
        self.section = 1
        self._styles: dict[str, tuple[int, bool]] = {}

    def _add(self, line: Line) -> None:
        if len(self.lines) >= MAX_LINES:
            raise DocxError("docx/too-many-lines", limit=MAX_LINES)
        self.lines.append(dataclasses.replace(line, where=dataclasses.replace(line.where, seq=len(self.lines) + 1, section=self.section)))

    def container(self, element: Any, depth: int) -> None:
        """The block content of the body, a cell or a content control, in order."""
        for child in element.iterchildren():
            tag = child.tag
            if tag == W + "p":
                self.paragraphs += 1
                line = self.paragraph(child, Where(paragraph=self.paragraphs))
                if line.text.strip():
                    self._add(line)
                for box in text_boxes(child):
                    if depth >= MAX_NESTING:
                        raise DocxError("docx/too-deep")
                    self.container(box, depth + 1)
                ppr = child.find(W + "pPr")
                if ppr is not None and ppr.find(W + "sectPr") is not None:
                    self.section += 1  # the paragraph ends a section
            elif tag == W + "tbl":
                self.table(child, depth)
            elif tag in _CONTAINERS:
                self.container(child, depth)

    def paragraph(self, p: Any, where: Where) -> Line:
        text = paragraph_text(p)
        style_id = _style_id(p)
        heading, style_numbered = self._style(style_id)
        num = _num_pr(p)
        numbered = style_numbered if num is None else num[0]
        level = num[1] if num is not None else 0
        outline = _outline(p)
        bold, lead = _bold_runs(p)
        return Line(where, text, (), numbered, level, outline if outline else heading, bold, lead)

    def table(self, tbl: Any, depth: int) -> None:
        if depth >= MAX_NESTING:
            raise DocxError("docx/too-deep")
        self.tables += 1
        if self.tables > MAX_TABLES:
            raise DocxError("docx/too-many-tables", limit=MAX_TABLES)
        number = self.tables
        from docx.table import Table

        table = Table(tbl, self.document)
        above: list[Any] = []
        for r, row in enumerate(table.rows, start=1):
            try:
                grid = list(row.cells)
            except Exception:  # a malformed merge: read the row's own cells
                grid = [c for c in row._tr.tc_lst]
            grid_tcs = [getattr(c, "_tc", c) for c in grid]
            cells: list[Cell] = []
            nested: list[Any] = []
            seen: set[int] = set()
            for g, tc in enumerate(grid_tcs):
                if id(tc) in seen:
                    continue
                seen.add(id(tc))
                continued = g < len(above) and above[g] is tc
                lines, paras, numbered, inner = self._cell(tc)
                nested.extend(inner)
                cells.append(Cell(tuple(lines), numbered, len(cells) + 1, continued, tuple(paras)))
            above = grid_tcs
            text = "\t".join(c.text.replace("\n", " ") for c in cells if not c.continued)
            if any(c.lines for c in cells):
                self._add(Line(Where(table=number, row=r), text, tuple(cells)))
            for inner_tbl in nested:
                self.table(inner_tbl, depth + 1)

    def _cell(self, tc: Any) -> tuple[list[str], list[str], bool, list[Any]]:
        """A cell's text lines, its paragraphs, whether any is auto-numbered; its nested tables, read after the row."""
        lines: list[str] = []
        paras: list[str] = []
        nested: list[Any] = []
        numbered = False

        def walk(element: Any) -> None:
            nonlocal numbered
            for child in element.iterchildren():
                if child.tag == W + "p":
                    line = self.paragraph(child, Where())
                    numbered = numbered or line.numbered
                    lines.extend(part for part in line.text.split("\n") if part.strip())
                    if line.text.strip():
                        paras.append(line.text.strip("\n"))
                    for box in text_boxes(child):
                        walk(box)
                elif child.tag == W + "tbl":
                    nested.append(child)
                elif child.tag in _CONTAINERS:
                    walk(child)

        walk(tc)
        return lines, paras, numbered, nested

    def _style(self, style_id: str | None) -> tuple[int, bool]:
        """(heading level, numbered) a paragraph style gives, following its base styles."""
        if not style_id:
            return 0, False
        if style_id in self._styles:
            return self._styles[style_id]
        heading, numbered = 0, False
        try:
            style = self.document.styles.element.get_by_id(style_id)
            hops = 0
            while style is not None and hops < 20:
                name = (style.name_val or "").lower()
                if not heading and name.startswith(("heading ", "标题 ")) and name.split()[-1].isdigit():
                    heading = int(name.split()[-1])
                if not heading and name == "title":
                    heading = 1
                ppr = style.pPr
                if ppr is not None:
                    lvl = ppr.find(W + "outlineLvl")
                    if not heading and lvl is not None and (lvl.get(W + "val") or "").isdigit() and int(lvl.get(W + "val")) < 9:
                        heading = int(lvl.get(W + "val")) + 1
                    num = ppr.find(W + "numPr")
                    if num is not None and not numbered:
                        nid = num.find(W + "numId")
                        numbered = nid is None or nid.get(W + "val") != "0"
                base = style.basedOn_val
                style = self.document.styles.element.get_by_id(base) if base else None
                hops += 1
        except Exception:
            pass
        self._styles[style_id] = (heading, numbered)
        return heading, numbered


def paragraph_text(p: Any) -> str:
    """The text Word shows for a paragraph: runs, hyperlinks, fields' results, inline content controls."""
    parts: list[str] = []
    stack = [iter(p.iterchildren())]
    while stack:
        child = next(stack[-1], None)
        if child is None:
            stack.pop()
            continue
        tag = child.tag
        if not isinstance(tag, str) or tag in _SKIP:
            continue
        if tag in _TEXT_TAGS:
            add = _TEXT_TAGS[tag]
            parts.append(child.text or "" if add is None else add)
            continue
        stack.append(iter(child.iterchildren()))
    return "".join(parts).replace("\xa0", " ").replace("\u3000", "　")


def _style_id(p: Any) -> str | None:
    ppr = p.find(W + "pPr")
    if ppr is None:
        return None
    st = ppr.find(W + "pStyle")
    return st.get(W + "val") if st is not None else None


def _num_pr(p: Any) -> tuple[bool, int] | None:
    """(numbered, level) from the paragraph's own numPr; None when it has none (the style decides)."""
    ppr = p.find(W + "pPr")
    num = ppr.find(W + "numPr") if ppr is not None else None
    if num is None:
        return None
    nid = num.find(W + "numId")
    ilvl = num.find(W + "ilvl")
    level = ilvl.get(W + "val") if ilvl is not None else "0"
    return (nid is None or nid.get(W + "val") != "0"), int(level) if level and level.isdigit() else 0


def _outline(p: Any) -> int:
    ppr = p.find(W + "pPr")
    lvl = ppr.find(W + "outlineLvl") if ppr is not None else None
    val = lvl.get(W + "val") if lvl is not None else None
    return int(val) + 1 if val and val.isdigit() and int(val) < 9 else 0


def _bold_runs(p: Any) -> tuple[bool, str]:
    """(every run with text is bold, the text of the bold runs the paragraph starts with when not all are)."""
    runs = []
    for r in p.iter(W + "r"):
        text = "".join(t.text or "" for t in r.iter(W + "t"))
        if text.strip():
            runs.append((text, _run_bold(r)))
    if not runs:
        return False, ""
    if all(b for _, b in runs):
        return True, ""
    lead = []
    for text, b in runs:
        if not b:
            break
        lead.append(text)
    return False, "".join(lead).strip()


def _run_bold(r: Any) -> bool:
    rpr = r.find(W + "rPr")
    if rpr is None:
        return False
    b = rpr.find(W + "b")
    if b is not None:
        return b.get(W + "val") not in ("0", "false")
    style = rpr.find(W + "rStyle")
    name = (style.get(W + "val") or "").lower() if style is not None else ""
    return "strong" in name or "bold" in name  # Word's "Strong" character style
