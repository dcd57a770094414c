"""`import` of the CSV files and the JSON file `export` writes: the same as a workbook (the same edits,
--dry-run diff, backups, checks), problems at FILE:line:column, and hostile files give problems, never
a traceback."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import pytest

from rolebook.app.pipeline import check_handbook
from rolebook.cli import main
from tests.scratch import ONE_LANGUAGE, make_handbook, minimal
from tests.test_import import REPO, _generated, changed, normalised, run_import, sample_copy, tree

BUILD = [sys.executable, str(REPO / "build.py")]
FAILED_ZH = "检查了 1 个文件：1 个错误，0 个警告。\n没有导入任何内容。\n"
FAILED_EN = "Checked 1 files: 1 error, 0 warnings.\nNothing was imported.\n"
SAVE_AS_CSV_UTF8 = "请在 Excel 里“另存为”→“CSV UTF-8（逗号分隔）(*.csv)”"


def export_csv(root: Path, stem: Path, *extra: str) -> Path:
    assert main(["export", "--format", "csv", "-o", str(stem), *extra, str(root)]) == 0
    return stem.with_name(f"{stem.name}-positions.csv")


def export_json(root: Path, target: Path) -> Path:
    assert main(["export", "--format", "json", "-o", str(target), str(root)]) == 0
    return target


def read_csv(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_bytes().decode("utf-8-sig"), newline="")))


def write_csv(path: Path, rows: list[list[str]]) -> None:
    """As Excel's 'CSV UTF-8 (Comma delimited)' writes it: a BOM, CRLF, quotes only where needed."""
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerows(rows)
    path.write_bytes(("\ufeff" + buf.getvalue()).encode("utf-8"))


def edit_csv(path: Path, match: dict[int, str], col: int, value: str) -> str:
    """Set column ``col`` (1-based) of the one row whose columns match; return the old value."""
    rows = read_csv(path)
    hits = [row for row in rows[1:] if all(row[k - 1] == v for k, v in match.items())]
    assert len(hits) == 1, hits
    old = hits[0][col - 1]
    hits[0][col - 1] = value
    write_csv(path, rows)
    return old


def line_of(raw: str, needle: str) -> int:
    """The line (1-based, as an editor counts them) where ``needle`` starts in ``raw``; it must be there once."""
    assert raw.count(needle) == 1, needle
    return raw[: raw.index(needle)].count("\n") + 1


# --- "Done when": the round trips of the workbook, for CSV and JSON ----------------------------------


def test_unedited_csv_and_json_exports_change_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = sample_copy(tmp_path)
    before = tree(root)
    sources = [export_csv(root, tmp_path / "zh" / "hb"), export_csv(root, tmp_path / "en" / "hb", "--lang", "en"), export_json(root, tmp_path / "hb.json")]
    # each file of the CSV set brings in the others
    sources += [tmp_path / "zh" / f"hb-{t}.csv" for t in ("duties", "settings")]
    capsys.readouterr()
    for source in sources:
        code, out, err = run_import([str(source), str(root)], capsys)
        assert (code, err) == (0, ""), (source, err)
        name = "hb.json" if source.suffix == ".json" else "hb-*.csv"
        assert out == f"已导入 {name}：新建 0 个、更新 0 个、未变 24 个文件。\n"
    assert tree(root) == before and not (root / ".rolebook-backup").exists()


def test_rewriting_the_csv_as_excel_does_keeps_every_byte(tmp_path: Path) -> None:
    """The tests edit CSV files with csv.writer: unedited, that gives the exported bytes back."""
    positions = export_csv(ONE_LANGUAGE, tmp_path / "hb")
    for path in sorted(tmp_path.glob("hb-*.csv")):
        data = path.read_bytes()
        write_csv(path, read_csv(path))
        assert path.read_bytes() == data, path
    assert positions.is_file()


