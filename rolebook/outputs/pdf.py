"""Stage 5: the job-description PDFs — one per role, one per department, and the whole handbook.

``write_pdfs(handbook, dest)`` writes ``dest/roles/<role-id>.pdf``,
``dest/departments/<dept-id>.pdf`` and ``dest/handbook.pdf`` with WeasyPrint.

- Reproducible: the same input gives byte-identical PDFs. Metadata dates come from
  ``SOURCE_DATE_EPOCH`` when set, else from the data (the newest effective date), else a
  fixed date; the PDF identifier is derived from the document, not random.
- Incremental: a document is rendered only when its inputs changed. The cache key hashes
  the document's self-contained HTML (its data and every title shown on it, the settings,
  labels, templates and stylesheet) with the installed font files and the WeasyPrint and
  pydyf versions. Cached PDFs live in ``<handbook>/.rolebook-cache/pdf/``; an entry that is
  missing or corrupt is simply rendered again.
- Parallel: documents are rendered in worker processes (spawned, so nothing of the caller's
  state is shared; each worker imports and warms WeasyPrint once).
- Never tofu: WeasyPrint draws a character no font has as an empty box and only logs a
  ".notdef glyph" warning. That warning becomes a build error naming the file, the
  character and the font package to install.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import importlib.metadata
import logging
import os
import re
import shutil
import sys
import tempfile
import time
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from datetime import UTC, datetime
from multiprocessing import get_context
from pathlib import Path
from typing import Any

from rolebook.i18n import Messages
from rolebook.load.files import SETTINGS_FILE
from rolebook.model import Handbook, Role
from rolebook.problems import Problem, format_text, sort_problems
from rolebook.render.links import HANDBOOK_PDF_MAX_ROLES, handbook_pdf_made
from rolebook.render.print_html import (
    PRINT_CSS,
    LogoError,
    PrintDocument,
    department_document,
    handbook_document,
    make_context,
    page_css,
    role_document,
)
from rolebook.workers import init_worker

# Bump when anything here that changes the PDF bytes changes (options, post-processing).
CACHE_FORMAT = "rolebook-pdf-1"
FONT_PACKAGE = "fonts-noto-cjk"
FIXED_TIMESTAMP = "2000-01-01T00:00:00Z"
MAX_GLYPH_PROBLEMS = 10
DOCS_PER_WORKER = 4  # by default, start no more workers than there are documents for this many each
CACHE_KEEP_SECONDS = 30 * 24 * 3600  # unused cache entries older than this are removed
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


def source_date_epoch(environ: dict[str, str] | os._Environ[str]) -> tuple[int | None, str | None]:
    """``SOURCE_DATE_EPOCH`` as an int, or (None, why it was ignored)."""
    raw = environ.get("SOURCE_DATE_EPOCH")
    if raw is None or raw.strip() == "":
        return None, None
    try:
        value = int(raw.strip())
        datetime.fromtimestamp(value, UTC)
    except (ValueError, OverflowError, OSError):
        return None, f"SOURCE_DATE_EPOCH={raw!r} is not a number of seconds; ignored"
    return value, None


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
    docs = [handbook_document(ctx, fallback)] if handbook_pdf_made(len(handbook.roles)) else []
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
    parts = [CACHE_FORMAT, _version("weasyprint"), _version("pydyf"), _version("tinycss2"), _font_fingerprint()]
    return "\0".join(parts)


def cache_key(base: str, doc: PrintDocument) -> str:
    h = hashlib.sha256(base.encode("utf-8"))
    h.update(b"\0")
    h.update(doc.html.encode("utf-8"))
    return h.hexdigest()


@dataclass(frozen=True)
class PdfCache:
    """PDFs by key in a folder: ``<key>.pdf`` with ``<key>.sha256`` holding the digest of its bytes."""

    folder: Path

    def path(self, key: str) -> Path:
        return self.folder / f"{key}.pdf"

    def get(self, key: str) -> bytes | None:
        """The cached PDF, or None when there is none or it does not match its digest."""
        try:
            data = (self.folder / f"{key}.pdf").read_bytes()
            digest = (self.folder / f"{key}.sha256").read_text(encoding="ascii").strip()
        except (OSError, UnicodeDecodeError):
            return None
        if hashlib.sha256(data).hexdigest() != digest or not data.startswith(b"%PDF-"):
            return None
        return data

    def put(self, key: str, data: bytes) -> str | None:
        """Store a PDF; returns a warning instead of failing when the cache cannot be written."""
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            _atomic_write(self.folder / f"{key}.pdf", data)
            _atomic_write(self.folder / f"{key}.sha256", hashlib.sha256(data).hexdigest().encode("ascii"))
        except OSError as exc:
            return f"PDF cache {self.folder} not written: {exc.strerror or exc}"
        return None

    def prune(self, used: set[str], now: float) -> None:
        """Mark the entries used now; remove entries nobody used for CACHE_KEEP_SECONDS."""
        try:
            entries = sorted(self.folder.iterdir())
        except OSError:
            return
        for path in entries:
            key = path.name.split(".", 1)[0]
            try:
                if key in used:
                    os.utime(path, (now, now))
                elif now - path.stat().st_mtime > CACHE_KEEP_SECONDS:
                    path.unlink()
            except OSError:
                continue


def _atomic_write(path: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=path.suffix)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


# ---------------------------------------------------------------------------
# rendering (runs in worker processes; module-level so it can be pickled)


@dataclass(frozen=True)
class RenderJob:
    name: str
    html: str
    identifier: bytes
    # stylesheets the HTML holds as <style> blocks, in order: parsed once per worker, not per document
    stylesheets: tuple[str, ...] = ()


@dataclass(frozen=True)
class Rendered:
    name: str
    pdf: bytes
    pages: int
    missing: tuple[int, ...]  # code points drawn as .notdef, in the order met
    warnings: tuple[str, ...]  # WeasyPrint's other warnings and errors


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


def _import_weasyprint() -> None:
    try:
        import weasyprint  # noqa: F401
    except (ImportError, OSError) as exc:
        raise PdfEngineError(str(exc)) from None


def render_pdf(job: RenderJob) -> Rendered:
    """HTML → PDF bytes, with the glyphs no font has and WeasyPrint's warnings."""
    _import_weasyprint()
    import weasyprint
    from weasyprint.urls import URLFetcher

    logger = logging.getLogger("weasyprint")
    collector = _Collector()
    logger.addFilter(collector)
    try:
        # Only data: URLs (the inlined logo and watermark): a document never reaches the network or disk.
        fetcher = URLFetcher(allowed_protocols={"data"})
        text = job.html
        blocks = [f"<style>\n{css}\n</style>" for css in job.stylesheets]
        sheets = []
        if blocks and all(b in text for b in blocks):  # the same cascade: they were its only stylesheets, in this order
            for b in blocks:
                text = text.replace(b, "", 1)
            sheets = [_parsed_css(css) for css in job.stylesheets]
        html = weasyprint.HTML(string=text, url_fetcher=fetcher)
        document = html.render(stylesheets=sheets)
        pdf = document.write_pdf(pdf_identifier=job.identifier)
    finally:
        logger.removeFilter(collector)
    assert isinstance(pdf, bytes)
    return Rendered(job.name, pdf, len(document.pages), tuple(collector.missing), tuple(collector.warnings))


