"""The engine: WeasyPrint set up once per process, and HTML laid out into PDFs.

Runs in worker processes (everything here is module-level so it can be pickled). The
process-wide state is kept here and nowhere else: the @font-face stylesheet with its font
configuration and the parsed shared stylesheets (``functools.lru_cache``, released by
``release_fonts`` when a build is done). WeasyPrint's warnings are taken off its logger while a
document renders; a ".notdef glyph" (a character no font has) is reported as a code point.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import multiprocessing.util
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from rolebook.outputs.pdf.errors import PdfEngineError, PrintFailed
from rolebook.workers import init_worker

_NOTDEF = re.compile(r"\.notdef glyph.*\(U\+([0-9A-Fa-f]{4,6})\)")


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
    fit: bool = False  # a job description: tightened when that brings it onto one page fewer (fitted)
    form: str = ""  # the form fitted chose for this HTML at an earlier build (FORMS), "" when not known


@dataclass(frozen=True)
class PartJob:
    """Lay out ``members`` once; write the PDFs of those marked ``own`` and, if ``combine``, the part's PDF."""

    name: str
    members: tuple[Member, ...]
    combine: bool
    identifier: bytes
    stylesheets: tuple[str, ...] = ()
    fonts: Fonts = Fonts()
    tight: str = ""  # the tightened form's stylesheet (fitted)


@dataclass(frozen=True)
class PartRendered:
    name: str
    own: tuple[tuple[str, str, bytes], ...]  # (member key, roles/<id>.pdf, PDF)
    combined: bytes | None
    pages: tuple[tuple[str, int], ...]  # (member key, pages) of the members laid out
    missing: tuple[tuple[int, str], ...]  # (code point drawn as .notdef, member key)
    warnings: tuple[str, ...]
    forms: tuple[tuple[str, str], ...] = ()  # (member key, form) of the job descriptions fitted (FORMS)


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


def _parse(html_text: str) -> Any:
    """HTML → WeasyPrint's parsed document, which can be laid out more than once (fitted)."""
    import weasyprint
    from weasyprint.urls import URLFetcher

    # Only data: URLs (the inlined logo and watermark): a document never reaches the network or disk.
    return weasyprint.HTML(string=html_text, url_fetcher=URLFetcher(allowed_protocols={"data"}))


def _layout(html_text: str, stylesheets: tuple[str, ...], fonts: Fonts, *, taken_out: bool = False) -> Any:
    """HTML → a laid-out WeasyPrint document. ``taken_out``: the HTML's ``stylesheets`` were already
    taken out of it (without_stylesheets); otherwise they are, when it holds them."""
    text = html_text if taken_out else without_stylesheets(html_text, stylesheets)
    if text is None:  # rendered as it is
        return _render(_parse(html_text), (), fonts)
    return _render(_parse(text), stylesheets, fonts)


def _render(parsed: Any, stylesheets: tuple[str, ...], fonts: Fonts, extra: str = "") -> Any:
    """A parsed document laid out with ``stylesheets`` (parsed once per process, not per document)
    and then ``extra``, a stylesheet applied after them (the tightened form, see fitted)."""
    sheets = [_parsed_css(css, fonts) for css in stylesheets]
    face_sheet, font_config = _font_setup(fonts)
    if face_sheet is not None:
        sheets = [face_sheet, *sheets]
    if extra:
        sheets.append(_parsed_css(extra, fonts))
    return parsed.render(stylesheets=sheets, font_config=font_config)


# A job description that spills onto a second page is laid out again tightened (the tight
# stylesheet) when its second page holds at most this share of a page; the tighter layout is
# kept when it takes one page.
TIGHT_TRY = 0.5


def _last_page_fill(document: Any) -> float:
    """How much of its last page's content area the document fills (0 … 1; 0 when not known)."""
    box: Any = getattr(document.pages[-1], "_page_box", None)  # WeasyPrint's page box: its first child is the root element
    children = getattr(box, "children", None)
    if not children or not getattr(box, "height", 0):
        return 0.0
    return float(children[0].margin_height()) / float(box.height)


# The forms ``fitted`` chooses between: as it is, or with the tight stylesheet on top.
FORMS = ("plain", "tight")


def fitted(html_text: str, stylesheets: tuple[str, ...], fonts: Fonts, tight: str, form: str = "") -> tuple[Any, str]:
    """A job description laid out to fit, and the form chosen: as it is, or, when only a little of it
    spills onto a second page, with the ``tight`` stylesheet on top if that brings it onto one page.

    ``form``: the form this HTML took at an earlier build (the choice depends only on the HTML, the
    stylesheets and the fonts, which its cache key holds): laid out in that form alone, with the same
    result, instead of as it is first and often tightened after (most job descriptions are laid out
    twice: docs/benchmarks.md)."""
    parsed = _parse(html_text)  # (the HTML is parsed once for both layouts)
    if form == "tight" and tight:
        return _render(parsed, stylesheets, fonts, extra=tight), "tight"
    document = _render(parsed, stylesheets, fonts)
    if form == "plain" or not tight or len(document.pages) != 2 or _last_page_fill(document) > TIGHT_TRY:
        return document, "plain"
    tighter = _render(parsed, stylesheets, fonts, extra=tight)
    return (tighter, "tight") if len(tighter.pages) < len(document.pages) else (document, "plain")


# The margin box that holds a document's own "page x of y" (print.css, rolebook.render.print_html.page_css).
PAGE_NUMBER_BOX = "@bottom-right"


def without_page_numbers(document: Any) -> Any:
    """``document`` with its own page numbers taken out of the laid-out pages (their box and its
    border stay): in a department's or the handbook's PDF, the pages carry that PDF's numbers instead
    (rolebook.outputs.pdf.join), never two numbers on one page. Its own PDF is written before this."""
    for page in document.pages:
        for box in getattr(getattr(page, "_page_box", None), "children", ()):
            if getattr(box, "at_keyword", None) == PAGE_NUMBER_BOX:
                box.children = []
    return document


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
    forms: list[tuple[str, str]] = []
    documents = []
    combined = None
    with _collecting() as collector:
        for member in job.members:
            if not (job.combine or member.own):
                continue
            try:
                # (the HTML's stylesheets were taken out: see plan_parts)
                document, form = fitted(member.html, job.stylesheets, job.fonts, job.tight if member.fit else "", member.form)
                if member.fit:
                    forms.append((member.key, form))
                pdf = document.write_pdf(pdf_identifier=member.identifier) if member.own else b""
            except Exception as exc:  # whatever WeasyPrint raises, the document is named
                raise PrintFailed.of(member.key, exc) from None
            pages.append((member.key, len(document.pages)))
            if member.own:
                own.append((member.key, member.name, pdf))
                missing.extend((code, member.key) for code in collector.take_missing())
            if job.combine:
                documents.append(without_page_numbers(document))
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
    return PartRendered(job.name, tuple(own), combined, tuple(pages), tuple(missing), tuple(collector.warnings), tuple(forms))


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


def release_fonts(fonts: Fonts) -> None:
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
