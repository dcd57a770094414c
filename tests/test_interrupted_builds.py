"""Builds stopped midway (SIGTERM, SIGKILL, Ctrl+C) leave the previous site and PDFs as they were.

A copy of the sample handbook is built once; then its organisation name is changed (so every
PDF is rendered again, by worker processes) and ``build.py build`` / ``build.py pdf`` are stopped
at several moments: while starting, while MkDocs builds, while the PDF workers render. After
each, the previous output folder is byte-identical, no worker process outlives the build, and a
terminated build leaves nothing beside it. A build killed outright can leave its ``.site.tmp-…``
folder, or the previous site moved aside into ``.site.old-…/site``: the next build puts the site
back (even when it then stops at a broken file) and removes the leftovers — only folders named
exactly as rolebook names them.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bench.generate import generate
from rolebook.outputs.swap import MARKER
from tests.hostile_driver import tree
from tests.scratch import ONE_LANGUAGE

REPO = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists() or not hasattr(signal, "SIGKILL"), reason="needs Linux /proc and POSIX signals")

LEFTOVER = re.compile(r"\.(site|pdf-out)\.(tmp|old)-[0-9a-f]{8}")


def _group(pgid: int) -> list[str]:
    """Command lines of the live processes in process group ``pgid``."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
            if int(fields[2]) == pgid and fields[0] != "Z":
                found.append(Path(f"/proc/{entry}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace"))
        except (OSError, IndexError, ValueError):
            continue
    return found


def _wait_group_gone(pgid: int, seconds: float = 15) -> None:
    deadline = time.monotonic() + seconds
    while _group(pgid):
        if time.monotonic() > deadline:
            left = _group(pgid)
            os.killpg(pgid, signal.SIGKILL)  # not left running: the group is the build's own session
            raise AssertionError(f"processes outlived the build: {left}")
        time.sleep(0.1)


def _default_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _start(log: Path, *args: str) -> subprocess.Popen[str]:
    # its own session: the group holds the build and its worker processes, and nothing else;
    # stderr to a file, not a pipe: a worker left behind must not make the test wait for the pipe
    with open(log, "w", encoding="utf-8") as err:
        return subprocess.Popen(
            [sys.executable, str(REPO / "build.py"), *args],
            cwd=REPO,
            stdout=subprocess.DEVNULL,
            stderr=err,
            text=True,
            start_new_session=True,
            # as from a terminal: a test run started in the background (CI scripts, `cmd &`) inherits
            # SIGINT ignored, and Python then never sees Ctrl+C
            preexec_fn=_default_sigint,
        )


def _stop(proc: subprocess.Popen[str], log: Path, sig: int, moment: float | str, *, group: bool = False) -> tuple[int, str]:
    """Send ``sig`` after ``moment`` seconds, or 1 s after the PDF workers have started (moment "pdf")."""
    if moment == "pdf":
        deadline = time.monotonic() + 120
        while not any("multiprocessing.spawn" in c for c in _group(proc.pid)):
            assert proc.poll() is None, "the build ended before its PDF workers started"
            assert time.monotonic() < deadline, "no PDF worker started"
            time.sleep(0.05)
        time.sleep(1)
    else:
        assert isinstance(moment, float)
        time.sleep(moment)
    assert proc.poll() is None, "the build ended before it could be stopped"
    (os.killpg if group else os.kill)(proc.pid, sig)
    try:
        proc.wait(timeout=60)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        raise AssertionError(f"the build did not stop within 60 s of signal {sig}") from None
    _wait_group_gone(proc.pid)  # no worker outlives it
    return proc.returncode, log.read_text(encoding="utf-8")


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if LEFTOVER.fullmatch(p.name))


