"""What ``new`` writes: the file templates of a new role or department, and its document number.

A new file passes ``check`` with only placeholder warnings: every section is there, with a short
comment from the schema's own title and description in the handbook's language.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rolebook.bilingual import half, main_text
from rolebook.check.handbook import comparable_number
from rolebook.check.schema import load_schema
from rolebook.i18n import Lang, Messages
from rolebook.load.files import SourceFile, discover, read_text
from rolebook.load.yamledit import yaml_scalar
from rolebook.load.yamlstrict import parse_yaml
from rolebook.problems import Problem

NUMBER_RE = re.compile(r"^(.*?)([0-9]+)$")


# what the handbook already holds (read leniently: unrelated problems do not matter here)
@dataclass(frozen=True)
class Known:
    roles: dict[str, tuple[SourceFile, dict[str, Any]]]  # id -> (file, data; {} when unreadable)
    departments: dict[str, tuple[SourceFile, dict[str, Any]]]  # departments that have a _department.yaml

    def role_titles(self) -> dict[str, str | None]:
        return {rid: _text(data.get("title")) for rid, (_, data) in self.roles.items()}

    def department_names(self) -> dict[str, str | None]:
        return {did: _text(data.get("name")) for did, (_, data) in self.departments.items()}

    def described_role(self, rid: str) -> str:
        title = self.role_titles().get(rid)
        return f"{rid} ({title})" if title else rid

    def described_department(self, did: str) -> str:
        name = self.department_names().get(did)
        return f"{did} ({name})" if name else did


def _text(value: object) -> str | None:
    return main_text(value)


def scan(root: Path, msgs: Messages) -> Known:
    sources, _ = discover(root, msgs)
    roles: dict[str, tuple[SourceFile, dict[str, Any]]] = {}
    depts: dict[str, tuple[SourceFile, dict[str, Any]]] = {}
    for src in sources:
        text = read_text(root, src.rel, msgs)
        doc = parse_yaml(text, src.rel, msgs) if isinstance(text, str) else text
        data = doc.data if not isinstance(doc, Problem) else {}
        if src.kind == "role":
            roles.setdefault(src.ident, (src, data))
        else:
            depts[src.ident] = (src, data)
    return Known(roles, depts)


def _comment(schema: dict[str, Any], lang: Lang) -> str:
    title = half(str(schema.get("title", "")), lang)
    desc = half(str(schema.get("description", "")), lang)
    for sep in ("：", ": "):
        desc = desc.removeprefix(title + sep)
    return f"# {title}：{desc}" if lang == "zh" else f"# {title}: {desc}"


class _Texts:
    """How a text is written: plainly, or in a handbook of two languages once per language (the
    value given for the main language, the placeholder of each other language)."""

    def __init__(self, lang: Lang, languages: tuple[Lang, ...]) -> None:
        self.todo = Messages(lang).text("new/placeholder")
        self.languages = languages if len(languages) > 1 else ()

    def _todo(self, lang: Lang) -> str:
        return Messages(lang).text("new/placeholder")

    def field(self, indent: str, key: str, value: str | None = None) -> list[str]:
        """``key: value`` (the placeholder when no value is given)."""
        if not self.languages:
            return [f"{indent}{key}: {value if value is not None else self.todo}"]
        main, *others = self.languages
        first = value if value is not None else self._todo(main)
        return [f"{indent}{key}:", f"{indent}  {main}: {first}", *(f"{indent}  {x}: {self._todo(x)}" for x in others)]

    def item(self, indent: str) -> list[str]:
        """A list item to fill in."""
        if not self.languages:
            return [f"{indent}- {self.todo}"]
        main, *others = self.languages
        return [f"{indent}- {main}: {self._todo(main)}", *(f"{indent}  {x}: {self._todo(x)}" for x in others)]


def role_text(lang: Lang, *, head: str, number: str, title: str, reports_to: str | None, languages: tuple[Lang, ...] = ()) -> str:
    """``languages``: the handbook's; with two, every text is written once per language."""
    msgs = Messages(lang)
    todo = msgs.text("new/placeholder")
    t = _Texts(lang, languages)
    s = load_schema("role")
    props = s["properties"]
    defs = s["$defs"]

    def c(key: str, schema: dict[str, Any] | None = None) -> str:
        return _comment(schema or props[key], lang)

    lines = [head, f"# {msgs.text('new/head-role')}"]
    lines += [c("number"), f"number: {yaml_scalar(number)}", c("title"), *t.field("", "title", yaml_scalar(title))]
    if reports_to:
        lines += [c("reports_to"), f"reports_to: {reports_to}"]
    lines += [c("headcount"), "headcount: 1", c("status"), "status: draft"]
    optional = f"# {msgs.text('new/optional')}"
    lines += [c("effective_date"), optional, '# effective_date: "2024-01-01"']
    lines += [c("approver"), optional, f"# approver: {todo}"]
    lines += [c("approval_date"), optional, '# approval_date: "2024-01-01"']
    lines += [c("revision"), optional, '# revision: "1"']
    lines += [c("summary"), "summary:", *t.item("  ")]
    lines += [c("relationships"), f"# {msgs.text('new/percent')}", "relationships:"]
    for side in ("internal", "external"):
        lines += [f"  {c(side, defs[side])}", f"  {side}:", "    percent: 50", "    parties:", *t.item("      ")]
    lines += [c("qualifications"), "qualifications:"]
    for q in ("education", "experience", "abilities", "other"):
        lines += t.field("  ", q)
    lines += [c("duties"), "duties:", *t.field("  - ", "duty")[:1], *_under(t.field("  - ", "duty")[1:], "  - ", "    ")]
    lines += ["    kpis:", *t.item("      ")]
    return "\n".join(lines) + "\n"


