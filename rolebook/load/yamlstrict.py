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
    quoted: set[Path] = field(default_factory=set)  # values written in quotes ('15', "true"): text however they look

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


_PLAIN: dict[str, Any] = {
    "": None,
    "~": None,
    "null": None,
    "Null": None,
    "NULL": None,
    "true": True,
    "True": True,
    "TRUE": True,
    "false": False,
    "False": False,
    "FALSE": False,
}
_NUMBER_START = frozenset("-+.0123456789")


def _resolve_plain(value: str) -> Any:
    if value in _PLAIN:
        return _PLAIN[value]
    if value[0] in _NUMBER_START:
        if _INT.fullmatch(value):
            return int(value)
        if _FLOAT.fullmatch(value):
            return float(value)
    return value


def _mark(m: Any) -> Pos:
    return (m.line + 1, m.column + 1)


_Scalar = yaml.ScalarEvent
_MapStart = yaml.MappingStartEvent
_SeqStart = yaml.SequenceStartEvent
_MapEnd = yaml.MappingEndEvent
_SeqEnd = yaml.SequenceEndEvent
_DocStart = yaml.DocumentStartEvent
_StreamEnd = yaml.StreamEndEvent
_Alias = yaml.AliasEvent
_STR_TAG = _STD + "str"
_QUOTES = ("'", '"')


def _build(text: str, positions: bool = True) -> Document:
    """The one builder: with ``positions`` it also records where every value and key was.

    Without positions (the fast path, used when a file is most likely fine) it builds the
    same data (see _data); a caller that meets an error should build again with positions,
    which reports the same problem with all its details (e.g. both lines of a duplicate key).
    """
    if not positions:
        return Document(_data(text))
    doc = Document(None)
    # Stack entries: [container, path, pending_key, key_pos, first_lines, is_mapping]
    stack: list[list[Any]] = []
    top: list[Any] | None = None
    root_set = False
    documents = 0
    nodes = 0

    loader = _Loader(text)
    get = loader.get_event
    try:
        while True:
            ev: Any = get()
            cls = ev.__class__
            if cls is _Scalar or cls is _MapStart or cls is _SeqStart:
                if ev.anchor is not None:
                    raise YamlError("yaml-alias", _mark(ev.start_mark))
                nodes += 1
                if nodes > MAX_NODES:
                    raise YamlError("too-many-nodes", _mark(ev.start_mark), limit=MAX_NODES)
                tag = ev.tag
                if tag is not None and tag != "!" and tag not in _ALLOWED_TAGS:
                    raise YamlError("yaml-tag", _mark(ev.start_mark), tag=tag)
                value: Any
                if cls is _Scalar:
                    value = ev.value if tag == _STR_TAG or tag == "!" or ev.style else _resolve_plain(ev.value)
                    opens = False
                else:
                    if len(stack) >= MAX_DEPTH:
                        raise YamlError("too-deep", _mark(ev.start_mark), limit=MAX_DEPTH)
                    if top is not None and top[5] and top[2] is None:
                        raise YamlError("bad-key", _mark(ev.start_mark))
                    value = {} if cls is _MapStart else []
                    opens = True
                path: Path = ()
                if top is None:  # the root
                    doc.data = value
                    root_set = True
                    if positions:
                        doc.values[()] = _mark(ev.start_mark)
                else:
                    placed = _place(doc, top, value, ev, positions)
                    if placed is None:  # a mapping's key: its value comes next
                        continue
                    path = placed
                if positions and cls is _Scalar and ev.style in _QUOTES:
                    doc.quoted.add(path)
                if opens:
                    top = [value, path, None, None, {}, cls is _MapStart]
                    stack.append(top)
            elif cls is _MapEnd or cls is _SeqEnd:
                stack.pop()
                top = stack[-1] if stack else None
            elif cls is _DocStart:
                documents += 1
                if documents > 1:
                    raise YamlError("multi-document", _mark(ev.start_mark))
            elif cls is _Alias:
                raise YamlError("yaml-alias", _mark(ev.start_mark))
            elif ev is None or cls is _StreamEnd:
                break
    except yaml.MarkedYAMLError as exc:
        raise _syntax_error(exc, text) from None
    except yaml.YAMLError as exc:  # reader errors (control characters) and the like
        raise YamlError("yaml-syntax", (1, 1), detail=str(exc).splitlines()[0]) from None
    finally:
        loader.dispose()
    if not root_set:
        raise YamlError("empty-file", (1, 1))
    return doc


_NO_ROOT = object()


def _data(text: str) -> Any:
    """``_build`` without positions: the same data, and a YamlError in exactly the same cases
    (not always the same one: the caller builds again with positions to say which).

    Three quarters of a cold ``check`` is reading YAML; this loop (_read_data) keeps the open
    container, whether it is a mapping and its pending key in locals instead of a list per
    container, and records nothing but the data.
    """
    loader = _Loader(text)
    try:
        root = _read_data(loader.get_event)
    except yaml.MarkedYAMLError as exc:
        raise _syntax_error(exc, text) from None
    except yaml.YAMLError as exc:  # reader errors (control characters) and the like
        raise YamlError("yaml-syntax", (1, 1), detail=str(exc).splitlines()[0]) from None
    finally:
        loader.dispose()
    if root is _NO_ROOT:
        raise YamlError("empty-file", (1, 1))
    return root


