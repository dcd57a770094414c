"""Word export: the standard job-description form as an editable .docx, per role, per department, or the handbook.

Each role is a section of its own (a new page), so the Word header and footer carry that role's
document control: organisation, 编号, 制定时间, revision, status ("草稿 / DRAFT" on drafts), page
X of Y. A draft's pages also carry a watermark ("草稿" / "DRAFT" across the page, as Word's own
Design → Watermark makes it: a VML text shape in the header, which Word, WPS and LibreOffice show). The five parts follow the print layout: basic information (a label/value table), 职责综述,
主要工作联系, 任职资格要求, 岗位职责 with KPIs, and signature lines when ``signatures: true``.
Department sections come before their roles: id, parent, order, description, duties, common
requirements, workflows. Labels are the handbook's language (labels.py); Chinese text is set in
a font Word and WPS have (宋体 for body text, 黑体 for headings, through ``w:eastAsia``), on A4 or
Letter paper (``paper`` in rolebook.yml).

``import`` reads these documents back (load/docx_parse.py): the 岗位标识 and 部门标识 rows keep the
ids, the document's keywords say rolebook made it. The file is deterministic: fixed dates in the
document properties (the export's reproducible time) and in the zip entries.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable
from datetime import datetime
from typing import Any
from xml.sax.saxutils import escape

import docx
from docx.enum.section import WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import qn
from docx.shared import Cm, Inches, Pt, RGBColor

from rolebook.i18n import Lang
from rolebook.labels import label
from rolebook.load.docx_records import NO_GROUP  # marks the items after a group that belong to none
from rolebook.model import Department, Handbook, Role

FONTS = {"zh": ("Times New Roman", "宋体", "黑体"), "en": ("Calibri", "宋体", "黑体")}  # Latin, East Asian body, East Asian headings
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
_XML_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
ROLEBOOK_MARK = "rolebook"
PAPER = {"a4": (Cm(21), Cm(29.7)), "letter": (Inches(8.5), Inches(11))}
_VML = (
    'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:v="urn:schemas-microsoft-com:vml" '
    'xmlns:o="urn:schemas-microsoft-com:office:office" xmlns:w10="urn:schemas-microsoft-com:office:word"'
)
# Word's own text-watermark shape type (WordArt "plain text"), as Design → Watermark writes it
_TEXT_SHAPE = (
    '<v:shapetype id="_x0000_t136" coordsize="21600,21600" o:spt="136" adj="10800" path="m@7,l@8,m@5,21600l@6,21600e">'
    '<v:formulas><v:f eqn="sum #0 0 10800"/><v:f eqn="prod #0 2 1"/><v:f eqn="sum 21600 0 @1"/><v:f eqn="sum 0 0 @2"/>'
    '<v:f eqn="sum 21600 0 @3"/><v:f eqn="if @0 @3 0"/><v:f eqn="if @0 21600 @1"/><v:f eqn="if @0 0 @2"/>'
    '<v:f eqn="if @0 @4 21600"/><v:f eqn="mid @5 @6"/><v:f eqn="mid @8 @5"/><v:f eqn="mid @7 @8"/><v:f eqn="mid @6 @7"/>'
    '<v:f eqn="sum @6 0 @5"/></v:formulas><v:path textpathok="t" o:connecttype="custom" '
    'o:connectlocs="@9,0;@10,10800;@11,21600;@12,10800" o:connectangles="270,180,90,0"/>'
    '<v:textpath on="t" fitshape="t"/><v:handles><v:h position="#0,bottomRight" xrange="6629,14971"/></v:handles>'
    '<o:lock v:ext="edit" text="t" shapetype="t"/></v:shapetype>'
)


def _clean(text: str) -> str:
    """Text as Word can hold it: characters XML forbids (controls) shown as U+FFFD."""
    return _XML_BAD.sub("\ufffd", text)


class _Writer:
    def __init__(self, hb: Handbook, lang: Lang) -> None:
        self.hb = hb
        self.lang = lang
        self.doc: Any = docx.Document()
        self.first_section = True
        self.watermarks = 0
        self._setup()

    def L(self, key: str, **args: object) -> str:
        return label(self.lang, key, **args)

    # -- document set-up -------------------------------------------------

    def _setup(self) -> None:
        latin, east, east_heading = FONTS[self.lang]
        styles = self.doc.styles
        for name in ("Normal", "Title", "Heading 1", "Heading 2", "Heading 3", "Header", "Footer", "Table Grid"):
            try:
                style = styles[name]
            except KeyError:
                continue
            font = style.font
            font.name = latin
            rpr = style.element.get_or_add_rPr()
            fonts = rpr.find(qn("w:rFonts"))
            if fonts is None:
                fonts = OxmlElement("w:rFonts")
                rpr.insert(0, fonts)
            for attr in ("w:ascii", "w:hAnsi", "w:cs"):
                fonts.set(qn(attr), latin)
            fonts.set(qn("w:eastAsia"), east_heading if name.startswith(("Heading", "Title")) else east)
            for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
                fonts.attrib.pop(qn(attr), None)
            if name.startswith(("Heading", "Title")):
                font.color.rgb = RGBColor(0, 0, 0)
        styles["Normal"].font.size = Pt(10.5)
        lang_el = OxmlElement("w:lang")
        lang_el.set(qn("w:val"), "zh-CN" if self.lang == "zh" else "en-GB")
        lang_el.set(qn("w:eastAsia"), "zh-CN")
        styles["Normal"].element.get_or_add_rPr().append(lang_el)
        self._page(self.doc.sections[0])

    def _page(self, section: Any) -> None:
        section.page_width, section.page_height = PAPER.get(self.hb.settings.paper, PAPER["a4"])
        numbers = section._sectPr.find(qn("w:pgNumType"))
        if numbers is None:
            numbers = OxmlElement("w:pgNumType")
            section._sectPr.append(numbers)
        numbers.set(qn("w:start"), "1")  # each job description's pages count from 1, as "page X of Y" (SECTIONPAGES) does
        section.left_margin = section.right_margin = Cm(2.2)
        section.top_margin = section.bottom_margin = Cm(2.2)

    def new_section(self) -> Any:
        if self.first_section:
            self.first_section = False
            return self.doc.sections[0]
        section = self.doc.add_section(WD_SECTION.NEW_PAGE)
        self._page(section)
        section.header.is_linked_to_previous = False
        section.footer.is_linked_to_previous = False
        return section

    def header_footer(self, section: Any, left: str, right: str, draft: bool) -> None:
        org = self.hb.settings.organisation
        head = section.header.paragraphs[0]
        head.text = ""
        head.add_run(_clean(f"{org}　{left}" if self.lang == "zh" else f"{org} · {left}"))
        if draft:
            run = head.add_run("　" + self.L("watermark_draft"))
            run.bold = True
            run.font.color.rgb = RGBColor(0xC0, 0, 0)
            self._watermark(head)
        foot = section.footer.paragraphs[0]
        foot.text = ""
        if right:
            foot.add_run(_clean(right) + "　")
        self._page_x_of_y(foot)

    def _watermark(self, paragraph: Any) -> None:
        """The draft watermark: the word across the middle of every page of the section, pale, behind the text."""
        self.watermarks += 1
        latin, east, _ = FONTS[self.lang]
        word = escape(self.L("watermark_draft"), {'"': "&quot;"})
        font = escape(east if self.lang == "zh" else latin, {'"': "&quot;"})
        shape = (
            f'<v:shape id="PowerPlusWaterMarkObject{self.watermarks}" o:spid="_x0000_s{2048 + self.watermarks}" type="#_x0000_t136" '
            'style="position:absolute;margin-left:0;margin-top:0;width:420pt;height:140pt;rotation:315;z-index:-251657216;'
            "mso-position-horizontal:center;mso-position-horizontal-relative:margin;mso-position-vertical:center;"
            'mso-position-vertical-relative:margin" o:allowincell="f" fillcolor="silver" stroked="f">'
            f'<v:fill opacity=".5"/><v:textpath style="font-family:&quot;{font}&quot;;font-size:1pt" string="{word}"/>'
            '<w10:wrap anchorx="margin" anchory="margin"/></v:shape>'
        )
        run = f"<w:r {_VML}><w:rPr><w:noProof/></w:rPr><w:pict>{_TEXT_SHAPE}{shape}</w:pict></w:r>"
        paragraph._p.append(parse_xml(run))

    def _page_x_of_y(self, paragraph: Any) -> None:
        text = self.L("page_x_of_y", x="\x00X", y="\x00Y")
        for part in re.split("(\x00X|\x00Y)", text):
            if part == "\x00X":
                self._field(paragraph, "PAGE")
            elif part == "\x00Y":
                self._field(paragraph, "SECTIONPAGES")
            elif part:
                paragraph.add_run(part)

    def _field(self, paragraph: Any, code: str) -> None:
        fld = OxmlElement("w:fldSimple")
        fld.set(qn("w:instr"), f" {code} ")
        run = OxmlElement("w:r")
        t = OxmlElement("w:t")
        t.text = "1"
        run.append(t)
        fld.append(run)
        paragraph._p.append(fld)

    # -- building blocks -------------------------------------------------

    def heading(self, text: str, level: int) -> None:
        self.doc.add_heading(_clean(text), level=level)

    def para(self, text: str, bold: bool = False) -> None:
        p = self.doc.add_paragraph()
        run = p.add_run(_clean(text))
        run.bold = bold

    def numbered(self, items: Iterable[str]) -> None:
        for n, item in enumerate(items, start=1):
            self.para(f"{n}、{item}" if self.lang == "zh" else f"{n}. {item}")

    def table(self, rows: list[list[str | list[str]]], widths: list[float], bold_cols: tuple[int, ...] = (0,)) -> Any:
        t = self.doc.add_table(rows=len(rows), cols=len(widths))
        t.style = self.doc.styles["Table Grid"]
        t.alignment = WD_TABLE_ALIGNMENT.CENTER
        t.autofit = False
        for c, width in enumerate(widths):
            t.columns[c].width = Cm(width)
        for r, row in enumerate(rows):
            cells = t.rows[r].cells
            for c, value in enumerate(row):
                cell = cells[c]
                cell.width = Cm(widths[c])
                lines = value if isinstance(value, list) else [value]
                cell.paragraphs[0].text = ""
                for i, line in enumerate(lines):
                    p = cell.paragraphs[0] if i == 0 else cell.add_paragraph()
                    run = p.add_run(_clean(line))
                    run.bold = c in bold_cols
        return t

    def merged_row(self, table: Any, text: str) -> None:
        row = table.add_row()
        cell = row.cells[0].merge(row.cells[-1])
        cell.paragraphs[0].text = ""
        run = cell.paragraphs[0].add_run(_clean(text))
        run.bold = True

    # -- a role ------------------------------------------------------------

    def title_of(self, role_id: str | None) -> str:
        if role_id is None:
            return self.L("none")
        role = self.hb.role(role_id)
        twins = [r for r in self.hb.roles if r.title == role.title]
        return f"{role.title}（{role.id}）" if len(twins) > 1 else role.title

    def dept_name(self, dept_id: str) -> str:
        """A department as a cell names it: its name, with its id when another department has the same name."""
        name = self.hb.department(dept_id).name
        twins = [d for d in self.hb.departments if d.name == name]
        return f"{name}（{dept_id}）" if len(twins) > 1 else name

    def role(self, role: Role) -> None:
        section = self.new_section()
        draft = role.status == "draft"
        control = [
            f"{self.L('number')}{self.L('label_sep')}{role.number}",
            f"{self.L('effective_date')}{self.L('label_sep')}{role.effective_date or self.L('none')}",
        ]
        if role.revision:
            control.append(f"{self.L('revision')}{self.L('label_sep')}{role.revision}")
        self.header_footer(section, self.L("job_description"), "　".join(control), draft)
        if self.lang == "zh":
            self.heading(f"{role.title}{self.L('job_description')}", 1)
        else:
            self.heading(f"{self.L('job_description')}: {role.title}", 1)
        self.basic(role)
        self.summary(role)
        self.relationships(role)
        self.qualifications(role)
        self.duties(role)
        if self.hb.settings.signatures:
            self.heading(self.L("signature_line"), 2)
            self.table([[self.L("signature_approver"), ""], [self.L("signature_holder"), ""]], [8.0, 8.6])

    def part(self, n: int, key: str) -> None:
        sep = "　" if self.lang == "zh" else " — "
        self.heading(f"{self.L(f'part_{n}')}{sep}{self.L(key)}", 2)

    def basic(self, role: Role) -> None:
        self.part(1, "part_basic")
        dept = self.hb.department(role.department)
        subs = [self.title_of(s) for s in role.subordinates]
        status = self.L("status_draft" if role.status == "draft" else "status_approved")
        rows: list[list[str | list[str]]] = [
            [self.L("title"), role.title, self.L("number"), role.number],
            [self.L("department"), self.dept_name(dept.id), self.L("col_role_id"), role.id],
            [self.L("reports_to_short"), self.title_of(role.reports_to), self.L("subordinates_short"), subs or self.L("none")],
            [self.L("effective_date"), role.effective_date or "", self.L("approver"), role.approver or ""],
            [self.L("headcount"), str(role.headcount), self.L("status"), status],
            [self.L("approval_date"), role.approval_date or "", self.L("revision") if role.revision else "", role.revision or ""],
        ]
        self.table(rows, [3.0, 5.3, 3.0, 5.3], bold_cols=(0, 2))

    def summary(self, role: Role) -> None:
        if not role.summary:
            return
        self.part(2, "part_summary")
        for n, group in enumerate(role.summary):
            if group.name is not None:
                self.para(group.name + ("：" if self.lang == "zh" else ":"), bold=True)
            elif n:
                self.para(NO_GROUP, bold=True)  # items after a group that belong to none
            self.numbered(group.items)

    def relationships(self, role: Role) -> None:
        if role.internal is None or role.external is None:
            return
        self.part(3, "part_relationships")
        rows: list[list[str | list[str]]] = []
        for key, rel in (("internal", role.internal), ("external", role.external)):
            rows.append([self.L(key), f"{rel.percent}%", list(rel.parties) or [""]])
        self.table(rows, [4.5, 2.5, 9.6])

    def qualifications(self, role: Role) -> None:
        q = role.qualifications
        if q is None:
            return
        self.part(4, "part_qualifications")
        rows: list[list[str | list[str]]] = [[self.L(k), getattr(q, k)] for k in ("education", "experience", "abilities", "other")]
        self.table(rows, [4.0, 12.6])

    def duties(self, role: Role) -> None:
        self.part(5, "part_duties")
        t = self.table([[self.L("seq"), self.L("duty"), self.L("kpis")]], [1.5, 9.6, 5.5], bold_cols=(0, 1, 2))
        for cell in t.rows[0].cells:
            for run in cell.paragraphs[0].runs:
                run.bold = True
        n = 0
        for i, group in enumerate(role.duties):
            if group.name is not None or i:
                self.merged_row(t, group.name if group.name is not None else NO_GROUP)
            for duty in group.duties:
                n += 1
                cells = t.add_row().cells
                cells[0].paragraphs[0].add_run(str(n))
                cells[1].paragraphs[0].add_run(_clean(duty.text))
                for i, kpi in enumerate(duty.kpis):
                    p = cells[2].paragraphs[0] if i == 0 else cells[2].add_paragraph()
                    p.add_run(_clean(kpi))

    # -- a department ------------------------------------------------------

    def department(self, dept: Department) -> None:
        section = self.new_section()
        self.header_footer(section, dept.name, "", False)
        self.heading(dept.name, 1)
        parent = self.dept_name(dept.parent) if dept.parent else self.L("none")
        rows: list[list[str | list[str]]] = [
            [self.L("col_dept_id"), dept.id, self.L("col_dept_name"), dept.name],
            [self.L("parent_department"), parent, self.L("col_order"), "" if dept.order is None else str(dept.order)],
        ]
        t = self.table(rows, [3.0, 5.3, 3.0, 5.3], bold_cols=(0, 2))
        if dept.description:
            cells = t.add_row().cells
            cells[0].paragraphs[0].add_run(self.L("col_description")).bold = True
            value = cells[1].merge(cells[3])
            value.paragraphs[0].add_run(_clean(dept.description))
        for key, items in (("department_duties", dept.duties), ("common_requirements", dept.requirements)):
            if items:
                self.heading(self.L(key), 2)
                self.numbered(items)
        if dept.workflows:
            self.heading(self.L("workflows"), 2)
            for flow in dept.workflows:
                self.para(flow.name, bold=True)
                self.numbered(flow.steps)
        staffing = self.hb.staffing(dept.id)
        if staffing:
            self.heading(self.L("staffing"), 2)
            self.table([[r.title, str(n)] for r, n in staffing], [12.0, 4.6], bold_cols=())

    # -- the file ----------------------------------------------------------

    def save(self, title: str, when: datetime) -> bytes:
        props = self.doc.core_properties
        props.title = _clean(title)
        props.subject = _clean(self.hb.settings.organisation)
        props.keywords = ROLEBOOK_MARK
        props.author = props.last_modified_by = _clean(self.hb.settings.organisation)
        props.created = props.modified = props.last_printed = when
        props.revision = 1
        props.language = "zh-CN" if self.lang == "zh" else "en-GB"
        props.comments = ""
        buf = io.BytesIO()
        self.doc.save(buf)
        return fixed_zip(buf.getvalue())


def fixed_zip(data: bytes) -> bytes:
    """The same zip with every entry's timestamp fixed, so two exports are byte-identical."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            entry = zipfile.ZipInfo(info.filename, ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            dst.writestr(entry, src.read(info.filename))
    return out.getvalue()


def write_docx(hb: Handbook, lang: Lang, when: datetime, *, role: str | None = None, department: str | None = None) -> bytes:
    """One role, one department (its sub-departments included) with its roles, or the whole handbook."""
    w = _Writer(hb, lang)
    if role is not None:
        r = hb.role(role)
        w.role(r)
        return w.save(f"{r.title} {label(lang, 'job_description')}", when)
    depts = [d for d in hb.departments if department is None or department in {c.id for c in hb.department_chain(d.id)}]
    for dept in depts:
        w.department(dept)
        for r in hb.roles_in(dept.id):
            w.role(r)
    if department is not None:
        return w.save(hb.department(department).name, when)
    return w.save(f"{hb.settings.organisation} {label(lang, 'handbook')}", when)
