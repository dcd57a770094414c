"""What to render: the printable documents, cut into parts, and the state of one build (Run)."""

from __future__ import annotations

import dataclasses
import hashlib
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import cast

from rolebook import __version__
from rolebook.i18n import Lang, Messages
from rolebook.load.files import SETTINGS_FILE
from rolebook.load.logo import LogoError, read_logo
from rolebook.model import Handbook, Role
from rolebook.outputs.pdf.assemble import Metadata
from rolebook.outputs.pdf.cache import CACHE_FORMAT, PdfCache, cache_key, digest, version
from rolebook.outputs.pdf.engine import Fonts, without_stylesheets
from rolebook.outputs.pdf.errors import PdfBuildError
from rolebook.outputs.pdf.glyphs import find_text
from rolebook.outputs.pdf.known import Entry, Fingerprints, Index, NotedCharts, Reads, inputs_digest, replay
from rolebook.problems import Problem
from rolebook.render.orgchart import ChartError, graphviz_version, render_svgs
from rolebook.render.print_html import (
    HTML_LANG,
    PrintContext,
    PrintDocument,
    department_charts,
    department_document,
    handbook_document,
    make_context,
    role_document,
)

FIXED_TIMESTAMP = "2000-01-01T00:00:00Z"
# Job descriptions laid out together as one part of a department (fonts embedded once per part).
# A part's layout stays in memory until its PDF is written: ~15 MiB per job description.
PART_ROLES = 10
_DATA_URL = re.compile(r"(data:[\w/+.-]+(?:;[\w=-]+)*[;,](?:base64,)?)[^\s'\"]{16,}")


def output_name(doc: PrintDocument) -> str:
    if doc.kind == "role":
        return f"roles/{doc.ident}.pdf"
    if doc.kind == "department":
        return f"departments/{doc.ident}.pdf"
    return "handbook.pdf"


def document_timestamp(roles: Iterable[Role], fallback: str, epoch: int | None) -> str:
    """The PDF's creation/modification date (W3C form): SOURCE_DATE_EPOCH, else the newest effective date."""
    if epoch is not None:
        return datetime.fromtimestamp(epoch, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    dates = [r.effective_date for r in roles if r.effective_date]
    return f"{max(dates)}T00:00:00Z" if dates else fallback


def cover_date(timestamp: str) -> str | None:
    """The handbook's date for its cover (YYYY-MM-DD): the documents' date, unless that is only the fixed fallback."""
    return None if timestamp == FIXED_TIMESTAMP else timestamp[:10]


def print_context(handbook: Handbook, cache: PdfCache | None = None, used: set[str] | None = None) -> PrintContext:
    """The templates' context, with the settings' logo read here (the edge: rendering reads no file).

    ``cache``: the org charts' SVGs are kept there by their Graphviz source (kept_charts), and the
    keys of those this build uses are added to ``used``.

    Raises PdfBuildError when the logo cannot be used (``check`` has already refused such a logo;
    this reads it with the same rules, rolebook.load.logo) or Graphviz cannot draw a department's
    org chart (each department's pages show it)."""
    logo = None
    if handbook.settings.logo:
        msgs = Messages(handbook.settings.language)
        try:
            logo = read_logo(handbook.root, handbook.settings.logo, msgs)
        except LogoError as exc:
            line, col = find_text(handbook.root, SETTINGS_FILE, "logo:") or (0, 0)
            raise PdfBuildError([Problem(SETTINGS_FILE, line, col, "error", "bad-logo", msgs.text("bad-logo", detail=str(exc)))], msgs) from None
    try:
        charts = department_charts(handbook, render_svgs if cache is None else kept_charts(cache, used if used is not None else set()))
    except ChartError as exc:
        msgs = Messages(handbook.settings.language)
        charted = [d for d in handbook.departments if handbook.roles_in(d.id)]
        dept = charted[exc.chart] if exc.chart is not None else None
        path = dept.source if dept is not None else SETTINGS_FILE
        text = msgs.text("chart-failed/department", path=path, detail=exc) if dept is not None else str(exc)
        raise PdfBuildError([Problem(path, 0, 0, "error", "render-failed", text)], msgs) from None
    return make_context(handbook, logo=logo, charts=charts)


def kept_charts(cache: PdfCache, used: set[str]) -> Callable[[Sequence[str]], list[str]]:
    """Draws org charts (rolebook.render.orgchart.render_svgs) with their SVGs kept in ``cache`` by
    their Graphviz source and version: after an edit only the charts whose source changed are drawn
    (drawing 200 departments' took 4.2 s at 10,000 roles). The keys used are added to ``used``."""

    def draw(sources: Sequence[str]) -> list[str]:
        version = graphviz_version()
        keys = [digest(CACHE_FORMAT, "print chart", version, dot) for dot in sources]
        svgs = [cache.get_svg(key) for key in keys]
        todo = [i for i, svg in enumerate(svgs) if svg is None]
        try:
            fresh = render_svgs([sources[i] for i in todo])
        except ChartError as exc:  # (its index is the chart's among all of them)
            raise ChartError(str(exc), todo[exc.chart] if exc.chart is not None else None, exc.node) from None
        for i, svg in zip(todo, fresh, strict=True):
            svgs[i] = svg
            cache.put_svg(keys[i], svg)
        used.update(keys)
        return [svg or "" for svg in svgs]

    return draw


def print_documents(handbook: Handbook, epoch: int | None = None) -> tuple[PrintDocument, ...]:
    """Every printable document of the handbook: the handbook first, then departments, then roles.

    Raises PdfBuildError when the settings' logo cannot be used.
    """
    ctx = print_context(handbook)
    fallback = document_timestamp(handbook.roles, FIXED_TIMESTAMP, epoch)
    docs = [handbook_document(ctx, fallback, date=cover_date(fallback))]
    for dept in handbook.departments:
        docs.append(department_document(ctx, dept, document_timestamp(handbook.roles_in(dept.id), fallback, epoch)))
    for role in handbook.roles:
        docs.append(role_document(ctx, role, document_timestamp((role,), fallback, epoch)))
    return tuple(docs)


def identifier(handbook: Handbook, kind: str, ident: str) -> bytes:
    """A PDF's permanent identifier: the same document keeps it across revisions."""
    text = f"{handbook.settings.organisation}\0{kind}\0{ident}"
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32].encode("ascii")


