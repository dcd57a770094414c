"""What the site is made of, whichever engine draws it: pages, navigation, assets, the search plan.

``site_sources`` turns the checked handbook (and the titles of its hand-written pages) into
everything the site holds besides the engine's own theme: every generated page's Markdown
source, the navigation, the shipped assets (CSS, scripts, vendored libraries and their
licences), the search worker's source and the list of pages that rolebook's search indexes one
entry per section. ``rolebook.outputs.staging`` writes it into a staging folder that any engine
builds; the MkDocs plugin hands the same sources to MkDocs from memory (``mkdocs serve``).
Nothing here reads the handbook or writes a file.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from markupsafe import escape

from rolebook.labels import label
from rolebook.model import Handbook
from rolebook.render import search
from rolebook.render.links import ASSETS, department_src, role_src
from rolebook.render.pages import TEMPLATE_DIR, DocsPage, GeneratedPage, render_pages, site_nav
from rolebook.revisions.history import NO_HISTORY, History
from rolebook.revisions.news import News

TEMPLATES_ROOT = TEMPLATE_DIR.parent
VENDOR = TEMPLATES_ROOT / "vendor"
PRINT_CSS = TEMPLATES_ROOT / "print" / "print.css"

# site path -> file shipped with rolebook
ASSET_FILES: Mapping[str, Path] = {
    f"{ASSETS}/rolebook.css": TEMPLATE_DIR / "assets" / "rolebook.css",
    f"{ASSETS}/rolebook.js": TEMPLATE_DIR / "assets" / "rolebook.js",
    f"{ASSETS}/print.css": PRINT_CSS,
    f"{ASSETS}/vendor/tablesort/tablesort.min.js": VENDOR / "tablesort" / "tablesort.min.js",
    f"{ASSETS}/vendor/tablesort/tablesort.number.min.js": VENDOR / "tablesort" / "sorts" / "tablesort.number.min.js",
    f"{ASSETS}/vendor/tablesort/tablesort.intl.min.js": VENDOR / "tablesort" / "sorts" / "tablesort.intl.min.js",
    f"{ASSETS}/vendor/tablesort/LICENCE.txt": VENDOR / "tablesort" / "LICENCE",
    f"{ASSETS}/vendor/iframe-worker/shim.js": VENDOR / "iframe-worker" / "shim.js",
    f"{ASSETS}/vendor/iframe-worker/LICENSE.txt": VENDOR / "iframe-worker" / "LICENSE",
    f"{ASSETS}/vendor/lunr/LICENSE.txt": VENDOR / "lunr" / "LICENSE",  # lunr.js is served inside the search worker
}
EXTRA_CSS = (f"{ASSETS}/rolebook.css", f"{ASSETS}/print.css")
EXTRA_JS = (
    f"{ASSETS}/vendor/tablesort/tablesort.min.js",
    f"{ASSETS}/vendor/tablesort/tablesort.number.min.js",
    f"{ASSETS}/vendor/tablesort/tablesort.intl.min.js",
    f"{ASSETS}/rolebook.js",
)
# Material's offline plugin adds the iframe-worker shim from unpkg unless a polyfill named
# like it is already there; this one is vendored, so search works from file:// offline.
IFRAME_WORKER = f"{ASSETS}/vendor/iframe-worker/shim.js"


@dataclass(frozen=True)
class SiteSources:
    """Everything of the site that is not the engine's theme.

    ``pages``: the generated pages, in a fixed order; ``nav``: the navigation in MkDocs' ``nav``
    shape (titles HTML-escaped); ``assets``: site path -> shipped file; ``search_pages``: the
    pages rolebook's search indexes one entry per section (roles, departments)."""

    pages: tuple[GeneratedPage, ...]
    nav: list[Any]
    assets: Mapping[str, Path]
    search_pages: tuple[str, ...]

    @property
    def own_blocks(self) -> tuple[str, ...]:
        """The pages made only of rolebook's templates (see rolebook.render.pages.split_html_blocks)."""
        return tuple(p.src_uri for p in self.pages if p.own_blocks)

    @property
    def not_in_nav(self) -> tuple[str, ...]:
        return tuple(p.src_uri for p in self.pages if not p.in_nav)


def site_name(organisation: str) -> str:
    """The site's name, HTML-escaped: the themes print ``site_name`` without escaping."""
    return str(escape(organisation))


def site_sources(
    handbook: Handbook,
    *,
    docs_pages: Sequence[DocsPage] = (),
    intro: str = "",
    directory_urls: bool = False,
    pdf_links: bool = True,
    history: History = NO_HISTORY,
    news: News | None = None,
    folder: str = "",
) -> SiteSources:
    """The site of a checked handbook. Runs Graphviz for the org charts (raises ChartError).

    ``docs_pages``: the hand-written pages (docs/) other than the home page, whose Markdown
    ``intro`` goes into the generated home page; ``pdf_links``: the PDFs go with the site; ``history``:
    each role's revisions (its page's revision history); ``news``: the What's new page, when there is one;
    ``folder``: where this site sits in the whole site of a handbook in two languages ("" or "en")."""
    pages = render_pages(
        handbook, directory_urls=directory_urls, docs_pages=docs_pages, intro=intro, pdf_links=pdf_links, history=history, news=news, folder=folder
    )
    nav = site_nav(handbook, docs_pages, lambda key, **args: label(handbook.settings.language, key, **args), whats_new=news is not None)
    indexed = (*(department_src(d.id) for d in handbook.departments), *(role_src(r.id) for r in handbook.roles))
    return SiteSources(tuple(pages), nav, ASSET_FILES, indexed)


def search_worker() -> str:
    """The source of rolebook's search worker (lunr.js and rolebook's worker), which replaces Material's."""
    return search.worker_source()
