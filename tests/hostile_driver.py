"""Run many rolebook commands in one process and say exactly what each did: ``python -m tests.hostile_driver``.

Used by tests/test_hostile_commands.py to run every command over every hostile case without paying
Python's and rolebook's start-up for each run. Reads a JSON list of runs on stdin::

    {"argv": ["check", "/tmp/…/hb"], "cwd": "/tmp/…/cwd", "watch": ["/tmp/…/hb", "/tmp/…/out"]}

and prints one JSON result per run: the exit code, stdout, stderr, the traceback of any exception
that escaped ``rolebook.cli.main`` (there must be none), and what changed in each watched folder,
in the run's cwd and in the temporary folder (TMPDIR) — files compared by content, FIFOs and
other special files by type only (never opened). ``.rolebook-cache/`` is not compared.

A run may also name folders to ``snap``: those are compared more strictly (``snapshot``: symbolic
links followed, every file's content and modification time, every folder's entries and time), less
whatever is under a path in ``snap_exclude``; the differences come back as ``snapped``.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import stat
import sys
import tempfile
import time
import traceback
from pathlib import Path
from typing import Any

CACHE_DIR = ".rolebook-cache"


def tree(root: Path) -> dict[str, str]:
    """Every entry under ``root`` (not following links): path → what it is and, for files, a digest."""
    out: dict[str, str] = {}
    if not os.path.lexists(root):
        return out
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        dirnames[:] = sorted(d for d in dirnames if not (Path(dirpath) == root and d == CACHE_DIR))
        for name in sorted([*dirnames, *filenames]):
            path = Path(dirpath) / name
            rel = path.relative_to(root).as_posix()
            st = os.lstat(path)
            if stat.S_ISLNK(st.st_mode):
                out[rel] = "link:" + os.readlink(path)
            elif stat.S_ISDIR(st.st_mode):
                out[rel] = "dir"
            elif stat.S_ISREG(st.st_mode):
                try:
                    out[rel] = "file:" + hashlib.sha256(path.read_bytes()).hexdigest()
                except OSError as exc:  # pragma: no cover - root reads everything
                    out[rel] = f"unreadable:{exc.errno}"
            else:
                out[rel] = f"special:{stat.S_IFMT(st.st_mode)}"
    return out


def snapshot(root: Path, exclude: frozenset[str] = frozenset()) -> dict[str, str]:
    """Everything reachable under ``root`` with symbolic links followed (each real folder walked once):
    path → the digest and modification time of a file, the entries and time of a folder, the type of
    anything else. ``exclude``: absolute paths (as walked) left out with what is under them."""
    out: dict[str, str] = {}
    seen: set[tuple[int, int]] = set()

    def walk(path: Path, rel: str) -> None:
        if str(path) in exclude:
            return
        try:
            st = os.stat(path)  # follows links
        except OSError as exc:
            out[rel] = f"missing:{exc.errno}"
            return
        if stat.S_ISDIR(st.st_mode):
            names = sorted(os.listdir(path))
            kept = [n for n in names if str(path / n) not in exclude]
            # (a folder holding something excluded changes its time when that is written: then its names only)
            when = st.st_mtime_ns if kept == names else "-"
            out[rel] = f"dir:{when}:{'/'.join(kept)}"
            if (st.st_dev, st.st_ino) in seen:
                return
            seen.add((st.st_dev, st.st_ino))
            for name in names:
                walk(path / name, f"{rel}/{name}" if rel else name)
        elif stat.S_ISREG(st.st_mode):
            out[rel] = f"file:{st.st_mtime_ns}:{hashlib.sha256(path.read_bytes()).hexdigest()}"
        else:
            out[rel] = f"special:{stat.S_IFMT(st.st_mode)}"

    walk(root, "")
    return out


def diff(before: dict[str, str], after: dict[str, str]) -> list[str]:
    changes = [f"+{p}" for p in sorted(after.keys() - before.keys())]
    changes += [f"-{p}" for p in sorted(before.keys() - after.keys())]
    changes += [f"~{p}" for p in sorted(before.keys() & after.keys()) if before[p] != after[p]]
    return changes


def run_one(spec: dict[str, Any]) -> dict[str, Any]:
    from rolebook.cli import main

    tmp = Path(tempfile.gettempdir())
    watched = [Path(w) for w in spec.get("watch", [])]
    cwd = Path(spec["cwd"])
    before = {str(w): tree(w) for w in [*watched, cwd, tmp]}
    snapped = [Path(w) for w in spec.get("snap", [])]
    exclude = frozenset(spec.get("snap_exclude", []))
    snaps = {str(w): snapshot(w, exclude) for w in snapped}
    out, err = io.StringIO(), io.StringIO()
    escaped = ""
    code: Any = None
    start = time.perf_counter()
    old_cwd = os.getcwd()
    os.chdir(cwd)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = main(spec["argv"])
            except SystemExit as exc:  # argparse: usage errors
                code = exc.code if isinstance(exc.code, int) else 2
            except BaseException:
                escaped = traceback.format_exc()
    finally:
        os.chdir(old_cwd)
    seconds = time.perf_counter() - start
    changes = {str(w): diff(before[str(w)], tree(w)) for w in [*watched, cwd, tmp]}
    snap_changes = {str(w): diff(snaps[str(w)], snapshot(w, exclude)) for w in snapped}
    return {
        "argv": spec["argv"],
        "tmpdir": str(tmp),
        "code": code,
        "stdout": out.getvalue(),
        "stderr": err.getvalue(),
        "escaped": escaped,
        "changes": changes,
        "snapped": snap_changes,
        "seconds": seconds,
    }


def main() -> int:
    specs = json.load(sys.stdin)
    results = [run_one(spec) for spec in specs]
    sys.stdout.write(json.dumps(results, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
