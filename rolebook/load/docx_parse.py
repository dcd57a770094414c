"""Lines of a Word document (docx_reader) → job-description records: what each part of the form says.

One pass over the lines in document order with the part of the form it is in (basic information,
summary, relationships, qualifications, duties, …). A part starts at a heading that names it — a
paragraph, a merged table row, or the left cell of a row whose right cell holds the content — in
any of the usual wordings (docx_labels). Fields are "label: value" pairs, in a paragraph or in
table cells side by side. A new job description starts where a field that each one has once
(职位名称, 编号, 岗位标识) comes again, or at a heading that names a job description
("物业助理岗位说明书"). Everything keeps the place it came from, for the review report.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from rolebook.load import docx_labels as L
from rolebook.load.docx_reader import Cell, Line, Where

LIST_SECTIONS = ("summary", "duties", "kpis", "dept_duties", "dept_requirements", "dept_workflows")
_STARTERS = ("title", "number", "role_id", "department", "reports_to")  # fields that begin a job description
_GROUP = re.compile(r"^(?P<group>[^:：。，,；;]{1,16})[:：]\s*(?P<rest>.*)$")
_SPACED = re.compile(r"^(?P<group>\S{2,10})\s+(?P<rest>\S.*)$")  # "工作经验 两年以上": a label and its value, a space between
_PART = re.compile(r"(?=第[一二三四五六七八九十0-9]{1,3}部分)")
_INLINE_ITEMS = re.compile(r"(?:(?<=^)|(?<=[。；;！!？?\s]))(?:[0-9]{1,2}[、.．)）]|[①-⑳]|[(（][0-9一二三四五六七八九十]{1,2}[)）])\s*")


@dataclass
class Found:
    text: str
    where: Where
    exact: bool = False  # a field of rolebook's own export: taken as written ("N/A" is a title there, not "none")


@dataclass
class DutyRec:
    text: str
    where: Where
    group: str | None
    kpis: list[str] = field(default_factory=list)
    kpi_guessed: bool = False
    columns: list[tuple[str, str]] = field(default_factory=list)  # (heading, value) of columns rolebook has no field for
    group_no: int = 0  # which group of that name: two groups one after another may have the same name
    kind: str | None = None  # the numbering it had in the list (a later item numbered otherwise is below it)


@dataclass
class RelRec:
    side: str  # internal | external
    where: Where
    percent: int | None = None
    parties: list[str] = field(default_factory=list)
    text: str = ""


@dataclass
class Extra:
    label: str
    value: str
    where: Where
    section: str
    lines: list[str] = field(default_factory=list)  # a part of the form rolebook has no place for: its text
    part: bool = False


@dataclass
class JobRec:
    start: Where
    fields: dict[str, Found] = field(default_factory=dict)
    title_from_heading: bool = False
    summary: list[tuple[str | None, Found, int]] = field(default_factory=list)  # (group, item, which group)
    duties: list[DutyRec] = field(default_factory=list)
    kpi_list: list[Found] = field(default_factory=list)
    relationships: list[RelRec] = field(default_factory=list)
    quals: dict[str, list[Found]] = field(default_factory=dict)
    qual_guessed: set[str] = field(default_factory=set)
    extras: list[Extra] = field(default_factory=list)
    twice: list[tuple[str, Found, Found]] = field(default_factory=list)
    unplaced: list[Found] = field(default_factory=list)
    empty_labels: int = 0
    signatures: bool = False

    def has_content(self) -> bool:
        return bool(self.summary or self.duties or self.quals or self.relationships or set(self.fields) - {"department"})


@dataclass
class DeptRec:
    start: Where
    fields: dict[str, Found] = field(default_factory=dict)
    duties: list[Found] = field(default_factory=list)
    requirements: list[Found] = field(default_factory=list)
    workflows: list[tuple[Found, list[Found]]] = field(default_factory=list)
    staffing: list[tuple[str, int, Where]] = field(default_factory=list)


@dataclass
class Parsed:
    jobs: list[JobRec] = field(default_factory=list)
    depts: list[DeptRec] = field(default_factory=list)
    before: list[Found] = field(default_factory=list)  # text before the first job description


class _Parser:
    def __init__(self, own: bool = False) -> None:
        self.own = own  # rolebook's own export: every part where the exporter puts it (docx_own)
        self.out = Parsed()
        self.job: JobRec | None = None
        self.dept: DeptRec | None = None  # the department block being read (until a job starts)
        self.section: str | None = None
        self._group: str | None = None
        self.group_no = 0
        self.qual: str | None = None  # the qualification a label named, for the lines under it
        self.kept: Extra | None = None  # the part rolebook has no place for, whose lines are being kept
        self.kinds: list[str] = []  # the numbering of the list items so far in this part: the first is the top level
        self.outer: tuple[str | None, int] = (None, 0)  # the group the top-level items are in, while items below one are read
        self.duty_cols: dict[int, dict[int, str]] = {}  # table -> column -> seq|duty|kpi|group|weight|frequency|extra
        self.col_heads: dict[int, dict[int, str]] = {}  # table -> column -> its heading
        self.rel_cols: dict[int, dict[int, str]] = {}  # table -> column -> internal|external
        self.field_cols: dict[int, tuple[int, dict[int, str]]] = {}  # table -> (its row, column -> label): labels above values

    @property
    def group(self) -> str | None:
        return self._group

    @group.setter
    def group(self, name: str | None) -> None:
        """A group starts (or none): the items from here on are in it, even when the one before had its name."""
        self._group = name
        self.group_no += 1

    # -- records ---------------------------------------------------------

    def new_job(self, where: Where) -> JobRec:
        self.job = JobRec(where)
        self.out.jobs.append(self.job)
        self.dept = None
        self.section, self.group, self.qual, self.kept = None, None, None, None
        self.kinds = []
        return self.job

    def current(self, where: Where) -> JobRec:
        return self.job if self.job is not None else self.new_job(where)

    def set_field(self, name: str, value: str, where: Where) -> None:
        value = value.strip()
        if self.own and value == NO_GROUP and name in ("reports_to", "subordinates", "dept_parent"):
            value = ""  # the export's "—": none
        if name.startswith("dept_"):
            self.dept_field(name, value, where)
            return
        if name == "department" and self.dept is not None and self.job is None:
            self.dept_field("dept_name", value, where)
            return
        job = self.job
        if not value:
            if job is not None:
                job.empty_labels += 1
            elif name in ("title", "number"):
                self.new_job(where).empty_labels += 1
            return
        once = name in ("title", "number", "role_id")
        if job is None or (once and name in job.fields and not (name == "title" and job.title_from_heading)):
            job = self.new_job(where)
        if name == "title" and job.title_from_heading:
            job.title_from_heading = False
            job.fields[name] = Found(value, where)
            return
        old = job.fields.get(name)
        if old is None:
            job.fields[name] = Found(value, where, exact=self.own)
        elif L.key(old.text) != L.key(value):
            job.twice.append((name, old, Found(value, where)))

    def dept_field(self, name: str, value: str, where: Where) -> None:
        if name == "dept_id" or self.dept is None:
            self.dept = DeptRec(where)
            self.out.depts.append(self.dept)
            self.job = None
            self.section = None
        if value:
            self.dept.fields.setdefault(name, Found(value, where, exact=self.own))

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

    def kept_heading(self, bare: str, where: Where, marked: bool) -> bool:
        dest = L.kept_section_of(bare)
        k = L.key(bare)
        if dest is None or not (marked or len(k) >= (3 if re.search(r"[\u4e00-\u9fff]", k) else 10)):
            return False
        self.start_section("kept", where)
        self.kept = Extra(bare, "", where, dest, part=True)
        self.current(where).extras.append(self.kept)
        return True

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

    def start_section(self, name: str, where: Where) -> None:
        if name.startswith("dept_") and self.dept is None and (self.job is None or self.job.duties):
            self.dept = DeptRec(where)
            self.out.depts.append(self.dept)
            self.job = None
        self.section, self.group, self.qual, self.kept = name, None, None, None
        self.kinds = []

    def label(self, label: str, value: str, where: Where, numbered: bool = False) -> None:
        sec = L.section_of(label)
        if sec is not None and L.field_of(label) is None:
            self.start_section(sec, where)
            if value:
                self.content(value, where, numbered)
            return
        dept = L.dept_field_of(label) if self.dept is not None and self.job is None else None
        if dept is not None:
            self.dept_field(dept, value, where)
            return
        name = L.field_of(label)
        if name is not None and not (self.section == "qualifications" and L.qualification_of(label)):
            self.set_field(name, value, where)
            return
        q = L.qualification_of(label)
        if q is not None:
            self.section, self.qual = "qualifications", q
            if value:
                self.add_qual(q, value, where)
            return
        r = L.relationship_of(label)
        if r is not None:
            self.section = "relationships"
            self.add_rel(r, value, where)
            return
        if not value and self.kept_heading(label.strip(), where, True):
            return
        self.extra(label, value, where)

    def extra(self, label: str, value: str, where: Where) -> None:
        job = self.current(where)
        section = self.section or "basic"
        if L.kept_section_of(label) == "qualifications":
            section = "qualifications"
        job.extras.append(Extra(label.strip(" :："), value.strip(), where, section))

    # -- table rows ------------------------------------------------------

    def row(self, line: Line) -> None:
        where = line.where
        table = where.table
        if table in self.duty_cols and self.duty_row(line):
            return
        if table in self.rel_cols and self.rel_row(line):
            return
        if table in self.field_cols and self.field_values(line):
            return
        if self.duty_header(line) or self.rel_header(line) or self.field_header(line):
            return
        fresh = [c for c in line.cells if not c.continued and c.text.strip()]
        if self.section == "dept_staffing" and len(fresh) >= 2:
            self.unlabelled(fresh, where)  # position | headcount
            return
        texts = {L.key(c.text) for c in fresh}
        if len(texts) <= 1 and fresh:  # one cell (or merged across): like a paragraph
            c = fresh[0]
            w = replace(where, col=c.col)
            for text in c.lines:
                self.paragraph(text, w, c.numbered)
            return
        pairs = self.pairs(line.cells)
        if pairs is not None:
            for label, value in pairs:
                self.labelled_cells(label.text, [value] if value.text.strip() else [], replace(where, col=label.col))
            return
        if self.own and L.relationship_of(fresh[0].text):  # rolebook's export: side | share | parties
            self.labelled_cells(fresh[0].text, fresh[1:], replace(where, col=fresh[0].col))
            return
        self.label_row(fresh, where)

    def label_row(self, cells: list[Cell], where: Where) -> None:
        """Cells side by side: label, value(s), label, value(s) …; a cell that is no label is content."""
        pairs = self.pairs(cells)
        if pairs is not None:
            for label, value in pairs:
                self.labelled_cells(label.text, [value] if value.text.strip() else [], replace(where, col=label.col))
            return
        i = 0
        while i < len(cells):
            c = cells[i]
            if not self.cell_label(c):
                self.unlabelled(cells[i:], where)
                return
            j = i + 1
            while j < len(cells) and not self.cell_label(cells[j]):
                j += 1
            self.labelled_cells(c.text, cells[i + 1 : j], replace(where, col=c.col))
            i = j

    def pairs(self, row: tuple[Cell, ...] | list[Cell]) -> list[tuple[Cell, Cell]] | None:
        """A row of label, value pairs by position ("职级 | P2 | 编号 | KF-1", a value left empty included): short
        one-line labels in the odd cells, at least one of them known, or the part of the form where fields are."""
        cells = [Cell((), False, c.col, False) if c.continued else c for c in row]
        if len(cells) < 2 or len(cells) % 2 or self.section in ("summary", "duties", "relationships", "kpis", "signatures", "kept"):
            return None
        if self.section and self.section.startswith("dept_"):
            return None
        labels, values = cells[::2], cells[1::2]
        if any(not a.text.strip() and b.text.strip() for a, b in zip(labels, values, strict=True)):
            return None
        named = [c for c in labels if c.text.strip()]
        if not named or not all(len(c.lines) == 1 and 0 < len(L.key(c.text)) <= 40 and not _sentence(c.text) for c in named):
            return None
        if any(L.section_of(c.text) and not L.field_of(c.text) for c in named):
            return None
        if not self.own and any(L.any_label(c.text) for c in values if len(c.lines) == 1):
            return None
        if self.own or any(self.cell_label(c) for c in named) or self.section in (None, "basic", "qualifications"):
            return [(a, b) for a, b in zip(labels, values, strict=True) if a.text.strip()]
        return None

    def texts(self, c: Cell) -> tuple[str, ...]:
        """A cell's items: rolebook's export writes one a paragraph (a line break inside one is part of its text);
        other documents separate items by line breaks too."""
        return c.paras if self.own and c.paras else c.lines

    def cell_label(self, c: Cell) -> bool:
        return len(c.lines) == 1 and len(L.key(c.text)) <= 48 and L.any_label(c.text)

    def labelled_cells(self, label: str, values: list[Cell], where: Where) -> None:
        rel = L.relationship_of(label)
        if rel is not None and L.field_of(label) is None:
            self.section = "relationships"
            self.add_rel(rel, " ".join(LINE_SEP.join(v.lines) if len(v.lines) > 1 or self.own else v.text for v in values), where)
            return
        if len(values) <= 1:
            value = values[0] if values else None
            if self.own and value is not None and len(value.paras) == 1:
                self.label(label, value.paras[0], where)  # one value, its line breaks kept
                return
            if value is None or len(value.lines) <= 1:
                self.label(label, value.text if value else "", where)
                return
            # a label with a list beside it: the part it names, or a field of several lines
            sec = L.section_of(label)
            vw = replace(where, col=value.col)
            if sec is not None and L.field_of(label) is None:
                self.start_section(sec, where)
                for text in value.lines:
                    self.paragraph(text, vw, value.numbered)
                return
            name = L.field_of(label)
            if name == "subordinates" or (self.own and name is not None):
                self.label(label, value.text, where)  # one name a line
                return
            self.label(label, value.lines[0], where)
            for text in value.lines[1:]:
                self.content(text, vw, value.numbered)
            return
        self.label(label, " ".join(v.text for v in values), where)

    def unlabelled(self, cells: list[Cell], where: Where) -> None:
        if self.section == "relationships" and len(cells) >= 2:
            self.rel_line(" ".join(LINE_SEP.join(c.lines) for c in cells), replace(where, col=cells[0].col))
            return
        if self.section == "dept_staffing" and len(cells) >= 2:
            m = re.search(r"[0-9]{1,6}", cells[-1].text)
            if m and self.dept is not None:
                self.dept.staffing.append((cells[0].text.strip(), int(m.group()), where))
            return
        if self.section == "duties" and len(cells) >= 2:
            self.duty_cells(cells, where, {})
            return
        for c in cells:
            for text in c.lines:
                self.paragraph(text, replace(where, col=c.col), c.numbered)

    def field_header(self, line: Line) -> bool:
        """A row of field labels only ("职位名称 | 所属部门 | 直接上级"), the values in the row below it."""
        if self.own:
            return False
        cells = [c for c in line.cells if c.text.strip() and not c.continued]
        if len(cells) < 2 or not all(self.cell_label(c) and not L.section_of(c.text) for c in cells):
            return False
        if not any(L.field_of(c.text) for c in cells):
            return False
        self.field_cols[line.where.table] = (line.where.row, {c.col: c.text.strip() for c in cells})
        return True

    def field_values(self, line: Line) -> bool:
        row, cols = self.field_cols.pop(line.where.table)
        cells = [c for c in line.cells if not c.continued]
        if line.where.row != row + 1 or any(self.cell_label(c) for c in cells if c.text.strip()):
            for col, label in cols.items():  # no row of values below: labels left empty
                self.label(label, "", replace(line.where, row=row, col=col))
            return False
        for c in cells:
            if c.col in cols:
                self.labelled_cells(cols[c.col], [c] if c.text.strip() else [], replace(line.where, col=c.col))
        return True

    def rel_header(self, line: Line) -> bool:
        """A heading row of relationship columns ("内部协调关系 | 外部协调关系"): the rows below list the parties."""
        cols = {c.col: L.relationship_of(c.text) for c in line.cells if len(c.lines) == 1 and not c.continued}
        sides = {c: s for c, s in cols.items() if s is not None}
        if len(set(sides.values())) < 2 or any(L.field_of(c.text) for c in line.cells):
            return False
        self.rel_cols[line.where.table] = sides
        self.start_section("relationships", line.where)
        return True

    def rel_row(self, line: Line) -> bool:
        cols = self.rel_cols[line.where.table]
        cells = [c for c in line.cells if c.text.strip() and not c.continued]
        if any(c.col not in cols and self.cell_label(c) and not L.relationship_of(c.text) for c in cells):
            del self.rel_cols[line.where.table]
            return False
        for c in cells:
            if c.col in cols:
                self.add_rel(cols[c.col], LINE_SEP.join(c.lines), replace(line.where, col=c.col))
        return True

    def duty_header(self, line: Line) -> bool:
        """A heading row of a duties table (序号 | 工作内容 | 考核标准 | 权重; Key Result Area | Activities | KPI):
        which column holds what; a column rolebook has no field for is kept with its heading."""
        cols: dict[int, str] = {}
        heads: dict[int, str] = {}
        cells = [c for c in line.cells if c.text.strip() and not c.continued]
        for c in cells:
            kind = L.duty_column_of(c.text) if len(c.lines) == 1 else None
            if kind == "duty" and "duty" in cols.values():
                first = next(k for k, v in cols.items() if v == "duty")
                cols[first] = "group"  # "Key Result Area | Activities": the first names the group
            if kind is not None and (kind not in cols.values() or kind in ("duty", "kpi")):
                cols[c.col] = kind
            elif len(c.lines) == 1 and len(L.key(c.text)) <= 16 and not L.any_label(c.text):
                cols[c.col] = "extra"
            heads[c.col] = c.text.strip()
        known = [k for k in cols.values() if k != "extra"]
        if not ({"duty", "kpi"} & set(known)) or len(known) < 2 or len(cols) < len(cells):
            return False
        if self.own and self.section != "duties":
            return False  # rolebook's export has its duties table under its heading only
        if "duty" not in known and self.section != "kpis" and "weight" not in known:
            return False
        if set(known) <= {"seq", "duty"} and self.section != "duties":
            return False  # "No. | Description" alone is not enough, outside the duties
        self.duty_cols[line.where.table] = cols
        self.col_heads[line.where.table] = heads
        if "duty" in known:
            self.start_section("duties", line.where)
        return True

    def duty_row(self, line: Line) -> bool:
        cols = self.duty_cols[line.where.table]
        cells = [c for c in line.cells if c.text.strip()]
        fresh = [c for c in cells if not c.continued]
        if len(line.cells) == 1 and fresh and len(cols) > 1:
            # a row merged across the table: a group heading, or the next part of the form
            text = fresh[0].text
            if not self.own and (L.section_of(text) or L.field_of(text) or L.ALL_LABELS.search(text) or L.kept_section_of(text)):
                del self.duty_cols[line.where.table]
                return False
            name = text if self.own else L.strip_numbering(text).rstrip(":：")
            self.group = None if self.own and name == NO_GROUP else name
            return True
        if not self.own and any(self.cell_label(c) and L.duty_column_of(c.text) is None for c in fresh if cols.get(c.col) not in ("duty", "kpi")):
            del self.duty_cols[line.where.table]
            return False
        if "duty" not in cols.values():
            self.kpi_cells(line.cells, line.where, cols)
            return True
        self.duty_cells(line.cells, line.where, cols)
        return True

    def kpi_cells(self, cells: tuple[Cell, ...], where: Where, cols: dict[int, str]) -> None:
        """A row of a KPI table with no duty column (考核指标 | 权重): each KPI, its other columns after it in brackets."""
        job = self.current(where)
        heads = self.col_heads.get(where.table, {})
        extra = [(heads.get(c.col, ""), c.text.replace("\n", " ")) for c in cells if cols.get(c.col) not in (None, "kpi", "seq") and c.text.strip()]
        for c in cells:
            if cols.get(c.col) == "kpi":
                for t in c.lines:
                    if L.strip_numbering(t, 1):
                        job.kpi_list.append(Found(_with_columns(L.strip_numbering(t, 1), extra), replace(where, col=c.col)))

    def duty_cells(self, cells: list[Cell] | tuple[Cell, ...], where: Where, cols: dict[int, str]) -> None:
        job = self.current(where)
        strip = (lambda t: t.strip()) if self.own else (lambda t: L.strip_numbering(t, 1))
        if not cols:  # no heading row: [duty, KPI] or [no., duty, KPI]
            texts = [c for c in cells if c.text.strip()]
            if texts and re.fullmatch(r"[0-9]{1,3}[.、]?", texts[0].text.strip()):
                texts = texts[1:]
            cols = {c.col: k for c, k in zip(texts, ("duty", "kpi"), strict=False)}
        fresh = [c for c in cells if not c.continued or cols.get(c.col) == "group"]
        duty_cells = [c for c in fresh if cols.get(c.col) == "duty" and c.text.strip()]
        kpi_cells = [c for c in fresh if cols.get(c.col) == "kpi" and c.text.strip()]
        group_cells = [c for c in fresh if cols.get(c.col) == "group" and c.text.strip()]
        heads = self.col_heads.get(where.table, {})
        extra = [(heads.get(c.col, ""), c.text.replace("\n", " ")) for c in fresh if cols.get(c.col) in ("weight", "frequency", "extra") and c.text.strip()]
        if group_cells:
            name = L.strip_numbering(group_cells[0].text.replace("\n", " ")).rstrip(":：")
            if name != self.group:  # a group column: the group goes on while the name is the same
                self.group = name
        kpis = [strip(t) for c in kpi_cells for t in self.texts(c) if strip(t)]
        lines = [t for c in duty_cells for t in self.texts(c) if strip(t)]
        if not lines:
            if kpis and job.duties:
                job.duties[-1].kpis.extend(kpis)
            return
        w = replace(where, col=duty_cells[0].col)
        if len(lines) > 1 and len(kpis) == len(lines):
            for text, kpi in zip(lines, kpis, strict=True):
                job.duties.append(DutyRec(strip(text), w, self.group, [kpi], columns=list(extra), group_no=self.group_no))
            return
        for n, text in enumerate(lines):
            last = n == len(lines) - 1
            job.duties.append(DutyRec(strip(text), w, self.group, kpis if last else [], columns=list(extra) if last else [], group_no=self.group_no))

    # -- content of the parts -------------------------------------------

    def content(self, text: str, where: Where, numbered: bool = False, styled: bool = False, level: int = 0) -> None:
        text = text.strip()
        if not text:
            return
        sec = self.section
        if self.job is None and self.dept is None:
            if sec is None:
                self.out.before.append(Found(text, where))
                return
            if sec in LIST_SECTIONS and sec.startswith("dept_"):
                self.dept = DeptRec(where)
                self.out.depts.append(self.dept)
        if sec in ("summary", "duties", "kpis"):
            self.list_item(sec, text, where, numbered, styled, level)
        elif sec == "kept" and self.kept is not None:
            self.kept.lines.append(text)
        elif sec == "qualifications":
            self.qual_line(text, where)
        elif sec == "relationships":
            self.rel_line(text, where)
        elif sec is not None and sec.startswith("dept_") and self.dept is not None:
            self.dept_line(sec, text, where, numbered)
        elif sec == "signatures":
            self.current(where).signatures = True
        else:
            m = _GROUP.match(text)
            if m and m.group("rest") and len(L.key(m.group("group"))) <= 10:
                self.extra(m.group("group"), m.group("rest"), where)
            else:
                self.current(where).unplaced.append(Found(text, where))

    def list_item(self, sec: str, text: str, where: Where, numbered: bool, styled: bool = False, level: int = 0) -> None:
        job = self.current(where)
        if styled and not numbered and not L.numbered_text(text) and _group_like(text):
            self.group = text.strip().rstrip(":：").strip()  # a bold line over the items: their group
            self.kinds = []
            return
        items = _split_inline(text)
        m = _GROUP.match(items[0]) if not numbered and not L.numbered_text(items[0]) else None
        if m and not m.group("rest") and len(items) == 1:
            self.group = m.group("group").strip()
            self.kinds = []
            return
        if m and m.group("rest") and len(L.key(m.group("group"))) <= 8 and (len(items) > 1 or L.numbered_text(m.group("rest"))):
            self.group = m.group("group").strip()
            self.kinds = []
            items = [*_split_inline(m.group("rest")), *items[1:]]
        for item in items:
            kind = f"auto{level}" if numbered else _kind(item)
            body = L.strip_numbering(item, 1)
            if not body:
                continue
            self.nest(job, sec, kind)
            if sec == "summary":
                job.summary.append((self.group, Found(body, where), self.group_no))
            elif sec == "kpis":
                job.kpi_list.append(Found(body, where))
            else:
                self.duty_text(job, body, where, kind)

    def nest(self, job: JobRec, sec: str, kind: str | None) -> None:
        """Numbered otherwise than the list's first items ("一、" then "1、", Word's level 2 under level 1): the item
        before, which the new ones are under, becomes their group."""
        if kind is None:
            return
        if not self.kinds:
            self.kinds.append(kind)
            return
        if kind == self.kinds[0]:
            if len(self.kinds) > 1:  # back at the top: out of the group the item above made
                del self.kinds[1:]
                self._group, self.group_no = self.outer
            return
        if len(self.kinds) > 1:
            return  # already below an item
        self.kinds.append(kind)
        self.outer = (self.group, self.group_no)
        if sec == "summary" and job.summary and job.summary[-1][0] == self.group:
            self.group = job.summary.pop()[1].text.rstrip(":：")
        elif sec == "duties" and job.duties and job.duties[-1].group == self.group and not job.duties[-1].kpis:
            self.group = job.duties.pop().text.rstrip(":：")

    def duty_text(self, job: JobRec, body: str, where: Where, kind: str | None = None) -> None:
        kpi_only = re.match(r"^(?:考核指标|考核标准|绩效指标|KPIs?|Measures?)\s*[:：]\s*(.+)$", body, re.IGNORECASE)
        if kpi_only and job.duties:
            job.duties[-1].kpis.extend(_parts(kpi_only.group(1)))
            return
        parts = L.KPI_SEP.split(body, maxsplit=1)
        if len(parts) == 2 and parts[0].strip() and parts[1].strip():
            job.duties.append(DutyRec(parts[0].strip(), where, self.group, _parts(parts[1]), kpi_guessed=True, kind=kind, group_no=self.group_no))
            return
        job.duties.append(DutyRec(body, where, self.group, kind=kind, group_no=self.group_no))

    def add_qual(self, name: str, value: str, where: Where, guessed: bool = False) -> None:
        job = self.current(where)
        job.quals.setdefault(name, []).append(Found(value if self.own else L.strip_numbering(value, 1), where))
        if guessed:
            job.qual_guessed.add(name)

    def qual_line(self, text: str, where: Where) -> None:
        body = L.strip_numbering(text, 1)
        m = _GROUP.match(body) or _SPACED.match(body)
        if m and m.group("rest"):
            q = L.qualification_of(m.group("group"))
            if q is not None:
                self.qual = q
                self.add_qual(q, m.group("rest"), where)
                return
        if self.qual is not None:
            self.add_qual(self.qual, body, where)
            return
        self.add_qual(_guess_qualification(body), body, where, guessed=True)

    def add_rel(self, side: str, value: str, where: Where) -> None:
        job = self.current(where)
        rec = next((r for r in job.relationships if r.side == side), None)
        if rec is None:
            rec = RelRec(side, where)
            job.relationships.append(rec)
        pct = L.PERCENT.search(value)
        if pct and rec.percent is None:
            rec.percent = round(float(pct.group(1)))
            value = value[: pct.start()] + value[pct.end() :]
        rec.text = (rec.text + " " + value.replace(LINE_SEP, "、")).strip()
        rec.parties.extend(_own_parties(value) if self.own else _parties(value))

    def rel_line(self, text: str, where: Where) -> None:
        """ "对内：公司各部门（30%）", "_30 %时间对内，集团以 …", "Internal (20%): all departments"."""
        body = L.strip_numbering(text)
        m = _GROUP.match(body) or re.match(r"^(?P<group>.{1,30}?[)）])\s*[:：]\s*(?P<rest>.*)$", body)
        head = m.group("group") if m else body
        side = None
        for probe in (head, body):
            if re.search(r"对内|内部|集团以内|internal", probe, re.IGNORECASE):
                side = "internal"
            elif re.search(r"对外|外部|集团以外|external", probe, re.IGNORECASE):
                side = "external"
            if side is not None:
                break
        pct = L.PERCENT.search(body)
        if side is None:
            if pct or len(L.key(body)) > 16:  # a heading row (关系 | 时间占比 | 联系对象) is not kept
                self.current(where).unplaced.append(Found(text, where))
            return
        rest = m.group("rest") if m and side is not None and m.group("rest") else body
        rest = re.sub(r"时间?对内|时间?对外|对内|对外|集团以内|集团以外|内部|外部|\b(?:internal|external)\b|的?时间", " ", rest, flags=re.IGNORECASE)
        rest = L.PERCENT.sub(" ", rest).strip(" _:：,，")
        self.add_rel(side, f"{pct.group(0) if pct else ''} {rest}", where)

    def dept_line(self, sec: str, text: str, where: Where, numbered: bool) -> None:
        dept = self.dept
        assert dept is not None
        body = L.strip_numbering(text)
        if sec == "dept_duties":
            dept.duties.append(Found(body, where))
        elif sec == "dept_requirements":
            dept.requirements.append(Found(body, where))
        elif sec == "dept_staffing":
            m = re.match(r"^(.+?)\s*[:：]?\s*([0-9]{1,6})\s*(?:名|人|个)?$", body)
            if m:
                dept.staffing.append((m.group(1).strip(), int(m.group(2)), where))
        elif numbered or L.numbered_text(text):
            if dept.workflows:
                dept.workflows[-1][1].append(Found(body, where))
            else:
                dept.workflows.append((Found(body, where), []))
        else:
            dept.workflows.append((Found(body.rstrip(":："), where), []))


def _split_inline(text: str) -> list[str]:
    """ "1、a。2、b。" typed in one paragraph: its items. Only when the numbers run 1, 2, 3 …"""
    marks = list(_INLINE_ITEMS.finditer(text))
    if len(marks) < 2:
        return [text]
    nums = [re.sub(r"\D", "", m.group()) for m in marks]
    if not all(n.isdigit() for n in nums) or [int(n) for n in nums] != list(range(int(nums[0]), int(nums[0]) + len(nums))):
        return [text]
    head = text[: marks[0].start()].strip()
    out = [head] if head else []
    for i, m in enumerate(marks):
        end = marks[i + 1].start() if i + 1 < len(marks) else len(text)
        out.append(text[m.start() : end].strip())
    return out


def _sentence(text: str) -> bool:
    """Text that ends as a sentence does ("…。", a long "… ."), not as a label ("Document no.")."""
    t = text.rstrip()
    return t.endswith("。") or (t.endswith(".") and len(L.key(t)) > 16)


def _group_like(text: str) -> bool:
    """A short line with no sentence end: a group's name when it stands bold over the items."""
    t = text.strip().rstrip(":：")
    return 0 < len(L.key(t)) <= 30 and not t.endswith(("。", ".", "；", ";", "！", "!", "？", "?"))


