"""The command line: ``rolebook`` / ``python build.py``.

Exit codes: 0 clean, 1 problems in the handbook (or an output could not be made),
2 usage error (unknown command or option, missing folder).
"""

from __future__ import annotations

import argparse
import importlib
import signal
import sys
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from types import FrameType, ModuleType

from rolebook import __version__

# One module per command, each with add_parser(subparsers) and run(args) -> exit code.
# Imported on demand: `check` must not pay for MkDocs, WeasyPrint and openpyxl at start-up.
COMMANDS = {
    "init": "rolebook.commands.init",
    "check": "rolebook.commands.check",
    "build": "rolebook.commands.build",
    "serve": "rolebook.commands.serve",
    "new": "rolebook.commands.new",
    "pdf": "rolebook.commands.pdf",
    "export": "rolebook.commands.export",
    "import": "rolebook.commands.import_",
    "diff": "rolebook.commands.diff",
}

DESCRIPTION = """\
rolebook turns a folder of job descriptions (one YAML file per position under
roles/) into a checked handbook: a problem report, a website and printable PDFs.

rolebook 把岗位说明书文件夹（roles/ 下每个岗位一个 YAML 文件）变成经过检查的手册：
问题报告、网站和可打印的 PDF。
"""

EPILOG = """\
examples / 示例:
  python build.py check                 check the handbook in this folder / 检查当前文件夹的手册
  python build.py check path/to/hb      check another handbook / 检查另一个手册
  python build.py check --format json   machine-readable report / 机器可读的报告

exit codes / 退出码: 0 = no problems 没有问题, 1 = problems found 发现问题, 2 = usage error 用法错误
"""


def _chosen(argv: Sequence[str]) -> str | None:
    """The command named on the command line, if it is a known one."""
    first = next((a for a in argv if not a.startswith("-")), None)
    return first if first in COMMANDS else None


def make_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The full parser; with ``only``, other commands get bare placeholders (their modules are not imported)."""
    parser = argparse.ArgumentParser(prog="rolebook", description=DESCRIPTION, epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"rolebook {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, module_name in COMMANDS.items():
        if only is not None and name != only:
            sub.add_parser(name)
            continue
        module: ModuleType = importlib.import_module(module_name)
        p = module.add_parser(sub)
        p.set_defaults(run=module.run)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = make_parser(_chosen(argv))
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help(sys.stderr)
        return 2
    with terminate_cleanly():
        try:
            code: int = args.run(args)
            return code
        except KeyboardInterrupt:
            return 130
        except BrokenPipeError:
            return 1


@contextmanager
def terminate_cleanly() -> Iterator[None]:
    """SIGTERM (``kill``, a CI timeout, systemd) and SIGHUP (the terminal closed) end a command the way
    Ctrl+C does: as an exception, so half-built output folders are removed on the way out instead of
    being left behind. Exit status 128 + the signal's number, as a shell reports it."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum: int, frame: FrameType | None) -> None:
        raise SystemExit(128 + signum)

    wanted = [getattr(signal, n) for n in ("SIGTERM", "SIGHUP") if hasattr(signal, n)]
    previous = {s: signal.signal(s, stop) for s in wanted}
    try:
        yield
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)
