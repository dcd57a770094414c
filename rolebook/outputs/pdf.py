"""Stage 5: the job-description PDFs — one per role, one per department, and the whole handbook.

``write_pdfs(handbook, dest)`` writes ``dest/roles/<role-id>.pdf``,
``dest/departments/<dept-id>.pdf`` and ``dest/handbook.pdf``.

- Each job description is laid out once. WeasyPrint renders every role's own PDF and, from
  the same layout, a department's *parts*: its overview and up to PART_ROLES job
  descriptions as one PDF (fonts embedded once per part). A department's PDF and the
  handbook (cover, contents with page numbers, every department) are those parts joined
  page by page (rolebook.outputs.pdf_assemble) — no second layout, and memory stays at one
  part whatever the size of the handbook.
- Small fonts: the Noto CJK faces are cut down once per build to the characters the
  handbook can use (rolebook.outputs.pdf_fonts) before WeasyPrint subsets them per document.
- Reproducible: the same input gives byte-identical PDFs. Metadata dates come from
  ``SOURCE_DATE_EPOCH`` when set, else from the data (the newest effective date), else a
  fixed date; PDF identifiers are derived from the documents, not random.
- Incremental: a document is rendered only when its inputs changed. Cache keys hash the
  document's self-contained HTML (its data and every title shown on it, the settings,
  labels, templates and stylesheet) with the fonts and the WeasyPrint, pydyf and pikepdf
  versions. Cached PDFs live in ``<handbook>/.rolebook-cache/pdf/``; an entry that is
  missing or corrupt is simply rendered again. After one role is edited, its PDF and its
  part are rendered again and its department and the handbook are joined again.
- Parallel: parts are rendered in worker processes (spawned, so nothing of the caller's
  state is shared; each worker imports and warms WeasyPrint once).
- Never tofu: WeasyPrint draws a character no font has as an empty box and only logs a
  ".notdef glyph" warning. That warning becomes a build error naming the file, the
  character and the font package to install.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import hashlib
import importlib.metadata
import json
import logging
import multiprocessing.util
import os
import re
import shutil
import sys
import tempfile
import time
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from datetime import UTC, datetime
from html import escape
from multiprocessing import get_context
from pathlib import Path
from typing import Any

from rolebook import __version__
from rolebook.dates import source_date_epoch
from rolebook.i18n import Lang, Messages
from rolebook.labels import label
from rolebook.load.files import CACHE_DIR, SETTINGS_FILE
from rolebook.model import Department, Handbook, Role
from rolebook.outputs.pdf_assemble import Metadata, OutlineEntry, Piece, Stamps, assemble, assemble_to_file, first_pages
from rolebook.outputs.pdf_fonts import prepare_fonts, repertoire
from rolebook.problems import Problem, format_text, sort_problems
from rolebook.render.print_html import (
    HTML_LANG,
    PRINT_CSS,
    LogoError,
    PrintDocument,
    department_document,
    handbook_document,
    make_context,
    page_css,
    role_document,
)
from rolebook.safepath import MARKER, Manifest, claim, nofollow, owned, read_nofollow, replace_file
from rolebook.workers import init_worker

# Bump when anything here that changes the PDF bytes changes (options, post-processing).
CACHE_FORMAT = "rolebook-pdf-2"
FONT_PACKAGE = "fonts-noto-cjk"
FIXED_TIMESTAMP = "2000-01-01T00:00:00Z"
MAX_GLYPH_PROBLEMS = 10
DOCS_PER_WORKER = 4  # by default, start no more workers than there are documents for this many each
# Job descriptions laid out together as one part of a department (fonts embedded once per part).
# A part's layout stays in memory until its PDF is written: ~15 MiB per job description.
PART_ROLES = 10
STAMP_BLOCK = 250  # handbook page numbers are drawn this many pages at a time (and cached)
TOC_ENTRIES_PER_PAGE = 38  # about, on an A4 contents page
HANDBOOK_IN_PROCESS_PAGES = 2000  # a larger handbook is joined into a file, in a process of its own
JOIN_IN_WORKER = True  # (tests join in this process, to see the file path taken with their settings)
CACHE_KEEP_SECONDS = 30 * 24 * 3600  # entries the manifest lists and nobody used for this long are removed
# Every name rolebook gives a file in the PDF cache (see PdfCache and pdf_fonts.prepare_fonts): the manifest lists no other.
CACHE_NAMES = re.compile(r"[0-9a-f]{64}\.(?:pdf|sha256|pages\.json)|fonts/[0-9a-f]{32}-[a-z0-9]+-[0-9]+\.otf(?:\.sha256)?")
FONT_DIRS = ("/usr/share/fonts", "/usr/local/share/fonts", "/etc/fonts")

_DATA_URL = re.compile(r"(data:[\w/+.-]+(?:;[\w=-]+)*[;,](?:base64,)?)[^\s'\"]{16,}")
_NOTDEF = re.compile(r"\.notdef glyph.*\(U\+([0-9A-Fa-f]{4,6})\)")


class PdfBuildError(Exception):
    """The handbook cannot be printed as it is; ``problems`` say where and why (positioned like check's)."""

    def __init__(self, problems: Iterable[Problem], msgs: Messages) -> None:
        self.problems = tuple(sort_problems(problems))
        self.msgs = msgs
        super().__init__(format_text(list(self.problems), "").rstrip())


class PdfEngineError(RuntimeError):
    """WeasyPrint itself cannot run here (e.g. Pango is missing); ``str()`` says so in plain words."""


class PrintFailed(Exception):
    """WeasyPrint raised while printing the document ``key`` ("role:<id>", "dept:<id>", "handbook")."""

    def __init__(self, key: str, detail: str) -> None:
        super().__init__(key, detail)  # (the arguments are what a worker process sends back)
        self.key = key
        self.detail = detail

    @classmethod
    def of(cls, key: str, exc: BaseException) -> PrintFailed:
        text = f"{type(exc).__name__}: {exc}"
        return cls(key, text if len(text) <= 300 else text[:299] + "…")


def print_failure(handbook: Handbook, doc: PrintDocument, failed: PrintFailed) -> PdfBuildError:
    """WeasyPrint's failure on ``doc`` as a problem in the file the document is made from."""
    msgs = Messages(handbook.settings.language)
    path = SETTINGS_FILE if doc.kind == "handbook" else doc.sources[0]
    message = msgs.text(f"print-failed/{doc.kind}", title=doc.title, detail=failed.detail)
    return PdfBuildError([Problem(path, 0, 0, "error", "render-failed", message)], msgs)


@dataclass(frozen=True)
class PdfReport:
    """What ``write_pdfs`` did. Paths are relative to ``dest`` with ``/`` separators."""

    dest: Path
    files: tuple[str, ...]
    rendered: tuple[str, ...]
    reused: tuple[str, ...]
    warnings: tuple[str, ...] = ()
    seconds: float = 0.0
    jobs: int = 1

    def _count(self, names: tuple[str, ...], prefix: str) -> int:
        return sum(n.startswith(prefix) for n in names)

    @property
    def roles_rendered(self) -> int:
        return self._count(self.rendered, "roles/")

    @property
    def roles_reused(self) -> int:
        return self._count(self.reused, "roles/")

    @property
    def departments_rendered(self) -> int:
        return self._count(self.rendered, "departments/")

    @property
    def departments_reused(self) -> int:
        return self._count(self.reused, "departments/")

    @property
    def handbook_rendered(self) -> bool:
        return "handbook.pdf" in self.rendered


# ---------------------------------------------------------------------------
# what to render


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


def print_documents(handbook: Handbook, epoch: int | None = None) -> tuple[PrintDocument, ...]:
    """Every printable document of the handbook: the handbook first, then departments, then roles.

    Raises PdfBuildError when the settings' logo cannot be used.
    """
    msgs = Messages(handbook.settings.language)
    try:
        ctx = make_context(handbook)
    except LogoError as exc:
        line, col = _find(handbook.root, SETTINGS_FILE, "logo:") or (0, 0)
        raise PdfBuildError([Problem(SETTINGS_FILE, line, col, "error", "bad-logo", msgs.text("bad-logo", detail=str(exc)))], msgs) from None
    fallback = document_timestamp(handbook.roles, FIXED_TIMESTAMP, epoch)
    docs = [handbook_document(ctx, fallback)]
    for dept in handbook.departments:
        docs.append(department_document(ctx, dept, document_timestamp(handbook.roles_in(dept.id), fallback, epoch)))
    for role in handbook.roles:
        docs.append(role_document(ctx, role, document_timestamp((role,), fallback, epoch)))
    return tuple(docs)


# ---------------------------------------------------------------------------
# cache


def _version(dist: str) -> str:
    try:
        return importlib.metadata.version(dist)
    except importlib.metadata.PackageNotFoundError:
        return "?"


def _font_fingerprint() -> str:
    """A hash of every installed font file (path, size, mtime) and fontconfig's configuration."""
    dirs = [Path(d) for d in FONT_DIRS]
    home = Path.home()
    data_home = Path(os.environ.get("XDG_DATA_HOME") or home / ".local" / "share")
    dirs += [data_home / "fonts", home / ".fonts"]
    h = hashlib.sha256()
    for top in dirs:
        for dirpath, dirnames, filenames in os.walk(top):
            dirnames.sort()
            for name in sorted(filenames):
                path = os.path.join(dirpath, name)
                try:
                    st = os.stat(path)
                except OSError:
                    continue
                h.update(f"{path}\0{st.st_size}\0{st.st_mtime_ns}\n".encode("utf-8", "surrogateescape"))
    return h.hexdigest()


def cache_base() -> str:
    """Everything besides a document's HTML that its PDF depends on."""
    parts = [CACHE_FORMAT, _version("weasyprint"), _version("pydyf"), _version("tinycss2"), _version("pikepdf"), _font_fingerprint()]
    return "\0".join(parts)


def cache_key(base: str, doc: PrintDocument) -> str:
    h = hashlib.sha256(base.encode("utf-8"))
    h.update(b"\0")
    h.update(doc.html.encode("utf-8"))
    return h.hexdigest()


@dataclass(frozen=True)
class PdfCache:
    """PDFs by key in a folder: ``<key>.pdf`` with ``<key>.sha256`` holding the digest of its bytes.

    ``ours``: the folder carries rolebook's cache marker (rolebook.safepath.claim), so the files its
    manifest lists may be removed when unused."""

    folder: Path
    ours: bool = False

    def path(self, key: str) -> Path:
        return self.folder / f"{key}.pdf"

    def valid(self, key: str) -> bool:
        """Whether the cached PDF is there and matches its digest (read in blocks: it may be hundreds of MB)."""
        try:
            digest = read_nofollow(self.folder / f"{key}.sha256", 1024).decode("ascii").strip()
            with open(self.folder / f"{key}.pdf", "rb", opener=nofollow) as fh:
                if fh.read(5) != b"%PDF-":
                    return False
                fh.seek(0)
                return hashlib.file_digest(fh, "sha256").hexdigest() == digest
        except (OSError, UnicodeDecodeError):
            return False

    def put_file(self, key: str, path: Path) -> str | None:
        """Move a PDF file into the cache (same file system); a warning instead of failing."""
        try:
            with open(path, "rb") as fh:
                digest = hashlib.file_digest(fh, "sha256").hexdigest()
            os.replace(path, self.folder / f"{key}.pdf")
            replace_file(self.folder / f"{key}.sha256", digest.encode("ascii"))
        except OSError as exc:
            return f"PDF cache {self.folder} not written: {exc.strerror or exc}"
        return None

    def put(self, key: str, data: bytes) -> str | None:
        """Store a PDF; returns a warning instead of failing when the cache cannot be written."""
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            replace_file(self.folder / f"{key}.pdf", data)
            replace_file(self.folder / f"{key}.sha256", hashlib.sha256(data).hexdigest().encode("ascii"))
        except OSError as exc:
            return f"PDF cache {self.folder} not written: {exc.strerror or exc}"
        return None

    def get_pages(self, key: str, members: list[str]) -> tuple[tuple[str, int], ...] | None:
        """The page counts stored with a part's PDF, when they are there and name exactly ``members``."""
        try:
            data = json.loads(read_nofollow(self.folder / f"{key}.pages.json", 1 << 20))
            pages = tuple((str(k), int(n)) for k, n in data)
        except (OSError, ValueError, TypeError):
            return None
        if [k for k, _ in pages] != members or any(n < 1 for _, n in pages):
            return None
        return pages

    def put_pages(self, key: str, pages: tuple[tuple[str, int], ...]) -> None:
        with contextlib.suppress(OSError):
            replace_file(self.folder / f"{key}.pages.json", json.dumps([list(p) for p in pages]).encode("utf-8"))

    def prune(self, used: set[str], now: float) -> None:
        """Note the entries used now in the cache's manifest; remove the listed entries nobody used for
        CACHE_KEEP_SECONDS. Only files rolebook wrote here (the manifest lists them) are ever removed,
        and nothing at all in a folder rolebook did not make (``ours`` is False).

        ``used`` holds keys (a file's name up to its first dot): every such file is in use."""
        if not self.ours:
            return
        names: set[str] = set()
        for sub in ("", "fonts/"):
            try:
                entries = os.listdir(self.folder / sub) if sub else os.listdir(self.folder)
            except OSError:
                continue
            names.update(sub + n for n in entries if n.split(".", 1)[0] in used)
        with contextlib.suppress(OSError):
            Manifest(self.folder, CACHE_NAMES).update(names, now, CACHE_KEEP_SECONDS)


# ---------------------------------------------------------------------------
# rendering (runs in worker processes; module-level so it can be pickled)


@dataclass(frozen=True)
class Fonts:
    """The @font-face rules of the build's subset faces and the only file URLs they may load."""

    css: str = ""
    urls: frozenset[str] = frozenset()


@dataclass(frozen=True)
class RenderJob:
    name: str
    html: str
    identifier: bytes
    # stylesheets the HTML holds as <style> blocks, in order: parsed once per worker, not per document
    stylesheets: tuple[str, ...] = ()
    fonts: Fonts = Fonts()


@dataclass(frozen=True)
class Rendered:
    name: str
    pdf: bytes
    pages: int
    missing: tuple[int, ...]  # code points drawn as .notdef, in the order met
    warnings: tuple[str, ...]  # WeasyPrint's other warnings and errors


@dataclass(frozen=True)
class Member:
    """One document of a part: a department's overview ("dept:<id>") or a job description ("role:<id>")."""

    key: str
    name: str  # its own PDF's output name (roles/<id>.pdf), or "" when it has none
    html: str
    identifier: bytes
    own: bool  # render its own PDF


@dataclass(frozen=True)
class PartJob:
    """Lay out ``members`` once; write the PDFs of those marked ``own`` and, if ``combine``, the part's PDF."""

    name: str
    members: tuple[Member, ...]
    combine: bool
    identifier: bytes
    stylesheets: tuple[str, ...] = ()
    fonts: Fonts = Fonts()


@dataclass(frozen=True)
class PartRendered:
    name: str
    own: tuple[tuple[str, str, bytes], ...]  # (member key, roles/<id>.pdf, PDF)
    combined: bytes | None
    pages: tuple[tuple[str, int], ...]  # (member key, pages) of the members laid out
    missing: tuple[tuple[int, str], ...]  # (code point drawn as .notdef, member key)
    warnings: tuple[str, ...]


class _Collector(logging.Filter):
    """Takes WeasyPrint's warnings off its logger while a document renders."""

    def __init__(self) -> None:
        super().__init__()
        self.missing: list[int] = []
        self.warnings: list[str] = []

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno < logging.WARNING:
            return True
        message = record.getMessage()
        match = _NOTDEF.search(message)
        if match:
            code = int(match.group(1), 16)
            if code not in self.missing:
                self.missing.append(code)
        elif message not in self.warnings:
            self.warnings.append(message)
        return False

    def take_missing(self) -> list[int]:
        found, self.missing = self.missing, []
        return found


@contextlib.contextmanager
def _collecting() -> Iterator[_Collector]:
    logger = logging.getLogger("weasyprint")
    collector = _Collector()
    logger.addFilter(collector)
    try:
        yield collector
    finally:
        logger.removeFilter(collector)


def _import_weasyprint() -> None:
    try:
        import weasyprint  # noqa: F401
    except (ImportError, OSError) as exc:
        raise PdfEngineError(str(exc)) from None


def without_stylesheets(html_text: str, stylesheets: tuple[str, ...]) -> str | None:
    """``html_text`` without the ``<style>`` blocks that hold exactly ``stylesheets``, in this order
    (its cascade is then the same with the stylesheets given separately); None if it does not hold them."""
    blocks = [f"<style>\n{css}\n</style>" for css in stylesheets]
    if not blocks or not all(b in html_text for b in blocks):
        return None
    for b in blocks:
        html_text = html_text.replace(b, "", 1)
    return html_text


def _layout(html_text: str, stylesheets: tuple[str, ...], fonts: Fonts, *, taken_out: bool = False) -> Any:
    """HTML → a laid-out WeasyPrint document. ``taken_out``: the HTML's ``stylesheets`` were already
    taken out of it (without_stylesheets); otherwise they are, when it holds them."""
    import weasyprint
    from weasyprint.urls import URLFetcher

    # Only data: URLs (the inlined logo and watermark): a document never reaches the network or disk.
    fetcher = URLFetcher(allowed_protocols={"data"})
    text = html_text if taken_out else without_stylesheets(html_text, stylesheets)
    sheets = []
    if text is None:
        text = html_text  # rendered as it is
    else:  # stylesheets parsed once per process, not per document
        sheets = [_parsed_css(css, fonts) for css in stylesheets]
    face_sheet, font_config = _font_setup(fonts)
    if face_sheet is not None:
        sheets = [face_sheet, *sheets]
    return weasyprint.HTML(string=text, url_fetcher=fetcher).render(stylesheets=sheets, font_config=font_config)


def render_pdf(job: RenderJob) -> Rendered:
    """HTML → PDF bytes, with the glyphs no font has and WeasyPrint's warnings."""
    _import_weasyprint()
    with _collecting() as collector:
        try:
            document = _layout(job.html, job.stylesheets, job.fonts)
            pdf = document.write_pdf(pdf_identifier=job.identifier)
        except Exception as exc:  # whatever WeasyPrint raises, the document is named
            raise PrintFailed.of(job.name, exc) from None
    assert isinstance(pdf, bytes)
    return Rendered(job.name, pdf, len(document.pages), tuple(collector.missing), tuple(collector.warnings))


def render_part(job: PartJob) -> PartRendered:
    """Lay out each member once; write its own PDF (when asked) and the part's PDF (when asked) from that layout."""
    _import_weasyprint()
    own: list[tuple[str, str, bytes]] = []
    pages: list[tuple[str, int]] = []
    missing: list[tuple[int, str]] = []
    documents = []
    combined = None
    with _collecting() as collector:
        for member in job.members:
            if not (job.combine or member.own):
                continue
            try:
                document = _layout(member.html, job.stylesheets, job.fonts, taken_out=True)  # (see _plan_parts)
                pdf = document.write_pdf(pdf_identifier=member.identifier) if member.own else b""
            except Exception as exc:  # whatever WeasyPrint raises, the document is named
                raise PrintFailed.of(member.key, exc) from None
            pages.append((member.key, len(document.pages)))
            if member.own:
                own.append((member.key, member.name, pdf))
                missing.extend((code, member.key) for code in collector.take_missing())
            if job.combine:
                documents.append(document)
        if documents:
            whole = documents[0].copy([page for d in documents for page in d.pages])
            try:
                combined = whole.write_pdf(pdf_identifier=job.identifier)
            except Exception as exc:
                raise PrintFailed.of(job.members[0].key, exc) from None
            documents.clear()
            for code in collector.take_missing():
                if not any(code == c for c, _ in missing):
                    holder = next((m.key for m in job.members if chr(code) in m.html), job.members[0].key)
                    missing.append((code, holder))
    return PartRendered(job.name, tuple(own), combined, tuple(pages), tuple(missing), tuple(collector.warnings))


@functools.lru_cache(maxsize=8)
def _font_setup(fonts: Fonts) -> tuple[Any, Any]:
    """The @font-face stylesheet and the font configuration that holds its faces, made once per process."""
    import weasyprint
    from weasyprint.text.fonts import FontConfiguration

    config = FontConfiguration()
    if not fonts.css:
        return None, config
    sheet = weasyprint.CSS(string=fonts.css, url_fetcher=_font_fetcher(fonts.urls), font_config=config)
    # WeasyPrint copies @font-face files into a temporary folder it removes only when the
    # configuration is collected — too late at interpreter exit: remove it as the process ends.
    multiprocessing.util.Finalize(None, _forget_fonts, args=(config,), exitpriority=0)
    return sheet, config


def _forget_fonts(config: Any) -> None:
    folder = getattr(config, "_folder", None)
    config._folder = None
    if folder:
        shutil.rmtree(folder, ignore_errors=True)


def _release_fonts(fonts: Fonts) -> None:
    """Done with ``fonts`` in this process: remove WeasyPrint's copies of them now."""
    if fonts.css and _font_setup.cache_info().currsize:  # (not set up here at all: nothing to remove)
        _forget_fonts(_font_setup(fonts)[1])
    _parsed_css.cache_clear()
    _font_setup.cache_clear()


def _font_fetcher(urls: frozenset[str]) -> Any:
    """A URL fetcher that loads exactly the build's subset font files, nothing else."""
    from weasyprint.urls import URLFetcher

    class FontFetcher(URLFetcher):  # type: ignore[misc]
        def fetch(self, url: str, headers: Any = None) -> Any:
            if url not in urls:
                raise ValueError(f"not a font of this build: {url}")
            return super().fetch(url, headers)

    return FontFetcher(allowed_protocols={"file"})


@functools.lru_cache(maxsize=8)
def _parsed_css(css: str, fonts: Fonts) -> Any:
    """A stylesheet parsed once per process (every document of a handbook shares it)."""
    import weasyprint
    from weasyprint.urls import URLFetcher

    _, config = _font_setup(fonts)
    return weasyprint.CSS(string=css, url_fetcher=URLFetcher(allowed_protocols={"data"}), font_config=config)


_WARM_HTML = (
    '<html lang="zh-CN"><body style="font-family: \'Noto Sans CJK SC\'">字 a <b>字</b> <i style="font-family: \'Noto Serif CJK SC\'">字</i></body></html>'
)


def warm_worker(parent: int, fonts: Fonts = Fonts()) -> None:
    """Process-pool initializer: ignore Ctrl+C and end with the main process ``parent``
    (rolebook.workers), then import WeasyPrint and load the fonts once per worker."""
    init_worker(parent)
    with contextlib.suppress(PdfEngineError):  # reported by the first real job
        render_pdf(RenderJob("warm-up", _WARM_HTML, b"warm-up", (), fonts))


def _identifier(handbook: Handbook, kind: str, ident: str) -> bytes:
    """A PDF's permanent identifier: the same document keeps it across revisions."""
    text = f"{handbook.settings.organisation}\0{kind}\0{ident}"
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32].encode("ascii")


