"""Lines of a Word document (docx_reader) → job-description records: what each part of the form says.

One pass over the lines in document order with the part of the form it is in (basic information,
summary, relationships, qualifications, duties, …). A part starts at a heading that names it — a
paragraph, a merged table row, or the left cell of a row whose right cell holds the content — in
any of the usual wordings (docx_labels). Fields are "label: value" pairs, in a paragraph or in
table cells side by side. A new job description starts where a field that each one has once
(职位名称, 编号, 岗位标识) comes again, or at a heading that names a job description
("物业助理岗位说明书"). Everything keeps the place it came from, for the review report.

The parser is built in three layers: docx_fill (its state, and how a value goes into its record),
docx_rows (table rows) and this module (paragraphs, and the entry point ``parse_lines``). The records
it makes are in docx_records, the functions of plain text in docx_text.
"""

from __future__ import annotations

import re

from rolebook.load import docx_labels as L
from rolebook.load.docx_reader import Cell, Line, Where
from rolebook.load.docx_records import LIST_SECTIONS, NO_GROUP, Found, Parsed
from rolebook.load.docx_rows import TableRows

_STARTERS = ("title", "number", "role_id", "department", "reports_to")  # fields that begin a job description
_PART = re.compile(r"(?=第[一二三四五六七八九十0-9]{1,3}部分)")


class _Parser(TableRows):
    # -- lines -----------------------------------------------------------

    def line(self, line: Line) -> None:
        if line.cells:
            self.row(line)
        elif self.own and own_paragraph(self, line):
            return
        else:
            styled = bool(line.heading or line.bold)
            for n, piece in enumerate(line.text.split("\n")):  # a line break (Shift+Enter) ends a line as a paragraph does
                self.paragraph(piece, line.where, line.numbered, styled, line.lead if n == 0 else "", line.level)

    def paragraph(self, text: str, where: Where, numbered: bool = False, heading: bool = False, lead: str = "", level: int = 0) -> None:
        text = text.strip()
        if not text:
            return
        pieces = [p for p in _PART.split(text) if p.strip()]
        if len(pieces) > 1:  # "审核： 第二部分：职责综述 1、…" — a part's heading run on in the same line
            for piece in pieces:
                self.paragraph(piece, where, numbered, heading)
            return
        if "\t" in text.strip() and self.tabbed(text, where):
            return
        if self.section in LIST_SECTIONS or self.section == "kept":
            if self.list_line(text, where, numbered, heading, level):
                return
        elif lead and self.lead_label(lead, text, where):
            return
        matches = list(L.ALL_LABELS.finditer(text))
        if not matches and self.bare_label(text, where):
            return
        head = text[: matches[0].start()].strip() if matches else text
        if head:
            rest_after = not matches
            if self.heading(head, where, numbered, heading or bool(matches)):
                if rest_after:
                    return
            elif rest_after:
                self.content(text, where, numbered, heading, level)
                return
            else:
                self.content(head, where, numbered)
        for i, m in enumerate(matches):
            end = matches[i + 1].start() if i + 1 < len(matches) else len(text)
            self.label(L.label_of(m), text[m.end() : end].strip(), where, numbered)

    def list_line(self, text: str, where: Where, numbered: bool, styled: bool, level: int) -> bool:
        """A line inside a list part (summary, duties, a kept part): an item — labels inside a numbered item are
        its text — unless it is the heading of another part, starts a new job description, or is a field."""
        if self.heading_only(text, where, styled):
            return True
        first = L.ALL_LABELS.match(text)
        if first is not None and first.start() == 0:
            label = L.label_of(first)
            if L.field_of(label) in _STARTERS or L.section_of(label):
                return False  # "职位名称：…" — the next job description; "岗位职责：1、…" — a part with its text
        if self.section != "kept" and not (numbered or L.numbered_text(text)) and L.ALL_LABELS.search(text):
            return False  # "工作经验：…  能力要求：…" after the duties: fields again
        self.content(text, where, numbered, styled, level)
        return True

    def heading_only(self, text: str, where: Where, styled: bool) -> bool:
        """``text`` names a part of the form and nothing more: that part starts."""
        bare = L.strip_numbering(text).rstrip(":： ")
        if len(L.key(bare)) > 48:
            return False
        if L.section_of(bare) is not None and L.field_of(bare) is None:
            self.start_section(L.section_of(bare) or "", where)
            return True
        return self.kept_heading(bare, where, styled or text.rstrip().endswith((":", "：")))

    def tabbed(self, text: str, where: Where) -> bool:
        """ "Job Title<tab>Clerk<tab>Grade<tab>5": label and value apart by tabs, read as table cells side by side."""
        pieces = [p.strip() for p in text.split("\t")]
        pieces = [p for p in pieces if p]
        if len(pieces) < 2 or not L.any_label(pieces[0].rstrip(":： ")) or L.ALL_LABELS.match(text):
            return False
        if self.section in LIST_SECTIONS and not L.section_of(pieces[0]):
            return False
        cells = [Cell((p.rstrip(":： ") if i % 2 == 0 else p,), False, i + 1, False) for i, p in enumerate(pieces)]
        self.label_row(cells, where)
        return True

    def lead_label(self, lead: str, text: str, where: Where) -> bool:
        """ "**Job Title** Front Desk Officer": a label in bold runs, its value after it in the same paragraph."""
        label = lead.rstrip(":： ")
        if not text.startswith(lead) or not label:
            return False
        first = L.ALL_LABELS.match(text)
        if first is not None and first.start() == 0:
            return False  # "Job Title: …" reads as it is
        known = L.any_label(label)
        if not known and not (lead.endswith((":", "：")) and len(L.key(label)) <= 24):
            return False
        rest = text[len(lead) :].strip(" :：\t")
        if not rest:
            return False
        more = list(L.ALL_LABELS.finditer(rest))
        self.label(label, rest[: more[0].start()].strip() if more else rest, where)
        if more:
            self.paragraph(rest[more[0].start() :], where)
        return True

    def bare_label(self, text: str, where: Where) -> bool:
        """A label alone ("其它要求", "直接下级：") with nothing after it: an empty field, or the part it names."""
        if L.section_of(text) is not None or len(L.key(text)) > 40:
            return False
        if L.field_of(text) or L.qualification_of(text) or L.relationship_of(text):
            self.label(text.rstrip(":： "), "", where)
            return True
        return False

    def heading(self, text: str, where: Where, numbered: bool, styled: bool) -> bool:
        """Whether ``text`` is a heading: of a part of the form, or of a whole job description."""
        sec = L.section_of(text)
        if sec is not None and len(L.key(text)) <= 48:
            self.start_section(sec, where)
            return True
        bare = L.strip_numbering(text).rstrip(":： ")
        if self.kept_heading(bare, where, styled or numbered or bare != text.strip()):
            return True
        lead = L.SECTION_LEAD.match(bare) if bare != text.strip() or styled else None
        if lead and L.section_of(lead.group("label")):  # "第四部分：任职资格要求 教育程度及专业 大专以上"
            self.start_section(L.section_of(lead.group("label")) or "", where)
            self.paragraph(lead.group("rest"), where, numbered)
            return True
        if L.JD_WORDS.match(bare):
            if self.job is not None and self.job.has_content():
                self.new_job(where)
            return True
        m = L.JD_SUFFIX.match(bare) or L.JD_PREFIX.match(bare)
        if m and (styled or len(bare) <= 30) and not L.field_of(m.group("title")):
            title = m.group("title").strip(" ：:-—")
            job = self.new_job(where) if self.job is None or self.job.has_content() else self.job
            job.fields["title"] = Found(title, where)
            job.title_from_heading = True
            if bare.endswith(("岗位职责", "职责")):
                self.start_section("duties", where)
            return True
        return False


