"""``rolebook init``: start a new handbook of one's own, from the skeleton shipped in ``rolebook/skeleton/``.

``skeleton/common/`` holds the files that are the same in either language (editor settings,
.gitignore, pre-commit, CI), ``skeleton/en/`` and ``skeleton/zh/`` the settings, the example
department and role and the guide; ``schema/`` gets copies of the package's schemas, so every
``$schema=`` modeline resolves inside the handbook. Everything is gathered and checked first;
then the files are created together (all or none), never replacing one that is there.
"""

from __future__ import annotations

import argparse
import os
import shlex
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from rolebook import __version__
from rolebook.app.pipeline import DEFAULT_LANG, load_settings
from rolebook.check.schema import is_valid
from rolebook.commands.common import EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE
from rolebook.i18n import Lang, Messages
from rolebook.load.files import ROLES_DIR, SCHEMA_FOLDER
from rolebook.load.yamledit import yaml_scalar
from rolebook.load.yamlstrict import parse_yaml
from rolebook.outputs.newfiles import NewFile, create_files, taken
from rolebook.problems import Problem, visible
from rolebook.resources import DEFAULT_MKDOCS_YML, SCHEMA_DIR, resource

SKELETON = resource("skeleton")
COMMON = "common"
ORGANISATION_MARK = "@ORGANISATION@"  # in rolebook.yml: the organisation's name, as a YAML scalar
VERSION_MARK = "@ROLEBOOK_VERSION@"  # in the CI and pre-commit files: the rolebook that wrote the handbook
SETTINGS = "rolebook.yml"
MKDOCS = "mkdocs.yml"
GUIDE = "docs/how-to-edit.md"
EXAMPLE: dict[Lang, str] = {"en": "roles/operations/office-manager.yaml", "zh": "roles/admin/admin-supervisor.yaml"}
# A folder that holds only these is still empty: a fresh `git clone` or `git init`.
IGNORED_ENTRIES = frozenset({".git"})