def _render_all(jobs: list[PartJob], workers: int, show_progress: bool, notes: list[str], fonts: Fonts) -> Iterator[PartRendered]:
    from tqdm import tqdm

    with tqdm(total=len(jobs), desc="PDF", unit="part", file=sys.stderr, disable=not show_progress, leave=False) as bar:
        done: set[str] = set()
        if workers > 1 and len(jobs) > 1:
            try:
                with ProcessPoolExecutor(max_workers=workers, mp_context=get_context("spawn"), initializer=warm_worker, initargs=(os.getpid(), fonts)) as pool:
                    # A few jobs in flight per worker, not all of them: a finished future holds its
                    # PDFs, and 10,000 roles' worth of them is gigabytes.
                    waiting = iter(jobs)
                    running: set[Future[PartRendered]] = set()
                    try:
                        while True:
                            while len(running) < 2 * workers and (job := next(waiting, None)) is not None:
                                running.add(pool.submit(render_part, job))
                            if not running:
                                break
                            finished, running = wait(running, return_when=FIRST_COMPLETED)
                            for future in finished:
                                result = future.result()
                                done.add(result.name)
                                bar.set_postfix_str(result.name, refresh=False)
                                bar.update()
                                yield result
                            del finished, future
                    finally:
                        for f in running:
                            f.cancel()
            except BrokenProcessPool as exc:
                # A worker could not start, typically because the calling script re-runs its
                # build when imported (no `if __name__ == "__main__":`). Render here instead.
                notes.append(f"worker processes failed ({type(exc).__name__}); the PDFs were rendered in one process")
        for job in jobs:
            if job.name in done:
                continue
            bar.set_postfix_str(job.name, refresh=False)
            yield render_part(job)
            bar.update()


