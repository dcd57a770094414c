"""``rolebook export``: the checked handbook as a spreadsheet (XLSX), CSV tables or JSON."""

from __future__ import annotations

import argparse
import dataclasses
import os
import sys
from pathlib import Path

from rolebook.app.pipeline import check_handbook, load_settings
from rolebook.commands.common import EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, absolute, add_handbook_arg, handbook_dir, refused, write_report
from rolebook.commands.export_docx import docx_target, export_docx
from rolebook.i18n import Lang, Messages
from rolebook.load.files import ROLE_SUFFIXES, ROLES_DIR, SETTINGS_FILE
from rolebook.problems import format_text, sort_problems
from rolebook.safepath import UnsafePath, output, replace_file
from rolebook.sheets.export import fixed_time, sheet_problems, write_csv, write_json, write_xlsx
from rolebook.sheets.layout import TABLES

EPILOG = """\
outputs / 输出:
  xlsx  one workbook, sheets 岗位 Positions, 职责 Duties, 职责综述 Summary, 部门 Departments,
        工作流程 Workflows, 设置 Settings; edit it in Excel and bring it back with `import`
        (default file: rolebook.xlsx in the current folder)
  csv   the same tables, one file each: FILE-positions.csv, FILE-duties.csv, … (UTF-8 with BOM);
        -o names the file stem or an existing folder (default: rolebook-*.csv here); edit them in
        any tool and bring them back with `import` (any one of the files). Cells starting with
        = + - @ get a leading ' so spreadsheets do not run them
  json  the whole checked model (schema/export.schema.json); -o - writes to standard output;
        a file comes back with `import` too
  docx  Word job descriptions in the standard form, editable: the whole handbook (default file
        rolebook.docx), --department D (that department and those under it) or --role ID (one
        job description); a Word document comes back with `import` too

Only a handbook that passes `check` is exported (warnings are fine); otherwise the report is
printed and nothing is written. Two exports of the same files are byte-identical (the date inside
comes from SOURCE_DATE_EPOCH or the latest effective date, never the clock).
只有通过 check 的手册才会导出；同样的文件每次导出的结果完全相同。

examples / 示例:
  python build.py export                          rolebook.xlsx
  python build.py export --format csv -o out/hb   out/hb-positions.csv, out/hb-duties.csv, …
  python build.py export --format json -o -       JSON to standard output
"""


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:  # type: ignore[type-arg]
    p: argparse.ArgumentParser = sub.add_parser(
        "export",
        help="export to Excel (xlsx), CSV or JSON / 导出为 Excel、CSV 或 JSON",
        description="Export the checked handbook as an Excel workbook, CSV tables or JSON.\n把检查通过的手册导出为 Excel 工作簿、CSV 表格或 JSON。",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--format", "-f", choices=("xlsx", "csv", "json", "docx"), default="xlsx", help="output format (default: xlsx) / 输出格式（默认 xlsx）")
    p.add_argument("--role", metavar="ID", help="docx: only this role's job description / docx：只导出这个岗位")
    p.add_argument("--department", metavar="D", help="docx: only this department (with its sub-departments) / docx：只导出这个部门（含下级部门）")
    p.add_argument("-o", "--output", metavar="FILE", help="where to write (see below) / 输出到哪里（见下）")
    add_handbook_arg(p)
    return p


def _csv_stem(output: str | None) -> Path:
    if output is None:
        return absolute("rolebook")
    if output.endswith(("/", os.sep)) or Path(output).is_dir():
        return absolute(output) / "rolebook"
    path = absolute(output)
    return path.with_suffix("") if path.suffix.lower() == ".csv" else path


def run(args: argparse.Namespace) -> int:
    root = handbook_dir(args)
    if root is None:
        return EXIT_USAGE
    if args.format != "docx" and (args.role or args.department):
        sys.stderr.write(f"rolebook export: {Messages(load_settings(root, args.lang)[0].language).text('export/docx-only')}\n")
        return EXIT_USAGE
    result = check_handbook(root, args.lang)
    if result.failed() or result.handbook is None:
        write_report(result, "text", sys.stderr)
        return EXIT_PROBLEMS
    msgs = result.msgs
    lang: Lang = msgs.lang
    # --lang changes the words, never the data: the Settings sheet keeps the language rolebook.yml asks for
    real, _ = load_settings(root, None)
    hb = dataclasses.replace(result.handbook, settings=dataclasses.replace(result.handbook.settings, language=real.language))
    # a handbook in two languages: the model in each other language fills the columns of that language
    translations = {x: t for x in hb.settings.languages[1:] if (t := result.handbook_in(x)) is not None}
    found = list(result.problems)  # warnings: shown, as build and pdf show them
    if args.format not in ("json", "docx"):
        found += sheet_problems(hb, msgs, lang, translations)
    if found:
        errors = sum(p.severity == "error" for p in found)
        sys.stderr.write(format_text(sort_problems(found), msgs.summary(errors, len(found) - errors, result.files_checked)))
        if errors:
            return EXIT_PROBLEMS
    for target in _targets(args):
        try:
            output(target, root)  # no link inside the handbook leads out on the way, and the file itself is no link
        except UnsafePath as exc:
            return refused(exc, msgs, "export")
        if _handbook_file(root, target):
            sys.stderr.write(f"rolebook export: {msgs.text('export/overlaps', path=target)}\n")
            return EXIT_PROBLEMS
    if args.format == "docx":
        return export_docx(args, hb, msgs)
    try:
        if args.format == "xlsx":
            path = absolute(args.output or "rolebook.xlsx")
            replace_file(path, write_xlsx(hb, lang, fixed_time(hb, os.environ.get("SOURCE_DATE_EPOCH")), translations))
            shown = str(path)
        elif args.format == "csv":
            stem = _csv_stem(args.output)
            tables = write_csv(hb, lang, translations)
            for table in TABLES:
                path = stem.with_name(f"{stem.name}-{table.key}.csv")
                replace_file(path, tables[table.key])
            shown = str(stem.with_name(f"{stem.name}-*.csv"))
        else:
            text = write_json(hb)
            if args.output == "-":
                sys.stdout.write(text)
                return EXIT_OK
            path = absolute(args.output or "rolebook.json")
            replace_file(path, text.encode("utf-8"))
            shown = str(path)
    except OSError as exc:
        return _unwritable(msgs, str(exc.filename or args.output), exc)
    out = [msgs.text("export/written", roles=len(hb.roles), depts=len(hb.departments), path=shown)]
    # every format comes back with `import` (a CSV export by any one of its files)
    back = stem.with_name(f"{stem.name}-positions.csv") if args.format == "csv" else shown
    out.append(msgs.text("export/next-xlsx" if args.format == "xlsx" else "export/next", path=back))
    sys.stdout.write("\n".join(out) + "\n")
    return EXIT_OK


def _targets(args: argparse.Namespace) -> list[Path]:
    """Every file the export would write."""
    if args.format == "csv":
        stem = _csv_stem(args.output)
        return [stem.with_name(f"{stem.name}-{table.key}.csv") for table in TABLES]
    if args.format == "json" and args.output == "-":
        return []
    if args.format == "docx":
        return [docx_target(args)]
    return [absolute(args.output or f"rolebook.{args.format}")]


def _handbook_file(root: Path, target: Path) -> bool:
    """Whether writing ``target`` would replace one of the handbook's own files (settings, roles, departments)."""
    try:
        real, home = target.resolve(), root.resolve()
    except (OSError, RuntimeError):
        return False
    return real == home / SETTINGS_FILE or (real.is_relative_to(home / ROLES_DIR) and real.suffix in ROLE_SUFFIXES)


def _unwritable(msgs: Messages, path: str, exc: OSError) -> int:
    sys.stderr.write(f"rolebook export: {msgs.text('export/unwritable', path=path, detail=exc.strerror or type(exc).__name__)}\n")
    return EXIT_PROBLEMS
