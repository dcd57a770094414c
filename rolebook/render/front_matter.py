"""A generated page's front matter: written as JSON on one line (JSON is YAML, so MkDocs and every engine
read it), and read back as JSON where YAML would read the same, in a fraction of YAML's time."""

from __future__ import annotations

import json
import re
from typing import Any


def front_matter(title_html: str, **meta: Any) -> str:
    """The page's metadata as JSON on one line: JSON is YAML (MkDocs and every engine read it as such), and
    writing it costs a fraction of ``yaml.safe_dump``. Characters a YAML reader rejects in a stream or
    takes for line breaks inside a quoted string are written as escapes, so the text reads back unchanged."""
    text = json.dumps({"title": title_html, **meta}, ensure_ascii=False, sort_keys=True, separators=(", ", ": "))
    return "---\n" + _YAML_UNSAFE.sub(_escape_char, text) + "\n---\n\n"


# what PyYAML's reader refuses (C1 controls, DEL, U+FFFE/FFFF) or folds as a line break (U+0085, U+2028/9);
# json.dumps has escaped U+0000–U+001F already, and these characters can only stand inside its strings
_YAML_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029\ufffe\uffff]")


def _escape_char(m: re.Match[str]) -> str:
    return f"\\u{ord(m.group()):04x}"


def read_front_matter(source: str) -> tuple[str, dict[str, Any]] | None:
    """The page after its front matter and the front matter, as MkDocs reads a page ``front_matter`` began
    (``mkdocs.utils.meta.get_data``: YAML, here JSON, which reads the same for what front_matter writes), in a
    fraction of the time; None for anything else (MkDocs reads it)."""
    if not source.startswith("---\n"):
        return None
    end = source.find("\n", 4)
    if end < 0 or not source.startswith("---\n", end + 1) or _NOT_AS_YAML.search(source, 4, end):
        return None
    try:
        data = json.loads(source[4:end])
    except ValueError:
        return None
    if not isinstance(data, dict) or not _reads_as_yaml(data):
        return None
    return source[end + 5 :].lstrip("\n"), data


# a lone surrogate (YAML refuses the page's metadata) or a character JSON leaves as it is and YAML would not
_NOT_AS_YAML = re.compile("[\ud800-\udfff\x7f-\x9f\u2028\u2029\ufffe\uffff]")


def _reads_as_yaml(value: object) -> bool:
    """Whether YAML 1.1 reads this JSON value back the same: texts, true/false/null, integers, lists, mappings
    (not numbers with a fraction or an exponent, which YAML 1.1 may read as text)."""
    if isinstance(value, dict):
        return all(isinstance(k, str) and _reads_as_yaml(v) for k, v in value.items())
    if isinstance(value, list):
        return all(_reads_as_yaml(v) for v in value)
    return value is None or isinstance(value, str | bool | int)
