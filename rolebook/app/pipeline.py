"""load → check → model: the one entry point every command and the MkDocs plugin use."""

from __future__ import annotations

import gc
import os
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from rolebook.bilingual import Choice, is_per_language
from rolebook.check.context import CheckContext, ParsedFile, StaleCache
from rolebook.check.handbook import CHECKS
from rolebook.check.parse import FileOutcome, file_checks, parse_chunk, parse_one
from rolebook.check.schema import is_valid, schema_problems
from rolebook.dates import ReferenceDate, reference_date, review_due
from rolebook.i18n import LANGS, Lang, Messages
from rolebook.load.cache import PackReader, ParseCache, Stored, content_key, salt, status
from rolebook.load.commit_date import last_commit_time
from rolebook.load.files import SETTINGS_FILE, SourceFile, discover, link_problems, read_bytes, read_text
from rolebook.load.import_write import recover_import, recovery_problems
from rolebook.load.logo import logo_problems
from rolebook.load.mkdocs_policy import mkdocs_problems
from rolebook.load.yamlstrict import parse_yaml
from rolebook.model import (
    Department,
    Handbook,
    Role,
    Settings,
    build_department,
    build_role,
    order_departments,
    order_roles,
)
from rolebook.problems import Problem, has_errors, sort_problems
from rolebook.resources import SCHEMA_DIR

if TYPE_CHECKING:
    from concurrent.futures import Executor

    from rolebook.revisions.history import History, HistoryCache

DEFAULT_LANG: Lang = "zh"
PARALLEL_MIN_FILES = 500  # fewer files to parse than this: one process (a worker costs ~0.3 s to start)
PARSE_CHUNK = 200  # files per piece of work handed to a worker


@dataclass(frozen=True)
class CheckResult:
    root: Path
    problems: tuple[Problem, ...]
    files_checked: int
    msgs: Messages
    settings: Settings
    context: CheckContext = field(repr=False, compare=False)

    def failed(self, strict: bool = False) -> bool:
        return has_errors(self.problems, strict)

    @cached_property
    def handbook(self) -> Handbook | None:
        """The model, built on first use (``check`` never needs it); None when there is any error."""
        if has_errors(self.problems):
            return None
        return build_handbook(self.root, self.settings, self.context)

    def handbook_in(self, lang: Lang) -> Handbook | None:
        """The model in one of the handbook's languages: its text in that language (the main
        language's where a translation is missing, as ``bilingual.Fallback``), its labels too.
        The main language's is ``handbook`` itself, exactly as a one-language handbook's."""
        if lang == self.settings.main_language:
            return self.handbook
        if has_errors(self.problems):
            return None
        return build_handbook(self.root, self.settings, self.context, lang)

    @cached_property
    def history(self) -> History:
        """Each role's revision history from the handbook's git repository (NO_HISTORY without one)."""
        from rolebook.revisions.history import NO_HISTORY, read_history  # (not imported by `check`, which needs no history)

        hb = self.handbook
        return NO_HISTORY if hb is None else read_history(self.root, hb)

    def history_from(self, cache: HistoryCache) -> History:
        """``history``, reading git only when ``cache`` holds none for the repository's HEAD (serve)."""
        if "history" not in self.__dict__:
            from rolebook.revisions.history import NO_HISTORY, read_history

            hb = self.handbook
            self.__dict__["history"] = NO_HISTORY if hb is None else read_history(self.root, hb, cache)
        return self.history

    @cached_property
    def published(self) -> Handbook:
        """The handbook as the site and the PDFs show it: a role whose file sets no revision gets the
        one its history derives (rolebook/revisions/history.py), so both show the same. Only for a
        handbook that passed the check."""
        if self.handbook is None:
            raise ValueError("a handbook with errors is not published")
        from rolebook.revisions.history import with_revisions

        return with_revisions(self.handbook, self.history)

    def handbook_from(self, previous: Handbook) -> Handbook | None:
        """The model like ``handbook``, the positions of unchanged files taken from ``previous`` (the
        live preview: an edit changes one file of thousands; unpacking them all again took seconds)."""
        if "handbook" not in self.__dict__ and not has_errors(self.problems):
            self.__dict__["handbook"] = build_handbook(self.root, self.settings, self.context, previous=previous)
        return self.handbook


