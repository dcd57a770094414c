"""`import`: workbook → files. Validated first (problems at sheet/row/column), nothing lost, only
changed values change, and export → import round-trips the model."""

from __future__ import annotations

import dataclasses
import difflib
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from rolebook.app.pipeline import check_handbook
from rolebook.cli import main
from rolebook.model import Handbook
from tests.scratch import ONE_LANGUAGE, make_handbook, minimal

REPO = Path(__file__).resolve().parent.parent


def sample_copy(tmp_path: Path, name: str = "hb") -> Path:
    root = tmp_path / name
    root.mkdir()
    shutil.copy(ONE_LANGUAGE / "rolebook.yml", root / "rolebook.yml")
    shutil.copytree(ONE_LANGUAGE / "roles", root / "roles")
    shutil.copytree(REPO / "schema", root / "schema")
    return root


def tree(root: Path) -> dict[str, bytes]:
    """Every file of the handbook (not check's cache, not import's backups)."""
    out = {}
    for p in sorted(root.rglob("*")):
        rel = p.relative_to(root).as_posix()
        if p.is_file() and not rel.startswith((".rolebook-cache/", ".rolebook-backup/")):
            out[rel] = p.read_bytes()
    return out


def normalised(hb: Handbook | None, *, review: bool = True) -> Handbook:
    """The handbook's data without where it lies (root, sources, digests, the day reviews were counted to:
    a copy outside git counts to today). ``review=False`` also leaves out review_every and what it derives,
    and the handbook's version, for a round trip through Word: both belong to the handbook, not to any document."""
    assert hb is not None
    return dataclasses.replace(
        hb,
        root=Path("."),
        settings=hb.settings if review else dataclasses.replace(hb.settings, review_every=None, version=None),
        roles=tuple(dataclasses.replace(r, source="", digest="", review_due=r.review_due if review else None) for r in hb.roles),
        departments=tuple(dataclasses.replace(d, source="") for d in hb.departments),
        review_reference=None,
    )


def export_to(root: Path, target: Path, *extra: str) -> Path:
    assert main(["export", "-o", str(target), *extra, str(root)]) == 0
    return target


def edit(xlsx: Path, sheet: str, match: dict[int, Any], col: int, value: Any) -> Any:
    """Set column ``col`` (1-based) of the one row whose columns match; return the old value."""
    wb = openpyxl.load_workbook(xlsx)
    rows = [row for row in wb[sheet].iter_rows(min_row=2) if all(row[k - 1].value == v for k, v in match.items())]
    assert len(rows) == 1, rows
    old = rows[0][col - 1].value
    rows[0][col - 1].value = value
    wb.save(xlsx)
    return old


