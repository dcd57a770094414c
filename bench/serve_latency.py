#!/usr/bin/env python3
"""How long ``rolebook serve`` takes from saving a role file to the browser showing the change.

    python3 bench/serve_latency.py HANDBOOK_DIR [--saves 10] [--rss-saves 50] [--warmup 2]

Starts the real command (``build.py serve HANDBOOK --dev-addr 127.0.0.1:PORT``), waits for its
first build, opens a role page in Debian's Chromium (Playwright), then edits that role's file
as HR would (a duty's text), and times from the write until the page's text shows the new
duty (the preview reloads the page by itself). The median and the largest of ``--saves``
edits are reported. Then ``--rss-saves`` more edits are made (each waited for in the browser)
and the server's resident memory (VmRSS of the serve process) is read after the first 5 and
after the last. The serve process's CPU seconds per save (from /proc) are reported beside the
wall-clock latency: on a shared machine they are what the rebuild costs; so are the CPU seconds
of the browser's processes per save (reloading and drawing the page). Prints JSON. The handbook's role file is put back as it was at the end.
Not part of the test suite (bench/run.py runs it as its ``serve`` step).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def cpu_s(pid: int) -> float:
    """User + system CPU seconds of process ``pid`` so far (all its threads)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def tree_cpu_s(root: int, skip: int) -> float:
    """CPU seconds of every process below ``root`` (the browser's), leaving out ``skip``'s (the server's) tree."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parents[int(entry.name)] = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
    total = 0.0
    for pid in parents:
        chain, cur = [], pid
        while cur in parents and cur not in (root, skip, 0, 1):
            chain.append(cur)
            cur = parents[cur]
        if cur == root and pid != root:
            with contextlib.suppress(OSError, IndexError, ValueError):
                total += cpu_s(pid)
    return total


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def wait_ready(log: Path, proc: subprocess.Popen[bytes], timeout: float = 1800) -> float:
    start = time.perf_counter()
    while time.perf_counter() - start < timeout:
        if proc.poll() is not None:
            raise SystemExit(f"serve exited ({proc.returncode}):\n{log.read_text(encoding='utf-8', errors='replace')[-3000:]}")
        if "Serving on" in log.read_text(encoding="utf-8", errors="replace"):
            return time.perf_counter() - start
        time.sleep(0.2)
    raise SystemExit("serve did not start")


def role_file(root: Path) -> Path:
    files = sorted(p for p in (root / "roles").glob("*/*.yaml") if not p.name.startswith("_"))
    return files[len(files) // 2]


def measure(root: Path, saves: int, rss_saves: int, warmup: int) -> dict[str, Any]:
    from playwright.sync_api import sync_playwright

    path = role_file(root)
    original = path.read_text(encoding="utf-8")
    port = free_port()
    log = Path(os.environ.get("TMPDIR", "/tmp")) / f"serve-latency-{port}.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            [sys.executable, str(REPO / "build.py"), "serve", str(root), "--dev-addr", f"127.0.0.1:{port}"], cwd=REPO, stdout=out, stderr=subprocess.STDOUT
        )
    result: dict[str, Any] = {"roles": sum(1 for p in (root / "roles").glob("*/*.yaml") if not p.name.startswith("_")), "file": str(path.relative_to(root))}
    try:
        result["first_build_s"] = wait_ready(log, proc)
        result["rss_start_mib"] = rss_mib(proc.pid)
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            page = browser.new_page()
            page.goto(f"http://127.0.0.1:{port}/roles/{path.stem}.html")
            page.wait_for_load_state("load")

            cpu: list[float] = []
            browser_cpu: list[float] = []

            def save(n: int) -> float:
                marker = f"改动标记{n:05d}"
                text = original.replace("duties:\n", f"duties:\n  - duty: {marker}\n    kpis: [指标]\n", 1)
                used = cpu_s(proc.pid)
                browser_used = tree_cpu_s(os.getpid(), proc.pid)
                start = time.perf_counter()
                path.write_text(text, encoding="utf-8")
                page.wait_for_function("m => document.body && document.body.innerText.includes(m)", arg=marker, timeout=600_000, polling=20)
                took = time.perf_counter() - start
                cpu.append(cpu_s(proc.pid) - used)  # the server's work for this save (its rebuild, serving the page)
                browser_cpu.append(tree_cpu_s(os.getpid(), proc.pid) - browser_used)  # Chromium's: reloading, drawing
                return took

            for n in range(warmup):  # the first edits warm caches (charts, the checked files' cache)
                save(n)
            times = [save(warmup + n) for n in range(saves)]
            result["latency_s"] = times
            result["median_s"] = statistics.median(times)
            result["max_s"] = max(times)
            result["server_cpu_s"] = cpu[warmup:]
            result["server_cpu_median_s"] = statistics.median(cpu[warmup:])
            result["browser_cpu_median_s"] = statistics.median(browser_cpu[warmup:])
            rss = []
            for n in range(rss_saves):
                save(1000 + n)
                if n + 1 in (5, rss_saves):
                    rss.append(rss_mib(proc.pid))
            if rss:
                result["rss_after_5_mib"], result["rss_after_last_mib"] = rss[0], rss[-1]
                result["rss_saves"] = rss_saves
            browser.close()
        tail = log.read_text(encoding="utf-8", errors="replace")
        result["partial_rebuilds"] = tail.count("Rebuilt ") + tail.count("重新生成了 ")
        result["full_rebuilds"] = tail.count("Documentation built in") - 1
    finally:
        path.write_text(original, encoding="utf-8")
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    return result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("handbook", type=Path)
    ap.add_argument("--saves", type=int, default=10)
    ap.add_argument("--rss-saves", type=int, default=50)
    ap.add_argument("--warmup", type=int, default=2)
    a = ap.parse_args()
    print(json.dumps(measure(a.handbook.resolve(), a.saves, a.rss_saves, a.warmup), indent=1))


if __name__ == "__main__":
    main()