def load_settings(root: Path, lang: Lang | None) -> tuple[Settings, list[Problem]]:
    """Read rolebook.yml. Messages about it are in the language it asks for, if it can be read."""
    path = root / SETTINGS_FILE
    default = Settings(organisation=root.resolve().name or "rolebook", language=lang or DEFAULT_LANG)
    if not path.exists() and not path.is_symlink():
        msgs = Messages(default.language)
        return default, [
            Problem(SETTINGS_FILE, 0, 0, "warning", "missing-settings", msgs.text("missing-settings", name=default.organisation, lang=default.language))
        ]
    first = Messages(lang or DEFAULT_LANG)
    text = read_text(root, SETTINGS_FILE, first)
    doc = parse_yaml(text, SETTINGS_FILE, first) if isinstance(text, str) else text
    if isinstance(doc, Problem):
        return default, [doc]
    wanted = doc.data.get("language")
    several = doc.data.get("languages")
    if wanted is None and isinstance(several, list) and several:
        wanted = several[0]  # a two-language handbook speaks its main language
    msgs = Messages(lang or (wanted if wanted in LANGS else DEFAULT_LANG))
    problems = [] if is_valid("settings", doc.data) else schema_problems("settings", doc, SETTINGS_FILE, msgs)
    if "language" in doc.data and "languages" in doc.data:
        line, col = doc.pos(("languages",), key=True)
        problems.append(Problem(SETTINGS_FILE, line, col, "error", "invalid-value", msgs.text("languages/both"), msgs.hint("languages/both")))
    if problems:
        return Settings(default.organisation, msgs.lang), problems
    d = doc.data
    review = d.get("review_every")
    languages: tuple[Lang, ...] = tuple(d["languages"]) if "languages" in d else (d["language"],)
    organisation = Choice(languages[0], languages[0]).text(d["organisation"])
    settings = Settings(
        organisation,
        lang or languages[0],
        d.get("logo"),
        bool(d.get("signatures", False)),
        str(d.get("paper", "a4")),
        languages=languages,
        version=d.get("version"),
        review_every=int(review) if review is not None else None,
        engine=str(d.get("engine", "mkdocs")),
        organisation_text=d["organisation"] if is_per_language(d["organisation"]) else None,
    )
    return settings, logo_problems(root, doc, msgs)


def _parse_serial(items: list[tuple[SourceFile, bytes, str]], msgs: Messages) -> list[tuple[FileOutcome, ParsedFile | None]]:
    return [parse_one(src, raw, key, msgs) for src, raw, key in items]


def parse_workers(count: int) -> int:
    """Worker processes to parse ``count`` files with: none below PARALLEL_MIN_FILES or on one core."""
    if count < PARALLEL_MIN_FILES:
        return 0
    from rolebook.workers import cores

    return max(0, cores() - 1)  # this process parses too


def parse_files(
    items: list[tuple[SourceFile, bytes, str]], msgs: Messages, workers: int, *, chunk: int = PARSE_CHUNK, pool: Executor | None = None
) -> list[tuple[FileOutcome, ParsedFile | None]]:
    """Parse every item, in order; with ``workers`` > 0, spread over worker processes as well
    (those of ``pool`` when one was started already, see worker_pool).

    This process takes chunks from the front while the workers take them from the back
    (a chunk not yet started by a worker is cancelled and done here), so neither waits
    for the other and the workers' start-up time is not lost. Results are in the order of
    ``items`` whoever parsed them: the verdict is the same as the serial path's.
    """
    if workers <= 0 or len(items) <= chunk:
        return _parse_serial(items, msgs)
    with ExitStack() as stack:
        if pool is None:
            pool = stack.enter_context(worker_pool(workers))
        if pool is not None:
            return _parse_shared(items, msgs, chunk, pool)
    return _parse_serial(items, msgs)


