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
