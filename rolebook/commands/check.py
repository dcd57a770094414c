"""``rolebook check``: report every problem in every file; write nothing."""

from __future__ import annotations

import argparse
import sys

from rolebook.app.pipeline import check_handbook
from rolebook.commands.common import EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, add_handbook_arg, add_report_args, handbook_dir, write_report


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:  # type: ignore[type-arg]
    p: argparse.ArgumentParser = sub.add_parser(
        "check",
        help="report every problem in every file; write nothing / 报告所有文件的所有问题，不写任何文件",
        description="Check every role and department file and report all problems as path:line:col. Writes nothing but its "
        "parse cache, in HANDBOOK_DIR/.rolebook-cache/ (refused when that folder is or holds a symbolic link).\n"
        "检查所有岗位和部门文件，以“路径:行:列”报告所有问题。除了 HANDBOOK_DIR/.rolebook-cache/ 里的解析缓存外不写任何文件"
        "（这个文件夹是符号链接或含有符号链接时报错）。",
    )
    add_handbook_arg(p)
    add_report_args(p)
    return p


def run(args: argparse.Namespace) -> int:
    root = handbook_dir(args)
    if root is None:
        return EXIT_USAGE
    result = check_handbook(root, args.lang)
    write_report(result, args.format, sys.stdout)
    return EXIT_PROBLEMS if result.failed(args.strict) else EXIT_OK
