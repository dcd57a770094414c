"""``rolebook serve``: a live preview of the handbook site (MkDocs' dev server with live reload).

Editing a role, department, settings, schema or template file rebuilds the site and reloads
the browser. A file with an error prints the problem report and the last good pages stay
served until it is fixed.

This is ``mkdocs serve`` (mkdocs.commands.serve), with two differences: the rebuild is a method
of ``Preview``, so it can be driven and measured without a server (tests/test_serve_bounds.py
rebuilds 1,000 times in one process), and the server answers a request for a path no file can
have (a NUL or control character, bytes that are not UTF-8, a path longer than any file's) with
400 instead of failing inside the file lookup with a 500 and a traceback.
"""

from __future__ import annotations

import argparse
import logging
import shutil
import sys
import tempfile
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from os.path import isdir, isfile, join
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort, MkDocsException
from mkdocs.livereload import LiveReloadServer, _serve_url

from rolebook.app.pipeline import load_settings
from rolebook.commands.build import mkdocs_logging
from rolebook.commands.common import EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, add_handbook_arg, handbook_dir
from rolebook.i18n import Messages
from rolebook.load.files import link_problems
from rolebook.load.mkdocs_policy import mkdocs_problems
from rolebook.outputs.site import ConfigFile, mkdocs_config
from rolebook.problems import format_text

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


class PreviewServer(LiveReloadServer):
    """MkDocs' live-reload server, answering 400 to paths no file can have."""

    def serve_request(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if bad_path(environ.get("PATH_INFO", "")):
            start_response("400 Bad Request", [("Content-Type", "text/plain; charset=utf-8")])
            return [b"400 Bad Request\n"]
        result: Iterable[bytes] = super().serve_request(environ, start_response)
        return result


class Preview:
    """The site of ``config_file`` built into ``site_dir`` the way ``mkdocs serve`` builds it:
    the configuration read again for each rebuild, the plugins started once for "serve"."""

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

    def _load(self) -> MkDocsConfig:
        cf = self.config_file  # read the temporary file, but relative paths are the handbook's mkdocs.yml's
        return load_config(config_file=str(cf.read), config_file_path=str(cf.at), site_dir=str(self.site_dir), dev_addr=self.dev_addr)

    def rebuild(self, config: MkDocsConfig | None = None) -> None:
        """Build the site again (what the server runs after every change)."""
        logging.getLogger("mkdocs.commands.serve").info("Building documentation...")
        if config is None:
            config = self._load()
            config.site_url = self.url
        build(config, serve_url=self.url)

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
    server: LiveReloadServer = PreviewServer(builder=p.rebuild, host=host, port=port, root=str(p.site_dir), mount_path=p.mount_path)
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
