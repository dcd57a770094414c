"""The values of a Word job description's fields as a role file holds them: ids from titles (pinyin or a
slug, never one taken), empty markers ("无", "N/A"), Chinese numbers, and dates in the ways people write them."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from rolebook.ids import WINDOWS_RESERVED
from rolebook.load import docx_labels as L
from rolebook.load.docx_records import Found

EMPTY_VALUES = {"", "—", "-", "–", "/", "无", "暂无", "none", "n/a", "na", "nil", "空"}
MAX_ID = 48


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