def _read_data(get: Any) -> Any:
    stack: list[tuple[Any, bool, Any]] = []  # the enclosing containers: (container, is_mapping, pending key)
    cur: Any = None  # the open container (None: the root is next)
    is_map = False
    key: Any = None  # a mapping's key whose value comes next
    root: Any = _NO_ROOT
    documents = nodes = 0
    while True:
        ev: Any = get()
        cls = ev.__class__
        if cls is _Scalar or cls is _MapStart or cls is _SeqStart:
            if ev.anchor is not None:
                raise YamlError("yaml-alias", _mark(ev.start_mark))
            nodes += 1
            if nodes > MAX_NODES:
                raise YamlError("too-many-nodes", _mark(ev.start_mark), limit=MAX_NODES)
            tag = ev.tag
            if tag is not None and tag != "!" and tag not in _ALLOWED_TAGS:
                raise YamlError("yaml-tag", _mark(ev.start_mark), tag=tag)
            value: Any
            if cls is _Scalar:
                value = ev.value
                if ev.style or tag == _STR_TAG or tag == "!":
                    pass
                elif value in _PLAIN:
                    value = _PLAIN[value]
                elif value[0] in _NUMBER_START:  # (not ""; that is in _PLAIN)
                    value = _resolve_plain(value)
                if cur is None:
                    root = value
                elif not is_map:
                    cur.append(value)
                elif key is None:
                    if value.__class__ is not str or value in cur:
                        raise YamlError("bad-key", _mark(ev.start_mark))
                    key = value
                else:
                    cur[key] = value
                    key = None
                continue
            if len(stack) >= MAX_DEPTH:
                raise YamlError("too-deep", _mark(ev.start_mark), limit=MAX_DEPTH)
            value = {} if cls is _MapStart else []
            if cur is None:
                root = value
            elif not is_map:
                cur.append(value)
            elif key is None:
                raise YamlError("bad-key", _mark(ev.start_mark))
            else:
                cur[key] = value
            stack.append((cur, is_map, None))
            cur, is_map, key = value, cls is _MapStart, None
        elif cls is _MapEnd or cls is _SeqEnd:
            cur, is_map, key = stack.pop()
        elif cls is _DocStart:
            documents += 1
            if documents > 1:
                raise YamlError("multi-document", _mark(ev.start_mark))
        elif cls is _Alias:
            raise YamlError("yaml-alias", _mark(ev.start_mark))
        elif ev is None or cls is _StreamEnd:
            return root


def _place(doc: Document, top: list[Any], value: Any, ev: Any, positions: bool) -> Path | None:
    """Put ``value`` into the open container ``top`` (an item of a list, a key or a value of a mapping);
    its path, or None when it is a mapping's key (held in ``top`` until its value comes)."""
    path: Path = ()
    if not top[5]:
        container = top[0]
        if positions:
            path = (*top[1], len(container))
            doc.values[path] = _mark(ev.start_mark)
        container.append(value)
    elif top[2] is None:
        if value.__class__ is not str:
            raise YamlError("bad-key", _mark(ev.start_mark))
        if value in top[0] or value in top[4]:
            raise YamlError("duplicate-key", _mark(ev.start_mark), "duplicate-key", key=value, first=top[4].get(value, 0))
        top[2] = value
        top[3] = ev.start_mark
        return None
    else:
        key = top[2]
        top[0][key] = value
        if positions:
            key_pos = _mark(top[3])
            top[4][key] = key_pos[0]
            path = (*top[1], key)
            doc.keys[path] = key_pos
            doc.values[path] = _mark(ev.start_mark)
        else:
            top[4][key] = 0
        top[2] = None
    return path


def _syntax_error(exc: yaml.MarkedYAMLError, text: str) -> YamlError:
    """PyYAML's syntax error as rolebook reports it: where, and what (a tab in the indentation said as such)."""
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
        return YamlError("yaml-syntax/tab", pos, "yaml-syntax/tab")
    return YamlError("yaml-syntax", pos, detail=detail)


# A key typed with a full-width colon, as a Chinese input method types it ("title：物业助理"): at the
# start of a line (after its indentation and any "- "), a key, then '：' before any ':'.
_FULLWIDTH_KEY = re.compile(r"([ \t]*(?:-[ \t]+)?)([^\s:：#'\"\[\]{},&*!|>%@`-][^:：#]*?)[ \t]*：[ \t]*")
_NEXT_FULLWIDTH_KEY = re.compile(r"\s+[^\s:：#]+[ \t]*：")
_LINE_BREAK = re.compile("\r\n|[\n\r\x85\u2028\u2029]")  # as YAML counts lines
_MAX_REPAIRS = 30  # lines tried; and only in a file of at most
_MAX_REPAIR_CHARS = 200_000  # characters: it is parsed once per line tried


