"""``import FILE.docx`` on job descriptions laid out as HR departments really write them, in English and Chinese:
bold label runs, tabs, line breaks inside cells, Word's multi-level numbering, header blocks of label | value |
label | value, duties tables with 权重 / Weight % columns, relationships in Internal / External columns, and
the parts rolebook has no field for (kept, with a note)."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest

from rolebook.app.pipeline import check_handbook
from rolebook.cli import main
from rolebook.load import docx_labels as L
from rolebook.load.docx_map import parse_date
from tests.docx_support import bold_label, fill, numbered, uk_tables, us_style, zh_real


def imported(doc: Path, hb: Path, capsys: pytest.CaptureFixture[str]) -> tuple[str, str]:
    """Import ``doc`` into a new handbook ``hb``; it must pass check. The report (stdout) and the role file."""
    code = main(["import", str(doc), str(hb)])
    out = capsys.readouterr()
    assert (code, out.err) == (0, ""), out
    result = check_handbook(hb, use_cache=False)
    assert [p for p in result.problems if p.severity == "error"] == []
    (role_file,) = [p for p in (hb / "roles").rglob("*.yaml") if p.name != "_department.yaml"]
    return out.out, role_file.read_text(encoding="utf-8")


def review(out: str) -> list[str]:
    return [line.split(": ", 3)[-1] for line in out.splitlines() if line.startswith("  ")]


def test_us_job_description_with_bold_labels_and_us_part_titles(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out, text = imported(us_style(tmp_path / "ap.docx"), tmp_path / "hb", capsys)
    role = check_handbook(tmp_path / "hb", use_cache=False).handbook.role("accounts-payable-clerk")  # type: ignore[union-attr]
    assert (role.title, role.department, role.headcount, role.effective_date, role.approver) == (
        "Accounts Payable Clerk", "finance", 2, "2024-06-01", "Finance Director",
    )  # fmt: skip
    assert [item for g in role.summary for item in g.items] == [
        "Processes supplier invoices and payments accurately and on time.",
        "FLSA Status: Non-exempt",
        "Grade/Band: 5",
        "Location: Head office, Leeds",
        "Supervisory Responsibilities: None.",
        "Working Conditions: Office environment; occasional overtime at month end.",
    ]
    # Word's second numbering level: the item above becomes the group; back at the first level, out of it
    assert [(g.name, [(d.text, d.kpis) for d in g.duties]) for g in role.duties] == [
        ("Supplier invoices", [("Match invoices to purchase orders and goods received.", ()), ("Enter approved invoices in the ledger within 2 days.", ())]),
        (None, [("Prepare the weekly payment run", ("payments on time",)), ("Answer supplier queries by phone and email.", ())]),
    ]
    q = role.qualifications
    assert q is not None
    assert (q.education, q.experience) == ("Associate degree in accounting or business", "2 years of accounts payable experience")
    assert q.abilities == "Working knowledge of Excel and SAP; Accurate with numbers; 3 years of data entry is a plus"  # Knowledge, Skills and Abilities
    assert q.other == "Preferred Qualifications: Working towards an AAT qualification.; Physical Demands: Able to lift boxes of files up to 10 kg."
    assert "'Working Conditions' is a part rolebook has no place for; its text is kept in summary" in review(out)
    assert "'FLSA Status' is not a field of the form; kept in summary" in review(out)
    assert "  # 'Physical Demands' is a part rolebook has no place for; its text is kept in other requirements\n" in text


def test_uk_role_profile_in_tables(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out, text = imported(uk_tables(tmp_path / "payroll.docx"), tmp_path / "hb", capsys)
    role = check_handbook(tmp_path / "hb", use_cache=False).handbook.role("payroll-officer")  # type: ignore[union-attr]
    assert (role.number, role.title, role.department, role.effective_date) == ("PS-014", "Payroll Officer", "people-services", None)
    assert [item for g in role.summary for item in g.items] == [
        "Runs the monthly payroll for 800 staff and answers their pay questions.",
        "Grade: B4",
        "Location: Manchester",
    ]
    assert [(d.text, d.kpis) for g in role.duties for d in g.duties] == [
        ("Run the monthly payroll (Weight %: 50%)", ("Paid on the agreed day",)),
        ("Keep pay records (Weight %: 30%)", ("Audit findings closed",)),
        ("Answer pay questions (Weight %: 20%)", ("Answered within 2 days",)),
    ]
    q = role.qualifications
    assert q is not None and (q.education, q.experience, q.abilities) == (
        "CIPP Foundation Degree or equivalent", "3 years in a payroll team", "Excel; a payroll system (iTrent or similar)",
    )  # fmt: skip
    assert q.other == "FLSA status: not applicable in the UK"  # a bold label, a tab, its value
    assert review(out).count("from duty 1 on: the column(s) Weight % have no field in rolebook; kept in brackets after each duty's text") == 1
    assert "the date '01/09/2023' is not a date rolebook can read (YYYY-MM-DD); not written" in review(out)  # 1 September or 9 January
    # Internal / External columns with a contact a line; no share of time, so kept in a comment, not lost
    assert "# Internal (within the group): ?% All staff、Finance (journals, accruals); External (outside the group): ?% HMRC、Pension providers\n" in text
    assert "version" not in text.lower()  # the empty Version cell gave nothing


def test_chinese_job_description_as_wps_templates_have_it(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out, text = imported(zh_real(tmp_path / "会计.docx"), tmp_path / "hb", capsys)
    role = check_handbook(tmp_path / "hb", use_cache=False).handbook.role("kuai-ji")  # type: ignore[union-attr]
    assert (role.number, role.title, role.department, role.headcount, role.approver, role.effective_date) == (
        "CW-003", "会计", "cai-wu-bu", 2, "张总", "2006-06-01",
    )  # fmt: skip
    assert [item for g in role.summary for item in g.items] == [
        "负责公司日常会计核算，保证账务准确、及时。",
        "薪酬等级：六级",
        "岗位权限：1、对不合规的原始凭证有权拒绝受理；2、有权查阅各部门的费用台账。",
        "工作环境：办公室，工作条件良好。",
        "职业发展：晋升通道：会计→主管会计→财务经理",
    ]
    assert [(g.name, [(d.text, d.kpis) for d in g.duties]) for g in role.duties] == [
        ("核算", [("审核原始凭证，编制记账凭证（权重：40%）", ("凭证差错率低于 1%",)), ("月末结账，编制会计报表（权重：40%）", ("报表按时提交",))]),
        ("税务", [("按时申报纳税（权重：20%）", ("零滞纳金",))]),
    ]
    q = role.qualifications
    assert q is not None and (q.education, q.experience, q.other) == ("大专及以上，会计专业", "3 年以上会计工作经验", "持有会计从业资格证")
    assert "# 对内（集团以内）: ?% 各业务部门、人力资源部（工资、社保）; 对外（集团以外）: ?% 税务局、开户银行\n" in text
    assert review(out) == [
        "直接上级“财务经理”：文档和手册里都没有这个岗位；未写入——请添加该岗位，或在 reports_to 填写它的标识",
        "“薪酬等级”不是表格里的栏目，保留在“职责综述”中",
        "从第 1 条职责起：“权重”栏在 rolebook 里没有对应的栏目，以括号附在每条职责文字后面",
        "工作联系没有同时写明对内和对外的时间占比；未写入（保留在下面）",
        "“岗位权限”这一部分在 rolebook 里没有对应的栏目，内容保留在“职责综述”中",
        "“工作环境”这一部分在 rolebook 里没有对应的栏目，内容保留在“职责综述”中",
        "“职业发展”这一部分在 rolebook 里没有对应的栏目，内容保留在“职责综述”中",
    ]


def test_chinese_form_with_bold_labels_full_width_spaces_and_a_relationship_block(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """ "**职位名称**　出纳": a bold label, a full-width space, no colon; 工作关系 holding 直接上级 and 内部协调关系;
    percentages beside the parties; 制定日期 in Chinese numerals; 编制人数 in Chinese."""
    d = docx.Document()
    d.add_paragraph().add_run("岗位说明书").bold = True
    bold_label(d, "职位名称", "　出纳")
    bold_label(d, "岗位编号", "　CW-004")
    bold_label(d, "所在部门", "　财务部")
    bold_label(d, "编制人数", "　两人")
    bold_label(d, "制定日期：", "二〇〇六年六月一日")
    d.add_paragraph("工作目标：保证资金安全，收付及时准确。")
    d.add_paragraph("工作关系")
    t = d.add_table(rows=4, cols=2)
    fill(t.rows[0], ("直接上级", "会计"))
    fill(t.rows[1], ("直接下级", "无"))
    fill(t.rows[2], ("内部协调关系", "70%：各部门报销人员、会计"))
    fill(t.rows[3], ("外部协调关系", "30%：开户银行"))
    d.add_paragraph("岗位职责")
    for duty in ("办理现金收付和银行结算业务", "登记现金和银行存款日记账，做到日清月结"):
        numbered(d.add_paragraph(duty))
    d.add_paragraph("任职资格")
    d.add_paragraph("1、学历：中专以上")
    d.add_paragraph("2、工作经验：1 年以上出纳工作经验")
    d.save(str(tmp_path / "出纳.docx"))
    out, _text = imported(tmp_path / "出纳.docx", tmp_path / "hb", capsys)
    assert "直接上级“会计”：文档和手册里都没有这个岗位；未写入——请添加该岗位，或在 reports_to 填写它的标识" in review(out)
    role = check_handbook(tmp_path / "hb", use_cache=False).handbook.role("chu-na")  # type: ignore[union-attr]
    assert (role.number, role.department, role.headcount, role.effective_date) == ("CW-004", "cai-wu-bu", 2, "2006-06-01")
    assert role.summary[0].items == ("保证资金安全，收付及时准确。",)
    assert role.internal is not None and role.external is not None
    assert (role.internal.percent, role.internal.parties, role.external.percent, role.external.parties) == (70, ("各部门报销人员", "会计"), 30, ("开户银行",))
    assert [d.text for g in role.duties for d in g.duties] == ["办理现金收付和银行结算业务", "登记现金和银行存款日记账，做到日清月结"]
    assert role.qualifications is not None and (role.qualifications.education, role.qualifications.experience) == ("中专以上", "1 年以上出纳工作经验")


@pytest.mark.parametrize(
    ("text", "part"),
    [
        ("Part 2 — Summary", "summary"),
        ("Part II: Job Summary", "summary"),
        ("Section 3. Working Relationships", "relationships"),
        ("2. KEY RESPONSIBILITIES", "duties"),
        ("Job Purpose", "summary"),
        ("Principal Accountabilities", "duties"),
        ("Essential Duties and Responsibilities", "duties"),
        ("Key Result Areas", "duties"),
        ("Person Specification", "qualifications"),
        ("Minimum Qualifications", "qualifications"),
        ("Reporting Relationships", "basic"),
        ("IV. Key Responsibilities:", "duties"),
        ("第二部分　职责综述", "summary"),
        ("一、岗位目的", "summary"),
        ("（三）工作内容及要求", "duties"),
        ("4. 任职条件", "qualifications"),
        ("工作协调关系", "relationships"),
        ("Part of", None),
        ("3 年以上工作经验", None),
    ],
)
def test_part_titles_in_their_usual_forms(text: str, part: str | None) -> None:
    assert L.section_of(text) == part


@pytest.mark.parametrize(
    ("text", "bare"),
    [("3 年以上", "3 年以上"), ("1st shift", "1st shift"), ("3.5 years", "3.5 years"), ("2.5 年以上", "2.5 年以上"), ("1.1 Ensure", "Ensure"),
     ("i.e. this", "i.e. this"), ("(iv) Audit", "Audit"), ("II. Duties", "Duties"), ("Part of", "Part of"), ("1、a", "a"), ("a) b", "b")],
)  # fmt: skip
def test_numbering_is_told_from_numbers_that_are_text(text: str, bare: str) -> None:
    assert L.strip_numbering(text) == bare


@pytest.mark.parametrize(
    ("text", "iso"),
    [("2006年6月1日", "2006-06-01"), ("2006.6.1", "2006-06-01"), ("2006/06/01", "2006-06-01"), ("二〇〇六年六月一日", "2006-06-01"),
     ("2025年12月31日", "2025-12-31"), ("1 June 2006", "2006-06-01"), ("June 1st, 2006", "2006-06-01"), ("25/06/2006", "2006-06-25"),
     ("06/25/2006", "2006-06-25"), ("01/06/2006", None), ("2006年6月", None), ("2006-02-30", None)],
)  # fmt: skip
def test_dates_in_any_form(text: str, iso: str | None) -> None:
    assert parse_date(text) == iso


def test_a_department_id_is_never_made_from_the_cells_beside_its_label(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A department block whose 部门标识 cell holds no valid id: the department comes from its name, not from a
    slug of 'operations Name Operations'."""
    d = docx.Document()
    t = d.add_table(rows=1, cols=4)
    fill(t.rows[0], ("Department id", "Ops Team!", "Name", "Operations"))
    d.add_paragraph("Job Title: Office Manager")
    d.add_paragraph("Department: Operations")
    d.add_paragraph("Duties")
    d.add_paragraph("1. Run the office.")
    d.save(str(tmp_path / "jd.docx"))
    imported(tmp_path / "jd.docx", tmp_path / "hb", capsys)
    assert sorted(p.relative_to(tmp_path / "hb").as_posix() for p in (tmp_path / "hb/roles").rglob("*.yaml")) == [
        "roles/operations/_department.yaml",
        "roles/operations/office-manager.yaml",
    ]


