"""The joiner: department PDFs and the handbook put together from the rendered parts (rolebook.outputs.pdf.assemble)."""

from __future__ import annotations

import io
import os
import tempfile
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from html import escape
from multiprocessing import get_context
from pathlib import Path

from rolebook.labels import label
from rolebook.model import Handbook
from rolebook.outputs.pdf.assemble import Metadata, OutlineEntry, Piece, Stamps, assemble, assemble_handbook, first_pages, join_group
from rolebook.outputs.pdf.cache import PdfCache, cache_key, digest
from rolebook.outputs.pdf.engine import RenderJob, render_pdf
from rolebook.outputs.pdf.errors import PdfBuildError, PrintFailed, print_failure
from rolebook.outputs.pdf.glyphs import glyph_problems
from rolebook.outputs.pdf.plan import Part, Run, cover_date, document_timestamp, identifier, output_name
from rolebook.render.print_html import HTML_LANG, PAGE_SIZES, PrintContext, handbook_document
from rolebook.workers import init_worker

STAMP_BLOCK = 250  # handbook page numbers are drawn this many pages at a time (and cached)
TOC_ENTRIES_PER_PAGE = 38  # about, on an A4 contents page
HANDBOOK_IN_PROCESS_PAGES = 2000  # a larger handbook is joined into a file, in a process of its own
JOIN_IN_WORKER = True  # (tests join in this process, to see the file path taken with their settings)
# Departments per group of the handbook (Group): joined, stamped and cached together. An edit joins
# its group again: 40 departments of a 10,000-role handbook (3,000 pages) took 2.9 s, 10 take
# about a quarter of that. The last join holds every group open whatever their number (the same
# pages), so smaller groups cost it little: 20 files instead of 5.
JOIN_GROUP = 10


def join_departments(run: Run, parts: list[Part]) -> None:
    """Each department's PDF: its parts joined, with the department's metadata and bookmarks."""
    hb = run.handbook
    parts_of: dict[str, list[Part]] = {}
    for part in parts:
        if part.joined:
            parts_of.setdefault(part.dept, []).append(part)
    for dept in hb.departments:
        if dept.id not in parts_of:  # (not asked for: rolebook.outputs.pdf.plan.Selection)
            continue
        own = parts_of[dept.id]
        intro = own[0].docs[0]
        name = output_name(intro)
        meta = run.meta(intro.title, document_timestamp(hb.roles_in(dept.id), run.fallback, run.epoch), dept.description or "")
        # its pages are numbered as one document (the parts' own page numbers were left out of them)
        blocks, stamp_keys = _page_numbers(run, sum(n for p in own for _, n in run.part_pages[p.name]))
        key = run.department_keys[dept.id] = digest(run.base, "department", repr(meta), *(run.part_key(p) for p in own), *stamp_keys)
        hit = run.cached(key)
        if hit is not None:
            run.pdfs[name] = hit
            run.reused.append(name)
            continue
        pieces = [Piece(run.part_pdfs[p.name], run.part_pages[p.name]) for p in own]
        roles = tuple(OutlineEntry(f"{r.number} {r.title}", f"role:{r.id}") for r in hb.roles_in(dept.id))
        outline = [OutlineEntry(dept.name, f"dept:{dept.id}", roles)]
        run.pdfs[name] = run.store(key, assemble(pieces, meta, outline, Stamps(blocks, STAMP_BLOCK, first=1)))
        run.rendered.append(name)


