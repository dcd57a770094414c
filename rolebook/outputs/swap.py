"""Replace an output folder as a whole, so readers see the old one or the new one, never half of either.

The new folder is built beside the target as ``.<name>.tmp-<hex>``; when it is complete the target
is renamed into a holder ``.<name>.old-<hex>/<name>``, the new folder is renamed to the target,
and the holder is deleted. A termination signal that arrives during the two renames waits until
both are done. A process that is killed outright (SIGKILL, power loss) can leave a ``.tmp-`` or
``.old-`` folder beside the target, or — between the two renames — only the holder:
``recover(target)`` (run by the next build) puts the old folder back and removes the leftovers.

While a process works on a ``.tmp-`` or ``.old-`` folder it holds an advisory lock on it
(``flock``), so a build running at the same time never deletes another build's work. Each such
folder carries a marker file (``MARKER``) from the moment it is made (taken out of a ``.tmp-``
folder just before it is renamed into place): ``recover`` removes only unlocked folders named
as this module names them that carry it, so it never deletes a folder rolebook did not make.
Check the target with rolebook.safepath.output first: these functions do not look at links on
the way to it.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import shutil
import signal
import threading
from collections.abc import Iterator
from pathlib import Path
from types import FrameType

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: no advisory locks, leftovers are kept
    fcntl = None  # type: ignore[assignment]

SIGNALS = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGINT", "SIGHUP") if hasattr(signal, name))
MARKER = ".rolebook-swap"  # hidden: MkDocs keeps hidden files when it empties the folder it builds into


def tmp_prefix(target: Path) -> str:
    return f".{target.name}.tmp-"


def old_prefix(target: Path) -> str:
    return f".{target.name}.old-"


def _ours(prefix: str) -> re.Pattern[str]:
    return re.compile(re.escape(prefix) + "[0-9a-f]{8}")


class Held:
    """A folder we created, locked for as long as this process works on it."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd: int | None = None
        if fcntl is not None:
            fd = os.open(path, os.O_RDONLY)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                os.close(fd)
                raise
            self._fd = fd

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)  # closing the descriptor drops the lock
            self._fd = None


def fresh_dir(parent: Path, prefix: str) -> Held:
    """A new empty folder ``parent/<prefix><8 hex>`` (with the usual permissions, unlike mkdtemp's 0700), locked."""
    while True:
        path = parent / f"{prefix}{secrets.token_hex(4)}"
        try:
            path.mkdir()
        except FileExistsError:
            continue
        try:
            (path / MARKER).write_bytes(b"a folder rolebook builds into or moves an old output into; removed when done\n")
            return Held(path)
        except BaseException:
            shutil.rmtree(path, ignore_errors=True)
            raise


def _abandoned(path: Path) -> bool:
    """A leftover folder of ours (with our marker) that no running process holds."""
    if path.is_symlink() or not path.is_dir() or not (path / MARKER).is_file() or (path / MARKER).is_symlink():
        return False
    if fcntl is None:
        return False  # cannot tell a running build's folder from a leftover: keep it
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False  # held by a build that is running now
    finally:
        os.close(fd)
    return True


def recover(target: Path) -> list[Path]:
    """Clean up after a build of ``target`` that was killed: restore the old folder if only it is left,
    then remove our abandoned ``.tmp-`` and ``.old-`` folders beside ``target``. Returns what was removed
    or restored. Only folders named exactly as this module names them are touched."""
    parent = target.parent
    try:
        entries = sorted(parent.iterdir())
    except OSError:
        return []
    done: list[Path] = []
    tmp_re, old_re = _ours(tmp_prefix(target)), _ours(old_prefix(target))
    for entry in entries:
        if old_re.fullmatch(entry.name) and _abandoned(entry):
            kept = entry / target.name
            if not target.exists() and not target.is_symlink() and kept.is_dir() and not kept.is_symlink():
                os.rename(kept, target)  # died between the two renames: the old folder goes back
                done.append(target)
            shutil.rmtree(entry, ignore_errors=True)
            done.append(entry)
        elif tmp_re.fullmatch(entry.name) and _abandoned(entry):
            shutil.rmtree(entry, ignore_errors=True)
            done.append(entry)
    return done


@contextlib.contextmanager
def signals_deferred() -> Iterator[None]:
    """Termination signals that arrive inside the block take effect when it ends (main thread only)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    received: list[int] = []

    def note(signum: int, frame: FrameType | None) -> None:
        received.append(signum)

    previous = {s: signal.signal(s, note) for s in SIGNALS}
    try:
        yield
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)
        if received:
            signal.raise_signal(received[0])  # now handled as it would have been


def swap_into_place(new: Held, target: Path) -> None:
    """Replace ``target`` by the complete folder ``new`` with two renames; the old folder is deleted last.

    On failure ``target`` is as it was (or, if even putting it back fails, kept in the holder for
    ``recover``)."""
    holder: Held | None = None
    swapped = False
    try:
        with signals_deferred():
            (new.path / MARKER).unlink(missing_ok=True)  # the output itself does not carry it
            if target.exists() or target.is_symlink():
                holder = fresh_dir(target.parent, old_prefix(target))
                os.rename(target, holder.path / target.name)
            try:
                os.rename(new.path, target)
                swapped = True
            except OSError:
                if holder is not None:
                    os.rename(holder.path / target.name, target)
                raise
    finally:
        new.release()
        if holder is not None:
            if swapped or not (holder.path / target.name).exists():
                shutil.rmtree(holder.path, ignore_errors=True)
            holder.release()


def discard(held: Held) -> None:
    """Remove a folder we were building (a failed or interrupted build)."""
    shutil.rmtree(held.path, ignore_errors=True)
    held.release()
