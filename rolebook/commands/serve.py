"""``rolebook serve``: a live preview of the handbook site (MkDocs' dev server with live reload).

Editing a role, department, settings, schema or template file rebuilds the site and reloads
the browser. A file with an error prints the problem report and the last good pages stay
served until it is fixed.
"""

from __future__ import annotations

import argparse
import logging
import sys

from mkdocs.commands.serve import serve
from mkdocs.exceptions import Abort, MkDocsException

from rolebook.commands.build import mkdocs_logging
from rolebook.commands.common import EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, add_handbook_arg, handbook_dir
from rolebook.i18n import Messages
from rolebook.load.files import link_problems
from rolebook.load.mkdocs_policy import mkdocs_problems
from rolebook.outputs.site import mkdocs_config
from rolebook.pipeline import load_settings
from rolebook.problems import format_text


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
        with mkdocs_logging(logging.INFO), mkdocs_config(root, args.lang) as config_file:
            serve(config_file=str(config_file.read), config_file_path=str(config_file.at), livereload=True, open_in_browser=args.open, dev_addr=args.dev_addr)
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