_KINDS = (
    ("part", re.compile(r"^\s*第[一二三四五六七八九十百0-9]+(?:部分|章|节|条|项|部)")),
    ("cn", re.compile(r"^\s*[一二三四五六七八九十]{1,3}\s*[、.．]")),
    ("paren-cn", re.compile(r"^\s*[(（]\s*[一二三四五六七八九十]{1,3}\s*[)）]")),
    ("outline", re.compile(r"^\s*[0-9]{1,3}(?:[.．][0-9]{1,3})+")),
    ("paren-num", re.compile(r"^\s*[(（]\s*[0-9]{1,3}\s*[)）]")),
    ("num", re.compile(r"^\s*[0-9]{1,3}")),
    ("circled", re.compile(r"^\s*[①-⑳⑴-⒇❶-❿➀-➉]")),
    ("letter", re.compile(r"^\s*(?:[(（]\s*[a-zA-Z]\s*[)）]|[a-zA-Z]\s*[).）])")),
    ("bullet", re.compile(r"^\s*[•·●○■□◆◇▪►▶➢➤✓✔√\-–—*\uf000-\uf0ff]")),
)


def _kind(text: str) -> str | None:
    """How a list item is numbered by its typed text ("一、", "1、", "(1)", "a)", "•"), or None."""
    if not L.numbered_text(text):
        return None
    return next((name for name, rx in _KINDS if rx.match(text)), None)


