"""A large staged site built by two processes at once: MkDocs turns pages into HTML one after another, on one core.

The main process forks a helper before MkDocs starts; both run the same MkDocs build on the same
config, and each converts and draws only its share of the role and department pages (``split``:
every other one; everything else is the main process's). Of the other process's pages each only
reads the front matter (``Page.read_source``), which is all the navigation and the footer links need
of them. The helper builds into a folder of its own, skips the theme's files and templates, and
hands over, as it finishes, what the main process needs before it writes the search index: its
pages' search entries, the anchors its pages have and the anchor links they make (so that links
between the two shares are checked as MkDocs checks them), and what it logged. The main process then
moves the helper's pages into place. The site is byte for byte the one a single process builds
(tests/test_site_shards.py).

Only rolebook's own stack is split this way (``splittable``): a handbook whose mkdocs.yml brings hooks or
other plugins is built in one process, since those may keep state across pages.
"""

from __future__ import annotations

import copy
import json
import logging
import os
import shutil
import signal
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation

from rolebook.workers import can_fork

SHARD = "rolebook-shard"
MIN_PAGES = 400  # fewer split pages than this: the fork and the second process's reading cost more than they save
KNOWN_PLUGINS = frozenset({"rolebook", "search", "material/search", "offline", "material/offline"})
RESULT = "helper.json"
LOGS = "helper-logs.json"
_HELPER_SITE = "site"
_HELPER_LOGS_DROPPED = "mkdocs.commands.build"  # the helper's "Cleaning site directory", "Documentation built in …"


class IndexesPages(Protocol):
    """The rolebook plugin's side: the search entries it cut from the pages it saw built."""

    def take_entries(self, src_uris: frozenset[str]) -> dict[str, list[dict[str, object]]]: ...
    def add_entries(self, entries: dict[str, list[dict[str, object]]]) -> None: ...


def splittable(config: MkDocsConfig, pages: Sequence[str]) -> bool:
    """Whether this build is worth splitting and safe to split: it can fork (``can_fork``), has enough pages, runs only rolebook's stack."""
    return (
        can_fork()
        and len(pages) >= MIN_PAGES
        and set(config.plugins) <= KNOWN_PLUGINS
        and not config.hooks
        and not config.strict  # strict mode counts warnings in the process that logs them
    )


def split(pages: Sequence[str]) -> frozenset[str]:
    """The helper's share: every other page (pages of one department are alike in cost, and sit side by side)."""
    return frozenset(pages[1::2])


@dataclass(frozen=True)
class Share:
    """What one process builds of the split pages: ``mine``; ``theirs``: the other process's."""

    mine: frozenset[str]
    theirs: frozenset[str]
    helper: bool
    folder: Path  # where the helper builds its pages and leaves its result

    def builds(self, src_uri: str) -> bool:
        """Whether this process builds the page: the helper only its share, the main process everything else."""
        return src_uri in self.mine if self.helper else src_uri not in self.theirs


