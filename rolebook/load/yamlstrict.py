"""A strict YAML reader: one document, plain data, positions for every value.

PyYAML is used only as a parser (its libyaml-backed C parser where available);
we build the data ourselves from the event stream, so that:

* duplicate keys are reported, naming both lines;
* only ``true``/``false`` are booleans, only plain decimal numbers are numbers,
  ``null``/``~``/nothing is null: ``no``, ``010``, ``12:30`` and ``2006-06-01``
  stay text, as yaml-language-server (YAML 1.2 core schema) reads them;
* anchors/aliases, custom tags and several documents are refused, so nothing
  can be constructed but plain data and an alias bomb cannot expand;
* depth and size are bounded, and the builder is iterative (no recursion).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from rolebook.i18n import Messages
from rolebook.problems import Problem

try:  # pragma: no cover - depends on how PyYAML was built
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

MAX_DEPTH = 40
MAX_NODES = 200_000

Path = tuple[str | int, ...]
Pos = tuple[int, int]

_INT = re.compile(r"[-+]?(0|[1-9][0-9]*)")
_FLOAT = re.compile(r"[-+]?([0-9]+\.[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?")
_STD = "tag:yaml.org,2002:"
_ALLOWED_TAGS = {_STD + t for t in ("str", "int", "float", "bool", "null", "map", "seq")}


@dataclass
class Document:
    """Parsed data plus where each value (and each mapping key) was written."""

    data: Any
    values: dict[Path, Pos] = field(default_factory=dict)
    keys: dict[Path, Pos] = field(default_factory=dict)

    def pos(self, path: Path, *, key: bool = False) -> Pos:
        """Position of the value at ``path`` (or its key); falls back to the nearest parent."""
        table = self.keys if key else self.values
        p = tuple(path)
        while p:
            if p in table:
                return table[p]
            if not key and p in self.keys:
                return self.keys[p]
            p = p[:-1]
        return self.values.get((), (1, 1))


class YamlError(Exception):
    def __init__(self, msg_key: str, pos: Pos, hint_key: str = "", **args: Any) -> None:
        super().__init__(msg_key)
        self.key = msg_key
        self.pos = pos
        self.hint_key = hint_key
        self.args_ = args


def _resolve_plain(value: str) -> Any:
    if value in ("", "~", "null", "Null", "NULL"):
        return None
    if value in ("true", "True", "TRUE"):
        return True
    if value in ("false", "False", "FALSE"):
        return False
    if _INT.fullmatch(value):
        return int(value)
    if _FLOAT.fullmatch(value):
        return float(value)
    return value


def _mark(m: Any) -> Pos:
    return (m.line + 1, m.column + 1)


def _build(text: str) -> Document:
    doc = Document(None)
    # Stack entries: [container, path, pending_key, key_pos, first_lines]
    stack: list[list[Any]] = []
    root_set = False
    documents = 0
    nodes = 0

    def place(value: Any, pos: Pos) -> Path:
        nonlocal root_set
        if not stack:
            doc.data = value
            root_set = True
            doc.values[()] = pos
            return ()
        top = stack[-1]
        container = top[0]
        path: Path = top[1]
        if isinstance(container, list):
            p = (*path, len(container))
            container.append(value)
            doc.values[p] = pos
            return p
        # mapping: either this is a key or a value
        if top[2] is None:
            if not isinstance(value, str):
                raise YamlError("bad-key", pos)
            if value in container or value in top[4]:
                raise YamlError("duplicate-key", pos, "duplicate-key", key=value, first=top[4][value])
            top[2] = value
            top[3] = pos
            return path
        key = top[2]
        p = (*path, key)
        container[key] = value
        top[4][key] = top[3][0]
        doc.keys[p] = top[3]
        doc.values[p] = pos
        top[2] = None
        return p

    loader = _Loader(text)
    try:
        while loader.check_event():
            ev = loader.get_event()
            if isinstance(ev, yaml.DocumentStartEvent):
                documents += 1
                if documents > 1:
                    raise YamlError("multi-document", _mark(ev.start_mark))
                continue
            if isinstance(ev, yaml.AliasEvent):
                raise YamlError("yaml-alias", _mark(ev.start_mark))
            if isinstance(ev, (yaml.ScalarEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                if ev.anchor is not None:
                    raise YamlError("yaml-alias", _mark(ev.start_mark))
                nodes += 1
                if nodes > MAX_NODES:
                    raise YamlError("too-many-nodes", _mark(ev.start_mark), limit=MAX_NODES)
                tag = ev.tag
                if tag is not None and tag != "!" and tag not in _ALLOWED_TAGS:
                    raise YamlError("yaml-tag", _mark(ev.start_mark), tag=tag)
            if isinstance(ev, yaml.ScalarEvent):
                pos = _mark(ev.start_mark)
                if ev.tag == _STD + "str" or ev.style not in (None, "") or ev.tag == "!":
                    value: Any = ev.value
                else:
                    value = _resolve_plain(ev.value)
                place(value, pos)
            elif isinstance(ev, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                pos = _mark(ev.start_mark)
                if len(stack) >= MAX_DEPTH:
                    raise YamlError("too-deep", pos, limit=MAX_DEPTH)
                container: Any = {} if isinstance(ev, yaml.MappingStartEvent) else []
                is_key = bool(stack) and isinstance(stack[-1][0], dict) and stack[-1][2] is None
                if is_key:
                    raise YamlError("bad-key", pos)
                path = place(container, pos)
                stack.append([container, path, None, None, {}])
            elif isinstance(ev, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                stack.pop()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        pos = _mark(mark) if mark is not None else (1, 1)
        detail = exc.problem or ""
        if exc.context and exc.context_mark is not None and exc.context_mark is not mark:
            cl, cc = _mark(exc.context_mark)
            detail += f" ({exc.context}, which starts at line {cl}, column {cc})"
        elif exc.context:
            detail = f"{exc.context}: {detail}"
        lines = text.splitlines()
        line_text = lines[pos[0] - 1] if 0 < pos[0] <= len(lines) else ""
        if "\t" in line_text[: pos[1]]:
            raise YamlError("yaml-syntax/tab", pos, "yaml-syntax/tab") from None
        raise YamlError("yaml-syntax", pos, detail=detail) from None
    except yaml.YAMLError as exc:  # reader errors (control characters) and the like
        raise YamlError("yaml-syntax", (1, 1), detail=str(exc).splitlines()[0]) from None
    finally:
        loader.dispose()
    if not root_set:
        raise YamlError("empty-file", (1, 1))
    return doc


def parse_yaml(text: str, path: str, msgs: Messages) -> Document | Problem:
    """Parse ``text``; return the document or the one problem that stopped it."""
    try:
        doc = _build(text)
    except YamlError as e:
        args = dict(e.args_)
        hint = msgs.hint(e.hint_key, **args) if e.hint_key else ""
        return Problem(path, e.pos[0], e.pos[1], "error", e.key.split("/")[0], msgs.text(e.key, **args), hint)
    except RecursionError:  # pragma: no cover - the builder is iterative; belt and braces
        return Problem(path, 1, 1, "error", "too-deep", msgs.text("too-deep", limit=MAX_DEPTH))
    if doc.data is None:
        return Problem(path, 1, 1, "error", "empty-file", msgs.text("empty-file"))
    if not isinstance(doc.data, dict):
        kind = msgs.type_word("array" if isinstance(doc.data, list) else "string")
        return Problem(path, 1, 1, "error", "not-a-mapping", msgs.text("not-a-mapping", kind=kind))
    return doc
