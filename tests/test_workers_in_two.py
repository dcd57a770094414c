"""``rolebook.workers.in_two``: work split with a forked copy of the process gives what one process gives."""

from __future__ import annotations

import os
from collections.abc import Sequence

import pytest

from rolebook import workers

pytestmark = pytest.mark.skipif(not workers.can_fork(), reason="needs fork and two cores")


def squares_and_pids(items: Sequence[int]) -> list[tuple[int, int]]:
    return [(i * i, os.getpid()) for i in items]


def test_the_results_come_back_in_order_half_of_them_from_the_copy() -> None:
    items = list(range(101))
    got = workers.in_two(squares_and_pids, items, least=10)
    assert [v for v, _ in got] == [i * i for i in items]
    pids = [pid for _, pid in got]
    assert set(pids[:50]) == {os.getpid()}
    assert len(set(pids[50:])) == 1 and pids[50] != os.getpid()


def test_below_least_everything_stays_in_this_process() -> None:
    got = workers.in_two(squares_and_pids, [1, 2, 3], least=10)
    assert got == [(1, os.getpid()), (4, os.getpid()), (9, os.getpid())]


def fails_in_the_second_half(items: Sequence[int]) -> list[int]:
    if 99 in items:
        raise ValueError("role 99 has no title")
    return list(items)


def test_an_error_in_the_copy_is_raised_here() -> None:
    with pytest.raises(RuntimeError, match="ValueError: role 99 has no title"):
        workers.in_two(fails_in_the_second_half, list(range(100)), least=10)


def fails_in_the_first_half(items: Sequence[int]) -> list[int]:
    if 0 in items:
        raise KeyError("first")
    return list(items)


def test_an_error_here_leaves_no_copy_behind() -> None:
    with pytest.raises(KeyError):
        workers.in_two(fails_in_the_first_half, list(range(100_000)), least=10)
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)  # the copy was waited for: no child is left
