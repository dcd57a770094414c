"""The parser's state and how a value found in a document is put into its record: a field, a part's
start, a list item (and the items nested below it), a qualification, a relationship, a department's
lines. docx_rows reads table rows and docx_parse paragraphs on top of it; both end here."""

from __future__ import annotations

import re
from abc import ABC, abstractmethod

from rolebook.load import docx_labels as L
from rolebook.load.docx_reader import Where
from rolebook.load.docx_records import LINE_SEP, LIST_SECTIONS, NO_GROUP, DeptRec, DutyRec, Extra, Found, JobRec, Parsed, RelRec
from rolebook.load.docx_text import group_like, guess_qualification, kind_of, own_parties, parties, split_inline, split_items

_GROUP = re.compile(r"^(?P<group>[^:：。，,；;]{1,16})[:：]\s*(?P<rest>.*)$")
_SPACED = re.compile(r"^(?P<group>\S{2,10})\s+(?P<rest>\S.*)$")  # "工作经验 两年以上": a label and its value, a space between


class PartFiller(ABC):
    def __init__(self, own: bool = False) -> None:
        self.own = own  # rolebook's own export: every part where the exporter puts it (own_paragraph in docx_parse)
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

    def kept_heading(self, bare: str, where: Where, marked: bool) -> bool:
        dest = L.kept_section_of(bare)
        k = L.key(bare)
        if dest is None or not (marked or len(k) >= (3 if re.search(r"[\u4e00-\u9fff]", k) else 10)):
            return False
        self.start_section("kept", where)
        self.kept = Extra(bare, "", where, dest, part=True)
        self.current(where).extras.append(self.kept)
        return True

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
        if styled and not numbered and not L.numbered_text(text) and group_like(text):
            self.group = text.strip().rstrip(":：").strip()  # a bold line over the items: their group
            self.kinds = []
            return
        items = split_inline(text)
        m = _GROUP.match(items[0]) if not numbered and not L.numbered_text(items[0]) else None
        if m and not m.group("rest") and len(items) == 1:
            self.group = m.group("group").strip()
            self.kinds = []
            return
        if m and m.group("rest") and len(L.key(m.group("group"))) <= 8 and (len(items) > 1 or L.numbered_text(m.group("rest"))):
            self.group = m.group("group").strip()
            self.kinds = []
            items = [*split_inline(m.group("rest")), *items[1:]]
        for item in items:
            kind = f"auto{level}" if numbered else kind_of(item)
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
            job.duties[-1].kpis.extend(split_items(kpi_only.group(1)))
            return
        parts = L.KPI_SEP.split(body, maxsplit=1)
        if len(parts) == 2 and parts[0].strip() and parts[1].strip():
            job.duties.append(DutyRec(parts[0].strip(), where, self.group, split_items(parts[1]), kpi_guessed=True, kind=kind, group_no=self.group_no))
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
        self.add_qual(guess_qualification(body), body, where, guessed=True)

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
        rec.parties.extend(own_parties(value) if self.own else parties(value))

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

    @abstractmethod
    def paragraph(self, text: str, where: Where, numbered: bool = False, heading: bool = False, lead: str = "", level: int = 0) -> None:
        """A paragraph's text, read as docx_parse reads paragraphs (table cells that hold paragraphs come here)."""
