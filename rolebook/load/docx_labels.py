"""How to tell the words job descriptions use for their fields and parts (listed in docx_words.py), and the
patterns of their headings, numbering and KPI separators.

A label is compared after ``key()``: full-width forms folded (NFKC), spaces, colons and the usual
brackets removed, lower case — so "职 位 名 称：", "职位名称:" and "Job Title" all match. A label
that starts with a known one and goes on for a few characters ("直接上级职位名称", "学历要求")
matches it too.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from typing import TypeVar

from rolebook.load.docx_words import DEPT_FIELDS, DUTY_COLUMNS, FIELDS, KEPT_LABELS, KEPT_SECTIONS, QUALIFICATIONS, RELATIONSHIPS, SECTIONS

# A heading that names a whole job description: "物业助理岗位说明书", "Job Description: Receptionist".
JD_SUFFIX = re.compile(r"^(?P<title>.{1,80}?)\s*的?(岗位说明书|职位说明书|岗位职责说明书|职务说明书|岗位描述|职位描述|岗位职责|工作说明书|岗位说明|职位说明)$")
JD_PREFIX = re.compile(r"^(job description|position description|role profile|role description|job profile)\s*[:：\-–—]?\s*(?P<title>.{1,100})$", re.IGNORECASE)
JD_WORDS = re.compile(
    r"^(岗位说明书|职位说明书|职务说明书|工作说明书|岗位职责说明书|job description|position description|role profile|job profile|role description)$",
    re.IGNORECASE,
)

_ROMAN = r"(?=[ivx])(?:x{0,3}(?:ix|iv|v?i{0,3}))"
_UNITS = r"(?:年|个|月|周|天|日|人|名|次|小时|万|千|百|倍|岁|%|％|years?\b|yrs?\b|months?\b|weeks?\b|days?\b|hours?\b|people\b|persons?\b|times\b|percent\b)"
# numbering typed as text at the start of a line
NUMBERING = re.compile(
    r"^\s*(?:"
    r"第[一二三四五六七八九十百0-9]+(?:部分|章|节|条|项|部)\s*[:：、.．]?"
    r"|(?i:part|section|chapter|article|schedule)\s*(?:[0-9]{1,3}|(?i:" + _ROMAN + r")|[A-Za-z])(?![A-Za-z0-9])\s*[:：.．、)）\-–—]*"
    r"|[(（]\s*(?:[0-9]{1,3}|[一二三四五六七八九十]{1,3}|[a-zA-Z]|(?i:" + _ROMAN + r"))\s*[)）]\s*[、.．]?"
    r"|[①-⑳⑴-⒇❶-❿➀-➉㈠-㈩]"
    r"|[0-9]{1,3}(?:[.．][0-9]{1,3})+[.．]?(?=\s+(?!" + _UNITS + r"))"  # "1.1 Text" and "1.2. Text"; "2.5 years" is text
    r"|[0-9]{1,3}\s*(?:[、)）]|[.．](?![0-9]))"  # "1、" "1)" "1." ("3.5 …" is a number)
    r"|[0-9]{1,3}(?=\t|\s{2,})"  # "3\tText"; "3 年以上" is text
    r"|[一二三四五六七八九十]{1,3}\s*[、.．]"
    r"|(?i:" + _ROMAN + r")(?<=[ivxIVX])[.．)）](?=\s)"  # "II. Job Summary", "iv) …"
    r"|[a-zA-Z]\s*(?:[)）]|[.．](?=\s))(?=\s*\S)"  # "a) …", "A. …"; not "i.e."
    r"|[•·●○■□◆◇▪►▶➢➤✓✔√\-–—*]\s*(?=\S)(?![0-9])"
    r"|[\uf000-\uf0ff]\s*"  # Symbol-font bullets pasted as text (Wingdings)
    r")\s*"
)
PERCENT = re.compile(r"([0-9]{1,3}(?:\.[0-9]+)?)\s*[%％]")
KPI_SEP = re.compile(r"\s+[—–-]{1,2}\s+|\s*——\s*|\s*—\s*|\s*(?:考核指标|考核标准|考核|KPIs?|kpis?|Measures?)\s*[:：]\s*")
T = TypeVar("T")
_STRIP = re.compile(r"[\s:：()（）\[\]【】<>《》\"'“”‘’_,，、/／.．·*]+")


def key(text: str) -> str:
    """A label as compared: NFKC, no spaces, colons, brackets, commas, slashes or dots, '&' read as 'and', lower case."""
    return _STRIP.sub("", unicodedata.normalize("NFKC", text).replace("&", " and ")).casefold()


def same_name(text: str) -> str:
    """A name as compared before the loose ``key``: NFKC, outer spaces trimmed, lower case — so
    "co-ordinate/" and "'co-ordinate,," stay two names."""
    return unicodedata.normalize("NFKC", text).strip().casefold()


def named(text: str, names: Iterable[tuple[T, str]]) -> list[T]:
    """The items whose name is ``text``: those written the same (``same_name``) when there are any, else
    those whose loose ``key`` is the same (a name typed with other punctuation or spacing)."""
    pairs = list(names)
    exact = [item for item, name in pairs if same_name(name) == same_name(text)]
    return exact or [item for item, name in pairs if key(name) == key(text)]


def _keyed(table: dict[str, tuple[str, ...]]) -> dict[str, str]:
    out: dict[str, str] = {}
    for name, words in table.items():
        for w in words:
            out.setdefault(key(w), name)
    return out


_FIELD_KEYS = _keyed(FIELDS)
_DEPT_KEYS = _keyed(DEPT_FIELDS)
_SECTION_KEYS = _keyed(SECTIONS)
_KEPT_SECTION_KEYS = _keyed(KEPT_SECTIONS)
_KEPT_KEYS = {key(w): "kept" for w in KEPT_LABELS}
_QUAL_KEYS = _keyed(QUALIFICATIONS)
_REL_KEYS = _keyed(RELATIONSHIPS)
_DUTY_KEYS = _keyed(DUTY_COLUMNS)
_TAILS = ("职位名称", "岗位名称", "名称", "职位", "岗位", "要求", "情况", "条件", "描述", "说明", "内容", "信息")
_LEADS = ("job", "key", "main", "position", "role", "the", "primary", "principal", "major", "core", "general", "your", "our")
_EN_TAILS = ("required", "requirements", "information", "details", "title", "name", "s")


def _match(table: dict[str, str], text: str, loose: bool = True) -> str | None:
    k = key(text)
    if not k or len(k) > 48:
        return None
    if k in table:
        return table[k]
    if re.fullmatch(r"[a-z0-9]+", k):
        for lead in _LEADS:
            if k.startswith(lead) and k[len(lead) :] in table:
                return table[k[len(lead) :]]
        if loose:
            for tail in _EN_TAILS:
                if k.endswith(tail) and k[: -len(tail)] in table:
                    return table[k[: -len(tail)]]
    elif loose:
        for tail in _TAILS:
            if k.endswith(tail) and k[: -len(tail)] in table:
                return table[k[: -len(tail)]]
    return None


def field_of(text: str) -> str | None:
    return _match(_FIELD_KEYS, text)


def dept_field_of(text: str) -> str | None:
    """A label of a department block ("名称", "Name"), read only there."""
    return _match(_DEPT_KEYS, text, loose=False)


def kept_label(text: str) -> bool:
    """A label real forms use that rolebook has no field for (职级, Grade/Band, Location, FLSA status)."""
    return _match(_KEPT_KEYS, text, loose=False) is not None


def section_of(text: str) -> str | None:
    """The part a heading names, after its numbering ("第二部分：职责综述", "Part II: Job Summary", "2. KEY RESPONSIBILITIES")."""
    bare = strip_numbering(text)
    return _match(_SECTION_KEYS, bare, loose=False) or _match(_SECTION_KEYS, bare)


def kept_section_of(text: str) -> str | None:
    """A part rolebook has no place for ("工作环境", "Working Conditions"): where its text is kept (summary or qualifications)."""
    return _match(_KEPT_SECTION_KEYS, strip_numbering(text), loose=False)


def qualification_of(text: str) -> str | None:
    return _match(_QUAL_KEYS, strip_numbering(text))


def relationship_of(text: str) -> str | None:
    return _match(_REL_KEYS, strip_numbering(text))


def duty_column_of(text: str) -> str | None:
    return _match(_DUTY_KEYS, text, loose=False)


def any_label(text: str) -> bool:
    """Whether ``text`` is a label of any kind: a field, a part of the form, a qualification, a relationship, a kept one."""
    return bool(field_of(text) or section_of(text) or qualification_of(text) or relationship_of(text) or kept_label(text) or kept_section_of(text))


def strip_numbering(text: str, times: int = 2) -> str:
    """The text without the numbering typed before it ("1、", "（一）", "①", "1.", "a)", "第二部分", "Part 2 —");
    ``times`` numberings at most ("第二部分 1." and "一、(1)" both happen in headings)."""
    out = text.strip()
    for _ in range(times):
        m = NUMBERING.match(out)
        if not m or m.end() == 0:
            break
        out = out[m.end() :].strip()
    return out


def numbered_text(text: str) -> bool:
    m = NUMBERING.match(text)
    return bool(m and m.end() > 0 and text[m.end() :].strip())


def label_pattern(words: list[str]) -> re.Pattern[str]:
    """Finds "LABEL：" / "LABEL:" in a line, longest labels first; spaces inside Chinese labels allowed. A label
    starts the line, or follows a separator: for Chinese labels any space or punctuation, for English ones a
    tab, two spaces, a full-width space or punctuation (so "service level: 95%" is no label)."""
    zh, en = [], []
    for w in sorted(set(words), key=len, reverse=True):
        if re.search(r"[a-zA-Z]", w):
            en.append(r"\b" + r"\s+".join(re.escape(p) for p in w.split()) + r"(?<=[.\w])(?![\w])")
        else:
            zh.append(r"\s*".join(re.escape(ch) for ch in w))
    start = r"(?:^|(?<=[，,；;。|]))\s*"
    return re.compile(
        r"(?:(?:^|(?<=[\s，,；;。|　]))(?P<zh>" + "|".join(zh) + r")"
        r"|(?:" + start + r"|(?<=\t)|(?<=\s\s)|(?<=　))(?P<en>" + "|".join(en) + r"))\s*[:：]\s*",
        re.IGNORECASE,
    )


def _label_words() -> list[str]:
    tables = (FIELDS, QUALIFICATIONS, RELATIONSHIPS)
    words = [w for table in tables for ws in table.values() for w in ws if len(key(w)) > 1]
    words += [w for name in ("summary", "relationships", "qualifications", "duties", "kpis") for w in SECTIONS[name]]
    words += [w for ws in KEPT_SECTIONS.values() for w in ws] + list(KEPT_LABELS)
    return words


ALL_LABELS = label_pattern(_label_words())


def label_of(m: re.Match[str]) -> str:
    return m.group("zh") or m.group("en") or ""


SECTION_LEAD = re.compile(
    r"^(?P<label>"
    + "|".join(re.escape(w) for w in sorted({w for ws in SECTIONS.values() for w in ws}, key=len, reverse=True))
    + r")\s*[:：]?\s+(?P<rest>\S.*)$",
    re.IGNORECASE,
)
