"""Escaping what users typed for the places it lands: HTML, Markdown text, DOT labels.

Page sources are Markdown whose headings are Markdown and whose tables and lists are
raw HTML blocks. Python-Markdown leaves raw HTML blocks alone, so text inside them only
needs HTML escaping (Jinja's autoescape does it); text in Markdown headings needs both
HTML escaping and backslash escaping, so ``# 1. <b>`` or ``{: .x}`` stay literal.
"""

from __future__ import annotations

import base64
import html
import re

from markupsafe import Markup, escape

from rolebook.bilingual import Fallback

# Python-Markdown's escapable characters, plus '|' (tables extension). A backslash before
# any other character would be shown, so only these are backslash-escaped.
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()>#+\-.!|])")
# STX/ETX are Python-Markdown's placeholder markers; the loader refuses them, this is belt and braces.
_PLACEHOLDER_MARKERS = re.compile(r"[\x02\x03]")
_NEWLINES = re.compile(r"\s*[\r\n]+\s*")


def _clean(text: str) -> str:
    return _PLACEHOLDER_MARKERS.sub("", text)


def marked(text: object, shown: Markup) -> Markup:
    """``shown`` (``text`` escaped for its place), marked as untranslated when ``text`` is a ``Fallback``:
    a translation is missing and the main language's text stands in (class ``rbs-fallback``, its ``lang``)."""
    if isinstance(text, Fallback):
        return Markup(f'<span class="rbs-fallback" lang="{text.lang}">{shown}</span>')
    return shown


def finalize(value: object) -> object:
    """Jinja's ``finalize`` for page templates: text printed as it is gets escaped, and marked when untranslated."""
    return marked(value, escape(value)) if isinstance(value, Fallback) else value


def md_inline(text: str) -> Markup:
    """Text for a Markdown line (a heading): one line, HTML-escaped, Markdown specials backslash-escaped."""
    one_line = _NEWLINES.sub(" ", _clean(text)).strip()
    # & < > become entities (none is Markdown-special after that). Quotes stay as they are: they mean
    # nothing in element text, and as &#34; / &#39; they would reach the table of contents escaped twice.
    escaped = html.escape(one_line, quote=False)
    return marked(text, Markup(_MD_SPECIAL.sub(r"\\\1", escaped)))


def html_text(text: str) -> Markup:
    """Text for an HTML block: escaped, line breaks kept as <br>."""
    lines = [str(escape(line.strip())) for line in _clean(text).strip().splitlines()]
    return marked(text, Markup("<br>".join(lines)))


def html_attr(text: str) -> Markup:
    """A value for an HTML attribute (quotes escaped too)."""
    return escape(_NEWLINES.sub(" ", _clean(text)).strip())


def _one_line(text: str) -> str:
    return _NEWLINES.sub(" ", _clean(text)).strip()


def dot_string(text: str) -> str:
    """A DOT label (a double-quoted string body) that Graphviz shows as typed, on one line.

    Graphviz reads two kinds of escapes in a label: HTML entities (``&amp;``, ``&#x41;``), which it
    decodes as it reads the file, and then backslash escapes (``\\N`` the node's name, ``\\G``,
    ``\\L``, ``\\E``, ``\\n`` a line break …). So ``&`` becomes ``&amp;`` (decoded back to ``&``)
    and the backslash ``\\\\`` (read back as one); quotes are the DOT string's own escape."""
    return _one_line(text).replace("&", "&amp;").replace("\\", "\\\\").replace('"', '\\"')


# Tooltips: Graphviz expands backslash escapes in them differently from labels, and differently
# from version to version. Tooltips take no room in the layout, so the text goes through Graphviz
# as a placeholder it leaves alone (base32: letters and digits) and is put into the SVG after.
_TOOLTIP = "rbtip"
_TOOLTIP_ATTR = re.compile(r'xlink:title="' + _TOOLTIP + r'([A-Z2-7]*)"')


def dot_tooltip(text: str) -> str:
    """A DOT tooltip for ``text`` (one line): a placeholder that ``svg_tooltips`` turns back into it."""
    return _TOOLTIP + base64.b32encode(_one_line(text).encode("utf-8")).decode("ascii").rstrip("=")


def svg_tooltips(svg: str) -> str:
    """The SVG Graphviz drew with ``dot_tooltip`` placeholders, with each tooltip's text as typed (XML-escaped)."""

    def text(match: re.Match[str]) -> str:
        code = match.group(1)
        decoded = base64.b32decode(code + "=" * (-len(code) % 8)).decode("utf-8")
        return f'xlink:title="{html.escape(decoded, quote=True)}"'

    return _TOOLTIP_ATTR.sub(text, svg)
