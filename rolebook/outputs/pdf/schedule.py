"""The scheduler: which documents and parts need rendering, and rendering them in worker processes."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator, Mapping
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from multiprocessing import get_context

from rolebook.model import Handbook
from rolebook.outputs.pdf.engine import Fonts, Member, PartJob, PartRendered, render_part, warm_worker
from rolebook.outputs.pdf.errors import PdfBuildError, PrintFailed, print_failure
from rolebook.outputs.pdf.glyphs import glyph_problems
from rolebook.outputs.pdf.plan import Part, Run, identifier, member_key, output_name
from rolebook.render.print_html import PrintDocument

DOCS_PER_WORKER = 4  # by default, start no more workers than there are documents for this many each


def render_all(jobs: list[PartJob], workers: int, show_progress: bool, notes: list[str], fonts: Fonts) -> Iterator[PartRendered]:
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


def render_parts(run: Run, parts: list[Part], jobs: int | None, progress: bool | None) -> int:
    """Render every role PDF and part PDF that is not cached; returns the number of worker processes used."""
    todo: list[PartJob] = []
    for part in parts:
        owns = []
        for doc in part.docs:
            own = False
            if doc.kind == "role":
                name = output_name(doc)
                hit = run.cached(run.key(doc))
                if hit is not None:
                    run.pdfs[name] = hit
                    run.reused.append(name)
                else:
                    own = True
                    run.rendered.append(name)
            owns.append(own)
        key = run.part_key(part)
        pages = run.cache.get_pages(key, part.member_keys)
        hit = run.cached(key)
        combine = part.joined and (pages is None or hit is None)
        if not combine and pages is not None and hit is not None:
            run.part_pdfs[part.name], run.part_pages[part.name] = hit, pages
        if combine or any(owns):
            # only now the HTML of job descriptions the index kept is rendered (rolebook.outputs.pdf.known)
            members = []
            for doc, own in zip(part.docs, owns, strict=True):
                whole = run.full(doc) if combine or own else doc
                name = output_name(doc) if doc.kind == "role" else ""
                # the form a job description took before is laid out alone (rolebook.outputs.pdf.engine.fitted)
                form = run.cache.get_form(run.key(doc)) if doc.kind == "role" and (combine or own) else ""
                member = Member(member_key(doc), name, whole.html, identifier(run.handbook, doc.kind, doc.ident), own, doc.kind == "role", form)
                members.append(member)
            todo.append(PartJob(part.name, tuple(members), combine, identifier(run.handbook, "part", part.name), run.sheets, run.fonts, run.tight))

    # A worker costs about as much to start as rendering a few documents: by default each gets several.
    load = sum(len(j.members) if j.combine else sum(m.own for m in j.members) for j in todo)
    wanted = jobs if jobs is not None else min(os.cpu_count() or 1, load // DOCS_PER_WORKER)
    workers = max(1, min(wanted, len(todo)))
    show = sys.stderr.isatty() if progress is None else progress
    found: list[tuple[int, PrintDocument]] = []
    docs_by_key = {member_key(d): d for p in parts for d in p.docs}
    by_name = {p.name: p for p in parts}
    for result in naming_failures(run.handbook, docs_by_key, render_all(todo, workers, show, run.warnings, run.fonts)):
        run.note(result.name, result.warnings)
        found.extend((code, docs_by_key[key]) for code, key in result.missing)
        spoilt = {key for _, key in result.missing}
        for key, form in result.forms:
            if key not in spoilt:
                run.cache.put_form(run.key(run.full(docs_by_key[key])), form)
        for key, name, pdf in result.own:
            if key not in spoilt:
                run.pdfs[name] = run.store(run.key(run.full(docs_by_key[key])), pdf)
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


def naming_failures(handbook: Handbook, docs: Mapping[str, PrintDocument], results: Iterator[PartRendered]) -> Iterator[PartRendered]:
    try:
        yield from results
    except PrintFailed as failed:
        raise print_failure(handbook, docs[failed.key], failed) from None