def _parse_shared(items: list[tuple[SourceFile, bytes, str]], msgs: Messages, chunk: int, pool: Executor) -> list[tuple[FileOutcome, ParsedFile | None]]:
    from concurrent.futures.process import BrokenProcessPool

    chunks = [items[i : i + chunk] for i in range(0, len(items), chunk)]
    results: list[list[tuple[FileOutcome, ParsedFile | None]] | None] = [None] * len(chunks)
    try:
        futures = {i: pool.submit(parse_chunk, msgs.lang, chunks[i]) for i in reversed(range(len(chunks)))}
        for i, part in enumerate(chunks):
            if futures[i].cancel():
                results[i] = _parse_serial(part, msgs)
            else:
                results[i] = [(FileOutcome(*o), None) for o in futures[i].result()]
    except (BrokenProcessPool, OSError):
        pass  # a worker could not start (e.g. a script without `if __name__ == "__main__":`): parse here
    return [r for i, part in enumerate(chunks) for r in (results[i] or _parse_serial(part, msgs))]


@contextmanager
def worker_pool(workers: int) -> Iterator[Executor | None]:
    """``workers`` worker processes, started now: each imports rolebook while this process goes on
    (reading the files takes as long as a worker's start-up). None when there are none to start or
    they cannot be. On the way out the pool is not waited for: all its work was collected, and a
    worker's exit then overlaps what this process still does (the interpreter waits for it at exit)."""
    if workers <= 0:
        yield None
        return
    # (imported here: a warm check, which parses nothing, does not pay for them)
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool
    from multiprocessing import get_context

    from rolebook.workers import init_worker  # workers ignore Ctrl+C and end with this process

    pool = ProcessPoolExecutor(max_workers=workers, mp_context=get_context("spawn"), initializer=init_worker, initargs=(os.getpid(),))
    try:
        for _ in range(workers):
            pool.submit(os.getpid)  # starts a worker (a pool starts one per task it is given, up to max_workers)
    except (BrokenProcessPool, OSError):
        pool.shutdown(wait=False, cancel_futures=True)
        yield None
        return
    try:
        yield pool
    finally:
        pool.shutdown(wait=False, cancel_futures=True)


@contextmanager
def _gc_paused() -> Iterator[None]:
    """No cyclic garbage collection while many small, long-lived objects are made.

    Checking 10,000 files makes millions of dicts, lists and strings that live as long as
    the result; the collector would scan them again and again (a third of the time of a
    cold check, half of a warm one), and once more when the process exits. They hold no
    reference cycles, so on the way out they are frozen (``gc.freeze``: left out of
    collections, still freed when no longer used) and the collector runs as before. What
    an earlier run froze is unfrozen first; a process that keeps running calls ``thaw`` so
    that the cycles frozen along are collected too.
    """
    was = gc.isenabled()
    gc.unfreeze()  # constant time; gc.get_freeze_count() walks every frozen object (0.1-0.2 s at 10,000 roles)
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.freeze()
            gc.enable()


def thaw() -> None:
    """Undo what earlier checks froze and collect the garbage among it.

    A freeze keeps everything alive at that moment out of collections, the reference cycles
    that a site build left behind too; in one command that is freed at exit. A long-running
    process (``serve``, ``mkdocs serve``) calls this before each rebuild, or each rebuild's
    leftovers would stay frozen by the next check, about 1 MB per rebuild for good."""
    gc.unfreeze()
    gc.collect()


def check_handbook(root: Path, lang: Lang | None = None, *, use_cache: bool = True, workers: int | None = None, recover: bool = True) -> CheckResult:
    """Read and check every file of the handbook at ``root``; the model is built when first used.

    With ``recover`` (every command), an import into the handbook that was killed before it finished
    is undone first, and the check reports that it was (see rolebook/load/import_write.py).

    With ``use_cache``, files unchanged since the last run are not parsed again
    (see rolebook/load/cache.py); the cache lives in ``<root>/.rolebook-cache``.
    ``workers`` is the number of extra processes to parse with (default: see parse_workers;
    0 parses everything in this process).
    """
    with _gc_paused():
        try:
            return _check(root, lang, use_cache, workers, recover)
        except StaleCache:  # a file changed and the cache was rewritten by another run, both while this one checked
            return _check(root, lang, False, workers, recover)


