"""Department and handbook PDFs, put together from the PDFs WeasyPrint made of their parts.

A department's PDF is its overview followed by the job descriptions of its positions; the
handbook is the cover and contents followed by every department. Laying all of that out
again as one WeasyPrint document cost the whole layout a second time and, for the
handbook, memory in proportion to the handbook (about 1 GiB at 100 roles). Instead, the
parts are rendered once and joined page by page with pikepdf (qpdf), which copies the
pages without laying anything out. The joined PDF gets its own metadata, an outline
(bookmarks) of departments and positions, the handbook's page numbers stamped on its
pages (each job description keeps its own "page x of y" document control), and the
contents' links pointing at the pages they name.

Deterministic: the same parts give the same bytes (qpdf's content-derived /ID, no dates
but the ones given).
"""

from __future__ import annotations

import io
import re
import tempfile
from collections.abc import Sequence
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

import pikepdf
from pikepdf import Name

from rolebook.render.print_html import PAGE_LINK


@dataclass(frozen=True)
class Piece:
    """A PDF to append, and the documents it holds in order: (key, pages), e.g. ("role:guide", 2)."""

    pdf: Path | bytes
    members: tuple[tuple[str, int], ...]


@dataclass(frozen=True)
class OutlineEntry:
    title: str
    key: str  # the member the bookmark points at (its first page)
    children: tuple[OutlineEntry, ...] = ()


@dataclass(frozen=True)
class Metadata:
    title: str
    author: str
    lang: str
    timestamp: str | None  # W3C form, as the documents' <meta name="dcterms.created">
    subject: str = ""
    creator: str = ""
    producer: str = ""


@dataclass(frozen=True)
class Stamps:
    """Handbook page numbers to draw over the pages: ``blocks[b]`` holds the stamps of pages
    ``b * per_block + 1`` … ``(b + 1) * per_block``; pages before ``first`` are not stamped."""

    blocks: tuple[Path | bytes, ...]
    per_block: int
    first: int = 2


def pdf_date(timestamp: str) -> str:
    """'2006-06-01T00:00:00Z' → 'D:20060601000000Z' (the form WeasyPrint writes)."""
    digits = "".join(ch for ch in timestamp if ch.isdigit())[:14]
    return f"D:{digits.ljust(14, '0')}Z"


def first_pages(pieces: Sequence[Piece], start: int = 1) -> dict[str, int]:
    """The page (1-based) each member starts on when ``pieces`` are joined from page ``start``."""
    pages: dict[str, int] = {}
    page = start
    for piece in pieces:
        for key, count in piece.members:
            pages.setdefault(key, page)
            page += count
    return pages


def _open(stack: ExitStack, source: Path | bytes) -> pikepdf.Pdf:
    pdf = pikepdf.Pdf.open(source if isinstance(source, Path) else io.BytesIO(source))
    return stack.enter_context(pdf)


def assemble(pieces: Sequence[Piece], meta: Metadata, outline: Sequence[OutlineEntry], stamps: Stamps | None = None) -> bytes:
    """Join ``pieces`` into one PDF with ``meta``, ``outline`` and, when given, page-number ``stamps``."""
    buffer = io.BytesIO()
    _join(pieces, meta, outline, stamps, buffer)
    return buffer.getvalue()


def assemble_to_file(pieces: Sequence[Piece], meta: Metadata, outline: Sequence[OutlineEntry], stamps: Stamps | None, path: Path) -> None:
    """``assemble``, saved straight to ``path`` (run in a worker process: the PDF neither sits in
    memory nor travels back through a pipe)."""
    _join(pieces, meta, outline, stamps, path)


# Sources joined at once. qpdf keeps every source open until the result is saved: a handbook
# of more pieces is joined group by group into temporary files first, then the groups are
# joined, and its page numbers are drawn on the saved result, opened again (read as needed).
# At 10,000 roles (20,000 pages, 200 departments) that is 0.77 GB at most, against 2.2 GB
# for the parts joined and stamped at once.
JOIN_GROUP = 40