class ShardPlugin(BasePlugin):  # type: ignore[type-arg,no-untyped-call]
    def __init__(self, share: Share, wait: Callable[[], int] | None = None) -> None:
        super().__init__()
        self.share = share
        self.wait = wait  # the main process: waits for the helper, gives its exit status
        self._pages: dict[str, File] = {}

    @classmethod
    def add(cls, config: MkDocsConfig, share: Share, wait: Callable[[], int] | None = None) -> ShardPlugin:
        plugin = cls(share, wait)
        config.plugins[SHARD] = plugin  # registers its events
        return plugin

    @event_priority(-2000)  # after the navigation is final, before MkDocs reads the pages
    def on_nav(self, nav: Navigation, /, *, config: MkDocsConfig, files: Files) -> Navigation:
        everything = files.documentation_pages
        builds = self.share.builds

        def documentation_pages(*, inclusion: Callable[[InclusionLevel], bool] = InclusionLevel.is_included) -> Sequence[File]:
            return [f for f in everything(inclusion=inclusion) if builds(f.src_uri)]

        files.documentation_pages = documentation_pages  # type: ignore[method-assign]  # MkDocs reads and builds these
        for f in everything():
            self._pages[f.src_uri] = f
            if not builds(f.src_uri) and f.page is not None and f.page.markdown is None:
                f.page.read_source(config)  # the title and front matter, for the navigation and the footer
        if self.share.helper:
            files.copy_static_files = _nothing  # type: ignore[method-assign]  # the main process copies them
        return nav

    def on_env(self, env: Any, /, *, config: MkDocsConfig, files: Files) -> Any:
        if self.share.helper:
            config.theme.static_templates.clear()  # 404.html, sitemap.xml: the main process's
            config.extra_templates.clear()
        return env

    @event_priority(1000)  # before the rolebook plugin and the search plugin write the index
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        if self.share.helper:
            self._hand_over(config)
        else:
            self._take_over(config)

    def _hand_over(self, config: MkDocsConfig) -> None:
        pages = [self._pages[s] for s in sorted(self.share.mine) if s in self._pages]
        result = {
            "entries": _indexer(config).take_entries(self.share.mine),
            "anchors": {f.src_uri: sorted(f.page.present_anchor_ids or ()) for f in pages if f.page is not None},
            "links": {
                f.src_uri: {to.src_uri: links for to, links in (f.page.links_to_anchors or {}).items() if to.src_uri not in self.share.mine}
                for f in pages
                if f.page is not None and f.page.links_to_anchors
            },
        }
        (self.share.folder / RESULT).write_text(json.dumps(result, ensure_ascii=False), encoding="utf-8")

    def _take_over(self, config: MkDocsConfig) -> None:
        assert self.wait is not None
        status = self.wait()
        result_file = self.share.folder / RESULT
        logs_file = self.share.folder / LOGS
        for name, level, message in json.loads(logs_file.read_text(encoding="utf-8")) if logs_file.is_file() else ():
            logging.getLogger(name).log(level, "%s", message)
        if status != 0 or not result_file.is_file():
            raise PluginError(f"rolebook: the second process building pages stopped (status {status})")
        result = json.loads(result_file.read_text(encoding="utf-8"))
        _indexer(config).add_entries(result["entries"])
        helper_site = self.share.folder / _HELPER_SITE
        site = Path(config.site_dir)
        for src in sorted(self.share.theirs):
            f = self._pages.get(src)
            if f is None:
                continue
            made, target = helper_site / f.dest_uri, site / f.dest_uri
            if not made.is_file():
                raise PluginError(f"rolebook: the second process building pages did not write {f.dest_uri}")
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(made, target)  # a rename where both folders are on one file system
        self._check_anchors(config, result["anchors"], result["links"])

    def _check_anchors(self, config: MkDocsConfig, anchors: dict[str, list[str]], links: dict[str, dict[str, dict[str, str]]]) -> None:
        """The anchor links between the two shares, which neither process could check alone (MkDocs' own check, its messages)."""
        level = config.validation.links.anchors
        for src, ids in anchors.items():
            f = self._pages.get(src)
            if f is not None and f.page is not None:
                f.page.present_anchor_ids = set(ids)
        theirs = self.share.theirs
        every = Files(list(self._pages.values()))
        for f in self._pages.values():
            page = f.page
            if page is None:
                continue
            if f.src_uri in theirs:
                made = {self._pages[to]: found for to, found in links.get(f.src_uri, {}).items() if to in self._pages}
            elif page.links_to_anchors:
                made = {to: found for to, found in page.links_to_anchors.items() if to.src_uri in theirs}
            else:
                continue
            if made:
                probe = copy.copy(page)
                probe.links_to_anchors = made
                probe.validate_anchor_links(files=every, log_level=level)


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[tuple[str, int, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.levelno < logging.WARNING and record.name == _HELPER_LOGS_DROPPED:
            return
        self.records.append((record.name, record.levelno, record.getMessage()))


@contextmanager
def helper_logs(folder: Path) -> Iterator[list[tuple[str, int, str]]]:
    """In the helper: what it logs is kept for the main process to log (one stream, and tests see it)."""
    collect = _Collect()
    loggers = [logging.getLogger(), *(v for v in logging.Logger.manager.loggerDict.values() if isinstance(v, logging.Logger))]
    for logger in loggers:
        for h in list(logger.handlers):
            logger.removeHandler(h)
    for logger in loggers:
        if logger is not logging.getLogger() and not logger.propagate:
            logger.addHandler(collect)
    logging.getLogger().addHandler(collect)
    try:
        yield collect.records
    finally:
        (folder / LOGS).write_text(json.dumps(collect.records, ensure_ascii=False), encoding="utf-8")


def _indexer(config: MkDocsConfig) -> IndexesPages:
    plugin = config.plugins.get("rolebook")
    if plugin is None or not callable(getattr(plugin, "take_entries", None)):
        raise PluginError("rolebook: the rolebook plugin is not in this build")
    return plugin  # type: ignore[no-any-return]


def _nothing(*args: Any, **kwargs: Any) -> None:
    return None


def build_split(config: MkDocsConfig, pages: Sequence[str], folder: Path, build: Callable[[MkDocsConfig], None]) -> None:
    """Build with ``build`` (MkDocs' build) in this process and a forked helper; ``folder``: an empty scratch folder."""
    theirs = split(pages)
    mine = frozenset(pages) - theirs
    helper_site = folder / _HELPER_SITE
    for stream in (logging.getLogger().handlers, logging.getLogger("mkdocs").handlers):
        for h in stream:
            h.flush()
    pid = os.fork()
    if pid == 0:  # the helper: never returns into the caller's code
        status = 1
        try:
            with helper_logs(folder) as said:
                try:
                    config.site_dir = str(helper_site)
                    ShardPlugin.add(config, Share(theirs, mine, True, folder))
                    build(config)
                    status = 0
                except BaseException as e:  # said by the main process, with the helper's status
                    said.append(("mkdocs", logging.ERROR, f"{type(e).__name__}: {e}"))
        finally:
            os._exit(status)

    waited: list[int] = []

    def wait() -> int:
        if not waited:
            _, code = os.waitpid(pid, 0)
            waited.append(os.waitstatus_to_exitcode(code))
        return waited[0]

    try:
        ShardPlugin.add(config, Share(mine, theirs, False, folder), wait)
        build(config)
    finally:
        if not waited:  # the main process stopped first: the helper goes too
            with suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
            wait()