def test_one_kpi_edited_in_the_csv_changes_exactly_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = sample_copy(tmp_path)
    before = tree(root)
    duties = export_csv(root, tmp_path / "out" / "hb").with_name("hb-duties.csv")
    assert edit_csv(duties, {1: "guide", 3: "2"}, 5, "违纪次数（每月）") == "违纪次数"
    capsys.readouterr()

    code, out, err = run_import([str(duties), str(root)], capsys)
    assert (code, out) == (1, "")
    assert err == (
        "roles/customer-service/guide.yaml 已经存在，导入会改变它；加 --overwrite 才会替换（旧版本会保留），或加 --dry-run 先查看改动\n没有导入任何内容。\n"
    )
    assert tree(root) == before

    code, out, err = run_import([str(duties), str(root), "--dry-run"], capsys)
    assert (code, err) == (0, "")
    assert "--- a/roles/customer-service/guide.yaml\n+++ b/roles/customer-service/guide.yaml\n" in out
    assert [line for line in out.splitlines() if line[:1] in "+-" and not line.startswith(("+++", "---"))] == ["-      - 违纪次数", "+      - 违纪次数（每月）"]
    assert out.endswith("试运行：没有写入任何文件（将新建 0 个、修改 1 个，23 个不变）。\n")
    assert tree(root) == before

    code, out, err = run_import([str(duties), "--overwrite", str(root)], capsys)
    assert (code, err) == (0, "")
    assert out == "更新   roles/customer-service/guide.yaml\n已导入 hb-*.csv：新建 0 个、更新 1 个、未变 23 个文件。\n旧版本保存在 .rolebook-backup/1/。\n"
    assert changed(before, tree(root)) == {"roles/customer-service/guide.yaml": ["-      - 违纪次数", "+      - 违纪次数（每月）"]}
    assert (root / ".rolebook-backup/1/roles/customer-service/guide.yaml").read_bytes() == before["roles/customer-service/guide.yaml"]
    assert not check_handbook(root).problems


def _git_handbook(tmp_path: Path) -> tuple[Path, list[str]]:
    root = sample_copy(tmp_path)
    git = ["git", "-c", "user.name=hr", "-c", "user.email=hr@example.invalid", "-C", str(root)]
    subprocess.run([*git, "init", "-q"], check=True)
    (root / ".gitignore").write_text("/.rolebook-backup/\n/.rolebook-cache/\n")
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-qm", "handbook"], check=True)
    return root, git


def _git_changes(git: list[str]) -> tuple[str, list[str]]:
    status = subprocess.run([*git, "status", "--porcelain"], capture_output=True, text=True, check=True).stdout
    diff = subprocess.run([*git, "diff", "-U0", "--no-color"], capture_output=True, text=True, check=True).stdout
    return status, [line for line in diff.splitlines() if line.startswith(("+", "-")) and not line.startswith(("+++", "---"))]


def test_git_diff_shows_only_the_kpi_edited_in_the_csv(tmp_path: Path) -> None:
    root, git = _git_handbook(tmp_path)
    subprocess.run([*BUILD, "export", "--format", "csv", "-o", str(tmp_path / "out" / "hb"), str(root)], check=True, capture_output=True)
    duties = tmp_path / "out" / "hb-duties.csv"
    edit_csv(duties, {1: "cs-manager", 3: "3"}, 5, "协作性和主动性")
    r = subprocess.run([*BUILD, "import", str(duties), str(root), "--overwrite"], capture_output=True, text=True)
    assert (r.returncode, r.stderr) == (0, "")
    assert (
        r.stdout
        == "更新   roles/customer-service/cs-manager.yaml\n已导入 hb-*.csv：新建 0 个、更新 1 个、未变 23 个文件。\n旧版本保存在 .rolebook-backup/1/。\n"
    )
    assert _git_changes(git) == (" M roles/customer-service/cs-manager.yaml\n", ["-      - 协作性", "+      - 协作性和主动性"])


def test_git_diff_shows_only_the_kpi_edited_in_the_json(tmp_path: Path) -> None:
    root, git = _git_handbook(tmp_path)
    target = tmp_path / "hb.json"
    subprocess.run([*BUILD, "export", "--format", "json", "-o", str(target), str(root)], check=True, capture_output=True)
    text = target.read_text(encoding="utf-8")
    assert text.count('"协作性"') == 1
    target.write_text(text.replace('"协作性"', '"协作性和主动性"'), encoding="utf-8")
    r = subprocess.run([*BUILD, "import", str(target), str(root), "--dry-run"], capture_output=True, text=True)
    assert (r.returncode, r.stderr) == (0, "")
    assert r.stdout.endswith("\n-      - 协作性\n+      - 协作性和主动性\n试运行：没有写入任何文件（将新建 0 个、修改 1 个，23 个不变）。\n")
    assert _git_changes(git) == ("", [])
    r = subprocess.run([*BUILD, "import", str(target), str(root), "--overwrite"], capture_output=True, text=True)
    assert (r.returncode, r.stderr) == (0, "")
    assert (
        r.stdout
        == "更新   roles/customer-service/cs-manager.yaml\n已导入 hb.json：新建 0 个、更新 1 个、未变 23 个文件。\n旧版本保存在 .rolebook-backup/1/。\n"
    )
    assert _git_changes(git) == (" M roles/customer-service/cs-manager.yaml\n", ["-      - 协作性", "+      - 协作性和主动性"])


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_sample_round_trip_into_an_empty_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str], fmt: str) -> None:
    source = export_csv(ONE_LANGUAGE, tmp_path / "hb") if fmt == "csv" else export_json(ONE_LANGUAGE, tmp_path / "hb.json")
    empty = tmp_path / "empty"
    empty.mkdir()
    capsys.readouterr()
    code, out, err = run_import([str(source), str(empty)], capsys)
    assert (code, err) == (0, "")
    assert out.endswith("新建 27 个、更新 0 个、未变 0 个文件。\n")
    result = check_handbook(empty)
    assert result.problems == ()
    assert normalised(result.handbook) == normalised(check_handbook(ONE_LANGUAGE).handbook)
    assert "subordinates" not in (empty / "roles/customer-service/cs-manager.yaml").read_text(encoding="utf-8")