def _join(pieces: Sequence[Piece], meta: Metadata, outline: Sequence[OutlineEntry], stamps: Stamps | None, target: Path | io.BytesIO) -> None:
    if isinstance(target, io.BytesIO) or len(pieces) <= JOIN_GROUP:
        _join_flat(pieces, stamps, target, (meta, outline))
        return
    with tempfile.TemporaryDirectory(dir=target.parent, prefix=".rolebook-join-") as tmp:
        groups = []
        for n, start in enumerate(range(0, len(pieces), JOIN_GROUP)):
            group = pieces[start : start + JOIN_GROUP]
            path = Path(tmp) / f"{n:05d}.pdf"
            _join_flat(group, None, path, None)
            groups.append(Piece(path, tuple(m for piece in group for m in piece.members)))
        if stamps is None:
            _join_flat(groups, None, target, (meta, outline))
            return
        joined = Path(tmp) / "joined.pdf"
        _join_flat(groups, None, joined, (meta, outline))
        with pikepdf.Pdf.open(joined) as whole, ExitStack() as stack:
            _stamp(whole, stamps, stack)
            _save(whole, target, final=True)


def _stamp(out: pikepdf.Pdf, stamps: Stamps, stack: ExitStack) -> None:
    """Draw the handbook's page numbers on the pages of ``out`` (the whole handbook)."""
    blocks: dict[int, pikepdf.Pdf] = {}
    save = out.make_indirect(pikepdf.Stream(out, b"q\n"))
    # a department's own numbers come off first: its pages share the dictionary the new ones go into
    stale = [old for old in (_unstamp(page) for page in out.pages) if old is not None]
    for index, page in enumerate(out.pages):
        number = index + 1
        if number < stamps.first:
            continue
        b, i = divmod(number - 1, stamps.per_block)
        if b >= len(stamps.blocks):
            break
        if b not in blocks:
            blocks[b] = _open(stack, stamps.blocks[b])
        _overlay(out, page, blocks[b].pages[i], number, save)
    for xobjects, name, objgen in stale:
        if name in xobjects and xobjects[name].objgen == objgen:
            del xobjects[name]


def _save(pdf: pikepdf.Pdf, target: Path | io.BytesIO, *, final: bool) -> None:
    # the /ID of a finished PDF is derived from its content; a temporary file's is fixed
    pdf.save(target, deterministic_id=final, static_id=not final, compress_streams=True, object_stream_mode=pikepdf.ObjectStreamMode.generate)


def _join_flat(
    pieces: Sequence[Piece],
    stamps: Stamps | None,
    target: Path | io.BytesIO,
    finish: tuple[Metadata, Sequence[OutlineEntry]] | None,
) -> None:
    """Join ``pieces``, stamping page numbers when given (only on the whole handbook);
    ``finish``: the whole is done, so add its metadata, outline and links."""
    with ExitStack() as stack:
        out = stack.enter_context(pikepdf.Pdf.new())
        for piece in pieces:
            out.pages.extend(_open(stack, piece.pdf).pages)
        total = len(out.pages)

        if stamps is not None:
            _stamp(out, stamps, stack)

        if finish is not None:
            meta, outline = finish
            _link_contents(out)
            _write_outline(out, outline, first_pages(pieces), total)
            _write_metadata(out, meta)
        _save(out, target, final=finish is not None)


STAMP = Name("/RbPageNumber")


def _overlay(pdf: pikepdf.Pdf, page: pikepdf.Page, sheet: pikepdf.Page, number: int, save: pikepdf.Object) -> None:
    """Draw ``sheet`` (a page of the same size) over ``page``, as the form ``/RbPageNumber<number>``.

    Few objects per page, since at 20,000 pages every one counts: the form goes into the page's
    resource dictionary even where WeasyPrint's pages share it (each page has its own name), and
    the ``q`` that saves the page's graphics state is one stream ``save`` shared by every page.
    (pikepdf's ``add_overlay`` names the form at random, which would make every build's bytes differ.)
    """
    name = Name(f"{STAMP}{number}")
    resources = page.obj.get(Name.Resources)
    if not isinstance(resources, pikepdf.Dictionary):
        resources = page.obj[Name.Resources] = pikepdf.Dictionary()
    if not isinstance(resources.get(Name.XObject), pikepdf.Dictionary):
        resources[Name.XObject] = pikepdf.Dictionary()
    resources[Name.XObject][name] = pdf.copy_foreign(sheet.as_form_xobject())
    contents = page.obj.get(Name.Contents)
    drawn = list(contents) if isinstance(contents, pikepdf.Array) else [contents] if contents is not None else []
    stamp = pikepdf.Stream(pdf, b"\nQ\nq " + name.unparse() + b" Do Q\n")
    page.obj[Name.Contents] = pikepdf.Array([save, *drawn, stamp])