# ---------------------------------------------------------------------------
# tofu → positioned problems


def _find(root: Path, rel: str, char: str) -> tuple[int, int] | None:
    try:
        text = (root / rel).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return None
    for lineno, line in enumerate(text.splitlines(), start=1):
        col = line.find(char)
        if col >= 0:
            return lineno, col + 1
    return None


# Where emoji are: the pictographs' blocks (U+1F000 …), the older symbols and dingbats, arrows and
# shapes that have emoji forms, the keycap mark and the emoji variation selector.
_EMOJI = ((0x1F000, 0x1FAFF), (0x2600, 0x27BF), (0x2B00, 0x2BFF), (0x2300, 0x23FF), (0x20E3, 0x20E3), (0xFE0F, 0xFE0F))
# Chinese, Japanese and Korean: what the Noto CJK fonts hold.
_CJK = ((0x1100, 0x11FF), (0x2E80, 0x9FFF), (0xA960, 0xA97F), (0xAC00, 0xD7FF), (0xF900, 0xFAFF), (0xFE30, 0xFE4F), (0xFF00, 0xFFEF), (0x20000, 0x3FFFF))


def glyph_hint(char: str) -> str:
    """The hint (a message id) for a character no installed font has: the package that has it, or
    that it cannot be printed at all (a control, format or unassigned character, or a private-use
    one that only some special font draws)."""
    code = ord(char)
    category = unicodedata.category(char)
    if any(lo <= code <= hi for lo, hi in _EMOJI):
        return "missing-glyph/emoji"
    if category in ("Cc", "Cf", "Cs", "Cn", "Zl", "Zp"):
        return "missing-glyph/unprintable"
    if category == "Co":
        return "missing-glyph/private"
    if any(lo <= code <= hi for lo, hi in _CJK):
        return "missing-glyph"
    return "missing-glyph/other"


