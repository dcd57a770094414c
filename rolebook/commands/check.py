"""``rolebook check``: report every problem in every file; write nothing."""

from __future__ import annotations

import argparse
import sys

from rolebook.commands.common import EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, add_handbook_arg, add_report_args, handbook_dir, write_report
from rolebook.pipeline import check_handbook


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:  # type: ignore[type-arg]
    p: argparse.ArgumentParser = sub.add_parser(
        "check",
        help="report every problem in every file; write nothing / 报告所有文件的所有问题，不写任何文件",
        description="Check every role and department file and report all problems as path:line:col. Writes nothing.\n检查所有岗位和部门文件，以“路径:行:列”报告所有问题。不写任何文件。",
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