def _with_columns(text: str, columns: list[tuple[str, str]]) -> str:
    """A KPI with the other columns of its row in brackets: "接通率（权重：20%）"."""
    if not columns:
        return text
    cjk = re.search(r"[\u4e00-\u9fff]", text + "".join(h for h, _ in columns))
    inner = ("，" if cjk else ", ").join(f"{h}{'：' if cjk else ': '}{v}" if h else v for h, v in columns)
    return f"{text}（{inner}）" if cjk else f"{text} ({inner})"


def _parts(text: str) -> list[str]:
    items = [p.strip(" 。.") for p in re.split(r"[；;\n]", text)]
    return [p for p in items if p]


_HINT = re.compile(r"^(?:如|例如|e\.?g\.?)")
LINE_SEP = "\x1e"  # the lines of one table cell, kept apart while a relationship row is read as one text


def _parties(text: str) -> list[str]:
    """Who the work is with. A cell of several lines (LINE_SEP between them) holds one name a line;
    one line holds names between 、，,；; — never split inside brackets ("财务部（预算、报销）" is one),
    and the form's own example text ("如政府部门、…等") left out."""
    text = re.sub(r"[(（]?\s*(?:如|例如)[^)）]*等[)）]?", "", text)
    pieces = text.split(LINE_SEP) if LINE_SEP in text else split_outside_brackets(text)
    items = [p.strip(" 。.:：_") for p in pieces]
    return [p for p in items if p and not _HINT.match(p) and not re.fullmatch(r"[%％0-9\s]*", p)]


