"""The shared "did you mean" helper used by the checks and by `new`."""

from __future__ import annotations

from rolebook.check.suggest import nearest_id


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
