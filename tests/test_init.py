"""``rolebook init``: a new handbook that checks, builds and is the user's own; refusals; the files for editors, git, pre-commit and CI."""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path
from typing import Any

import pytest
import yaml

from rolebook import __version__
from rolebook.cli import main, make_parser
from rolebook.i18n import Lang, Messages
from rolebook.load.yamlstrict import parse_yaml
from rolebook.resources import DEFAULT_MKDOCS_YML

REPO = Path(__file__).resolve().parent.parent
SKELETON = REPO / "rolebook" / "skeleton"
# CJK ideographs, CJK punctuation and full-width forms: none may show in an English handbook's pages
CJK = re.compile(r"[\u2e80-\u9fff\u3000-\u303f\uf900-\ufaff\uff00-\uffef]")

SCHEMAS = [f"schema/{n}.schema.json" for n in ("department", "diff", "export", "report", "role", "settings")]
COMMON = [
    ".github/workflows/handbook.yml",
    ".gitignore",
    ".gitlab-ci.yml",
    ".pre-commit-config.yaml",
    ".vscode/extensions.json",
    ".vscode/settings.json",
    "docs/how-to-edit.md",
    "docs/index.md",
    "rolebook.yml",
]
EXAMPLES: dict[Lang, list[str]] = {
    "en": ["roles/operations/_department.yaml", "roles/operations/office-manager.yaml"],
    "zh": ["roles/admin/_department.yaml", "roles/admin/admin-supervisor.yaml"],
}


def written(lang: Lang) -> list[str]:
    return sorted([*COMMON, *EXAMPLES[lang], *SCHEMAS])


