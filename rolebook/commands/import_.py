"""``rolebook import``: bring an edited workbook (or the CSV or JSON files of an export) back into the role and department files."""

from __future__ import annotations

import argparse
import sys

from rolebook.app.importing import plan_import
from rolebook.app.pipeline import load_settings
from rolebook.commands.common import EXIT_PROBLEMS, EXIT_USAGE, absolute, add_handbook_arg, handbook_dir
from rolebook.commands.import_apply import write_plan
from rolebook.commands.import_word import EPILOG as WORD_EPILOG
from rolebook.commands.import_word import add_arguments as add_word_arguments
from rolebook.commands.import_word import run_word
from rolebook.commands.intermixed import intermixed
from rolebook.i18n import Messages
from rolebook.load.docx_sources import is_word_source
from rolebook.load.import_write import pending, recover_import, recovery_problems
from rolebook.problems import format_text

EPILOG = """\
How it works / 工作方式:
  FILE is what `export` writes, chosen by its extension (in any case): an Excel workbook (.xlsx,
  headings in Chinese or English), CSV files (.csv, UTF-8: give any one of hb-positions.csv,
  hb-duties.csv, …; the others of the same export beside it are read too) or JSON (.json, checked
  against schema/export.schema.json).
  Everything is checked first, with the same checks as `check`; problems point at the file,
  e.g.  hb.xlsx[岗位]:7:3  = sheet 岗位, row 7, column 3 (C);  hb-duties.csv:12:5  = line 12,
  column 5 (E);  hb.json:140:20  = line 140, column 20.  Nothing is written unless the whole
  import is valid. New files are written; an existing file that would change is only replaced with
  --overwrite, and then its old version is kept in .rolebook-backup/<n>/ first. Only the values that
  changed are rewritten: comments, order and layout of the rest of each file stay as they were.
  A missing sheet or column leaves those values alone; an empty cell removes the value; files for
  rows that are not in the workbook are never deleted.
  Writing is all or nothing: if a file cannot be written (a full disk), the files already replaced
  are put back and listed; if the import is killed, the next import or check undoes it and says so.
  Nothing is read or written through a symbolic link that leads out of the handbook.
  可以导入 export 导出的 .xlsx、.csv（UTF-8；给出其中一个文件，同一次导出的其它表也会读取）或 .json 文件。
  先全部检查（与 check 相同），问题指向文件里的位置（工作表:行:列，或 CSV、JSON 文件的行:列）；
  只要有错误就什么都不写。已有文件要改变时，必须加 --overwrite，旧版本先保存在 .rolebook-backup/<编号>/ 里；
  只改变化了的值，注释和格式保持原样。
  写入要么全部完成，要么什么都不改：某个文件写不进去（例如磁盘已满）时，已替换的文件会恢复并列出；
  导入被强行中断时，下一次 import 或 check 会撤销它并给出提示。不会通过指向手册之外的链接读写任何文件。

examples / 示例:
  python build.py import hb.xlsx --dry-run       show the changes as a diff / 以 diff 显示改动
  python build.py import hb.xlsx --overwrite     write them / 写入
  python build.py import hb.xlsx new-folder      into another, e.g. new, handbook folder / 导入到另一个（例如新的）文件夹
  python build.py import out/hb-duties.csv -n    the CSV files of `export --format csv -o out/hb` / 导入 CSV 文件
  python build.py import hb.json --overwrite     the JSON of `export --format json` / 导入 JSON 文件

exit codes / 退出码: 0 = imported (or dry run) 已导入, 1 = problems, nothing written 有问题、未写入,
  2 = usage error 用法错误
"""


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:  # type: ignore[type-arg]
    p: argparse.ArgumentParser = sub.add_parser(
        "import",
        help="read an edited Excel workbook (or CSV, JSON) back into the files / 把修改过的 Excel 工作簿（或 CSV、JSON）导入回文件",
        description="Read a workbook, CSV files or JSON in the layout `export` writes and update the role and department files.\n"
        "读取 export 导出格式的工作簿、CSV 或 JSON 文件，更新岗位和部门文件。",
        epilog=EPILOG + WORD_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    intermixed(p)
    p.add_argument(
        "file",
        metavar="FILE",
        help="the workbook (.xlsx), a CSV file (.csv) or the JSON (.json) of an export; or Word job descriptions (.docx, .doc, a folder) / 工作簿、CSV 或 JSON 文件；或 Word 职位说明书",
    )
    add_handbook_arg(p)
    p.add_argument("--overwrite", action="store_true", help="replace existing files that change (old versions kept) / 替换会改变的已有文件（保留旧版本）")
    p.add_argument("--dry-run", "-n", action="store_true", help="show what would change as a diff; write nothing / 以 diff 显示改动，不写任何文件")
    add_word_arguments(p)
    return p


def run(args: argparse.Namespace) -> int:
    root = absolute(args.handbook)
    if root.exists() and handbook_dir(args) is None:  # there, but not a folder
        return EXIT_USAGE
    # a folder that does not exist yet is an empty handbook: the import creates it
    if args.dry_run and pending(root):  # planned on a half-written handbook, the diff would be wrong
        msgs = Messages(load_settings(root, args.lang)[0].language)
        sys.stderr.write(f"rolebook import: {msgs.text('import/pending')}\n")
        return EXIT_PROBLEMS
    recovered = recover_import(root) if not args.dry_run and root.is_dir() else None
    source = absolute(args.file)
    if is_word_source(source):  # .docx, .doc, or a folder of them
        return run_word(args, root, source)
    if args.department is not None:
        sys.stderr.write(f"rolebook import: {Messages(load_settings(root, args.lang)[0].language).text('docx/not-word')}\n")
        return EXIT_USAGE
    plan = plan_import(source, root, args.lang) if source.is_file() else None
    if plan is None:
        msgs = Messages(load_settings(root, args.lang)[0].language)
        sys.stderr.write(f"rolebook import: {msgs.text('import/no-file', path=args.file)}\n")
        return EXIT_USAGE
    msgs = plan.msgs
    problems = [*recovery_problems(recovered, msgs), *plan.problems]
    if problems:
        errors = sum(p.severity == "error" for p in problems)
        sys.stderr.write(format_text(problems, msgs.summary(errors, len(problems) - errors, plan.files_checked)))
    if plan.failed():
        sys.stderr.write(msgs.text("import/failed") + "\n")
        return EXIT_PROBLEMS
    return write_plan(root, plan, dry_run=args.dry_run, overwrite=args.overwrite)
