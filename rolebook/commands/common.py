"""Options and helpers shared by the commands."""

from __future__ import annotations

import argparse
import dataclasses
import sys
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from rolebook.app.pipeline import CheckResult
from rolebook.i18n import Messages
from rolebook.problems import format_github, format_json, format_text, visible
from rolebook.safepath import UnsafePath

if TYPE_CHECKING:
    from rolebook.outputs.pdf import PdfReport

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


def add_handbook_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "handbook", nargs="?", default=".", metavar="HANDBOOK_DIR", help="the handbook folder (default: the current folder) / 手册文件夹（默认：当前文件夹）"
    )
    p.add_argument("--lang", choices=("zh", "en"), help="language of messages (default: the handbook's) / 信息的语言（默认跟随手册）")


def add_report_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--format", choices=("text", "json", "github"), default="text", help="problem report format (default: text) / 问题报告的格式")
    p.add_argument("--strict", action="store_true", help="treat warnings as failures / 把警告也当作失败")


def write_report(result: CheckResult, fmt: str, stream: TextIO) -> None:
    problems = list(result.problems)
    errors = sum(p.severity == "error" for p in problems)
    if fmt == "json":
        text = format_json(problems, result.files_checked)
    elif fmt == "github":
        text = format_github(problems)
    else:
        text = format_text(problems, result.msgs.summary(errors, len(problems) - errors, result.files_checked))
    stream.write(text)
    stream.flush()


def absolute(typed: str | Path) -> Path:
    """A file or folder named on the command line, relative to the current folder unless absolute.

    Every command turns each path it is given into an absolute one here, once, and passes only
    absolute paths on: MkDocs takes relative paths as relative to its config file (a temporary one,
    or the handbook's own mkdocs.yml), not to the folder the user typed them in. ``..`` and symlinks
    are left for the system to follow, as it would follow the path as typed.
    """
    return Path(typed).absolute()


def handbook_dir(args: argparse.Namespace) -> Path | None:
    """The handbook folder (absolute), or None after telling the user it does not exist."""
    root = absolute(args.handbook)
    if root.is_dir():
        return root
    sys.stderr.write(f"rolebook: {Messages(args.lang or 'zh').text('no-handbook-folder', path=args.handbook)}\n")
    return None


def pdf_failed(exc: BaseException, result: CheckResult, fmt: str) -> bool:
    """Report why the PDFs could not be made, if ``exc`` says so: a character no font has or an
    unusable logo (positioned problems, reported with check's), or WeasyPrint unable to run."""
    from rolebook.outputs.pdf import PdfBuildError, PdfEngineError  # heavy: only once PDFs were attempted

    if isinstance(exc, PdfBuildError):
        write_report(dataclasses.replace(result, problems=result.problems + exc.problems), fmt, sys.stderr)
        return True
    if isinstance(exc, PdfEngineError):
        sys.stderr.write(f"rolebook: {result.msgs.text('pdf/engine', detail=exc)}\n")
        return True
    return False


def write_pdf_summary(report: PdfReport, dest: Path, result: CheckResult) -> None:
    """The PDF step's warnings (stderr) and its one-line summary (stdout)."""
    for warning in report.warnings:
        sys.stderr.write(f"rolebook: {warning}\n")
    line = result.msgs.text("pdf/written", count=len(report.files), dest=dest, rendered=len(report.rendered), reused=len(report.reused), seconds=report.seconds)
    sys.stdout.write(line + "\n")


def refused(exc: UnsafePath, msgs: Messages, command: str = "") -> int:
    """Say why a path is not written (rolebook.safepath); the exit code for it."""
    sys.stderr.write(visible(f"rolebook{' ' + command if command else ''}: {exc.message(msgs)}") + "\n")
    return EXIT_PROBLEMS
