"""Text inside a part of a job description: inline numbered items, how an item is numbered, lists of
parties and qualifications, KPIs with their other columns — functions of a string, no state."""

from __future__ import annotations

import re

from rolebook.load import docx_labels as L
from rolebook.load.docx_records import LINE_SEP

INLINE_ITEMS = re.compile(r"(?:(?<=^)|(?<=[。；;！!？?\s]))(?:[0-9]{1,2}[、.．)）]|[①-⑳]|[(（][0-9一二三四五六七八九十]{1,2}[)）])\s*")


def split_inline(text: str) -> list[str]:
    """ "1、a。2、b。" typed in one paragraph: its items. Only when the numbers run 1, 2, 3 …"""
    marks = list(INLINE_ITEMS.finditer(text))
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


def sentence(text: str) -> bool:
    """Text that ends as a sentence does ("…。", a long "… ."), not as a label ("Document no.")."""
    t = text.rstrip()
    return t.endswith("。") or (t.endswith(".") and len(L.key(t)) > 16)


def group_like(text: str) -> bool:
    """A short line with no sentence end: a group's name when it stands bold over the items."""
    t = text.strip().rstrip(":：")
    return 0 < len(L.key(t)) <= 30 and not t.endswith(("。", ".", "；", ";", "！", "!", "？", "?"))


KINDS = (
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


def kind_of(text: str) -> str | None:
    """How a list item is numbered by its typed text ("一、", "1、", "(1)", "a)", "•"), or None."""
    if not L.numbered_text(text):
        return None
    return next((name for name, rx in KINDS if rx.match(text)), None)


def with_columns(text: str, columns: list[tuple[str, str]]) -> str:
    """A KPI with the other columns of its row in brackets: "接通率（权重：20%）"."""
    if not columns:
        return text
    cjk = re.search(r"[\u4e00-\u9fff]", text + "".join(h for h, _ in columns))
    inner = ("，" if cjk else ", ").join(f"{h}{'：' if cjk else ': '}{v}" if h else v for h, v in columns)
    return f"{text}（{inner}）" if cjk else f"{text} ({inner})"


def split_items(text: str) -> list[str]:
    items = [p.strip(" 。.") for p in re.split(r"[；;\n]", text)]
    return [p for p in items if p]


HINT = re.compile(r"^(?:如|例如|e\.?g\.?)")


def parties(text: str) -> list[str]:
    """Who the work is with. A cell of several lines (LINE_SEP between them) holds one name a line;
    one line holds names between 、，,；; — never split inside brackets ("财务部（预算、报销）" is one),
    and the form's own example text ("如政府部门、…等") left out."""
    text = re.sub(r"[(（]?\s*(?:如|例如)[^)）]*等[)）]?", "", text)
    pieces = text.split(LINE_SEP) if LINE_SEP in text else split_outside_brackets(text)
    items = [p.strip(" 。.:：_") for p in pieces]
    return [p for p in items if p and not HINT.match(p) and not re.fullmatch(r"[%％0-9\s]*", p)]


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


def guess_qualification(text: str) -> str:
    if re.search(r"学历|本科|大专|专科|硕士|博士|高中|中专|毕业|degree|bachelor|diploma|master|graduate", text, re.IGNORECASE):
        return "education"
    if re.search(r"经验|年以上|工作经历|years?\b|experience", text, re.IGNORECASE):
        return "experience"
    if re.search(r"能力|熟悉|熟练|掌握|精通|技能|skill|abilit|knowledge|proficien|able to", text, re.IGNORECASE):
        return "abilities"
    return "other"


def own_parties(text: str) -> list[str]:
    """The parties of a rolebook export: one a line, as they were written."""
    return [p.strip() for p in text.split(LINE_SEP) if p.strip()]
