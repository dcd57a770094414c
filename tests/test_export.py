"""`export`: XLSX / CSV / JSON from a checked handbook; deterministic bytes; no formula injection."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import jsonschema
import openpyxl
import pytest

from rolebook.cli import main
from rolebook.sheets.layout import TABLES
from tests.scratch import CLERK, ONE_LANGUAGE, make_handbook, minimal

REPO = Path(__file__).resolve().parent.parent
SAMPLE = ONE_LANGUAGE  # the sample in one language: its columns and values, as before
SCHEMA = json.loads((REPO / "schema/export.schema.json").read_text(encoding="utf-8"))
HOSTILE = ['=HYPERLINK("http://x.invalid","click")', "+1+2", "-3+4", "@SUM(A1:A2)", "#N/A", "=1+1"]


def hostile_handbook(tmp_path: Path) -> Path:
    files = minimal("en")
    quoted = [json.dumps(v) for v in HOSTILE]
    files["roles/cs/clerk.yaml"] = CLERK.replace(
        "  - duty: 接听电话\n    kpis: [及时性]\n",
        f"  - duty: {quoted[0]}\n    kpis: [{quoted[1]}, {quoted[2]}]\n  - duty: {quoted[3]}\n    kpis: [{quoted[4]}]\n",
    ).replace("title: 专员", f"title: {quoted[5]}")
    return make_handbook(tmp_path / "hb", files)


def export(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(["export", *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_xlsx_of_the_sample(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "hb.xlsx"
    code, out, err = export(["-o", str(target), str(SAMPLE)], capsys)
    assert (code, err) == (0, "")
    assert out.startswith(f"已把 15 个岗位、8 个部门导出到 {target}。\n")
    wb = openpyxl.load_workbook(target)
    assert wb.sheetnames == ["岗位", "职责", "职责综述", "部门", "工作流程", "设置"]
    ws = wb["岗位"]
    header = [c.value for c in ws[1]]
    assert header[:7] == ["编号", "岗位标识", "职位", "部门", "直接上级", "直接下级", "人数"]
    assert header[11:15] == ["% 对内", "对内联系对象", "% 对外", "对外联系对象"]
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == f"A1:T{ws.max_row}"
    assert ws.max_row == 16  # 15 roles + heading
    rows = {r[1]: r for r in ws.iter_rows(min_row=2, values_only=True)}
    assert rows["cs-manager"][:7] == ("客-001", "cs-manager", "客服部经理", "customer-service", "general-manager", "cs-supervisor\nagency-leader", 1)
    assert ws["A2"].alignment.wrap_text and ws["A1"].font.bold
    widths = {k: d.width for k, d in ws.column_dimensions.items()}
    assert 8 <= widths["A"] <= 20 and widths["J"] > widths["G"]  # abilities are wider than headcount
    duties = [r for r in wb["职责"].iter_rows(min_row=2, values_only=True) if r[0] == "property-assistant"]
    assert duties[0] == ("property-assistant", "前台", 1, "处理业主来访、服务的效率", "及时性")
    assert [d[2] for d in duties] == [1, 2, 3, 4, 5, 6] and duties[3][1] == "贴心管家"
    workflows = list(wb["工作流程"].iter_rows(min_row=2, values_only=True))
    assert workflows == [("marketing-cs", "接线流程", None), ("marketing-cs", "客户资料建立流程", None), ("marketing-cs", "客户签订合同流程", None)]
    assert list(wb["设置"].iter_rows(min_row=2, values_only=True)) == [("示例集团", "zh", None, True, 12, "1.0", "a4", "mkdocs")]


def test_xlsx_bytes_are_reproducible(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    a, b = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    assert export(["-o", str(a), str(SAMPLE)], capsys)[0] == 0
    assert export(["-o", str(b), str(SAMPLE)], capsys)[0] == 0
    assert a.read_bytes() == b.read_bytes()
    with zipfile.ZipFile(a) as z:
        assert {i.date_time for i in z.infolist()} == {(2006, 6, 1, 0, 0, 0)}  # the latest effective date
        core = z.read("docProps/core.xml").decode()
    assert "2006-06-01T00:00:00Z" in core and "rolebook" in core
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1700000000"}
    c = tmp_path / "c.xlsx"
    subprocess.run([sys.executable, str(REPO / "build.py"), "export", "-o", str(c), str(SAMPLE)], env=env, check=True, capture_output=True)
    with zipfile.ZipFile(c) as z:
        assert "2023-11-14T22:13:20Z" in z.read("docProps/core.xml").decode()


def test_no_formula_injection_in_xlsx(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = hostile_handbook(tmp_path)
    target = tmp_path / "x.xlsx"
    assert export(["-o", str(target), str(root)], capsys)[0] == 0
    with zipfile.ZipFile(target) as z:
        sheets = [z.read(n).decode() for n in z.namelist() if n.startswith("xl/worksheets/sheet")]
    assert all("<f>" not in s and "<f " not in s and 't="e"' not in s for s in sheets)
    wb = openpyxl.load_workbook(target)
    expected = [*HOSTILE, "+1+2\n-3+4"]
    cells = [c for ws in wb for row in ws.iter_rows() for c in row if isinstance(c.value, str) and c.value in expected]
    assert sorted(c.value for c in cells) == sorted(v for v in expected if v not in ("+1+2", "-3+4"))
    assert all(c.data_type == "s" for c in cells)
    assert all(c.quotePrefix for c in cells if c.value[0] in "=+-@")


def test_csv_tables(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = hostile_handbook(tmp_path)
    code, out, _ = export(["--format", "csv", "-o", str(tmp_path / "out" / "hb.csv"), str(root)], capsys)
    assert code == 0 and out.startswith("Exported 2 positions and 1 departments to ")
    files = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert files == sorted(f"hb-{t.key}.csv" for t in TABLES)
    raw = (tmp_path / "out/hb-duties.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0] == ["Role id", "Group", "No.", "Duty", "KPIs"]
    assert rows[2] == ["clerk", "", "1", "'" + HOSTILE[0], "'+1+2\n-3+4"]
    assert rows[3] == ["clerk", "", "2", "'" + HOSTILE[3], "#N/A"]
    # -o naming an existing folder
    code, _, _ = export(["--format", "csv", "-o", str(tmp_path / "out"), str(root)], capsys)
    assert code == 0 and (tmp_path / "out/rolebook-positions.csv").is_file()


@pytest.mark.parametrize("hb", ["sample", "minimal"])
def test_json_validates_against_published_schema(tmp_path: Path, capsys: pytest.CaptureFixture[str], hb: str) -> None:
    root = SAMPLE if hb == "sample" else make_handbook(tmp_path / "hb", minimal("en"))
    code, out, _ = export(["--format", "json", "-o", "-", str(root)], capsys)
    assert code == 0
    doc = json.loads(out)
    jsonschema.Draft202012Validator(SCHEMA).validate(doc)
    assert doc["format"] == "rolebook-export" and doc["version"] == 1
    if hb == "sample":
        assert len(doc["roles"]) == 15 and doc["roles"][0]["id"] == "general-manager"
        cs = next(r for r in doc["roles"] if r["id"] == "cs-manager")
        assert cs["subordinates"] == ["cs-supervisor", "agency-leader"] and cs["internal"]["percent"] == 30


def test_lang_changes_words_not_data(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "en.xlsx"
    assert export(["--lang", "en", "-o", str(target), str(SAMPLE)], capsys)[0] == 0
    wb = openpyxl.load_workbook(target)
    assert wb.sheetnames[0] == "Positions" and wb["Positions"]["A1"].value == "Document no."
    assert wb["Settings"]["B2"].value == "zh"


def test_a_failing_handbook_is_not_exported(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    files = minimal("en")
    files["roles/cs/clerk.yaml"] = CLERK.replace("reports_to: boss", "reports_to: bos")
    root = make_handbook(tmp_path / "hb", files)
    for fmt in ("xlsx", "csv", "json"):
        code, out, err = export(["--format", fmt, "-o", str(tmp_path / f"x.{fmt}"), str(root)], capsys)
        assert (code, out) == (1, "")
        assert "roles/cs/clerk.yaml:3:13: error [unknown-superior]" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["hb"]


def test_text_a_spreadsheet_cannot_hold(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    files = minimal("en")
    # every text is at most 2,000 characters (check), but a list's items share one cell: 17 KPIs of 2,000 are too many
    files["roles/cs/clerk.yaml"] = CLERK.replace("title: 专员", 'title: "a\\x01b"').replace("kpis: [及时性]", "kpis: [" + ", ".join(["x" * 2000] * 17) + "]")
    root = make_handbook(tmp_path / "hb", files)
    code, out, err = export(["-o", str(tmp_path / "x.xlsx"), str(root)], capsys)
    assert (code, out) == (1, "")
    assert "roles/cs/clerk.yaml: error [sheet-unsupported] 'Positions / Title' holds the control character U+0001" in err
    assert "'Duties / KPIs' is 34016 characters long; a spreadsheet cell holds at most 32767" in err
    assert not (tmp_path / "x.xlsx").exists()
    # JSON has no such limits
    assert export(["--format", "json", "-o", str(tmp_path / "x.json"), str(root)], capsys)[0] == 0


def test_line_break_inside_a_list_item_is_a_warning(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    files = minimal("en")
    files["roles/cs/clerk.yaml"] = CLERK.replace("kpis: [及时性]", 'kpis: ["two\\nlines"]')
    root = make_handbook(tmp_path / "hb", files)
    code, _, err = export(["-o", str(tmp_path / "x.xlsx"), str(root)], capsys)
    assert code == 0 and "warning [sheet-line-break]" in err and (tmp_path / "x.xlsx").is_file()


def test_export_and_import_codes_are_documented_in_both_languages() -> None:
    import re

    from rolebook.sheets.codes import IMPORT_CODES, SHEET_CODES

    codes = {c.code: c for c in (*SHEET_CODES, *IMPORT_CODES)}
    assert set(codes) == {
        "sheet-unsupported",
        "sheet-line-break",
        "import-file",
        "import-sheet",
        "import-column",
        "import-cell",
        "import-row",
        "import-interrupted",
    }
    source = "".join(p.read_text(encoding="utf-8") for p in (*sorted((REPO / "rolebook/sheets").glob("*.py")), *sorted((REPO / "rolebook/load").glob("*.py"))))
    used = set(re.findall(r'"(?:error|warning)", "((?:sheet|import)-[a-z-]+)"', source))
    used |= set(re.findall(r'r\.(?:at\([^,]+,|whole\() ?"((?:sheet|import)-[a-z-]+)"', source))
    assert len(used) >= 6
    assert used <= set(codes)
    for c in codes.values():
        en, _, zh = c.doc.partition("\n\n")
        assert re.search("[A-Za-z]{4}", en) and re.search("[\u4e00-\u9fff]", zh), c.code
