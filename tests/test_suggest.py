"""The shared "did you mean" helpers: the nearest id (checks and `new`), and what a value typed
the way people write it (yes, 010, 15%, 2006年6月1日, title：…) was meant to be."""

from __future__ import annotations

import pytest

from rolebook.check.suggest import as_boolean, as_iso_date, date_hint, nearest_id
from rolebook.i18n import Messages


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