@functools.lru_cache(maxsize=8)
def _parsed_css(css: str) -> Any:
    """A stylesheet parsed once per process (every document of a handbook shares it)."""
    import weasyprint
    from weasyprint.urls import URLFetcher

    return weasyprint.CSS(string=css, url_fetcher=URLFetcher(allowed_protocols={"data"}))


_WARM_HTML = '<html lang="zh-CN"><body style="font-family: \'Noto Sans CJK SC\'">字 a <b>字</b> <i style="font-family: \'Noto Serif CJK SC\'">字</i></body></html>'


def warm_worker(parent: int) -> None:
    """Process-pool initializer: ignore Ctrl+C and end with the main process ``parent``
    (rolebook.workers), then import WeasyPrint and load the fonts once per worker."""
    init_worker(parent)
    with contextlib.suppress(PdfEngineError):  # reported by the first real job
        render_pdf(RenderJob("warm-up", _WARM_HTML, b"warm-up"))


def _identifier(handbook: Handbook, doc: PrintDocument) -> bytes:
    """The PDF's permanent identifier: the same document keeps it across revisions."""
    text = f"{handbook.settings.organisation}\0{doc.kind}\0{doc.ident}"
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32].encode("ascii")


def _render_all(jobs: list[RenderJob], workers: int, show_progress: bool, notes: list[str]) -> Iterator[Rendered]:
    from tqdm import tqdm

    with tqdm(total=len(jobs), desc="PDF", unit="pdf", file=sys.stderr, disable=not show_progress, leave=False) as bar:
        done: set[str] = set()
        if workers > 1 and len(jobs) > 1:
            try:
                with ProcessPoolExecutor(max_workers=workers, mp_context=get_context("spawn"), initializer=warm_worker, initargs=(os.getpid(),)) as pool:
                    futures = [pool.submit(render_pdf, job) for job in jobs]
                    try:
                        for future in as_completed(futures):
                            result = future.result()
                            done.add(result.name)
                            bar.set_postfix_str(result.name, refresh=False)
                            bar.update()
                            yield result
                    finally:
                        for f in futures:
                            f.cancel()
            except BrokenProcessPool as exc:
                # A worker could not start, typically because the calling script re-runs its
                # build when imported (no `if __name__ == "__main__":`). Render here instead.
                notes.append(f"worker processes failed ({type(exc).__name__}); the PDFs were rendered in one process")
        for job in jobs:
            if job.name in done:
                continue
            bar.set_postfix_str(job.name, refresh=False)
            yield render_pdf(job)
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
        path, (line, col) = where if where else (doc.sources[0], (0, 0))
        shown = char if char.isprintable() and not 0xE000 <= code <= 0xF8FF else "\ufffd"
        problems.append(
            Problem(path, line, col, "error", "missing-glyph", msgs.text("missing-glyph", char=shown, code=f"U+{code:04X}"), msgs.hint("missing-glyph"))
        )
    if extra:
        codes = msgs.join([f"U+{c:04X}" for c in extra[:20]]) + (" …" if len(extra) > 20 else "")
        first = problems[-1]
        problems.append(
            Problem(first.path, first.line, first.col, "error", "missing-glyph", msgs.text("missing-glyph/more", count=len(extra), codes=codes), msgs.hint("missing-glyph"))
        )
    return problems


