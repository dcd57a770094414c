"""``rolebook serve``: a live preview of the handbook site (MkDocs' dev server with live reload).

Editing a role, department, settings, schema or template file rebuilds the site and reloads
the browser. A file with an error prints the problem report, the last good pages stay served
until it is fixed, and each page shows a banner with the errors.

The first build is a full MkDocs build; after an edit of role files only the pages it changes
are written again (rolebook.app.serve: the page, its department, the pages that list or link
it, the search entries), anything else rebuilds the whole site. This is ``mkdocs serve``
(mkdocs.commands.serve) otherwise, with these differences: the rebuild is a method of
``Preview``, so it can be driven and measured without a server (tests/test_serve_bounds.py
rebuilds hundreds of times in one process); files are watched through the system's change
notifications (inotify) where it has them, not by polling every file twice a second; and the
server answers a request for a path no file can have (a NUL or control character, bytes that
are not UTF-8, a path longer than any file's) with 400 instead of failing inside the file
lookup with a 500 and a traceback.
"""

from __future__ import annotations

import argparse
import gc
import logging
import shutil
import sys
import tempfile
import time
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from os.path import isdir, isfile, join
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from markupsafe import escape
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort, MkDocsException
from mkdocs.livereload import LiveReloadServer, _serve_url

from rolebook.app.pipeline import CheckResult, check_handbook, load_settings
from rolebook.app.serve import LiveSite, Snapshot, snapshot
from rolebook.commands.build import mkdocs_logging
from rolebook.commands.common import EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, add_handbook_arg, handbook_dir, write_report
from rolebook.i18n import Messages
from rolebook.load.files import ROLES_DIR, link_problems
from rolebook.load.mkdocs_policy import mkdocs_problems
from rolebook.mkdocs_plugin import RolebookPlugin, _lang
from rolebook.outputs.live import Capture, LivePages, rolebook_indexes
from rolebook.outputs.site import ConfigFile, mkdocs_config
from rolebook.problems import format_text, visible
from rolebook.render.incremental import PageRenderer
from rolebook.revisions.history import HistoryCache, read_history, with_revisions

log = logging.getLogger("mkdocs.commands.serve")

MAX_PATH_BYTES = 4096  # longer than any path of a file the site can hold (Linux's PATH_MAX)


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:  # type: ignore[type-arg]
    p: argparse.ArgumentParser = sub.add_parser(
        "serve",
        help="preview the website; it reloads as you edit / 预览网站，修改文件后自动刷新",
        description=(
            "Serve the handbook website at http://127.0.0.1:8000/ and rebuild it whenever a file under roles/, "
            "rolebook.yml, docs/ or mkdocs.yml changes; the browser reloads by itself. Problems are printed here.\n"
            "在 http://127.0.0.1:8000/ 预览手册网站；roles/、rolebook.yml、docs/ 或 mkdocs.yml 有改动时自动重新生成，"
            "浏览器自动刷新。发现的问题会打印在这里。"
        ),
    )
    add_handbook_arg(p)
    p.add_argument("-a", "--dev-addr", default="127.0.0.1:8000", metavar="IP:PORT", help="address to serve on (default: 127.0.0.1:8000) / 服务地址")
    p.add_argument("--open", action="store_true", help="open the preview in the default browser / 在默认浏览器中打开")
    return p


def bad_path(path_info: str) -> bool:
    """A request path no file of the site can have. ``path_info`` is WSGI's PATH_INFO: the
    percent-decoded bytes of the path, as latin-1 text."""
    raw = path_info.encode("latin-1", "replace")
    if len(raw) > MAX_PATH_BYTES:
        return True
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return True
    return any(unicodedata.category(ch) == "Cc" for ch in text)


def _change_observer() -> Any:
    """The system's file notifications (inotify on Linux), reporting changes only — not the opening and
    reading of files, which every check does (each would start a rebuild, forever). ``None`` where there
    are none; MkDocs' polling observer, which stats every watched file twice a second, is kept then."""
    try:
        from watchdog.events import FileCreatedEvent, FileDeletedEvent, FileModifiedEvent, FileMovedEvent
        from watchdog.observers import Observer
    except ImportError:
        return None
    changes = [FileCreatedEvent, FileDeletedEvent, FileModifiedEvent, FileMovedEvent]

    class ChangesOnly(Observer):  # type: ignore[misc,valid-type]
        def schedule(self, handler: Any, path: Any, *, recursive: bool = False, event_filter: Any = None, follow_symlink: bool = False) -> Any:
            return super().schedule(handler, path, recursive=recursive, event_filter=event_filter or changes, follow_symlink=follow_symlink)

    try:
        return ChangesOnly()
    except Exception:  # no notifications on this system
        return None


