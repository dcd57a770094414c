"""Writing a checked import plan, for every kind of source (spreadsheets, CSV, JSON, Word): the
--dry-run diff, existing files replaced only with --overwrite, and what was written or restored."""

from __future__ import annotations

import sys
from pathlib import Path

from rolebook.app.importing import apply_import
from rolebook.commands.common import EXIT_OK, EXIT_PROBLEMS
from rolebook.i18n import Messages
from rolebook.load.files import BACKUP_DIR
from rolebook.load.import_plan import ImportPlan
from rolebook.load.import_write import ImportBusy, ImportWriteError, LeadsOut, describe


def write_plan(root: Path, plan: ImportPlan, *, dry_run: bool, overwrite: bool) -> int:
    """Write a checked plan: --dry-run shows the diff and writes nothing, existing files only with
    --overwrite (backed up first), all or nothing. The exit code."""
    msgs = plan.msgs
    if dry_run:
        sys.stdout.write(plan.diff())
        sys.stdout.write(msgs.text("import/dry-run", created=plan.created, updated=plan.updated, unchanged=plan.unchanged) + "\n")
        return EXIT_OK
    if plan.replaced() and not overwrite:
        for rel in plan.replaced():
            sys.stderr.write(msgs.text("import/would-replace", path=rel) + "\n")
        sys.stderr.write(msgs.text("import/failed") + "\n")
        return EXIT_PROBLEMS
    written = _write(root, plan, msgs)
    if written is False:
        return EXIT_PROBLEMS
    out: list[str] = []
    for c in plan.changes:
        if c.moved_from is not None:
            out.append(msgs.text("import/moved", old=c.moved_from, path=c.rel))
        elif c.new_text is not None:
            out.append(msgs.text("import/created" if c.old_text is None else "import/updated", path=c.rel))
    out.append(msgs.text("import/done", file=plan.source, created=plan.created, updated=plan.updated, unchanged=plan.unchanged))
    if written is not None:
        out.append(msgs.text("import/backup", path=f"{written}/"))
    sys.stdout.write("\n".join(out) + "\n")
    return EXIT_OK


def _write(root: Path, plan: ImportPlan, msgs: Messages) -> str | bool | None:
    """Write the plan; the backup folder (None when nothing was backed up), or False after saying why nothing was written."""
    try:
        return apply_import(root, plan)
    except LeadsOut as exc:
        sys.stderr.write(f"rolebook import: {msgs.text('import/symlink-outside', path=exc.rel, target=exc.target)}\n")
    except ImportBusy as exc:
        sys.stderr.write(f"rolebook import: {msgs.text('import/busy' if exc.running else 'import/journal-unknown', path=BACKUP_DIR + '/journal.json')}\n")
    except ImportWriteError as exc:
        cause = exc.cause
        where = exc.rel or cause.filename or root
        sys.stderr.write(f"rolebook import: {msgs.text('import/unwritable', path=where, detail=cause.strerror or type(cause).__name__)}\n")
        if exc.pending is not None:
            sys.stderr.write(msgs.text("import/undo-pending", detail=exc.pending.strerror or type(exc.pending).__name__) + "\n")
        else:
            for line in describe(exc.undone, msgs):
                sys.stderr.write(line + "\n")
            sys.stderr.write(msgs.text("import/rolled-back", restored=len(exc.undone.restored), removed=len(exc.undone.removed)) + "\n")
    except OSError as exc:  # before anything in the handbook changed (the backup could not be made)
        sys.stderr.write(f"rolebook import: {msgs.text('import/unwritable', path=exc.filename or root, detail=exc.strerror or type(exc).__name__)}\n")
        sys.stderr.write(msgs.text("import/failed") + "\n")
    return False