def run_import(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(["import", *args])
    out = capsys.readouterr()
    return code, out.out, out.err


# --- "Done when": edit one KPI in Excel, import it back, only that line changes ---------------


def test_one_kpi_edited_in_excel_changes_exactly_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = sample_copy(tmp_path)
    before = tree(root)
    xlsx = export_to(root, tmp_path / "hb.xlsx")
    assert edit(xlsx, "职责", {1: "guide", 3: 2}, 5, "违纪次数（每月）") == "违纪次数"
    capsys.readouterr()

    # without --overwrite: refused, nothing written
    code, out, err = run_import([str(xlsx), str(root)], capsys)
    assert (code, out) == (1, "")
    assert "roles/customer-service/guide.yaml 已经存在，导入会改变它；加 --overwrite 才会替换" in err
    assert tree(root) == before and not (root / ".rolebook-backup").exists()

    # --dry-run: the diff, nothing written
    code, out, err = run_import([str(xlsx), str(root), "--dry-run"], capsys)
    assert (code, err) == (0, "")
    assert "-      - 违纪次数\n+      - 违纪次数（每月）\n" in out and out.count("\n+") == 2  # the +++ line and the change
    assert out.endswith("试运行：没有写入任何文件（将新建 0 个、修改 1 个，23 个不变）。\n")
    assert tree(root) == before

    code, out, err = run_import([str(xlsx), "--overwrite", str(root)], capsys)
    assert (code, err) == (0, "")
    assert out == "更新   roles/customer-service/guide.yaml\n已导入 hb.xlsx：新建 0 个、更新 1 个、未变 23 个文件。\n旧版本保存在 .rolebook-backup/1/。\n"
    after = tree(root)
    assert {k for k in after if after[k] != before.get(k)} == {"roles/customer-service/guide.yaml"}
    old_lines = before["roles/customer-service/guide.yaml"].decode().splitlines(keepends=True)
    new_lines = after["roles/customer-service/guide.yaml"].decode().splitlines(keepends=True)
    assert len(old_lines) == len(new_lines)
    assert [(a, b) for a, b in zip(old_lines, new_lines, strict=True) if a != b] == [("      - 违纪次数\n", "      - 违纪次数（每月）\n")]
    assert (root / ".rolebook-backup/1/roles/customer-service/guide.yaml").read_bytes() == before["roles/customer-service/guide.yaml"]
    assert not check_handbook(root).problems


def test_git_diff_shows_only_the_kpi(tmp_path: Path) -> None:
    """The same, the way HR would see it: through git and the command line."""
    root = sample_copy(tmp_path)
    git = ["git", "-c", "user.name=hr", "-c", "user.email=hr@example.invalid", "-C", str(root)]
    subprocess.run([*git, "init", "-q"], check=True)
    (root / ".gitignore").write_text("/.rolebook-backup/\n/.rolebook-cache/\n")
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-qm", "handbook"], check=True)
    build = [sys.executable, str(REPO / "build.py")]
    xlsx = tmp_path / "hb.xlsx"
    subprocess.run([*build, "export", "-o", str(xlsx), str(root)], check=True, capture_output=True)
    edit(xlsx, "职责", {1: "cs-manager", 3: 3}, 5, "协作性和主动性")
    r = subprocess.run([*build, "import", str(xlsx), str(root), "--overwrite"], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    status = subprocess.run([*git, "status", "--porcelain"], capture_output=True, text=True, check=True).stdout
    assert status == " M roles/customer-service/cs-manager.yaml\n"
    diff = subprocess.run([*git, "diff", "-U0", "--no-color"], capture_output=True, text=True, check=True).stdout
    assert [line for line in diff.splitlines() if line.startswith(("+", "-")) and not line.startswith(("+++", "---"))] == [
        "-      - 协作性",
        "+      - 协作性和主动性",
    ]


# --- round trips --------------------------------------------------------------------------------


def test_sample_round_trip_into_an_empty_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    xlsx = export_to(REPO, tmp_path / "hb.xlsx")
    empty = tmp_path / "empty"
    empty.mkdir()
    code, out, err = run_import([str(xlsx), str(empty)], capsys)
    assert (code, err) == (0, "")
    # 24 handbook files and the copies of the three schemas their modelines point at
    assert "已导入 hb.xlsx：新建 27 个、更新 0 个、未变 0 个文件。" in out
    result = check_handbook(empty)
    assert result.problems == ()
    assert normalised(result.handbook) == normalised(check_handbook(REPO).handbook)
    # new files carry the modeline and pass the schema the editor would use
    text = (empty / "roles/customer-service/guide.yaml").read_text(encoding="utf-8")
    ref = text.splitlines()[0].split("$schema=", 1)[1]
    # the modeline resolves inside the handbook, to its own copy of the schema
    schema = (empty / "roles/customer-service" / ref).resolve()
    assert schema == (empty / "schema/role.schema.json").resolve()
    assert schema.read_bytes() == (REPO / "schema/role.schema.json").read_bytes()
    assert sorted(p.name for p in (empty / "schema").iterdir()) == ["department.schema.json", "role.schema.json", "settings.schema.json"]
    # subordinates stay derived in new files: only written where the model could not derive them
    assert "subordinates" not in (empty / "roles/customer-service/cs-manager.yaml").read_text(encoding="utf-8")


def test_importing_an_unedited_export_changes_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = sample_copy(tmp_path)
    before = tree(root)
    for lang in ("zh", "en"):  # English headings import into a Chinese handbook too
        xlsx = export_to(root, tmp_path / f"{lang}.xlsx", "--lang", lang)
        capsys.readouterr()
        code, out, err = run_import([str(xlsx), str(root)], capsys)
        assert (code, err) == (0, ""), err
        assert out.endswith("新建 0 个、更新 0 个、未变 24 个文件。\n")
    assert tree(root) == before and not (root / ".rolebook-backup").exists()


def _generated(draw: Any) -> dict[str, str]:
    """A random valid handbook as {path: text}; files written as JSON (which is YAML)."""
    import json

    from hypothesis import strategies as st

    alphabet = st.sampled_from([*list("abcXYZ019 -=+@#:'\"{}[]&*!|>%,._\t客服部经理（）、。"), "é", "中"])
    special = st.sampled_from(
        ["true", "no", "null", "~", "010", "1.5", "2006-06-01", "=SUM(A1)", "-x", "@x", "#N/A", "- item", "a: b", "x #y", "'q'", "TODO later"]
    )
    text = st.one_of(special, st.text(alphabet, min_size=1, max_size=10).filter(lambda s: s.strip() != ""))
    multiline = st.one_of(text, st.builds(lambda a, b: f"{a}\n{b}", text, text))
    items = st.lists(text, min_size=1, max_size=3)

    def maybe(strategy: Any) -> Any:
        return draw(st.one_of(st.none(), strategy))

    files: dict[str, str] = {
        "rolebook.yml": json.dumps({"organisation": draw(text), "language": draw(st.sampled_from(["zh", "en"])), "signatures": draw(st.booleans())})
    }
    n_depts = draw(st.integers(1, 3))
    dept_ids = [f"d{i}" for i in range(n_depts)]
    for i, did in enumerate(dept_ids):
        d: dict[str, Any] = {"name": draw(text)}
        if i and draw(st.booleans()):
            d["parent"] = draw(st.sampled_from(dept_ids[:i]))
        for key, strategy in (("order", st.integers(0, 9)), ("description", multiline), ("duties", items), ("requirements", items)):
            value = maybe(strategy)
            if value is not None:
                d[key] = value
        flows = maybe(st.lists(st.tuples(text, st.one_of(st.none(), items)), min_size=1, max_size=3))
        if flows:
            d["workflows"] = [{"name": n, **({"steps": s} if s else {})} for n, s in flows]
        files[f"roles/{did}/_department.yaml"] = json.dumps(d, ensure_ascii=False)

    def grouped(make_item: Any, list_key: str) -> list[Any]:
        out: list[Any] = []
        last_group: str | None = None
        for _ in range(draw(st.integers(1, 4))):
            name = maybe(text)
            if name is None or name == last_group:
                out.append(draw(make_item))
                last_group = None
            else:
                out.append({"group": name, list_key: draw(st.lists(make_item, min_size=1, max_size=3))})
                last_group = name
        return out

    duty = st.builds(lambda t, k: {"duty": t, **({"kpis": k} if k else {})}, multiline, st.one_of(st.none(), items))
    n_roles = draw(st.integers(1, 5))
    roles: list[dict[str, Any]] = []
    for i in range(n_roles):
        r: dict[str, Any] = {"number": f"N-{i:03d}", "title": draw(text)}
        if i and draw(st.booleans()):
            r["reports_to"] = f"r{draw(st.integers(0, i - 1))}"
        r["headcount"] = draw(st.integers(1, 50))
        r["status"] = draw(st.sampled_from(["draft", "approved"]))
        date = maybe(st.dates())
        if date is not None:
            r["effective_date"] = f"{date.year:04d}-{date.month:02d}-{date.day:02d}"
        for key in ("approver", "revision"):
            value = maybe(text)
            if value is not None:
                r[key] = value
        if r["status"] == "approved":
            r.setdefault("approver", draw(text))
        approved_on = draw(st.dates()) if r["status"] == "approved" else maybe(st.dates())
        if approved_on is not None:
            r["approval_date"] = approved_on.isoformat()
        if draw(st.booleans()):
            r["summary"] = grouped(multiline, "items")
        if draw(st.booleans()):
            share = draw(st.integers(0, 100))
            r["relationships"] = {
                "internal": {"percent": share, **({"parties": p} if (p := maybe(items)) else {})},
                "external": {"percent": 100 - share, **({"parties": p} if (p := maybe(items)) else {})},
            }
        if draw(st.booleans()):
            q = {"education": draw(multiline), "experience": draw(text)}
            for key in ("abilities", "other"):
                value = maybe(text)
                if value is not None:
                    q[key] = value
            r["qualifications"] = q
        r["duties"] = grouped(duty, "duties")
        roles.append(r)
    for i, r in enumerate(roles):
        kids = [f"r{j}" for j, other in enumerate(roles) if other.get("reports_to") == f"r{i}"]
        if kids and draw(st.booleans()):
            r["subordinates"] = list(reversed(kids))
        files[f"roles/{draw(st.sampled_from(dept_ids))}/r{i}.yaml"] = json.dumps(r, ensure_ascii=False)
    return files


@pytest.mark.slow
def test_generated_handbooks_round_trip() -> None:
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    @settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(st.data())
    def round_trip(data: Any) -> None:
        files = data.draw(st.composite(lambda draw: _generated(draw))())
        with tempfile.TemporaryDirectory() as tmp:
            src = make_handbook(Path(tmp) / "src", dict(files))
            first = check_handbook(src, use_cache=False)
            assert not first.failed(), first.problems
            xlsx = Path(tmp) / "hb.xlsx"
            assert main(["export", "-o", str(xlsx), str(src)]) == 0
            dest = Path(tmp) / "dest"
            dest.mkdir()
            assert main(["import", str(xlsx), str(dest)]) == 0
            again = check_handbook(dest, use_cache=False)
            assert not again.failed(), again.problems
            assert normalised(again.handbook) == normalised(first.handbook)
            # and importing the same workbook over the result changes nothing
            assert main(["import", str(xlsx), str(dest)]) == 0

    round_trip()


# --- problems point at the workbook; nothing is written -------------------------------------------


def test_problems_point_at_sheet_row_and_column(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = sample_copy(tmp_path)
    before = tree(root)
    xlsx = export_to(root, tmp_path / "hb.xlsx")
    wb = openpyxl.load_workbook(xlsx)
    pos = wb["岗位"]
    row = {r[1].value: r[0].row for r in pos.iter_rows(min_row=2)}
    pos.cell(row["guide"], 7).value = "三"  # 人数 (G)
    pos.cell(row["guide-leader"], 5).value = "cs-manger"  # 直接上级 (E): typo
    pos.cell(row["agency-agent"], 12).value = 50  # % 对内 (L): 50 + 95 ≠ 100
    wb["职责"].cell(2, 4).value = "=A1"  # a formula
    wb.save(xlsx)
    capsys.readouterr()
    code, out, err = run_import([str(xlsx), str(root), "--overwrite"], capsys)
    assert (code, out) == (1, "")
    assert (
        err
        == "hb.xlsx[职责]:2:4: error [import-cell] 单元格里是公式（“=A1”）；请直接输入文字（文字要以“=”开头时，先输入一个英文单引号 '）\n检查了 1 个文件：1 个错误，0 个警告。\n没有导入任何内容。\n"
    )
    wb = openpyxl.load_workbook(xlsx)
    wb["职责"].cell(2, 4).value = "负责客户服务部的全面领导"
    wb.save(xlsx)
    code, out, err = run_import([str(xlsx), str(root), "--overwrite"], capsys)
    assert (code, out) == (1, "")
    lines = err.splitlines()
    assert f"hb.xlsx[岗位]:{row['guide']}:7: error [wrong-type] “headcount”（人数）应当是整数，而不是文字 “三”" in lines
    assert f"hb.xlsx[岗位]:{row['guide-leader']}:5: error [unknown-superior] 没有“cs-manger”这个岗位；您是不是想写“cs-manager (客服部经理)”？" in lines
    assert any(line.startswith(f"hb.xlsx[岗位]:{row['agency-agent']}:") and "[percent-sum] 对内 50% + 对外 97% = 147%" in line for line in lines), err
    assert lines[-1] == "没有导入任何内容。"
    assert tree(root) == before and not (root / ".rolebook-backup").exists()


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda wb: wb["岗位"].cell(1, 3, "职务"), "hb.xlsx[岗位]:1:3: warning [import-column] 未知的列“职务”；您是不是想写“职位”？"),
        (lambda wb: setattr(wb["岗位"].cell(1, 2), "value", None), "hb.xlsx[岗位]:1:1: error [import-column] 这张工作表没有“岗位标识”列"),
        (lambda wb: wb["岗位"].cell(3, 2, "Guide Leader"), "hb.xlsx[岗位]:3:2: error [import-row] 文件名“Guide Leader”不能作为标识"),
        (lambda wb: wb["岗位"].cell(3, 2, "general-manager"), "hb.xlsx[岗位]:3:2: error [import-row] “general-manager”已经有一行了（第 2 行）"),
        (
            lambda wb: wb["职责"].cell(2, 1, "cs-manger"),
            "hb.xlsx[职责]:2:1: error [import-row] “岗位”工作表里没有“cs-manger”这个岗位；您是不是想写“cs-manager”？",
        ),
        (lambda wb: wb["职责"].cell(2, 3, "第一"), "hb.xlsx[职责]:2:3: error [import-cell] “序号”应当是整数，而不是 “第一”"),
        (lambda wb: wb["工作流程"].cell(2, 1, "nowhere"), "hb.xlsx[工作流程]:2:1: error [import-row] “部门”工作表和手册里都没有“nowhere”这个部门"),
        (lambda wb: wb.create_sheet("备注"), "hb.xlsx[备注]:1:1: warning [import-sheet] 工作表“备注”不属于手册的表格，已忽略"),
    ],
)
def test_layout_problems(tmp_path: Path, capsys: pytest.CaptureFixture[str], change: Any, expected: str) -> None:
    root = sample_copy(tmp_path)
    before = tree(root)
    xlsx = export_to(root, tmp_path / "hb.xlsx")
    wb = openpyxl.load_workbook(xlsx)
    change(wb)
    wb.save(xlsx)
    capsys.readouterr()
    code, _, err = run_import([str(xlsx), str(root), "--overwrite"], capsys)
    assert any(line.startswith(expected) for line in err.splitlines()), err
    if " error " in expected:
        assert code == 1 and tree(root) == before
    else:
        assert code == 0


