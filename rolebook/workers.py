"""What every worker process rolebook starts does first:
``ProcessPoolExecutor(initializer=init_worker, initargs=(os.getpid(),))``.

- Ctrl+C interrupts the whole foreground process group. A worker that died of it while reading
  its queue left the pool unable to shut down (the build hung for ever), so workers ignore
  SIGINT: the main process gets it and stops the pool.
- A worker whose main process was killed outright (SIGKILL, the OOM killer) exits by itself
  instead of waiting for work for ever — holding on to memory and to the pipes of whoever
  started the command (a test, a CI step or a shell pipeline would wait for them to close).
"""

from __future__ import annotations

import os
import signal
import threading
import time

PARENT_POLL_SECONDS = 0.5


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