def fullwidth_key(text: str) -> tuple[int, str, str] | None:
    """(index of the '：', the key, the text as it should be written) when ``text`` starts with a key
    followed by a full-width colon, else None. In a line folded into one text with the next ones
    ("education：大专以上 experience：三年以上"), the fix shown stops before the next such key."""
    m = _FULLWIDTH_KEY.match(text)
    if m is None:
        return None
    rest = text[m.end() :]
    following = _NEXT_FULLWIDTH_KEY.search(rest)
    if following is not None:
        rest = rest[: following.start()]
    fixed = f"{m.group(1)}{m.group(2)}:" + (f" {rest.rstrip()}" if rest.strip() else "")
    return text.index("：", m.end(2)), m.group(2), fixed.strip()


def _fullwidth_colons(text: str, last_line: int) -> tuple[Pos, str, str, list[int]] | None:
    """When keys typed with full-width colons are why the file cannot be read (a YAML error on
    ``last_line``, or the whole file read as one text): the first such colon's position, its key,
    its line as it should be, and the other lines that need the same fix; None when half-width
    colons would not make it a readable file of 'key: value' lines.

    The lines are fixed one at a time, from the error upwards, until the file reads; a line that
    merely holds a '：' in its text ("- 前台：接待") is not blamed unless fixing it was needed."""
    if "：" not in text or len(text) > _MAX_REPAIR_CHARS:
        return None
    lines = _LINE_BREAK.split(text)
    candidates = [i for i in range(min(last_line, len(lines))) if fullwidth_key(lines[i])]
    fixed = list(lines)
    used: list[int] = []
    for i in reversed(candidates[-_MAX_REPAIRS:]):
        found = fullwidth_key(lines[i])
        assert found is not None
        at = found[0]
        after = lines[i][at + 1 :]
        fixed[i] = lines[i][:at].rstrip(" \t") + ":" + (" " + after.lstrip(" \t") if after.strip() else "")
        used.append(i)
        try:
            repaired = _build("\n".join(fixed), False)
        except YamlError:
            continue
        if isinstance(repaired.data, dict):
            first = min(used)
            found = fullwidth_key(lines[first])
            assert found is not None
            return (first + 1, found[0] + 1), found[1], found[2], sorted(n + 1 for n in used if n != first)
    return None


def _fullwidth_problem(text: str, last_line: int, path: str, msgs: Messages) -> Problem | None:
    found = _fullwidth_colons(text, last_line)
    if found is None:
        return None
    (line, col), key, fixed, others = found
    hint = msgs.hint("yaml-syntax/fullwidth-colon", fixed=fixed)
    if others:
        hint += msgs.hint("yaml-syntax/fullwidth-colon-more", lines=msgs.join([str(n) for n in others]), s="s" if len(others) > 1 else "")
    return Problem(path, line, col, "error", "yaml-syntax", msgs.text("yaml-syntax/fullwidth-colon", key=key), hint)


def parse_yaml(text: str, path: str, msgs: Messages, *, positions: bool = True) -> Document | Problem:
    """Parse ``text``; return the document or the one problem that stopped it.

    ``positions=False`` is the fast path: the same data, but ``values``/``keys`` stay empty
    (re-parse with positions when a problem must point into the file). Problems are the same
    either way: on any error the file is parsed again with positions to report it.
    """
    try:
        try:
            doc = _build(text, positions)
        except YamlError:
            if positions:
                raise
            doc = _build(text, True)
    except YamlError as e:
        if e.key == "yaml-syntax":  # title：物业助理 (a full-width colon) reads as text, then breaks the file
            fullwidth = _fullwidth_problem(text, e.pos[0], path, msgs)
            if fullwidth is not None:
                return fullwidth
        args = dict(e.args_)
        hint = msgs.hint(e.hint_key, **args) if e.hint_key else ""
        return Problem(path, e.pos[0], e.pos[1], "error", e.key.split("/")[0], msgs.text(e.key, **args), hint)
    except RecursionError:  # pragma: no cover - the builder is iterative; belt and braces
        return Problem(path, 1, 1, "error", "too-deep", msgs.text("too-deep", limit=MAX_DEPTH))
    if doc.data is None:
        return Problem(path, 1, 1, "error", "empty-file", msgs.text("empty-file"))
    if isinstance(doc.data, str):  # a file of "name：客服部" lines reads as one text
        fullwidth = _fullwidth_problem(text, len(text), path, msgs)
        if fullwidth is not None:
            return fullwidth
    if not isinstance(doc.data, dict):
        kind = msgs.type_word("array" if isinstance(doc.data, list) else "string")
        return Problem(path, 1, 1, "error", "not-a-mapping", msgs.text("not-a-mapping", kind=kind))
    return doc