def _holder(handbook: Handbook, sources: tuple[str, ...], char: str) -> str:
    """The first of ``sources`` whose values hold ``char`` when the file's text does not (it was
    written as an escape, "\\x7f"); the first source if none does."""
    items: list[Role | Department] = [*handbook.roles, *handbook.departments]
    values = {item.source: "\0".join(_strings(item)) for item in items}
    return next((rel for rel in sources if char in values.get(rel, "")), sources[0])


def _strings(item: object) -> Iterator[str]:
    """Every text inside a model object (its fields, their tuples and dataclasses)."""
    stack = [item]
    while stack:
        value = stack.pop()
        if isinstance(value, str):
            yield value
        elif isinstance(value, tuple):
            stack.extend(value)
        elif dataclasses.is_dataclass(value) and not isinstance(value, type):
            stack.extend(getattr(value, f.name) for f in dataclasses.fields(value))


def glyph_problems(handbook: Handbook, found: list[tuple[int, PrintDocument]]) -> list[Problem]:
    """One problem per character no font has, at its first place in the most specific file."""
    msgs = Messages(handbook.settings.language)
    problems: list[Problem] = []
    seen: set[int] = set()
    extra: list[int] = []
    for code, doc in found:
        if code in seen:
            continue
        seen.add(code)
        if len(problems) >= MAX_GLYPH_PROBLEMS:
            extra.append(code)
            continue
        char = chr(code)
        where = next(((rel, pos) for rel in doc.sources if (pos := _find(handbook.root, rel, char))), None)
        path, (line, col) = where if where else (_holder(handbook, doc.sources, char), (0, 0))
        shown = char if char.isprintable() and not 0xE000 <= code <= 0xF8FF else "\ufffd"
        problems.append(
            Problem(path, line, col, "error", "missing-glyph", msgs.text("missing-glyph", char=shown, code=f"U+{code:04X}"), msgs.hint(glyph_hint(char)))
        )
    if extra:
        codes = msgs.join([f"U+{c:04X}" for c in extra[:20]]) + (" …" if len(extra) > 20 else "")
        first = problems[-1]
        problems.append(
            Problem(
                first.path,
                first.line,
                first.col,
                "error",
                "missing-glyph",
                msgs.text("missing-glyph/more", count=len(extra), codes=codes),
                msgs.hint(glyph_hint(chr(extra[0]))),
            )
        )
    return problems


