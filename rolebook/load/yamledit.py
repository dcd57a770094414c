"""Write handbook YAML files the way HR wrote them.

``update_yaml`` changes only the values that differ, in place, through ruamel.yaml's
round-trip mode: comments, key order, quoting and the indentation of everything else
stay as they were. ``dump_yaml`` writes a new file in the sample handbook's style.
Both re-read what they produce with the strict loader and refuse to return text that
would not read back as the intended data, so a file is never written wrong.

``write_atomic`` writes a file as a whole (``safepath.replace_file``), so it is either
the old version or the new one, never half of each.
"""

from __future__ import annotations

import contextlib
import difflib
import io
import itertools
import json
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import CommentMark
from ruamel.yaml.scalarstring import DoubleQuotedScalarString, ScalarString
from ruamel.yaml.tokens import CommentToken

from rolebook.i18n import Messages
from rolebook.load.files import SCHEMA_FOLDER
from rolebook.load.yamlstrict import parse_yaml
from rolebook.problems import Problem
from rolebook.resources import SCHEMA_DIR
from rolebook.safepath import replace_file

BOM = "\ufeff"
# Plain scalars that YAML 1.1 tools (PyYAML, older editors) would not read as text:
# quote them when we write them, although rolebook and YAML 1.2 read them as text.
_YAML11_SPECIAL = re.compile(
    r"(?i:y|n|yes|no|on|off|true|false|null|~)|[-+]?[0-9][0-9_:.,]*([eE][-+]?[0-9]+)?|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}([Tt ].*)?|\.(?i:inf|nan)"
)


class YamlEditError(Exception):
    """The edit would not read back as the intended data (a bug, never HR's fault)."""


@dataclass(frozen=True)
class Style:
    mapping: int = 2
    sequence: int = 4
    offset: int = 2
    crlf: bool = False
    bom: bool = False


_KEY_ONLY = re.compile(r"^( *)(?!- )[^\s#][^#]*:[ \t]*(#.*)?$")
_ITEM = re.compile(r"^( *)- ")
_KEY = re.compile(r"^( *)(?!- )[^\s#][^#]*:( |$)")


def detect_style(text: str) -> Style:
    """The indentation of an existing file: how far nested mappings and '- ' items are indented."""
    crlf = "\r\n" in text
    bom = text.startswith(BOM)
    lines = [ln for ln in text.replace("\r\n", "\n").lstrip(BOM).split("\n") if ln.strip() and not ln.lstrip().startswith("#")]
    mapping, offset = None, None
    for a, b in itertools.pairwise(lines):
        head = _KEY_ONLY.match(a)
        if not head:
            continue
        base = len(head.group(1))
        item = _ITEM.match(b)
        if item and offset is None and len(item.group(1)) >= base:
            offset = len(item.group(1)) - base
        key = _KEY.match(b)
        if key and mapping is None and len(key.group(1)) > base:
            mapping = len(key.group(1)) - base
        if mapping is not None and offset is not None:
            break
    mapping = mapping or 2
    offset = 2 if offset is None else offset
    return Style(mapping, offset + 2, offset, crlf, bom)


def _yaml(style: Style) -> YAML:
    y = YAML(typ="rt")
    y.preserve_quotes = True
    y.width = 1_000_000  # never re-wrap HR's long lines
    y.indent(mapping=style.mapping, sequence=style.sequence, offset=style.offset)
    return y


def plain(value: Any) -> Any:
    """ruamel's round-trip objects as plain dicts, lists, str, int, bool."""
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, bool):
        return bool(value)
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value)
    if isinstance(value, str):
        return str(value)
    return value


def _canon(value: Any) -> str:
    return json.dumps(plain(value), ensure_ascii=False, sort_keys=True)


def _scalar(new: Any) -> Any:
    if isinstance(new, str) and "\n" not in new and _YAML11_SPECIAL.fullmatch(new):
        return DoubleQuotedScalarString(new)
    return new


def _fresh(new: Any) -> Any:
    """Plain data as ruamel objects (block style)."""
    if isinstance(new, Mapping):
        m = CommentedMap()
        for k, v in new.items():
            m[k] = _fresh(v)
        return m
    if isinstance(new, list):
        s = CommentedSeq()
        s.extend(_fresh(v) for v in new)
        return s
    return _scalar(new)