def _set_organisation(root: Path, name: str) -> None:
    path = root / "rolebook.yml"
    path.write_text(re.sub(r"(?m)^organisation: .*$", f"organisation: {name}", path.read_text(encoding="utf-8")), encoding="utf-8")


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the sample handbook (settings and roles), built once with its PDFs."""
    root = tmp_path_factory.mktemp("interrupted") / "hb"
    root.mkdir()
    shutil.copy(ONE_LANGUAGE / "rolebook.yml", root / "rolebook.yml")
    shutil.copytree(ONE_LANGUAGE / "roles", root / "roles")
    # and 60 generated positions in a department of their own, so that the PDF workers are still at
    # work when a signal sent after they started arrives, however fast the machine
    generated = tmp_path_factory.mktemp("generated") / "hb"
    generate(61, generated)
    for dept in sorted((generated / "roles").glob("dept-*")):
        shutil.copytree(dept, root / "roles" / dept.name)
        for path in (root / "roles" / dept.name).iterdir():
            text = path.read_text(encoding="utf-8").replace("parent: company", "parent: group").replace("reports_to: ceo", "reports_to: guide")
            path.write_text(text, encoding="utf-8")
    proc = subprocess.run([sys.executable, "build.py", "build", str(root)], cwd=REPO, capture_output=True, text=True, timeout=300, check=False)
    assert proc.returncode == 0, proc.stderr
    return root


@pytest.mark.slow
def test_stopped_builds_keep_the_previous_site(sample: Path) -> None:
    site = sample / "site"
    original = (sample / "rolebook.yml").read_text(encoding="utf-8")
    before = tree(site)
    assert "pdf/handbook.pdf" in before
    stops: list[tuple[int, float | str, bool]] = [
        (signal.SIGTERM, 0.3, False),  # while starting
        (signal.SIGTERM, 1.5, False),  # while checking or building the site
        (signal.SIGTERM, "pdf", False),  # while the PDF workers render
        (signal.SIGINT, "pdf", True),  # Ctrl+C in the terminal: the whole process group
        (signal.SIGKILL, 2.0, False),
        (signal.SIGKILL, "pdf", False),  # the workers are left without their main process
    ]
    for i, (sig, moment, group) in enumerate(stops):
        _set_organisation(sample, f"示例集团（第 {i} 次）")  # every PDF changes: rendered again, by workers
        log = sample.parent / f"build-{i}.log"
        code, err = _stop(_start(log, "build", str(sample)), log, sig, moment, group=group)
        where = (signal.Signals(sig).name, moment)
        assert code != 0, where
        assert "Traceback" not in err, (where, err)
        assert tree(site) == before, where  # not a byte of the previous site changed
        if sig == signal.SIGKILL:
            assert code == -signal.SIGKILL
        else:  # stopped as with Ctrl+C: the half-built folder is removed on the way out
            assert code in (128 + sig, -sig), (where, code)  # -sig: before rolebook installed its handler
            assert _leftovers(sample) == [], where
    assert any(name.startswith(".site.tmp-") for name in _leftovers(sample))  # what SIGKILL left

    # killed between the two renames: only the holder is left, site/ is gone
    holder = sample / ".site.old-0123abcd"
    holder.mkdir()
    (holder / MARKER).write_bytes(b"")  # as rolebook.outputs.swap.fresh_dir makes it
    os.rename(site, holder / "site")
    # not our names, or our name without our marker (a folder rolebook did not make): never touched
    unmarked = sample / ".site.tmp-0123abcd"
    foreign = [sample / ".site.tmp-notours", sample / ".site.old-1234", unmarked]
    for f in foreign:
        f.mkdir()
    broken = sample / "roles/customer-service/guide.yaml"
    good_text = broken.read_text(encoding="utf-8")
    broken.write_text(good_text + "dutys: []\n", encoding="utf-8")
    proc = subprocess.run([sys.executable, "build.py", "build", str(sample)], cwd=REPO, capture_output=True, text=True, timeout=300, check=False)
    assert proc.returncode == 1 and "roles/customer-service/guide.yaml:" in proc.stderr
    assert tree(site) == before  # put back, although this build stopped at the broken file
    assert _leftovers(sample) == [unmarked.name]

    broken.write_text(good_text, encoding="utf-8")
    (sample / "rolebook.yml").write_text(original, encoding="utf-8")
    proc = subprocess.run([sys.executable, "build.py", "build", str(sample)], cwd=REPO, capture_output=True, text=True, timeout=300, check=False)
    assert proc.returncode == 0, proc.stderr
    assert tree(site) == before  # the same handbook again: the same bytes
    assert _leftovers(sample) == [unmarked.name]
    assert all(f.is_dir() for f in foreign)


@pytest.mark.slow
def test_stopped_pdf_builds_keep_the_previous_pdfs(sample: Path) -> None:
    out = sample.parent / "pdf-out"
    original = (sample / "rolebook.yml").read_text(encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "build.py", "pdf", str(sample), "--out", str(out)], cwd=REPO, capture_output=True, text=True, timeout=300, check=False
    )
    assert proc.returncode == 0, proc.stderr
    before = tree(out)
    for i, sig in enumerate((signal.SIGTERM, signal.SIGKILL)):
        _set_organisation(sample, f"示例集团（PDF 第 {i} 次）")
        log = sample.parent / f"pdf-{i}.log"
        code, err = _stop(_start(log, "pdf", str(sample), "--out", str(out)), log, sig, "pdf")
        assert code == (128 + sig if sig != signal.SIGKILL else -sig), (sig, code, err)
        assert "Traceback" not in err
        assert tree(out) == before
    assert [n for n in _leftovers(out.parent) if n.startswith(".pdf-out.tmp-")]  # what SIGKILL left
    (sample / "rolebook.yml").write_text(original, encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "build.py", "pdf", str(sample), "--out", str(out)], cwd=REPO, capture_output=True, text=True, timeout=300, check=False
    )
    assert proc.returncode == 0, proc.stderr
    assert tree(out) == before
    assert _leftovers(out.parent) == []


def test_signals_wait_for_the_end_of_a_deferred_block() -> None:
    """What import (its files), new (a file and the superior's list) and the site swap (two renames) rely on."""
    from rolebook.outputs.swap import signals_deferred

    class Stopped(Exception):
        pass

    def stop(signum: int, frame: object) -> None:
        raise Stopped(signum)

    done: list[str] = []
    previous = signal.signal(signal.SIGTERM, stop)
    try:
        with pytest.raises(Stopped), signals_deferred():
            os.kill(os.getpid(), signal.SIGTERM)
            time.sleep(0.05)
            done.append("first")
            done.append("second")
        assert done == ["first", "second"]
        assert signal.getsignal(signal.SIGTERM) is stop  # the handler is back
    finally:
        signal.signal(signal.SIGTERM, previous)


ORPHAN_SCRIPT = """
import os, signal, time
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from rolebook.workers import init_worker

if __name__ == "__main__":
    pool = ProcessPoolExecutor(max_workers=2, mp_context=get_context("spawn"), initializer=init_worker, initargs=(os.getpid(),))
    pool.submit(time.sleep, 60)
    time.sleep(float(os.environ["KILL_AFTER"]))  # killed before or after the workers got going
    os.kill(os.getpid(), signal.SIGKILL)
"""


@pytest.mark.slow
@pytest.mark.parametrize("kill_after", ["0.05", "2.5"])
def test_workers_end_with_their_main_process(tmp_path: Path, kill_after: str) -> None:
    """A main process killed outright leaves no worker behind — also one killed before its workers
    had started (they would otherwise take init, pid 1, for their parent and wait for ever)."""
    script = tmp_path / "main.py"
    script.write_text(ORPHAN_SCRIPT, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(REPO), "KILL_AFTER": kill_after}
    proc = subprocess.Popen([sys.executable, str(script)], cwd=tmp_path, env=env, start_new_session=True, stderr=subprocess.DEVNULL)
    assert proc.wait(timeout=60) == -signal.SIGKILL
    _wait_group_gone(proc.pid, seconds=20)