# ---------------------------------------------------------------------------
# the entry point


def default_cache_dir(handbook: Handbook) -> Path:
    return handbook.root / CACHE_DIR / "pdf"


def _digest(*parts: str) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(part.encode("utf-8", "surrogatepass"))
        h.update(b"\0")
    return h.hexdigest()


@dataclass(frozen=True)
class _Part:
    """A department's overview and/or up to PART_ROLES of its job descriptions, rendered as one PDF."""

    name: str
    dept: str
    docs: tuple[PrintDocument, ...]

    @property
    def member_keys(self) -> list[str]:
        return [_member_key(d) for d in self.docs]


def _member_key(doc: PrintDocument) -> str:
    return f"{'dept' if doc.kind == 'department' else doc.kind}:{doc.ident}"


def _plan_parts(handbook: Handbook, ctx: Any, epoch: int | None, fallback: str, sheets: tuple[str, ...]) -> list[_Part]:
    """Every department's overview and job descriptions, in handbook order, cut into parts.

    The documents' copies of the shared stylesheets are taken out (they are given to WeasyPrint
    once per worker, and the cache keys hash them once): 10,000 copies were ~200 MB of memory."""

    def slim(doc: PrintDocument) -> PrintDocument:
        text = without_stylesheets(doc.html, sheets)
        if text is None:
            raise ValueError(f"{doc.kind} {doc.ident}: the print stylesheets are not in its HTML")
        return dataclasses.replace(doc, html=text)

    parts: list[_Part] = []
    for dept in handbook.departments:
        roles = handbook.roles_in(dept.id)
        docs = [slim(department_document(ctx, dept, document_timestamp(roles, fallback, epoch)))]
        docs += [slim(role_document(ctx, role, document_timestamp((role,), fallback, epoch))) for role in roles]
        chunks = [docs[: 1 + PART_ROLES]] + [docs[i : i + PART_ROLES] for i in range(1 + PART_ROLES, len(docs), PART_ROLES)]
        parts += [_Part(f"parts/{dept.id}/{n}", dept.id, tuple(chunk)) for n, chunk in enumerate(chunks, start=1)]
    return parts