def _same(old: Any, new: Any) -> bool:
    p = plain(old)
    return type(p) is type(new) and p == new


def _merge(old: Any, new: Any) -> Any:
    """The value to keep in place of ``old`` so that it equals ``new``; ``old`` itself when it can be edited in place."""
    if isinstance(old, CommentedMap) and isinstance(new, Mapping):
        _merge_map(old, new)
        return old
    if isinstance(old, CommentedSeq) and isinstance(new, list):
        _merge_seq(old, new)
        return old
    if _same(old, new):
        return old
    if isinstance(old, ScalarString) and isinstance(new, str) and "\n" not in new and type(old) is not ScalarString:
        return type(old)(new)  # keep HR's quoting style
    return _fresh(new)


def _slot(container: Any, key: Any) -> tuple[Any, Any, int] | None:
    """(container, key, slot) of the comment that follows ``container[key]``, at the deepest level it can be."""
    while True:
        slot = 2 if isinstance(container, CommentedMap) else 0
        entry = container.ca.items.get(key)
        if entry and len(entry) > slot and entry[slot] is not None:
            return container, key, slot
        child = container[key]
        if not isinstance(child, (CommentedMap, CommentedSeq)) or not len(child):
            return None
        container, key = child, _last_key(child)


def _last_key(node: Any) -> Any:
    return list(node)[-1] if isinstance(node, CommentedMap) else len(node) - 1


def _detach_after(container: Any, key: Any) -> str | None:
    """Take the whole comment lines that follow ``container[key]`` (they usually introduce what comes next
    in the file), leaving an end-of-line comment where it is."""
    found = _slot(container, key)
    if found is None:
        return None
    cont, k, slot = found
    token = cont.ca.items[k][slot]
    value = str(token.value)
    cut = value.find("\n") + 1
    if cut <= 0 or cut == len(value):
        return None
    head, rest = value[:cut], value[cut:]
    if head.strip():
        token.value = head
    else:
        cont.ca.items[k][slot] = None
    return rest


def _attach_after(container: Any, key: Any, rest: str | None) -> None:
    if rest is None:
        return
    while True:
        child = container[key]
        if isinstance(child, (CommentedMap, CommentedSeq)) and len(child):
            container, key = child, _last_key(child)
            continue
        slot = 2 if isinstance(container, CommentedMap) else 0
        entry = container.ca.items.setdefault(key, [None, None, None, None])
        token = entry[slot]
        if token is not None:  # an end-of-line comment stays first
            token.value = str(token.value).rstrip("\n") + "\n" + rest
        else:
            entry[slot] = CommentToken("\n" + rest, CommentMark(0), None)
        return


def _detach_trailing(node: Any) -> str | None:
    return _detach_after(node, _last_key(node)) if isinstance(node, (CommentedMap, CommentedSeq)) and len(node) else None


def _attach_trailing(node: Any, rest: str | None) -> None:
    if isinstance(node, (CommentedMap, CommentedSeq)) and len(node):
        _attach_after(node, _last_key(node), rest)


def _merge_map(old: CommentedMap, new: Mapping[str, Any]) -> None:
    rest = _detach_trailing(old)
    try:
        _edit_map(old, new)
    finally:
        _attach_trailing(old, rest)


def _edit_map(old: CommentedMap, new: Mapping[str, Any]) -> None:
    for k in [k for k in old if k not in new]:
        _remove(old, k)
    order = list(new)
    for i, k in enumerate(order):
        if k in old:
            _replace(old, k, _merge(old[k], new[k]))
            continue
        before = set(order[:i])
        pos = 0
        for j, existing in enumerate(old):
            if existing in before:
                pos = j + 1
        keys = list(old)
        rest = _detach_after(old, keys[pos - 1]) if pos else None  # comment lines above the next key stay above it
        old.insert(pos, k, _fresh(new[k]))
        _attach_after(old, k, rest)


