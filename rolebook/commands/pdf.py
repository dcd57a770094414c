"""``rolebook pdf``: printable job descriptions — one PDF per role, per department, and the handbook.

The PDFs are written to a temporary folder beside the destination and swapped in only
when all of them are done, so the destination never holds half a build. Bad data: the
problem report, exit 1, nothing written.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
from pathlib import Path

from rolebook.app.pipeline import check_handbook, load_settings
from rolebook.commands.common import (
    EXIT_OK,
    EXIT_PROBLEMS,
    EXIT_USAGE,
    absolute,
    add_handbook_arg,
    add_report_args,
    handbook_dir,
    pdf_failed,
    refused,
    write_pdf_summary,
    write_report,
)
from rolebook.i18n import Messages
from rolebook.outputs.pdf import PdfBuildError, PdfEngineError, write_pdfs
from rolebook.outputs.swap import Held, discard, fresh_dir, recover, swap_into_place, tmp_prefix
from rolebook.safepath import UnsafePath, output

OUR_FOLDERS = ("roles", "departments")


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:  # type: ignore[type-arg]
    p: argparse.ArgumentParser = sub.add_parser(
        "pdf",
        help="write printable job descriptions as PDF / 生成可打印的职位说明书 PDF",
        description=(
            "Check the handbook, then write one PDF per role (roles/<id>.pdf), one per department "
            "(departments/<id>.pdf) and the whole handbook (handbook.pdf). Only what changed since the "
            "last build is rendered again (cache: HANDBOOK_DIR/.rolebook-cache/pdf).\n"
            "检查手册，然后为每个岗位、每个部门和整本手册各生成一个 PDF。只重新生成有改动的部分。"
        ),
    )
    add_handbook_arg(p)
    p.add_argument(
        "--out",
        metavar="DIR",
        help="folder for the PDFs (default: HANDBOOK_DIR/site/pdf); it is replaced as a whole / PDF 输出文件夹（默认 site/pdf），整体替换",
    )
    p.add_argument("-j", "--jobs", type=int, metavar="N", help="worker processes (default: one per core) / 并行进程数（默认每个 CPU 核一个）")
    add_report_args(p)
    return p


def _foreign_files(out: Path) -> list[str]:
    """What under ``out`` a PDF build did not write (replacing ``out`` would lose it)."""
    foreign = []
    for entry in sorted(out.iterdir()):
        if entry.name in OUR_FOLDERS and entry.is_dir() and not entry.is_symlink():
            for inner in sorted(entry.iterdir()):
                if not (inner.suffix == ".pdf" and inner.is_file() and not inner.is_symlink()):
                    foreign.append(f"{entry.name}/{inner.name}")
        elif not (entry.name == "handbook.pdf" and entry.is_file() and not entry.is_symlink()):
            foreign.append(entry.name)
    return foreign


def _check_out(root: Path, out: Path, msgs: Messages) -> str | None:
    """Why ``out`` must not be replaced, or None when it is safe."""
    resolved, home = out.resolve(), root.resolve()
    if resolved == home or resolved in home.parents:
        return msgs.text("pdf/not-ours", dest=out, names=msgs.quote(home.name or str(home)))
    if not out.exists() and not out.is_symlink():
        return None
    if out.is_symlink() or not out.is_dir():
        return msgs.text("pdf/not-ours", dest=out, names=msgs.quote(out.name))
    foreign = _foreign_files(out)
    if foreign:
        shown = msgs.join([msgs.quote(f) for f in foreign[:5]]) + (" …" if len(foreign) > 5 else "")
        return msgs.text("pdf/not-ours", dest=out, names=shown)
    return None


def run(args: argparse.Namespace) -> int:
    root = handbook_dir(args)
    if root is None:
        return EXIT_USAGE
    if args.jobs is not None and args.jobs < 1:
        sys.stderr.write("rolebook pdf: --jobs must be at least 1\n")
        return EXIT_USAGE
    out = absolute(args.out) if args.out else root / "site" / "pdf"
    try:
        output(out, root)  # no link on the way leads out of the handbook: checked before anything is touched
    except UnsafePath as exc:
        return refused(exc, Messages(load_settings(root, args.lang)[0].language))
    recover(out)  # after a killed build: leftovers go, PDFs moved aside come back
    result = check_handbook(root, args.lang)
    if result.failed(args.strict) or result.handbook is None:
        write_report(result, args.format, sys.stderr)
        return EXIT_PROBLEMS
    if result.problems:  # warnings only: show them, build anyway
        write_report(result, args.format, sys.stderr)
    msgs = result.msgs
    refusal = _check_out(root, out, msgs)
    if refusal:
        sys.stderr.write(f"rolebook: {refusal}\n")
        return EXIT_PROBLEMS

    tmp: Held | None = None
    done = False
    created = [d for d in (out.parent, *out.parent.parents) if not d.exists()]
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        tmp = fresh_dir(out.parent, tmp_prefix(out))
        report = write_pdfs(result.published, tmp.path, jobs=args.jobs)
        swap_into_place(tmp, out)
        done = True
    except (PdfBuildError, PdfEngineError) as exc:
        pdf_failed(exc, result, args.format)
        return EXIT_PROBLEMS
    except UnsafePath as exc:
        return refused(exc, msgs)
    except OSError as exc:
        sys.stderr.write(f"rolebook: {msgs.text('pdf/unwritable', dest=out, detail=exc.strerror or exc)}\n")
        return EXIT_PROBLEMS
    finally:
        if not done:  # failed: leave no trace, not even the folders made for the output
            if tmp is not None:
                discard(tmp)
            for folder in created:
                with contextlib.suppress(OSError):
                    folder.rmdir()
    write_pdf_summary(report, out, result)
    return EXIT_OK