@dataclass
class _Run:
    """What one ``write_pdfs`` call has found and made so far (local to the call)."""

    handbook: Handbook
    msgs: Messages
    cache: PdfCache
    base: str  # everything besides a document's HTML that its PDF depends on
    fonts: Fonts
    sheets: tuple[str, ...]
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

    @property
    def lang(self) -> Lang:
        return self.handbook.settings.language

    def part_key(self, part: _Part) -> str:
        key = self.part_keys.get(part.name)
        if key is None:
            key = self.part_keys[part.name] = _digest(self.base, "part", *(cache_key(self.base, d) for d in part.docs))
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
        producer = f"rolebook {__version__} (WeasyPrint {_version('weasyprint')}, pikepdf {_version('pikepdf')})"
        org = self.handbook.settings.organisation
        return Metadata(title, org, HTML_LANG.get(self.lang, self.lang), timestamp, subject, f"rolebook {__version__}", producer)


def _render_parts(run: _Run, parts: list[_Part], jobs: int | None, progress: bool | None) -> int:
    """Render every role PDF and part PDF that is not cached; returns the number of worker processes used."""
    todo: list[PartJob] = []
    for part in parts:
        members = []
        for doc in part.docs:
            own = False
            if doc.kind == "role":
                name, key = output_name(doc), cache_key(run.base, doc)
                hit = run.cached(key)
                if hit is not None:
                    run.pdfs[name] = hit
                    run.reused.append(name)
                else:
                    own = True
                    run.rendered.append(name)
            name = output_name(doc) if doc.kind == "role" else ""
            members.append(Member(_member_key(doc), name, doc.html, _identifier(run.handbook, doc.kind, doc.ident), own))
        key = run.part_key(part)
        pages = run.cache.get_pages(key, part.member_keys)
        hit = run.cached(key)
        combine = pages is None or hit is None
        if not combine and pages is not None and hit is not None:
            run.part_pdfs[part.name], run.part_pages[part.name] = hit, pages
        if combine or any(m.own for m in members):
            todo.append(PartJob(part.name, tuple(members), combine, _identifier(run.handbook, "part", part.name), run.sheets, run.fonts))

    # A worker costs about as much to start as rendering a few documents: by default each gets several.
    load = sum(len(j.members) if j.combine else sum(m.own for m in j.members) for j in todo)
    wanted = jobs if jobs is not None else min(os.cpu_count() or 1, load // DOCS_PER_WORKER)
    workers = max(1, min(wanted, len(todo)))
    show = sys.stderr.isatty() if progress is None else progress
    found: list[tuple[int, PrintDocument]] = []
    docs_by_key = {_member_key(d): d for p in parts for d in p.docs}
    by_name = {p.name: p for p in parts}
    for result in _naming_failures(run.handbook, docs_by_key, _render_all(todo, workers, show, run.warnings, run.fonts)):
        run.note(result.name, result.warnings)
        found.extend((code, docs_by_key[key]) for code, key in result.missing)
        spoilt = {key for _, key in result.missing}
        for key, name, pdf in result.own:
            if key not in spoilt:
                run.pdfs[name] = run.store(cache_key(run.base, docs_by_key[key]), pdf)
        if result.combined is not None and not spoilt:
            part_key = run.part_key(by_name[result.name])
            run.part_pdfs[result.name] = run.store(part_key, result.combined)
            run.part_pages[result.name] = result.pages
            run.cache.put_pages(part_key, result.pages)
    if found:
        # roles first, so a character is reported in the role file that holds it
        found.sort(key=lambda item: (("role", "department", "handbook").index(item[1].kind), item[1].sources[0], item[0]))
        raise PdfBuildError(glyph_problems(run.handbook, found), run.msgs)
    return workers


def _naming_failures(handbook: Handbook, docs: Mapping[str, PrintDocument], results: Iterator[PartRendered]) -> Iterator[PartRendered]:
    try:
        yield from results
    except PrintFailed as failed:
        raise print_failure(handbook, docs[failed.key], failed) from None


def _join_departments(run: _Run, parts: list[_Part]) -> None:
    """Each department's PDF: its parts joined, with the department's metadata and bookmarks."""
    hb = run.handbook
    parts_of: dict[str, list[_Part]] = {}
    for part in parts:
        parts_of.setdefault(part.dept, []).append(part)
    for dept in hb.departments:
        own = parts_of[dept.id]
        intro = own[0].docs[0]
        name = output_name(intro)
        meta = run.meta(intro.title, document_timestamp(hb.roles_in(dept.id), run.fallback, run.epoch), dept.description or "")
        key = _digest(run.base, "department", repr(meta), *(run.part_key(p) for p in own))
        hit = run.cached(key)
        if hit is not None:
            run.pdfs[name] = hit
            run.reused.append(name)
            continue
        pieces = [Piece(run.part_pdfs[p.name], run.part_pages[p.name]) for p in own]
        roles = tuple(OutlineEntry(f"{r.number} {r.title}", f"role:{r.id}") for r in hb.roles_in(dept.id))
        run.pdfs[name] = run.store(key, assemble(pieces, meta, [OutlineEntry(dept.name, f"dept:{dept.id}", roles)]))
        run.rendered.append(name)


def _front_matter(run: _Run, ctx: Any, body: list[Piece]) -> tuple[Path | bytes, int, str]:
    """The cover and contents (PDF, pages, cache key). The contents' page numbers depend on how many
    pages the contents take, so they are laid out until that number holds still."""
    # a first guess from the number of entries (about 38 a page) usually makes one pass enough
    entries = len(run.handbook.roles) + len(run.handbook.departments)
    front_pages = 1 + max(1, -(-entries // TOC_ENTRIES_PER_PAGE))
    front: Path | bytes = b""
    for _attempt in range(4):
        numbers = first_pages(body, start=front_pages + 1)
        doc = handbook_document(ctx, run.fallback, numbers)
        key = cache_key(run.base, doc)
        stored = run.cache.get_pages(key, ["handbook"])
        hit = run.cached(key)
        if stored is not None and hit is not None:
            front, got = hit, stored[0][1]
        else:
            try:
                made = render_pdf(RenderJob("handbook.pdf", doc.html, _identifier(run.handbook, "handbook", "front"), run.sheets, run.fonts))
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


def _page_numbers(run: _Run, total: int) -> tuple[tuple[Path | bytes, ...], list[str]]:
    """Sheets of handbook page numbers for pages 1 … ``total``, STAMP_BLOCK pages per PDF (cached: they never change)."""
    blocks: list[Path | bytes] = []
    keys = []
    for b in range((total + STAMP_BLOCK - 1) // STAMP_BLOCK):
        html_text = _stamp_html(run.lang, b * STAMP_BLOCK + 1, STAMP_BLOCK)
        key = _digest(run.base, "stamps", html_text)
        keys.append(key)
        hit = run.cached(key)
        if hit is None:
            sheet = render_pdf(RenderJob("stamps", html_text, b"rolebook-stamps", (), run.fonts))
            run.note("handbook.pdf", sheet.warnings)
            blocks.append(run.store(key, sheet.pdf))
        else:
            blocks.append(hit)
    return tuple(blocks), keys


def _join_handbook(run: _Run, ctx: Any, parts: list[_Part], scratch: Path) -> None:
    """The handbook: cover and contents, every department's PDF in order, page numbers, bookmarks of the department tree.

    Joined from the department PDFs rather than their parts: qpdf keeps every source open until
    the result is saved, and 1,100 parts cost 2.2 GB at 10,000 roles where 200 departments cost
    0.8 GB. A large handbook is joined in a process of its own, so the memory it takes is given
    back at once and is not added to this process's."""
    hb = run.handbook
    members: dict[str, list[tuple[str, int]]] = {}
    for part in parts:
        members.setdefault(part.dept, []).extend(run.part_pages[part.name])
    body = [Piece(run.pdfs[f"departments/{d.id}.pdf"], tuple(members[d.id])) for d in hb.departments]
    front, front_pages, front_key = _front_matter(run, ctx, body)
    total = front_pages + sum(n for piece in body for _, n in piece.members)
    blocks, stamp_keys = _page_numbers(run, total)
    meta = run.meta(f"{hb.settings.organisation} · {label(run.lang, 'handbook')}", run.fallback)
    key = _digest(run.base, "handbook from departments", repr(meta), front_key, *(run.part_key(p) for p in parts), *stamp_keys)
    hit = run.cached(key)
    if hit is not None:
        run.pdfs["handbook.pdf"] = hit
        run.reused.append("handbook.pdf")
        return
    cover = (("cover", 1), ("contents", front_pages - 1)) if front_pages > 1 else (("contents", 1),)
    outline = [OutlineEntry(label(run.lang, "contents"), "contents"), *_department_outline(hb, None)]
    pieces = [Piece(front, cover), *body]
    stamps = Stamps(blocks, STAMP_BLOCK, first=2)
    if total <= HANDBOOK_IN_PROCESS_PAGES:
        run.pdfs["handbook.pdf"] = run.store(key, assemble(pieces, meta, outline, stamps))
    else:
        try:
            run.cache.folder.mkdir(parents=True, exist_ok=True)
            target = Path(tempfile.mkstemp(dir=run.cache.folder, prefix=".tmp-", suffix=".pdf")[1])
        except OSError:
            target = scratch / "handbook.pdf"
        try:
            if JOIN_IN_WORKER:
                with ProcessPoolExecutor(max_workers=1, mp_context=get_context("spawn"), initializer=init_worker, initargs=(os.getpid(),)) as pool:
                    pool.submit(assemble_to_file, pieces, meta, outline, stamps, target).result()
            else:
                assemble_to_file(pieces, meta, outline, stamps, target)
            warning = run.cache.put_file(key, target) if target.parent == run.cache.folder else "no cache"
        except BaseException:
            target.unlink(missing_ok=True)
            raise
        if warning is None:
            run.pdfs["handbook.pdf"] = run.cache.path(key)
        else:
            if warning != "no cache" and warning not in run.warnings:
                run.warnings.append(warning)
            run.pdfs["handbook.pdf"] = target
    run.rendered.append("handbook.pdf")


def _department_outline(handbook: Handbook, parent: str | None) -> list[OutlineEntry]:
    """Bookmarks: departments as in the handbook's tree, each with its positions, then its sub-departments."""
    entries = []
    for dept in handbook.child_departments(parent):
        roles = [OutlineEntry(f"{r.number} {r.title}", f"role:{r.id}") for r in handbook.roles_in(dept.id)]
        entries.append(OutlineEntry(dept.name, f"dept:{dept.id}", (*roles, *_department_outline(handbook, dept.id))))
    return entries


def _stamp_html(lang: str, first: int, count: int) -> str:
    """``count`` A4 pages, each with only its handbook page number (``first`` …) low in the bottom margin."""
    pages = "".join(f'<div class="n" data-n="{escape("— " + str(n) + " —")}"></div>' for n in range(first, first + count))
    return (
        f'<!DOCTYPE html><html lang="{HTML_LANG.get(lang, lang)}"><head><meta charset="utf-8"><style>'
        "@page { size: A4; margin: 0 0 12mm 0; @bottom-center { content: string(rb-n); vertical-align: middle;"
        ' font-family: "Rolebook Noto Sans CJK SC", "Noto Sans CJK SC", "Noto Sans", sans-serif; font-size: 8pt; color: #555; } }'
        " .n { string-set: rb-n attr(data-n); break-before: page; } .n:first-child { break-before: auto; }"
        f"</style></head><body>{pages}</body></html>"
    )


def _prepare_fonts(parts: list[_Part], sheets: tuple[str, ...], cache: PdfCache, stack: contextlib.ExitStack[Any]) -> tuple[Fonts, str, set[str]]:
    """The build's subset faces (kept in the cache, else in a folder for this run), their fingerprint and cache keys."""
    chars = repertoire([d.html for p in parts for d in p.docs] + [*sheets, "— 0123456789"])
    folder = (cache.folder / "fonts").absolute()  # named by file: URLs, which need an absolute path
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="rolebook-fonts-")))
    made = prepare_fonts(chars, folder)
    return Fonts(made.css, made.urls), made.fingerprint, {f.path.name.split(".", 1)[0] for f in made.files}


def open_cache(folder: Path, root: Path | None, msgs: Messages) -> tuple[PdfCache, str | None]:
    """The PDF cache in ``folder`` (a folder of rolebook's own inside ``root``, or, given explicitly, anywhere),
    and a warning when the folder holds files rolebook did not write. Raises UnsafePath when the folder is or
    holds a link (rolebook.safepath.owned), before anything is written."""
    owned(folder, root if root is not None else folder.parent, depth=2)
    try:
        ours = claim(folder, CACHE_NAMES)
    except OSError:
        return PdfCache(folder), None  # cannot be made: every entry is rendered, with the warning of the first put
    warning = None if ours else msgs.text("pdf/cache-not-ours", folder=folder, marker=MARKER)
    return PdfCache(folder, ours), warning


def write_pdfs(
    handbook: Handbook,
    dest: Path,
    *,
    cache_dir: Path | None = None,
    jobs: int | None = None,
    progress: bool | None = None,
) -> PdfReport:
    """Write every PDF of ``handbook`` under ``dest`` (created if needed; other files there are left alone).

    Raises PdfBuildError (positioned problems: a character no font has, an unusable logo)
    before writing anything to ``dest``, PdfEngineError when WeasyPrint cannot run, and
    rolebook.safepath.UnsafePath when the cache folder is or holds a link (before anything is written).
    ``jobs`` is the number of worker processes (default: one per core, but no more than a
    worker per DOCS_PER_WORKER documents to render; 1 renders in this process); ``progress``
    shows a progress bar (default: when stderr is a terminal).
    """
    start = time.monotonic()
    msgs = Messages(handbook.settings.language)
    epoch, epoch_warning = source_date_epoch(os.environ)
    try:
        ctx = make_context(handbook)
    except LogoError as exc:
        line, col = _find(handbook.root, SETTINGS_FILE, "logo:") or (0, 0)
        raise PdfBuildError([Problem(SETTINGS_FILE, line, col, "error", "bad-logo", msgs.text("bad-logo", detail=str(exc)))], msgs) from None
    fallback = document_timestamp(handbook.roles, FIXED_TIMESTAMP, epoch)
    cache, cache_warning = open_cache(cache_dir if cache_dir is not None else default_cache_dir(handbook), handbook.root if cache_dir is None else None, msgs)
    sheets = (PRINT_CSS.read_text(encoding="utf-8"), page_css(handbook.settings.language))
    parts = _plan_parts(handbook, ctx, epoch, fallback, sheets)

    with contextlib.ExitStack() as stack:
        fonts, fingerprint, font_keys = _prepare_fonts(parts, sheets, cache, stack)
        run = _Run(
            handbook=handbook,
            msgs=msgs,
            cache=cache,
            # the documents' HTML without the stylesheets, which are hashed here once
            base=_digest(cache_base(), fingerprint, str(PART_ROLES), *sheets),
            fonts=fonts,
            sheets=sheets,
            epoch=epoch,
            fallback=fallback,
            warnings=[w for w in (epoch_warning, cache_warning) if w],
        )
        stack.callback(_release_fonts, fonts)
        workers = _render_parts(run, parts, jobs, progress)
        _join_departments(run, parts)
        _join_handbook(run, ctx, parts, Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="rolebook-pdf-"))))

        for name in sorted(run.pdfs):
            path = dest / name
            path.parent.mkdir(parents=True, exist_ok=True)
            out = run.pdfs[name]
            if isinstance(out, Path):
                shutil.copyfile(out, path)
            else:
                path.write_bytes(out)
        cache.prune(run.used | font_keys, time.time())
    return PdfReport(
        dest=dest,
        files=tuple(sorted(run.pdfs)),
        rendered=tuple(sorted(run.rendered)),
        reused=tuple(sorted(run.reused)),
        warnings=tuple(run.warnings),
        seconds=time.monotonic() - start,
        jobs=workers,
    )


__all__ = [
    "PdfBuildError",
    "PdfCache",
    "PdfEngineError",
    "PdfReport",
    "RenderJob",
    "Rendered",
    "cache_base",
    "cache_key",
    "default_cache_dir",
    "document_timestamp",
    "output_name",
    "print_documents",
    "render_part",
    "render_pdf",
    "write_pdfs",
]
