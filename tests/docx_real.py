"""Word documents laid out as real HR departments keep them, for the import tests: fields in the page header and
footer, a title in a text box, a Word form of content controls, and a folder of job descriptions each in
another layout. Made with python-docx; the XML python-docx has no call for is written as Word writes it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import docx
from docx.enum.section import WD_SECTION
from docx.oxml import parse_xml

from tests.docx_support import numbered, wps_form

NS = (
    'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
    'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
    'xmlns:v="urn:schemas-microsoft-com:vml"'
)


def _paras(lines: list[str]) -> str:
    return "".join(f'<w:p><w:r><w:t xml:space="preserve">{t}</w:t></w:r></w:p>' for t in lines)


def text_box(paragraph: Any, lines: list[str], *, vml_only: bool = False) -> None:
    """A floating text box anchored in ``paragraph``: DrawingML with its VML copy as fallback, as Word 2010+ saves
    it (``vml_only``: the VML box alone, as Word 2003 documents and some WPS files have)."""
    body = _paras(lines)
    vml = f'<w:pict><v:shape style="width:200pt;height:40pt"><v:textbox><w:txbxContent>{body}</w:txbxContent></v:textbox></v:shape></w:pict>'
    if vml_only:
        xml = f"<w:r {NS}>{vml}</w:r>"
    else:
        drawing = (
            '<w:drawing><wp:anchor distT="0" distB="0" distL="0" distR="0" simplePos="0" relativeHeight="1" behindDoc="0" '
            'locked="0" layoutInCell="1" allowOverlap="1"><wp:simplePos x="0" y="0"/><wp:positionH relativeFrom="column">'
            '<wp:posOffset>0</wp:posOffset></wp:positionH><wp:positionV relativeFrom="paragraph"><wp:posOffset>0</wp:posOffset>'
            '</wp:positionV><wp:extent cx="2540000" cy="508000"/><wp:wrapNone/><wp:docPr id="1" name="Text Box 1"/>'
            '<a:graphic><a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"><wps:wsp>'
            f"<wps:txbx><w:txbxContent>{body}</w:txbxContent></wps:txbx><wps:bodyPr/></wps:wsp></a:graphicData></a:graphic>"
            "</wp:anchor></w:drawing>"
        )
        xml = f'<w:r {NS}><mc:AlternateContent><mc:Choice Requires="wps">{drawing}</mc:Choice><mc:Fallback>{vml}</mc:Fallback></mc:AlternateContent></w:r>'
    paragraph._p.append(parse_xml(xml))


def control(text: str, *, placeholder: bool = False) -> str:
    """The XML of a plain-text content control (inline, in a paragraph) holding ``text``."""
    shown = "<w:showingPlcHdr/>" if placeholder else ""
    return f'<w:sdt {NS}><w:sdtPr><w:alias w:val="field"/>{shown}<w:text/></w:sdtPr><w:sdtContent><w:r><w:t xml:space="preserve">{text}</w:t></w:r></w:sdtContent></w:sdt>'


def wrap_in_control(element: Any) -> None:
    """Put ``element`` (a table row, a cell, a paragraph) inside a content control, as Word's form templates do."""
    sdt = parse_xml(f'<w:sdt {NS}><w:sdtPr><w:tag w:val="row"/></w:sdtPr><w:sdtContent/></w:sdt>')
    element.addprevious(sdt)
    sdt[1].append(element)


def header_fields(path: Path) -> Path:
    """编号, 版本 and 生效日期 in the page header (a table), the first page's own header, 审核 in the footer; two
    sections, a job description in each, the second section carrying on the first one's footer."""
    d = docx.Document()
    for n, (title, number, version) in enumerate((("行政专员", "HR-JD-011", "A/0"), ("前台接待", "HR-JD-012", "A/1"))):
        section = d.sections[0] if n == 0 else d.add_section(WD_SECTION.NEW_PAGE)
        section.header.is_linked_to_previous = False
        head = section.header
        head.paragraphs[0].text = "某某科技有限公司"
        t = head.add_table(rows=1, cols=4, width=docx.shared.Cm(16))
        for cell, text in zip(t.rows[0].cells, ("文件编号", number, "版本", version), strict=True):
            cell.text = text
        if n == 0:
            section.different_first_page_header_footer = True
            section.first_page_header.paragraphs[0].text = "生效日期：2024年3月1日"
            section.footer.paragraphs[0].text = "审核：人力资源部　　第 1 页"
        d.add_paragraph(f"{title}岗位说明书")
        d.add_paragraph(f"职位名称：{title}")
        d.add_paragraph("所属部门：行政部")
        d.add_paragraph("岗位职责：")
        for duty in ("负责来访接待", "负责办公用品管理"):
            numbered(d.add_paragraph(duty))
        d.add_paragraph("任职资格：")
        d.add_paragraph("学历：大专以上")
        d.add_paragraph("工作经验：一年以上")
    d.save(path)
    return path