def test_labels_in_a_row_above_their_values(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A header table whose first row holds the labels and the row below the values, and a duties table headed
    序号 | 内容 | 标准."""
    d = docx.Document()
    t = d.add_table(rows=2, cols=4)
    fill(t.rows[0], ("职位名称", "所属部门", "岗位编号", "定员"))
    fill(t.rows[1], ("前台", "行政部", "XZ-02", "1"))
    t = d.add_table(rows=3, cols=3)
    fill(t.rows[0], ("序号", "内容", "标准"))
    fill(t.rows[1], ("1", "接待来访客人", "客人满意"))
    fill(t.rows[2], ("2", "收发快递", "当日登记"))
    d.save(str(tmp_path / "前台.docx"))
    out, _text = imported(tmp_path / "前台.docx", tmp_path / "hb", capsys)
    role = check_handbook(tmp_path / "hb", use_cache=False).handbook.role("qian-tai")  # type: ignore[union-attr]
    assert (role.number, role.department, role.headcount) == ("XZ-02", "xing-zheng-bu", 1)
    assert [(d.text, d.kpis) for g in role.duties for d in g.duties] == [("接待来访客人", ("客人满意",)), ("收发快递", ("当日登记",))]
    assert review(out) == []  # every field found where the table put it
    assert "qualifications" not in _text
