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