def _check(root: Path, lang: Lang | None, use_cache: bool, workers: int | None, recover: bool = True) -> CheckResult:
    recovered = recover_import(root) if recover else None
    settings, problems = load_settings(root, lang)
    msgs = Messages(settings.language)
    problems.extend(recovery_problems(recovered, msgs))
    sources, found = discover(root, msgs)
    problems.extend(found)
    problems.extend(link_problems(root, msgs))
    problems.extend(mkdocs_problems(root, msgs))
    cache = ParseCache(root if use_cache else None, salt(SCHEMA_DIR))
    # cold (nothing cached): the workers start now and import while this process reads the files
    early = parse_workers(len(sources)) if workers is None and cache.cold else 0
    with worker_pool(early) as pool:
        parsed, todo, where, rerun = _read_sources(root, sources, cache, msgs, problems, use_cache)
        for f in rerun:
            problems.extend(file_checks(f, msgs))
        outcomes = parse_files(todo, msgs, parse_workers(len(todo)) if workers is None else workers, pool=pool)
    for i, (src, raw, key), (outcome, here) in zip(where, todo, outcomes, strict=True):
        problems.extend(outcome.problems)
        if not outcome.parsed:
            continue
        # parsed in a worker: its data travels marshalled, and is unpacked when the model is built
        parsed[i] = here or ParsedFile(src, raw, key, outcome.schema_problems, summary=outcome.summary, blob=outcome.blob)
        if not outcome.schema_problems and outcome.blob is not None and outcome.summary is not None:
            cache.put(key, outcome.summary, outcome.local_count, outcome.blob, raw)
    roles: dict[str, ParsedFile] = {}
    depts: dict[str, ParsedFile] = {}
    for src, pf in zip(sources, parsed, strict=True):
        if pf is None:
            continue
        if src.kind == "role":
            roles.setdefault(src.ident, pf)
        else:
            depts[src.ident] = pf
    ctx = CheckContext(
        msgs=msgs,
        roles=roles,
        departments=depts,
        role_sources=tuple(s for s in sources if s.kind == "role"),
        dept_folders=frozenset(s.department for s in sources),
        dept_files=frozenset(s.ident for s in sources if s.kind == "department"),
        review_every=settings.review_every,
        reference=review_reference(root) if settings.review_every is not None else None,
        languages=settings.languages,
    )
    cache.save()
    for chk in CHECKS:
        problems.extend(chk(ctx))
    ordered = tuple(sort_problems(problems))
    return CheckResult(root, ordered, len(sources) + 1, msgs, settings, ctx)


def _read_sources(
    root: Path, sources: list[SourceFile], cache: ParseCache, msgs: Messages, problems: list[Problem], use_cache: bool
) -> tuple[list[ParsedFile | None], list[tuple[SourceFile, bytes, str]], list[int], list[ParsedFile]]:
    """Each file from the cache or read: (the files known already, by place; those to parse, with
    their places; those whose one-file checks run again). Problems reading them go to ``problems``."""
    parsed: list[ParsedFile | None] = [None] * len(sources)
    todo: list[tuple[SourceFile, bytes, str]] = []
    where: list[int] = []
    rerun: list[ParsedFile] = []
    for i, src in enumerate(sources):
        st = status(f"{root}/{src.rel}") if use_cache else None
        known = cache.known(src.rel, st)
        entry = cache.get(known) if known is not None else None
        if known is not None and entry is not None:  # the very file the cache recorded: not even read
            f = ParsedFile(src, Stored(entry.raw, root), known, summary=entry.summary, blob=entry.blob)
            parsed[i] = f
            if entry.local_count:
                rerun.append(f)
            continue
        raw = read_bytes(root, src.rel, msgs)
        if isinstance(raw, Problem):
            problems.append(raw)
            continue
        key = content_key(src.kind, raw)
        cache.saw(src.rel, st, key)
        entry = cache.get(key)
        if entry is not None:  # parsed and valid before: skip decoding, parsing and validating
            f = ParsedFile(src, raw, key, summary=entry.summary, blob=entry.blob)
            parsed[i] = f
            if entry.local_count:
                rerun.append(f)  # its one-file problems need positions (and may be in another language)
        else:
            todo.append((src, raw, key))
            where.append(i)
    return parsed, todo, where, rerun


