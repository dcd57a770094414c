"""load → check → model: the one entry point every command and the MkDocs plugin use."""

from __future__ import annotations

import hashlib
import marshal
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path

from rolebook.check.context import CheckContext, ParsedFile, summarise
from rolebook.check.handbook import CHECKS, FILE_CHECKS
from rolebook.check.schema import SCHEMA_DIR, is_valid, schema_problems
from rolebook.i18n import LANGS, Lang, Messages
from rolebook.load.cache import ParseCache, salt
from rolebook.load.files import SETTINGS_FILE, SourceFile, discover, read_text
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

DEFAULT_LANG: Lang = "zh"


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
    msgs = Messages(lang or (wanted if wanted in LANGS else DEFAULT_LANG))
    problems = schema_problems("settings", doc, SETTINGS_FILE, msgs)
    if problems:
        return Settings(default.organisation, msgs.lang), problems
    d = doc.data
    return Settings(d["organisation"], lang or d["language"], d.get("logo"), bool(d.get("signatures", False))), []


def _parse(root: Path, src: SourceFile, msgs: Messages, cache: ParseCache) -> tuple[ParsedFile | None, list[Problem]]:
    """Read, parse, validate and run the one-file checks; a cache hit skips all of it."""
    text = read_text(root, src.rel, msgs)
    if isinstance(text, Problem):
        return None, [text]
    digest = hashlib.sha256(f"{src.kind}\0{text}".encode()).hexdigest()
    hit, entry = cache.get(digest)
    if hit and _entry_ok(entry):
        summary, blob, local_count = entry
        f = ParsedFile(src, text, digest, summary=summary, blob=blob)
        return f, _file_checks(f, msgs) if local_count else []
    doc = parse_yaml(text, src.rel, msgs)
    if isinstance(doc, Problem):
        return None, [doc]
    if is_valid(src.kind, doc.data):
        f = ParsedFile(src, text, digest, (), doc)
        local = _file_checks(f, msgs)
        cache.put(digest, (summarise(doc.data), marshal.dumps(doc.data), len(local)))
        return f, local
    f = ParsedFile(src, text, digest, tuple(schema_problems(src.kind, doc, src.rel, msgs)), doc)
    return f, [*f.schema_problems, *_file_checks(f, msgs)]


def _entry_ok(entry: object) -> bool:
    return isinstance(entry, tuple) and len(entry) == 3 and isinstance(entry[0], dict) and isinstance(entry[1], bytes) and isinstance(entry[2], int)


def _file_checks(f: ParsedFile, msgs: Messages) -> list[Problem]:
    return [p for chk in FILE_CHECKS for p in chk(f, msgs)]


def check_handbook(root: Path, lang: Lang | None = None, *, use_cache: bool = True) -> CheckResult:
    """Read and check every file of the handbook at ``root``; build the model if all is well.

    With ``use_cache``, files unchanged since the last run are not parsed again
    (see rolebook/load/cache.py); the cache lives in ``<root>/.rolebook-cache``.
    """
    settings, problems = load_settings(root, lang)
    msgs = Messages(settings.language)
    sources, found = discover(root, msgs)
    problems.extend(found)
    roles: dict[str, ParsedFile] = {}
    depts: dict[str, ParsedFile] = {}
    cache = ParseCache(root if use_cache else None, salt(SCHEMA_DIR))
    for src in sources:
        parsed, found_here = _parse(root, src, msgs, cache)
        problems.extend(found_here)
        if parsed is None:
            continue
        if src.kind == "role":
            roles.setdefault(src.ident, parsed)
        else:
            depts[src.ident] = parsed
    ctx = CheckContext(
        msgs=msgs,
        roles=roles,
        departments=depts,
        role_sources=tuple(s for s in sources if s.kind == "role"),
        dept_folders=frozenset(s.department for s in sources),
        dept_files=frozenset(s.ident for s in sources if s.kind == "department"),
    )
    cache.save()
    for chk in CHECKS:
        problems.extend(chk(ctx))
    ordered = tuple(sort_problems(problems))
    return CheckResult(root, ordered, len(sources) + 1, msgs, settings, ctx)


def build_handbook(root: Path, settings: Settings, ctx: CheckContext) -> Handbook:
    departments = order_departments([build_department(i, f.source.rel, f.data) for i, f in ctx.departments.items()])
    reports: dict[str, list[str]] = {}
    for rid, f in ctx.roles.items():
        sup = f.data.get("reports_to")
        if sup is not None:
            reports.setdefault(sup, []).append(rid)
    draft: list[Role] = [build_role(rid, f.source.department, f.source.rel, f.data, (), f.digest) for rid, f in ctx.roles.items()]
    rank = {r.id: i for i, r in enumerate(order_roles(draft, departments))}
    roles = [replace(r, subordinates=tuple(sorted(reports.get(r.id, []), key=rank.__getitem__))) if r.id in reports else r for r in draft]
    roles.sort(key=lambda r: rank[r.id])
    return Handbook(root, settings, tuple(departments), tuple(roles))


__all__ = ["CheckResult", "Department", "check_handbook", "load_settings"]
