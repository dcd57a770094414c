"""Who reports to whom among the roles a Word import makes: superiors and subordinates named by title,
resolved to ids (exactly, preferring the same department, else the nearest title as a guess to review),
and reporting loops broken. The mapper (docx_map) is built on it."""

from __future__ import annotations

import difflib
import re
from abc import ABC, abstractmethod
from collections.abc import Mapping
from typing import Any

from rolebook.ids import ID_RE
from rolebook.load import docx_labels as L
from rolebook.load.docx_reader import Where
from rolebook.load.docx_records import Known, RoleDraft, Source
from rolebook.load.docx_text import split_outside_brackets
from rolebook.load.docx_values import EMPTY_VALUES, value_of

TAGGED = re.compile(rf"(.*?)\s*[(（]\s*({ID_RE.pattern})\s*[)）]")  # "客服主管（cs-supervisor）"


class RoleRelations(ABC):
    roles: list[RoleDraft]
    known_roles: list[Known]

    @abstractmethod
    def say(self, src: Source, where: Where, target: str, msg_id: str, error: bool = False, **args: Any) -> str:
        """A review item about ``target``, returned as the comment to write into it (the mapper's)."""

    @abstractmethod
    def rel(self, role: RoleDraft) -> str:
        """The role file's path in the handbook (the mapper's)."""

    def candidates(self) -> list[Known]:
        mine = [Known(r.ident, r.data["title"], r.dept) for r in self.roles]
        return mine + [k for k in self.known_roles if k.ident not in {m.ident for m in mine}]

    def find(self, title: str, dept: str, me: str) -> tuple[str | None, str | None]:
        """(id, title) of the role called ``title`` — exactly, preferring the same department — or of the nearest
        title, returned as (None, suggestion id) when only a near one exists."""
        pool = [k for k in self.candidates() if k.ident != me]
        tagged = TAGGED.fullmatch(title.strip())
        if tagged and any(k.ident == tagged.group(2) for k in pool):  # "客服主管（cs-supervisor）": rolebook's own, when titles repeat
            return tagged.group(2), None
        exact = L.named(title, ((k, k.name) for k in pool)) or [k for k in pool if k.ident == title.strip()]
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