def _front_matter(run: Run, ctx: PrintContext, body: list[Piece]) -> tuple[Path | bytes, int, str]:
    """The cover and contents (PDF, pages, cache key). The contents' page numbers depend on how many
    pages the contents take, so they are laid out until that number holds still."""
    # a first guess from the number of entries (about 38 a page) usually makes one pass enough
    entries = len(run.handbook.roles) + len(run.handbook.departments)
    front_pages = 1 + max(1, -(-entries // TOC_ENTRIES_PER_PAGE))
    front: Path | bytes = b""
    for _attempt in range(4):
        numbers = first_pages(body, start=front_pages + 1)
        doc = handbook_document(ctx, run.fallback, numbers, cover_date(run.fallback))
        key = cache_key(run.base, doc)
        stored = run.cache.get_pages(key, ["handbook"])
        hit = run.cached(key)
        if stored is not None and hit is not None:
            front, got = hit, stored[0][1]
        else:
            try:
                made = render_pdf(RenderJob("handbook.pdf", doc.html, identifier(run.handbook, "handbook", "front"), run.sheets, run.fonts))
            except PrintFailed as failed:
                raise print_failure(run.handbook, doc, failed) from None
            run.note("handbook.pdf", made.warnings)
            if made.missing:
                raise PdfBuildError(glyph_problems(run.handbook, [(code, doc) for code in made.missing]), run.msgs)
            front, got = run.store(key, made.pdf), made.pages
            run.cache.put_pages(key, (("handbook", got),))
        if got == front_pages:
            break
        front_pages = got
    return front, front_pages, key


def _page_numbers(run: Run, total: int) -> tuple[tuple[Path | bytes, ...], list[str]]:
    """Sheets of handbook page numbers for pages 1 … ``total``, STAMP_BLOCK pages per PDF (cached: they never change)."""
    blocks: list[Path | bytes] = []
    keys = []
    for b in range((total + STAMP_BLOCK - 1) // STAMP_BLOCK):
        html_text = _stamp_html(run.lang, b * STAMP_BLOCK + 1, STAMP_BLOCK, run.handbook.settings.paper)
        key = digest(run.base, "stamps", html_text)
        keys.append(key)
        hit = run.cached(key)
        if hit is None:
            sheet = render_pdf(RenderJob("stamps", html_text, b"rolebook-stamps", (), run.fonts))
            run.note("handbook.pdf", sheet.warnings)
            blocks.append(run.store(key, sheet.pdf))
        else:
            blocks.append(hit)
    return tuple(blocks), keys


@dataclass(frozen=True)
class Group:
    """JOIN_GROUP consecutive departments of the handbook, joined and stamped from page ``start``
    (rolebook.outputs.pdf.assemble.join_group), cached under ``key``; ``cached``: the cache file, when there."""

    key: str
    pieces: tuple[Piece, ...]
    start: int
    cached: Path | None

    @property
    def members(self) -> tuple[tuple[str, int], ...]:
        return tuple(m for piece in self.pieces for m in piece.members)


def _groups(run: Run, body: list[Piece], front_pages: int, stamp_keys: list[str]) -> list[Group]:
    """The handbook's body cut into groups. A group's key holds what its bytes depend on: its departments'
    PDFs (their cache keys), its first page number and the stamp sheets its pages take their numbers from."""
    depts = run.handbook.departments
    groups = []
    start = front_pages + 1
    for first in range(0, len(body), JOIN_GROUP):
        pieces = tuple(body[first : first + JOIN_GROUP])
        pages = sum(n for piece in pieces for _, n in piece.members)
        sheets = stamp_keys[(start - 1) // STAMP_BLOCK : (start + pages - 2) // STAMP_BLOCK + 1]
        keys = [run.department_keys[d.id] for d in depts[first : first + JOIN_GROUP]]
        key = digest(run.base, "handbook group", str(start), str(STAMP_BLOCK), *keys, *sheets)
        groups.append(Group(key, pieces, start, run.cached(key)))
        start += pages
    return groups


def make_handbook(
    cache: PdfCache,
    scratch: Path,
    front: Piece,
    groups: list[Group],
    meta: Metadata,
    outline: list[OutlineEntry],
    stamps: Stamps,
    target: Path | io.BytesIO,
) -> list[str]:
    """Join the groups the cache does not hold (into it), then the handbook from the front and the
    groups; returns the warnings of a cache that could not be written. (Run in a worker for a large
    handbook: module-level, and given everything it needs.)"""
    warnings: list[str] = []
    loose: list[Path] = []  # group files the cache did not take: removed once the handbook is made
    pieces = []
    try:
        for group in groups:
            path = group.cached
            if path is None:
                path = _temp_pdf(cache.folder, scratch)
                join_group(group.pieces, stamps, group.start, path)
                warning = cache.put_file(group.key, path) if path.parent == cache.folder else None
                if path.parent == cache.folder and warning is None:
                    path = cache.path(group.key)
                else:
                    loose.append(path)
                    if warning is not None and warning not in warnings:
                        warnings.append(warning)
            pieces.append(Piece(path, group.members))
        assemble_handbook(front, pieces, meta, outline, stamps, target)
    finally:
        for path in loose:
            path.unlink(missing_ok=True)
    return warnings


def _temp_pdf(folder: Path, scratch: Path) -> Path:
    """A new file for a PDF in the cache's folder (moved into the cache when written), else in ``scratch``."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(dir=folder, prefix=".tmp-", suffix=".pdf")
    except OSError:
        fd, name = tempfile.mkstemp(dir=scratch, prefix=".tmp-", suffix=".pdf")
    os.close(fd)
    return Path(name)


def join_handbook(run: Run, ctx: PrintContext, parts: list[Part], scratch: Path, meanwhile: Callable[[], None] = lambda: None) -> None:
    """The handbook: cover and contents, every department's PDF in order, page numbers, bookmarks of the department tree.

    Joined from the department PDFs rather than their parts: qpdf keeps every source open until
    the result is saved, and 1,100 parts cost 2.2 GB at 10,000 roles where 200 departments cost
    0.8 GB. The departments are joined and stamped in groups (Group) that are cached: after an
    edit only the groups that changed are joined again, and the last join puts the front and the
    groups together. A large handbook is joined in a process of its own, so the memory it takes
    is given back at once and is not added to this process's; ``meanwhile`` is called once, while it
    is joined (there: the other PDFs are written out), or after, when it is joined here or cached."""
    hb = run.handbook
    members: dict[str, list[tuple[str, int]]] = {}
    for part in parts:
        members.setdefault(part.dept, []).extend(run.part_pages[part.name])
    body = [Piece(run.pdfs[f"departments/{d.id}.pdf"], tuple(members[d.id])) for d in hb.departments]
    front, front_pages, front_key = _front_matter(run, ctx, body)
    total = front_pages + sum(n for piece in body for _, n in piece.members)
    blocks, stamp_keys = _page_numbers(run, total)
    meta = run.meta(f"{hb.settings.organisation} · {label(run.lang, 'handbook')}", run.fallback)
    groups = _groups(run, body, front_pages, stamp_keys)
    key = digest(run.base, "handbook from groups", repr(meta), front_key, *(g.key for g in groups), *stamp_keys)
    hit = run.cached(key)
    if hit is not None:
        run.pdfs["handbook.pdf"] = hit
        run.reused.append("handbook.pdf")
        meanwhile()
        return
    cover = (("cover", 1), ("contents", front_pages - 1)) if front_pages > 1 else (("contents", 1),)
    outline = [OutlineEntry(label(run.lang, "contents"), "contents"), *_department_outline(hb, None)]
    stamps = Stamps(blocks, STAMP_BLOCK, first=2)
    job = (run.cache, scratch, Piece(front, cover), groups, meta, outline, stamps)
    if total <= HANDBOOK_IN_PROCESS_PAGES:
        buffer = io.BytesIO()
        _warn(run, make_handbook(*job, buffer))
        run.pdfs["handbook.pdf"] = run.store(key, buffer.getvalue())
        meanwhile()
    else:
        target = _temp_pdf(run.cache.folder, scratch)
        try:
            if JOIN_IN_WORKER:
                with ProcessPoolExecutor(max_workers=1, mp_context=get_context("spawn"), initializer=init_worker, initargs=(os.getpid(),)) as pool:
                    joining = pool.submit(make_handbook, *job, target)
                    meanwhile()
                    _warn(run, joining.result())
            else:
                _warn(run, make_handbook(*job, target))
                meanwhile()
            warning = run.cache.put_file(key, target) if target.parent == run.cache.folder else None
        except BaseException:
            target.unlink(missing_ok=True)
            raise
        if target.parent == run.cache.folder and warning is None:
            run.pdfs["handbook.pdf"] = run.cache.path(key)
        else:
            _warn(run, [warning] if warning is not None else [])
            run.pdfs["handbook.pdf"] = target
    run.rendered.append("handbook.pdf")


def _warn(run: Run, warnings: list[str]) -> None:
    for warning in warnings:
        if warning not in run.warnings:
            run.warnings.append(warning)


def _department_outline(handbook: Handbook, parent: str | None) -> list[OutlineEntry]:
    """Bookmarks: departments as in the handbook's tree, each with its positions, then its sub-departments."""
    entries = []
    for dept in handbook.child_departments(parent):
        roles = [OutlineEntry(f"{r.number} {r.title}", f"role:{r.id}") for r in handbook.roles_in(dept.id)]
        entries.append(OutlineEntry(dept.name, f"dept:{dept.id}", (*roles, *_department_outline(handbook, dept.id))))
    return entries


def _stamp_html(lang: str, first: int, count: int, paper: str = "a4") -> str:
    """``count`` pages of the handbook's paper, each with only its page number (``first`` …) low in the bottom margin."""
    pages = "".join(f'<div class="n" data-n="{escape("— " + str(n) + " —")}"></div>' for n in range(first, first + count))
    return (
        f'<!DOCTYPE html><html lang="{HTML_LANG.get(lang, lang)}"><head><meta charset="utf-8"><style>'
        f"@page {{ size: {PAGE_SIZES.get(paper, 'A4')}; margin: 0 0 12mm 0; @bottom-center {{ content: string(rb-n); vertical-align: middle;"
        ' font-family: "Rolebook Noto Sans CJK SC", "Noto Sans CJK SC", "Noto Sans", sans-serif; font-size: 8pt; color: #555; } }'
        " .n { string-set: rb-n attr(data-n); break-before: page; } .n:first-child { break-before: auto; }"
        f"</style></head><body>{pages}</body></html>"
    )