_STAMPED = re.compile(rb"\s*Q\s+q\s+(/RbPageNumber\d+)\s+Do\s+Q\s*")


def _unstamp(page: pikepdf.Page) -> tuple[pikepdf.Dictionary, Name, tuple[int, int]] | None:
    """Take the page number ``_overlay`` drew off ``page`` (a department's page, going into the handbook).

    Returns where its form was (resource dictionary, name, object): pages share that dictionary,
    so the form is removed only after the new numbers are drawn, if none of them took its name."""
    contents = page.obj.get(Name.Contents)
    if not isinstance(contents, pikepdf.Array) or len(contents) < 3:
        return None
    first, last = contents[0], contents[len(contents) - 1]
    if not (isinstance(first, pikepdf.Stream) and isinstance(last, pikepdf.Stream)) or first.read_bytes().strip() != b"q":
        return None
    match = _STAMPED.fullmatch(last.read_bytes())
    if match is None:
        return None
    page.obj[Name.Contents] = pikepdf.Array(list(contents)[1:-1])
    resources = page.obj.get(Name.Resources)
    xobjects = resources.get(Name.XObject) if isinstance(resources, pikepdf.Dictionary) else None
    name = Name(match.group(1).decode("ascii"))
    if not isinstance(xobjects, pikepdf.Dictionary) or name not in xobjects:
        return None
    return xobjects, name, xobjects[name].objgen


def _link_contents(pdf: pikepdf.Pdf) -> None:
    """``rolebook-page:<n>`` links (the contents) become links to page n of this PDF."""
    total = len(pdf.pages)
    for page in pdf.pages:
        annots = page.obj.get(Name.Annots)
        if not isinstance(annots, pikepdf.Array):
            continue
        for annot in annots:
            action = annot.get(Name.A)
            if not isinstance(action, pikepdf.Dictionary) or action.get(Name.S) != Name.URI:
                continue
            uri = str(action.get(Name.URI, ""))
            if not uri.startswith(PAGE_LINK):
                continue
            try:
                number = int(uri[len(PAGE_LINK) :])
            except ValueError:
                continue
            del annot[Name.A]
            if 1 <= number <= total:
                annot[Name.Dest] = pikepdf.Array([pdf.pages[number - 1].obj, Name.Fit])


def _write_outline(pdf: pikepdf.Pdf, entries: Sequence[OutlineEntry], starts: dict[str, int], total: int) -> None:
    def item(entry: OutlineEntry) -> pikepdf.OutlineItem | None:
        page = starts.get(entry.key)
        if page is None or not 1 <= page <= total:
            return None
        made = pikepdf.OutlineItem(entry.title, page - 1)
        made.children.extend(c for c in (item(child) for child in entry.children) if c is not None)
        return made

    depth, level = 0, list(entries)
    while level:  # pikepdf writes only max_depth levels (15 unless told) and drops deeper bookmarks silently
        depth += 1
        level = [child for entry in level for child in entry.children]
    with pdf.open_outline(max_depth=depth) as outline:
        outline.root.extend(c for c in (item(e) for e in entries) if c is not None)
    pdf.Root.PageMode = Name.UseOutlines


def _write_metadata(pdf: pikepdf.Pdf, meta: Metadata) -> None:
    info = pdf.docinfo
    info[Name.Title] = pikepdf.String(meta.title)
    info[Name.Author] = pikepdf.String(meta.author)
    if meta.subject:
        info[Name.Subject] = pikepdf.String(meta.subject)
    if meta.creator:
        info[Name.Creator] = pikepdf.String(meta.creator)
    if meta.producer:
        info[Name.Producer] = pikepdf.String(meta.producer)
    if meta.timestamp:
        info[Name.CreationDate] = pikepdf.String(pdf_date(meta.timestamp))
        info[Name.ModDate] = pikepdf.String(pdf_date(meta.timestamp))
    pdf.Root.Lang = pikepdf.String(meta.lang)


__all__ = ["Metadata", "OutlineEntry", "Piece", "Stamps", "assemble", "assemble_to_file", "first_pages", "pdf_date"]
