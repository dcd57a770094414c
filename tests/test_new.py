"""`new role` / `new department`: scaffolds that pass check with only placeholder warnings, and refusals."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from rolebook.app.new import Known, next_number, scan
from rolebook.app.pipeline import check_handbook
from rolebook.cli import main
from rolebook.i18n import Messages
from rolebook.load.yamlstrict import parse_yaml
from tests.scratch import ONE_LANGUAGE, make_handbook, minimal

REPO = Path(__file__).resolve().parent.parent


def sample_copy(tmp_path: Path) -> Path:
    root = tmp_path / "hb"
    root.mkdir()
    shutil.copy(ONE_LANGUAGE / "rolebook.yml", root / "rolebook.yml")
    shutil.copytree(ONE_LANGUAGE / "roles", root / "roles")
    shutil.copytree(REPO / "schema", root / "schema")
    return root


def tree(root: Path) -> dict[str, bytes]:
    """Every file of the handbook (not check's cache)."""
    files = (p for p in sorted(root.rglob("*")) if p.is_file() and not p.relative_to(root).as_posix().startswith(".rolebook-cache/"))
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in files}


def only_placeholders(root: Path) -> list[str]:
    result = check_handbook(root)
    assert not result.failed(), [p for p in result.problems if p.severity == "error"]
    assert {p.code for p in result.problems} <= {"placeholder"}
    return [p.path for p in result.problems]