# ---------------------------------------------------------------------------
# the entry point


def default_cache_dir(handbook: Handbook) -> Path:
    return handbook.root / ".rolebook-cache" / "pdf"


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
    before writing anything to ``dest``, and PdfEngineError when WeasyPrint cannot run.
    ``jobs`` is the number of worker processes (default: one per core, but no more than a
    worker per four documents to render; 1 renders in this process); ``progress`` shows a progress bar (default: when stderr is a terminal).
    """
    start = time.monotonic()
    msgs = Messages(handbook.settings.language)
    epoch, epoch_warning = source_date_epoch(os.environ)
    warnings: list[str] = [epoch_warning] if epoch_warning else []
    if not handbook_pdf_made(len(handbook.roles)):
        warnings.append(msgs.text("pdf/no-handbook", roles=len(handbook.roles), limit=HANDBOOK_PDF_MAX_ROLES))
    docs = print_documents(handbook, epoch)
    by_name = {output_name(d): d for d in docs}

    cache = PdfCache(cache_dir if cache_dir is not None else default_cache_dir(handbook))
    base = cache_base()
    keys = {name: cache_key(base, doc) for name, doc in by_name.items()}
    # name -> PDF: a verified cache file (copied at the end) or, when the cache cannot be written, the bytes
    pdfs: dict[str, Path | bytes] = {}
    todo: list[RenderJob] = []
    sheets = (PRINT_CSS.read_text(encoding="utf-8"), page_css(handbook.settings.language))
    for name, doc in by_name.items():
        if cache.get(keys[name]) is not None:
            pdfs[name] = cache.path(keys[name])
        else:
            todo.append(RenderJob(name, doc.html, _identifier(handbook, doc), sheets))
    reused = tuple(sorted(pdfs))

    # A worker costs about as much to start as rendering a few documents: by default each gets several.
    wanted = jobs if jobs is not None else min(os.cpu_count() or 1, len(todo) // DOCS_PER_WORKER)
    workers = max(1, min(wanted, len(todo)))
    show = sys.stderr.isatty() if progress is None else progress
    found: list[tuple[int, PrintDocument]] = []
    for result in _render_all(todo, workers, show, warnings):
        for message in result.warnings:
            # a logo WeasyPrint cannot draw is named by its data: URL — up to megabytes of base64
            short = _DATA_URL.sub(lambda m: m.group(1) + "…", message)
            line = msgs.text("pdf/warning", detail=f"{result.name}: {short}")
            if line not in warnings:
                warnings.append(line)
        if result.missing:
            found.extend((code, by_name[result.name]) for code in result.missing)
            continue
        warning = cache.put(keys[result.name], result.pdf)
        pdfs[result.name] = result.pdf if warning else cache.path(keys[result.name])
        if warning and warning not in warnings:
            warnings.append(warning)
    if found:
        # roles first, so a character is reported in the role file that holds it
        found.sort(key=lambda item: ("role", "department", "handbook").index(item[1].kind))
        raise PdfBuildError(glyph_problems(handbook, found), msgs)

    for name in sorted(pdfs):
        path = dest / name
        path.parent.mkdir(parents=True, exist_ok=True)
        pdf = pdfs[name]
        if isinstance(pdf, Path):
            shutil.copyfile(pdf, path)
        else:
            path.write_bytes(pdf)
    cache.prune(set(keys.values()), time.time())
    return PdfReport(
        dest=dest,
        files=tuple(sorted(pdfs)),
        rendered=tuple(sorted(j.name for j in todo)),
        reused=reused,
        warnings=tuple(warnings),
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
    "render_pdf",
    "write_pdfs",
]
