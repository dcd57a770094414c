"""Everything ``build.py build`` makes, built aside and then swapped into place.

The outputs are written into a fresh folder next to the target (``.site.tmp-…``); only when
all of them are done is the previous site renamed away, the new one renamed in and the old
one deleted (rolebook/outputs/swap.py). A failed or interrupted build leaves the previous site
as it was; one killed outright can leave its ``.site.tmp-…`` folder, or the previous site moved
aside into ``.site.old-…/site``, and the next build cleans up and puts the site back first.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace
from pathlib import Path

from mkdocs.exceptions import MkDocsException

from rolebook.app.diff import whats_new
from rolebook.app.pipeline import CheckResult
from rolebook.load.files import ROLES_DIR
from rolebook.outputs.engines import engine
from rolebook.outputs.pdf import PdfReport, Selection, write_pdfs
from rolebook.outputs.site import SiteError, require_pages
from rolebook.outputs.staging import stage
from rolebook.outputs.swap import discard, fresh_dir, recover, swap_into_place, tmp_prefix
from rolebook.revisions.history import with_revisions
from rolebook.safepath import output


@dataclass(frozen=True)
class BuildReport:
    site_dir: Path
    pages: int
    seconds: float  # the whole build: site, PDFs and the swap
    pdf: PdfReport | None = None
    site_seconds: float = 0.0  # the site alone (the PDFs' own time is ``pdf.seconds``)


class TargetError(SiteError):
    """The target folder cannot be replaced; ``msg_id`` is the i18n message (with ``dest``)."""

    def __init__(self, msg_id: str, dest: Path) -> None:
        super().__init__(msg_id)
        self.msg_id = msg_id
        self.dest = dest


def check_target(root: Path, site_dir: Path) -> None:
    """Refuse a target that would replace the handbook (or part of it) or a folder that is not a site."""
    root, target = root.resolve(), site_dir.resolve()
    if root == target or root.is_relative_to(target):
        raise TargetError("site/overlaps", site_dir)
    for part in (ROLES_DIR, "docs", "schema", "templates"):
        if target.is_relative_to(root / part):
            raise TargetError("site/overlaps", site_dir)
    if site_dir.is_symlink() or (site_dir.exists() and not site_dir.is_dir()):
        raise TargetError("site/not-ours", site_dir)
    if site_dir.is_dir() and not _looks_like_output(site_dir):
        raise TargetError("site/not-ours", site_dir)


def _looks_like_output(folder: Path) -> bool:
    """Empty, a built site (index.html), or only what ``build.py pdf`` writes into it (pdf/)."""
    names = {p.name for p in folder.iterdir()}
    return not names or "index.html" in names or names <= {"pdf"}


def build_site(result: CheckResult, out_dir: Path, *, pdf_links: bool = True, engine_name: str = "mkdocs") -> int:
    """Stage the site of a checked handbook, have the engine build it into ``out_dir``, and make sure every
    page is there; return the number of HTML pages. Raises EngineMissing, SiteError (MissingPagesError).

    A handbook in two languages gets a site per language: the main language's at the root, exactly where a
    one-language handbook's is, each other language's in its folder (``en/``), each with its own search
    and labels, and a language menu on every page that opens the same page in the other language."""
    if result.handbook is None:
        raise ValueError("build_site needs a handbook that passed the check")
    site_engine = engine(engine_name)
    history = result.history
    pages = 0
    for lang in result.settings.languages:
        main = lang == result.settings.main_language
        handbook = result.published if main else result.handbook_in(lang)
        assert handbook is not None
        if not main:
            handbook = with_revisions(handbook, history)
        folder = "" if main else lang
        target = out_dir / folder if folder else out_dir
        try:
            news = whats_new(result.root, handbook) if history.available else None
            with stage(result.root, handbook, pdf_links=pdf_links, history=history, news=news, site_folder=folder, in_memory=site_engine.in_memory) as staged:
                site_engine.build(staged, target)  # (MkDocs empties its folder first: the main language's comes first)
        except MkDocsException as e:
            raise SiteError(e.format_message().strip()) from e
        pages += require_pages(handbook, target, directory_urls=staged.directory_urls)
    return pages


def build_all(result: CheckResult, site_dir: Path, *, pdf: bool = True, jobs: int | None = None, engine_name: str = "mkdocs") -> BuildReport:
    """Build every output of a checked handbook into ``site_dir``, atomically: the site and
    (unless ``pdf`` is false) every PDF under ``site_dir/pdf``, where the pages link to them.

    This is the one place that decides what goes into the site folder: add a step by
    writing into ``tmp`` before the swap. Raises SiteError, PdfBuildError, PdfEngineError,
    UnsafePath (rolebook.safepath) or OSError; then the previous site is left as it was.
    """
    if result.handbook is None:
        raise ValueError("build_all needs a handbook that passed the check")
    start = time.perf_counter()
    output(site_dir, result.root)  # raises UnsafePath: a link on the way out of the handbook, or site_dir a link
    recover(site_dir)  # a build that was killed: its leftovers go, a site it had moved aside comes back
    check_target(result.root, site_dir)
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = fresh_dir(site_dir.parent, tmp_prefix(site_dir))
    try:
        site_start = time.perf_counter()
        pages = build_site(result, tmp.path, pdf_links=pdf, engine_name=engine_name)
        site_seconds = time.perf_counter() - site_start
        # after the site (MkDocs empties its folder first), before the swap
        pdf_report = write_language_pdfs(result, tmp.path / "pdf", jobs=jobs, previous=site_dir / "pdf") if pdf else None
        swap_into_place(tmp, site_dir)
    except BaseException:
        discard(tmp)
        raise
    return BuildReport(site_dir, pages, time.perf_counter() - start, pdf_report, site_seconds)


def write_language_pdfs(
    result: CheckResult, dest: Path, *, jobs: int | None = None, selection: Selection | None = None, previous: Path | None = None
) -> PdfReport:
    """Every PDF in every language of the handbook: the main language's in ``dest`` (where a
    one-language handbook has them), each other language's in ``dest/<lang>/`` (``pdf/en/roles/<id>.pdf``),
    with the labels of that language. The report lists all of them, relative to ``dest``. ``previous``: the
    folder ``dest`` is to replace (its unchanged PDFs are linked rather than copied: rolebook.outputs.pdf.written)."""
    if result.handbook is None:
        raise ValueError("write_language_pdfs needs a handbook that passed the check")
    report = write_pdfs(result.published, dest, jobs=jobs, selection=selection, previous=previous)  # revisions derived from history
    for lang in result.settings.languages[1:]:
        other = result.handbook_in(lang)
        if other is not None:
            other = with_revisions(other, result.history)
            again = previous / lang if previous is not None else None
            report = _joined(report, write_pdfs(other, dest / lang, jobs=jobs, selection=selection, previous=again), lang)
    return report


def _joined(main: PdfReport, other: PdfReport, lang: str) -> PdfReport:
    def under(names: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(f"{lang}/{n}" for n in names)

    return replace(
        main,
        files=main.files + under(other.files),
        rendered=main.rendered + under(other.rendered),
        reused=main.reused + under(other.reused),
        warnings=main.warnings + tuple(w for w in other.warnings if w not in main.warnings),
        seconds=main.seconds + other.seconds,
        jobs=max(main.jobs, other.jobs),
    )
