"""``serve`` meets hostile files: a positioned report, the last good pages, never a hang or a crash.

Started on a handbook that has never been good, ``serve`` has nothing to show: it prints the
report and exits 1 (like ``build``), releasing the port and its temporary site. Started on a good
handbook, it survives a file turning into GBK, an unsafe tag (which never runs), a FIFO named
like a role file (which must not hang the rebuild), a link to /etc/passwd and an alias bomb: each
time it prints the positioned report and keeps serving the last good pages. Stopped with SIGTERM
it exits cleanly and leaves nothing in the temporary folder.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.hostile_driver import tree
from tests.scratch import CLERK, make_handbook, materialise_case, minimal
from tests.site_support import free_port, wait_for_port

REPO = Path(__file__).resolve().parent.parent
CASES = REPO / "tests" / "cases" / "invalid"


def _serve(root: Path, port: int, log: Path, tmpdir: Path) -> subprocess.Popen[bytes]:
    with open(log, "wb") as out:
        return subprocess.Popen(
            [sys.executable, "build.py", "serve", str(root), "--dev-addr", f"127.0.0.1:{port}"],
            cwd=REPO,
            stdout=out,
            stderr=subprocess.STDOUT,
            env={**os.environ, "TMPDIR": str(tmpdir)},
        )


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:
        body: bytes = response.read()
        return body.decode("utf-8")


def _wait_for(predicate: Callable[[], bool], timeout: float = 30) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return False


def _become(path: Path, kind: str, content: bytes | str) -> None:
    """Replace ``path`` by a file with ``content``, a FIFO, or a symbolic link to ``content``."""
    if os.path.lexists(path):
        path.unlink()
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "link":
        os.symlink(content, path)
    else:
        path.write_bytes(content if isinstance(content, bytes) else content.encode())


def _port_closed(port: int) -> bool:
    import socket

    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) != 0


@pytest.mark.parametrize("case", ["encoding-gbk", "python-tag", "alias-bomb", "department-loop"])
def test_serve_on_a_handbook_that_was_never_good_exits_1_with_the_report(tmp_path: Path, case: str) -> None:
    root = materialise_case(CASES / case, tmp_path / "hb")
    expected = (CASES / case / "expected.txt").read_text(encoding="utf-8")
    tmpdir = tmp_path / "tmp"
    tmpdir.mkdir()
    port = free_port()
    proc = _serve(root, port, tmp_path / "serve.log", tmpdir)
    try:
        code = proc.wait(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    log = (tmp_path / "serve.log").read_text(encoding="utf-8")
    assert code == 1, log
    assert "Traceback" not in log
    for line in expected.splitlines()[:-1]:  # every problem line, positioned; the summary line differs in wording only
        if " error [" in line or " warning [" in line:
            assert line in log, (line, log)
    assert "the site was not built" in log
    assert _port_closed(port)
    assert set(tree(tmpdir)) <= {"jieba.cache"}  # MkDocs' temporary site and rolebook's config are gone
    assert not (tmp_path / "rolebook-pwned").exists() and not (REPO / "rolebook-pwned").exists()


@pytest.mark.slow
def test_serve_survives_hostile_edits_and_stops_cleanly(tmp_path: Path) -> None:
    root = make_handbook(tmp_path / "hb", dict[str, str | bytes](minimal("en")))
    tmpdir = tmp_path / "tmp"
    tmpdir.mkdir()
    port = free_port()
    log = tmp_path / "serve.log"
    proc = _serve(root, port, log, tmpdir)
    clerk = root / "roles/cs/clerk.yaml"
    url = f"http://127.0.0.1:{port}/roles/clerk.html"
    marker = tmp_path / "pwned"

    def reported(text: str, after: int) -> Callable[[], bool]:
        return lambda: text in log.read_text(encoding="utf-8")[after:]

    bomb = (CASES / "alias-bomb/roles/cs/clerk.yaml").read_bytes()
    edits: list[tuple[str, str, bytes | str, str]] = [  # name, what the file becomes, its content, the report line
        ("GBK", "file", CLERK.replace("接听电话", "接待访客").encode("gb18030"), "roles/cs/clerk.yaml:7:11: error [encoding]"),
        ("unsafe tag", "file", f'number: !!python/object/apply:os.system ["touch {marker}"]\n'.encode(), "error [yaml-tag]"),
        ("FIFO", "fifo", b"", "roles/cs/clerk.yaml: error [not-a-file]"),
        ("link to /etc/passwd", "link", "/etc/passwd", "roles/cs/clerk.yaml: error [symlink-outside]"),
        ("alias bomb", "file", bomb, "error [yaml-alias]"),
    ]
    try:
        wait_for_port(port, proc, timeout=60)
        good = _get(url)
        assert "接听电话" in good
        for name, kind, content, expected in edits:
            seen = len(log.read_text(encoding="utf-8"))
            _become(clerk, kind, content)
            assert _wait_for(reported(expected, seen)), (name, log.read_text(encoding="utf-8")[seen:])
            assert _wait_for(reported("Reloading browsers", seen)), name  # the rebuild finished (with the last good pages)
            assert proc.poll() is None, f"serve stopped on the {name}"
            page = _get(url)
            assert "接听电话" in page and "root:" not in page, name  # the last good page, still served
        assert not marker.exists()

        _become(clerk, "file", CLERK.replace("接听电话", "接听并转接电话").encode())
        assert _wait_for(lambda: "接听并转接电话" in _get(url)), "the fixed file never showed up"
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            code = proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
            raise
    text = log.read_text(encoding="utf-8")
    assert "Traceback" not in text, text[-3000:]
    assert code in (0, 128 + signal.SIGTERM), code
    assert _port_closed(port)
    assert set(tree(tmpdir)) <= {"jieba.cache"}  # MkDocs' temporary site removed on the way out