@dataclass(frozen=True)
class Part:
    """A department's overview and/or up to PART_ROLES of its job descriptions, rendered as one PDF."""

    name: str
    dept: str
    docs: tuple[PrintDocument, ...]
    joined: bool = True  # its PDF is wanted (for its department's PDF); False: only its job descriptions' own

    @property
    def member_keys(self) -> list[str]:
        return [member_key(d) for d in self.docs]


def member_key(doc: PrintDocument) -> str:
    return f"{'dept' if doc.kind == 'department' else doc.kind}:{doc.ident}"


def slim(doc: PrintDocument, sheets: tuple[str, ...]) -> PrintDocument:
    """``doc`` without its copies of the shared stylesheets (given to WeasyPrint once per worker, and
    hashed once by the cache keys): 10,000 copies were ~200 MB of memory."""
    text = without_stylesheets(doc.html, sheets)
    if text is None:
        raise ValueError(f"{doc.kind} {doc.ident}: the print stylesheets are not in its HTML")
    return dataclasses.replace(doc, html=text)


@dataclass
class RoleDocs:
    """The roles' print documents of one build: rendered, or, when what their template read is the same
    as at the last build, taken from the index (rolebook.outputs.pdf.known) with no HTML (``html`` "":
    ``full`` renders it when its part is laid out again). Local to a build."""

    ctx: PrintContext
    sheets: tuple[str, ...]
    scope: str
    index: Index | None
    base_chars: frozenset[str]
    prints: Fingerprints = dataclasses.field(default_factory=lambda: Fingerprints({}))
    made: dict[str, tuple[Reads, str, PrintDocument]] = dataclasses.field(default_factory=dict)  # role id -> (reads, inputs, document)
    kept: dict[str, Entry] = dataclasses.field(default_factory=dict)  # role id -> its entry in the index
    stamps: dict[str, str | None] = dataclasses.field(default_factory=dict)  # role id -> its timestamp

    def document(self, role: Role, timestamp: str | None) -> PrintDocument:
        self.stamps[role.id] = timestamp
        entry = self.index.entries.get(role.id) if self.index is not None else None
        if entry is not None and self._same(entry, role, timestamp):
            self.kept[role.id] = entry
            return PrintDocument("role", role.id, entry.title, "", entry.sources, (role.id,))
        return self.render(role, timestamp)

    def _same(self, entry: Entry, role: Role, timestamp: str | None) -> bool:
        hb = self.ctx.handbook
        try:
            log = {(n, a, k): replay(hb, self.ctx.charts, n, a, k) for n, a, k in entry.reads}
        except Exception:  # a read that no longer works (a position gone): rendered again
            return False
        return inputs_digest(self.scope, role, timestamp, log, self.prints) == entry.inputs

    def render(self, role: Role, timestamp: str | None) -> PrintDocument:
        reads = Reads(self.ctx.handbook)
        noted = dataclasses.replace(self.ctx, handbook=cast(Handbook, reads), charts=NotedCharts(self.ctx.charts, reads))
        doc = slim(role_document(noted, role, timestamp), self.sheets)
        inputs = inputs_digest(self.scope, role, timestamp, reads.log, self.prints) if reads.plain else ""
        self.made[role.id] = (reads, inputs, doc)
        return doc

    def full(self, doc: PrintDocument) -> PrintDocument:
        """``doc`` with its HTML (rendered now if it was taken from the index)."""
        if doc.kind != "role" or doc.ident not in self.kept:
            return doc
        made = self.made.get(doc.ident)
        if made is None:
            self.render(self.ctx.handbook.role(doc.ident), self.stamps[doc.ident])
            made = self.made[doc.ident]
        return made[2]

    def extras(self) -> list[str]:
        """The characters of the documents taken from the index that are not in the fonts' base repertoire."""
        return [entry.extra for entry in self.kept.values()]

    def new_index(self, base: str) -> Index:
        """The index this build leaves: every role's document, with its keys for ``base``."""
        entries: dict[str, Entry] = {}
        for role_id, (reads, inputs, doc) in self.made.items():
            if inputs:
                extra = "".join(sorted({c for c in doc.html if c.isprintable() and c != " "} - self.base_chars))
                entries[role_id] = Entry(tuple(reads.log), inputs, cache_key(base, doc), doc.title, doc.sources, extra)
        for role_id, entry in self.kept.items():
            entries.setdefault(role_id, entry)
        return Index(base, entries)


