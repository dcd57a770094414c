"""Job-description records (docx_parse) → role and department file texts, and the review report.

Everything a person should look at is said twice: as a YAML comment at the value in the file, and
as a review item pointing at the place in the Word document. The files are written to pass
``check``: a value that would fail it (a superior not in the handbook, percentages that do not add
up to 100, a date that is no date) is left out and kept in a comment instead, so nothing is lost.
Ids come from titles (pinyin for Chinese, a slug for other text), the same every time, never one
that is taken; roles already in the handbook with the same title in the same department keep
theirs. New roles are ``status: draft``.

Beside it: the records it takes and gives (docx_records), the values it reads (docx_values), who
reports to whom (docx_relations, which the mapper is built on) and the file texts (docx_files).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from typing import Any

from rolebook.i18n import Lang, Messages
from rolebook.ids import is_id
from rolebook.labels import label
from rolebook.load import docx_labels as L
from rolebook.load.docx_files import ORDER, updated_text, with_comments
from rolebook.load.docx_reader import Where
from rolebook.load.docx_records import DeptRec, JobRec, Known, Mapped, Parsed, Review, RoleDraft, Source, where_text
from rolebook.load.docx_relations import TAGGED, RoleRelations
from rolebook.load.docx_values import cn_number, parse_date, slug, unique_id, value_of
from rolebook.load.files import DEPARTMENT_FILE, ROLES_DIR
from rolebook.load.yamledit import dump_yaml


class Mapper(RoleRelations):
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
        self.roles: list[RoleDraft] = []

    def say(self, src: Source, where: Where, target: str, msg_id: str, error: bool = False, **args: Any) -> str:
        text = self.msgs.text(msg_id, **args)
        self.reviews.append(Review(src.name, where, target, text, error))
        return text

    # -- departments -----------------------------------------------------

    def dept_from_records(self, src: Source) -> list[tuple[str, str]]:
        """The department blocks of a document (rolebook's department pages): (id, name) of each."""
        out: list[tuple[str, str]] = []
        for d in src.parsed.depts:
            name = value_of(d.fields.get("dept_name"))
            given = value_of(d.fields.get("dept_id"))
            given = given if given and is_id(given) else None
            if name is None and given is None:
                continue  # an id is never made up from what stands beside the 部门标识 label: only from a name
            ident = given if given is not None else self.dept_id(name or "", create=False)
            self.dept_files[ident] = self.dept_data(d, name or ident)
            self.dept_names[ident] = name or ident
            out.append((ident, name or ident))
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
        tagged = TAGGED.fullmatch(text)
        if tagged and tagged.group(2) in self.dept_names:
            return tagged.group(2)
        by_name = L.named(text, self.dept_names.items())
        return by_name[0] if by_name else (text if text in self.dept_names else None)

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

    def role_of(self, src: Source, job: JobRec, by_name: list[tuple[str, str]]) -> RoleDraft:
        title = value_of(job.fields["title"]) or ""
        dept_name = value_of(job.fields.get("department"))
        if self.department is not None:
            dept = self.department
            if dept not in self.dept_names:  # a new department: named as the document names it
                self.dept_names[dept] = dept_name or dept
                self.dept_files[dept] = {"name": dept_name or dept}
        elif dept_name and src.rolebook and self.known_dept(dept_name):
            dept = self.known_dept(dept_name) or ""
        elif dept_name and L.named(dept_name, by_name):
            dept = L.named(dept_name, by_name)[-1]
        elif dept_name:
            dept = self.dept_id(dept_name)
        else:
            dept = self.dept_id(self.msgs.text("docx/unassigned-name"))
        given = value_of(job.fields.get("role_id"))
        same = next(iter(L.named(title, ((r, r.name) for r in self.known_roles if r.department == dept))), None)
        if given and is_id(given) and given not in {r.ident for r in self.roles}:
            ident = given
            self.taken_roles.add(ident)
        elif same is not None and same.ident not in {r.ident for r in self.roles}:
            ident = same.ident
        else:
            ident = unique_id(slug(title), self.taken_roles, "role")
        role = RoleDraft(src, job, ident, dept)
        if not dept_name and self.department is None:
            self.say(src, job.start, self.rel(role), "docx/no-department", what=self.dept_names[dept])
        return role

    def rel(self, role: RoleDraft) -> str:
        return f"{ROLES_DIR}/{role.dept}/{role.ident}.yaml"

    # -- putting it together ---------------------------------------------

    def build(self) -> None:
        for role in self.roles:
            self.fill(role)
        self.resolve()

    def fill(self, role: RoleDraft) -> None:
        job, src, d = role.rec, role.source, role.data
        d["number"] = self.number(role)
        d["title"] = value_of(job.fields["title"])
        self.headcount(role)
        self.status(role)
        for key in ("effective_date", "approval_date"):
            date = value_of(job.fields.get(key))
            if date:
                iso = parse_date(date)
                if iso:
                    d[key] = iso
                else:
                    role.head.append(self.say(src, job.fields[key].where, self.rel(role), "docx/bad-date", value=date))
        for key in ("approver", "revision"):
            v = value_of(job.fields.get(key))
            if v:
                d[key] = v
        self.summary(role)
        self.relationships(role)
        self.qualifications(role)
        self.duties(role)
        self.leftovers(role)

    def number(self, role: RoleDraft) -> str:
        found = role.rec.fields.get("number")
        v = value_of(found)
        if v:
            return v
        placeholder = f"（待填写）{role.ident}" if self.lang == "zh" else f"(to fill in) {role.ident}"
        role.note(("number",), self.say(role.source, role.rec.start, self.rel(role), "docx/no-number"))
        return placeholder

    def headcount(self, role: RoleDraft) -> None:
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

    def staffing(self, role: RoleDraft) -> int | None:
        title = L.key(role.data["title"])
        for d in role.source.parsed.depts:
            for name, n, _ in d.staffing:
                if L.key(name) == title and n >= 1:
                    return n
        return None

    def status(self, role: RoleDraft) -> None:
        v = value_of(role.rec.fields.get("status"))
        approved = v is not None and L.key(v) in {"已审核", "approved", "已批准", "已审批"}
        if approved and role.source.rolebook:
            role.data["status"] = "approved"
            return
        role.data["status"] = "draft"
        if approved:
            role.note(("status",), self.say(role.source, role.rec.fields["status"].where, self.rel(role), "docx/kept-draft", value=v))

    def summary(self, role: RoleDraft) -> None:
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

    def relationships(self, role: RoleDraft) -> None:
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

    def qualifications(self, role: RoleDraft) -> None:
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

    def duties(self, role: RoleDraft) -> None:
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

    def leftovers(self, role: RoleDraft) -> None:
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

    # -- file texts ------------------------------------------------------

    def texts(self, modeline: Callable[[str, str], str], old_text: Callable[[str], str | None]) -> dict[str, str]:
        out: dict[str, str] = {}
        for ident, data in sorted(self.dept_files.items()):
            rel = f"{ROLES_DIR}/{ident}/{DEPARTMENT_FILE}"
            out[rel] = updated_text(old_text(rel), data, rel) or dump_yaml(data, [modeline(rel, "department")], rel)
        for role in self.roles:
            rel = self.rel(role)
            data = {k: role.data[k] for k in ORDER if k in role.data}
            updated = updated_text(old_text(rel), data, rel)
            if updated is not None:
                out[rel] = updated
                continue
            head = [modeline(rel, "role"), self.msgs.text("docx/imported-from", file=role.source.name, where=where_text(role.rec.start, self.msgs))]
            head += [f"  {line}" if i else line for part in role.head for i, line in enumerate(part.splitlines())]
            out[rel] = with_comments(dump_yaml(data, head, rel), role.comments, rel)
        return out


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
