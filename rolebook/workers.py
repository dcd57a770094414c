"""rolebook's other processes: what every worker process it starts does first
(``ProcessPoolExecutor(initializer=init_worker, initargs=(os.getpid(),))``), and work split with
a forked copy of this process (``in_two``, ``can_fork``).

- Ctrl+C interrupts the whole foreground process group. A worker that died of it while reading
  its queue left the pool unable to shut down (the build hung for ever), so workers ignore
  SIGINT: the main process gets it and stops the pool.
- A worker whose main process was killed outright (SIGKILL, the OOM killer) exits by itself
  instead of waiting for work for ever — holding on to memory and to the pipes of whoever
  started the command (a test, a CI step or a shell pipeline would wait for them to close).
"""

from __future__ import annotations

import os
import pickle
import signal
import sys
import threading
import time
import traceback
from collections.abc import Callable, Sequence
from typing import TypeVar

PARENT_POLL_SECONDS = 0.5

T = TypeVar("T")
R = TypeVar("R")


def init_worker(parent: int) -> None:
    """``parent`` is the pid of the main process (``initargs=(os.getpid(),)``): a worker that only
    gets here after its main process was killed would otherwise wait for the wrong parent."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    exit_with_parent(parent)


def exit_with_parent(parent: int, interval: float = PARENT_POLL_SECONDS) -> None:
    """Exit this process as soon as ``parent`` is no longer its parent (polls, in a daemon thread)."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(interval)
        os._exit(1)

    threading.Thread(target=watch, name="rolebook-exit-with-parent", daemon=True).start()


def cores() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def can_fork() -> bool:
    """Whether a forked copy of this process can do part of its work: on Linux (Windows has no fork; on macOS a
    forked copy may crash in the system's frameworks, which is why Python stopped forking there), with two cores,
    and while no other thread runs (a thread holding a lock at the fork would leave it locked in the copy)."""
    return sys.platform.startswith("linux") and hasattr(os, "fork") and cores() >= 2 and threading.active_count() == 1


def in_two(work: Callable[[Sequence[T]], list[R]], items: Sequence[T], *, least: int) -> list[R]:
    """``work(items)``, its second half done at the same time by a forked copy of this process when there are at
    least ``least`` items and ``can_fork``: the same results in the same order. ``work`` must not write anything
    (the copy's results come back pickled through a pipe); an exception in either half is raised here."""
    if len(items) < least or not can_fork():
        return work(items)
    half = len(items) // 2
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the copy: never returns into the caller's code
        try:
            os.close(read_end)
            try:
                data = pickle.dumps((True, work(items[half:])), protocol=pickle.HIGHEST_PROTOCOL)
            except BaseException as e:  # raised in the main process
                data = pickle.dumps((False, f"{type(e).__name__}: {e}\n{traceback.format_exc()}"))
            with os.fdopen(write_end, "wb") as out:
                out.write(data)
        finally:
            os._exit(0)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as pipe:
        try:
            first = work(items[:half])
            data = pipe.read()
        finally:
            if not pipe.closed:
                pipe.close()
            os.waitpid(pid, 0)
    ok, second = pickle.loads(data) if data else (False, "the second process stopped without an answer")
    if not ok:
        raise RuntimeError(f"the second process failed: {second}")
    return [*first, *second]
