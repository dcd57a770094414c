"""The site search: entries for the generated pages, one per section, and the search worker that reads them.

Every section of every role and department page is an entry of its own: its location is the
page's address with the section's anchor, its title the section's heading, its text what the
section says (without labels, navigation and charts). Results then read "物业助理 › 任职资格 …",
show a short snippet around the match and open the page at that section.

The entries are cut from the page's HTML as rendered (``page_entries``), so what is found is
what the page shows, under the anchors the page has, with no HTML parser and no word
segmentation: the search worker (``WORKER``, which replaces Material's) matches Chinese as a
substring of the plain text and English at word starts through the English pipeline. It keeps
Material's messages and index file, and needs no index built in the browser, which is what made
Material's lunr search take seconds at 10,000 roles (docs/benchmarks.md has the numbers).

Hand-written pages (docs/) are indexed by Material's search plugin as before, with a lower
``boost`` (``OTHER_PAGE_BOOST``) so that they do not crowd out the roles.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path
from typing import Any

Entry = dict[str, object]

WORKER = Path(__file__).resolve().parent.parent / "templates" / "search" / "worker.js"
# lunr.js (vendored, MIT): the worker uses its English stop-word filter and Porter stemmer.
LUNR = Path(__file__).resolve().parent.parent / "templates" / "vendor" / "lunr" / "lunr.min.js"
# Material's search worker, under the theme's assets (its name carries a content hash).
WORKER_PATTERN = re.compile(r"^assets/javascripts/workers/search\.[0-9a-f]+\.min\.js$")
OTHER_PAGE_BOOST = 0.2  # a hand-written page's entry counts a fifth of a role's

_HEADING = re.compile(r"<h([1-6])(?:\s[^>]*?)?\sid=\"([^\"]*)\"[^>]*>(.*?)</h\1>", re.S | re.I)
_EXCLUDED_START = re.compile(r"<([a-z][a-z0-9]*)\b[^>]*\sdata-search-exclude\b[^>]*>", re.I)
# What is a label or an ornament, not content: permalinks, table headers.
_DROP = re.compile(r"<a\s[^>]*class=\"headerlink\"[^>]*>.*?</a>|<thead\b.*?</thead>|<th\b[^>]*>.*?</th>", re.S | re.I)
_BLOCK = re.compile(r"</?(?:p|div|li|ul|ol|td|tr|table|tbody|br|h[1-6]|section|dd|dt|dl|blockquote|pre)\b[^>]*>", re.I)
_TAG = re.compile(r"<[^>]*>")


def _drop_excluded(markup: str) -> str:
    """``markup`` without the elements marked ``data-search-exclude`` (and what they hold)."""
    out: list[str] = []
    at = 0
    while (m := _EXCLUDED_START.search(markup, at)) is not None:
        out.append(markup[at : m.start()])
        tag = m.group(1)
        tags = re.compile(rf"<(/?){tag}\b[^>]*>", re.I)
        depth, end = 1, len(markup)
        for t in tags.finditer(markup, m.end()):
            depth += -1 if t.group(1) else 1
            if depth == 0:
                end = t.end()
                break
        at = end
    out.append(markup[at:])
    return "".join(out)


def plain_text(markup: str) -> str:
    """The text of an HTML fragment, one line, HTML-escaped (as Material's entries are)."""
    text = _TAG.sub("", _BLOCK.sub(" ", _DROP.sub(" ", markup)))
    return str(html.escape(" ".join(html.unescape(text).split()), quote=False))


def page_entries(url: str, page_html: str) -> list[Entry]:
    """One entry per section of a page's HTML: (location, title, text); the first is the page itself."""
    body = _drop_excluded(page_html)
    heads = list(_HEADING.finditer(body))
    entries: list[Entry] = []
    for i, h in enumerate(heads):
        end = heads[i + 1].start() if i + 1 < len(heads) else len(body)
        location = url if not entries else f"{url}#{h.group(2)}"
        entries.append({"location": location, "title": plain_text(h.group(3)), "text": plain_text(body[h.end() : end])})
    if not entries:
        entries.append({"location": url, "title": "", "text": plain_text(body)})
    elif heads[0].start() > 0:  # text before the first heading belongs to the page
        first = plain_text(body[: heads[0].start()])
        if first:
            entries[0]["text"] = f"{first} {entries[0]['text']}".strip()
    return entries


def index_json(value: Any) -> str:
    """JSON for the search index file, compact like Material's but in UTF-8 rather than ASCII escapes: a
    Chinese character takes 3 bytes instead of 6, so the index of 10,000 roles is 22 MB instead of 37, which
    the browser reads again on every page it opens (and ``serve`` rewrites on every save). A lone surrogate
    (only a JSON string can hold one) stays a ``\\udXXX`` escape, so the text always encodes as UTF-8."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=str)
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def worker_source() -> str:
    """The search worker as served: lunr.js, then rolebook's worker, which uses lunr's pipeline."""
    return LUNR.read_text(encoding="utf-8").rstrip("\n") + "\n" + WORKER.read_text(encoding="utf-8")


def is_worker(src_uri: str) -> bool:
    """Whether a theme file is Material's search worker, which ``WORKER`` replaces."""
    return WORKER_PATTERN.match(src_uri) is not None
