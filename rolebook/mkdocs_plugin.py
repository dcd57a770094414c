"""The MkDocs plugin ``rolebook``: the MkDocs side of the site, over the same generation ``build`` stages.

Two ways in, one generation (``rolebook.render.site.site_sources``):

* ``rolebook build`` (engines mkdocs and properdocs) stages the whole site first
  (``rolebook.outputs.staging``) and names the staging manifest in the plugin's ``staged``
  option: the pages are files already, and the plugin only fits them to MkDocs and Material.
* ``mkdocs build`` / ``mkdocs serve`` / ``rolebook serve`` on a handbook: the plugin checks the
  handbook and adds the generated pages from memory. Both stop with the same positioned
  problem report as ``rolebook check`` when a file has an error; under ``serve`` the report is
  printed and the last good pages stay served.

What MkDocs and Material need beyond the pages, in both: the organisation's name as
``site_name`` (escaped), the theme's language and overrides, rolebook's search entries (one per
section of a role or department page, cut from the HTML as MkDocs rendered it) and search
worker in place of Material's, HTML blocks set aside while Markdown runs, theme files no page
loads left out.
"""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from jinja2 import Environment
from markupsafe import escape
from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort, PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils.meta import get_data
from mkdocs.utils.templates import TemplateContext

from rolebook.app.diff import whats_new
from rolebook.app.pipeline import CheckResult, check_handbook, thaw
from rolebook.commands.common import write_report
from rolebook.i18n import Lang, Messages
from rolebook.load.files import ROLES_DIR, SETTINGS_FILE
from rolebook.model import Handbook
from rolebook.outputs.engines.headings import Headings
from rolebook.outputs.staging import page_title_of
from rolebook.render import search
from rolebook.render.front_matter import read_front_matter
from rolebook.render.languages import language_links
from rolebook.render.links import HOME
from rolebook.render.orgchart import ChartError
from rolebook.render.pages import DocsPage, join_html_blocks, split_html_blocks
from rolebook.render.site import EXTRA_CSS, EXTRA_JS, IFRAME_WORKER, TEMPLATES_ROOT, search_worker, site_name, site_sources
from rolebook.render.theme import NavMemo, configure_theme
from rolebook.resources import SCHEMA_DIR
from rolebook.revisions.history import NO_HISTORY, History, HistoryCache
from rolebook.revisions.news import News

log = logging.getLogger("mkdocs.plugins.rolebook")


@dataclass(frozen=True)
class Site:
    """What the plugin fits to MkDocs: from the staging manifest, or generated from the handbook."""

    organisation: str
    language: Lang
    own_blocks: frozenset[str]
    not_in_nav: frozenset[str]
    search_pages: tuple[str, ...]
    pages: tuple[str, ...] = ()  # the generated pages, in the order MkDocs builds them
    worker: str | None = None  # the staged search worker's file (generated: made from the package)
    languages: tuple[Lang, ...] = ()  # a handbook in two languages: its languages, the main one first (the switcher)
    content_language: Lang | None = None  # which of them this site is in


class RolebookConfig(Config):  # type: ignore[no-untyped-call]
    handbook = c.Optional(c.Type(str))  # the handbook folder; default: the folder of mkdocs.yml
    lang = c.Optional(c.Choice(("zh", "en")))  # override the language of rolebook.yml
    pdf_links = c.Type(bool, default=True)  # pages link the PDFs; false when the site is published without them
    staged = c.Optional(c.Type(str))  # a staging manifest (rolebook-site.json): the pages are staged files already


