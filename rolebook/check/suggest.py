""" "Did you mean …?": the nearest known id, shared by the checks and the commands; and what a
value typed the way people write it (``yes``, ``010``, ``15%``, ``2006年6月1日``) was meant to be."""

from __future__ import annotations

import calendar
import re
import unicodedata
from collections.abc import Mapping

from rolebook.i18n import Messages
from rolebook.load.yamlstrict import fullwidth_key


def nearest_id(wanted: str, names: Mapping[str, str | None]) -> str | None:
    """The id nearest to ``wanted``, by id or else by its display name (title of a role, name of a
    department): HR often writes the title where the id belongs. ``names`` maps every known id to
    its display name (None when unknown). When two ids share a name, the alphabetically last wins."""
    import difflib  # (here: a check that finds no problem does not import it)

    ids = sorted(names)
    # an id written as a path ('../cs', 'roles/cs/boss.yaml') most likely means its last part
    tail = wanted.replace("\\", "/").rstrip("/").rsplit("/", 1)[-1].removesuffix(".yaml").removesuffix(".yml")
    for candidate in dict.fromkeys((wanted, tail)):
        near = difflib.get_close_matches(candidate, ids, n=1, cutoff=0.6)
        if near:
            return near[0]
    by_name: dict[str, str] = {}
    for ident in ids:
        name = names[ident]
        if name:
            by_name[name] = ident
    near = difflib.get_close_matches(wanted, list(by_name), n=1, cutoff=0.5)
    return by_name[near[0]] if near else None


# --- what a value most likely meant, for the hints of wrong-type and invalid-value ---------------

_TRUE_WORDS = frozenset(("true", "yes", "y", "on", "1", "是", "对", "有"))
_FALSE_WORDS = frozenset(("false", "no", "n", "off", "0", "否", "不", "无"))


