"""``rolebook pdf``: printable job descriptions — one PDF per role, per department, and the handbook.

The PDFs are written to a temporary folder beside the destination and swapped in only
when all of them are done, so the destination never holds half a build. Bad data: the
problem report, exit 1, nothing written. ``--role ID`` / ``--department ID`` (repeatable)
write only those PDFs; the folder's other PDFs are kept, and the swap is the same. An
unknown id: "did you mean …", exit 2.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import sys
from pathlib import Path

from rolebook.app.build import write_language_pdfs
from rolebook.app.pipeline import check_handbook, load_settings
from rolebook.check.suggest import nearest_id
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
from rolebook.i18n import LANGS, Messages
from rolebook.model import Handbook
from rolebook.outputs.pdf import PdfBuildError, PdfEngineError, Selection
from rolebook.outputs.swap import Held, discard, fresh_dir, recover, swap_into_place, tmp_prefix
from rolebook.problems import visible
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
    p.add_argument(
        "--role",
        action="append",
        dest="roles",
        metavar="ID",
        help="write only this position's PDF (repeatable; other PDFs in the folder are kept) / 只生成这个岗位的 PDF（可重复；文件夹里其它 PDF 保留）",
    )
    p.add_argument(
        "--department",
        action="append",
        dest="departments",
        metavar="ID",
        help="write only this department's PDF (repeatable; other PDFs in the folder are kept) / 只生成这个部门的 PDF（可重复；文件夹里其它 PDF 保留）",
    )
    p.add_argument("-j", "--jobs", type=int, metavar="N", help="worker processes (default: one per core) / 并行进程数（默认每个 CPU 核一个）")
    add_report_args(p)
    return p


def _foreign_files(out: Path) -> list[str]:
    """What under ``out`` a PDF build did not write (replacing ``out`` would lose it)."""
    foreign: list[str] = []
    for entry in sorted(out.iterdir()):
        if entry.name in LANGS and entry.is_dir() and not entry.is_symlink():  # another language's PDFs
            foreign.extend(f"{entry.name}/{name}" for name in _foreign_files(entry))
        elif entry.name in OUR_FOLDERS and entry.is_dir() and not entry.is_symlink():
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


def _selection(args: argparse.Namespace, handbook: Handbook, msgs: Messages) -> tuple[bool, Selection | None]:
    """Whether every id is known (else each unknown one is named), and the PDFs asked for with
    --role / --department (None: all of them)."""
    roles: list[str] = args.roles or []
    departments: list[str] = args.departments or []
    if not roles and not departments:
        return True, None
    titles: dict[str, str | None] = {r.id: r.title for r in handbook.roles}
    names: dict[str, str | None] = {d.id: d.name for d in handbook.departments}
    ok = True
    for wanted, known, kind in [(r, titles, "role") for r in roles] + [(d, names, "department") for d in departments]:
        if wanted in known:
            continue
        ok = False
        near = nearest_id(wanted, known)
        if near is None:
            text = msgs.text(f"pdf/unknown-{kind}", id=wanted)
        else:
            text = msgs.text(f"pdf/unknown-{kind}/suggest", id=wanted, suggestion=f"{near} ({known[near]})")
        sys.stderr.write(visible(f"rolebook pdf: {msgs.text('word/error')}: {text}") + "\n")
    return ok, Selection(frozenset(roles), frozenset(departments))


def _keep_others(out: Path, new: Path) -> None:
    """Put into the new folder ``new`` the PDFs of ``out`` it does not hold (a selection's build
    replaces only the PDFs it made): hard links where possible, else copies."""
    if not out.is_dir():
        return
    for src in sorted(out.rglob("*.pdf")):
        target = new / src.relative_to(out)
        if target.exists() or src.is_symlink() or not src.is_file():
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(src, target)
        except OSError:
            shutil.copyfile(src, target)


def run(args: argparse.Namespace) -> int:
    root = handbook_dir(args)
    if root is None:
        return EXIT_USAGE
    if args.jobs is not None and args.jobs < 1:
        sys.stderr.write(f"rolebook pdf: {Messages(load_settings(root, args.lang)[0].language).text('usage/jobs')}\n")
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
    known, selection = _selection(args, result.handbook, msgs)
    if not known:
        return EXIT_USAGE
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
        report = write_language_pdfs(result, tmp.path, jobs=args.jobs, selection=selection, previous=out)
        if selection is not None:
            _keep_others(out, tmp.path)
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
