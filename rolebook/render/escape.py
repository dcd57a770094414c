"""Escaping what users typed for the places it lands: HTML, Markdown text, DOT labels.

Page sources are Markdown whose headings are Markdown and whose tables and lists are
raw HTML blocks. Python-Markdown leaves raw HTML blocks alone, so text inside them only
needs HTML escaping (Jinja's autoescape does it); text in Markdown headings needs both
HTML escaping and backslash escaping, so ``# 1. <b>`` or ``{: .x}`` stay literal.
"""

from __future__ import annotations

import html
import re

from markupsafe import Markup, escape

# Python-Markdown's escapable characters, plus '|' (tables extension). A backslash before
# any other character would be shown, so only these are backslash-escaped.
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()>#+\-.!|])")
# STX/ETX are Python-Markdown's placeholder markers; the loader refuses them, this is belt and braces.
_PLACEHOLDER_MARKERS = re.compile(r"[\x02\x03]")
_NEWLINES = re.compile(r"\s*[\r\n]+\s*")


def _clean(text: str) -> str:
    return _PLACEHOLDER_MARKERS.sub("", text)


def md_inline(text: str) -> Markup:
    """Text for a Markdown line (a heading): one line, HTML-escaped, Markdown specials backslash-escaped."""
    one_line = _NEWLINES.sub(" ", _clean(text)).strip()
    # & < > become entities (none is Markdown-special after that). Quotes stay as they are: they mean
    # nothing in element text, and as &#34; / &#39; they would reach the table of contents escaped twice.
    escaped = html.escape(one_line, quote=False)
    return Markup(_MD_SPECIAL.sub(r"\\\1", escaped))


def html_text(text: str) -> Markup:
    """Text for an HTML block: escaped, line breaks kept as <br>."""
    lines = [str(escape(line.strip())) for line in _clean(text).strip().splitlines()]
    return Markup("<br>".join(lines))


def html_attr(text: str) -> Markup:
    """A value for an HTML attribute (quotes escaped too)."""
    return escape(_NEWLINES.sub(" ", _clean(text)).strip())


def dot_string(text: str) -> str:
    """A DOT double-quoted string body: backslashes (``\\N`` etc. are label escapes) and quotes escaped, one line."""
    one_line = _NEWLINES.sub(" ", _clean(text)).strip()
    return one_line.replace("\\", "\\\\").replace('"', '\\"')
