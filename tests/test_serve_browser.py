"""``rolebook serve`` in a real browser: an edit shows up by itself; a broken edit keeps the last good page
and shows its errors on it; fixing the file takes the banner away."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.scratch import CLERK, make_handbook, minimal
from tests.site_support import CHROMIUM, CHROMIUM_ARGS, free_port, wait_for_port

REPO = Path(__file__).resolve().parent.parent
BANNER = "#rolebook-serve-problems"


@pytest.mark.slow
def test_an_edit_shows_up_in_the_browser_and_a_broken_edit_keeps_the_last_good_page(tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    root = make_handbook(tmp_path / "hb", dict[str, str | bytes](minimal("en")))
    clerk = root / "roles/cs/clerk.yaml"
    port = free_port()
    tmpdir = tmp_path / "tmp"
    tmpdir.mkdir()
    log = tmp_path / "serve.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "build.py", "serve", str(root), "--dev-addr", f"127.0.0.1:{port}"],
            cwd=REPO,
            stdout=out,
            stderr=subprocess.STDOUT,
            env={**os.environ, "TMPDIR": str(tmpdir)},
        )
    try:
        wait_for_port(port, proc, timeout=120)
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page()
            page.goto(f"http://127.0.0.1:{port}/roles/clerk.html")
            assert "接听电话" in page.inner_text("article")

            def shows(text: str) -> None:
                page.wait_for_function("t => document.querySelector('article')?.innerText.includes(t)", arg=text, timeout=60_000)

            clerk.write_text(CLERK.replace("接听电话", "Answers the phone & <b>e-mail</b>"), encoding="utf-8")
            shows("Answers the phone & <b>e-mail</b>")  # reloaded by itself; the text escaped, not markup
            assert page.locator(BANNER).count() == 0

            clerk.write_text(CLERK.replace("headcount: 2", "headcount: two"), encoding="utf-8")
            page.wait_for_selector(BANNER, timeout=60_000)
            banner = page.inner_text(BANNER)
            assert "roles/cs/clerk.yaml:4:12: error [wrong-type]" in banner, banner
            assert "last version without errors" in banner
            assert "Answers the phone & <b>e-mail</b>" in page.inner_text("article")  # the last good page

            clerk.write_text(CLERK.replace("接听电话", "Takes messages"), encoding="utf-8")
            shows("Takes messages")
            assert page.locator(BANNER).count() == 0
            browser.close()
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    text = log.read_text(encoding="utf-8")
    assert "Traceback" not in text
    assert text.count("Rebuilt ") >= 2  # the edits were partial rebuilds, not whole builds
