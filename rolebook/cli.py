"""The command line: ``rolebook`` / ``python build.py``.

Exit codes: 0 clean, 1 problems in the handbook (or an output could not be made),
2 usage error (unknown command or option, missing folder).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from rolebook import __version__
from rolebook.commands import build, check, export, import_, new, pdf, serve

# One module per command, each with add_parser(subparsers) and run(args) -> exit code.
COMMANDS = (check, build, serve, new, pdf, export, import_)

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


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="rolebook", description=DESCRIPTION, epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"rolebook {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in COMMANDS:
        p = module.add_parser(sub)
        p.set_defaults(run=module.run)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = make_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help(sys.stderr)
        return 2
    try:
        code: int = args.run(args)
        return code
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 1
