"""rolebook's own pages converted from their headings, without a whole Python-Markdown run per page.

Once its HTML blocks are set aside (``rolebook.render.pages.split_html_blocks``), the Markdown of a
role or department page is a few heading lines between placeholders::

    # 前台主管
    <!--rolebook-block-0-->
    ## <span class="rbs-part-no">第一部分</span> 职位基本信息 { #职位基本信息 }
    <!--rolebook-block-1-->

(blank lines between). Python-Markdown still spends about a millisecond on such a page — a fresh
``Markdown``, its preprocessors, block parser, inline patterns, ``toc``, ``attr_list`` and MkDocs'
own tree processors — mostly on heading lines every role page has. Markdown converts the
top-level blocks of such a page each on its own: a heading comes out as one line followed by a
newline, a placeholder (raw HTML) as itself followed by a blank line; ``toc`` then nests the
headings by level and gives a heading without an id of its own a new one only if its id is taken.
So ``Headings`` converts each distinct heading line once per build (with MkDocs' own
``Page.render``, so the handbook's ``markdown_extensions`` apply as they do to any page) and puts
a page together from them.

A page goes to Markdown as before when any of it is something else: a chunk that is neither a
heading line nor a placeholder, a heading whose HTML links anywhere, carries an id besides its
own or spans lines, two headings with the same id. The first pages of a build are converted both
ways and compared (HTML, table of contents, title, anchors); one difference, and the build goes
to Markdown for every page (a ``markdown_extensions`` entry that looks across blocks).
tests/test_site_same_bytes.py holds whole sites to the ones Markdown makes.
"""

from __future__ import annotations

import copy
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any, cast

import markdown  # type: ignore[import-untyped]
from markdown.extensions.toc import nest_toc_tokens  # type: ignore[import-untyped]
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure import pages as mkdocs_pages
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import AnchorLink, get_toc

log = logging.getLogger("mkdocs.plugins.rolebook")
_mkdocs_log = logging.getLogger("mkdocs.structure.pages")  # whose level decides whether MkDocs keeps links_to_anchors

CHECKED_PAGES = 3  # pages of a build converted both ways before the rest are taken from their headings
_PLACEHOLDER = re.compile(r"<!--rolebook-block-[0-9]+-->")
_HEADING = re.compile(r"#{1,6}[ \t][^\n]*")
_HREF_OR_SRC = re.compile(r"""\b(?:href|src)\s*=\s*["']?([^"'\s>]*)""")


@dataclass(frozen=True)
class Heading:
    """One heading line as MkDocs converts it: its HTML, its entry of the table of contents (None if
    ``toc_depth`` leaves it out), the title MkDocs takes from it when it is a page's first line, its id."""

    html: str
    entry: tuple[int, str, str] | None  # level, id, title
    page_title: str | None
    anchor: str
    self_links: tuple[tuple[str, str], ...]  # its links to anchors of its own page (the permalink), as MkDocs notes them


@dataclass(frozen=True)
class Rendered:
    """What ``Page.render`` leaves on a page."""

    content: str
    toc: tuple[Any, ...]  # the table of contents as nested (title, id, level, children) tuples
    title: str | None
    anchors: frozenset[str]
    links: Any

    @classmethod
    def of(cls, page: Page) -> Rendered:
        return cls(page.content or "", _toc_tuples(page.toc.items), page._title_from_render, frozenset(page.present_anchor_ids or ()), page.links_to_anchors)


