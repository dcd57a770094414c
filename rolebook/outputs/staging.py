"""The staging folder: the whole site as plain files, ready for any engine to build.

``stage`` writes, into a fresh folder, ``docs/`` — the handbook's hand-written pages (what
MkDocs would take from its docs folder, excluded files left out), every generated page as
Markdown, the org charts inside them, the shipped assets — and beside it:

* ``mkdocs.yml``, the config: the handbook's own ``mkdocs.yml`` (or rolebook's default) by
  ``INHERIT``, with ``docs_dir`` pointing at the staged pages and the generated navigation;
* ``rolebook-site.json``, the manifest MkDocs-family engines read through the rolebook
  plugin's ``staged`` option (the pages it may speed up, the pages rolebook's search indexes
  one entry per section, the organisation's name and the language);
* ``search-worker.js``, rolebook's search worker, which replaces Material's.

Engines that take no plugins (Zensical) read the pages and the navigation and ignore the
rest. The folder lives in the temporary folder and is deleted when the build is done.
"""

from __future__ import annotations

import json
import logging
import re
import shutil
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

import yaml
from markupsafe import escape
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, get_files
from mkdocs.utils.meta import get_data

from rolebook.i18n import Lang
from rolebook.labels import label
from rolebook.model import Handbook
from rolebook.outputs.site import CONFIG_NAME, ConfigFile, SiteError, config_parent, mkdocs_config, plugins_with
from rolebook.render.links import HOME
from rolebook.render.orgchart import ChartError
from rolebook.render.pages import DocsPage
from rolebook.render.site import SiteSources, search_worker, site_name, site_sources
from rolebook.revisions.history import NO_HISTORY, History
from rolebook.revisions.news import News

log = logging.getLogger("mkdocs.plugins.rolebook")

MANIFEST = "rolebook-site.json"
WORKER = "search-worker.js"


@dataclass(frozen=True)
class Staged:
    """A staged site: ``folder`` holds ``docs/`` (``docs``), the config (``config``) and the manifest.

    ``config.at`` is where relative paths in the config are taken from (the handbook's own
    mkdocs.yml when it has one); ``directory_urls``: the pages' addresses end in ``/``."""

    folder: Path
    docs: Path
    config: ConfigFile
    manifest: Path
    handbook_root: Path
    language: Lang
    organisation: str
    directory_urls: bool
    own_nav: bool  # the navigation is rolebook's (the handbook's mkdocs.yml has no nav of its own)
    nav: list[Any]
    # in_memory: the generated pages whose source is kept here instead of in docs/ (src_uri -> Markdown)
    pages: Mapping[str, str] = field(default_factory=dict)


_H1 = re.compile(r"^#\s+(.+?)\s*#*\s*$", re.MULTILINE)


def page_title_of(source: str, meta: dict[str, Any], src_uri: str) -> str:
    m = _H1.search(source)
    return str(meta.get("title") or (m.group(1) if m else Path(src_uri).stem))


@contextmanager
def _quiet_config() -> Iterator[None]:
    """The engine reads the handbook's config again and reports what it finds there: said once, not twice."""
    logger = logging.getLogger("mkdocs.config")
    saved = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(saved)


def _handbook_config(root: Path) -> tuple[list[File], bool, bool]:
    """The hand-written files MkDocs would build from the handbook's docs folder (excluded ones left out),
    whether pages' addresses end in ``/``, and whether the handbook's mkdocs.yml has a ``nav`` of its own."""
    with mkdocs_config(root) as config_file, _quiet_config():
        config = load_config(config_file=str(config_file.read), config_file_path=str(config_file.at))
        found: list[File] = list(get_files(config)) if Path(config.docs_dir).is_dir() else []
        files = [f for f in found if not f.inclusion.is_excluded()]  # type: ignore[no-untyped-call]
    return files, bool(config.use_directory_urls) and not _offline(config), config.nav is not None


def _offline(config: MkDocsConfig) -> bool:
    """Whether Material's offline plugin is on: it turns directory URLs off (when MkDocs runs it, after staging)."""
    return any(name in ("offline", "material/offline") and plugin.config.get("enabled", True) for name, plugin in config.plugins.items())