@pytest.mark.slow
def test_generated_handbooks_round_trip_through_csv_and_json() -> None:
    """Values that look like numbers, booleans, dates or formulas ('=x', ''=x, -x …) come back as they were."""
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    @settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(st.data())
    def round_trip(data: Any) -> None:
        files = data.draw(st.composite(lambda draw: _generated(draw))())
        with tempfile.TemporaryDirectory() as tmp:
            src = make_handbook(Path(tmp) / "src", dict(files))
            first = check_handbook(src, use_cache=False)
            assert not first.failed(), first.problems
            for source in (export_csv(src, Path(tmp) / "hb"), export_json(src, Path(tmp) / "hb.json")):
                dest = Path(tmp) / f"dest-{source.suffix[1:]}"
                dest.mkdir()
                assert main(["import", str(source), str(dest)]) == 0
                again = check_handbook(dest, use_cache=False)
                assert not again.failed(), again.problems
                assert normalised(again.handbook) == normalised(first.handbook)
                before = tree(dest)
                assert main(["import", str(source), str(dest)]) == 0  # over the result: nothing changes
                assert tree(dest) == before

    round_trip()


def test_text_that_starts_with_an_apostrophe_and_a_formula_sign_comes_back(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    files = minimal("en")
    files["roles/cs/clerk.yaml"] = (
        files["roles/cs/clerk.yaml"].replace("title: 专员", 'title: "\'=SUM(A1)"').replace("kpis: [及时性]", 'kpis: ["=1+1", "\'x", "\'\'-3"]')
    )
    root = make_handbook(tmp_path / "hb", files)
    export_csv(root, tmp_path / "out")
    rows = read_csv(tmp_path / "out-positions.csv")
    assert rows[2][2] == "''=SUM(A1)"  # one ' more: import takes one off
    assert read_csv(tmp_path / "out-duties.csv")[2][4] == "'=1+1\n'x\n''-3"  # a spreadsheet runs what starts the cell only
    capsys.readouterr()
    assert run_import([str(tmp_path / "out-positions.csv"), str(root)], capsys) == (0, "Imported out-*.csv: 0 new, 0 updated, 4 unchanged.\n", "")


# --- problems point at FILE:line:column ---------------------------------------------------------------


def test_csv_problems_point_at_the_line_and_column_of_the_cell(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = sample_copy(tmp_path)
    before = tree(root)
    positions = export_csv(root, tmp_path / "out" / "hb")
    edit_csv(positions, {2: "guide"}, 7, "三")  # 人数 (G)
    edit_csv(positions, {2: "cs-manager"}, 7, "一")  # after a cell of two lines (直接下级): on the line below the row's first
    edit_csv(positions, {2: "guide-leader"}, 5, "cs-manger")  # 直接上级 (E): a typo
    raw = positions.read_bytes().decode("utf-8-sig")
    starts = {row[1]: line_of(raw, ",".join(row[:3]) + ",") for row in read_csv(positions)[1:]}  # number, id, title: where a row starts
    guide, manager, leader = starts["guide"], line_of(raw, ",一,"), line_of(raw, ",cs-manger,")
    assert leader == starts["guide-leader"] and manager == starts["cs-manager"] + 1
    capsys.readouterr()
    code, out, err = run_import([str(positions), str(root), "--overwrite"], capsys)
    assert (code, out) == (1, "")
    lines = err.splitlines()
    assert f"hb-positions.csv:{guide}:7: error [wrong-type] “headcount”（人数）应当是整数，而不是文字 “三”" in lines
    assert f"hb-positions.csv:{manager}:7: error [wrong-type] “headcount”（人数）应当是整数，而不是文字 “一”" in lines
    assert f"hb-positions.csv:{leader}:5: error [unknown-superior] 没有“cs-manger”这个岗位；您是不是想写“cs-manager (客服部经理)”？" in lines
    assert lines[-1] == "没有导入任何内容。"
    assert tree(root) == before and not (root / ".rolebook-backup").exists()


def test_csv_layout_problems(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = sample_copy(tmp_path)
    before = tree(root)
    positions = export_csv(root, tmp_path / "out" / "hb")
    duties, workflows = positions.with_name("hb-duties.csv"), positions.with_name("hb-workflows.csv")
    rows = read_csv(duties)
    rows[3].append("多出来的")
    rows[4] = rows[4][:3]
    write_csv(duties, rows)
    flows = read_csv(workflows)
    flows[0][1] = "流程"
    write_csv(workflows, flows)
    capsys.readouterr()
    code, out, err = run_import([str(positions), str(root), "--overwrite"], capsys)
    assert (code, out) == (1, "")
    assert err == (
        "hb-duties.csv:4:6: error [import-row] 这一行有 6 个单元格，而标题行只有 5 个，这个单元格不属于任何一列：含有逗号的单元格必须用双引号括起来\n"
        "hb-duties.csv:5:4: warning [import-row] 这一行只有 3 个单元格，而标题行有 5 个：缺少的单元格按空白处理，会删除这些值\n"
        "hb-workflows.csv:1:2: warning [import-column] 未知的列“流程”；您是不是想写“流程名称”？\n"
        "检查了 6 个文件：1 个错误，2 个警告。\n没有导入任何内容。\n"
    )
    assert tree(root) == before


def test_csv_row_problems(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = sample_copy(tmp_path)
    before = tree(root)
    positions = export_csv(root, tmp_path / "out" / "hb")
    duties, workflows = positions.with_name("hb-duties.csv"), positions.with_name("hb-workflows.csv")
    rows = read_csv(duties)
    rows[1][0] = "cs-manger"
    rows[2][2] = "第一"
    rows[3][0] = ""
    write_csv(duties, rows)
    flows = read_csv(workflows)
    flows[1][0] = "nowhere"
    write_csv(workflows, flows)
    pos = read_csv(positions)
    pos.append(pos[2])
    write_csv(positions, pos)
    raw = positions.read_bytes().decode("utf-8-sig")
    first, again = raw.index(",".join(pos[2][:3])), raw.rindex(",".join(pos[2][:3]))
    capsys.readouterr()
    code, out, err = run_import([str(positions), str(root), "--overwrite"], capsys)
    assert (code, out) == (1, "")
    assert err == (
        "hb-duties.csv:2:1: error [import-row] hb-positions.csv 里没有“cs-manger”这个岗位；您是不是想写“cs-manager”？\n"
        "hb-duties.csv:3:3: error [import-cell] “序号”应当是整数，而不是 “第一”\n"
        "hb-duties.csv:4:3: error [import-row] 这一行没有填写“岗位标识”\n"
        f"hb-positions.csv:{raw[:again].count(chr(10)) + 1}:2: error [import-row] “cs-manager”出现了两次（另见第 {raw[:first].count(chr(10)) + 1} 行）\n"
        "hb-workflows.csv:2:1: error [import-row] hb-departments.csv 和手册里都没有“nowhere”这个部门\n"
        "检查了 6 个文件：5 个错误，0 个警告。\n没有导入任何内容。\n"
    )
    assert tree(root) == before


def test_csv_headings_missing_or_unknown(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = make_handbook(tmp_path / "hb", minimal("en"))
    positions = export_csv(root, tmp_path / "out")
    rows = read_csv(positions)
    assert rows[0][:3] == ["Document no.", "Role id", "Title"]
    rows[0][1] = ""
    write_csv(positions, rows)
    capsys.readouterr()
    assert run_import([str(positions), str(root)], capsys) == (
        1,
        "",
        "out-positions.csv:1:1: error [import-column] the heading line has no column 'Role id'\n" + FAILED_EN.replace("1 files", "6 files"),
    )
    rows[0][1], rows[0][2] = "Role id", "Titel"  # an unknown heading: a warning, its column left alone
    rows[1][2] = "changed"
    write_csv(positions, rows)
    code, out, err = run_import([str(positions), str(root)], capsys)
    assert (code, out) == (0, "Imported out-*.csv: 0 new, 0 updated, 4 unchanged.\n")
    assert err == "out-positions.csv:1:3: warning [import-column] unknown column 'Titel'; did you mean 'Title'?\nChecked 4 files: 0 errors, 1 warning.\n"


def test_a_csv_file_alone_named_by_its_table_or_known_by_its_headings(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = make_handbook(tmp_path / "hb", minimal("en"))
    export_csv(root, tmp_path / "out")
    alone = tmp_path / "alone"
    alone.mkdir()
    (tmp_path / "out-positions.csv").rename(alone / "Positions.CSV")  # the sheet's name; the extension in any case
    rows = read_csv(tmp_path / "out-departments.csv")
    rows[1][1] = "Customer care"
    write_csv(alone / "from-hr.csv", rows)  # a name export does not write: the headings tell
    capsys.readouterr()
    assert run_import([str(alone / "Positions.CSV"), str(root)], capsys) == (0, "Imported Positions.CSV: 0 new, 0 updated, 2 unchanged.\n", "")
    code, out, err = run_import([str(alone / "from-hr.csv"), str(root), "--overwrite"], capsys)
    assert (code, err) == (0, "")
    assert (
        out
        == "updated   roles/cs/_department.yaml\nImported from-hr.csv: 0 new, 1 updated, 0 unchanged.\nThe previous versions are kept in .rolebook-backup/1/.\n"
    )
    assert (root / "roles/cs/_department.yaml").read_text(encoding="utf-8") == "name: Customer care\n"
    write_csv(alone / "notes.csv", [["what", "when"], ["a", "b"]])
    assert run_import([str(alone / "notes.csv"), str(root)], capsys) == (
        1,
        "",
        "notes.csv:1:1: error [import-sheet] cannot tell which table the file holds: name it the way `export` does (…-positions.csv, …-duties.csv and so on) "
        "or give it the headings of one table\n" + FAILED_EN,
    )
    # the duties without the positions
    (tmp_path / "out-duties.csv").rename(alone / "x-duties.csv")
    assert run_import([str(alone / "x-duties.csv"), str(root)], capsys) == (
        1,
        "",
        "x-duties.csv: error [import-sheet] x-positions.csv is missing: the duties and the summary are imported together with the positions, "
        "from the files `export` writes side by side\n" + FAILED_EN,
    )


def test_csv_with_semicolons_as_excel_writes_in_some_countries(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = make_handbook(tmp_path / "hb", minimal("en"))
    positions = export_csv(root, tmp_path / "out")
    for path in tmp_path.glob("out-*.csv"):
        buf = io.StringIO()
        csv.writer(buf, delimiter=";", lineterminator="\r\n").writerows(read_csv(path))
        path.write_text(buf.getvalue(), encoding="utf-8")  # and without a BOM
    capsys.readouterr()
    assert run_import([str(positions), str(root)], capsys) == (0, "Imported out-*.csv: 0 new, 0 updated, 4 unchanged.\n", "")


# --- hostile CSV files ----------------------------------------------------------------------------------


@pytest.fixture
def one_csv(tmp_path: Path) -> tuple[Path, Path, str]:
    """A Chinese handbook, its exported positions as text, and where to put a hostile x-positions.csv."""
    root = make_handbook(tmp_path / "hb", minimal("zh"))
    export_csv(root, tmp_path / "out")
    text = (tmp_path / "out-positions.csv").read_bytes().decode("utf-8-sig")
    return root, tmp_path / "x-positions.csv", text


def test_csv_saved_by_excel_in_gbk_or_utf16(one_csv: tuple[Path, Path, str], capsys: pytest.CaptureFixture[str]) -> None:
    root, target, text = one_csv
    target.write_bytes(text.encode("gb18030"))
    assert run_import([str(target), str(root)], capsys) == (
        1,
        "",
        "x-positions.csv:1:1: error [import-file] 文件不是 UTF-8 编码：看起来是 GBK/GB18030（中文 Windows 上 Excel 的“CSV（逗号分隔）”就是这种编码）："
        + SAVE_AS_CSV_UTF8
        + "\n"
        + FAILED_ZH,
    )
    for encoding in ("utf-16", "utf-16-le"):  # 'Unicode Text': with a byte-order mark, and without
        target.write_bytes(text.replace(",", "\t").encode(encoding))
        assert run_import([str(target), str(root)], capsys) == (
            1,
            "",
            "x-positions.csv:1:1: error [import-file] 文件是 UTF-16 编码（Excel 的“Unicode 文本”），不是 UTF-8：" + SAVE_AS_CSV_UTF8 + "\n" + FAILED_ZH,
        )
    target.write_bytes(text.encode("utf-8") + b"\xff")
    code, _, err = run_import([str(target), str(root)], capsys)
    assert code == 1 and err.startswith(f"x-positions.csv:{text.count(chr(10)) + 1}:1: error [import-file] 文件不是 UTF-8 编码（字节 0xff 无法解码）：")
    target.write_bytes(text.encode("utf-8").replace(b"T-002", b"T-\x00002"))
    assert run_import([str(target), str(root)], capsys) == (
        1,
        "",
        "x-positions.csv:3:3: error [import-file] 文件里有 NUL 字节：它是二进制文件，或不是 UTF-8 文本\n" + FAILED_ZH,
    )


def test_csv_with_broken_quotes_and_odd_contents(one_csv: tuple[Path, Path, str], capsys: pytest.CaptureFixture[str]) -> None:
    root, target, text = one_csv
    head = text.split("\r\n")[0]
    cases = {
        head
        + '\r\nT-001,boss,"经理,cs\r\nT-002,clerk,专员\r\n': 'x-positions.csv:2:3: error [import-file] 这个单元格开头的双引号没有结束，文件剩下的部分都会变成这一个单元格：单元格里的双引号要写两个（""）\n',
        head
        + '\r\nT-001,boss,"经理"人,cs\r\n': 'x-positions.csv:2:3: error [import-file] 这个单元格结束的双引号后面还有文字：含有双引号的单元格必须用双引号括起来，里面的每个双引号都要写两个（""）\n',
        "": "x-positions.csv: error [import-file] 文件是空的：第一行应当是列标题\n",
        "\ufeff\r\n\r\n": "x-positions.csv: error [import-file] 文件是空的：第一行应当是列标题\n",
    }
    for content, expected in cases.items():
        target.write_text(content, encoding="utf-8")
        assert run_import([str(target), str(root)], capsys) == (1, "", expected + FAILED_ZH), content
    target.write_bytes(b"PK\x03\x04" + b"\x00" * 40)
    assert run_import([str(target), str(root)], capsys) == (
        1,
        "",
        "x-positions.csv: error [import-file] 这个文件是 Excel 工作簿，不是 CSV 文本：请把文件名改成以 .xlsx 结尾\n" + FAILED_ZH,
    )
    target.write_text(head + "\r\n" + "T-001,boss," + "长" * 200_000 + ",cs\r\n", encoding="utf-8")
    assert run_import([str(target), str(root)], capsys) == (1, "", "x-positions.csv:2:3: error [import-file] 这个单元格超过了 131072 个字符\n" + FAILED_ZH)


def test_huge_csv_and_json_files_are_refused_before_reading(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    from rolebook.sheets import rows as sheet_rows

    root = make_handbook(tmp_path / "hb", minimal("en"))
    positions = export_csv(root, tmp_path / "out")
    model = export_json(root, tmp_path / "hb.json")
    monkeypatch.setattr(sheet_rows, "MAX_TEXT", 100)
    capsys.readouterr()
    sizes = {f.name: f.stat().st_size for f in sorted(positions.parent.glob("out-*.csv"))}
    big = {name: size for name, size in sizes.items() if size > 100}
    assert "out-positions.csv" in big and len(big) < len(sizes)  # the small tables are read
    assert run_import([str(positions), str(tmp_path / "new")], capsys) == (
        1,
        "",
        "".join(f"{name}: error [import-file] the file is {size} bytes, more than the 100 any handbook needs\n" for name, size in big.items())
        + f"Checked 6 files: {len(big)} errors, 0 warnings.\nNothing was imported.\n",
    )
    code, _, err = run_import([str(model), str(tmp_path / "new")], capsys)
    assert code == 1 and err.startswith(f"hb.json: error [import-file] the file is {model.stat().st_size} bytes, more than the 100 any handbook needs\n")
    assert not (tmp_path / "new").exists()


# --- hostile JSON files ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("", "x.json: error [import-file] the file is empty"),
        (
            '{\n  "format": "rolebook-export",\n  "version": 1,\n}\n',
            "x.json:3:15: error [import-file] not valid JSON: one comma too many before the closing '}'",
        ),
        ('{"a": 1 "b": 2}', "x.json:1:9: error [import-file] not valid JSON: a ',' or the closing '}' is expected here"),
        ('{"a" 1}', "x.json:1:6: error [import-file] not valid JSON: a ':' is expected after the name"),
        ("{'a': 1}", "x.json:1:2: error [import-file] not valid JSON: a name in double quotes is expected here (is there one comma too many before it?)"),
        (
            '{"a": NaN}',
            "x.json:1:7: error [import-file] not valid JSON: a value is expected here (text in double quotes, a number, true, false, null, a list [ … ] or an object { … })",
        ),
        ('{"a": "text\n"}', "x.json:1:12: error [import-file] not valid JSON: a line break or a tab inside text must be written as \\n or \\t"),
        (
            '{"a": "C:\\temp\\x"}',
            'x.json:1:15: error [import-file] not valid JSON: a backslash inside text starts an escape such as \\n, \\" or \\u4e2d; a backslash itself is written \\\\',
        ),
        ('{"a": "never closed}', "x.json:1:7: error [import-file] not valid JSON: this text is never closed by a double quote"),
        ('{"a": 1} {"b": 2}', "x.json:1:10: error [import-file] not valid JSON: more follows after the end of the data"),
        (
            '{"a": "\\ud800"}',
            "x.json:1:7: error [import-file] the text holds \\ud800, one half of a character pair, which no file can hold: write the character itself",
        ),
        ('{\n  "a": 1,\n  "a": 2\n}', "x.json:3:3: error [duplicate-key] key 'a' appears twice (first on line 2); the second would silently replace the first"),
        ("[" * 1000 + "]" * 1000, "x.json:1:41: error [too-deep] the structure is nested more than 40 levels deep"),
        (
            '{"roles": []}',
            'x.json:1:1: error [import-file] this JSON file is not a rolebook export: `export --format json` writes an object with "format": "rolebook-export"',
        ),
        (
            '["rolebook-export"]',
            'x.json:1:1: error [import-file] this JSON file is not a rolebook export: `export --format json` writes an object with "format": "rolebook-export"',
        ),
        (
            '{"format": "rolebook-export", "version": 2}',
            "x.json:1:42: error [import-file] the file is version 2 of the export format; this rolebook reads version 1",
        ),
        ('{"version": 1' + "0" * 5000 + "}", "x.json:1:1: error [import-file] this JSON file is not a rolebook export"),
    ],
)
def test_json_that_cannot_be_read(tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str, expected: str) -> None:
    root = make_handbook(tmp_path / "hb", minimal("en"))
    (tmp_path / "x.json").write_text(content, encoding="utf-8")
    code, out, err = run_import([str(tmp_path / "x.json"), str(root)], capsys)
    assert (code, out) == (1, "")
    assert err.startswith(expected) and err.endswith(FAILED_EN), err
    assert err.count("\n") == 3


def test_json_in_another_encoding(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = make_handbook(tmp_path / "hb", minimal("zh"))
    text = export_json(root, tmp_path / "hb.json").read_text(encoding="utf-8")
    (tmp_path / "u.json").write_bytes(text.encode("utf-16"))
    (tmp_path / "g.json").write_bytes(text.encode("gb18030"))
    (tmp_path / "b.json").write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))  # a BOM is fine
    capsys.readouterr()
    assert run_import([str(tmp_path / "u.json"), str(root)], capsys) == (
        1,
        "",
        "u.json:1:1: error [import-file] 文件是 UTF-16 编码，而 JSON 文件必须是 UTF-8 编码：请把它另存为 UTF-8\n" + FAILED_ZH,
    )
    first = line_of(text, "测试集团")
    assert run_import([str(tmp_path / "g.json"), str(root)], capsys) == (
        1,
        "",
        f"g.json:{first}:22: error [import-file] 文件不是 UTF-8 编码：看起来是 GBK/GB18030，而 JSON 文件必须是 UTF-8 编码：请把它另存为 UTF-8\n" + FAILED_ZH,
    )
    assert run_import([str(tmp_path / "b.json"), str(root)], capsys) == (0, "已导入 b.json：新建 0 个、更新 0 个、未变 4 个文件。\n", "")


def test_json_that_is_not_the_export_shape_is_checked_against_its_schema(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = make_handbook(tmp_path / "hb", minimal("en"))
    target = export_json(root, tmp_path / "hb.json")
    model = json.loads(target.read_text(encoding="utf-8"))
    model["roles"][1]["headcount"] = "two"
    model["roles"][1]["titel"] = model["roles"][1].pop("title")
    del model["departments"][0]["workflows"]
    target.write_text(json.dumps(model, ensure_ascii=False, indent=2), encoding="utf-8")
    text = target.read_text(encoding="utf-8")
    dept, two, titel = line_of(text, '"id": "cs"') - 1, line_of(text, '"two"'), line_of(text, '"titel"')
    capsys.readouterr()
    code, out, err = run_import([str(target), str(root)], capsys)
    assert (code, out) == (1, "")
    lines = err.splitlines()
    assert f"hb.json:{dept}:5: error [missing-key] 'workflows' (Workflows) is missing" in lines
    assert f"hb.json:{two}:20: error [wrong-type] 'headcount' (Headcount) must be a whole number, not text 'two'" in lines
    assert f"hb.json:{titel}:7: error [unknown-key] unknown key 'titel'; did you mean 'title'?" in lines
    assert lines[-1] == "Nothing was imported."


def test_json_problems_found_by_check_point_at_the_value(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = sample_copy(tmp_path)
    before = tree(root)
    target = export_json(root, tmp_path / "hb.json")
    model = json.loads(target.read_text(encoding="utf-8"))
    guide = next(r for r in model["roles"] if r["id"] == "guide-leader")
    guide["reports_to"] = "cs-manger"
    guide["duties"][0]["duties"].append(dict(guide["duties"][0]["duties"][0]))  # the same duty twice: fine for the schema
    target.write_text(json.dumps(model, ensure_ascii=False, indent=2), encoding="utf-8")
    text = target.read_text(encoding="utf-8")
    capsys.readouterr()
    code, out, err = run_import([str(target), str(root), "--overwrite"], capsys)
    assert (code, out) == (1, "")
    at = line_of(text, '"cs-manger"')
    assert f"hb.json:{at}:21: error [unknown-superior] 没有“cs-manger”这个岗位；您是不是想写“cs-manager (客服部经理)”？" in err.splitlines()
    assert tree(root) == before


# --- the file name --------------------------------------------------------------------------------------


def test_unknown_extensions_name_the_supported_ones(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = make_handbook(tmp_path / "hb", minimal("en"))
    for name in ("hb.xls", "hb.txt", "notes"):
        (tmp_path / name).write_text("a,b\n")
    capsys.readouterr()
    supported = "import reads .xlsx (Excel workbook), .csv and .json files, the formats `export` writes; "
    assert run_import([str(tmp_path / "hb.xls"), str(root)], capsys) == (
        1,
        "",
        f"hb.xls: error [import-file] {supported}this file ends in '.xls'. Save a spreadsheet as 'Excel Workbook (*.xlsx)' first\n" + FAILED_EN,
    )
    assert run_import([str(tmp_path / "hb.txt"), str(root)], capsys)[2].startswith(f"hb.txt: error [import-file] {supported}this file ends in '.txt'.")
    assert run_import([str(tmp_path / "notes"), str(root)], capsys) == (
        1,
        "",
        f"notes: error [import-file] {supported}this file name has no extension\n" + FAILED_EN,
    )


def test_upper_case_extensions_and_a_new_folder_in_the_export_language(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = make_handbook(tmp_path / "hb", minimal("en"))
    export_csv(src, tmp_path / "HB")
    for path in tmp_path.glob("HB-*.csv"):
        path.rename(path.with_name(path.name.upper()))
    target = export_json(src, tmp_path / "HB.JSON")
    capsys.readouterr()
    for n, source in enumerate((tmp_path / "HB-DUTIES.CSV", target)):
        dest = tmp_path / f"new{n}"
        code, out, err = run_import([str(source), str(dest), "--dry-run"], capsys)  # no rolebook.yml there: English from the file
        assert (code, err) == (0, "")
        assert out.endswith("Dry run: nothing was written (7 new, 0 changed, 0 unchanged).\n")
        assert run_import([str(source), str(dest)], capsys)[0] == 0
        assert not check_handbook(dest).problems


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_export_says_how_to_bring_the_file_back_and_that_command_works(tmp_path: Path, capsys: pytest.CaptureFixture[str], fmt: str) -> None:
    root = make_handbook(tmp_path / "hb", minimal("en"))
    capsys.readouterr()
    target = tmp_path / "out" / ("hb" if fmt == "csv" else "hb.json")
    target.parent.mkdir()
    assert main(["export", "--format", fmt, "-o", str(target), str(root)]) == 0
    hint = capsys.readouterr().out.splitlines()[-1]
    shown = tmp_path / "out" / ("hb-positions.csv" if fmt == "csv" else "hb.json")
    assert hint == f"After editing: rolebook import {shown} --dry-run   shows the changes; add --overwrite to write them."
    # the command it prints works as printed
    assert main(["import", str(shown), "--dry-run", str(root)]) == 0