def plan_parts(handbook: Handbook, ctx: PrintContext, epoch: int | None, fallback: str, sheets: tuple[str, ...], roles: RoleDocs | None = None) -> list[Part]:
    """Every department's overview and job descriptions, in handbook order, cut into parts.

    The documents' copies of the shared stylesheets are taken out (slim). ``roles`` makes the job
    descriptions (default: each rendered)."""

    def role_doc(role: Role) -> PrintDocument:
        stamp = document_timestamp((role,), fallback, epoch)
        return roles.document(role, stamp) if roles is not None else slim(role_document(ctx, role, stamp), sheets)

    parts: list[Part] = []
    for dept in handbook.departments:
        members = handbook.roles_in(dept.id)
        docs = [slim(department_document(ctx, dept, document_timestamp(members, fallback, epoch)), sheets)]
        docs += [role_doc(role) for role in members]
        chunks = [docs[: 1 + PART_ROLES]] + [docs[i : i + PART_ROLES] for i in range(1 + PART_ROLES, len(docs), PART_ROLES)]
        parts += [Part(f"parts/{dept.id}/{n}", dept.id, tuple(chunk)) for n, chunk in enumerate(chunks, start=1)]
    return parts


@dataclass(frozen=True)
class Selection:
    """Only some PDFs: these positions' own and these departments' (``rolebook pdf --role/--department``)."""

    roles: frozenset[str] = frozenset()
    departments: frozenset[str] = frozenset()

    def names(self) -> set[str]:
        """The output names of the PDFs asked for."""
        return {f"roles/{r}.pdf" for r in self.roles} | {f"departments/{d}.pdf" for d in self.departments}


