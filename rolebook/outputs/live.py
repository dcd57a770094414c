"""A site MkDocs has built, kept in memory so that a few of its pages can be written again.

``Capture`` is a small MkDocs plugin added to a build's config: it keeps what the build made —
the files, the navigation, the theme's Jinja environment. ``LivePages`` then runs MkDocs' own
page steps (``_populate_page``: Markdown and the plugins' page events; ``_build_page``: the theme
template) for the pages given, over that same navigation, and writes them where the build wrote
them. The page is byte for byte what a full build writes (tests/test_serve_incremental.py).

The search index is kept as one JSON text per page and written again whole: the role and
department pages' entries cut from their HTML by ``rolebook.render.search`` (as the full build
does), other pages' entries taken from Material's search plugin, which indexes them as it
renders them.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import jinja2
from mkdocs.commands.build import _build_page, _populate_page
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import Files, InclusionLevel
from mkdocs.structure.nav import Navigation

from rolebook.model import Handbook
from rolebook.render import search
from rolebook.render.links import department_src, role_src
from rolebook.render.pages import GeneratedPage, join_html_blocks, split_html_blocks
from rolebook.render.theme import NavMemo

SEARCH_JSON = Path("search") / "search_index.json"
SEARCH_JS = Path("search") / "search_index.js"  # Material's offline plugin: the index for file://
CAPTURE = "rolebook-live"


class Capture(BasePlugin):  # type: ignore[type-arg,no-untyped-call]
    """Keeps the files, navigation and environment of the build it is added to (``add``)."""

    def __init__(self) -> None:
        super().__init__()
        self.files: Files | None = None
        self.nav: Navigation | None = None
        self.env: jinja2.Environment | None = None

    @classmethod
    def add(cls, config: MkDocsConfig) -> Capture:
        capture = cls()
        config.plugins[CAPTURE] = capture  # registers its events
        return capture

    @event_priority(-1000)  # the navigation as the other plugins left it
    def on_nav(self, nav: Navigation, /, *, config: MkDocsConfig, files: Files) -> Navigation:
        self.nav = nav
        return nav

    @event_priority(-1000)
    def on_env(self, env: jinja2.Environment, /, *, config: MkDocsConfig, files: Files) -> jinja2.Environment:
        self.env, self.files = env, files
        return env


class LivePages:
    """The pages of a site built with ``capture`` in ``config``; ``write`` renders some of them again.

    ``indexed``: the pages whose search entries rolebook cuts from their HTML (the rest are Material's)."""

    def __init__(self, config: MkDocsConfig, capture: Capture, indexed: Iterable[str]) -> None:
        if capture.files is None or capture.nav is None or capture.env is None:
            raise ValueError("the build did not finish")
        self.config = config
        self.files, self.nav, self.env = capture.files, capture.nav, capture.env
        self.indexed = frozenset(indexed)
        self.site_dir = Path(config.site_dir)
        self._search = _search_plugin(config)
        self._index_head, self._entries = _read_index(self.site_dir / SEARCH_JSON)

    def has(self, src_uri: str) -> bool:
        f = self.files.get_file_from_path(src_uri)
        return f is not None and f.page is not None and f.generated_by is not None

    def write(self, pages: Sequence[GeneratedPage]) -> None:
        """Render ``pages`` (all of which ``has``) into their files of the site, and the search index."""
        inclusion = InclusionLevel.is_in_serve
        doc_files = self.files.documentation_pages(inclusion=inclusion)
        material = getattr(self._search, "search_index", None)
        if material is not None:
            material.entries = []  # what it collected before belongs to earlier renderings
        rendered: list[str] = []
        if "rolebook_nav_list" in self.env.globals:  # what it drew before may show an earlier title
            NavMemo.install(self.env, (f.url for f in self.files if f.is_documentation_page()))
        for generated in pages:
            file = self.files.get_file_from_path(generated.src_uri)
            assert file is not None and file.page is not None
            content, blocks = split_html_blocks(generated.content) if generated.own_blocks else (generated.content, ())
            file.content_string = content
            page = file.page
            _populate_page(page, self.config, self.files)
            assert page.content is not None
            if blocks:
                page.content = join_html_blocks(page.content, blocks)
            # the search settings the rolebook plugin gives each page while the whole site is built
            if generated.src_uri in self.indexed:
                page.meta["search"] = {**(page.meta.get("search") or {}), "exclude": True}
                self._entries[page.url] = _encode(search.page_entries(page.url, page.content))
            else:
                if self.indexed:
                    page.meta["search"] = {"boost": search.OTHER_PAGE_BOOST, **(page.meta.get("search") or {})}
                rendered.append(page.url)
            _build_page(page, self.config, doc_files, self.nav, self.env)
        if material is not None:
            fresh = _by_page(material.entries)  # Material indexed these pages as it rendered them
            for url in rendered:
                self._entries[url] = _encode(fresh[url]) if url in fresh else ""
            material.entries = []
        if self._index_head is not None:
            self._write_index()

    def _write_index(self) -> None:
        docs = ",".join(text for text in self._entries.values() if text)
        data = f"{self._index_head}[{docs}]}}"
        path = self.site_dir / SEARCH_JSON
        _replace(path, data)
        if (self.site_dir / SEARCH_JS).is_file():
            _replace(self.site_dir / SEARCH_JS, f"var __index = {data}")


def rolebook_indexes(config: MkDocsConfig, hb: Handbook) -> frozenset[str]:
    """The pages whose search entries rolebook writes (as the plugin decides: when the search is Material's)."""
    plugin = _search_plugin(config)
    index = getattr(plugin, "search_index", None)
    if plugin is None or not plugin.config.get("enabled", True) or not isinstance(getattr(index, "entries", None), list):
        return frozenset()
    return frozenset([*(department_src(d.id) for d in hb.departments), *(role_src(r.id) for r in hb.roles)])


def _search_plugin(config: MkDocsConfig) -> Any:
    for name, plugin in config.plugins.items():
        if name == "search" or name.endswith("/search"):
            return plugin
    return None


def _encode(entries: list[dict[str, Any]]) -> str:
    """Entries as the search index file has them (``search.index_json``), without the brackets."""
    return search.index_json(entries)[1:-1]


def _by_page(entries: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {}
    for e in entries:
        out.setdefault(str(e["location"]).split("#", 1)[0], []).append(e)
    return out


def _read_index(path: Path) -> tuple[str | None, dict[str, str]]:
    """The index file's text before its entries (``{"config":…,"docs":``), and its entries by page, in order."""
    if not path.is_file():
        return None, {}
    data = json.loads(path.read_text(encoding="utf-8"))
    head = '{"config":' + search.index_json(data.get("config")) + ',"docs":'
    return head, {url: _encode(entries) for url, entries in _by_page(data.get("docs") or []).items()}


def _replace(path: Path, text: str) -> None:
    """Write ``path`` whole: a reader sees the old file or the new one, never half of one."""
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)