def split_outside_brackets(text: str) -> list[str]:
    """``text`` split at 、，,；;/ and runs of two spaces that stand outside any bracket."""
    out: list[str] = []
    depth, start, i = 0, 0, 0
    while i < len(text):
        ch = text[i]
        if ch in "（(【[《":
            depth += 1
        elif ch in "）)】]》":
            depth = max(0, depth - 1)
        elif depth == 0 and (ch in "、，,；;/\n" or text.startswith("  ", i)):
            out.append(text[start:i])
            while i + 1 < len(text) and text[i + 1] == " ":
                i += 1
            start = i + 1
        i += 1
    out.append(text[start:])
    return out


def _guess_qualification(text: str) -> str:
    if re.search(r"学历|本科|大专|专科|硕士|博士|高中|中专|毕业|degree|bachelor|diploma|master|graduate", text, re.IGNORECASE):
        return "education"
    if re.search(r"经验|年以上|工作经历|years?\b|experience", text, re.IGNORECASE):
        return "experience"
    if re.search(r"能力|熟悉|熟练|掌握|精通|技能|skill|abilit|knowledge|proficien|able to", text, re.IGNORECASE):
        return "abilities"
    return "other"


def _own_parties(text: str) -> list[str]:
    """The parties of a rolebook export: one a line, as they were written."""
    return [p.strip() for p in text.split(LINE_SEP) if p.strip()]


NO_GROUP = "—"  # rolebook's export: the duties or summary items after a group that belong to none
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
