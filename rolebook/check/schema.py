"""Schema check: every schema error of a file, in plain words, at its line."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from rolebook.bilingual import half
from rolebook.check.registry import Code
from rolebook.check.suggest import boolean_hint, choice_hint, date_hint, fullwidth_colon_hint, number_hint
from rolebook.i18n import LANGS, Messages
from rolebook.load.yamlstrict import Document
from rolebook.problems import Problem
from rolebook.resources import SCHEMA_DIR

if TYPE_CHECKING:  # jsonschema is imported when a file fails the schema: a warm check never needs it
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import ValidationError


CODES: tuple[Code, ...] = tuple(
    Code(c, "error", d)
    for c, d in (
        (
            "unknown-key",
            "A key that the schema does not know — usually a typo. The message suggests the nearest valid key (`dutys` → `duties`).\n\n未知的键，通常是拼写错误；信息会给出最接近的正确写法。",
        ),
        ("missing-key", "A required field is missing, e.g. `title` or a duty's `duty`.\n\n缺少必填项，例如 `title`。"),
        (
            "wrong-type",
            "A value of the wrong kind: a list where text is expected, text where a number is expected (`headcount: three`).\n\n值的类型不对，例如应当写数字的地方写了文字。",
        ),
        (
            "invalid-value",
            "A value outside what is allowed: a status other than draft/approved, a date not written YYYY-MM-DD, a percentage over 100, a headcount below 1, an id with capitals or spaces.\n\n值不在允许的范围内：状态、日期格式、百分比、人数、标识写法等。",
        ),
        ("blank-text", "A text field that is empty or only spaces.\n\n文字项是空白的。"),
        (
            "text-too-long",
            "A text longer than its field allows: 2,000 characters (a long paragraph; an id in `reports_to`, `parent` or `subordinates`: 64). That is what every output can take — the org charts (Graphviz takes at most 16 KB in one text), the spreadsheet's cells, the PDFs' headers and bookmarks — and far more than a handbook needs. The editor shows each field's bound.\n\n文字超过了这一项允许的长度：2000 个字符（很长的一段话；`reports_to`、`parent`、`subordinates` 里的标识：64 个）。这是所有输出都能容纳的长度（组织架构图的 Graphviz 一段文字最多 16 KB，还有电子表格的单元格、PDF 的页眉和书签），手册也远远用不到。编辑器里会显示每一项的上限。",
        ),
        ("too-few-items", "A list that must have at least one entry is empty.\n\n至少要有一项的列表是空的。"),
        (
            "bad-item",
            "An entry of `summary` or `duties` that is neither a plain entry nor a named group.\n\n`summary` 或 `duties` 里的某一项既不是普通条目，也不是分组。",
        ),
    )
)


@cache
def load_schema(name: str) -> dict[str, Any]:
    with open(SCHEMA_DIR / f"{name}.schema.json", encoding="utf-8") as fh:
        schema: dict[str, Any] = json.load(fh)
    return schema


@cache
def validator(name: str) -> Draft202012Validator:
    from jsonschema import Draft202012Validator

    return Draft202012Validator(load_schema(name))


@cache
def _fast(name: str) -> Callable[[Any], bool]:
    """jsonschema-rs (compiled, ~50x faster) answers valid/invalid; jsonschema explains why."""
    try:
        import jsonschema_rs
    except ImportError:  # pragma: no cover - it is a dependency; stay correct without it
        return validator(name).is_valid
    fast = jsonschema_rs.validator_for(load_schema(name))
    return fast.is_valid


def is_valid(name: str, data: Any) -> bool:
    return _fast(name)(data)


def _title(schema: Any, msgs: Messages) -> str:
    if isinstance(schema, dict):
        if "$ref" in schema and "title" not in schema:
            return ""
        t = schema.get("title")
        if isinstance(t, str):
            return half(t, msgs.lang)
    return ""


def _what(err: ValidationError, msgs: Messages) -> str:
    path = list(err.absolute_path)
    key = next((p for p in reversed(path) if isinstance(p, str)), None)
    title = _title(err.schema, msgs)
    if key is None:
        return msgs.quote(title) if title else msgs.quote("/")
    if title and title != key:
        return f"{msgs.quote(key)}（{title}）" if msgs.lang == "zh" else f"{msgs.quote(key)} ({title})"
    return msgs.quote(key)


def _json_type(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    return "null"


def _is_reference(path: tuple[str | int, ...]) -> bool:
    """reports_to, parent and subordinates hold ids that the handbook checks resolve."""
    return bool(path) and (path[-1] in ("reports_to", "parent") or (len(path) >= 2 and path[-2] == "subordinates"))


def _pick_branch(err: ValidationError) -> list[ValidationError] | None:
    """For oneOf/anyOf: the sub-errors of the branch the author most likely meant."""
    branches: dict[int, list[ValidationError]] = {}
    for sub in err.context or ():
        branches.setdefault(int(sub.schema_path[0]), []).append(sub)
    candidates = []
    for idx, subs in branches.items():
        if any(s.validator == "type" and not s.relative_path for s in subs):
            continue  # wrong kind of thing altogether
        # fewest errors about the item's own shape (keys missing or unknown), then fewest in all:
        # a named group whose name is too long is a group with one bad value, not a duty with two wrong keys
        candidates.append((sum(not s.relative_path for s in subs), len(subs), idx, subs))
    if not candidates:
        return None
    candidates.sort(key=lambda c: c[:3])
    return candidates[0][3]


def _is_per_language_pair(schema: dict[str, Any]) -> bool:
    """A value written plainly or per language: ``oneOf`` [the plain form, ``{zh: …, en: …}``]."""
    branches = schema.get("oneOf")
    if not isinstance(branches, list) or len(branches) != 2 or not isinstance(branches[1], dict):
        return False
    return set(branches[1].get("properties", {})) == set(LANGS)


def _is_date(schema: dict[str, Any]) -> bool:
    return "[0-9]{4}" in str(schema.get("pattern", ""))


def _type_hint(exp: str, inst: Any, path: tuple[str | int, ...], schema: dict[str, Any], doc: Document, msgs: Messages) -> str:
    """What to write instead, for a value of the wrong type typed the way people write it."""
    if exp == "boolean":  # yes, no, on, off, 'true', 1, 是 …
        return boolean_hint(inst, msgs, quoted=path in doc.quoted)
    if exp == "integer":  # '15', 010, 1_000, 1,000, １５, 15%, 3人; a percentage written 0.4
        return number_hint(inst, msgs, quoted=path in doc.quoted, percent=bool(path) and path[-1] == "percent")
    if exp == "object":  # "education：大专以上" (a full-width colon) read as text
        return fullwidth_colon_hint(inst, msgs)
    if exp == "string" and _is_date(schema):  # 20060601 or 2006 (read as numbers)
        return date_hint(inst, msgs, example=True)
    if exp == "string" and isinstance(inst, (int, float, bool)):
        # 2006, 1.0 or true typed where text is expected: say how to write it as text
        text = ("true" if inst else "false") if isinstance(inst, bool) else inst
        return msgs.hint("wrong-type/quote", text=text)
    return ""


@dataclass(frozen=True)
class _Say:
    """Problems of one schema error: in one file, at the error's place unless told another."""

    rel: str
    at: tuple[int, int]
    msgs: Messages

    def __call__(self, code: str, msg_id: str, *, at: tuple[int, int] | None = None, hint: str = "", **args: Any) -> Problem:
        line, col = at or self.at
        return Problem(self.rel, line, col, "error", code, self.msgs.text(msg_id, **args), hint)