def test_unreadable_workbooks(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = make_handbook(tmp_path / "hb", minimal("en"))
    csv_file = tmp_path / "hb.xlsx"
    csv_file.write_text("a,b\n1,2\n")
    code, out, err = run_import([str(csv_file), str(root)], capsys)
    assert (code, out) == (1, "")
    assert err.startswith("hb.xlsx: error [import-file] the file is not an Excel workbook (.xlsx)")
    broken = tmp_path / "broken.xlsx"
    import zipfile

    with zipfile.ZipFile(broken, "w") as z:
        z.writestr("[Content_Types].xml", "<not xml")
    code, _, err = run_import([str(broken), str(root)], capsys)
    assert code == 1 and err.startswith("broken.xlsx: error [import-file] cannot read the workbook:")
    assert run_import([str(tmp_path / "missing.xlsx"), str(root)], capsys)[0] == 2


# --- updates keep HR's files --------------------------------------------------------------------


def changed(before: dict[str, bytes], after: dict[str, bytes]) -> dict[str, list[str]]:
    out = {}
    for k in sorted(set(before) | set(after)):
        if before.get(k) != after.get(k):
            a = before.get(k, b"").decode().splitlines()
            b = after.get(k, b"").decode().splitlines()
            out[k] = [line for line in difflib.unified_diff(a, b, lineterm="", n=0) if line[:1] in "+-" and not line.startswith(("+++", "---"))]
    return out


def test_reporting_line_change_updates_explicit_subordinates(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = sample_copy(tmp_path)
    before = tree(root)
    xlsx = export_to(root, tmp_path / "hb.xlsx")
    # agency-leader now reports to the supervisor; cs-manager lists its subordinates explicitly
    assert edit(xlsx, "岗位", {2: "agency-leader"}, 5, "cs-supervisor") == "cs-manager"
    capsys.readouterr()
    code, _, err = run_import([str(xlsx), str(root), "--overwrite"], capsys)
    assert (code, err) == (0, "")
    # both superiors list their subordinates explicitly: the lists follow, nothing else changes
    assert changed(before, tree(root)) == {
        "roles/customer-service/agency-leader.yaml": ["-reports_to: cs-manager", "+reports_to: cs-supervisor"],
        "roles/customer-service/cs-manager.yaml": ["-  - agency-leader"],
        "roles/customer-service/cs-supervisor.yaml": ["+  - agency-leader"],
    }
    assert not check_handbook(root).failed()


def test_role_moves_department_and_new_role_appears(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = sample_copy(tmp_path)
    before = tree(root)
    xlsx = export_to(root, tmp_path / "hb.xlsx")
    wb = openpyxl.load_workbook(xlsx)
    pos, duties = wb["岗位"], wb["职责"]
    guide = next(r for r in pos.iter_rows(min_row=2) if r[1].value == "guide")
    guide[3].value = "marketing"
    pos.append(
        [
            "市-009",
            "trainer",
            "培训师",
            "marketing",
            "product-manager",
            None,
            2,
            "大专",
            "两年",
            None,
            None,
            40,
            "各部门",
            60,
            "客户",
            "2024-03-01",
            None,
            None,
            None,
            "draft",
        ]
    )
    duties.append(["trainer", None, 1, "组织培训", "培训满意度\n出勤率"])
    wb.save(xlsx)
    capsys.readouterr()
    code, out, err = run_import([str(xlsx), str(root), "--overwrite"], capsys)
    assert (code, err) == (0, "")
    assert "移动   roles/customer-service/guide.yaml → roles/marketing/guide.yaml" in out
    assert "新建   roles/marketing/trainer.yaml" in out
    after = tree(root)
    assert "roles/customer-service/guide.yaml" not in after
    assert after["roles/marketing/guide.yaml"] == before["roles/customer-service/guide.yaml"]  # moved as it was, comments and all
    assert (root / ".rolebook-backup/1/roles/customer-service/guide.yaml").read_bytes() == before["roles/customer-service/guide.yaml"]
    trainer = after["roles/marketing/trainer.yaml"].decode()
    assert trainer.startswith("# yaml-language-server: $schema=../../schema/role.schema.json\nnumber: 市-009\ntitle: 培训师\nreports_to: product-manager\n")
    assert "    kpis:\n      - 培训满意度\n      - 出勤率\n" in trainer
    result = check_handbook(root)
    assert not result.failed()
    assert result.handbook is not None and result.handbook.role("trainer").internal is not None


def test_empty_cell_removes_a_value_missing_column_keeps_it(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = sample_copy(tmp_path)
    before = tree(root)
    xlsx = export_to(root, tmp_path / "hb.xlsx")
    wb = openpyxl.load_workbook(xlsx)
    pos = wb["岗位"]
    guide = next(r for r in pos.iter_rows(min_row=2) if r[1].value == "guide")
    guide[10].value = None  # 其它 (other)
    pos.delete_cols(16)  # 制定时间: the column is gone, so every effective date stays as it is
    del wb["职责综述"]  # the sheet is gone, so every summary stays as it is
    wb.save(xlsx)
    capsys.readouterr()
    code, _, err = run_import([str(xlsx), str(root), "--overwrite"], capsys)
    assert (code, err) == (0, "")
    assert changed(before, tree(root)) == {"roles/customer-service/guide.yaml": ["-  other: 形象、气质较佳"]}


def test_import_creates_settings_and_departments_in_an_english_handbook(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = make_handbook(tmp_path / "src", minimal("en"))
    xlsx = export_to(src, tmp_path / "en.xlsx")
    wb = openpyxl.load_workbook(xlsx)
    assert wb.sheetnames == ["Positions", "Duties", "Summary", "Departments", "Workflows", "Settings"]
    wb["Departments"].append(["sales", "Sales", "cs", 2, None, "Sell\nSell more", None])
    wb["Workflows"].append(["sales", "Quote", "Ask\nPrice\nSend"])
    wb.save(xlsx)
    dest = tmp_path / "dest"
    dest.mkdir()
    capsys.readouterr()
    code, out, err = run_import([str(xlsx), str(dest)], capsys)
    assert (code, err) == (0, ""), err
    assert "Imported en.xlsx: 8 new, 0 updated, 0 unchanged." in out
    assert (dest / "rolebook.yml").read_text(encoding="utf-8").endswith("organisation: Test Group\nlanguage: en\n")
    dept = (dest / "roles/sales/_department.yaml").read_text(encoding="utf-8")
    assert dept.endswith(
        "name: Sales\nparent: cs\norder: 2\nduties:\n  - Sell\n  - Sell more\nworkflows:\n  - name: Quote\n    steps:\n      - Ask\n      - Price\n      - Send\n"
    )
    assert not check_handbook(dest).problems


def test_a_workbook_that_unpacks_too_large_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    from rolebook.sheets import read_xlsx as sheet_xlsx

    xlsx = export_to(make_handbook(tmp_path / "hb", minimal("en")), tmp_path / "hb.xlsx")
    monkeypatch.setattr(sheet_xlsx, "MAX_UNPACKED", 1000)
    capsys.readouterr()
    code, _, err = run_import([str(xlsx), str(tmp_path / "new")], capsys)
    assert code == 1 and "hb.xlsx: error [import-file] the workbook unpacks to " in err
    assert not (tmp_path / "new").exists()


def test_dry_run_into_a_new_folder_then_import_creates_it(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    xlsx = export_to(make_handbook(tmp_path / "hb", minimal("zh")), tmp_path / "hb.xlsx")
    target = tmp_path / "new" / "handbook"
    capsys.readouterr()
    code, out, err = run_import([str(xlsx), str(target), "--dry-run"], capsys)
    assert (code, err) == (0, "")
    assert "--- /dev/null\n+++ b/roles/cs/boss.yaml\n" in out and "+number: T-001\n" in out
    assert out.endswith("试运行：没有写入任何文件（将新建 7 个、修改 0 个，0 个不变）。\n")
    assert not target.exists()
    assert run_import([str(xlsx), str(target)], capsys)[0] == 0
    assert not check_handbook(target).problems


def test_duty_order_comes_from_seq_not_from_sorting(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = sample_copy(tmp_path)
    before = tree(root)
    xlsx = export_to(root, tmp_path / "hb.xlsx")
    wb = openpyxl.load_workbook(xlsx)
    ws = wb["职责"]
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=2)]
    for i, values in enumerate(reversed(rows), start=2):  # as if HR sorted the sheet with the filter
        for j, v in enumerate(values, start=1):
            ws.cell(i, j).value = v
    wb.save(xlsx)
    capsys.readouterr()
    assert run_import([str(xlsx), str(root)], capsys)[0] == 0
    assert tree(root) == before
    # a new row without 序号 goes after the row above it
    wb = openpyxl.load_workbook(xlsx)
    ws = wb["职责"]
    at = next(r[0].row for r in ws.iter_rows(min_row=2) if r[0].value == "guide" and r[2].value == 1)
    ws.insert_rows(at + 1)
    for j, v in enumerate(["guide", None, None, "带客户参观样板房", "客户满意度"], start=1):
        ws.cell(at + 1, j).value = v
    wb.save(xlsx)
    code, _, err = run_import([str(xlsx), str(root), "--overwrite"], capsys)
    assert (code, err) == (0, "")
    assert changed(before, tree(root)) == {"roles/customer-service/guide.yaml": ["+  - duty: 带客户参观样板房", "+    kpis:", "+      - 客户满意度"]}
    text = (root / "roles/customer-service/guide.yaml").read_text(encoding="utf-8")
    assert text.index("为看楼客户提供良好的房屋介绍") < text.index("带客户参观样板房") < text.index("遵守公司的纪律和规章制度")


def test_cells_of_any_type_are_reported_never_crash(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import datetime

    xlsx = export_to(ONE_LANGUAGE, tmp_path / "h.xlsx")
    wb = openpyxl.load_workbook(xlsx)
    ws = wb["岗位"]
    ws.cell(2, 7).value = datetime.datetime(2024, 1, 2)  # 人数: a date
    ws.cell(3, 7).value = 1.5
    ws.cell(4, 12).value = datetime.timedelta(hours=3)  # % 对内: a duration
    ws.cell(5, 3).value = True  # 职位: a boolean
    ws.cell(6, 16).value = datetime.datetime(2024, 5, 6)  # 制定时间 typed as an Excel date: that is fine
    wb.save(xlsx)
    capsys.readouterr()
    code, out, err = run_import([str(xlsx), str(tmp_path / "new")], capsys)
    assert (code, out) == (1, "")
    assert [line.split(" error ")[0] for line in err.splitlines() if " error " in line] == [
        "h.xlsx[岗位]:2:7:",
        "h.xlsx[岗位]:3:7:",
        "h.xlsx[岗位]:4:12:",
        "h.xlsx[岗位]:5:3:",
    ]