EPILOG = """\
examples / 示例:
  rolebook init acme-handbook --lang en --name "Acme Ltd"
  rolebook init 岗位说明书 --lang zh --name 示例集团

Writes rolebook.yml, an example department and role under roles/, the how-to-edit guide in
docs/, the schemas in schema/, VS Code settings, .gitignore, a pre-commit config and CI
templates for GitHub Actions and GitLab Pages. An existing file is never replaced.
写入 rolebook.yml、roles/ 下的示例部门和岗位、docs/ 里的编辑指南、schema/ 里的格式说明、
VS Code 设置、.gitignore、pre-commit 配置，以及 GitHub Actions 和 GitLab Pages 的 CI 模板。
已有的文件一律不会被替换。

exit codes / 退出码: 0 = written 已写入, 1 = the folder is not empty or cannot be written 文件夹不是空的或无法写入,
  2 = usage error 用法错误
"""


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:  # type: ignore[type-arg]
    p: argparse.ArgumentParser = sub.add_parser(
        "init",
        help="start a new handbook in a folder / 新建一个手册",
        description="Start a new handbook: settings, an example department and role, the guide, editor and CI files.\n"
        "新建一个手册：设置、示例部门和岗位、编辑指南、编辑器和 CI 的配置文件。",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument(
        "folder", nargs="?", default=".", metavar="DIR", help="the new handbook's folder, made if missing (default: the current folder) / 新手册的文件夹"
    )
    p.add_argument(
        "--lang",
        choices=("zh", "en"),
        help="the handbook's language, also of these messages (default: your system's, else zh) / 手册的语言（默认按系统语言，否则 zh）",
    )
    p.add_argument("--name", help="the organisation's name, e.g. 示例集团 / 组织名称")
    p.add_argument("--mkdocs", action="store_true", help="also write a mkdocs.yml to customise the site / 另外写一个 mkdocs.yml，用来定制网站")
    p.add_argument(
        "--force",
        action="store_true",
        help="add the missing files to a folder that is not empty; existing files stay as they are / 在非空文件夹里补上缺少的文件",
    )
    return p


def locale_lang(environ: Mapping[str, str]) -> Lang:
    """The language of the user's locale (the first of LC_ALL, LC_MESSAGES, LANG that is set, as gettext
    reads them): zh for a Chinese one, en for any other; rolebook's default when none is (or it is C/POSIX)."""
    value = next((environ[k] for k in ("LC_ALL", "LC_MESSAGES", "LANG") if environ.get(k)), "")
    language = value.split(".")[0].split("@")[0].split("_")[0].lower()
    if language in ("", "c", "posix"):
        return DEFAULT_LANG
    return "zh" if language == "zh" else "en"


def _fill(text: str, organisation: str) -> str:
    return text.replace(ORGANISATION_MARK, yaml_scalar(organisation)).replace(VERSION_MARK, __version__)


def mkdocs_text(msgs: Messages) -> str:
    """A full ``mkdocs.yml`` for a handbook that customises its site: rolebook's default one, under a header saying so.

    Not an ``INHERIT`` of the default: that needs the path of this installation, which changes with every venv."""
    default = DEFAULT_MKDOCS_YML.read_text(encoding="utf-8")
    body = default.split("\n\n", 1)[1]  # without the default's own header comment
    head = "".join(f"# {line}\n" for line in msgs.text("init/mkdocs-head").splitlines())
    return head + "\n" + body


def skeleton(msgs: Messages, organisation: str, *, mkdocs: bool) -> list[NewFile]:
    """Every file of a new handbook, sorted by path."""
    texts: dict[str, str] = {}
    for part in (COMMON, msgs.lang):
        base = SKELETON / part
        for path in sorted(p for p in base.rglob("*") if p.is_file()):
            texts[path.relative_to(base).as_posix()] = _fill(path.read_text(encoding="utf-8"), organisation)
    for path in sorted(SCHEMA_DIR.glob("*.schema.json")):
        texts[f"{SCHEMA_FOLDER}/{path.name}"] = path.read_text(encoding="utf-8")
    if mkdocs:
        texts[MKDOCS] = mkdocs_text(msgs)
    return [NewFile(rel, text.encode("utf-8")) for rel, text in sorted(texts.items())]


def _settings_problem(files: list[NewFile], msgs: Messages) -> Problem | None:
    """Why the rolebook.yml made from the options would not pass ``check``, if it would not."""
    text = next(f.data for f in files if f.rel == SETTINGS).decode("utf-8")
    doc = parse_yaml(text, SETTINGS, msgs)
    if isinstance(doc, Problem):
        return doc
    if not is_valid("settings", doc.data):
        return Problem(
            SETTINGS, 0, 0, "error", "invalid-value", msgs.text("invalid-value", what=msgs.quote("--name"), detail=msgs.quote(doc.data.get("organisation")))
        )
    return None


def _err(msgs: Messages, text: str) -> None:
    sys.stderr.write(visible(f"rolebook init: {msgs.text('word/error')}: {text}") + "\n")


def _is_empty(root: Path) -> bool:
    return not root.exists() or all(entry.name in IGNORED_ENTRIES for entry in root.iterdir())


def _existing_lang(root: Path) -> Lang | None:
    """The language of the handbook already in ``root``, if there is one (``--force``)."""
    if not root.is_dir() or not (root / SETTINGS).exists():
        return None
    settings, _ = load_settings(root, None)
    return settings.language


def _has_roles(root: Path) -> bool:
    roles = root / ROLES_DIR
    return roles.is_dir() and not roles.is_symlink() and any(roles.iterdir())


@dataclass(frozen=True)
class Outcome:
    folder: str  # as given, for the messages
    written: list[str]
    kept: list[str]  # already there
    examples: list[str]  # not written: the handbook has departments of its own
    lang_guessed: bool  # from the locale, not --lang or the handbook's own settings
    name_defaulted: bool  # rolebook.yml was written with the default organisation name


def run(args: argparse.Namespace) -> int:
    root = Path(args.folder)
    shown = visible(args.folder)
    existing = _existing_lang(root)
    lang: Lang = args.lang or existing or locale_lang(os.environ)
    msgs = Messages(lang)
    if args.name is not None and not args.name.strip():
        _err(msgs, msgs.text("blank-text", what=msgs.quote("--name")))
        return EXIT_USAGE
    name: str = args.name if args.name is not None else msgs.text("init/default-name")
    files = skeleton(msgs, name, mkdocs=args.mkdocs)
    problem = _settings_problem(files, msgs)
    if problem is not None:
        _err(msgs, problem.message)
        return EXIT_USAGE
    if root.exists() and not root.is_dir():
        _err(msgs, msgs.text("init/not-a-folder", dir=shown))
        return EXIT_PROBLEMS
    if not _is_empty(root) and not args.force:
        _err(msgs, msgs.text("init/not-empty", dir=shown))
        return EXIT_PROBLEMS
    try:
        # a handbook that has its departments already gets no example one
        examples = [f.rel for f in files if f.rel.startswith(f"{ROLES_DIR}/")] if _has_roles(root) else []
        kept = [f.rel for f in files if f.rel not in examples and root.is_dir() and taken(root, f.rel)]
        new = [f for f in files if f.rel not in kept and f.rel not in examples]
        create_files(root, new)
    except OSError as exc:
        _err(msgs, msgs.text("init/unwritable", path=visible(exc.filename or args.folder), detail=exc.strerror or type(exc).__name__))
        return EXIT_PROBLEMS
    written = [f.rel for f in new]
    outcome = Outcome(args.folder, written, kept, examples, args.lang is None and existing is None, args.name is None and SETTINGS in written)
    sys.stdout.write(_report(msgs, outcome))
    return EXIT_OK


def _report(msgs: Messages, o: Outcome) -> str:
    """What was written and left out, and what to do next."""
    shown = visible(o.folder)
    if not o.written:
        return msgs.text("init/nothing", dir=shown) + "\n"
    lines = [msgs.text("init/added" if o.kept or o.examples else "init/created", dir=shown), *(f"  {rel}" for rel in o.written)]
    for heading, rels in (("init/kept", o.kept), ("init/no-example", o.examples)):
        if rels:
            lines += [msgs.text(heading), *(f"  {rel}" for rel in rels)]
    if o.lang_guessed:
        lines.append(msgs.text("init/language"))
    if o.name_defaulted:
        lines.append(msgs.text("init/name", name=msgs.text("init/default-name")))
    cd = "" if Path(o.folder) == Path(".") else f"cd {shlex.quote(shown)} && "
    lines.append(msgs.text("init/next", command=f"{cd}rolebook check && rolebook serve"))
    if EXAMPLE[msgs.lang] in o.written:
        lines.append(msgs.text("init/example", path=EXAMPLE[msgs.lang]))
    lines.append(msgs.text("init/guide", path=GUIDE))
    return "\n".join(lines) + "\n"