def review_reference(root: Path) -> ReferenceDate:
    """The day reviews are counted to: SOURCE_DATE_EPOCH, else the last commit's date, else today (see dates.py)."""
    return reference_date(os.environ.get("SOURCE_DATE_EPOCH"), last_commit_time(root), datetime.now(UTC).date())


def _with_reviews(roles: list[Role], ctx: CheckContext) -> list[Role]:
    """Approved roles due for review carry the date it fell due (the positions page marks them)."""
    if ctx.review_every is None or ctx.reference is None:
        return roles
    out = []
    for r in roles:
        due = review_due(r.approval_date, ctx.review_every, ctx.reference.day) if r.status == "approved" else None
        out.append(replace(r, review_due=due.isoformat()) if due is not None else r)
    return out


def build_handbook(root: Path, settings: Settings, ctx: CheckContext, lang: Lang | None = None, previous: Handbook | None = None) -> Handbook:
    """The model; with ``lang``, in that language (labels and text), else in the main language. With
    ``previous`` (a model in the same language), a position whose file has the same content, place and
    name as there is taken from it instead of being built again (its data is not even unpacked)."""
    if lang is not None:
        choice = Choice(lang, settings.main_language)
        org = choice.text(settings.organisation_text) if settings.organisation_text is not None else settings.organisation
        settings = replace(settings, language=lang, organisation=org)
    else:
        choice = Choice(settings.main_language, settings.main_language)
    with _gc_paused():
        return _build_handbook(root, settings, ctx, choice, previous)


def _build_handbook(root: Path, settings: Settings, ctx: CheckContext, choice: Choice, previous: Handbook | None = None) -> Handbook:
    kept: dict[str, Role] = {}
    if previous is not None and previous.settings.language == settings.language:
        before = {r.id: r for r in previous.roles}
        for rid, f in ctx.roles.items():
            old = before.get(rid)
            if old is not None and old.digest == f.digest and old.source == f.source.rel and old.department == f.source.department:
                kept[rid] = replace(old, review_due=None)  # its subordinates and review are set below, as for every position
    reader = PackReader()  # the cached files' data, with one read of the cache's pack
    for f in (*ctx.departments.values(), *(f for rid, f in ctx.roles.items() if rid not in kept)):
        f.prime(reader)
    departments = order_departments([build_department(i, f.source.rel, f.data, choice) for i, f in ctx.departments.items()])
    draft: list[Role] = [kept.get(rid) or build_role(rid, f.source.department, f.source.rel, f.data, (), f.digest, choice) for rid, f in ctx.roles.items()]
    reports: dict[str, list[str]] = {}
    for r in draft:
        if r.reports_to is not None:
            reports.setdefault(r.reports_to, []).append(r.id)
    rank = {r.id: i for i, r in enumerate(order_roles(draft, departments))}
    roles = []
    for r in draft:
        subordinates = tuple(sorted(reports.get(r.id, ()), key=rank.__getitem__))
        roles.append(r if r.subordinates == subordinates else replace(r, subordinates=subordinates))
    roles.sort(key=lambda r: rank[r.id])
    roles = _with_reviews(roles, ctx)
    return Handbook(root, settings, tuple(departments), tuple(roles), review_reference=ctx.reference)


__all__ = ["CheckResult", "Department", "check_handbook", "load_settings", "thaw"]
