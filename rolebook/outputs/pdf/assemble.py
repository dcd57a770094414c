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


def _append_pages(out: pikepdf.Pdf, src: pikepdf.Pdf) -> None:
    """Append every page of ``src`` to ``out``.

    pikepdf's ``pages.extend`` looks through the pages already there for each page it adds, so a
    join is quadratic: the handbook's last 3,000 pages took 4 s where its first took 0.8 s. qpdf's
    own addPage (``Pdf._add_page``, where pikepdf has it) adds them in linear time, with the same bytes."""
    add = getattr(out, "_add_page", None)
    if add is None:
        out.pages.extend(src.pages)
        return
    for page in src.pages:
        add(page.obj)


def assemble(pieces: Sequence[Piece], meta: Metadata, outline: Sequence[OutlineEntry], stamps: Stamps | None = None) -> bytes:
    """Join ``pieces`` into one PDF with ``meta``, ``outline`` and, when given, page-number ``stamps``
    (a department: the handbook is put together from groups, ``join_group`` and ``assemble_handbook``)."""
    buffer = io.BytesIO()
    _join_flat(pieces, stamps, buffer, (meta, outline))
    return buffer.getvalue()


def join_group(pieces: Sequence[Piece], stamps: Stamps, start: int, target: Path) -> None:
    """A run of the handbook's departments joined into one file, numbered from handbook page ``start``.

    A page's stamp depends only on its number, so the group is a finished stretch of the handbook
    that the build caches and reuses while its departments and its first page number stay the same:
    after one role is edited only its department's group is joined and stamped again (and the groups
    after it when its page count changed). No metadata, outline or links: those name pages of the
    whole and are added by ``assemble_handbook``."""
    with ExitStack() as stack:
        out = stack.enter_context(pikepdf.Pdf.new())
        for piece in pieces:
            _append_pages(out, _open(stack, piece.pdf))
        _stamp(out, stamps, stack, start)
        _save(out, target, final=False)


def assemble_handbook(
    front: Piece, groups: Sequence[Piece], meta: Metadata, outline: Sequence[OutlineEntry], stamps: Stamps, target: Path | io.BytesIO
) -> None:
    """The handbook: the cover and contents (``front``, stamped here) followed by the groups'
    pages (``join_group``: stamped already), with the metadata, outline and contents' links.

    qpdf keeps every source open until the result is saved, hence groups, not departments: at
    10,000 roles (20,000 pages, 200 departments) that is 0.77 GB at most, against 2.2 GB for the
    parts joined at once."""
    with ExitStack() as stack:
        out = stack.enter_context(pikepdf.Pdf.new())
        _append_pages(out, _open(stack, front.pdf))
        front_pages = len(out.pages)
        _stamp(out, stamps, stack, 1)  # (only the front's pages are there yet)
        for group in groups:
            _append_pages(out, _open(stack, group.pdf))
        pages = [page.obj for page in out.pages]
        # the contents' links are on the front's pages only: the rest is not looked through
        _link_contents(out, pages, front_pages)
        _write_outline(out, outline, first_pages([front, *groups]), pages)
        _write_metadata(out, meta)
        _save(out, target, final=True)


def _stamp(out: pikepdf.Pdf, stamps: Stamps, stack: ExitStack, start: int = 1) -> None:
    """Draw the handbook's page numbers on the pages of ``out``, its first page being number ``start``."""
    blocks: dict[int, pikepdf.Pdf] = {}
    save = out.make_indirect(pikepdf.Stream(out, b"q\n"))
    # a department's own numbers come off first: its pages share the dictionary the new ones go into
    stale = [old for old in (_unstamp(page) for page in out.pages) if old is not None]
    for index, page in enumerate(out.pages):
        number = start + index
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
    # the /ID of a finished PDF is derived from its content; a group's (only ever joined into the handbook) is fixed
    pdf.save(target, deterministic_id=final, static_id=not final, compress_streams=True, object_stream_mode=pikepdf.ObjectStreamMode.generate)


def _join_flat(
    pieces: Sequence[Piece],
    stamps: Stamps | None,
    target: Path | io.BytesIO,
    finish: tuple[Metadata, Sequence[OutlineEntry]] | None,
) -> None:
    """Join ``pieces``, stamping page numbers when given (a department's own, from its first page);
    ``finish``: the whole is done, so add its metadata, outline and links."""
    with ExitStack() as stack:
        out = stack.enter_context(pikepdf.Pdf.new())
        for piece in pieces:
            _append_pages(out, _open(stack, piece.pdf))

        if stamps is not None:
            _stamp(out, stamps, stack)

        if finish is not None:
            meta, outline = finish
            pages = [page.obj for page in out.pages]
            _link_contents(out, pages)
            _write_outline(out, outline, first_pages(pieces), pages)
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


def _link_contents(pdf: pikepdf.Pdf, pages: Sequence[pikepdf.Dictionary], look: int | None = None) -> None:
    """``rolebook-page:<n>`` links (the contents, on the first ``look`` pages) become links to page n
    of this PDF, whose pages are ``pages`` (``pdf.pages[i]`` costs a pass over all of them: 0.8 ms at
    16,000 pages, 16 s for the links of a 10,000-role handbook's contents)."""
    total = len(pages)
    for page in pages[:look]:
        annots = page.get(Name.Annots)
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
                annot[Name.Dest] = pikepdf.Array([pages[number - 1], Name.Fit])


def _write_outline(pdf: pikepdf.Pdf, entries: Sequence[OutlineEntry], starts: dict[str, int], pages: Sequence[pikepdf.Dictionary]) -> None:
    def item(entry: OutlineEntry) -> pikepdf.OutlineItem | None:
        page = starts.get(entry.key)
        if page is None or not 1 <= page <= len(pages):
            return None
        # the destination pikepdf makes of a page number, without its pdf.pages[i] (see _link_contents)
        made = pikepdf.OutlineItem(entry.title, pikepdf.Array([pages[page - 1], Name.Fit]))
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


__all__ = ["Metadata", "OutlineEntry", "Piece", "Stamps", "assemble", "assemble_handbook", "first_pages", "join_group", "pdf_date"]
