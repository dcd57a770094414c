"""The shared "did you mean" helpers: the nearest id (checks and `new`), and what a value typed
the way people write it (yes, 010, 15%, 2006年6月1日, title：…) was meant to be."""

from __future__ import annotations

import pytest

from rolebook.check.suggest import as_boolean, as_iso_date, as_whole_number, date_hint, nearest_id, number_hint
from rolebook.i18n import Messages
from rolebook.load.yamlstrict import fullwidth_key, parse_yaml
from rolebook.problems import Problem


def test_nearest_by_id_then_by_name() -> None:
    names = {"cs-manager": "客服部经理", "cs-supervisor": "客服主管", "guide": "解说员"}
    assert nearest_id("cs-manger", names) == "cs-manager"
    assert nearest_id("解说员", names) == "guide"
    assert nearest_id("客服主管", names) == "cs-supervisor"
    assert nearest_id("zzzzzz", names) is None
    assert nearest_id("x", {}) is None


def test_same_name_twice_is_deterministic() -> None:
    names = {"b-role": "客服专员", "a-role": "客服专员"}
    assert nearest_id("客服专员", names) == "b-role"


# --- what a value typed the way people write it was meant to be ------------------------------------
EN = Messages("en")


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("yes", True),
        ("Off", False),
        ("Y", True),
        ("n", False),
        ("TRUE", True),
        ("tRUE", True),
        (" 是 ", True),
        ("否", False),
        (1, True),
        (0, False),
        ("maybe", None),
        (2, None),
    ],
)
def test_as_boolean(typed: object, meant: bool | None) -> None:
    assert as_boolean(typed) is meant


@pytest.mark.parametrize(
    ("typed", "quoted", "meant"),
    [
        ("15", True, (15, ["quotes"])),
        ("010", False, (10, ["leading-zero"])),
        ("1_000", False, (1000, ["separator"])),
        ("1,000", False, (1000, ["separator"])),
        ("１５", False, (15, ["fullwidth"])),
        ("６０％", False, (60, ["fullwidth", "percent"])),
        ("15 %", True, (15, ["quotes", "percent"])),
        ("3人", False, (3, ["unit"])),
        ("1,00", False, None),  # not a thousands separator
        ("12:30", False, None),
        ("two", False, None),
        ("1e3", False, None),
        ("0x10", False, None),
    ],
)
def test_as_whole_number(typed: str, quoted: bool, meant: tuple[int, list[str]] | None) -> None:
    assert as_whole_number(typed, quoted) == meant


def test_number_hint_percent_fraction_only_for_percentages() -> None:
    assert "40" in number_hint(0.4, EN, percent=True)
    assert number_hint(0.4, EN) == ""
    assert number_hint(0.123, EN, percent=True) == ""  # 12.3 %: not a whole percent, no guess
    assert number_hint(2.5, EN) == ""


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("2006/06/01", (2006, 6, 1)),
        ("2006.6.1", (2006, 6, 1)),
        ("2006年6月1日", (2006, 6, 1)),
        ("2006 年 6 月 1 日", (2006, 6, 1)),
        ("２００６－０６－０１", (2006, 6, 1)),
        (" 2006-06-01 ", (2006, 6, 1)),
        (20060601, (2006, 6, 1)),
        ("2006/2/30", (2006, 2, 30)),  # as written: the hint says the month is shorter
        ("06/01/2006", None),  # day or month first? no guess
        ("2006-13-01", None),
        ("2006-06", None),
        (True, None),
    ],
)
def test_as_iso_date(typed: object, meant: tuple[int, int, int] | None) -> None:
    assert as_iso_date(typed) == meant


def test_date_hint() -> None:
    assert date_hint("2019/3/8", EN) == 'Write it as "2019-03-08".'
    assert date_hint("2008/2/30", EN) == "2008-02 has only 29 days."
    assert date_hint("0000/1/1", EN) == ""
    assert date_hint("soon", EN) == ""
    assert "YYYY-MM-DD" in date_hint(2006, EN, example=True)


def test_fullwidth_key() -> None:
    assert fullwidth_key("title：物业助理") == (5, "title", "title: 物业助理")
    assert fullwidth_key("  - duty ：接听电话") == (9, "duty", "- duty: 接听电话")
    assert fullwidth_key("qualifications：") == (14, "qualifications", "qualifications:")
    assert fullwidth_key("education：大专以上 experience：三年以上") == (9, "education", "education: 大专以上")
    assert fullwidth_key("title: 经理：负责") is None  # a half-width colon comes first: a real key
    assert fullwidth_key("# 注释：说明") is None


def _problem(text: str) -> Problem:
    found = parse_yaml(text, "x.yaml", EN)
    assert isinstance(found, Problem)
    return found


def test_fullwidth_colon_found_where_it_is_not_where_yaml_stopped() -> None:
    p = _problem("number: T-1\ntitle：专员\nheadcount: 2\n")
    assert (p.line, p.col, p.code) == (2, 6, "yaml-syntax")
    assert p.hint == "Write it as: title: 专员"


def test_fullwidth_colon_other_lines_named_and_crlf_counted_as_yaml_counts() -> None:
    p = _problem("number：T-1\r\ntitle：专员\r\nheadcount：2\r\nstatus: draft\r\n")
    assert (p.line, p.col) == (1, 7)
    assert p.hint == "Write it as: number: T-1 — and the same on lines 2, 3"


def test_fullwidth_colon_in_text_is_not_blamed() -> None:
    # "- 前台：接待" is a statement that holds a '：'; only the key that broke the file is named
    p = _problem("summary:\n  - 前台：接待\nqualifications:\n  education：大专\n  experience: 三年\n")
    assert (p.line, p.col) == (4, 12)
    assert "lines" not in p.hint
    # another mistake altogether: reported as it was
    p = _problem("summary:\n  - 前台：接待\ntitle: '经理\n")
    assert p.message.startswith("YAML syntax error:")


def test_fullwidth_colon_whole_file_read_as_text() -> None:
    p = _problem("name：客服部\n")
    assert (p.line, p.col, p.code) == (1, 5, "yaml-syntax")
    p = _problem("just some text\n")
    assert p.code == "not-a-mapping"


def test_fast_path_reports_the_same() -> None:
    text = "number: T-1\ntitle：专员\nheadcount: 2\n"
    assert parse_yaml(text, "x.yaml", EN, positions=False) == parse_yaml(text, "x.yaml", EN)