def test_new_role_in_the_sample(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = sample_copy(tmp_path)
    before = tree(root)
    code = main(["new", "role", "receptionist", "--department", "customer-service", "--reports-to", "cs-manager", "--title", "前台接待", str(root)])
    out = capsys.readouterr()
    assert code == 0, out.err
    rel = "roles/customer-service/receptionist.yaml"
    assert out.out.startswith(f"已新建 {rel}（编号 客-009，状态为草稿）。\n已把“receptionist”加到 roles/customer-service/cs-manager.yaml 的直接下级")
    assert "运行 rolebook check" in out.out and "运行 rolebook serve" in out.out
    text = (root / rel).read_text(encoding="utf-8")
    first = text.splitlines()[0]
    assert first == "# yaml-language-server: $schema=../../schema/role.schema.json"
    assert (root / rel).parent.joinpath("../../schema/role.schema.json").resolve().is_file()
    assert "（待填写）" in text and "# 职位名称：" in text
    data = parse_yaml(text, rel, Messages("zh")).data  # type: ignore[union-attr]
    assert data["number"] == "客-009" and data["title"] == "前台接待" and data["status"] == "draft" and data["reports_to"] == "cs-manager"
    assert set(data) >= {"summary", "relationships", "qualifications", "duties"}
    # every problem is a placeholder warning, and all of them are in the new file
    assert set(only_placeholders(root)) == {rel}
    # the superior lists its subordinates explicitly: exactly one line was added there, nothing else changed
    after = tree(root)
    changed = {k for k in after if before.get(k) != after[k]}
    assert changed == {rel, "roles/customer-service/cs-manager.yaml"}
    old = before["roles/customer-service/cs-manager.yaml"].decode().splitlines()
    new = after["roles/customer-service/cs-manager.yaml"].decode().splitlines()
    assert new == [*old[:11], "  - receptionist", *old[11:]]


def test_new_role_in_english_outside_the_repo(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = make_handbook(tmp_path / "hb", minimal("en"))
    assert main(["new", "role", "helper", "-d", "cs", "-r", "clerk", "-t", "Helper: part-time #2", str(root)]) == 0
    out = capsys.readouterr().out
    assert out.startswith(
        "Created roles/cs/helper.yaml (document no. T-003, status draft).\n"
        "Copied schema/role.schema.json into the handbook: the new file's first line points your editor at it.\nNext:\n"
    )
    text = (root / "roles/cs/helper.yaml").read_text(encoding="utf-8")
    # the handbook had no schema/: it gets a copy, and the modeline points at it, not at this installation
    assert text.splitlines()[0] == "# yaml-language-server: $schema=../../schema/role.schema.json"
    assert (root / "schema/role.schema.json").read_bytes() == (REPO / "rolebook/schema/role.schema.json").read_bytes()
    assert sorted(p.name for p in (root / "schema").iterdir()) == ["role.schema.json"]
    assert "(to fill in)" in text and "（待填写）" not in text and "# Title:" in text
    assert parse_yaml(text, "x", Messages("en")).data["title"] == "Helper: part-time #2"  # type: ignore[union-attr]
    only_placeholders(root)


def test_the_schema_copy_goes_only_with_the_new_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """An id too long for the file system: the role cannot be written, so the schema copy made for it goes too."""
    root = make_handbook(tmp_path / "hb", minimal("en"))
    before = tree(root)
    rid = "a" * 300
    assert main(["new", "role", rid, "-d", "cs", "-t", "X", str(root)]) == 1
    assert capsys.readouterr().err == f"rolebook new: error: cannot write roles/cs/{rid}.yaml: File name too long\n"
    assert tree(root) == before


def test_no_number_pattern_gives_unique_placeholders(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    files = minimal("zh")
    files["roles/cs/clerk.yaml"] = files["roles/cs/clerk.yaml"].replace("T-002", "专员号")
    root = make_handbook(tmp_path, files)
    assert main(["new", "role", "a", "-d", "cs", "-t", "甲", str(root)]) == 0
    assert main(["new", "role", "b", "-d", "cs", "-t", "乙", str(root)]) == 0
    capsys.readouterr()
    numbers = [parse_yaml((root / f"roles/cs/{r}.yaml").read_text(), r, Messages("zh")).data["number"] for r in "ab"]  # type: ignore[union-attr]
    assert numbers == ["（待填写）a", "（待填写）b"]
    only_placeholders(root)


def test_next_number(tmp_path: Path) -> None:
    root = REPO
    known = scan(root, Messages("zh"))
    assert next_number(known, "customer-service") == "客-009"
    assert next_number(known, "marketing") == "市-004"  # 市-002/003 are used by marketing-cs: next *free* number
    assert next_number(known, "group") is None  # no roles, no pattern
    mixed = Known({**known.roles}, known.departments)
    src, data = mixed.roles["guide"]
    mixed.roles["guide"] = (src, {**data, "number": "X-1"})
    assert next_number(mixed, "customer-service") is None


def test_new_department_then_a_role_in_it(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = sample_copy(tmp_path)
    assert main(["new", "department", "front-office", "--name", "前台部", "--parent", "property", str(root)]) == 0
    assert capsys.readouterr().out.startswith("已新建 roles/front-office/_department.yaml。\n")
    text = (root / "roles/front-office/_department.yaml").read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../../schema/department.schema.json\n")
    assert set(only_placeholders(root)) == {"roles/front-office/_department.yaml"}
    assert main(["new", "role", "receptionist", "-d", "front-office", "-r", "general-manager", "-t", "接待", str(root)]) == 0
    assert "（编号 （待填写）receptionist，" in capsys.readouterr().out
    assert set(only_placeholders(root)) == {"roles/front-office/_department.yaml", "roles/front-office/receptionist.yaml"}
    # general-manager lists its subordinates, so the new role was added there
    assert "  - receptionist\n" in (root / "roles/property/general-manager.yaml").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("args", "code", "err"),
    [
        (["role", "Front Desk", "-d", "cs", "-t", "x"], 2, "文件名“Front Desk”不能作为标识：请只用小写字母、数字和“-”（例如“front-desk”）"),
        (["role", "nul", "-d", "cs", "-t", "x"], 2, "文件名“nul”在 Windows 上是保留名称"),
        (["role", "x", "-d", "c", "-t", "x"], 2, "没有“c”这个部门；您是不是想写"),
        (["role", "x", "-d", "sales", "-t", "x"], 2, "没有“sales”这个部门\n    请先新建这个部门：rolebook new department sales --name 部门名称"),
        (["role", "x", "-d", "客服部", "-t", "x"], 2, "没有“客服部”这个部门；您是不是想写“cs (客服部)”？"),
        (["role", "x", "-d", "cs", "-r", "bos", "-t", "x"], 2, "没有“bos”这个岗位；您是不是想写“boss (经理)”？"),
        (["role", "x", "-d", "cs", "-r", "经理", "-t", "x"], 2, "您是不是想写“boss (经理)”？"),
        (["role", "clerk", "-d", "cs", "-t", "x"], 1, "roles/cs/clerk.yaml 已经存在，不会覆盖"),
        (["role", "boss", "-d", "other", "-t", "x"], 1, "岗位标识“boss”已经被 roles/cs/boss.yaml 使用"),
        (["role", "x", "-d", "cs", "-n", "T-001", "-t", "x"], 2, "编号“T-001”与 roles/cs/boss.yaml 重复"),
        (["department", "cs", "--name", "x"], 1, "roles/cs/_department.yaml 已经存在，不会覆盖"),
        (["department", "y", "--name", "x", "--parent", "css"], 2, "没有“css”这个部门；您是不是想写“cs (客服部)”？"),
    ],
)
def test_refusals_write_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], code: int, err: str) -> None:
    files = minimal("zh")
    files["roles/other/_department.yaml"] = "name: 其它\n"
    root = make_handbook(tmp_path, files)
    before = tree(root)
    assert main(["new", *args, str(root)]) == code
    out = capsys.readouterr()
    assert out.out == ""
    assert out.err.startswith("rolebook new: 错误: ") and err in out.err
    assert tree(root) == before


def test_works_beside_unrelated_problems(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    files = minimal("en")
    files["roles/cs/broken.yaml"] = "title: [unclosed\n"
    root = make_handbook(tmp_path, files)
    assert main(["new", "role", "x", "-d", "cs", "-r", "boss", "-t", "X", str(root)]) == 0
    capsys.readouterr()
    problems = check_handbook(root).problems
    assert {p.path for p in problems if p.severity == "error"} == {"roles/cs/broken.yaml"}


def test_command_line_with_folder_after_options(tmp_path: Path) -> None:
    root = make_handbook(tmp_path, minimal("zh"))
    r = subprocess.run(
        [sys.executable, str(REPO / "build.py"), "new", "role", "helper", "--department", "cs", "--reports-to", "boss", "--title", "助理", str(root)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert (r.returncode, r.stderr) == (0, "")
    assert r.stdout.splitlines()[0] == "已新建 roles/cs/helper.yaml（编号 T-003，状态为草稿）。"
    c = subprocess.run([sys.executable, str(REPO / "build.py"), "check", "--format", "json", str(root)], capture_output=True, text=True, timeout=60)
    report = json.loads(c.stdout)
    assert c.returncode == 0 and report["errors"] == 0 and {p["code"] for p in report["problems"]} == {"placeholder"}