def _comments_in(node: Any) -> list[tuple[Any, bool]]:
    """Every comment token inside ``node`` (a mapping or sequence), in the order they appear in the file, each with
    whether it stands on lines of its own (the comments before a first entry) or starts at the end of a line."""
    out: list[tuple[Any, bool]] = []
    seen: set[int] = set()

    def add(token: Any) -> None:
        whole = isinstance(token, list)
        for t in token if whole else [token]:
            if t is not None and id(t) not in seen:
                seen.add(id(t))
                out.append((t, whole))

    def walk(n: Any) -> None:
        if not isinstance(n, (CommentedMap, CommentedSeq)):
            return
        for t in n.ca.comment or ():
            add(t)
        mapping = isinstance(n, CommentedMap)
        for key in list(n) if mapping else range(len(n)):
            entry = n.ca.items.get(key) or [None, None, None, None]
            if mapping:
                add(entry[0])
                add(entry[1])
            walk(n[key])
            for t in entry[2:] if mapping else entry:
                add(t)

    walk(node)
    return out


def _as_lines(tokens: list[tuple[Any, bool]], indent: int) -> list[str]:
    """The comment lines of ``tokens``, each a whole line: an end-of-line comment becomes a line of its own at ``indent``."""
    lines: list[str] = []
    for token, whole in tokens:
        parts = str(token.value).split("\n")
        first = parts[0].strip()
        if first.startswith("#"):
            column = getattr(token.start_mark, "column", 0) if whole else indent
            lines.append(" " * column + first)
        lines.extend(part.rstrip() for part in parts[1:] if part.strip().startswith("#"))
    return lines


def _kept_comments(container: Any, key: Any) -> list[str]:
    """The comment lines that go with ``container[key]``: on its line, inside its value, and the lines after it."""
    holder = CommentedSeq()  # the entry and its value, so that one walk finds them all
    holder.append(container[key])
    entry = container.ca.items.get(key)
    if entry:
        holder.ca.items[0] = list(entry)
    col = 0
    with contextlib.suppress(Exception):
        col = container.lc.key(key)[1] if isinstance(container, CommentedMap) else max(0, container.lc.item(key)[1] - 2)  # the '- '
    return _as_lines(_comments_in(holder), col)


def _put_back(container: Any, key: Any, lines: list[str]) -> None:
    """Keep ``lines`` where ``container[key]`` was (it is gone): after the entry before it, or before the first entry."""
    if not lines:
        return
    keys = list(container) if isinstance(container, CommentedMap) else list(range(len(container)))
    if key in keys and keys.index(key) > 0:
        _attach_after(container, keys[keys.index(key) - 1], "".join(f"{line}\n" for line in lines))
        return
    if container.ca.comment is None:
        container.ca.comment = [None, []]
    while len(container.ca.comment) < 2:
        container.ca.comment.append([])
    if container.ca.comment[1] is None:
        container.ca.comment[1] = []
    for line in lines:
        container.ca.comment[1].append(CommentToken(line.lstrip() + "\n", CommentMark(len(line) - len(line.lstrip())), None))


def _remove(container: Any, key: Any) -> None:
    """Delete ``container[key]``, keeping every comment line that was on it, in it or after it."""
    lines = _kept_comments(container, key)
    _put_back(container, key, lines)
    del container[key]


def _replace(container: Any, key: Any, value: Any) -> None:
    """``container[key] = value``; when the old value is replaced whole, the comments in it stay after the entry."""
    if value is container[key]:
        return
    old = container[key]
    if not isinstance(old, (CommentedMap, CommentedSeq)):
        container[key] = value  # a scalar: its comments belong to the entry, which stays
        return
    lines = _as_lines(_comments_in(old), 0)
    entry = container.ca.items.get(key)
    if entry and len(entry) > 3:
        entry[3] = None  # the old value's first comment, found above
    container[key] = value
    if lines:
        _attach_after(container, key, "".join(f"{line}\n" for line in lines))


def _merge_seq(old: CommentedSeq, new: list[Any]) -> None:
    rest = _detach_trailing(old)
    try:
        _edit_seq(old, new)
    finally:
        _attach_trailing(old, rest)


def _edit_seq(old: CommentedSeq, new: list[Any]) -> None:
    if len(old) == len(new):
        for i, v in enumerate(new):
            _replace(old, i, _merge(old[i], v))
        return
    a = [_canon(x) for x in old]
    b = [_canon(x) for x in new]
    ops = difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes()
    for tag, i1, i2, j1, j2 in reversed(ops):  # from the end, so earlier indices stay valid
        if tag == "equal":
            continue
        n = min(i2 - i1, j2 - j1)
        for k in range(n):  # pairs: edit in place (keeps the item's comments)
            _replace(old, i1 + k, _merge(old[i1 + k], new[j1 + k]))
        for _ in range(i2 - i1 - n):
            _remove(old, i1 + n)
        count = j2 - j1 - n
        if count:
            at = i1 + n
            rest = _detach_after(old, at - 1) if at else None
            for k in range(count):
                old.insert(at + k, _fresh(new[j1 + n + k]))
            _attach_after(old, at + count - 1, rest)