def _write(path: Path, data: str | bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8")
    else:
        path.write_bytes(data)


def _write_sources(docs: Path, sources: SiteSources, handbook_files: dict[str, File], kept: frozenset[str]) -> None:
    """The generated pages into ``docs`` but those in ``kept`` (they stay in memory), and the assets."""
    for page in sources.pages:
        if page.src_uri in handbook_files and page.src_uri != HOME:
            log.warning(f"docs/{page.src_uri} is replaced by the page rolebook generates there")
        if page.src_uri not in kept:
            _write(docs / page.src_uri, page.content)
    for site_path, src in sources.assets.items():
        if src.is_file() and site_path not in handbook_files:
            target = docs / site_path
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(src, target)


def _copy_docs(docs: Path, files: list[File], untranslated: frozenset[str] = frozenset(), note: str = "") -> None:
    """Copy the hand-written files; a page in ``untranslated`` (shown in the main language) gets ``note`` at its top."""
    for f in files:
        src = Path(str(f.abs_src_path))
        if src.is_symlink() or not src.is_file():
            continue  # check reports links in docs/; nothing outside the handbook is copied
        target = docs / f.src_uri
        target.parent.mkdir(parents=True, exist_ok=True)
        if f.src_uri in untranslated:
            target.write_text(_with_note(src.read_text(encoding="utf-8-sig"), note), encoding="utf-8")
        else:
            shutil.copyfile(src, target)


_FRONT_MATTER = re.compile(r"\A(---[ \t]*\n.*?\n(?:---|\.\.\.)[ \t]*\n)", re.DOTALL)


def _with_note(markdown: str, note: str) -> str:
    """A hand-written page with a note (HTML-escaped, as an HTML block) after its front matter."""
    block = f'<p class="rbs-untranslated" data-search-exclude>{escape(note)}</p>\n\n'
    m = _FRONT_MATTER.match(markdown)
    return markdown[: m.end()] + block + markdown[m.end() :] if m else block + markdown


def language_files(files: list[File], site_folder: str, languages: tuple[Lang, ...]) -> tuple[list[File], frozenset[str]]:
    """The hand-written files of one language's site, and which of its pages are the main language's
    because that language has none of its own.

    In a handbook in two languages, ``docs/`` holds the main language's pages and ``docs/<lang>/`` the
    other language's (``docs/en/about.md``): the main site leaves the language folders out; the site of
    ``site_folder`` takes its own folder's files at the same paths, and the main language's where it
    has no file of its own (marked as untranslated)."""
    others = set(languages[1:])

    def lang_of(f: File) -> str | None:
        head, sep, _ = f.src_uri.partition("/")
        return head if sep and head in others else None

    main = [f for f in files if lang_of(f) is None]
    if not site_folder:
        return main, frozenset()
    own: dict[str, File] = {}
    for f in files:
        if lang_of(f) == site_folder:
            rel = f.src_uri.partition("/")[2]
            src_dir = str(f.abs_src_path)[: -len(rel)]
            own[rel] = File(rel, src_dir, "", False)  # (only its source is staged)
    fallback = [f for f in main if f.src_uri not in own]
    untranslated = frozenset(f.src_uri for f in fallback if f.is_documentation_page())
    return [*fallback, *own.values()], untranslated


def _docs_pages(files: list[File]) -> tuple[list[DocsPage], str]:
    """The hand-written pages but the home page, and the home page's Markdown (the generated home page's intro)."""
    docs_pages: list[DocsPage] = []
    intro = ""
    for f in files:
        if not f.is_documentation_page():
            continue
        source, meta = get_data(f.content_string)
        if f.src_uri == HOME:
            intro = source
        else:
            docs_pages.append(DocsPage(f.src_uri, page_title_of(source, meta, f.src_uri)))
    return docs_pages, intro


def _write_manifest(folder: Path, root: Path, handbook: Handbook, sources: SiteSources, site_folder: str) -> Path:
    """The manifest the rolebook plugin reads in the engine (its ``staged`` option)."""
    info: dict[str, Any] = {
        "handbook": str(root),
        "organisation": handbook.settings.organisation,
        "language": handbook.settings.language,
        "pages": [p.src_uri for p in sources.pages],
        "own_blocks": list(sources.own_blocks),
        "not_in_nav": list(sources.not_in_nav),
        "search_pages": list(sources.search_pages),
        "worker": str(folder / WORKER),
    }
    languages = handbook.settings.languages
    if len(languages) > 1:
        info["languages"] = list(languages)
        info["content_language"] = site_folder or languages[0]
    manifest = folder / MANIFEST
    manifest.write_text(json.dumps(info, ensure_ascii=False, indent=1), encoding="utf-8")
    return manifest


@contextmanager
def stage(
    root: Path,
    handbook: Handbook,
    *,
    pdf_links: bool = True,
    history: History = NO_HISTORY,
    news: News | None = None,
    site_folder: str = "",
    in_memory: bool = False,
) -> Iterator[Staged]:
    """Write the site of a checked handbook into a staging folder (deleted afterwards).

    A handbook in two languages has a site per language: ``handbook`` in one of them, and ``site_folder``
    where that site sits in the whole site ("" for the main language's, at the root; "en" for English
    beside it); its pages get a language switcher.

    ``in_memory``: the generated pages made only of rolebook's HTML blocks (role and department pages, the bulk
    of a large site) are kept in ``Staged.pages`` instead of being written into ``docs/`` — for an engine in this
    process (``Engine.in_memory``), which then takes them from there: at 10,000 roles that is 10,000 files
    fewer to write, read back and delete.

    Raises SiteError (Graphviz failed on a chart; the error is logged) or MkDocsException (the
    handbook's mkdocs.yml cannot be read)."""
    root = root.resolve()
    files, directory_urls, has_nav = _handbook_config(root)
    languages = handbook.settings.languages
    files, untranslated = language_files(files, site_folder, languages)
    lang = handbook.settings.language
    note = label(lang, "untranslated_page", language=label(lang, f"language_{languages[0]}"))
    parent = config_parent(root)
    with tempfile.TemporaryDirectory(prefix="rolebook-stage-") as tmp:
        folder = Path(tmp)
        by_uri = {f.src_uri: f for f in files}
        docs_pages, intro = _docs_pages(files)
        try:
            sources = site_sources(
                handbook, docs_pages=docs_pages, intro=intro, directory_urls=directory_urls, pdf_links=pdf_links, history=history, news=news, folder=site_folder
            )
        except ChartError as e:
            log.error(f"rolebook: {e}")
            raise SiteError(str(e)) from None
        docs = folder / "docs"
        docs.mkdir()
        kept = frozenset(p.src_uri for p in sources.pages if p.own_blocks) if in_memory else frozenset()
        _copy_docs(docs, [f for f in files if f.src_uri != HOME and f.src_uri not in kept], untranslated, note)
        _write_sources(docs, sources, by_uri, kept)
        (folder / WORKER).write_text(search_worker(), encoding="utf-8")
        manifest = _write_manifest(folder, root, handbook, sources, site_folder)
        child: dict[str, Any] = {
            "INHERIT": str(parent),
            "site_name": site_name(handbook.settings.organisation),
            "docs_dir": str(docs),
            "use_directory_urls": directory_urls,
            "plugins": plugins_with(parent, {"staged": str(manifest)}),
        }
        if not has_nav:
            child["nav"] = sources.nav
        config_file = folder / CONFIG_NAME
        config_file.write_text(yaml.safe_dump(child, allow_unicode=True, sort_keys=False), encoding="utf-8")
        own = root / CONFIG_NAME
        at = own if own.is_file() else config_file
        yield Staged(
            folder,
            docs,
            ConfigFile(config_file, at),
            manifest,
            root,
            handbook.settings.language,
            handbook.settings.organisation,
            directory_urls,
            not has_nav,
            sources.nav,
            MappingProxyType({p.src_uri: p.content for p in sources.pages if p.src_uri in kept}),
        )
