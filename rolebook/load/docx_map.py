"""Job-description records (docx_parse) → role and department file texts, and the review report.

Everything a person should look at is said twice: as a YAML comment at the value in the file, and
as a review item pointing at the place in the Word document. The files are written to pass
``check``: a value that would fail it (a superior not in the handbook, percentages that do not add
up to 100, a date that is no date) is left out and kept in a comment instead, so nothing is lost.
Ids come from titles (pinyin for Chinese, a slug for other text), the same every time, never one
that is taken; roles already in the handbook with the same title in the same department keep
theirs. New roles are ``status: draft``.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from rolebook.bilingual import HAN, keep_translations
from rolebook.i18n import Lang, Messages
from rolebook.ids import ID_RE, WINDOWS_RESERVED
from rolebook.labels import label
from rolebook.load import docx_labels as L
from rolebook.load.docx_parse import DeptRec, Found, JobRec, Parsed, split_outside_brackets
from rolebook.load.docx_reader import Where
from rolebook.load.files import DEPARTMENT_FILE, ROLES_DIR
from rolebook.load.yamledit import dump_yaml, update_yaml
from rolebook.load.yamlstrict import Document, parse_yaml

_TAGGED = re.compile(r"(.*?)\s*[(（]\s*([a-z0-9]+(?:-[a-z0-9]+)*)\s*[)）]")  # "客服主管（cs-supervisor）"
EMPTY_VALUES = {"", "—", "-", "–", "/", "无", "暂无", "none", "n/a", "na", "nil", "空"}
MAX_ID = 48


@dataclass(frozen=True)
class Review:
    source: str  # the document's name as given
    where: Where
    target: str  # the file it is about ('' for the document as a whole)
    message: str
    error: bool = False  # the document (or a job description in it) could not be imported


@dataclass(frozen=True)
class Known:
    """A role or department already in the handbook."""

    ident: str
    name: str  # title or department name
    department: str = ""


@dataclass
class Source:
    name: str
    parsed: Parsed
    rolebook: bool  # made by rolebook's own export: its ids, status and settings are taken as written
    subject: str = ""  # the document's subject (rolebook's exports: the organisation)
    language: str = ""  # the document's language (rolebook's exports: zh-CN or en-GB)
    paper: str = ""  # the document's paper ("a4", "letter"), for a new handbook made from rolebook's export


@dataclass
class _Role:
    source: Source
    rec: JobRec
    ident: str
    dept: str
    data: dict[str, Any] = field(default_factory=dict)
    comments: dict[tuple[str | int, ...], list[str]] = field(default_factory=dict)
    head: list[str] = field(default_factory=list)

    def note(self, path: tuple[str | int, ...], text: str) -> None:
        self.comments.setdefault(path, []).append(text)


@dataclass(frozen=True)
class Mapped:
    files: dict[str, str]  # relative path -> text
    reviews: tuple[Review, ...]
    roles: int
    language: Lang


def where_text(where: Where, msgs: Messages) -> str:
    if where.table:
        if where.col:
            text = msgs.text("docx/where-cell", table=where.table, row=where.row, col=where.col)
        else:
            text = msgs.text("docx/where-row", table=where.table, row=where.row)
    else:
        text = msgs.text("docx/where-paragraph", n=where.paragraph)
    return msgs.text(f"docx/where-{where.part}", where=text) if where.part in ("header", "footer") else text


def slug(text: str) -> str:
    """An id from a title or name: pinyin for Chinese characters, a lower-case slug for the rest."""
    from pypinyin import lazy_pinyin

    words = lazy_pinyin(unicodedata.normalize("NFKC", text))
    ascii_text = unicodedata.normalize("NFKD", " ".join(words)).encode("ascii", "ignore").decode().lower()
    out = re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")
    if len(out) > MAX_ID:
        out = out[:MAX_ID].rsplit("-", 1)[0]
    return out


def unique_id(base: str, taken: set[str], fallback: str) -> str:
    base = base if base and base not in WINDOWS_RESERVED else fallback
    ident, n = base, 1
    while ident in taken:
        n += 1
        ident = f"{base}-{n}"
    taken.add(ident)
    return ident


def value_of(found: Found | None) -> str | None:
    if found is None:
        return None
    if found.exact:
        return found.text.strip() or None
    text = found.text.strip().strip(",，;；").strip()
    return None if L.key(text) in EMPTY_VALUES or not text else text


_MONTHS = {m: n for n, names in enumerate(
    (("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",), ("jun", "june"),
     ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"), ("oct", "october"), ("nov", "november"),
     ("dec", "december")), start=1) for m in names}  # fmt: skip
_CN_DIGITS = dict(zip("〇零一二三四五六七八九两", [0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 2], strict=True))


def cn_number(text: str) -> int | None:
    """A number written in Chinese: "六" 6, "十二" 12, "三十一" 31, "二〇〇六" 2006 (digit by digit)."""
    if not text or any(ch not in _CN_DIGITS and ch != "十" for ch in text):
        return None
    if "十" not in text:
        return int("".join(str(_CN_DIGITS[ch]) for ch in text))
    tens, _, ones = text.partition("十")
    if "十" in ones or len(tens) > 1 or len(ones) > 1:
        return None
    return (_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[ones] if ones else 0)


def parse_date(text: str) -> str | None:
    """A date as YYYY-MM-DD from the ways documents write it: 2006年6月1日, 二〇〇六年六月一日, 2006.6.1, 2006/06/01,
    1 June 2006, June 1st, 2006, 01/06/2006 when the day is over 12. None when it is no full date, or ambiguous."""
    t = unicodedata.normalize("NFKC", text).strip()
    t = re.sub(r"[〇零一二三四五六七八九十两]+(?=\s*[年月日号])", lambda m: str(cn_number(m.group()) or m.group()), t)
    ymd = re.search(r"(?<![0-9])([0-9]{4})\s*[-/.年]\s*([0-9]{1,2})\s*[-/.月]\s*([0-9]{1,2})(?![0-9])\s*[日号]?", t)
    if ymd:
        return _iso(int(ymd.group(1)), int(ymd.group(2)), int(ymd.group(3)))
    low = t.lower()
    words = r"([a-z]{3,9})\.?"
    dmy = re.search(r"(?<![0-9])([0-9]{1,2})(?:st|nd|rd|th)?\s*(?:of\s+)?" + words + r",?\s*([0-9]{4})(?![0-9])", low)
    if dmy and dmy.group(2) in _MONTHS:
        return _iso(int(dmy.group(3)), _MONTHS[dmy.group(2)], int(dmy.group(1)))
    mdy = re.search(words + r"\s+([0-9]{1,2})(?:st|nd|rd|th)?,?\s+([0-9]{4})(?![0-9])", low)
    if mdy and mdy.group(1) in _MONTHS:
        return _iso(int(mdy.group(3)), _MONTHS[mdy.group(1)], int(mdy.group(2)))
    num = re.search(r"(?<![0-9])([0-9]{1,2})[/.\-]([0-9]{1,2})[/.\-]([0-9]{4})(?![0-9])", t)
    if num:
        a, b, year = int(num.group(1)), int(num.group(2)), int(num.group(3))
        if a > 12 >= b:
            return _iso(year, b, a)  # 25/06/2006: day first
        if b > 12 >= a:
            return _iso(year, a, b)  # 06/25/2006: month first
    return None


def _iso(year: int, month: int, day: int) -> str | None:
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None


class Mapper:
    def __init__(self, msgs: Messages, roles: list[Known], depts: list[Known], department: str | None, lang: Lang) -> None:
        self.msgs = msgs
        self.lang = lang
        self.known_roles = roles
        self.known_depts = depts
        self.department = department
        self.reviews: list[Review] = []
        self.taken_roles = {r.ident for r in roles}
        self.dept_files: dict[str, dict[str, Any]] = {}
        self.dept_names: dict[str, str] = {d.ident: d.name for d in depts}
        self.roles: list[_Role] = []

    def say(self, src: Source, where: Where, target: str, msg_id: str, error: bool = False, **args: Any) -> str:
        text = self.msgs.text(msg_id, **args)
        self.reviews.append(Review(src.name, where, target, text, error))
        return text

    # -- departments -----------------------------------------------------

    def dept_from_records(self, src: Source) -> dict[str, str]:
        """The department blocks of a document (rolebook's department pages): name -> id."""
        out: dict[str, str] = {}
        for d in src.parsed.depts:
            name = value_of(d.fields.get("dept_name"))
            given = value_of(d.fields.get("dept_id"))
            given = given if given and ID_RE.fullmatch(given) and given not in WINDOWS_RESERVED else None
            if name is None and given is None:
                continue  # an id is never made up from what stands beside the 部门标识 label: only from a name
            ident = given if given is not None else self.dept_id(name or "", create=False)
            self.dept_files[ident] = self.dept_data(d, name or ident)
            self.dept_names[ident] = name or ident
            out[L.key(name or ident)] = ident
        for data in self.dept_files.values():
            parent = data.get("parent")
            if parent is not None:
                match = self.known_dept(parent)
                if match:
                    data["parent"] = match
                else:
                    del data["parent"]
        return out

    def known_dept(self, text: str) -> str | None:
        """The department ``text`` names among those known so far: by "name（id）" (rolebook's export, when two
        have the same name), by name, or by id."""
        text = text.strip()
        tagged = _TAGGED.fullmatch(text)
        if tagged and tagged.group(2) in self.dept_names:
            return tagged.group(2)
        by_name = next((i for i, n in self.dept_names.items() if L.key(n) == L.key(text)), None)
        return by_name or (text if text in self.dept_names else None)

    def dept_data(self, d: DeptRec, name: str) -> dict[str, Any]:
        data: dict[str, Any] = {"name": name}
        parent = value_of(d.fields.get("dept_parent"))
        if parent:
            data["parent"] = parent
        order = value_of(d.fields.get("dept_order"))
        if order and re.fullmatch(r"-?[0-9]{1,6}", order):
            data["order"] = int(order)
        desc = value_of(d.fields.get("dept_description"))
        if desc:
            data["description"] = desc
        if d.duties:
            data["duties"] = [f.text for f in d.duties]
        if d.requirements:
            data["requirements"] = [f.text for f in d.requirements]
        if d.workflows:
            data["workflows"] = [{"name": n.text, **({"steps": [s.text for s in steps]} if steps else {})} for n, steps in d.workflows]
        return data

    def dept_id(self, name: str, create: bool = True) -> str:
        """The id of the department called ``name``: the handbook's, one made in this import, or a new one."""
        if self.department is not None:
            return self.department
        known = self.known_dept(name)
        if known is not None:
            return known
        if name.strip().lower() in self.dept_names:
            return name.strip().lower()
        taken = set(self.dept_names)
        ident = unique_id(slug(name), taken, "department")
        self.dept_names[ident] = name
        if create:
            self.dept_files[ident] = {"name": name}
        return ident

    # -- roles -----------------------------------------------------------

    def add_source(self, src: Source) -> int:
        by_name = self.dept_from_records(src)
        jobs = [j for j in src.parsed.jobs if self.is_job(j)]
        for job in src.parsed.jobs:
            if jobs and job not in jobs and job.has_content():
                self.say(src, job.start, "", "docx/not-a-job", error=True)
        for job in jobs:
            self.roles.append(self.role_of(src, job, by_name))
        if not jobs:
            self.say(src, Where(), "", self.why_nothing(src.parsed), error=True)
        return len(jobs)

    def is_job(self, job: JobRec) -> bool:
        return value_of(job.fields.get("title")) is not None and bool(job.duties or job.summary or job.quals or job.relationships or len(job.fields) > 2)

    def why_nothing(self, parsed: Parsed) -> str:
        if any(j.empty_labels and value_of(j.fields.get("title")) is None for j in parsed.jobs):
            return "docx/blank-template"
        if any(j.duties and value_of(j.fields.get("title")) is None for j in parsed.jobs) or parsed.depts:
            return "docx/duty-list"
        return "docx/no-job"

    def role_of(self, src: Source, job: JobRec, by_name: dict[str, str]) -> _Role:
        title = value_of(job.fields["title"]) or ""
        dept_name = value_of(job.fields.get("department"))
        if self.department is not None:
            dept = self.department
            if dept not in self.dept_names:  # a new department: named as the document names it
                self.dept_names[dept] = dept_name or dept
                self.dept_files[dept] = {"name": dept_name or dept}
        elif dept_name and src.rolebook and self.known_dept(dept_name):
            dept = self.known_dept(dept_name) or ""
        elif dept_name and L.key(dept_name) in by_name:
            dept = by_name[L.key(dept_name)]
        elif dept_name:
            dept = self.dept_id(dept_name)
        else:
            dept = self.dept_id(self.msgs.text("docx/unassigned-name"))
        given = value_of(job.fields.get("role_id"))
        same = next((r for r in self.known_roles if L.key(r.name) == L.key(title) and r.department == dept), None)
        if given and ID_RE.fullmatch(given) and given not in {r.ident for r in self.roles}:
            ident = given
            self.taken_roles.add(ident)
        elif same is not None and same.ident not in {r.ident for r in self.roles}:
            ident = same.ident
        else:
            ident = unique_id(slug(title), self.taken_roles, "role")
        role = _Role(src, job, ident, dept)
        if not dept_name and self.department is None:
            self.say(src, job.start, self.rel(role), "docx/no-department", what=self.dept_names[dept])
        return role

    def rel(self, role: _Role) -> str:
        return f"{ROLES_DIR}/{role.dept}/{role.ident}.yaml"

    # -- putting it together ---------------------------------------------

    def build(self) -> None:
        for role in self.roles:
            self.fill(role)
        self.resolve()

    def fill(self, role: _Role) -> None:
        job, src, d = role.rec, role.source, role.data
        d["number"] = self.number(role)
        d["title"] = value_of(job.fields["title"])
        self.headcount(role)
        self.status(role)
        date = value_of(job.fields.get("effective_date"))
        if date:
            iso = parse_date(date)
            if iso:
                d["effective_date"] = iso
            else:
                role.head.append(self.say(src, job.fields["effective_date"].where, self.rel(role), "docx/bad-date", value=date))
        for key in ("approver", "revision"):
            v = value_of(job.fields.get(key))
            if v:
                d[key] = v
        self.summary(role)
        self.relationships(role)
        self.qualifications(role)
        self.duties(role)
        self.leftovers(role)

    def number(self, role: _Role) -> str:
        found = role.rec.fields.get("number")
        v = value_of(found)
        if v:
            return v
        placeholder = f"（待填写）{role.ident}" if self.lang == "zh" else f"(to fill in) {role.ident}"
        role.note(("number",), self.say(role.source, role.rec.start, self.rel(role), "docx/no-number"))
        return placeholder

    def headcount(self, role: _Role) -> None:
        found = role.rec.fields.get("headcount")
        v = value_of(found)
        m = re.search(r"[0-9]{1,6}", unicodedata.normalize("NFKC", v)) if v else None
        cn = re.match(r"^\s*([一二三四五六七八九十两]{1,3})\s*(?:人|名|个|位)?\s*$", v) if v and m is None else None
        n = int(m.group()) if m else cn_number(cn.group(1)) if cn else None
        if n is not None and n >= 1:
            role.data["headcount"] = n
            return
        staffed = self.staffing(role)
        if staffed is not None:
            role.data["headcount"] = staffed
            return
        role.data["headcount"] = 1
        role.note(("headcount",), self.say(role.source, role.rec.start, self.rel(role), "docx/no-headcount"))

    def staffing(self, role: _Role) -> int | None:
        title = L.key(role.data["title"])
        for d in role.source.parsed.depts:
            for name, n, _ in d.staffing:
                if L.key(name) == title and n >= 1:
                    return n
        return None

    def status(self, role: _Role) -> None:
        v = value_of(role.rec.fields.get("status"))
        approved = v is not None and L.key(v) in {"已审核", "approved", "已批准", "已审批"}
        if approved and role.source.rolebook:
            role.data["status"] = "approved"
            return
        role.data["status"] = "draft"
        if approved:
            role.note(("status",), self.say(role.source, role.rec.fields["status"].where, self.rel(role), "docx/kept-draft", value=v))

    def summary(self, role: _Role) -> None:
        items: list[Any] = []
        last = -1
        for group, found, no in role.rec.summary:
            if group is None:
                items.append(found.text)
            elif items and isinstance(items[-1], dict) and no == last:
                items[-1]["items"].append(found.text)
            else:
                items.append({"group": group, "items": [found.text]})
            last = no
        if items:
            role.data["summary"] = items

    def relationships(self, role: _Role) -> None:
        recs = {r.side: r for r in role.rec.relationships}
        if not recs:
            return
        first = role.rec.relationships[0]
        inside, outside = recs.get("internal"), recs.get("external")
        if inside and outside and inside.percent is not None and outside.percent is not None and inside.percent + outside.percent == 100:
            role.data["relationships"] = {
                side: {"percent": r.percent, **({"parties": r.parties} if r.parties else {})} for side, r in (("internal", inside), ("external", outside))
            }
            return
        words = "; ".join(f"{label(self.lang, r.side)}: {r.percent if r.percent is not None else '?'}% {'、'.join(r.parties)}" for r in role.rec.relationships)
        if inside and outside and inside.percent is not None and outside.percent is not None:
            msg = self.say(role.source, first.where, self.rel(role), "docx/percent-sum", internal=inside.percent, external=outside.percent)
        else:
            msg = self.say(role.source, first.where, self.rel(role), "docx/no-percent")
        role.head.extend([msg, words])

    def qualifications(self, role: _Role) -> None:
        q = role.rec.quals
        if not q:
            return
        sep = "；" if self.lang == "zh" else "; "
        out: dict[str, str] = {}
        for key in ("education", "experience", "abilities", "other"):
            if q.get(key):
                out[key] = sep.join(f.text for f in q[key] if f.text)
                if key in role.rec.qual_guessed:
                    role.note(
                        ("qualifications", key),
                        self.say(role.source, q[key][0].where, self.rel(role), "docx/guessed-qualification", field=self.msgs.text(f"docx/field-{key}")),
                    )
        if q.get("major"):
            major = sep.join(f.text for f in q["major"])
            out["education"] = (out["education"] + sep if out.get("education") else "") + major
        for key in ("education", "experience"):
            if not out.get(key):
                out[key] = "（待填写）" if self.lang == "zh" else "(to fill in)"
                role.note(
                    ("qualifications", key),
                    self.say(role.source, role.rec.start, self.rel(role), "docx/missing-qualification", field=self.msgs.text(f"docx/field-{key}")),
                )
        role.data["qualifications"] = {k: out[k] for k in ("education", "experience", "abilities", "other") if out.get(k)}

    def duties(self, role: _Role) -> None:
        job = role.rec
        duties = job.duties
        if duties and job.kpi_list and not any(d.kpis for d in duties):
            if len(job.kpi_list) == len(duties):
                for d, k in zip(duties, job.kpi_list, strict=True):
                    d.kpis.append(k.text)
                    d.kpi_guessed = True
            else:
                role.head.append(self.say(role.source, job.kpi_list[0].where, self.rel(role), "docx/kpis-apart"))
                role.head.extend(k.text for k in job.kpi_list)
        items: list[Any] = []
        noted: set[tuple[int, tuple[str, ...]]] = set()
        last = -1
        for n, d in enumerate(duties):
            entry: dict[str, Any] = {"duty": self.with_columns(d.text, d.columns), **({"kpis": d.kpis} if d.kpis else {})}
            if d.group is None:
                last = d.group_no
                path: tuple[str | int, ...] = ("duties", len(items))
                items.append(entry)
            else:
                if not (items and isinstance(items[-1], dict) and items[-1].get("group") == d.group and d.group_no == last):
                    items.append({"group": d.group, "duties": []})
                last = d.group_no
                path = ("duties", len(items) - 1, "duties", len(items[-1]["duties"]))
                items[-1]["duties"].append(entry)
            if d.kpi_guessed:
                role.note(path, self.say(role.source, d.where, self.rel(role), "docx/guessed-kpi", n=n + 1))
            if d.columns and (d.where.table, tuple(h for h, _ in d.columns)) not in noted:
                noted.add((d.where.table, tuple(h for h, _ in d.columns)))  # once a table
                heads = "、".join(h for h, _ in d.columns if h) if self.lang == "zh" else ", ".join(h for h, _ in d.columns if h)
                role.note(path, self.say(role.source, d.where, self.rel(role), "docx/duty-columns", n=n + 1, columns=heads or "?"))
        if not items:
            items = [{"duty": "（待填写）" if self.lang == "zh" else "(to fill in)"}]
            role.note(("duties",), self.say(role.source, job.start, self.rel(role), "docx/no-duties"))
        bare = [n for n, d in enumerate(duties, start=1) if not d.kpis]
        if bare and not role.source.rolebook:  # check warns about these once the position is approved
            sep = "、" if self.lang == "zh" else ", "
            where = duties[bare[0] - 1].where
            role.note(("duties",), self.say(role.source, where, self.rel(role), "docx/no-kpis", duties=sep.join(map(str, bare))))
        role.data["duties"] = items

    def with_columns(self, text: str, columns: list[tuple[str, str]]) -> str:
        """A duty with the columns rolebook has no field for (权重, Frequency) after it in brackets."""
        if not columns:
            return text
        if self.lang == "zh":
            return text + "（" + "，".join(f"{h}：{v}" if h else v for h, v in columns) + "）"
        return text + " (" + "; ".join(f"{h}: {v}" if h else v for h, v in columns) + ")"

    def leftovers(self, role: _Role) -> None:
        job, src = role.rec, role.source
        for name, first, again in job.twice:
            role.head.append(
                self.say(src, again.where, self.rel(role), "docx/twice", field=self.msgs.text(f"docx/field-{name}"), first=first.text, value=again.text)
            )
        sep = "；" if self.lang == "zh" else "; "
        for extra in job.extras:
            pieces = [extra.value, *extra.lines] if extra.value else extra.lines
            value = sep.join(p.rstrip("；;，, ") if i < len(pieces) - 1 else p for i, p in enumerate(pieces))
            if not value:
                continue
            text = f"{extra.label}：{value}" if self.lang == "zh" else f"{extra.label}: {value}"
            msg_id = "docx/unknown-part" if extra.part else "docx/unknown-label"
            if extra.section == "qualifications":
                quals = role.data.setdefault("qualifications", {})
                quals["other"] = (quals["other"] + sep if quals.get("other") else "") + text
                for key in ("education", "experience"):
                    if key not in quals:
                        quals[key] = "（待填写）" if self.lang == "zh" else "(to fill in)"
                role.note(
                    ("qualifications", "other"),
                    self.say(src, extra.where, self.rel(role), msg_id, label=extra.label, field=self.msgs.text("docx/field-other")),
                )
            else:
                summary = role.data.setdefault("summary", [])
                role.note(
                    ("summary", len(summary)),
                    self.say(src, extra.where, self.rel(role), msg_id, label=extra.label, field=self.msgs.text("docx/field-summary")),
                )
                summary.append(text)
        for found in job.unplaced:
            role.head.append(self.say(src, found.where, self.rel(role), "docx/unplaced", text=_short(found.text)))
            role.head.append(found.text)

    # -- superiors and subordinates ---------------------------------------

    def candidates(self) -> list[Known]:
        mine = [Known(r.ident, r.data["title"], r.dept) for r in self.roles]
        return mine + [k for k in self.known_roles if k.ident not in {m.ident for m in mine}]

    def find(self, title: str, dept: str, me: str) -> tuple[str | None, str | None]:
        """(id, title) of the role called ``title`` — exactly, preferring the same department — or of the nearest
        title, returned as (None, suggestion id) when only a near one exists."""
        pool = [k for k in self.candidates() if k.ident != me]
        tagged = _TAGGED.fullmatch(title.strip())
        if tagged and any(k.ident == tagged.group(2) for k in pool):  # "客服主管（cs-supervisor）": rolebook's own, when titles repeat
            return tagged.group(2), None
        exact = [k for k in pool if L.key(k.name) == L.key(title) or k.ident == title.strip()]
        if exact:
            exact.sort(key=lambda k: (k.department != dept, k.ident))
            return exact[0].ident, None
        names = {L.key(k.name): k for k in sorted(pool, key=lambda k: (k.department != dept, k.ident), reverse=True)}
        near = difflib.get_close_matches(L.key(title), list(names), n=1, cutoff=0.6)
        return None, names[near[0]].ident if near else None

    def resolve(self) -> None:
        titles = {k.ident: k.name for k in self.candidates()}
        for role in self.roles:
            found = role.rec.fields.get("reports_to")
            wanted = value_of(found)
            if not wanted or found is None:
                continue
            ident, near = self.find(wanted, role.dept, role.ident)
            if ident is None and near is not None:
                ident = near
                role.note(
                    ("reports_to",), self.say(role.source, found.where, self.rel(role), "docx/guessed-superior", value=wanted, title=titles[near], id=near)
                )
            if ident is None:
                role.head.append(self.say(role.source, found.where, self.rel(role), "docx/no-superior", value=wanted))
                continue
            role.data["reports_to"] = ident
        self.subordinates(titles)
        self.break_loops()

    def subordinates(self, titles: Mapping[str, str]) -> None:
        by_id = {r.ident: r for r in self.roles}
        for role in self.roles:
            found = role.rec.fields.get("subordinates")
            listed = value_of(found)
            if not listed or found is None:
                continue
            names = listed.split("\n") if "\n" in listed else split_outside_brackets(listed)
            for name in names:
                name = L.strip_numbering(name, 1).strip()
                if not name or L.key(name) in EMPTY_VALUES:
                    continue
                ident, near = self.find(name, role.dept, role.ident)
                sub = by_id.get(ident or near or "")
                if ident is None and near is None:
                    role.head.append(self.say(role.source, found.where, self.rel(role), "docx/no-subordinate", value=name))
                elif sub is None:
                    continue  # a role already in the handbook: its own file says whom it reports to
                elif "reports_to" not in sub.data:
                    sub.data["reports_to"] = role.ident
                    sub.note(("reports_to",), self.say(sub.source, found.where, self.rel(sub), "docx/superior-from-list", title=role.data["title"]))
                elif sub.data["reports_to"] != role.ident:
                    shown = titles.get(sub.data["reports_to"], sub.data["reports_to"])
                    role.head.append(self.say(role.source, found.where, self.rel(role), "docx/subordinate-mismatch", value=name, other=shown))
                elif ident is None:
                    role.head.append(
                        self.say(role.source, found.where, self.rel(role), "docx/guessed-subordinate", value=name, title=titles.get(sub.ident, ""))
                    )

    def break_loops(self) -> None:
        by_id = {r.ident: r for r in self.roles}
        for role in self.roles:
            seen: list[str] = []
            cur: str | None = role.ident
            while cur is not None and cur in by_id and cur not in seen:
                seen.append(cur)
                cur = by_id[cur].data.get("reports_to")
            if cur is not None and cur == role.ident:
                sup = role.data.pop("reports_to")
                found = role.rec.fields.get("reports_to")
                role.head.append(self.say(role.source, found.where if found else role.rec.start, self.rel(role), "docx/loop", chain=" → ".join([*seen, sup])))

    # -- file texts ------------------------------------------------------

    def texts(self, modeline: Callable[[str, str], str], old_text: Callable[[str], str | None]) -> dict[str, str]:
        out: dict[str, str] = {}
        for ident, data in sorted(self.dept_files.items()):
            rel = f"{ROLES_DIR}/{ident}/{DEPARTMENT_FILE}"
            out[rel] = _updated(old_text(rel), data, rel) or dump_yaml(data, [modeline(rel, "department")], rel)
        for role in self.roles:
            rel = self.rel(role)
            data = {k: role.data[k] for k in ORDER if k in role.data}
            updated = _updated(old_text(rel), data, rel)
            if updated is not None:
                out[rel] = updated
                continue
            head = [modeline(rel, "role"), self.msgs.text("docx/imported-from", file=role.source.name, where=where_text(role.rec.start, self.msgs))]
            head += [f"  {line}" if i else line for part in role.head for i, line in enumerate(part.splitlines())]
            out[rel] = with_comments(dump_yaml(data, head, rel), role.comments, rel)
        return out


def _updated(old: str | None, data: dict[str, Any], rel: str) -> str | None:
    """An existing file with the imported values: only what changed is rewritten (its comments and layout
    stay); ``subordinates``, which import never writes, kept as it was. None when there is no such file."""
    if old is None:
        return None
    doc = parse_yaml(old, rel, Messages("en"))
    if not isinstance(doc, Document) or not isinstance(doc.data, dict):
        return None
    # a Word document is in one language: in a handbook of two, it replaces that language's text only
    lang: Lang = "zh" if HAN.search(str(data.get("title", data.get("name", "")))) else "en"
    merged = keep_translations(dict(data), doc.data, lang)
    if "subordinates" in doc.data:
        merged["subordinates"] = doc.data["subordinates"]
        merged = {k: merged[k] for k in ORDER if k in merged} if "title" in merged else merged
    if merged == doc.data:
        return old
    try:
        return update_yaml(old, merged, rel)
    except Exception:  # what ruamel cannot edit in place is written afresh
        return None


ORDER = (
    "number", "title", "reports_to", "subordinates", "headcount", "status", "effective_date", "approver", "revision",
    "summary", "relationships", "qualifications", "duties",
)  # fmt: skip


def with_comments(text: str, comments: Mapping[tuple[str | int, ...], list[str]], rel: str) -> str:
    """``text`` with '# …' lines above the values at ``comments``' paths (a key's line, or a list item's '- ')."""
    if not comments:
        return text
    from rolebook.i18n import Messages as _M

    doc = parse_yaml(text, rel, _M("en"))
    assert isinstance(doc, Document)
    lines = text.splitlines(keepends=True)
    inserts: dict[int, list[str]] = {}
    for path, notes in comments.items():
        pos = doc.keys.get(path) if path and isinstance(path[-1], str) else None
        if pos is None:
            pos = doc.values.get(path) or doc.pos(path, key=True)
        line_no, _col = pos
        row = lines[line_no - 1]
        indent = len(row) - len(row.lstrip(" "))
        inserts.setdefault(line_no - 1, []).extend(f"{' ' * indent}# {n}\n" for note in notes for n in note.splitlines())
    out: list[str] = []
    for i, line in enumerate(lines):
        out.extend(inserts.get(i, []))
        out.append(line)
    result = "".join(out)
    again = parse_yaml(result, rel, _M("en"))
    assert isinstance(again, Document) and again.data == doc.data
    return result


def _short(text: str) -> str:
    return text if len(text) <= 40 else text[:39] + "…"


def map_sources(
    sources: list[Source],
    msgs: Messages,
    roles: list[Known],
    depts: list[Known],
    department: str | None,
    modeline: Callable[[str, str], str],
    old_text: Callable[[str], str | None],
) -> Mapped:
    """Every document's job descriptions as files; what was guessed, missing or left over, as review items."""
    lang = msgs.lang
    m = Mapper(msgs, roles, depts, department, lang)
    count = sum(m.add_source(s) for s in sources)
    m.build()
    files = m.texts(modeline, old_text) if count else {}
    order = {s.name: i for i, s in enumerate(sources)}
    reviews = sorted(m.reviews, key=lambda r: (order.get(r.source, 0), r.where.table == 0 and r.where.paragraph == 0, _order_key(r.where)))
    return Mapped(files, tuple(reviews), count, lang)


def _order_key(where: Where) -> tuple[int, int]:
    return (where.seq, where.col)