_OWN_NUMBER = re.compile(r"^[0-9]+(?:、|\. )")  # how rolebook's export numbers a list: "1、" / "1. "


def own_paragraph(p: _Parser, line: Line) -> bool:
    """A paragraph of rolebook's own export, read by where the exporter puts things: headings (Word's heading
    styles) start a job description or a part, bold lines name a group or a workflow, the rest are items
    numbered "1. " / "1、". False for what the exporter does not write there (read as any document)."""
    text = line.text.strip()
    if line.heading == 1:
        p.job, p.dept = None, None
        p.start_section("", line.where)
        p.section = None
        return True
    if line.heading:
        sec = L.section_of(text)
        if sec is None:
            return False
        p.start_section(sec, line.where)
        return True
    sec = p.section
    if line.bold and sec in ("summary", "duties", "dept_workflows"):
        name = text[:-1] if sec != "dept_workflows" and text.endswith(("：", ":")) else text
        if sec == "dept_workflows" and p.dept is not None:
            p.dept.workflows.append((Found(name, line.where), []))
        else:
            p.group = None if name == NO_GROUP else name
        return True
    body = _OWN_NUMBER.sub("", text, count=1)
    if sec == "summary" and body:
        p.current(line.where).summary.append((p.group, Found(body, line.where), p.group_no))
    elif sec in ("dept_duties", "dept_requirements") and p.dept is not None and body:
        (p.dept.duties if sec == "dept_duties" else p.dept.requirements).append(Found(body, line.where))
    elif sec == "dept_workflows" and p.dept is not None and p.dept.workflows and body:
        p.dept.workflows[-1][1].append(Found(body, line.where))
    else:
        return False
    return True


def parse_lines(lines: tuple[Line, ...] | list[Line], own: bool = False) -> Parsed:
    """The job descriptions (and department blocks) in ``lines``; ``own``: the document is rolebook's export."""
    p = _Parser(own)
    for line in lines:
        p.line(line)
    return p.out