class PreviewServer(LiveReloadServer):
    """MkDocs' live-reload server, answering 400 to paths no file can have, watching files through
    the system's notifications, and showing ``banner()`` (the errors of the last edit) on every page."""

    def __init__(self, *args: Any, banner: Callable[[], bytes] = lambda: b"", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.banner = banner
        native = _change_observer()
        if native is not None:
            self.observer = native

    def _inject_js_into_html(self, content: bytes, epoch: int) -> bytes:
        out: bytes = super()._inject_js_into_html(content, epoch)  # type: ignore[no-untyped-call]
        banner = self.banner()
        if banner:
            at = out.find(b">", out.find(b"<body")) + 1 if b"<body" in out else 0
            out = out[:at] + banner + out[at:]
        return out

    def serve_request(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if bad_path(environ.get("PATH_INFO", "")):
            start_response("400 Bad Request", [("Content-Type", "text/plain; charset=utf-8")])
            return [b"400 Bad Request\n"]
        result: Iterable[bytes] = super().serve_request(environ, start_response)
        return result


class Preview:
    """The site of ``config_file`` built into ``site_dir`` the way ``mkdocs serve`` builds it:
    the configuration read again for each full rebuild, the plugins started once for "serve";
    after an edit of role files only the pages it changes are written again (``LiveSite``)."""

    def __init__(self, config_file: ConfigFile, site_dir: Path, dev_addr: str) -> None:
        self.config_file = config_file
        self.site_dir = site_dir
        self.dev_addr = dev_addr
        self.config = self._load()
        self.config.plugins.on_startup(command="serve", dirty=False)
        host, port = self.config.dev_addr
        self.mount_path = urlsplit(self.config.site_url or "/").path
        self.url = _serve_url(host, port, self.mount_path)
        self.config.site_url = self.url
        plugin = self._plugin(self.config)
        self.root = plugin.handbook_root(self.config)
        self.lang = _lang(plugin.config.lang)
        self.live = LiveSite()
        self.history_cache = HistoryCache()  # the git log, kept while HEAD stays (every plugin instance shares it)
        plugin.history_cache = self.history_cache
        self.problems: tuple[str, int] | None = None  # the errors of the last edit (report text, count), while they last
        self.last: tuple[str, int, float] = ("none", 0, 0.0)  # what the last rebuild did: full/pages/failed, pages, seconds

    def _load(self) -> MkDocsConfig:
        cf = self.config_file  # read the temporary file, but relative paths are the handbook's mkdocs.yml's
        return load_config(config_file=str(cf.read), config_file_path=str(cf.at), site_dir=str(self.site_dir), dev_addr=self.dev_addr)

    @staticmethod
    def _plugin(config: MkDocsConfig) -> RolebookPlugin:
        plugin = next((p for p in config.plugins.values() if isinstance(p, RolebookPlugin)), None)
        if plugin is None:
            raise Abort(f"{config.config_file_path} does not enable the rolebook plugin (plugins: - rolebook)")
        return plugin

    def _inputs(self, config: MkDocsConfig) -> Snapshot:
        """Everything watched besides the role files: when it changes, the whole site is built again."""
        paths = [Path(config.docs_dir), *(Path(p) for p in config.watch)]
        if config.config_file_path:
            paths.append(Path(config.config_file_path))
        return snapshot(paths, skip=[self.root / ROLES_DIR])

    def rebuild(self, config: MkDocsConfig | None = None) -> None:
        """Build the site again (what the server runs after every change): the pages an edit changes,
        or everything; with an error, the last good pages stay and ``problems`` says why."""
        log.info("Building documentation...")
        start = time.perf_counter()
        if config is None and self.live.handbook is not None:
            result = check_handbook(self.root, self.lang)
            if result.failed():
                self._failed(result)
                gc.collect()
                self.last = ("failed", 0, time.perf_counter() - start)
                return
            self.problems = None
            model = result.handbook_from(self.live.handbook)
            assert model is not None
            # the history again for the uncommitted changes; git's log is read again only after a commit
            # (HEAD moved), and then every page can show something new: a full build
            head = self.history_cache.head
            history = read_history(self.root, model, self.history_cache)
            renderer = self.live.renderer
            same = renderer is not None and history.available == renderer.history.available and self.history_cache.head == head
            if renderer is not None and same:
                renderer.history = history
            handbook = with_revisions(model, history)
            try:
                written = self.live.update(handbook, self._inputs(self.config)) if same else None
            except Exception as e:  # e.g. Graphviz on a new title: the full build reports it
                log.info(f"partial rebuild failed ({e!r}); building everything")
                written = None
            gc.collect()  # this rebuild's garbage, before the next check freezes what is alive (only what is not frozen is scanned)
            if written is not None:
                if result.problems:
                    write_report(result, "text", sys.stderr)
                seconds = time.perf_counter() - start
                self.last = ("pages", written, seconds)
                log.info(result.msgs.text("serve/pages", pages=written, seconds=seconds))
                return
            self._full(self._fresh_config(), result)
        else:
            self._full(config if config is not None else self._fresh_config(), None)
        self.problems = None
        self.last = ("full", 0, time.perf_counter() - start)

    def _fresh_config(self) -> MkDocsConfig:
        config = self._load()
        config.site_url = self.url
        return config

    def _full(self, config: MkDocsConfig, result: CheckResult | None) -> None:
        """The whole site (MkDocs), kept for the partial rebuilds that follow."""
        plugin = self._plugin(config)
        plugin.history_cache = self.history_cache
        if result is not None:
            plugin.use_result(result)
        capture = Capture.add(config)
        self.live = LiveSite()  # the previous site's pages go before the new build makes its own
        started = time.time_ns()
        build(config, serve_url=self.url)
        self.config = config
        inputs = self._inputs(config)  # what the plugins watch is known once they have run
        if any(mtime >= started for _, mtime, _ in inputs):  # changed while building: the next edit builds everything
            inputs = frozenset([("", -1, -1)])
        handbook = plugin._handbook  # what the plugin built: the check's, or the last good one
        if handbook is None or capture.files is None:
            return
        docs_pages, intro = plugin.home_inputs
        renderer = PageRenderer(config.use_directory_urls, plugin.config.pdf_links, docs_pages, intro, plugin._history)
        self.live.built(handbook, LivePages(config, capture, rolebook_indexes(config, handbook)), renderer, inputs)

    def _failed(self, result: CheckResult) -> None:
        write_report(result, "text", sys.stderr)
        errors = sum(p.severity == "error" for p in result.problems)
        log.error("rolebook: " + result.msgs.text("site/showing-last-good", errors=errors))
        shown = [p for p in result.problems if p.severity == "error"][:20]
        self.problems = (format_text(shown, result.msgs.text("serve/last-good", errors=errors)), errors)

    def banner(self) -> bytes:
        """The errors of the last edit, for the top of every served page (empty when there are none)."""
        if self.problems is None:
            return b""
        text = visible(self.problems[0])
        style = (
            "position:sticky;top:0;z-index:1000;margin:0;padding:.6em 1em;background:#b71c1c;color:#fff;"
            "font:13px/1.4 monospace;white-space:pre-wrap;max-height:40vh;overflow:auto"
        )
        return f'<pre id="rolebook-serve-problems" role="alert" style="{style}">{escape(text)}</pre>'.encode()

    def error_page(self, code: int) -> bytes | None:
        page = join(self.site_dir, f"{code}.html")
        if code in (404, 500) and isfile(page):
            with open(page, "rb") as fh:
                return fh.read()
        return None


@contextmanager
def preview(config_file: ConfigFile, dev_addr: str) -> Iterator[Preview]:
    """A Preview building into a temporary folder, removed afterwards; the plugins are shut down."""
    site_dir = Path(tempfile.mkdtemp(prefix="mkdocs_"))
    try:
        p = Preview(config_file, site_dir, dev_addr)
        try:
            yield p
        finally:
            p.config.plugins.on_shutdown()
    finally:
        if isdir(site_dir):
            shutil.rmtree(site_dir)


def _serve(p: Preview, open_in_browser: bool) -> None:
    host, port = p.config.dev_addr
    server: LiveReloadServer = PreviewServer(builder=p.rebuild, host=host, port=port, root=str(p.site_dir), mount_path=p.mount_path, banner=p.banner)
    server.error_handler = p.error_page
    p.rebuild(p.config)  # the first build
    server.watch(p.config.docs_dir)
    if p.config.config_file_path:
        server.watch(p.config.config_file_path)
    server = p.config.plugins.on_serve(server, config=p.config, builder=p.rebuild)
    for item in p.config.watch:
        server.watch(item)
    try:
        server.serve(open_in_browser=open_in_browser)  # type: ignore[no-untyped-call]
    except KeyboardInterrupt:
        logging.getLogger("mkdocs.commands.serve").info("Shutting down...")
    finally:
        server.shutdown()


def run(args: argparse.Namespace) -> int:
    root = handbook_dir(args)
    if root is None:
        return EXIT_USAGE
    settings, _ = load_settings(root, args.lang)
    msgs = Messages(settings.language)
    # what MkDocs reads before rolebook's plugin checks anything: mkdocs.yml (safe to read, runs no code) and docs/
    unsafe = link_problems(root, msgs) + mkdocs_problems(root, msgs)
    if unsafe:
        sys.stderr.write(format_text(unsafe, msgs.text("site/not-built", errors=len(unsafe))))
        return EXIT_PROBLEMS
    sys.stderr.write(msgs.text("serve/starting", addr=args.dev_addr) + "\n")
    try:
        with mkdocs_logging(logging.INFO), mkdocs_config(root, args.lang) as config_file, preview(config_file, args.dev_addr) as p:
            _serve(p, args.open)
    except Abort as e:  # the report is already printed (the plugin prints it before aborting)
        sys.stderr.write(f"{e.format_message().strip()}\n")
        return EXIT_PROBLEMS
    except MkDocsException as e:
        sys.stderr.write("rolebook: " + msgs.text("site/failed", detail=e.format_message().strip()) + "\n")
        return EXIT_PROBLEMS
    except OSError as e:  # e.g. the port is taken
        sys.stderr.write(f"rolebook: {e}\n")
        return EXIT_PROBLEMS
    return EXIT_OK