def _translate(err: ValidationError, doc: Document, rel: str, msgs: Messages) -> Iterator[Problem]:
    path = tuple(err.absolute_path)
    v = err.validator
    inst = err.instance
    schema: dict[str, Any] = err.schema if isinstance(err.schema, dict) else {}
    vv: Any = err.validator_value
    out = _Say(rel, doc.pos(path), msgs)

    if v == "additionalProperties" and isinstance(inst, dict):
        yield from _unknown_keys(inst, path, schema, doc, out)
    elif v == "required" and isinstance(inst, dict):
        import difflib  # (here: a check that finds no problem does not import it)

        props = schema.get("properties", {})
        unknown = [str(k) for k in inst if k not in props]
        for k in vv:
            if k not in inst and not difflib.get_close_matches(k, unknown, n=1, cutoff=0.6):
                # (a near-miss key is reported once, as "unknown key …; did you mean …")
                label = _title(props.get(k, {}), msgs) or k
                yield out("missing-key", "missing-key", key=k, label=label)
    elif v == "type":
        yield _wrong_type(err, path, schema, doc, out)
    elif v == "maxLength":
        if not _is_reference(path):  # an id that long names no file: the reference checks report it
            yield out("text-too-long", "text-too-long", what=_what(err, msgs), length=len(str(inst)), limit=vv)
    elif v in ("minLength",) or (v == "pattern" and vv == "\\S"):
        yield out("blank-text", "blank-text", what=_what(err, msgs))
    elif v == "pattern":
        yield from _pattern(err, path, out)
    elif v == "enum":
        yield out(
            "invalid-value",
            "invalid-value/enum",
            what=_what(err, msgs),
            allowed=msgs.join([str(x) for x in vv]),
            value=msgs.quote(inst),
            hint=choice_hint(inst, list(vv), msgs),
        )
    elif v in ("minimum", "maximum"):
        yield out("invalid-value", f"invalid-value/{v}", what=_what(err, msgs), limit=vv, value=inst)
    elif v in ("minItems", "minProperties"):  # (minProperties: a text per language with no language, `title: {}`)
        yield out("too-few-items", "too-few-items", what=_what(err, msgs))
    elif v in ("oneOf", "anyOf"):
        subs = _pick_branch(err)
        if subs is None and _is_per_language_pair(schema):
            # neither text nor a mapping of languages (`title: 5`): say what the plain form expects
            subs = [s for s in err.context or () if s.schema_path and s.schema_path[0] == 0]
        if subs is None:
            kind = "duty" if "duty" in json.dumps(schema) else "summary"
            yield out("bad-item", f"bad-item/{kind}", what=_what(err, msgs), hint=fullwidth_colon_hint(inst, msgs))
        else:
            for sub in subs:
                yield from _translate(sub, doc, rel, msgs)
    else:
        yield out("invalid-value", "invalid-value", what=_what(err, msgs), detail=err.message)


