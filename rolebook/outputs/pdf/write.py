"""The entry point: ``write_pdfs`` sequences plan → fonts → render → join → write."""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import os
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rolebook.dates import source_date_epoch
from rolebook.i18n import Messages
from rolebook.model import Handbook
from rolebook.outputs.pdf import plan
from rolebook.outputs.pdf.cache import PdfCache, cache_base, default_cache_dir, digest, open_cache
from rolebook.outputs.pdf.engine import TIGHT_TRY, Fonts, release_fonts
from rolebook.outputs.pdf.fonts import base_repertoire, prepare_fonts, repertoire
from rolebook.outputs.pdf.join import join_departments, join_handbook
from rolebook.outputs.pdf.known import code_scope, index_key, load_index, save_index
from rolebook.outputs.pdf.plan import FIXED_TIMESTAMP, Part, Run, document_timestamp
from rolebook.outputs.pdf.schedule import render_parts
from rolebook.outputs.pdf.written import Output, load_written
from rolebook.render.print_html import PRINT_CSS, TIGHT_CSS, PrintContext, page_css


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


def prepare_build_fonts(
    parts: list[Part], sheets: tuple[str, ...], cache: PdfCache, stack: contextlib.ExitStack[Any], extras: list[str] | None = None
) -> tuple[Fonts, str, set[str]]:
    """The build's subset faces (kept in the cache, else in a folder for this run), their fingerprint and cache keys.

    ``extras``: the characters outside the base repertoire of the documents whose HTML was not rendered."""
    chars = repertoire([d.html for p in parts for d in p.docs] + [*sheets, "— 0123456789", *(extras or ())])
    folder = (cache.folder / "fonts").absolute()  # named by file: URLs, which need an absolute path
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="rolebook-fonts-")))
    made = prepare_fonts(chars, folder)
    return Fonts(made.css, made.urls), made.fingerprint, {f.path.name.split(".", 1)[0] for f in made.files}


def _only(run: Run, selection: plan.Selection) -> None:
    """Keep, of what ``run`` made and found, the PDFs ``selection`` asks for."""
    wanted = selection.names()
    run.pdfs = {name: pdf for name, pdf in run.pdfs.items() if name in wanted}
    run.rendered = [name for name in run.rendered if name in wanted]
    run.reused = [name for name in run.reused if name in wanted]


def _role_docs(ctx: PrintContext, sheets: tuple[str, ...], tight: str, common: str, cache: PdfCache) -> tuple[str, plan.RoleDocs]:
    """The key of the index of role documents (rolebook.outputs.pdf.known: everything of the cache base
    but the fonts, which are cut down to the documents' characters) and the roles' documents made with it."""
    prebase = digest(common, str(plan.PART_ROLES), *sheets, tight, str(TIGHT_TRY))
    scope = digest(code_scope(), ctx.css, ctx.logo or "", *sheets)
    return prebase, plan.RoleDocs(ctx, sheets, scope, load_index(cache, prebase), base_repertoire())


def write_pdfs(
    handbook: Handbook,
    dest: Path,
    *,
    cache_dir: Path | None = None,
    jobs: int | None = None,
    progress: bool | None = None,
    selection: plan.Selection | None = None,
    previous: Path | None = None,
) -> PdfReport:
    """Write every PDF of ``handbook`` under ``dest`` (created if needed; other files there are left alone).

    Raises PdfBuildError (positioned problems: a character no font has, an unusable logo)
    before writing anything to ``dest``, PdfEngineError when WeasyPrint cannot run, and
    rolebook.safepath.UnsafePath when the cache folder is or holds a link (before anything is written).
    ``jobs`` is the number of worker processes (default: one per core, but no more than a
    worker per DOCS_PER_WORKER documents to render; 1 renders in this process); ``progress``
    shows a progress bar (default: when stderr is a terminal). ``selection``: write only the PDFs
    of these positions and departments (no handbook); the cache keeps what other PDFs left in it.
    ``previous``: the folder ``dest`` is to replace (an earlier build's PDFs there may be linked into
    ``dest`` instead of copied: rolebook.outputs.pdf.written).
    """
    start = time.monotonic()
    msgs = Messages(handbook.settings.language)
    epoch, epoch_warning = source_date_epoch(os.environ)
    cache, cache_warning = open_cache(cache_dir if cache_dir is not None else default_cache_dir(handbook), handbook.root if cache_dir is None else None, msgs)
    chart_keys: set[str] = set()
    ctx = plan.print_context(handbook, cache, chart_keys)
    fallback = document_timestamp(handbook.roles, FIXED_TIMESTAMP, epoch)
    sheets = (PRINT_CSS.read_text(encoding="utf-8"), page_css(handbook.settings.language, handbook.settings.paper))
    tight = TIGHT_CSS.read_text(encoding="utf-8")
    common = cache_base()
    prebase, roles = _role_docs(ctx, sheets, tight, common, cache)
    every = plan.plan_parts(handbook, ctx, epoch, fallback, sheets, roles)
    # (fonts cut to the whole handbook's characters even for a selection: its PDFs are a whole build's)
    with contextlib.ExitStack() as stack:
        fonts, fingerprint, font_keys = prepare_build_fonts(every, sheets, cache, stack, roles.extras())
        base = digest(common, fingerprint, str(plan.PART_ROLES), *sheets, tight, str(TIGHT_TRY))
        if roles.kept and (roles.index is None or roles.index.base != base):  # the index's keys are another base's
            roles = dataclasses.replace(roles, index=None, made={}, kept={}, stamps={})
            every = plan.plan_parts(handbook, ctx, epoch, fallback, sheets, roles)
        parts = every if selection is None else plan.select_parts(every, selection)
        run = Run(
            handbook=handbook,
            msgs=msgs,
            cache=cache,
            base=base,  # (the documents' HTML is without the stylesheets, hashed here once)
            roles=roles,
            fonts=fonts,
            sheets=sheets,
            tight=tight,
            epoch=epoch,
            fallback=fallback,
            warnings=[w for w in (epoch_warning, cache_warning) if w],
        )
        stack.callback(release_fonts, fonts)
        workers = render_parts(run, parts, jobs, progress)
        output = Output(dest, load_written(cache, previous.absolute() if previous is not None else None))
        write_out = functools.partial(output.write, run, cache)
        join_departments(run, parts)
        if selection is None:
            # the other PDFs are written while the handbook is joined (in its own process when large)
            scratch = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="rolebook-pdf-")))
            join_handbook(run, ctx, parts, scratch, meanwhile=write_out)
        else:
            _only(run, selection)
        write_out()
        save_index(cache, prebase, roles.new_index(base))
        kept = {index_key(prebase), *output.record(cache)}
        if selection is None:  # (a selection uses a few entries: the others are still good)
            cache.prune(run.used | font_keys | chart_keys | kept, time.time())
    return PdfReport(
        dest=dest,
        files=tuple(sorted(run.pdfs)),
        rendered=tuple(sorted(run.rendered)),
        reused=tuple(sorted(run.reused)),
        warnings=tuple(run.warnings),
        seconds=time.monotonic() - start,
        jobs=workers,
    )
