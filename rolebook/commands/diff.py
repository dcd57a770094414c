"""``rolebook diff``: what changed between two revisions (or two folders) of a handbook, field by field."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from rolebook.app.diff import Compared, DiffError, plan, run_diff
from rolebook.app.pipeline import load_settings
from rolebook.commands.common import EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE
from rolebook.i18n import Messages
from rolebook.problems import visible
from rolebook.render.revisions import diff_markdown
from rolebook.revisions.report import text_lines, to_json

EXIT_DIFFERENT = 1


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:  # type: ignore[type-arg]
    p: argparse.ArgumentParser = sub.add_parser(
        "diff",
        help="what changed, field by field, between two revisions or folders / 按字段比较两个版本或两个文件夹的差异",
        description="Compare two snapshots of the handbook field by field: positions added, removed, renamed or moved to "
        "another department, each changed field, reporting lines, headcount per department. Default: the last commit "
        "(HEAD) and the work tree. One revision: it and the work tree. Two handbook folders: the two folders. Comments and "
        "formatting are not changes; duties are matched by content. Writes nothing into the handbook but check's parse "
        "cache (HANDBOOK_DIR/.rolebook-cache/); a revision is read into a scratch folder under the temporary folder.\n"
        "按字段比较手册的两个版本：新增、删除、改名或调到其他部门的岗位，每个改动的字段，汇报关系，各部门人数。"
        "默认比较最近一次提交（HEAD）和工作区；给一个版本：比较它和工作区；给两个手册文件夹：比较这两个文件夹。"
        "注释和格式不算改动；岗位职责按内容对应。除了检查的解析缓存（HANDBOOK_DIR/.rolebook-cache/）外不向手册写任何文件；"
        "历史版本读到临时文件夹里的一个草稿文件夹中。",
    )
    p.add_argument("names", nargs="*", metavar="REV_A [REV_B] [HANDBOOK_DIR]", help="revisions and/or the handbook folder / 版本和（或）手册文件夹")
    p.add_argument("--format", choices=("text", "json", "markdown"), default="text", help="output format (default: text) / 输出格式")
    p.add_argument("--exit-code", action="store_true", help="exit 1 when there are differences (for CI) / 有差异时退出码为 1（用于 CI）")
    p.add_argument("--lang", choices=("zh", "en"), help="language of the output (default: the handbook's) / 输出的语言（默认跟随手册）")
    return p


def _label(rev: str | None, commit: str | None, folder: Path) -> dict[str, str | None]:
    return {"revision": rev, "commit": commit, "folder": None if rev is not None else str(folder)}


def _write(done: Compared, fmt: str) -> None:
    msgs = done.msgs
    if fmt == "json":
        data = to_json(done.diff, msgs, _label(done.old.rev, done.old_commit, done.old.folder), _label(done.new.rev, done.new_commit, done.new.folder))
        sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    elif fmt == "markdown":
        sys.stdout.write(diff_markdown(done.diff, msgs))
    else:
        lines = text_lines(done.diff, msgs) or [msgs.text("diff/none")]
        sys.stdout.write("".join(visible(line) + "\n" for line in lines))
    sys.stdout.flush()


def run(args: argparse.Namespace) -> int:
    cwd = Path.cwd()
    try:
        chosen = plan(list(args.names), cwd)
    except DiffError as exc:
        sys.stderr.write(f"rolebook diff: {exc.message(Messages(args.lang or 'zh'))}\n")
        return EXIT_USAGE
    if not chosen.root.is_dir():
        sys.stderr.write(f"rolebook diff: {Messages(args.lang or 'zh').text('no-handbook-folder', path=chosen.root)}\n")
        return EXIT_USAGE
    settings, _ = load_settings(chosen.root, args.lang)
    lang = args.lang or settings.language
    try:
        done = run_diff(chosen, lang)
    except DiffError as exc:
        sys.stderr.write(visible(f"rolebook diff: {exc.message(Messages(lang))}") + "\n")
        return EXIT_USAGE if exc.usage else EXIT_PROBLEMS
    _write(done, args.format)
    return EXIT_DIFFERENT if args.exit_code and done.diff else EXIT_OK