def as_boolean(value: object) -> bool | None:
    """True or False for what a person writes as yes or no (``yes``, ``Off``, ``'true'``, ``1``, ``是``), else None."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    if not isinstance(value, str):
        return None
    word = unicodedata.normalize("NFKC", value).strip().lower()
    if word in _TRUE_WORDS:
        return True
    if word in _FALSE_WORDS:
        return False
    return None


_GROUPED = re.compile(r"[-+]?[0-9]{1,3}(,[0-9]{3})+|[-+]?[0-9]+(_[0-9]+)+")
_WHOLE = re.compile(r"[-+]?[0-9]+")
_UNITS = ("人", "名", "位", "个")


def as_whole_number(text: str, quoted: bool = False) -> tuple[int, list[str]] | None:
    """The whole number ``text`` was meant to be, and why it was not read as one (reason ids, in the
    order they are worth telling), or None when it is not a number however written.

    ``'15'`` (quoted) → (15, [quotes]); ``010`` → (10, [leading-zero]); ``1_000`` and ``1,000`` →
    (1000, [separator]); ``１５`` → (15, [fullwidth]); ``15%`` → (15, [percent]); ``3人`` → (3, [unit])."""
    reasons = ["quotes"] if quoted else []
    t = unicodedata.normalize("NFKC", text).strip()  # full-width digits, ％ and ，become half-width
    if t != text.strip() and any(unicodedata.east_asian_width(ch) == "F" for ch in text):
        reasons.append("fullwidth")
    if t.endswith("%"):
        t = t[:-1].rstrip()
        reasons.append("percent")
    elif t.endswith(_UNITS):
        t = t[:-1].rstrip()
        reasons.append("unit")
    if _GROUPED.fullmatch(t):
        t = t.replace(",", "").replace("_", "")
        reasons.append("separator")
    if not _WHOLE.fullmatch(t):
        return None
    digits = t.lstrip("+-")
    if len(digits) > 1 and digits.startswith("0"):
        reasons.append("leading-zero")
    return int(t), reasons


_DATE_FORMS = (
    # 2006-6-1, 2006/06/01, 2006.6.1, 2006年6月1日 (also with spaces, and full-width once NFKC'd)
    re.compile(r"([0-9]{4})\s*[-/.年]\s*([0-9]{1,2})\s*[-/.月]\s*([0-9]{1,2})\s*[日号]?"),
    re.compile(r"([0-9]{4})([0-9]{2})([0-9]{2})"),  # 20060601
)


def as_iso_date(value: object) -> tuple[int, int, int] | None:
    """(year, month, day) of a date written year first in another form than YYYY-MM-DD, else None.

    The result is what was written, not checked against the calendar (2006/2/30 → (2006, 2, 30)).
    Day-first and month-first forms (06/01/2006) are ambiguous and give None."""
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        return None
    t = unicodedata.normalize("NFKC", value).strip()
    for form in _DATE_FORMS:
        m = form.fullmatch(t)
        if m:
            y, mo, d = (int(g) for g in m.groups())
            return (y, mo, d) if 1 <= mo <= 12 and d >= 1 else None
    return None


# --- the hints themselves ------------------------------------------------------------------------


def boolean_hint(value: object, msgs: Messages, *, quoted: bool = False) -> str:
    """For a yes/no setting written ``yes``, ``off``, ``'true'``, ``1`` …: which of true/false to write."""
    meant = as_boolean(value)
    if meant is None or isinstance(value, bool):
        return msgs.hint("boolean")
    if quoted and value in ("true", "false"):
        return msgs.hint("boolean/quotes", suggestion=value)
    return msgs.hint("boolean/suggest", value=msgs.quote(value), suggestion="true" if meant else "false")


# What people write for the values of a choice, by the value meant (status, language).
CHOICE_WORDS: dict[str, tuple[str, ...]] = {
    "draft": ("草稿", "草案", "未审核", "待审核", "拟稿", "初稿"),
    "approved": ("已审核", "审核", "已批准", "批准", "已审批", "审批通过", "通过", "生效", "已生效", "正式", "approve"),
    "zh": ("中文", "汉语", "简体中文", "简体", "chinese", "zh-cn", "zh_cn", "zh-hans", "cn", "chs"),
    "en": ("英文", "英语", "english", "en-us", "en_us", "en-gb", "en_gb", "eng"),
}


def choice_hint(value: object, allowed: list[object], msgs: Messages) -> str:
    """For a choice written another way (``Approved``, ``已审核``, ``中文``, ``aproved``): which
    allowed value to write; "" when none is near."""
    if not isinstance(value, str) or not all(isinstance(a, str) for a in allowed):
        return ""
    text = unicodedata.normalize("NFKC", value).strip().strip("'\"").strip()
    folded = text.casefold()
    options = [str(a) for a in allowed]
    meant = next((a for a in options if a.casefold() == folded), None)
    if meant is None:
        meant = next((a for a in options if folded in (w.casefold() for w in CHOICE_WORDS.get(a, ()))), None)
    if meant is None:
        import difflib  # (here: a check that finds no problem does not import it)

        close = difflib.get_close_matches(folded, options, n=1, cutoff=0.75)
        meant = close[0] if close else None
    if meant is None:
        return ""
    return msgs.hint("choice/suggest", value=msgs.quote(value), suggestion=meant)


def number_hint(value: object, msgs: Messages, *, quoted: bool = False, percent: bool = False) -> str:
    """For a whole number written as text (``'15'``, ``010``, ``1_000``, ``１５``, ``15%``) or, for a
    ``percent``, as a fraction (0.4): the number to write instead; "" when there is none."""
    if isinstance(value, str):
        found = as_whole_number(value, quoted)
        if found is None:
            return ""
        number, reasons = found
        if not reasons:
            return msgs.hint("number/plain", suggestion=number)
        return msgs.hint("number", suggestion=number, reasons=msgs.join([msgs.hint(f"number/{r}") for r in reasons]))
    if percent and isinstance(value, float) and 0 < value < 1:
        share = value * 100
        if abs(share - round(share)) < 1e-9:
            return msgs.hint("number/percent-fraction", suggestion=round(share), value=value)
    return ""


def date_hint(value: object, msgs: Messages, *, example: bool = False) -> str:
    """For a date written another way (``2006/6/1``, ``2006年6月1日``, ``20060601``): the same date as
    YYYY-MM-DD; for one that does not exist (``2006-02-30``): how many days its month has. With
    ``example``, a value that does not read as a date at all gets the form with an example."""
    ymd = as_iso_date(value)
    if ymd is None:
        return msgs.hint("date/example") if example else ""
    year, month, day = ymd
    if year < 1:  # year 0000 is no year either
        return ""
    days = calendar.monthrange(year, month)[1]
    if day > days:
        return msgs.hint("date/month-days", year=year, month=month, days=days)
    return msgs.hint("date", suggestion=f"{year:04d}-{month:02d}-{day:02d}")


def fullwidth_colon_hint(value: object, msgs: Messages) -> str:
    """For text where 'key: value' lines were expected that starts "education：大专以上" (a full-width
    colon, so YAML read the lines as text): the line as it should be written."""
    found = fullwidth_key(value) if isinstance(value, str) else None
    if found is None:
        return ""
    _, key, fixed = found
    return msgs.hint("fullwidth-colon", key=key, fixed=fixed)
