"""The site's theme overrides (templates/site/theme: footer, 404 page) and the words they show.

Material draws the page frame; rolebook overrides two pieces of it: the footer (organisation, the
page's document number, revision and effective date, previous / next — for a role page its
neighbours in its department, which the navigation does not list) and the 404 page (in the
handbook's language, with a home link that finds the site's root when the site sits in a
sub-folder). The palette toggle's tooltips follow the handbook's language too.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable, Iterable, MutableMapping
from typing import Any

from markupsafe import Markup, escape

from rolebook.i18n import Lang
from rolebook.labels import LABELS, label
from rolebook.resources import TEMPLATES_DIR

THEME_DIR = TEMPLATES_DIR / "site" / "theme"

# what the theme templates read from config.extra.rolebook (HTML-escaped: Material's templates print it as is)
THEME_LABELS = ("previous", "next", "not_found_title", "not_found_text", "back_home")


def configure_theme(theme: Any, extra: MutableMapping[str, Any], lang: Lang) -> None:
    """Put the overrides in front of Material's templates (after a handbook's own custom_dir) and their words into ``extra``."""
    here = str(THEME_DIR)
    if here not in theme.dirs:
        theme.dirs.insert(1 if getattr(theme, "custom_dir", None) else 0, here)
    extra["rolebook"] = {key: str(escape(label(lang, key))) for key in THEME_LABELS}
    palette = theme.get("palette")
    if isinstance(palette, list):
        for option in palette:
            toggle = option.get("toggle") if isinstance(option, dict) else None
            if isinstance(toggle, dict) and toggle.get("name") in (None, *_TOGGLE_NAMES):
                dark = option.get("scheme") == "slate"
                toggle["name"] = label(lang, "light_mode" if dark else "dark_mode")


_TOGGLE_NAMES = {*LABELS["dark_mode"], *LABELS["light_mode"]}  # a toggle named by rolebook, in either language


class NavMemo:
    """Material's navigation, each part of it drawn once for all the pages it looks the same from.

    Material draws the whole open branch of the navigation into every page (``partials/nav-item.html``):
    on a role page its department's roles and the departments beside it, 70 items or so at 1,000 roles
    and 250 at 10,000, the same on every page of the department but for the current one. rolebook's copy
    of that partial draws a section's list of items through ``draw_list`` (``rolebook_nav_list``): the run of
    items before the one on the current page's path and the run after it come out the same for every
    page whose links to them are the same, and each item off the path (not ``active``) too (``draw_item``,
    ``rolebook_nav_item``). MkDocs writes links relative to the page's folder
    (``mkdocs.utils.get_relative_url``), so they are the same from two pages side by side in one folder
    (``roles/a/`` and ``roles/b/``, or ``roles/a.html`` and ``roles/b.html``) unless a link leads into one
    of their own folders: pages whose folder holds another page are drawn as Material draws them.
    The sections on the page's path are drawn once too, around their list (``_draw_on_path``): a role page
    sits four or five sections deep, and only its own item (with its table of contents) is its own.

    One memo per build (``install``, from the plugin's ``on_env``): the navigation does not change
    within a build.
    """

    def __init__(self, page_urls: Iterable[str]) -> None:
        holding: set[tuple[str, ...]] = set()
        for url in page_urls:
            parts = _url_parts(url)
            holding.update(parts[:k] for k in range(len(parts)))
        self._holding = frozenset(holding)  # folders (as parts) with a page below them
        self._drawn: dict[tuple[Any, ...], Any] = {}
        self._seen: dict[str, tuple[Any, ...] | None] = {}  # _seen_from by page address
        self._markup = False  # whether Jinja's macros give Markup (autoescaping on): then so does the memo
        self._marking: Any = None  # the section whose list draw_list stands in for with _LIST_MARK
        self._marked: tuple[Any, Any, Any] | None = None  # what that list was asked with: index, path, level

    @classmethod
    def install(cls, env: Any, page_urls: Iterable[str]) -> None:
        """A fresh memo for the templates of ``env`` (a Jinja environment)."""
        memo = cls(page_urls)
        env.globals["rolebook_nav_item"] = memo.draw_item
        env.globals["rolebook_nav_list"] = memo.draw_list
        env.globals["rolebook_nav_index"] = memo.index_of

    def draw_item(self, render: Callable[..., Any], render_items: Callable[..., Any], item: Any, path: str, level: int, parent: Any, page: Any) -> Any:
        """``render(item, path, level, parent)``, Material's macro for one item; ``render_items``: the macro drawing
        a run of a section's items (``draw_list``), for the frame of a section on the page's path."""
        seen_from = None if page is None else self._seen_from(str(page.url))
        if seen_from is None:
            return render(item, path, level, parent)
        if item.active:
            return self._draw_on_path(render, render_items, item, path, level, parent, page, seen_from)
        key = ("item", id(item), path, level, bool(parent is not None and parent.active), seen_from)
        drawn = self._drawn.get(key)
        if drawn is None:
            drawn = self._drawn[key] = render(item, path, level, parent)
        return drawn

    def _draw_on_path(
        self, render: Callable[..., Any], render_items: Callable[..., Any], item: Any, path: str, level: int, parent: Any, page: Any, seen_from: tuple[Any, ...]
    ) -> Any:
        """A section on the page's path: what Material draws around its list of items is the same for every page below
        it (but the one that is its index page), so it is drawn once, split at the list, and the list drawn for the page.
        Anything else on the path (the page itself, a section Material would show as pages) is drawn for the page."""
        children = getattr(item, "children", None)
        if not children or item == page or getattr(item, "pages", None):
            return render(item, path, level, parent)
        first_index = next((child for child in children if getattr(child, "is_index", False)), None)
        key = ("frame", id(item), path, level, bool(parent is not None and parent.active), seen_from, first_index is not None and first_index == page)
        frame: tuple[Any, ...] | None = self._drawn.get(key)
        if frame is None:
            self._marking, self._marked = item, None
            try:
                drawn = render(item, path, level, parent)
            finally:
                self._marking = None
            text = str(drawn)
            if self._marked is None and _LIST_MARK not in text:
                frame = self._drawn[key] = (drawn,)  # no list drawn (a pruned section): the same for all
            elif self._marked is not None and text.count(_LIST_MARK) == 1:
                before, after = text.split(_LIST_MARK)
                frame = self._drawn[key] = (before, after, self._marked, isinstance(drawn, Markup))
            else:
                return render(item, path, level, parent)  # (a page that shows the mark itself: drawn as it is)
        if len(frame) == 1:
            return frame[0]
        before, after, (index, list_path, list_level), markup = frame
        listed = self.draw_list(render_items, item, index, list_path, list_level, page)
        text = before + str(listed) + after
        return Markup(text) if markup else text

    def draw_list(self, render_items: Callable[..., Any], section: Any, index: Any, path: str, level: int, page: Any) -> Any:
        """The items of ``section`` as Material's loop draws them; ``render_items(section, index, path, level,
        items, offset)`` is that loop over a run of them (offset: how many come before it)."""
        if self._marking is section:  # drawing the frame of a section on the path (_draw_on_path): the list's place
            self._marking, self._marked = None, (index, path, level)
            return _LIST_MARK
        children = list(section.children)
        seen_from = None if page is None else self._seen_from(str(page.url))
        if seen_from is None:
            return render_items(section, index, path, level, children, 0)
        here = next((k for k, child in enumerate(children) if child.active), None)
        at = (id(section), path, level, bool(section.active), seen_from)

        def piece(k: int) -> str:
            key = ("piece", *at, k)
            drawn = self._drawn.get(key)
            if drawn is None:
                drawn = self._drawn[key] = render_items(section, index, path, level, children[k : k + 1], k)
                self._markup = isinstance(drawn, Markup)
            return str(drawn)

        def run(first: int, last: int) -> str:
            key = ("run", *at, first, last)
            drawn = self._drawn.get(key)
            if drawn is None:
                drawn = self._drawn[key] = "".join(piece(k) for k in range(first, last))
            return str(drawn)

        if here is None:
            text = run(0, len(children))
            return Markup(text) if self._markup else text
        on_path = render_items(section, index, path, level, children[here : here + 1], here)
        text = run(0, here) + str(on_path) + run(here + 1, len(children))
        return Markup(text) if isinstance(on_path, Markup) else text

    def index_of(self, find_index: Callable[..., Any], section: Any) -> tuple[Any, Any]:
        """The section's index page (its first child that is one) and what Material's loop looking for it writes
        (``find_index(section)``: whitespace, the same for every page)."""
        key = ("index", id(section))
        found = self._drawn.get(key)
        if found is None:
            first = next((child for child in section.children if getattr(child, "is_index", False)), None)
            found = self._drawn[key] = (first, find_index(section))
        return found

    def _seen_from(self, url: str) -> tuple[Any, ...] | None:
        """What links from a page at ``url`` are relative to, up to its own name; None: draw for it alone."""
        if url not in self._seen:
            self._seen[url] = self._relative_to(url)
        return self._seen[url]

    def _relative_to(self, url: str) -> tuple[Any, ...] | None:
        dirname, _, basename = url.rpartition("/")
        if "." in basename:  # a file: links are relative to its folder, whatever its name
            return ("in", *_url_parts(dirname))
        parts = _url_parts(url)
        if not parts or tuple(parts) in self._holding:
            return None
        return ("beside", *parts[:-1])


_LIST_MARK = "\x00rolebook-nav-list\x00"  # not a character a page, a title or an address can hold


def _url_parts(url: str) -> tuple[str, ...]:
    """A page address as MkDocs splits it to make links relative (``mkdocs.utils._norm_parts``)."""
    path = posixpath.normpath("/" + url)[1:]
    return tuple(path.split("/")) if path else ()