def _render(y: YAML, data: Any, style: Style, head: str = "") -> str:
    buf = io.StringIO()
    y.dump(data, buf)
    text = head + buf.getvalue()
    if style.crlf:
        text = text.replace("\n", "\r\n")
    return (BOM if style.bom else "") + text


def _verify(text: str, expected: Mapping[str, Any], rel: str) -> None:
    doc = parse_yaml(text.lstrip(BOM), rel, Messages("en"))
    if isinstance(doc, Problem) or doc.data != expected:
        raise YamlEditError(f"{rel}: the written YAML does not read back as the intended data")


def update_yaml(text: str, new: Mapping[str, Any], rel: str = "<yaml>") -> str:
    """``text`` (an existing handbook file) changed so that it holds ``new``, touching only what differs."""
    style = detect_style(text)
    y = _yaml(style)
    data = y.load(text.lstrip(BOM).replace("\r\n", "\n"))
    if not isinstance(data, CommentedMap):
        data = _fresh(new)
    else:
        _merge_map(data, new)
    out = _render(y, data, style)
    _verify(out, new, rel)
    return out


def dump_yaml(data: Mapping[str, Any], head_comments: list[str], rel: str = "<yaml>") -> str:
    """A new file holding ``data`` (keys in the given order), after the ``head_comments`` lines ('# …')."""
    style = Style()
    head = "".join(f"# {c}\n" for c in head_comments)
    out = _render(_yaml(style), _fresh(data), style, head)
    _verify(out, data, rel)
    return out


def yaml_scalar(value: str) -> str:
    """``value`` as a YAML scalar for a line of a hand-made template: plain when that reads back the same, else quoted."""
    candidate = f"k: {value}\n"
    doc = parse_yaml(candidate, "<scalar>", Messages("en"))
    if (
        not isinstance(doc, Problem)
        and doc.data == {"k": value}
        and not _YAML11_SPECIAL.fullmatch(value)
        and value == value.strip()
        and "#" not in value
        and not value.startswith(("'", '"', "&", "*", "!", "|", ">", "%", "@", "`", "[", "{"))
    ):
        return value
    return json.dumps(value, ensure_ascii=False)


def modeline(root: Path, target: Path, kind: str) -> str:
    """The yaml-language-server modeline of a file at ``target``: the handbook's own copy of the schema
    (``schema/<kind>.schema.json``), relative to the file, so that it resolves wherever the handbook is
    moved or cloned. Whoever writes the file also writes that copy when the handbook lacks it
    (``schema_copies``)."""
    schema = root / SCHEMA_FOLDER / f"{kind}.schema.json"
    ref = Path(os.path.relpath(schema, target.parent)).as_posix()
    return f"# yaml-language-server: $schema={ref}"


_MODELINE = re.compile(r"# yaml-language-server: \$schema=(\S+)")


def schema_copies(root: Path, texts: Mapping[str, str]) -> dict[str, str]:
    """The copies of rolebook's schemas (relative path → text) that the modelines of the new files of
    ``texts`` ({relative path: text}) point at and the handbook lacks: written with them, so that every
    modeline resolves inside the handbook. Nothing is returned for a name that something else holds."""
    out: dict[str, str] = {}
    for rel, text in texts.items():
        if os.path.lexists(root / rel):
            continue  # a file that is there keeps its own modeline
        m = _MODELINE.match(text)
        if m is None or "://" in m.group(1):
            continue
        target = os.path.normpath(os.path.join(os.path.dirname(rel), m.group(1)))
        folder, _, name = target.partition("/")
        shipped = SCHEMA_DIR / name
        if folder == SCHEMA_FOLDER and "/" not in name and shipped.is_file() and not os.path.lexists(root / target):
            out[target] = shipped.read_text(encoding="utf-8")
    return out


def write_atomic(path: Path, text: str) -> None:
    """Write ``text`` as UTF-8 at ``path``, as a whole (safepath.replace_file)."""
    replace_file(path, text.encode("utf-8"))
