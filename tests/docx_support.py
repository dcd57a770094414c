"""Word documents for the import tests, made with python-docx in the layouts real job descriptions use."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import docx
from docx.oxml import OxmlElement
from docx.oxml.ns import qn


def merged_row(table: Any, row: int, text: str) -> None:
    """A row whose cells are merged across the table, holding ``text`` (a part's heading in WPS-style forms)."""
    cells = table.rows[row].cells
    cell = cells[0].merge(cells[-1])
    cell.text = text


def numbered(paragraph: Any, num_id: int = 1, level: int = 0) -> Any:
    """Give ``paragraph`` Word's own numbering (w:numPr), as a list made with the toolbar button has."""
    ppr = paragraph._p.get_or_add_pPr()
    num = OxmlElement("w:numPr")
    ilvl = OxmlElement("w:ilvl")
    ilvl.set(qn("w:val"), str(level))
    nid = OxmlElement("w:numId")
    nid.set(qn("w:val"), str(num_id))
    num.append(ilvl)
    num.append(nid)
    ppr.append(num)
    return paragraph


def wps_form(path: Path, role: dict[str, Any]) -> Path:
    """The five-part standard form as one big 4-column table with merged rows, labels in cells (as WPS templates are)."""
    d = docx.Document()
    d.add_paragraph(role.get("heading", "岗位说明书"))
    duties = role["duties"]
    n_rows = 4 + 1 + len(role["summary"]) + 1 + 2 + 1 + 4 + 2 + len(duties)
    t = d.add_table(rows=n_rows, cols=4)
    r = 0
    merged_row(t, r, "第一部分  职位基本信息")
    r += 1
    for a, b, c, e in (
        ("职位名称", role["title"], "编号", role.get("number", "")),
        ("部门", role["department"], "制定时间", role.get("date", "")),
        ("直接上级", role.get("superior", ""), "直接下级", role.get("subordinates", "")),
    ):
        cells = t.rows[r].cells
        for cell, text in zip(cells, (a, b, c, e), strict=False):
            cell.text = text
        r += 1
    merged_row(t, r, "第二部分  职责综述")
    r += 1
    for i, item in enumerate(role["summary"], start=1):
        merged_row(t, r, f"{i}、{item}")
        r += 1
    merged_row(t, r, "第三部分  主要工作联系")
    r += 1
    for side, (pct, parties) in zip(("对内", "对外"), role["relationships"], strict=False):
        cells = t.rows[r].cells
        cells[0].text = side
        cells[1].text = f"{pct}%"
        cells[2].merge(cells[3]).text = parties
        r += 1
    merged_row(t, r, "第四部分  任职资格要求")
    r += 1
    for label, value in zip(("教育程度及专业", "工作经验", "能力要求", "其它要求"), role["qualifications"], strict=False):
        cells = t.rows[r].cells
        cells[0].text = label
        cells[1].merge(cells[3]).text = value
        r += 1
    merged_row(t, r, "第五部分  岗位职责")
    r += 1
    cells = t.rows[r].cells
    cells[0].text = "序号"
    cells[1].merge(cells[2]).text = "主要职责"
    cells[3].text = "主要考核指标"
    r += 1
    for i, (duty, kpi) in enumerate(duties, start=1):
        cells = t.rows[r].cells
        cells[0].text = str(i)
        cells[1].merge(cells[2]).text = duty
        cells[3].text = kpi
        r += 1
    d.save(str(path))
    return path


def paragraph_form(path: Path, roles: list[dict[str, Any]], *, numbering: bool = False) -> Path:
    """Several job descriptions one after another, as the sample's source document has them: a heading line
    with the 编号, "label：value" fields in paragraphs, each part under a heading, lists typed "1、", the
    duties in a 序号 / 主要职责 / 主要考核指标 table."""
    d = docx.Document()
    for role in roles:
        d.add_paragraph(f"{role['department']}岗位职责　编号：{role.get('number', '')}")
        d.add_paragraph("第一部分：职位基本信息")
        d.add_paragraph(
            f"职位名称：{role['title']}　部门：{role['department']}　直接上级职位名称：{role.get('superior', '')}　"
            f"直接下级职位名称：{role.get('subordinates', '')}　制定时间：{role.get('date', '')}　审核："
        )
        d.add_paragraph("第二部分：职责综述")
        for i, item in enumerate(role["summary"], start=1):
            if numbering:
                numbered(d.add_paragraph(item))
            else:
                d.add_paragraph(f"{i}、{item}")
        d.add_paragraph("第三部分：主要工作联系")
        for side, (pct, parties) in zip(("对内", "对外"), role["relationships"], strict=True):
            d.add_paragraph(f"{pct}%时间{side}：{parties}")
        d.add_paragraph("第四部分：任职资格要求")
        for label, value in zip(("教育程度及专业", "工作经验", "能力要求", "其它要求"), role["qualifications"], strict=True):
            d.add_paragraph(f"{label}：{value}")
        d.add_paragraph("第五部分：岗位职责")
        t = d.add_table(rows=1 + len(role["duties"]), cols=3)
        for cell, text in zip(t.rows[0].cells, ("序号", "主要职责", "主要考核指标"), strict=True):
            cell.text = text
        for r, (duty, kpi) in enumerate(role["duties"], start=1):
            for cell, text in zip(t.rows[r].cells, (str(r), duty, kpi), strict=True):
                cell.text = text
    d.save(str(path))
    return path


def english_jd(path: Path) -> Path:
    """An English job description: headings in Word's heading styles, Word's own bullets and numbering,
    "duty — KPI" lines, requirements as labelled bullets, an unknown field."""
    d = docx.Document()
    d.add_heading("Job Description: Front Desk Officer", 1)
    for line in (
        "Job Title: Front Desk Officer",
        "Department: Customer Service",
        "Reports to: Customer Service Supervisor",
        "Job code: CS-010",
        "Location: Head office",
    ):
        d.add_paragraph(line)
    d.add_heading("Job Purpose", 2)
    d.add_paragraph("Welcome owners and visitors and handle front-desk services.")
    d.add_heading("Key Responsibilities", 2)
    for line in ("Receive visitors and answer enquiries — response time", "Keep owner records up to date — accuracy of records", "Handle complaints"):
        numbered(d.add_paragraph(line, style="List Number"))
    d.add_heading("Requirements", 2)
    for line in ("Education: high-school diploma or above", "Experience: one year in customer service", "Skills: clear spoken English and Chinese"):
        d.add_paragraph(line, style="List Bullet")
    d.add_heading("Working Relationships", 2)
    d.add_paragraph("Internal (20%): all departments")
    d.add_paragraph("External (80%): owners, visitors")
    d.save(str(path))
    return path


def heading_tables(path: Path) -> Path:
    """A heading (Word's heading style) per part with a table under each, as many HR templates have: fields
    labelled 岗位名称 / 所属部门 / 直接主管 / 岗位定员, a summary cell beside its label, relationships in a
    table with a heading row, a duties table whose 职责类别 column is merged down over its duties."""
    d = docx.Document()
    d.add_heading("客服专员岗位说明书", 1)
    d.add_heading("一、基本信息", 2)
    t = d.add_table(rows=3, cols=4)
    for r, row in enumerate(
        (("岗位名称", "客服专员", "岗位编号", "KF-003"), ("所属部门", "客服中心", "直接主管", "客服主管"), ("岗位定员", "3人", "职级", "P2"))
    ):
        for cell, text in zip(t.rows[r].cells, row, strict=True):
            cell.text = text
    d.add_heading("二、岗位概述", 2)
    t = d.add_table(rows=1, cols=2)
    t.rows[0].cells[0].text = "岗位概述"
    cell = t.rows[0].cells[1]
    cell.text = "（一）接听客户来电，解答咨询。"
    cell.add_paragraph("（二）回访客户，记录意见。")
    d.add_heading("三、工作关系", 2)
    t = d.add_table(rows=3, cols=3)
    for r, row in enumerate((("关系", "时间占比", "联系对象"), ("内部", "40%", "销售部、技术部"), ("外部", "60%", "客户"))):
        for cell, text in zip(t.rows[r].cells, row, strict=True):
            cell.text = text
    d.add_heading("四、岗位职责", 2)
    t = d.add_table(rows=4, cols=3)
    for cell, text in zip(t.rows[0].cells, ("职责类别", "工作内容", "考核标准"), strict=True):
        cell.text = text
    rows = (("日常服务", "① 接听客户电话", "接通率"), ("", "② 处理客户投诉", "投诉处理及时率"), ("客户资料", "③ 维护客户档案", "档案完整率"))
    for r, row in enumerate(rows, start=1):
        for cell, text in zip(t.rows[r].cells[1:], row[1:], strict=True):
            cell.text = text
    top = t.rows[1].cells[0].merge(t.rows[2].cells[0])
    top.text = "日常服务"
    t.rows[3].cells[0].text = "客户资料"
    d.add_heading("五、任职资格", 2)
    t = d.add_table(rows=4, cols=2)
    for r, row in enumerate((("学历", "大专及以上"), ("专业", "市场营销、中文"), ("工作经验", "一年以上客服工作经验"), ("年龄", "22-35岁"))):
        for cell, text in zip(t.rows[r].cells, row, strict=True):
            cell.text = text
    d.save(str(path))
    return path


def bold_label(d: Any, label: str, value: str) -> Any:
    """A paragraph "**label** value", as people type a form in Word: the label in a bold run, the value after it."""
    p = d.add_paragraph()
    p.add_run(label).bold = True
    p.add_run(value)
    return p


def fill(row: Any, texts: tuple[str, ...] | list[str]) -> None:
    for cell, text in zip(row.cells, texts, strict=True):
        cell.text = text


def cell_lines(cell: Any, lines: list[str]) -> None:
    """A cell holding several lines in one paragraph, apart by line breaks (Shift+Enter, ``add_break()``)."""
    cell.text = ""
    run = cell.paragraphs[0].add_run(lines[0])
    for line in lines[1:]:
        run.add_break()
        run = cell.paragraphs[0].add_run(line)


def us_style(path: Path) -> Path:
    """An American job description as HR writes it in Word: bold label runs (one without a colon), headings in
    bold or in Word's heading style, Word's bullets with a second level, the US part titles (Essential Duties
    and Responsibilities, Supervisory Responsibilities, Minimum / Preferred Qualifications, Knowledge, Skills
    and Abilities, Working Conditions, Physical Demands), FLSA status, Grade/Band and Location."""
    d = docx.Document()
    d.add_paragraph().add_run("JOB DESCRIPTION").bold = True
    for label, value in (
        ("Job Title:", " Accounts Payable Clerk"),
        ("Department:", " Finance"),
        ("Reports To:", " Finance Manager"),
        ("FLSA Status:", " Non-exempt"),
        ("Grade/Band:", " 5"),
        ("Location:", " Head office, Leeds"),
        ("Number of positions", " 2"),
        ("Date:", " June 1, 2024"),
        ("Approved by:", " Finance Director"),
    ):
        bold_label(d, label, value)
    d.add_paragraph().add_run("Job Purpose").bold = True
    d.add_paragraph("Processes supplier invoices and payments accurately and on time.")
    d.add_heading("Essential Duties and Responsibilities", 2)
    numbered(d.add_paragraph("Supplier invoices"), num_id=2)
    numbered(d.add_paragraph("Match invoices to purchase orders and goods received."), num_id=2, level=1)
    numbered(d.add_paragraph("Enter approved invoices in the ledger within 2 days."), num_id=2, level=1)
    numbered(d.add_paragraph("Prepare the weekly payment run — payments on time"), num_id=2)
    numbered(d.add_paragraph("Answer supplier queries by phone and email."), num_id=2)
    d.add_heading("Supervisory Responsibilities", 2)
    d.add_paragraph("None.")
    d.add_heading("Minimum Qualifications", 2)
    for line in ("Associate degree in accounting or business", "2 years of accounts payable experience"):
        numbered(d.add_paragraph(line), num_id=3)
    d.add_heading("Knowledge, Skills and Abilities", 2)
    for line in ("Working knowledge of Excel and SAP", "Accurate with numbers; 3 years of data entry is a plus"):
        numbered(d.add_paragraph(line), num_id=4)
    d.add_heading("Preferred Qualifications", 2)
    d.add_paragraph("Working towards an AAT qualification.")
    d.add_heading("Working Conditions", 2)
    d.add_paragraph("Office environment; occasional overtime at month end.")
    d.add_heading("Physical Demands", 2)
    d.add_paragraph("Able to lift boxes of files up to 10 kg.")
    d.save(str(path))
    return path


def uk_tables(path: Path) -> Path:
    """A British job description laid out in tables: a header block of label | value | label | value (one value
    left empty, one label in bold with a tab), "Part II: Job Summary", "Section 3. Working Relationships" with
    Internal / External columns whose cells list the contacts on lines apart by line breaks, "2. KEY
    RESPONSIBILITIES" as a Key Result Area | KPI | Weight % table, a Person Specification table."""
    d = docx.Document()
    d.add_heading("Role Profile: Payroll Officer", 1)
    t = d.add_table(rows=4, cols=4)
    fill(t.rows[0], ("Job Title", "Payroll Officer", "Grade", "B4"))
    fill(t.rows[1], ("Department", "People Services", "Location", "Manchester"))
    fill(t.rows[2], ("Reports to", "Head of Payroll", "Job Code", "PS-014"))
    fill(t.rows[3], ("Date", "01/09/2023", "Version", ""))
    d.add_paragraph("Part II: Job Summary")
    d.add_paragraph("Runs the monthly payroll for 800 staff and answers their pay questions.")
    d.add_paragraph("Section 3. Working Relationships")
    t = d.add_table(rows=2, cols=2)
    fill(t.rows[0], ("Internal Contacts", "External Contacts"))
    cell_lines(t.rows[1].cells[0], ["All staff", "Finance (journals, accruals)"])
    cell_lines(t.rows[1].cells[1], ["HMRC", "Pension providers"])
    d.add_paragraph("2. KEY RESPONSIBILITIES")
    t = d.add_table(rows=4, cols=3)
    fill(t.rows[0], ("Key Result Area", "KPI", "Weight %"))
    fill(t.rows[1], ("Run the monthly payroll", "Paid on the agreed day", "50%"))
    fill(t.rows[2], ("Keep pay records", "Audit findings closed", "30%"))
    fill(t.rows[3], ("Answer pay questions", "Answered within 2 days", "20%"))
    d.add_paragraph("Person Specification")
    t = d.add_table(rows=3, cols=2)
    fill(t.rows[0], ("Education", "CIPP Foundation Degree or equivalent"))
    fill(t.rows[1], ("Experience", "3 years in a payroll team"))
    fill(t.rows[2], ("Skills", "Excel; a payroll system (iTrent or similar)"))
    p = d.add_paragraph()
    p.add_run("FLSA status").bold = True
    p.add_run("\tnot applicable in the UK")
    d.save(str(path))
    return path


def zh_real(path: Path) -> Path:
    """A 职位说明书 as Chinese companies have them (WPS templates): a 4-column header block (label | value |
    label | value) with 薪酬等级, 定员 and 审批, 生效日期 "2006.6.1", 岗位目的, 工作内容及要求 in a table with
    考核标准 and 权重 and a 职责类别 column merged down, 任职条件, 工作关系 with 内部协调 / 外部协调 columns and
    line breaks inside the cells, 岗位权限, 工作环境 and 职业发展 (kept, with a note)."""
    d = docx.Document()
    d.add_paragraph().add_run("会计职位说明书").bold = True
    t = d.add_table(rows=4, cols=4)
    fill(t.rows[0], ("职位名称", "会计", "所属部门", "财务部"))
    fill(t.rows[1], ("直接上级", "财务经理", "定员", "2人"))
    fill(t.rows[2], ("薪酬等级", "六级", "职位编号", "CW-003"))
    fill(t.rows[3], ("审批", "张总", "生效日期", "2006.6.1"))
    d.add_paragraph("一、岗位目的")
    d.add_paragraph("负责公司日常会计核算，保证账务准确、及时。")
    d.add_paragraph("二、工作内容及要求")
    t = d.add_table(rows=4, cols=5)
    fill(t.rows[0], ("序号", "职责类别", "工作内容", "考核标准", "权重"))
    fill(t.rows[1], ("1", "核算", "审核原始凭证，编制记账凭证", "凭证差错率低于 1%", "40%"))
    fill(t.rows[2], ("2", "", "月末结账，编制会计报表", "报表按时提交", "40%"))
    fill(t.rows[3], ("3", "税务", "按时申报纳税", "零滞纳金", "20%"))
    top = t.rows[1].cells[1].merge(t.rows[2].cells[1])
    top.text = "核算"
    d.add_paragraph("三、任职条件")
    t = d.add_table(rows=3, cols=2)
    fill(t.rows[0], ("学历", "大专及以上，会计专业"))
    fill(t.rows[1], ("经验", "3 年以上会计工作经验"))
    fill(t.rows[2], ("其他", "持有会计从业资格证"))
    d.add_paragraph("四、工作关系")
    t = d.add_table(rows=2, cols=2)
    fill(t.rows[0], ("内部协调", "外部协调"))
    cell_lines(t.rows[1].cells[0], ["各业务部门", "人力资源部（工资、社保）"])
    cell_lines(t.rows[1].cells[1], ["税务局", "开户银行"])
    d.add_paragraph("五、岗位权限")
    d.add_paragraph("1、对不合规的原始凭证有权拒绝受理；")
    d.add_paragraph("2、有权查阅各部门的费用台账。")
    d.add_paragraph("六、工作环境")
    d.add_paragraph("办公室，工作条件良好。")
    d.add_paragraph("七、职业发展")
    d.add_paragraph("晋升通道：会计→主管会计→财务经理")
    d.save(str(path))
    return path
