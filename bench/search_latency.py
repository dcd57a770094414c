#!/usr/bin/env python3
"""How long the built site's search takes in a real browser, from typing a Chinese query to the first result.

    python3 bench/search_latency.py SITE_DIR [--query 客户] [--query2 满意度]

Serves SITE_DIR with ``python -m http.server`` on 127.0.0.1, opens the home page in Debian's
Chromium (Playwright), waits until the page is loaded, then types the query into Material's
search box and times until the first result is shown. That first query includes what the
search worker does on first use (downloading search_index.json and building the index in
the browser); a second query shows the time once the index is built. Prints JSON.
Not part of the test suite (bench/run.py runs it as its `search` step).
"""

from __future__ import annotations

import argparse
import json
import socket
import subprocess
import sys
import time
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for_port(port: int, timeout: float = 30) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise SystemExit(f"the static server did not start on port {port}")


def measure(site: Path, queries: list[str]) -> dict[str, object]:
    from playwright.sync_api import sync_playwright

    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1", "--directory", str(site)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for_port(port)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.goto(f"http://127.0.0.1:{port}/index.html")
            page.wait_for_load_state("networkidle")
            box = "input.md-search__input"
            times: list[float] = []
            counts: list[str] = []
            for i, query in enumerate(queries):
                if i:  # mark what the previous query showed, to wait for this query's own results
                    page.eval_on_selector_all(".md-search-result__item", "els => els.forEach(e => { e.dataset.rbOld = '1'; })")
                start = time.perf_counter()
                page.fill(box, query)  # the whole word at once, as an input method gives Chinese
                page.press(box, "End")  # Material reads the box on keyup
                if i == 0:
                    page.wait_for_selector(".md-search-result__item", state="attached", timeout=600_000)
                else:  # the first result of this query, not the one left from the previous query
                    page.wait_for_selector(".md-search-result__item:not([data-rb-old])", state="attached", timeout=600_000)
                times.append(time.perf_counter() - start)
                counts.append(page.eval_on_selector(".md-search-result__meta", "e => e.textContent.trim()"))
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=10)
    index = site / "search" / "search_index.json"
    return {
        "queries": queries,
        "first_result_s": round(times[0], 3),
        "next_result_s": round(times[1], 3) if len(times) > 1 else None,
        "result_meta": counts,
        "index_bytes": index.stat().st_size if index.exists() else None,
        # (the measured time is wall-clock, not median: one browser run per call)
        "seconds": round(times[0], 3),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("site", type=Path)
    ap.add_argument("--query", default="客户")
    ap.add_argument("--query2", default="满意度")
    a = ap.parse_args()
    print(json.dumps(measure(a.site, [a.query, a.query2]), ensure_ascii=False))


if __name__ == "__main__":
    main()
