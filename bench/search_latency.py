#!/usr/bin/env python3
"""How long the built site's search takes in a real browser, from typing a query to the first result.

    python3 bench/search_latency.py SITE_DIR [--query 客户] [--query2 满意度] [--runs 3]
                                             [--file] [--worker PATH]

Serves SITE_DIR on 127.0.0.1 (a static server like ``python -m http.server``, in this process),
opens the home page in Debian's Chromium (Playwright) in a fresh browser context (empty cache),
waits until the page is loaded, then types the query into Material's search box and times until
the first result is shown. That first query includes what the search worker still has to do
when the reader starts typing (reading search_index.json, and for Material's own worker
building its lunr index); a second query shows the time once that is done. Each run is a new
context; the median of the runs is reported. Prints JSON.

``--file`` opens the site from file:// instead (no server; the index comes from
search/search_index.js and is read only once the search box is used). ``--worker PATH`` serves
PATH in place of the site's search worker, to compare workers on the same index (e.g. Material's
own ``material/templates/assets/javascripts/workers/search.*.min.js``).
Not part of the test suite (bench/run.py runs it as its `search` step).
"""

from __future__ import annotations

import argparse
import functools
import json
import statistics
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"]
BOX = "input.md-search__input"
WORKERS = "assets/javascripts/workers/"


class Handler(SimpleHTTPRequestHandler):
    worker: Path | None = None

    def translate_path(self, path: str) -> str:
        if self.worker is not None and WORKERS in path and path.rsplit("/", 1)[-1].startswith("search."):
            return str(self.worker)
        return super().translate_path(path)

    def log_message(self, format: str, *args: Any) -> None:
        pass


def one_run(browser: Any, start_url: str, queries: list[str]) -> tuple[list[float], list[str]]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(start_url)
    page.wait_for_load_state("networkidle")
    times: list[float] = []
    counts: list[str] = []
    for i, query in enumerate(queries):
        if i:  # mark what the previous query showed, to wait for this query's own results
            page.eval_on_selector_all(".md-search-result__item", "els => els.forEach(e => { e.dataset.rbOld = '1'; })")
        start = time.perf_counter()
        page.fill(BOX, query)  # the whole word at once, as an input method gives Chinese
        page.press(BOX, "End")  # Material reads the box on keyup
        selector = ".md-search-result__item" if i == 0 else ".md-search-result__item:not([data-rb-old])"
        page.wait_for_selector(selector, state="attached", timeout=600_000)
        times.append(time.perf_counter() - start)
        counts.append(page.eval_on_selector(".md-search-result__meta", "e => e.textContent.trim()"))
    context.close()
    return times, counts


def measure(site: Path, queries: list[str], *, runs: int = 3, file: bool = False, worker: Path | None = None) -> dict[str, object]:
    from playwright.sync_api import sync_playwright

    server = None
    if file:
        start_url = (site / "index.html").resolve().as_uri()
    else:
        handler = functools.partial(type("H", (Handler,), {"worker": worker}), directory=str(site))
        server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        start_url = f"http://127.0.0.1:{server.server_address[1]}/index.html"
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            results = [one_run(browser, start_url, queries) for _ in range(runs)]
            browser.close()
    finally:
        if server is not None:
            server.shutdown()
            server.server_close()
    firsts = [t[0] for t, _ in results]
    nexts = [t[1] for t, _ in results if len(t) > 1]
    index = site / "search" / "search_index.json"
    return {
        "queries": queries,
        "mode": "file" if file else "served",
        "worker": str(worker) if worker else "site's own",
        "first_result_s": round(statistics.median(firsts), 3),
        "next_result_s": round(statistics.median(nexts), 3) if nexts else None,
        "runs_first_s": [round(t, 3) for t in firsts],
        "result_meta": results[0][1],
        "index_bytes": index.stat().st_size if index.exists() else None,
        "seconds": round(statistics.median(firsts), 3),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("site", type=Path)
    ap.add_argument("--query", default="客户")
    ap.add_argument("--query2", default="满意度")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--file", action="store_true", help="open the site from file:// instead of serving it")
    ap.add_argument("--worker", type=Path, help="serve this file in place of the site's search worker")
    a = ap.parse_args()
    print(json.dumps(measure(a.site, [a.query, a.query2], runs=a.runs, file=a.file, worker=a.worker), ensure_ascii=False))


if __name__ == "__main__":
    main()