class Headings:
    """One build's heading lines, each converted once; ``take`` gives a page this way of being rendered."""

    def __init__(self, config: MkDocsConfig, files: Files, checks: int = CHECKED_PAGES) -> None:
        self._config = config
        self._files = files
        self._memo: dict[str, Heading | None] = {}
        self._markdown: Any = None  # one Markdown for the build's heading lines (reset between them)
        self.reuse = all(hasattr(mkdocs_pages, name) for name in _MKDOCS_PROCESSORS)
        self._checks_left = checks
        self.off = False  # a page came out different: Markdown converts every page of this build
        self.taken = 0  # pages put together from their headings (for tests and profiles)

    def take(self, page: Page) -> None:
        """Render ``page`` through ``render`` below instead of a whole Markdown run (MkDocs calls ``page.render``)."""
        page.render = partial(self.render, page, Page.render.__get__(page))  # type: ignore[method-assign]

    def render(self, page: Page, markdown_run: Callable[[MkDocsConfig, Files], None], config: MkDocsConfig, files: Files) -> None:
        made = None if self.off else self._assemble(page)
        if made is None:
            markdown_run(config, files)
            return
        if self._checks_left > 0:
            self._checks_left -= 1
            markdown_run(config, files)
            if Rendered.of(page) != made:
                self.off = True
                log.debug(f"rolebook: {page.file.src_uri} converts differently from its headings; Markdown converts every page")
            return
        page.content = made.content
        page.toc = get_toc(cast(Any, _tokens(made.toc)))
        page._title_from_render = made.title
        page.present_anchor_ids = set(made.anchors)
        if _mkdocs_log.getEffectiveLevel() > logging.DEBUG:
            page.links_to_anchors = made.links
        self.taken += 1

    def _assemble(self, page: Page) -> Rendered | None:
        source = page.markdown
        if source is None:
            return None
        parts: list[str] = []
        entries: list[dict[str, Any]] = []
        anchors: list[str] = []
        self_links: dict[str, str] = {}
        title: str | None = None
        for chunk in source.split("\n\n"):
            body = chunk.strip("\n")
            if not body:
                continue
            if _PLACEHOLDER.fullmatch(body):
                parts.append(body + "\n\n")
                continue
            heading = self._heading(page, body)
            if heading is None:
                return None
            if not parts:
                title = heading.page_title
            parts.append(heading.html + "\n")
            anchors.append(heading.anchor)
            self_links.update(heading.self_links)
            if heading.entry is not None:
                level, id_, name = heading.entry
                entries.append({"level": level, "id": id_, "name": name, "children": []})
        if len(set(anchors)) != len(anchors):
            return None  # toc would give a heading without an id of its own another one
        toc = tuple(_toc_tuples(get_toc(cast(Any, nest_toc_tokens(entries))).items))
        links = None if _mkdocs_log.getEffectiveLevel() <= logging.DEBUG else {page.file: self_links} if self_links else {}
        return Rendered("".join(parts).rstrip("\n"), toc, title, frozenset(anchors), links)

    def _heading(self, page: Page, line: str) -> Heading | None:
        if line in self._memo:
            return self._memo[line]
        heading = self._memo[line] = self._convert(page, line) if _HEADING.fullmatch(line) else None
        return heading

    def _convert(self, page: Page, line: str) -> Heading | None:
        """The line converted as a page of its own (a copy of ``page``, so that the links would resolve from it)."""
        probe = copy.copy(page)
        probe.markdown = line
        if self.reuse:
            self._render_reusing(probe)
        else:
            Page.render(probe, self._config, self._files)
        html = probe.content or ""
        anchors = probe.present_anchor_ids or set()
        items = list(probe.toc.items)
        links = probe.links_to_anchors or {}
        if "\n" in html or not re.match(r"<h[1-6][\s>]", html) or len(anchors) != 1 or len(items) > 1 or any(f is not page.file for f in links):
            return None
        (anchor,) = anchors
        if any(not target.startswith("#") for target in _HREF_OR_SRC.findall(html)):
            return None  # a link elsewhere resolves from the page it is on
        entry = None
        if items:
            item = items[0]
            if item.children or item.id != anchor:
                return None
            entry = (item.level, item.id, item.title)
        return Heading(html, entry, probe._title_from_render, anchor, tuple(links.get(page.file, {}).items()))

    def _render_reusing(self, probe: Page) -> None:
        """``Page.render`` (MkDocs 1.6) with one Markdown for every line, reset between them, instead of a new one for
        each (building one, which looks up its extensions' entry points, costs more than converting a line)."""
        config, files = self._config, self._files
        md = self._markdown
        if md is None:
            md = self._markdown = markdown.Markdown(extensions=config["markdown_extensions"], extension_configs=config["mdx_configs"] or {})
        raw_html = mkdocs_pages._RawHTMLPreprocessor()
        raw_html._register(md)
        extract_anchors = mkdocs_pages._ExtractAnchorsTreeprocessor(probe.file, files, config)
        extract_anchors._register(md)
        relative_path = mkdocs_pages._RelativePathTreeprocessor(probe.file, files, config)
        relative_path._register(md)
        extract_title = mkdocs_pages._ExtractTitleTreeprocessor()
        extract_title._register(md)
        md.reset()
        probe.content = md.convert(probe.markdown or "")
        probe.toc = get_toc(getattr(md, "toc_tokens", []))
        probe._title_from_render = extract_title.title
        probe.present_anchor_ids = extract_anchors.present_anchor_ids | raw_html.present_anchor_ids
        if _mkdocs_log.getEffectiveLevel() > logging.DEBUG:
            probe.links_to_anchors = relative_path.links_to_anchors


# what Page.render registers on its Markdown: without them (another MkDocs), each line gets Page.render itself
_MKDOCS_PROCESSORS = ("_RawHTMLPreprocessor", "_ExtractAnchorsTreeprocessor", "_RelativePathTreeprocessor", "_ExtractTitleTreeprocessor")


def _toc_tuples(items: list[AnchorLink]) -> tuple[Any, ...]:
    return tuple((a.title, a.id, a.level, _toc_tuples(a.children)) for a in items)


def _tokens(toc: tuple[Any, ...]) -> list[dict[str, Any]]:
    return [{"name": title, "id": id_, "level": level, "children": _tokens(children)} for title, id_, level, children in toc]
