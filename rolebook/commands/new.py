"""``rolebook new role|department``: scaffold a new file that passes ``check`` with only placeholder warnings."""

from __future__ import annotations

import argparse
import contextlib
import sys
from collections.abc import Callable
from pathlib import Path

from rolebook.app.new import Known, department_text, new_number, number_taken, role_text, scan
from rolebook.app.pipeline import load_settings
from rolebook.check.suggest import nearest_id
from rolebook.commands.common import EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, add_handbook_arg, handbook_dir
from rolebook.commands.intermixed import Intermixed
from rolebook.i18n import Lang, Messages
from rolebook.ids import ID_RE, id_message
from rolebook.load.files import DEPARTMENT_FILE, ROLE_SUFFIXES, ROLES_DIR, SCHEMA_FOLDER, read_text
from rolebook.load.yamledit import YamlEditError, modeline, update_yaml, write_atomic
from rolebook.load.yamlstrict import parse_yaml
from rolebook.outputs.newfiles import create_files, schema_copy
from rolebook.outputs.swap import signals_deferred
from rolebook.problems import Problem, visible
from rolebook.safepath import UnsafePath, inside

EPILOG = """\
examples / 示例:
  python build.py new department front-office --name 前台部 --parent property
  python build.py new role receptionist --department front-office --reports-to cs-manager --title 前台接待

The new file is a draft full of placeholders (（待填写） / (to fill in)); `check` lists them as
warnings until they are filled in. Nothing is ever overwritten.
新文件是草稿，占位文字“（待填写）”在填写之前会被 check 列为警告。不会覆盖任何已有文件。

exit codes / 退出码: 0 = created 已新建, 1 = the file exists or cannot be written 文件已存在或无法写入,
  2 = usage error (invalid id, unknown department or superior) 用法错误（标识无效、部门或上级不存在）
"""


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:  # type: ignore[type-arg]
    p: argparse.ArgumentParser = sub.add_parser(
        "new",
        help="scaffold a new role or department file / 新建岗位或部门文件",
        description="Write a new role or department file with every section, short comments and placeholders.\n"
        "新建一个岗位或部门文件：各部分齐全，带简短注释和占位文字。",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    kinds = p.add_subparsers(dest="kind", metavar="KIND", required=True, parser_class=Intermixed)
    r = kinds.add_parser(
        "role",
        help="a new position: roles/DEPARTMENT/ROLE_ID.yaml / 新岗位",
        description="Write roles/DEPARTMENT/ROLE_ID.yaml. 新建 roles/部门标识/岗位标识.yaml。",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    r.add_argument(
        "role_id", metavar="ROLE_ID", help="the new role's id = its file name: lowercase letters, digits and '-' / 岗位标识（文件名）：小写字母、数字和“-”"
    )
    r.add_argument("--department", "-d", required=True, metavar="DEPT", help="id (folder name) of an existing department / 已有部门的标识（文件夹名）")
    r.add_argument("--title", "-t", required=True, help="the position's title, e.g. 前台接待 / 职位名称")
    r.add_argument(
        "--reports-to", "-r", metavar="ROLE", help="role id of the direct superior (leave out for a top position) / 直接上级的岗位标识（最高岗位不写）"
    )
    r.add_argument("--number", "-n", help="document number (default: the department's next free one, e.g. 客-009) / 编号（默认：本部门下一个空号）")
    add_handbook_arg(r)
    d = kinds.add_parser(
        "department",
        help="a new department: roles/DEPT_ID/_department.yaml / 新部门",
        description="Write roles/DEPT_ID/_department.yaml. 新建 roles/部门标识/_department.yaml。",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    d.add_argument("dept_id", metavar="DEPT_ID", help="the new department's id = its folder name / 部门标识（文件夹名）")
    d.add_argument("--name", required=True, help="the department's name, e.g. 客服部 / 部门名称")
    d.add_argument("--parent", "-p", metavar="DEPT", help="id of the parent department (leave out at the top) / 上级部门的标识（最高一级不写）")
    add_handbook_arg(d)
    return p


# ---------------------------------------------------------------------------
# the command


def _err(msgs: Messages, text: str, hint: str = "") -> None:
    sys.stderr.write(visible(f"rolebook new: {msgs.text('word/error')}: {text}") + "\n")
    if hint:
        sys.stderr.write(f"    {hint}\n")


def _valid_id(msgs: Messages, ident: str) -> bool:
    message = id_message(ident, msgs, length=False)
    if message is not None:
        _err(msgs, message)
    return message is None


def _known_department(msgs: Messages, known: Known, dept: str) -> bool:
    if dept in known.departments:
        return True
    near = nearest_id(dept, known.department_names())
    if near:
        _err(msgs, msgs.text("unknown-parent/suggest", id=dept, suggestion=known.described_department(near)))
    else:  # suggest creating it only under a name that can be created
        _err(msgs, msgs.text("unknown-parent", id=dept), msgs.text("new/create-department", id=dept) if ID_RE.fullmatch(dept) else "")
    return False


def _may_write_new(msgs: Messages, root: Path, rel: str) -> bool:
    """Whether the new file ``rel`` may be written: its folder stays inside the handbook and nothing is there yet."""
    path = root / rel
    try:
        inside(path.parent, root)  # the department folder: no link on the way out of the handbook
    except UnsafePath as exc:
        _err(msgs, exc.message(msgs))
        return False
    try:
        taken = path.exists() or path.is_symlink()
    except OSError as exc:  # a name too long for the file system …
        _err(msgs, msgs.text("new/unwritable", path=rel, detail=exc.strerror or type(exc).__name__))
        return False
    if taken:
        _err(msgs, msgs.text("new/exists", path=rel))
    return not taken


def _write_new(msgs: Messages, root: Path, rel: str, text: str) -> bool:
    try:
        write_atomic(root / rel, text)
    except OSError as exc:  # a name too long for the file system, a read-only folder …
        _err(msgs, msgs.text("new/unwritable", path=rel, detail=exc.strerror or type(exc).__name__))
        return False
    return True


def _copy_schema(root: Path, kind: str) -> str | None:
    """Give a handbook without one a copy of the ``kind`` schema (see ``schema_copy``); its path when it was written."""
    copy = schema_copy(root, kind)
    if copy is None:
        return None
    try:
        create_files(root, [copy])
    except OSError:
        return None  # the modeline points at this installation's copy instead
    return copy.rel


def _write_with_schema(msgs: Messages, root: Path, rel: str, kind: str, text: Callable[[str], str]) -> tuple[bool, str | None]:
    """Write the new file ``rel`` (``text`` of its modeline), with a copy of its schema when the handbook has none; both or neither."""
    if not _may_write_new(msgs, root, rel):
        return False, None  # refused before anything is written, the schema copy included
    had_folder = (root / SCHEMA_FOLDER).exists()
    copied = _copy_schema(root, kind)
    written = False
    try:
        written = _write_new(msgs, root, rel, text(modeline(root, root / rel, kind)))
    finally:
        if copied is not None and not written:
            with contextlib.suppress(OSError):
                (root / copied).unlink()
                if not had_folder:
                    (root / SCHEMA_FOLDER).rmdir()
    return written, copied if written else None


def run(args: argparse.Namespace) -> int:
    root = handbook_dir(args)
    if root is None:
        return EXIT_USAGE
    settings, _ = load_settings(root, args.lang)
    msgs = Messages(settings.language)
    if args.kind == "department":
        return _new_department(args, root, msgs, settings.languages)
    return _new_role(args, root, msgs, settings.languages)


def _new_department(args: argparse.Namespace, root: Path, msgs: Messages, languages: tuple[Lang, ...] = ()) -> int:
    dept: str = args.dept_id
    if not _valid_id(msgs, dept):
        return EXIT_USAGE
    if not args.name.strip():
        _err(msgs, msgs.text("blank-text", what=msgs.quote("--name")))
        return EXIT_USAGE
    known = scan(root, msgs)
    if args.parent is not None and not _known_department(msgs, known, args.parent):
        return EXIT_USAGE
    rel = f"{ROLES_DIR}/{dept}/{DEPARTMENT_FILE}"
    with signals_deferred():
        ok, copied = _write_with_schema(
            msgs, root, rel, "department", lambda head: department_text(msgs.lang, head=head, name=args.name, parent=args.parent, languages=languages)
        )
    if not ok:
        return EXIT_PROBLEMS
    out = [msgs.text("new/created-department", path=rel)]
    if copied:
        out.append(msgs.text("new/schema-copied", path=copied))
    sys.stdout.write("\n".join([*out, msgs.text("new/next", path=rel)]) + "\n")
    return EXIT_OK


def _new_role(args: argparse.Namespace, root: Path, msgs: Messages, languages: tuple[Lang, ...] = ()) -> int:
    rid: str = args.role_id
    dept: str = args.department
    if not _valid_id(msgs, rid):
        return EXIT_USAGE
    if not args.title.strip():  # the file would fail check at once
        _err(msgs, msgs.text("blank-text", what=msgs.quote("--title")))
        return EXIT_USAGE
    known = scan(root, msgs)
    ok = _known_department(msgs, known, dept)
    sup: str | None = args.reports_to
    if sup is not None and sup not in known.roles:
        near = nearest_id(sup, known.role_titles())
        if near:
            _err(msgs, msgs.text("unknown-superior/suggest", id=sup, suggestion=known.described_role(near)))
        else:
            _err(msgs, msgs.text("unknown-superior", id=sup))
        ok = False
    if not ok:
        return EXIT_USAGE
    rel = f"{ROLES_DIR}/{dept}/{rid}{ROLE_SUFFIXES[0]}"
    taken = next((src.rel for other, (src, _) in sorted(known.roles.items()) if other.lower() == rid.lower()), None)
    if taken is not None:
        _err(msgs, msgs.text("new/exists", path=rel) if taken == rel else msgs.text("new/id-taken", id=rid, path=taken))
        return EXIT_PROBLEMS
    number: str | None = args.number
    if number is not None:
        if not number.strip():
            _err(msgs, msgs.text("blank-text", what=msgs.quote("--number")))
            return EXIT_USAGE
        other = number_taken(known, number)
        if other is not None:
            _err(msgs, msgs.text("duplicate-number", number=number, other=other))
            return EXIT_USAGE
    else:
        number = new_number(known, dept, rid, msgs)
    with signals_deferred():  # Ctrl+C or SIGTERM waits until the new file and the superior's list are both written
        ok, copied = _write_with_schema(
            msgs, root, rel, "role", lambda head: role_text(msgs.lang, head=head, number=number, title=args.title, reports_to=sup, languages=languages)
        )
        if not ok:
            return EXIT_PROBLEMS
        added = _add_subordinate(root, known, sup, rid, msgs) if sup is not None else None
    out = [msgs.text("new/created", path=rel, number=number)]
    if added:
        out.append(msgs.text("new/added-subordinate", id=rid, path=added))
    if copied:
        out.append(msgs.text("new/schema-copied", path=copied))
    if sup is not None:
        _warn_if_unreadable(root, known.roles[sup][0].rel, rid, msgs)
    out.append(msgs.text("new/next", path=rel))
    sys.stdout.write("\n".join(out) + "\n")
    return EXIT_OK


def _warn_if_unreadable(root: Path, rel: str, rid: str, msgs: Messages) -> None:
    """The superior's file could not be read: whether it lists its subordinates (and so needs the new role) is unknown."""
    text = read_text(root, rel, msgs)
    problem = text if isinstance(text, Problem) else parse_yaml(text, rel, msgs)
    if isinstance(problem, Problem):
        sys.stderr.write(visible(f"{problem.location()}: {problem.severity} [{problem.code}] {problem.message}") + "\n")
        sys.stderr.write(f"    {msgs.text('new/superior-unreadable', path=rel, id=rid)}\n")


def _add_subordinate(root: Path, known: Known, sup: str, rid: str, msgs: Messages) -> str | None:
    """When the superior lists its subordinates explicitly, add the new role there (else check would fail)."""
    src, data = known.roles[sup]
    listed = data.get("subordinates")
    if not isinstance(listed, list) or rid in listed:
        return None
    new = dict(data)
    new["subordinates"] = [*listed, rid]
    try:
        inside(root / src.rel, root)
        text = (root / src.rel).read_bytes().decode("utf-8")  # keeps a BOM and CRLF line ends as they are
        write_atomic(root / src.rel, update_yaml(text, new, src.rel))
    except UnsafePath as exc:
        _err(msgs, exc.message(msgs))
        return None
    except (OSError, UnicodeDecodeError, YamlEditError) as exc:
        _err(msgs, msgs.text("new/unwritable", path=src.rel, detail=getattr(exc, "strerror", None) or str(exc)))
        return None
    return src.rel