def select_parts(parts: list[Part], selection: Selection) -> list[Part]:
    """The parts that make the PDFs of ``selection``: a department's parts whole; for a position
    alone, a part of the positions asked for, laid out for their own PDFs only."""
    chosen = [p for p in parts if p.dept in selection.departments]
    alone: dict[str, list[PrintDocument]] = {}
    for part in parts:
        if part.dept not in selection.departments:
            alone.setdefault(part.dept, []).extend(d for d in part.docs if d.kind == "role" and d.ident in selection.roles)
    for dept, docs in alone.items():
        for n, start in enumerate(range(0, len(docs), PART_ROLES), start=1):
            chosen.append(Part(f"parts/{dept}/selected-{n}", dept, tuple(docs[start : start + PART_ROLES]), joined=False))
    return chosen


@dataclass
class Run:
    """What one ``write_pdfs`` call has found and made so far (local to the call)."""

    handbook: Handbook
    msgs: Messages
    cache: PdfCache
    base: str  # everything besides a document's HTML that its PDF depends on
    fonts: Fonts
    sheets: tuple[str, ...]
    tight: str  # the tightened form's stylesheet (rolebook.outputs.pdf.engine.fitted)
    epoch: int | None
    fallback: str
    warnings: list[str]
    pdfs: dict[str, Path | bytes] = dataclasses.field(default_factory=dict)  # output name -> cache file, or bytes
    part_pdfs: dict[str, Path | bytes] = dataclasses.field(default_factory=dict)
    part_pages: dict[str, tuple[tuple[str, int], ...]] = dataclasses.field(default_factory=dict)
    reused: list[str] = dataclasses.field(default_factory=list)
    rendered: list[str] = dataclasses.field(default_factory=list)
    used: set[str] = dataclasses.field(default_factory=set)  # cache keys this run needed
    part_keys: dict[str, str] = dataclasses.field(default_factory=dict)
    department_keys: dict[str, str] = dataclasses.field(default_factory=dict)  # department id -> its PDF's cache key
    roles: RoleDocs | None = None  # how the job descriptions were made (their HTML may be left out)

    @property
    def lang(self) -> Lang:
        return self.handbook.settings.language

    def key(self, doc: PrintDocument) -> str:
        """The cache key of ``doc``'s PDF (taken from the index when its HTML was not rendered)."""
        if self.roles is not None and doc.kind == "role" and doc.ident in self.roles.kept and not doc.html:
            return self.roles.kept[doc.ident].key
        return cache_key(self.base, doc)

    def full(self, doc: PrintDocument) -> PrintDocument:
        """``doc`` with its HTML (RoleDocs.full)."""
        return self.roles.full(doc) if self.roles is not None else doc

    def part_key(self, part: Part) -> str:
        key = self.part_keys.get(part.name)
        if key is None:
            key = self.part_keys[part.name] = digest(self.base, "part", *(self.key(d) for d in part.docs))
        return key

    def store(self, key: str, pdf: bytes) -> Path | bytes:
        """Put a PDF in the cache; the cache file to copy, or the bytes when the cache cannot be written."""
        self.used.add(key)
        warning = self.cache.put(key, pdf)
        if warning:
            if warning not in self.warnings:
                self.warnings.append(warning)
            return pdf
        return self.cache.path(key)

    def cached(self, key: str) -> Path | None:
        self.used.add(key)
        return self.cache.path(key) if self.cache.valid(key) else None

    def note(self, name: str, found: tuple[str, ...]) -> None:
        for message in found:
            # a logo WeasyPrint cannot draw is named by its data: URL — up to megabytes of base64
            short = _DATA_URL.sub(lambda m: m.group(1) + "…", message)
            line = self.msgs.text("pdf/warning", detail=f"{name}: {short}")
            if line not in self.warnings:
                self.warnings.append(line)

    def meta(self, title: str, timestamp: str | None, subject: str = "") -> Metadata:
        producer = f"rolebook {__version__} (WeasyPrint {version('weasyprint')}, pikepdf {version('pikepdf')})"
        org = self.handbook.settings.organisation
        return Metadata(title, org, HTML_LANG.get(self.lang, self.lang), timestamp, subject, f"rolebook {__version__}", producer)