def tree(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` (links as their target's text), check's cache left out."""
    out = {}
    for p in sorted(root.rglob("*")):
        rel = p.relative_to(root).as_posix()
        if p.is_symlink():
            out[rel] = f"-> {os.readlink(p)}".encode()
        elif p.is_file() and not rel.startswith(".rolebook-cache/"):
            out[rel] = p.read_bytes()
    return out


def init(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["init", *args])
    out = capsys.readouterr()
    return code, out.out, out.err


NEXT = {
    "en": (
        "Next:\n  cd {dir} && rolebook check && rolebook serve\n  and open http://127.0.0.1:8000/ to see the handbook.\n"
        "  roles/operations/office-manager.yaml is an example position: change it, or copy it for the next one.\n"
        "  docs/how-to-edit.md (on the site: 'How to edit the handbook') explains the rest.\n"
    ),
    "zh": (
        "下一步：\n  cd {dir} && rolebook check && rolebook serve\n  然后打开 http://127.0.0.1:8000/ 查看手册。\n"
        "  roles/admin/admin-supervisor.yaml 是一个示例岗位：可以修改它，或者照着它写下一个岗位。\n"
        "  docs/how-to-edit.md（网站上的“如何编辑手册”）介绍其它的一切。\n"
    ),
}
CREATED = {"en": "Created a new handbook in {dir}:\n", "zh": "已在 {dir} 新建手册：\n"}
CHECKED = {"en": "Checked 3 files: no problems found.\n", "zh": "检查了 3 个文件，没有发现问题。\n"}
NAME = {"en": "Acme Ltd", "zh": "示例集团"}


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_init_writes_a_handbook_that_passes_check_strict(tmp_path: Path, capsys: pytest.CaptureFixture[str], lang: Lang) -> None:
    root = tmp_path / "new" / "handbook"  # the folder and its parent are made
    code, out, err = init(capsys, str(root), "--lang", lang, "--name", NAME[lang])
    assert (code, err) == (0, "")
    shown = shlex.quote(str(root))
    assert out == CREATED[lang].format(dir=root) + "".join(f"  {rel}\n" for rel in written(lang)) + NEXT[lang].format(dir=shown)
    assert sorted(tree(root)) == written(lang)
    settings = parse_yaml((root / "rolebook.yml").read_text(encoding="utf-8"), "rolebook.yml", Messages(lang))
    assert settings.data == {"organisation": NAME[lang], "language": lang, "signatures": False}  # type: ignore[union-attr]
    for rel in SCHEMAS:
        assert (root / rel).read_bytes() == (REPO / "rolebook" / rel).read_bytes()
    assert main(["check", "--strict", str(root)]) == 0
    assert capsys.readouterr().out == CHECKED[lang]


def test_init_is_deterministic_and_quotes_the_name(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    name = 'Acme: "North" #1'
    assert init(capsys, str(tmp_path / "a"), "--lang", "en", "--name", name)[0] == 0
    assert init(capsys, str(tmp_path / "b"), "--lang", "en", "--name", name)[0] == 0
    assert tree(tmp_path / "a") == tree(tmp_path / "b")
    text = (tmp_path / "a" / "rolebook.yml").read_text(encoding="utf-8")
    assert parse_yaml(text, "rolebook.yml", Messages("en")).data["organisation"] == name  # type: ignore[union-attr]
    assert main(["check", "--strict", str(tmp_path / "a")]) == 0
    capsys.readouterr()


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_key_of_the_examples_has_a_comment_above_it_in_the_handbooks_language(tmp_path: Path, capsys: pytest.CaptureFixture[str], lang: Lang) -> None:
    root = tmp_path / "hb"
    assert init(capsys, str(root), "--lang", lang)[0] == 0
    for rel in [*EXAMPLES[lang], "rolebook.yml"]:
        lines = (root / rel).read_text(encoding="utf-8").splitlines()
        comments = [ln for ln in lines if ln.lstrip().startswith("#") and "yaml-language-server" not in ln]
        assert comments, rel
        if lang == "en":
            assert not CJK.search("\n".join(lines)), rel
        else:
            assert all(
                CJK.search(c)
                for c in comments
                if not c.lstrip().startswith(("# parent:", "# logo:", "# reports_to:", "# effective_date:", "# approval_date:", "# review_every:"))
            ), rel
        # every top-level key and every key of relationships, commented or not, comes right after a comment line
        for i, line in enumerate(lines):
            if re.match(r"^([a-z_]+|  internal|  external):", line):
                above = lines[i - 1].lstrip()
                assert above.startswith("#"), f"{rel}:{i + 1}: {line!r} has no comment above it"


def test_a_folder_that_is_not_empty_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = tmp_path / "hb"
    root.mkdir()
    (root / "notes.txt").write_text("mine\n", encoding="utf-8")
    code, out, err = init(capsys, str(root), "--lang", "en")
    assert (code, out) == (1, "")
    assert err == (
        f"rolebook init: error: {root} is not empty. Start the handbook in a new or empty folder, or run again with --force"
        " to add only the files that are missing (an existing file is never replaced)\n"
    )
    assert tree(root) == {"notes.txt": b"mine\n"}
    code, out, err = init(capsys, str(root), "--lang", "zh")
    assert code == 1 and err.startswith(f"rolebook init: 错误: {root} 不是空文件夹。")
    # a file where the folder should be; a blank name
    assert init(capsys, str(root / "notes.txt"), "--lang", "en")[2] == f"rolebook init: error: {root / 'notes.txt'} is a file, not a folder\n"
    assert init(capsys, str(tmp_path / "x"), "--lang", "en", "--name", "  ") == (2, "", "rolebook init: error: '--name' is blank\n")
    assert not (tmp_path / "x").exists()


def test_a_fresh_clone_counts_as_empty(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = tmp_path / "hb"
    (root / ".git").mkdir(parents=True)
    (root / ".git" / "HEAD").write_text("ref: refs/heads/main\n", encoding="utf-8")
    assert init(capsys, str(root), "--lang", "en")[0] == 0
    assert (root / ".git" / "HEAD").read_text(encoding="utf-8") == "ref: refs/heads/main\n"
    assert (root / "roles/operations/office-manager.yaml").is_file()


def test_force_adds_what_is_missing_and_never_replaces_a_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = tmp_path / "hb"
    mine = {
        "rolebook.yml": b"organisation: Mine\nlanguage: en\n",  # an English handbook: --force follows its language
        "docs/how-to-edit.md": b"# Our own guide\n",
        ".gitignore": b"*.tmp\n",
        "roles/sales/_department.yaml": b"name: Sales\n",
        "notes.txt": b"mine\n",
    }
    for rel, data in mine.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_bytes(data)
    code, out, err = init(capsys, str(root), "--force")
    assert (code, err) == (0, "")
    after = tree(root)
    assert {rel: after[rel] for rel in mine} == mine  # nothing of the user's changed
    added = [rel for rel in written("en") if rel not in mine and not rel.startswith("roles/")]
    assert sorted(after) == sorted([*mine, *added])  # no example department beside the handbook's own
    assert out == (
        f"Added to {root} the files of a new handbook that were missing:\n"
        + "".join(f"  {rel}\n" for rel in added)
        + "Already there, left as they were:\n  .gitignore\n  docs/how-to-edit.md\n  rolebook.yml\n"
        + "Not added, as roles/ already holds the handbook's own departments:\n"
        + "".join(f"  {rel}\n" for rel in EXAMPLES["en"])
        + f"Next:\n  cd {shlex.quote(str(root))} && rolebook check && rolebook serve\n  and open http://127.0.0.1:8000/ to see the handbook.\n"
        + "  docs/how-to-edit.md (on the site: 'How to edit the handbook') explains the rest.\n"
    )
    # again: nothing left to add, nothing touched
    assert init(capsys, str(root), "--force") == (0, f"Nothing to add: every file of a new handbook is already in {root}.\n", "")
    assert tree(root) == after


def test_force_does_not_follow_links(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "settings.json").write_text("canary\n", encoding="utf-8")
    (outside / "rolebook.yml").write_text("canary\n", encoding="utf-8")
    root = tmp_path / "hb"
    root.mkdir()
    (root / ".vscode").symlink_to(outside, target_is_directory=True)  # a folder that is a link out
    (root / "rolebook.yml").symlink_to(outside / "rolebook.yml")  # a file that is a link out
    (root / "docs").symlink_to(tmp_path / "nowhere")  # a dangling link
    code, out, err = init(capsys, str(root), "--force", "--lang", "en")
    assert (code, err) == (0, "")
    assert sorted(p.name for p in outside.iterdir()) == ["rolebook.yml", "settings.json"]
    assert {p.read_text(encoding="utf-8") for p in outside.iterdir()} == {"canary\n"}
    assert not (tmp_path / "nowhere").exists()
    kept = out.split("Already there, left as they were:\n", 1)[1].split("Next:", 1)[0]
    assert kept == "".join(f"  {rel}\n" for rel in [".vscode/extensions.json", ".vscode/settings.json", "docs/how-to-edit.md", "docs/index.md", "rolebook.yml"])


def test_a_failed_init_leaves_nothing_behind(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The new folder's path is so long that only the file with the longest name cannot be made (ENAMETOOLONG):
    every file and folder written before it is removed again, the new folder too."""
    rels = written("en")
    longest = max(rels, key=len)
    need = 4095 - len(longest) - len(str(tmp_path))  # the path of `longest` comes out one character over Linux's limit
    root = tmp_path
    while need > 0:
        n = min(200, need - 1)
        if need - (n + 1) == 1:  # never leave one character: a folder name needs at least one
            n -= 1
        root, need = root / ("d" * n), need - (n + 1)
    assert len(str(root / longest)) == 4096 and [r for r in rels if len(str(root / r)) >= 4096] == [longest] and rels[0] != longest
    root.parent.mkdir(parents=True)
    before = tree(tmp_path)
    code, out, err = init(capsys, str(root), "--lang", "en")
    assert (code, out) == (1, "")
    assert err.startswith("rolebook init: error: cannot write ") and err.endswith(": File name too long; nothing was written\n")
    assert not root.exists()
    assert tree(tmp_path) == before


@pytest.mark.parametrize(
    ("env", "lang"),
    [
        ({"LANG": "en_GB.UTF-8"}, "en"),
        ({"LANG": "zh_CN.UTF-8"}, "zh"),
        ({"LC_ALL": "zh_TW.UTF-8", "LANG": "en_US.UTF-8"}, "zh"),
        ({"LANG": "de_DE"}, "en"),
        ({"LC_ALL": "C"}, "zh"),
        ({}, "zh"),
    ],
)
def test_the_default_language_is_the_locales(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, env: dict[str, str], lang: Lang
) -> None:
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    code, out, _ = init(capsys, str(tmp_path / "hb"))
    assert code == 0
    assert sorted(tree(tmp_path / "hb")) == written(lang)
    note = {
        "en": "Handbook language: English (from your system's language setting); for a Chinese handbook use --lang zh / 中文手册请用 --lang zh\n"
        "The organisation is called 'Example Ltd' for now: write its real name in rolebook.yml.\n",
        "zh": "手册语言：中文（没有用 --lang 指定）；英文手册请用 --lang en / for an English handbook use --lang en\n"
        "组织名称暂时是“示例公司”：请在 rolebook.yml 里改成实际的名称。\n",
    }[lang]
    assert note + NEXT[lang].format(dir=shlex.quote(str(tmp_path / "hb"))) in out


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_modeline_resolves_inside_the_handbook(tmp_path: Path, capsys: pytest.CaptureFixture[str], lang: Lang) -> None:
    root = tmp_path / "hb"
    assert init(capsys, str(root), "--lang", lang)[0] == 0
    # a role written by `new` into it points at the handbook's copy too
    example_dept = EXAMPLES[lang][0].split("/")[1]
    assert main(["new", "role", "helper", "-d", example_dept, "-t", "Helper", str(root)]) == 0
    capsys.readouterr()
    yaml_files = [p for p in sorted(root.rglob("*")) if p.suffix in (".yml", ".yaml") and ".github" not in p.parts]
    lined = {p.relative_to(root).as_posix() for p in yaml_files if p.read_text(encoding="utf-8").startswith("# yaml-language-server: $schema=")}
    assert lined == {"rolebook.yml", *EXAMPLES[lang], f"roles/{example_dept}/helper.yaml"}
    for rel in lined:
        ref = (root / rel).read_text(encoding="utf-8").splitlines()[0].split("$schema=", 1)[1]
        assert not ref.startswith("/") and "://" not in ref
        target = ((root / rel).parent / ref).resolve()
        assert target.is_relative_to(root.resolve()) and target.is_file(), rel
        kind = "settings" if rel == "rolebook.yml" else "department" if rel.endswith("_department.yaml") else "role"
        assert target == (root / f"schema/{kind}.schema.json").resolve()
    # VS Code maps the same files to the same copies
    settings = json.loads((root / ".vscode/settings.json").read_text(encoding="utf-8"))
    assert {s: (root / s).is_file() for s in settings["yaml.schemas"]} == {
        "./schema/role.schema.json": True,
        "./schema/department.schema.json": True,
        "./schema/settings.schema.json": True,
    }
    assert json.loads((root / ".vscode/extensions.json").read_text(encoding="utf-8")) == {"recommendations": ["redhat.vscode-yaml"]}


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_new_role_in_a_new_handbook(tmp_path: Path, capsys: pytest.CaptureFixture[str], lang: Lang) -> None:
    root = tmp_path / "hb"
    assert init(capsys, str(root), "--lang", lang)[0] == 0
    dept, boss = EXAMPLES[lang][0].split("/")[1], Path(EXAMPLES[lang][1]).stem
    assert main(["new", "role", "receptionist", "-d", dept, "-r", boss, "-t", "Receptionist", str(root)]) == 0
    number = {"en": "OPS-002", "zh": "行-002"}[lang]
    first = {
        "en": f"Created roles/{dept}/receptionist.yaml (document no. {number}, status draft).\n",
        "zh": f"已新建 roles/{dept}/receptionist.yaml（编号 {number}，状态为草稿）。\n",
    }
    out = capsys.readouterr().out
    assert out.startswith(first[lang] + {"en": "Next:\n", "zh": "下一步：\n"}[lang])  # the handbook has its schemas: nothing copied
    assert main(["check", str(root)]) == 0
    report = capsys.readouterr().out.splitlines()
    assert report[-1] == {"en": "Checked 4 files: 0 errors, 9 warnings.", "zh": "检查了 4 个文件：0 个错误，9 个警告。"}[lang]
    assert all(line.startswith(f"roles/{dept}/receptionist.yaml:") and "[placeholder]" in line for line in report[:-1])


def _html_text(html: str) -> str:
    return re.sub(r"<[^>]+>", " ", re.sub(r"<script.*?</script>|<style.*?</style>", " ", html, flags=re.S))


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_new_handbook_builds_with_the_guide_in_its_language(tmp_path: Path, capsys: pytest.CaptureFixture[str], lang: Lang) -> None:
    root = tmp_path / "hb"
    assert init(capsys, str(root), "--lang", lang, "--name", NAME[lang])[0] == 0
    assert main(["build", "--no-pdf", str(root)]) == 0, capsys.readouterr().err
    site = root / "site"
    role = EXAMPLES[lang][1].split("/")[-1].removesuffix(".yaml")
    assert (site / "roles" / f"{role}.html").is_file()
    guide = (site / "how-to-edit.html").read_text(encoding="utf-8")
    home = (site / "index.html").read_text(encoding="utf-8")
    title = {"en": "How to edit the handbook", "zh": "如何编辑手册"}[lang]
    assert re.findall(r"<h1[^>]*>([^<]*)", guide) == [title] and f"<title>{title} - {NAME[lang]}</title>" in guide
    assert title in _html_text(home)  # the guide is in the navigation
    intro = {"en": "This handbook holds the job description of every position", "zh": "本手册按部门收录每个岗位的职位说明书"}[lang]
    assert intro in _html_text(home)
    if lang == "en":
        # not one Chinese character in the English guide's page (scripts and all) or in the home page's text
        assert CJK.findall(guide) == []
        assert CJK.findall(_html_text(home)) == []
    else:
        assert "rolebook check" in guide and "python build.py" not in guide


def test_mkdocs_yml_is_written_only_when_asked_and_the_site_uses_it(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    plain, custom = tmp_path / "plain", tmp_path / "custom"
    assert init(capsys, str(plain), "--lang", "en")[0] == 0
    assert not (plain / "mkdocs.yml").exists()
    code, out, _ = init(capsys, str(custom), "--lang", "en", "--mkdocs")
    assert code == 0 and "  mkdocs.yml\n" in out
    text = (custom / "mkdocs.yml").read_text(encoding="utf-8")
    assert text.startswith("# This handbook's own MkDocs config: `rolebook build` and `rolebook serve` use it instead of rolebook's\n")
    assert text.endswith(DEFAULT_MKDOCS_YML.read_text(encoding="utf-8").split("\n\n", 1)[1])  # the built-in settings, in full
    assert "INHERIT" not in text
    (custom / "mkdocs.yml").write_text(text + "copyright: Acme's own footer line\n", encoding="utf-8")
    assert main(["build", "--no-pdf", str(custom)]) == 0, capsys.readouterr().err
    assert "Acme's own footer line" in (custom / "site/index.html").read_text(encoding="utf-8")
    assert (custom / "site/roles/office-manager.html").is_file()


def test_gitignore_leaves_out_what_rolebook_makes_and_nothing_else(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = tmp_path / "hb"
    assert init(capsys, str(root), "--lang", "en")[0] == 0
    made = ["site/index.html", ".rolebook-cache/check.json", ".rolebook-backup/1/rolebook.yml", ".venv/bin/python", "public/index.html"]
    own = ["roles/site/_department.yaml", "docs/site/page.md", "rolebook.yml", "schema/role.schema.json", ".github/workflows/handbook.yml"]
    for rel in made + own:
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).touch()
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    result = subprocess.run(["git", "-C", str(root), "check-ignore", "--no-index", *made, *own], capture_output=True, text=True, check=False)
    assert result.stdout.splitlines() == made


def _commands(lines: list[str]) -> list[list[str]]:
    """The `rolebook …` command lines of a list of shell lines."""
    out = []
    for block in lines:
        for line in block.splitlines():
            words = shlex.split(line, comments=True)
            if words and words[0] == "rolebook":
                out.append(words[1:])
    return out


def _parses(argv: list[str]) -> Any:
    """``argv`` as rolebook's argument parser reads it; fails the test if it is not a valid command line."""
    try:
        return make_parser(argv[0]).parse_args(argv)
    except SystemExit as exc:
        pytest.fail(f"rolebook {' '.join(argv)} is not a valid command line ({exc})")


def test_the_ci_templates_run_real_rolebook_commands(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = tmp_path / "hb"
    assert init(capsys, str(root), "--lang", "en")[0] == 0
    gh = yaml.safe_load((root / ".github/workflows/handbook.yml").read_text(encoding="utf-8"))
    assert set(gh[True]) == {"push", "pull_request", "workflow_dispatch"}  # YAML 1.1 reads the key `on` as true
    build, deploy = gh["jobs"]["build"], gh["jobs"]["deploy"]
    steps = build["steps"]
    assert steps[0] == {"uses": "actions/checkout@v4", "with": {"fetch-depth": 0}}
    runs = [s["run"] for s in steps if "run" in s]
    assert any("apt-get install" in r and " graphviz " in r and " fonts-noto-cjk " in r for r in runs)
    assert f'pip install "rolebook=={__version__}"' in runs
    commands = _commands(runs)
    assert commands == [["check", "--format", "github"], ["build"]]
    built = _parses(commands[1])
    upload = next(s for s in steps if str(s.get("uses", "")).startswith("actions/upload-pages-artifact@"))
    assert upload["with"]["path"] == "site" and built.site_dir is None  # build's default site/ is what is published
    assert _parses(commands[0]).format == "github"
    assert deploy["needs"] == "build" and deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert [s["uses"] for s in deploy["steps"]] == ["actions/deploy-pages@v4"]
    assert "pull_request" in deploy["if"]

    gl = yaml.safe_load((root / ".gitlab-ci.yml").read_text(encoding="utf-8"))
    assert gl["variables"]["GIT_DEPTH"] == "0"  # a shallow clone would cut the revision history short
    assert f'pip install --quiet "rolebook=={__version__}"' in gl["default"]["before_script"]
    assert _commands(gl["check"]["script"]) == [["check"]]
    pages = _commands(gl["pages"]["script"])
    assert pages == [["check"], ["build", "--site-dir", "public"]]
    assert _parses(pages[1]).site_dir == gl["pages"]["artifacts"]["paths"][0] == "public"
    for argv in [*commands, *pages]:
        _parses(argv)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_guides_commands_are_real_rolebook_commands(lang: Lang) -> None:
    guide = (SKELETON / lang / "docs/how-to-edit.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```bash\n(.*?)```", guide, flags=re.S)
    commands = _commands(blocks) + [shlex.split(c)[1:] for c in re.findall(r"`(rolebook [^`]*)`", guide)]
    assert len(commands) >= 12 and "build.py" not in guide
    assert {argv[0] for argv in commands} == {"check", "serve", "new", "export", "import", "build", "init"}
    for argv in commands:
        _parses([a for a in argv if a != "…"])


def test_pre_commit_hooks_for_handbook_repositories(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert [h["id"] for h in hooks] == ["rolebook-check", "rolebook-check-strict"]
    for hook in hooks:
        assert hook["language"] == "python" and hook["pass_filenames"] is False
        argv = shlex.split(hook["entry"])
        assert argv[0] == "rolebook"  # the console script of the package pre-commit installs
        args = _parses(argv[1:])
        assert args.command == "check" and args.strict == (hook["id"] == "rolebook-check-strict")
        files = re.compile(hook["files"])
        assert [p for p in ["roles/cs/clerk.yaml", "roles/cs/_department.yaml", "rolebook.yml", "schema/role.schema.json"] if not files.search(p)] == []
        assert [p for p in ["docs/index.md", "myrolebook.yml", "rolebook.yml.bak", "src/roles/x.yaml"] if files.search(p)] == []
    # a new handbook's .pre-commit-config.yaml uses them from rolebook's repository
    root = tmp_path / "hb"
    assert init(capsys, str(root), "--lang", "zh")[0] == 0
    config = yaml.safe_load((root / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    urls = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]["urls"]
    assert config == {"repos": [{"repo": urls["Repository"], "rev": f"v{__version__}", "hooks": [{"id": "rolebook-check"}]}]}


@pytest.mark.slow
def test_the_wheel_ships_the_skeleton(tmp_path: Path) -> None:
    """Built from a copy of the sources (so the checkout gets no build/ folder); slow: pip sets up a build environment."""
    src = tmp_path / "src"
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        (src / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(REPO / name, src / name)
    shutil.copytree(REPO / "rolebook", src / "rolebook", ignore=shutil.ignore_patterns("__pycache__"))
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", str(src), "-w", str(tmp_path / "dist")], check=True, capture_output=True)
    (wheel,) = (tmp_path / "dist").glob("rolebook-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    shipped = {p.relative_to(REPO).as_posix() for p in SKELETON.rglob("*") if p.is_file()}
    assert {".gitignore", ".github/workflows/handbook.yml", ".vscode/settings.json"} <= {n.split("/", 3)[-1] for n in shipped}  # dot-files too
    assert shipped - names == set()
