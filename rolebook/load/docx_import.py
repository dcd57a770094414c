"""``import FILE.docx | FILE.doc | FOLDER``: Word job descriptions → a checked plan of role and department files.

Reading (docx_reader) and understanding (docx_parse, docx_map) are this module's helpers; writing
is the spreadsheet import's: ``plan_files`` hands the file texts to the same checked scratch copy,
diff, backup and apply that ``import FILE.xlsx`` uses, so both write the same way.

A ``.doc`` (Word 97–2003) is converted with LibreOffice (``soffice --headless --convert-to docx``)
into a temporary folder first, when LibreOffice is installed; otherwise the message says how to
convert it by hand.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from rolebook.app.importing import check_copy as _check_copy
from rolebook.app.pipeline import load_settings
from rolebook.bilingual import is_per_language, main_text
from rolebook.i18n import Lang, Messages
from rolebook.load.docx_convert import AS_DOCUMENT, CONVERTED, readable
from rolebook.load.docx_map import Known, Mapped, Review, Source, map_sources
from rolebook.load.docx_margins import apply_margins
from rolebook.load.docx_parse import parse_lines
from rolebook.load.docx_reader import DocxError, Where, read_docx
from rolebook.load.files import ROLES_DIR, SETTINGS_FILE
from rolebook.load.import_plan import Change, ImportPlan
from rolebook.load.import_plan import existing_files as _existing
from rolebook.load.import_plan import unsafe_links as _unsafe
from rolebook.load.yamledit import dump_yaml, modeline, schema_copies
from rolebook.problems import Problem, sort_problems

WORD_SUFFIXES = (".docx", *AS_DOCUMENT, *CONVERTED)
MAX_DOCUMENTS = 2_000
ROLEBOOK_MARK = "rolebook"  # the keywords of rolebook's own exports


def is_word_source(path: Path) -> bool:
    """What the Word import reads: a Word document (.docx, .doc, .docm, .dotx, .dotm), a WPS, OpenDocument or RTF
    document (converted), or a folder of them."""
    return path.suffix.lower() in WORD_SUFFIXES or path.is_dir()


@dataclass(frozen=True)
class WordPlan:
    plan: ImportPlan
    reviews: tuple[Review, ...]
    roles: int  # job descriptions read
    documents: int


def documents(source: Path) -> list[Path]:
    """The Word documents ``source`` names: itself, or the documents in a folder and its subfolders,
    in name order; Word's lock files (~$x.docx) and hidden files left out; links never followed."""
    if not source.is_dir():
        return [source]
    found: list[Path] = []
    for folder, dirs, files in os.walk(source):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            path = Path(folder) / name
            if name.startswith(("~$", ".")) or path.suffix.lower() not in WORD_SUFFIXES or path.is_symlink():
                continue
            found.append(path)
            if len(found) > MAX_DOCUMENTS:
                return found
    return found


def read_source(path: Path, shown: str) -> Source | DocxError:
    try:
        with tempfile.TemporaryDirectory(prefix="rolebook-doc-") as tmp:
            text = read_docx(readable(path, Path(tmp)))
    except DocxError as exc:
        return exc
    except OSError as exc:
        return DocxError("docx/unreadable", detail=exc.strerror or type(exc).__name__)
    mark = ROLEBOOK_MARK in text.keywords.split()
    parsed = parse_lines(text.lines, own=mark)
    if not mark:  # rolebook's own export repeats in its headers what the body says
        parsed = apply_margins(parsed, text.margins)
    return Source(shown, parsed, mark, text.subject, text.language, text.paper)


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
    roles, depts, old_settings, _, _found = _existing(root, msgs)
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
    data: dict[str, object] = {"organisation": org or ("（待填写）" if mapped.language == "zh" else "(to fill in)"), "language": mapped.language}
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
    roles, depts, old_settings, sources, found = _existing(root, msgs)
    unsafe = _unsafe(root, [*sources, *texts], found, msgs)
    if unsafe:  # a link out of the handbook on the way to a file read or written: refused before anything happens
        return ImportPlan(name, msgs, tuple(sort_problems(unsafe)))
    old = {e.rel: e.text for e in [*roles.values(), *depts.values(), *([old_settings] if old_settings else [])]}
    result = _check_copy(root, sources, texts, set(), lang, msgs)
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


__all__ = ["ROLES_DIR", "Problem", "WordPlan", "is_word_source", "plan_files", "plan_word"]


def _shown_text(data: object, key: str, default: str) -> str:
    """A file's title or name as text to match against (the main language's of one given per language)."""
    value = data.get(key, default) if isinstance(data, dict) else default
    return (main_text(value) or default) if is_per_language(value) else str(value)
