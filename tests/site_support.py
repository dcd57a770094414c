"""Helpers for the site tests: build through the real command line, serve, drive Chromium."""

from __future__ import annotations

import contextlib
import json
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parent.parent

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"]

# Everything a hostile (or careless) HR user could type that means something to HTML, Markdown,
# Jinja, Python-Markdown extensions or Graphviz. Every one must appear literally on the pages.
XSS_TITLE = "<script>alert(1)</script>"
HOSTILE = {
    "title": XSS_TITLE,
    "kpi_pipe": "准确率 | 及时率",
    "duty_hash": "# 不是标题",
    "duty_jinja": "{{ 7*7 }} 与 {% raw %}",
    "duty_admonition": "!!! note",
    "duty_snippet": '--8<-- "/etc/passwd"',
    "duty_link": "[x](javascript:alert(1))",
    "duty_img": '<img src=x onerror="alert(2)">',
    "group": "{: .evil } 组 ##",
    "dot": 'a\\N "quoted" \\l',
    "dept": '<b onmouseover="alert(3)">部门</b>',
    "org": '"><svg onload=alert(4)>',
}


def _q(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a valid YAML double-quoted scalar


def hostile_files() -> dict[str, str | bytes]:
    h = HOSTILE
    return {
        "rolebook.yml": f"organisation: {_q(h['org'])}\nlanguage: zh\n",
        "roles/evil/_department.yaml": f"name: {_q(h['dept'])}\ndescription: {_q(h['duty_link'])}\nduties:\n  - {_q(h['duty_img'])}\n",
        "roles/evil/boss.yaml": (
            "number: E-001\n"
            f"title: {_q(h['title'])}\n"
            'headcount: 1\nstatus: approved\napprover: HR\napproval_date: "2020-01-01"\n'
            f"summary:\n  - {_q(h['duty_hash'])}\n  - group: {_q(h['group'])}\n    items:\n      - {_q(h['duty_snippet'])}\n"
            "duties:\n"
            f"  - duty: {_q(h['duty_hash'])}\n    kpis: [{_q(h['kpi_pipe'])}]\n"
            f"  - duty: {_q(h['duty_jinja'])}\n    kpis: [{_q(h['duty_admonition'])}]\n"
            f"  - group: {_q(h['group'])}\n    duties:\n"
            f"      - duty: {_q(h['duty_snippet'])}\n        kpis: [{_q(h['duty_link'])}]\n"
            f"      - duty: {_q(h['duty_img'])}\n        kpis: [{_q(h['dot'])}]\n"
        ),
        "roles/evil/clerk.yaml": (
            "number: E-002\n"
            f"title: {_q(h['dot'])}\n"
            "reports_to: boss\nheadcount: 2\nstatus: draft\n"
            f"duties:\n  - duty: {_q(h['duty_admonition'])}\n    kpis: [{_q(h['kpi_pipe'])}]\n"
        ),
    }


def run_build(root: Path, site_dir: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "build.py", "build", str(root), "--site-dir", str(site_dir), *extra],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def built(root: Path, site_dir: Path) -> Path:
    proc = run_build(root, site_dir)
    assert proc.returncode == 0, proc.stderr
    return site_dir


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def wait_for_port(port: int, proc: subprocess.Popen[bytes] | subprocess.Popen[str], timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"server exited with {proc.returncode}")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.2):
            return
        time.sleep(0.05)
    raise AssertionError(f"nothing listens on port {port}")


@contextlib.contextmanager
def static_server(site: Path) -> Iterator[str]:
    """``python -m http.server`` on 127.0.0.1 serving ``site``; yields the base URL."""
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1", "--directory", str(site)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for_port(port, proc)
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def launched_chromium() -> Iterator[Any]:
    """Debian's Chromium through Playwright, for a module's ``browser`` fixture (``yield from``); skips
    the tests when Playwright or Chromium is missing."""
    sync_api = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is not installed (scripts/setup.sh --test)")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@dataclass(frozen=True)
class SampleSite:
    path: Path
    seconds: float


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory: pytest.TempPathFactory) -> SampleSite:
    """The sample handbook's site, built once per test session through ``build.py build``."""
    site = tmp_path_factory.mktemp("sample") / "site"
    start = time.perf_counter()
    built(REPO, site)
    return SampleSite(site, time.perf_counter() - start)


@pytest.fixture(scope="session")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A scratch handbook whose every text is hostile, built once per test session."""
    from tests.scratch import make_handbook

    root = make_handbook(tmp_path_factory.mktemp("hostile"), hostile_files())
    return built(root, root / "site")