class RolebookPlugin(BasePlugin[RolebookConfig]):  # type: ignore[no-untyped-call]
    def __init__(self) -> None:
        super().__init__()
        self._result: CheckResult | None = None
        self._site: Site | None = None
        self._handbook: Handbook | None = None
        self._history: History = NO_HISTORY
        self.history_cache = HistoryCache()  # under serve: the git log is read again only when HEAD moves
        self._news: News | None = None
        self._own_nav = False
        self._serving = False
        self._root = ""  # the handbook folder (not staged)
        self._last_good: CheckResult | None = None  # under serve: what to show while a file has an error
        self._blocks: dict[str, tuple[str, ...]] = {}  # src_uri -> HTML blocks set aside while Markdown runs
        self._meta: dict[str, dict[str, Any]] = {}  # src_uri -> the front matter read off its source (_own_source)
        self._search_pages: dict[str, list[search.Entry]] = {}  # role and department pages indexed by rolebook.render.search
        self._staged_pages: Mapping[str, str] = {}  # staged pages given in memory (take_pages), src_uri -> Markdown
        self.headings: Headings | None = None  # this build's heading lines, for the pages of our own HTML blocks
        self.home_inputs: tuple[tuple[DocsPage, ...], str] = ((), "")  # the last build's hand-written pages and home text (serve)

    def take_pages(self, pages: Mapping[str, str]) -> None:
        """Staged pages kept in memory (rolebook.outputs.staging ``in_memory``): built as if they were in docs/."""
        self._staged_pages = pages

    def use_result(self, result: CheckResult, *, pdf_links: bool | None = None) -> None:
        """Build from a handbook that was already checked; used once.
        ``pdf_links``: whether the PDFs are built with this site (``build --no-pdf``: they are not)."""
        self._result = result
        if pdf_links is not None:
            self.config.pdf_links = pdf_links

    def on_startup(self, *, command: str, dirty: bool) -> None:
        # Defining on_startup also makes MkDocs keep this instance across the rebuilds of `serve`.
        self._serving = command == "serve"

    def handbook_root(self, config: MkDocsConfig) -> Path:
        base = Path(config.config_file_path).parent if config.config_file_path else Path.cwd()
        return (base / (self.config.handbook or ".")).resolve()

    # -- events ----------------------------------------------------------------

    @event_priority(100)  # before the search and offline plugins read the configuration
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        if self.config.staged:
            site = self._site = _read_manifest(Path(self.config.staged))
            self._handbook = None
            self._own_nav = False  # the staged config has the navigation
        else:
            hb = self._checked(config)
            site = self._site = Site(hb.settings.organisation, hb.settings.language, frozenset(), frozenset(), ())
            self._own_nav = config.nav is None
        msgs = Messages(site.language)
        config.site_name = str(escape(site.organisation))  # Material prints site_name without escaping
        config.theme["language"] = site.language
        configure_theme(config.theme, config.extra, site.language)  # footer, 404 page, palette toggle in the handbook's language
        if len(site.languages) > 1:
            # Material's header includes its language menu (partials/alternate.html) when extra.alternate is set;
            # rolebook's partial fills it per page. True, not a list: Material's one address for every page
            # would also go into each page's <head>, and its script would look for a sitemap there.
            config.extra["alternate"] = True
        config.extra["generator"] = False  # the "Made with Material" footer links outside the site
        if not config.site_url:
            # Without site_url a sitemap lists no addresses (and it carries build dates): none is written.
            config.theme.static_templates.discard("sitemap.xml")
        logging.getLogger("jieba").setLevel(logging.WARNING)  # not "Building prefix dict …" on every build
        _require_chinese_search(config, msgs)

        polyfills = [p for p in config.extra.get("polyfills", []) if "iframe-worker" not in str(p)]
        config.extra["polyfills"] = [*polyfills, IFRAME_WORKER]
        config.extra_css.extend(p for p in EXTRA_CSS if p not in config.extra_css)
        known_js = {str(s) for s in config.extra_javascript}
        config.extra_javascript.extend(p for p in EXTRA_JS if p not in known_js)
        if not self.config.staged:
            root = Path(self._root)
            for path in (root / ROLES_DIR, root / SETTINGS_FILE, SCHEMA_DIR, TEMPLATES_ROOT):
                if path.exists() and str(path) not in config.watch:
                    config.watch.append(str(path))
        return config

    def _checked(self, config: MkDocsConfig) -> Handbook:
        """Check the handbook (or take the result given); under serve, fall back on the last good one."""
        given, self._result = self._result, None
        if self._serving:
            thaw()  # what the last rebuild left behind goes now, before this one's check freezes it
        root = given.root if given is not None else self.handbook_root(config)
        result = given or check_handbook(root, _lang(self.config.lang))
        if result.problems:
            write_report(result, "text", sys.stderr)
        if result.failed():
            errors = sum(p.severity == "error" for p in result.problems)
            last = self._last_good
            if not (self._serving and last is not None and last.root == result.root):
                raise Abort("rolebook: " + result.msgs.text("site/not-built", errors=errors))
            # serve: report, and keep showing the last good handbook (a failed rebuild would stall every request)
            log.error("rolebook: " + result.msgs.text("site/showing-last-good", errors=errors))
            result = last
        elif self._serving:
            self._last_good = result
        assert result.handbook is not None
        self._root = str(result.root)
        self._history = result.history_from(self.history_cache) if self._serving else result.history  # (before published, which uses it)
        self._handbook = result.published
        self._news = whats_new(result.root, result.handbook) if self._history.available else None
        return self._handbook

    def on_files(self, files: Files, /, *, config: MkDocsConfig) -> Files:
        site = self._site
        if site is None:
            return files
        if not config.site_url:
            for name in ("sitemap.xml", "sitemap.xml.gz"):
                theme_copy = files.get_file_from_path(name)
                if theme_copy is not None:
                    files.remove(theme_copy)
        _prune_theme_files(files, config)
        self._blocks = {}
        self._meta = {}
        if self.config.staged:
            self._fit_staged(files, config, site)
        else:
            site = self._site = self._add_generated(files, config)
        self._search_pages = {src: [] for src in site.search_pages} if _indexes_entries(config) else {}
        if self._search_pages:
            _no_word_segmenting(config)
            _index_in_utf8(config)
        worker = search_worker() if site.worker is None else Path(site.worker).read_text(encoding="utf-8")
        for f in [f for f in files if search.is_worker(f.src_uri)] if self._search_pages else []:
            files.remove(f)  # Material's search worker: replaced by rolebook's, which reads the same index
            files.append(File.generated(config, f.src_uri, content=worker))
        self.headings = Headings(config, files)
        return files

    def _fit_staged(self, files: Files, config: MkDocsConfig, site: Site) -> None:
        """Staged pages: built after the hand-written ones in their own order, roles kept out of the navigation,
        our templates' HTML blocks set aside while Markdown runs."""
        kept = self._staged_pages
        for src_uri in site.pages:
            f = files.get_file_from_path(src_uri)
            if f is None and src_uri not in kept:
                continue
            if f is not None:
                files.remove(f)
            inclusion = InclusionLevel.NOT_IN_NAV if src_uri in site.not_in_nav else InclusionLevel.UNDEFINED if f is None else f.inclusion
            if src_uri in site.own_blocks:
                source = kept.get(src_uri)
                if source is None:
                    assert f is not None
                    source = f.content_string
                files.append(File.generated(config, src_uri, content=self._own_source(src_uri, source), inclusion=inclusion))
            else:
                assert f is not None  # (only pages of our HTML blocks are kept in memory)
                f.inclusion = inclusion
                files.append(f)

    def _own_source(self, src_uri: str, source: str) -> str:
        """A page of our own HTML blocks as MkDocs gets it: the blocks set aside, and the front matter read here
        (``read_front_matter``: JSON, where MkDocs' YAML reader costs a third of a millisecond a page) and given
        to the page when MkDocs reads it (on_nav)."""
        read = read_front_matter(source)
        if read is not None and get_data(read[0]) == (read[0], {}):  # (what is left does not read as metadata)
            source, self._meta[src_uri] = read
        content, self._blocks[src_uri] = split_html_blocks(source)
        return content

    def _add_generated(self, files: Files, config: MkDocsConfig) -> Site:
        """Not staged (``mkdocs build|serve``): the generated pages and assets join the hand-written ones."""
        hb = self._handbook
        assert hb is not None
        docs_pages: list[DocsPage] = []
        intro = ""
        for f in list(files.documentation_pages()):
            source, meta = get_data(f.content_string)
            if f.src_uri == HOME:
                intro = source  # the handbook's own home text goes into the generated home page
                files.remove(f)
                continue
            docs_pages.append(DocsPage(f.src_uri, page_title_of(source, meta, f.src_uri)))
        self.home_inputs = (tuple(docs_pages), intro)
        try:
            sources = site_sources(
                hb,
                docs_pages=docs_pages,
                intro=intro,
                directory_urls=config.use_directory_urls,
                pdf_links=self.config.pdf_links,
                history=self._history,
                news=self._news,
            )
        except ChartError as e:
            raise PluginError(f"rolebook: {e}") from e
        for page in sources.pages:
            existing = files.get_file_from_path(page.src_uri)
            if existing is not None:
                log.warning(f"docs/{page.src_uri} is replaced by the page rolebook generates there")
                files.remove(existing)
            inclusion = InclusionLevel.INCLUDED if page.in_nav else InclusionLevel.NOT_IN_NAV
            content = self._own_source(page.src_uri, page.content) if page.own_blocks else page.content
            files.append(File.generated(config, page.src_uri, content=content, inclusion=inclusion))
        for site_path, src in sources.assets.items():
            if src.is_file() and files.get_file_from_path(site_path) is None:
                files.append(File.generated(config, site_path, abs_src_path=str(src)))
        if self._own_nav:
            config.nav = sources.nav
        return Site(hb.settings.organisation, hb.settings.language, frozenset(sources.own_blocks), frozenset(sources.not_in_nav), sources.search_pages)

    def take_entries(self, src_uris: frozenset[str]) -> dict[str, list[search.Entry]]:
        """The search entries of these pages, taken out of this build's index (rolebook.outputs.engines.shards: a helper's pages)."""
        taken = {src: self._search_pages.pop(src) for src in list(self._search_pages) if src in src_uris}
        return taken

    def add_entries(self, entries: dict[str, list[search.Entry]]) -> None:
        """Search entries of pages another process built; they keep their place in the index."""
        for src, found in entries.items():
            if src in self._search_pages:
                self._search_pages[src] = found

    def on_nav(self, nav: Navigation, /, *, config: MkDocsConfig, files: Files) -> Navigation:
        """The pages whose front matter was read off their source get it when MkDocs reads them (``Page.read_source``)."""
        for src_uri, meta in self._meta.items():
            f = files.get_file_from_path(src_uri)
            if f is not None and f.page is not None:
                page = f.page
                page.read_source = partial(_read_with_meta, page, Page.read_source.__get__(page), meta)  # type: ignore[method-assign]
        return nav

    def on_env(self, env: Environment, /, *, config: MkDocsConfig, files: Files) -> Environment:
        """rolebook's copy of Material's nav-item partial draws what is the same on many pages once (NavMemo)."""
        NavMemo.install(env, (f.url for f in files if f.is_documentation_page()))
        return env

    def on_pre_page(self, page: Page, /, *, config: MkDocsConfig, files: Files) -> Page:
        """A page of our own HTML blocks is put together from its headings (rolebook.outputs.engines.headings)."""
        if self.headings is not None and page.file.src_uri in self._blocks:
            self.headings.take(page)
        return page

    def on_page_markdown(self, markdown: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        if page.file.src_uri in self._search_pages:
            page.meta["search"] = {**(page.meta.get("search") or {}), "exclude": True}  # indexed in on_page_content instead
        elif self._search_pages:
            page.meta["search"] = {"boost": search.OTHER_PAGE_BOOST, **(page.meta.get("search") or {})}
        return markdown

    def on_page_context(self, context: TemplateContext, /, *, page: Page, config: MkDocsConfig, nav: Navigation) -> TemplateContext:
        """A handbook in two languages: the language menu of this page opens the same page in each language."""
        site = self._site
        if site is not None and len(site.languages) > 1 and site.content_language is not None:
            context["rolebook_languages"] = language_links(  # type: ignore[typeddict-unknown-key]
                page.file.src_uri, site.content_language, site.languages, config.use_directory_urls
            )
        return context

    def on_post_page(self, output: str, /, *, page: Page, config: MkDocsConfig) -> str:
        """Material escapes site_name itself in one place (the logo's title="…"): there on_config's escaping was doubled."""
        if self._site is None:
            return output
        once = site_name(self._site.organisation)
        return output.replace(f'title="{escape(once)}"', f'title="{once}"')

    def on_post_template(self, output_content: str, /, *, template_name: str, config: MkDocsConfig) -> str:
        return self.on_post_page(output_content, page=None, config=config)  # type: ignore[arg-type]  # 404.html

    def on_page_content(self, html: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        """Put back the HTML blocks set aside in on_files (see rolebook.render.pages.split_html_blocks)."""
        blocks = self._blocks.pop(page.file.src_uri, None)
        html = html if blocks is None else join_html_blocks(html, blocks)
        if page.file.src_uri in self._search_pages:
            self._search_pages[page.file.src_uri] = search.page_entries(page.url, html)
        return html

    @event_priority(100)  # before Material's search plugin writes its index
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        index = getattr(_search_plugin(config), "search_index", None)
        if index is not None and self._search_pages:
            index.entries.extend(e for entries in self._search_pages.values() for e in entries)
        self._search_pages = {}


def _read_with_meta(page: Page, read_source: Callable[[MkDocsConfig], None], meta: dict[str, Any], config: MkDocsConfig) -> None:
    """MkDocs reads the page; a source without front matter (as ``_own_source`` left it) gets the one read off it.
    A source with its own (serve renders a page again from its new source) keeps that."""
    read_source(config)
    if not page.meta:
        page.meta = dict(meta)


def _read_manifest(path: Path) -> Site:
    data = json.loads(path.read_text(encoding="utf-8"))
    lang: Lang = "en" if data["language"] == "en" else "zh"
    return Site(
        data["organisation"],
        lang,
        frozenset(data["own_blocks"]),
        frozenset(data["not_in_nav"]),
        tuple(data["search_pages"]),
        tuple(data["pages"]),
        data["worker"],
        tuple(x for x in data.get("languages", ()) if x in ("zh", "en")),
        _lang(data.get("content_language")),
    )


def _indexes_entries(config: MkDocsConfig) -> bool:
    """Whether the search is Material's (rolebook then adds its entries per section)."""
    index = getattr(_search_plugin(config), "search_index", None)
    return isinstance(getattr(index, "entries", None), list) and _search_enabled(config)


def _no_word_segmenting(config: MkDocsConfig) -> None:
    """rolebook's search worker matches Chinese as a substring and drops the U+200B that Material puts between
    the words jieba finds: segmenting the hand-written pages would only cost jieba's dictionary (about a second
    to load) and a larger index. This build's index (a fresh one every build) then keeps their text as it is."""
    index = getattr(_search_plugin(config), "search_index", None)
    if index is not None and callable(getattr(index, "_segment_chinese", None)):
        index._segment_chinese = _as_it_is


def _index_in_utf8(config: MkDocsConfig) -> None:
    """Material writes the search index in ASCII (``\\uXXXX`` for every Chinese character); this build's index
    is written in UTF-8 instead (``search.index_json``: the same JSON, 40 % smaller with Chinese text)."""
    index = getattr(_search_plugin(config), "search_index", None)  # made afresh by every build's on_config
    generate = getattr(index, "generate_search_index", None)
    if index is None or not callable(generate):
        return

    def utf8_index(prev: Any) -> str:
        return search.index_json(json.loads(generate(prev)))

    index.generate_search_index = utf8_index


def _as_it_is(text: str) -> str:
    return text


def _search_enabled(config: MkDocsConfig) -> bool:
    plugin = _search_plugin(config)
    return plugin is not None and bool(plugin.config.get("enabled", True))


def _lang(value: str | None) -> Lang | None:
    return "zh" if value == "zh" else "en" if value == "en" else None


def _lunr_files_needed(langs: list[str]) -> set[str]:
    """The files under Material's assets/javascripts/lunr/ its search worker loads for these languages."""
    needed: set[str] = set()
    for lang in langs:
        if lang == "ja":
            needed.add("tinyseg.js")
        if lang in ("hi", "th"):
            needed.add("wordcut.js")
        if lang != "en":
            needed.add(f"min/lunr.{lang}.min.js")
    if len(langs) > 1:
        needed.add("min/lunr.multi.min.js")
    if needed:
        needed.add("min/lunr.stemmer.support.min.js")
    return needed


def _prune_theme_files(files: Files, config: MkDocsConfig) -> None:
    """Leave out theme files no page ever loads: source maps, and lunr language packs of languages not searched.

    Smaller sites, and every remaining reference to the internet in Material's files is accounted for
    (tests/test_site_offline.py).
    """
    theme_dirs = [str(Path(d).resolve()) for d in config.theme.dirs]
    plugin = _search_plugin(config)
    langs = list(plugin.config.get("lang") or ["en"]) if plugin is not None else []
    lunr = "assets/javascripts/lunr/"
    needed = {lunr + name for name in _lunr_files_needed(langs)}
    for f in list(files):
        if f.abs_src_path is None or not any(str(Path(f.abs_src_path).resolve()).startswith(d) for d in theme_dirs):
            continue
        if f.src_uri.endswith(".map") or (f.src_uri.startswith(lunr) and f.src_uri not in needed):
            files.remove(f)


def _search_plugin(config: MkDocsConfig) -> Any:
    for name, plugin in config.plugins.items():
        if name == "search" or name.endswith("/search"):
            return plugin
    return None


def _require_chinese_search(config: MkDocsConfig, msgs: Messages) -> None:
    """Material's search finds Chinese words only when jieba segments them and the separator splits on U+200B.

    Without either it silently finds nothing, so the build stops instead.
    """
    plugin = _search_plugin(config)
    if plugin is None or not plugin.config.get("enabled", True):
        return
    module = sys.modules.get(type(plugin).__module__)
    if module is not None and hasattr(module, "jieba") and module.jieba is None:
        raise Abort("rolebook: " + msgs.text("site/needs-jieba"))
    separator = plugin.config.get("separator") or ""
    if "\\u200b" not in separator and "\u200b" not in separator:
        raise Abort("rolebook: " + msgs.text("site/separator"))