def textbox_and_controls(path: Path) -> Path:
    """A title in a text box, the form's rows and one cell in content controls, a value left at its placeholder."""
    d = docx.Document()
    text_box(d.add_paragraph(), ["仓库管理员岗位说明书"])
    t = d.add_table(rows=4, cols=2)
    rows = (("岗位名称", "仓库管理员"), ("所属部门", "物流部"), ("直接上级", "物流经理"), ("编号", ""))
    for row, (a, b) in zip(t.rows, rows, strict=True):
        row.cells[0].text = a
        row.cells[1].text = b
    t.rows[3].cells[1].paragraphs[0]._p.append(parse_xml(control("单击或点击此处输入文字。", placeholder=True)))
    wrap_in_control(t.rows[1]._tr)
    wrap_in_control(t.rows[2].cells[1]._tc)
    d.add_paragraph("岗位职责")
    for duty in ("货物出入库登记", "每月盘点库存"):
        numbered(d.add_paragraph(duty))
    box = d.add_paragraph()
    text_box(box, ["任职资格", "学历：中专以上", "工作经验：两年以上仓库工作经验"], vml_only=True)
    d.save(path)
    return path


def folder_of_layouts(folder: Path) -> Path:
    """Job descriptions of three departments, each document laid out as another HR department would, for the
    folder import: a WPS big table with merged cells, label-value paragraphs with Word numbering and
    "duty — KPI", a heading per part with a duty | KPI table nested in a table (in a subfolder), two job
    descriptions with their 编号 and 版本 in the page header, a title in a text box with a Word form of
    content controls."""
    folder.mkdir(parents=True, exist_ok=True)
    wps_form(
        folder / "客服经理.docx",
        {
            "title": "客服经理",
            "number": "KF-001",
            "department": "客服部",
            "superior": "",
            "subordinates": "客服主管",
            "date": "2024-01-01",
            "summary": ["负责客服部的全面管理"],
            "relationships": [(30, "公司各部门"), (70, "业主、供应商")],
            "qualifications": ["本科以上", "五年以上", "管理能力", "无"],
            "duties": [("制定部门计划", "计划完成率"), ("管理客服团队", "员工满意度")],
        },
    )
    d = docx.Document()
    for text in ("职位名称：客服主管", "岗位编号：KF-002", "所属部门：客服部", "直接上级：客服经理", "直接下级：客服专员", "岗位职责："):
        d.add_paragraph(text)
    for duty in ("安排客服排班 — 排班及时率", "处理投诉升级 — 投诉解决率"):
        numbered(d.add_paragraph(duty))
    for text in ("任职资格：", "学历：大专以上", "工作经验：三年以上", "能力要求：沟通协调"):
        d.add_paragraph(text)
    d.save(folder / "客服主管.docx")
    d = docx.Document()
    d.add_heading("客服专员岗位说明书", 1)
    d.add_heading("一、基本信息", 2)
    t = d.add_table(rows=3, cols=4)
    for row, texts in zip(t.rows, (("岗位名称", "客服专员", "编号", "KF-003"), ("部门", "客服部", "定员", "6"), ("直接上级", "客服主管", "", "")), strict=True):
        for cell, text in zip(row.cells, texts, strict=True):
            cell.text = text
    d.add_heading("二、岗位职责", 2)
    outer = d.add_table(rows=1, cols=1)
    inner = outer.rows[0].cells[0].add_table(rows=3, cols=3)
    for row, texts in zip(inner.rows, (("序号", "工作内容", "考核标准"), ("1", "接听业主来电", "接通率"), ("2", "登记报修", "登记准确率")), strict=True):
        for cell, text in zip(row.cells, texts, strict=True):
            cell.text = text
    d.add_heading("三、任职资格", 2)
    t = d.add_table(rows=2, cols=2)
    for row, texts in zip(t.rows, (("学历", "高中以上"), ("工作经验", "不限")), strict=True):
        for cell, text in zip(row.cells, texts, strict=True):
            cell.text = text
    (folder / "客服组").mkdir(exist_ok=True)
    d.save(folder / "客服组" / "客服专员.docx")
    header_fields(folder / "行政部.docx")
    textbox_and_controls(folder / "仓库管理员.docx")
    return folder
