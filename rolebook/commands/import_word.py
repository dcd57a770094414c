"""``rolebook import FILE.docx | FILE.doc | FOLDER``: Word job descriptions into role files, with a review report."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from rolebook.app.importing_word import WordPlan, plan_word
from rolebook.app.pipeline import load_settings
from rolebook.commands.common import EXIT_PROBLEMS, EXIT_USAGE
from rolebook.commands.import_apply import write_plan
from rolebook.i18n import Messages
from rolebook.ids import ID_RE
from rolebook.load.docx_records import Review, where_text
from rolebook.problems import format_text, visible

EPILOG = """\
Word job descriptions / Word 职位说明书:
  FILE.docx (.docm, .dotx, .dotm too; macros never run), FILE.doc, .wps, .odt or .rtf (converted with
  LibreOffice when installed) or a FOLDER of them: each document may hold several job descriptions,
  one after another, in the standard form (one big table, a table per part, or "职位名称：…" lines);
  page headers and footers, text boxes and content controls are read too. Ids come from the titles (pinyin); new positions are status: draft,
  with a comment at each value that was guessed. The review report points into the documents
  (FILE.docx: table 2, row 3 / paragraph 14); fix those items, then set status: approved.
  --department D puts every position into department D.
  可以导入 .docx、.docm、.dotx、.doc、.wps、.odt、.rtf（后四种需要 LibreOffice）或装有它们的文件夹；
  每份文档可以包含多份职位说明书；页眉页脚、文本框、内容控件里的文字也会读取。
  标识按职位名称的拼音生成；新岗位为草稿（status: draft），猜测的值旁边有注释；核对清单指向文档中的位置。
  python build.py import 岗位说明书.docx --dry-run     show the files / 显示将写入的文件
  python build.py import 说明书文件夹/ --department customer-service
"""


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--department", metavar="D", help="Word documents: put every position into department D (its id) / Word 文档：把所有岗位放入部门 D")


def run_word(args: argparse.Namespace, root: Path, source: Path) -> int:
    department = getattr(args, "department", None)
    msgs = Messages(load_settings(root, args.lang)[0].language)
    if department is not None and not ID_RE.fullmatch(department):
        sys.stderr.write(f"rolebook import: {msgs.text('docx/bad-department', value=department)}\n")
        return EXIT_USAGE
    if not source.exists():
        sys.stderr.write(f"rolebook import: {msgs.text('import/no-file', path=args.file)}\n")
        return EXIT_USAGE
    word = plan_word(source, root, args.lang, department)
    plan = word.plan
    msgs = plan.msgs
    _report(word, msgs)
    if not word.roles:
        sys.stderr.write(msgs.text("docx/nothing") + "\n")
        return EXIT_PROBLEMS
    if plan.problems:
        errors = sum(p.severity == "error" for p in plan.problems)
        sys.stderr.write(format_text(list(plan.problems), msgs.summary(errors, len(plan.problems) - errors, plan.files_checked)))
    if plan.failed():
        sys.stderr.write(msgs.text("import/failed") + "\n")
        return EXIT_PROBLEMS
    return write_plan(root, plan, dry_run=args.dry_run, overwrite=args.overwrite)


def _report(word: WordPlan, msgs: Messages) -> None:
    """The review report: what was guessed, missing or left over, in document order; errors on stderr."""
    notes = [r for r in word.reviews if not r.error]
    for r in word.reviews:
        if r.error:
            sys.stderr.write(visible(f"{_where(r, msgs)}: {r.message}") + "\n")
    out = [msgs.text("docx/read", roles=word.roles, docs=word.documents)]
    if notes:
        out.append(msgs.text("docx/review", count=len(notes)))
        out.extend(visible(f"  {_where(r, msgs)}: {r.target + ': ' if r.target else ''}{r.message}") for r in notes)
    sys.stdout.write("\n".join(out) + "\n")


def _where(r: Review, msgs: Messages) -> str:
    if not (r.where.paragraph or r.where.table):
        return r.source
    return f"{r.source}: {where_text(r.where, msgs)}"
