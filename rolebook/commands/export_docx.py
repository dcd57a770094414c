"""``rolebook export --format docx``: the checked handbook as editable Word job descriptions."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from rolebook.commands.common import EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, absolute
from rolebook.i18n import Messages
from rolebook.model import Handbook
from rolebook.safepath import replace_file
from rolebook.sheets.export import fixed_time


def docx_target(args: argparse.Namespace) -> Path:
    return absolute(args.output or f"{args.role or args.department or 'rolebook'}.docx")


def export_docx(args: argparse.Namespace, hb: Handbook, msgs: Messages) -> int:
    """Write the Word file: one role (--role), one department (--department) or the whole handbook."""
    if args.role is not None and args.role not in {r.id for r in hb.roles}:
        sys.stderr.write(f"rolebook export: {msgs.text('export/unknown-role', id=args.role)}\n")
        return EXIT_USAGE
    if args.department is not None and args.department not in {d.id for d in hb.departments}:
        sys.stderr.write(f"rolebook export: {msgs.text('export/unknown-department', id=args.department)}\n")
        return EXIT_USAGE
    target = docx_target(args)
    from rolebook.outputs.docx import write_docx

    data = write_docx(hb, msgs.lang, fixed_time(hb, os.environ.get("SOURCE_DATE_EPOCH")), role=args.role, department=args.department)
    try:
        replace_file(target, data)
    except OSError as exc:
        sys.stderr.write(f"rolebook export: {msgs.text('export/unwritable', path=exc.filename or target, detail=exc.strerror or type(exc).__name__)}\n")
        return EXIT_PROBLEMS
    count = 1 if args.role else len(hb.roles) if args.department is None else sum(1 for r in hb.roles if _under(hb, r.department, args.department))
    sys.stdout.write(msgs.text("export/docx-written", roles=count, path=target) + "\n" + msgs.text("export/next", path=target) + "\n")
    return EXIT_OK


def _under(hb: Handbook, dept: str, top: str) -> bool:
    return top in {d.id for d in hb.department_chain(dept)}
