"""``import``: plan, check on a scratch copy, write — for an export (.xlsx, .csv, .json) here, and
the checking and writing for Word documents too (importing_word.py plans those).

``plan_import`` does everything but write: it reads the file (rolebook/sheets/read.py), turns the
rows into files (rolebook/sheets/to_files.py), and checks the resulting handbook with the real
``check_handbook`` on a scratch copy. ``apply_import`` then writes the planned files, all or nothing
(rolebook/load/import_write.py). Nothing is written when the plan has an error.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Mapping
from pathlib import Path

from rolebook.app.pipeline import CheckResult, check_handbook, load_settings
from rolebook.i18n import Lang, Messages
from rolebook.load.files import ROLES_DIR, SETTINGS_FILE, read_bytes, read_text
from rolebook.load.import_plan import Change, ImportPlan, existing_files, unsafe_links
from rolebook.load.import_write import scratch_dir, write_changes
from rolebook.load.logo import LogoError, read_logo
from rolebook.load.yamledit import schema_copies
from rolebook.load.yamlstrict import Document, parse_yaml
from rolebook.outputs.swap import signals_deferred
from rolebook.problems import Problem, has_errors, sort_problems
from rolebook.safepath import write_new
from rolebook.sheets.read import read_source, source_language
from rolebook.sheets.to_files import file_docs, relocate, text_for


def plan_import(source: Path, root: Path, lang: Lang | None = None) -> ImportPlan:
    """Everything ``import`` would do, checked; nothing is written. ``source``: an .xlsx, .csv or .json file."""
    if lang is None and not (root / SETTINGS_FILE).exists():
        lang = source_language(source)
    settings, _ = load_settings(root, lang)
    msgs = Messages(settings.language)
    sheets, r = read_source(source, msgs)
    name = r.name
    if has_errors(r.problems):
        return ImportPlan(name, msgs, tuple(sort_problems(r.problems)), files_checked=r.files)
    roles, depts, old_settings, sources, found = existing_files(root, msgs)
    docs = file_docs(sheets, roles, depts, old_settings, r)
    if has_errors(r.problems):
        return ImportPlan(name, msgs, tuple(sort_problems(r.problems)), files_checked=r.files)
    made = {d.rel: text_for(d, root, r) for d in docs}
    texts = {rel: text for rel, text in made.items() if text is not None}
    copies = schema_copies(root, texts)  # new files' modelines point at the handbook's schema/: written with them
    if has_errors(r.problems):
        return ImportPlan(name, msgs, tuple(sort_problems(r.problems)), files_checked=r.files)
    removed = {d.moved_from for d in docs if d.moved_from}
    unsafe = unsafe_links(root, [*sources, *texts, *copies, *removed], found, msgs)
    if unsafe:
        return ImportPlan(name, msgs, tuple(sort_problems(unsafe)), files_checked=r.files)
    result = check_copy(root, sources, texts, removed, lang, msgs)
    problems = relocate(result.problems, docs, texts, r)
    changes: list[Change] = []
    unchanged = 0
    for d in docs:
        old_text = d.old.text if d.old is not None and d.moved_from is None else None
        if old_text == texts[d.rel]:
            unchanged += 1
            continue
        changes.append(Change(d.rel, old_text, texts[d.rel], d.moved_from))
        if d.moved_from is not None:
            changes.append(Change(d.moved_from, d.old.text if d.old is not None else "", None))
    changes.extend(Change(rel, None, text) for rel, text in copies.items())
    changes.sort(key=lambda c: c.rel)
    return ImportPlan(name, msgs, tuple(sort_problems(problems)), tuple(changes), unchanged, result.files_checked)


def check_copy(root: Path, sources: list[str], texts: Mapping[str, str], removed: set[str], lang: Lang | None, msgs: Messages) -> CheckResult:
    """The real check, on a scratch copy of the handbook with the planned files in place.

    The copy is made of real files in a private temporary folder, never of links: each file is read
    as check reads it (read_bytes: nothing outside the handbook) and written there. A file check
    cannot read is stood in for by an empty folder of its name, and the problem check gives for the
    real file replaces the stand-in's. The settings' logo is copied too (read as check reads it), so
    that the settings are checked as they are in the handbook."""
    with scratch_dir() as scratch:
        stand_ins: dict[str, Problem] = {}
        for rel in [*sources, SETTINGS_FILE]:
            if rel in removed or rel in texts or not os.path.lexists(root / rel):
                continue
            dest = scratch / rel
            dest.parent.mkdir(parents=True, exist_ok=True)
            data = read_bytes(root, rel, msgs)
            if isinstance(data, Problem):
                stand_ins[rel] = data
                dest.mkdir()
            else:
                write_new(dest, data)
        for rel in _roles_entries(root):
            (scratch / rel).parent.mkdir(parents=True, exist_ok=True)
            write_new(scratch / rel, b"")  # a stray file or an inside link in roles/: check warns about it
        for rel, text in texts.items():
            dest = scratch / rel
            dest.parent.mkdir(parents=True, exist_ok=True)
            write_new(dest, text.encode("utf-8"))
        logo_error = _copy_logo(root, scratch, texts, msgs)
        result = check_handbook(scratch, lang, use_cache=False, recover=False)
    problems = [p for p in result.problems if not (p.path in stand_ins and p.code == "not-a-file")]
    problems.extend(stand_ins.values())
    if logo_error is not None:
        problems = [dataclasses.replace(p, message=msgs.text("bad-logo", detail=logo_error)) if p.code == "bad-logo" else p for p in problems]
    return dataclasses.replace(result, root=root, problems=tuple(sort_problems(problems)))


def _roles_entries(root: Path) -> list[str]:
    """What directly under roles/ is not a folder (stray files, links): check warns about each."""
    try:
        return sorted(f"{ROLES_DIR}/{e.name}" for e in os.scandir(root / ROLES_DIR) if not e.name.startswith(".") and not e.is_dir(follow_symlinks=False))
    except OSError:
        return []


def _copy_logo(root: Path, scratch: Path, texts: Mapping[str, str], msgs: Messages) -> str | None:
    """Put the logo the settings (as the import leaves them) name into the scratch copy; the reason when it cannot be read."""
    text = texts.get(SETTINGS_FILE)
    if text is None:
        on_disk = read_text(root, SETTINGS_FILE, msgs) if os.path.lexists(root / SETTINGS_FILE) else None
        text = on_disk if isinstance(on_disk, str) else None
    doc = parse_yaml(text, SETTINGS_FILE, msgs, positions=False) if text is not None else None
    rel = doc.data.get("logo") if isinstance(doc, Document) and isinstance(doc.data, dict) else None
    if not isinstance(rel, str) or not rel:
        return None
    try:
        logo = read_logo(root, rel, msgs)
    except LogoError as exc:
        return str(exc)
    dest = Path(os.path.normpath(scratch / rel))
    if not dest.is_relative_to(scratch):
        return None
    dest.parent.mkdir(parents=True, exist_ok=True)
    write_new(dest, logo.data)
    return None


def apply_import(root: Path, plan: ImportPlan) -> str | None:
    """Write any import's plan all or nothing (see import_write.write_changes); returns the backup folder, relative to
    ``root``, when existing files were replaced. Moved roles' old files are removed last."""
    if plan.failed():
        raise ValueError("a plan with errors is never written")
    writes = [(c.rel, c.new_text.encode("utf-8")) for c in plan.changes if c.new_text is not None]
    removes = [(c.rel, None) for c in plan.changes if c.new_text is None]
    with signals_deferred():  # Ctrl+C or SIGTERM while writing: the import finishes first, never half done
        return write_changes(root, plan.source, [*writes, *removes])
