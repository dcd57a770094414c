"""``import FILE.docx | FILE.doc | FOLDER``: Word job descriptions → a checked plan of role and department files.

Reading (load/docx_sources.py) and understanding (load/docx_parse.py, load/docx_map.py) happen below;
this module sequences them and hands the file texts to the spreadsheet import's checked scratch copy
(``check_copy`` in importing.py), so both imports plan, diff, back up and apply the same way.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from rolebook.app.importing import check_copy
from rolebook.app.pipeline import load_settings
from rolebook.bilingual import is_per_language, main_text
from rolebook.i18n import Lang, Messages
from rolebook.load.docx_map import map_sources
from rolebook.load.docx_reader import DocxError, Where
from rolebook.load.docx_records import Known, Mapped, Review, Source
from rolebook.load.docx_sources import MAX_DOCUMENTS, documents, read_source
from rolebook.load.files import SETTINGS_FILE
from rolebook.load.import_plan import Change, ImportPlan, existing_files, unsafe_links
from rolebook.load.yamledit import dump_yaml, modeline, schema_copies
from rolebook.problems import sort_problems


@dataclass(frozen=True)
class WordPlan:
    plan: ImportPlan
    reviews: tuple[Review, ...]
    roles: int  # job descriptions read
    documents: int


def _shown(path: Path, source: Path) -> str:
    return path.name if path == source else path.relative_to(source).as_posix()


def plan_word(source: Path, root: Path, lang: Lang | None, department: str | None) -> WordPlan:
    """Everything importing ``source`` would do, checked; nothing is written."""
    paths = documents(source)
    sources: list[Source] = []
    failed: list[tuple[str, DocxError]] = []
    for path in paths[:MAX_DOCUMENTS]:
        got = read_source(path, _shown(path, source))
        if isinstance(got, DocxError):
            failed.append((_shown(path, source), got))
        else:
            sources.append(got)
    if lang is None and not (root / SETTINGS_FILE).exists():
        lang = _language(sources)  # a new handbook: in the language of the documents
    settings, _ = load_settings(root, lang)
    msgs = Messages(settings.language)
    reviews = [Review(name, Where(), "", msgs.text(exc.msg_id, **exc.args_), error=True) for name, exc in failed]
    if not paths:
        reviews.append(Review(source.name, Where(), "", msgs.text("docx/empty-folder"), error=True))
    roles, depts, old_settings, _, _found = existing_files(root, msgs)
    known_roles = [Known(i, _shown_text(e.data, "title", ""), e.rel.split("/")[1]) for i, e in roles.items()]
    known_depts = [Known(i, _shown_text(e.data, "name", i)) for i, e in depts.items()]

    def line(rel: str, kind: str) -> str:
        return modeline(root, root / rel, kind).removeprefix("# ")

    old = {e.rel: e.text for e in [*roles.values(), *depts.values()]}
    mapped = map_sources(sources, msgs, known_roles, known_depts, department, line, old.get)
    texts = dict(mapped.files)
    if mapped.roles and old_settings is None:
        texts[SETTINGS_FILE] = _settings_text(sources, mapped, msgs, line)
    plan = plan_files(root, source.name, msgs, texts, lang)
    return WordPlan(plan, (*reviews, *mapped.reviews), mapped.roles, len(paths))


def _language(sources: list[Source]) -> Lang:
    """The language of a new handbook: what rolebook's own export says, else Chinese when the fields are."""
    own = next((s.language for s in sources if s.rolebook and s.language), "")
    if own:
        return "zh" if own.lower().startswith("zh") else "en"
    text = "".join(f.text for s in sources for j in s.parsed.jobs for f in j.fields.values())
    cjk = sum("\u4e00" <= ch <= "\u9fff" for ch in text)
    return "zh" if cjk or not text else "en"


def _settings_text(sources: list[Source], mapped: Mapped, msgs: Messages, line: Callable[[str, str], str]) -> str:
    """rolebook.yml for a new handbook: the organisation a rolebook export names, else a placeholder to fill in."""
    org = next((s.subject for s in sources if s.rolebook and s.subject), "")
    data: dict[str, object] = {"organisation": org or Messages(mapped.language).text("docx/organisation-placeholder"), "language": mapped.language}
    if any(j.signatures for s in sources for j in s.parsed.jobs):
        data["signatures"] = True
    if any(s.rolebook and s.paper == "letter" for s in sources):
        data["paper"] = "letter"
    head = [line(SETTINGS_FILE, "settings")]
    if not org:
        head.append(msgs.text("docx/settings-made"))
    return dump_yaml(data, head, SETTINGS_FILE)


def plan_files(root: Path, name: str, msgs: Messages, texts: Mapping[str, str], lang: Lang | None) -> ImportPlan:
    """The plan for writing ``texts`` ({path relative to the handbook: new text}) into the handbook at ``root``:
    the real check on a scratch copy with the files in place, and the changes (new files, files replaced).
    The one place the Word import meets the spreadsheet import's writing."""
    if not texts:
        return ImportPlan(name, msgs, ())
    texts = {**texts, **schema_copies(root, texts)}  # new files' modelines point at the handbook's schema/
    roles, depts, old_settings, sources, found = existing_files(root, msgs)
    unsafe = unsafe_links(root, [*sources, *texts], found, msgs)
    if unsafe:  # a link out of the handbook on the way to a file read or written: refused before anything happens
        return ImportPlan(name, msgs, tuple(sort_problems(unsafe)))
    old = {e.rel: e.text for e in [*roles.values(), *depts.values(), *([old_settings] if old_settings else [])]}
    result = check_copy(root, sources, texts, set(), lang, msgs)
    mine = set(texts)
    problems = [p for p in result.problems if p.severity == "error" or p.path not in mine]
    changes: list[Change] = []
    unchanged = 0
    for rel in sorted(texts):
        before = old.get(rel)
        if before is None and (root / rel).exists():
            before = _read(root / rel)
        if before == texts[rel]:
            unchanged += 1
        else:
            changes.append(Change(rel, before, texts[rel]))
    return ImportPlan(name, msgs, tuple(sort_problems(problems)), tuple(changes), unchanged, result.files_checked)


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return ""


def _shown_text(data: object, key: str, default: str) -> str:
    """A file's title or name as text to match against (the main language's of one given per language)."""
    value = data.get(key, default) if isinstance(data, dict) else default
    return (main_text(value) or default) if is_per_language(value) else str(value)