def _under(lines: list[str], first: str, rest: str) -> list[str]:
    """Lines written under ``first`` (a list item's dash) re-indented to sit under ``rest``."""
    return [rest + line[len(first) :] if line.startswith(first) else line for line in lines]


def department_text(lang: Lang, *, head: str, name: str, parent: str | None, languages: tuple[Lang, ...] = ()) -> str:
    """``languages``: the handbook's; with two, every text is written once per language."""
    msgs = Messages(lang)
    t = _Texts(lang, languages)
    props = load_schema("department")["properties"]

    def c(key: str) -> str:
        return _comment(props[key], lang)

    lines = [head, f"# {msgs.text('new/head-department')}", c("name"), *t.field("", "name", yaml_scalar(name))]
    if parent:
        lines += [c("parent"), f"parent: {parent}"]
    lines += [c("order"), f"# {msgs.text('new/optional')}", "# order: 1"]
    lines += [c("description"), *t.field("", "description")]
    lines += [c("duties"), "duties:", *t.item("  ")]
    lines += [c("requirements"), "requirements:", *t.item("  ")]
    lines += [c("workflows"), "workflows:", *t.field("  - ", "name")[:1], *_under(t.field("  - ", "name")[1:], "  - ", "    ")]
    lines += ["    steps:", *t.item("      ")]
    return "\n".join(lines) + "\n"


def next_number(known: Known, dept: str) -> str | None:
    """The department's next free document number (客-008 → 客-009) when all its numbers share a prefix."""
    numbers = [d.get("number") for _, (src, d) in sorted(known.roles.items()) if src.department == dept]
    matches = [NUMBER_RE.match(n.strip()) if isinstance(n, str) else None for n in numbers]
    prefixes = Counter(m.group(1) for m in matches if m)
    if not numbers or len(prefixes) != 1 or not all(matches):
        return None
    prefix = next(iter(prefixes))
    used = [m for m in (NUMBER_RE.match(d.get("number", "").strip()) for _, (_, d) in known.roles.items() if isinstance(d.get("number"), str)) if m]
    same = [m for m in used if m.group(1) == prefix]
    width = max(len(m.group(2)) for m in same)
    return f"{prefix}{max(int(m.group(2)) for m in same) + 1:0{width}d}"


def number_taken(known: Known, number: str) -> str | None:
    """The file that already has ``number``, compared as check compares them: look-alikes are the same number."""
    key = comparable_number(number)
    return next((src.rel for _, (src, d) in sorted(known.roles.items()) if isinstance(d.get("number"), str) and comparable_number(d["number"]) == key), None)


def new_number(known: Known, dept: str, rid: str, msgs: Messages) -> str:
    """The number of a new role given none: the department's next free one, else a placeholder unique to
    this role (so two new roles do not clash as duplicate numbers)."""
    return next_number(known, dept) or f"{msgs.text('new/placeholder')}{rid}"