def _unknown_keys(inst: dict[str, Any], path: tuple[str | int, ...], schema: dict[str, Any], doc: Document, out: _Say) -> Iterator[Problem]:
    """Each key the schema does not allow here, at the key, with the nearest allowed one or the list of them."""
    msgs = out.msgs
    allowed = list(schema.get("properties", {}))
    for k in inst:
        if k in allowed:
            continue
        at = doc.pos((*path, k), key=True)
        import difflib  # (here: a check that finds no problem does not import it)

        near = difflib.get_close_matches(str(k), allowed, n=1, cutoff=0.6)
        if near:
            yield out("unknown-key", "unknown-key/suggest", at=at, key=k, suggestion=near[0])
        else:
            yield out("unknown-key", "unknown-key", at=at, key=k, hint=msgs.hint("unknown-key/allowed", keys=msgs.join(allowed)))


def _wrong_type(err: ValidationError, path: tuple[str | int, ...], schema: dict[str, Any], doc: Document, out: _Say) -> Problem:
    msgs = out.msgs
    inst = err.instance
    expected: Any = err.validator_value
    exp = expected if isinstance(expected, str) else expected[0]
    actual = _json_type(inst)
    if actual == "boolean":  # true where text is expected: "not 'true'", not "not true or false 'True'"
        actual_text = msgs.quote("true" if inst else "false")
    else:
        actual_text = msgs.type_word(actual) + (f" {msgs.quote(inst)}" if actual in ("string", "integer", "number") else "")
    return out(
        "wrong-type",
        "wrong-type",
        what=_what(err, msgs),
        expected=msgs.type_word(exp),
        actual=actual_text,
        hint=_type_hint(exp, inst, path, schema, doc, msgs),
    )


def _pattern(err: ValidationError, path: tuple[str | int, ...], out: _Say) -> Iterator[Problem]:
    msgs = out.msgs
    inst = err.instance
    vv: Any = err.validator_value
    if "[a-z0-9]" in vv and _is_reference(path):
        return  # the reference checks report it once, with "did you mean"
    if "[a-z0-9]" in vv:
        yield out("invalid-value", "invalid-value/pattern-id", what=_what(err, msgs), value=msgs.quote(inst))
    elif "[0-9]{4}" in vv:
        yield out("invalid-value", "invalid-value/pattern-date", what=_what(err, msgs), value=msgs.quote(inst), hint=date_hint(inst, msgs))
    else:
        yield out("invalid-value", "invalid-value", what=_what(err, msgs), detail=msgs.quote(inst))


def schema_problems(schema_name: str, doc: Document, rel: str, msgs: Messages) -> list[Problem]:
    """All schema errors of one document (not just the first)."""
    problems: list[Problem] = []
    for err in validator(schema_name).iter_errors(doc.data):
        problems.extend(_translate(err, doc, rel, msgs))
    return problems
