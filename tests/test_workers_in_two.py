"""``rolebook.workers.in_two``: work split with a forked copy of the process gives what one process gives.

Each case runs in a Python process of its own: ``in_two`` does not fork while other threads run, as
they may in the test runner."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import Any

import pytest

from rolebook import workers
from tests.conftest import REPO

pytestmark = pytest.mark.skipif(not workers.can_fork(), reason="needs fork and two cores")

CASES = """
import json, os, sys
from rolebook import workers

def squares_and_pids(items):
    return [(i * i, os.getpid()) for i in items]

def fails_in_the_second_half(items):
    if 99 in items:
        raise ValueError("role 99 has no title")
    return list(items)

def fails_in_the_first_half(items):
    if 0 in items:
        raise KeyError("first")
    return list(items)

def outcome(work, items, least=10):
    try:
        return {"got": workers.in_two(work, items, least=least)}
    except Exception as e:
        return {"error": type(e).__name__, "message": str(e)}

case = sys.argv[1]
out = {"me": os.getpid()}
if case == "split":
    out.update(outcome(squares_and_pids, list(range(101))))
elif case == "few":
    out.update(outcome(squares_and_pids, [1, 2, 3]))
elif case == "copy fails":
    out.update(outcome(fails_in_the_second_half, list(range(100))))
elif case == "here fails":
    out.update(outcome(fails_in_the_first_half, list(range(100_000))))
    try:
        os.waitpid(-1, os.WNOHANG)
        out["children"] = "left"
    except ChildProcessError:
        out["children"] = "none"
print(json.dumps(out))
"""


def run(case: str) -> dict[str, Any]:
    done = subprocess.run([sys.executable, "-c", CASES, case], cwd=REPO, capture_output=True, text=True, timeout=60, check=True)
    out: dict[str, Any] = json.loads(done.stdout)
    return out


def test_the_results_come_back_in_order_half_of_them_from_the_copy() -> None:
    out = run("split")
    assert [v for v, _ in out["got"]] == [i * i for i in range(101)]
    pids = [pid for _, pid in out["got"]]
    assert set(pids[:50]) == {out["me"]}
    assert len(set(pids[50:])) == 1 and pids[50] != out["me"]


def test_below_least_everything_stays_in_this_process() -> None:
    out = run("few")
    assert out["got"] == [[1, out["me"]], [4, out["me"]], [9, out["me"]]]


def test_an_error_in_the_copy_is_raised_here() -> None:
    out = run("copy fails")
    assert out["error"] == "RuntimeError" and "ValueError: role 99 has no title" in out["message"]


def test_an_error_here_leaves_no_copy_behind() -> None:
    out = run("here fails")
    assert out["error"] == "KeyError" and out["children"] == "none"


def test_no_copy_while_another_thread_runs() -> None:
    import threading

    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert not workers.can_fork()
        got = workers.in_two(lambda items: [os.getpid() for _ in items], list(range(100)), least=10)
        assert set(got) == {os.getpid()}
    finally:
        stop.set()
        thread.join()
