#!/usr/bin/env python3
"""Benchmark rolebook from 100 to 10,000 roles; writes the tables of docs/benchmarks.md.

    python3 bench/run.py [--sizes 100 1000 10000] [--steps STEP ...] [--repeat 3]

Steps (default: all): check_cold check_edit naive site plain pdf_cold pdf_edit search serve.

Everything is timed as a whole process (what a user waits for): the median of ``--repeat``
runs for the quick steps (check, naive), one run for the slow ones, with the peak resident
memory of the largest process (a command and its worker processes). Side by side, in the
same run:

* naive: loading and validating the same files with PyYAML's C loader and jsonschema,
  serially — the floor a straightforward implementation gives;
* plain: ``mkdocs build`` with Material (``navigation.prune``) of the very same generated
  role pages without our plugin — what our site build adds or saves.

Each step's result is kept in ``bench/out/results.json``, so the slow steps of the big size
can be run on their own (``--sizes 10000 --steps pdf_cold pdf_edit``) and the report is
always written from everything measured so far. Only the part of docs/benchmarks.md between
the ``bench:begin``/``bench:end`` markers is replaced; the analysis around it is kept.
Ratios measured in one run are what to compare; the machine is shared and noisy.
Not part of the test suite.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "bench" / "out"
RESULTS = OUT / "results.json"
sys.path.insert(0, str(REPO))

from bench.generate import generate  # noqa: E402

STEPS = ("check_cold", "check_edit", "naive", "site", "plain", "pdf_cold", "pdf_edit", "search", "serve")
LABELS = {
    "check_cold": "check (cold: no cache)",
    "check_edit": "check (one role edited)",
    "naive": "naive: PyYAML C loader + jsonschema",
    "site": "site build (`build --no-pdf`)",
    "plain": "plain `mkdocs build` + Material, same pages",
    "pdf_cold": "all PDFs (cold)",
    "pdf_edit": "PDFs (one role edited)",
}
BEGIN, END = "<!-- bench:begin -->", "<!-- bench:end -->"

NAIVE = textwrap.dedent(
    """\
    import json, sys, pathlib, yaml, jsonschema
    schema = json.load(open(sys.argv[2], encoding="utf-8"))
    v = jsonschema.Draft202012Validator(schema)
    bad = 0
    for p in sorted(pathlib.Path(sys.argv[1]).glob("roles/*/*.yaml")):
        if p.name.startswith("_"):
            continue
        data = yaml.load(p.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
        bad += sum(1 for _ in v.iter_errors(data))
    print(bad)
    """
)

PLAIN = textwrap.dedent(
    """\
    import sys, pathlib
    from rolebook.app.pipeline import check_handbook
    from rolebook.render.pages import render_pages
    root, docs = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
    hb = check_handbook(root, use_cache=False).handbook
    for page in render_pages(hb, directory_urls=True):
        path = docs / page.src_uri
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(page.content, encoding="utf-8")
    """
)


def timed(cmd: list[str], cwd: Path = REPO) -> dict[str, float]:
    """Wall seconds and peak RSS (MiB) of the largest process of ``cmd``'s tree."""
    with tempfile.TemporaryFile() as err:  # a file, not a pipe: a chatty command cannot block on a full pipe
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode != 0:
            err.seek(0)
            raise SystemExit(f"{' '.join(cmd)} failed ({proc.returncode}):\n{err.read().decode(errors='replace')[-3000:]}")
    # wait4's ru_maxrss covers the child and the descendants it waited for (worker processes)
    # CPU seconds of the tree (user + system) tell what the work costs when the machine is shared
    return {"seconds": elapsed, "peak_mib": usage.ru_maxrss / 1024, "cpu_s": usage.ru_utime + usage.ru_stime}


def median(runs: list[dict[str, float]]) -> dict[str, float]:
    return {
        "seconds": statistics.median(r["seconds"] for r in runs),
        "peak_mib": max(r["peak_mib"] for r in runs),
        "cpu_s": statistics.median(r["cpu_s"] for r in runs),
        "runs": len(runs),
    }


def edit_one(root: Path) -> None:
    """Change one role's content (a KPI), as HR would."""
    path = sorted((root / "roles").glob("dept-0001/r*.yaml"))[0]
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("kpis: [", f"kpis: [改{time.time_ns() % 100000}, ", 1), encoding="utf-8")


def bench_size(n: int, steps: list[str], repeat: int, results: dict[str, Any]) -> None:
    root = OUT / f"hb-{n}"
    if not (root / "rolebook.yml").exists():  # kept between runs, so one step can be re-run on its own
        generate(n, root)
    py = sys.executable
    cache = root / ".rolebook-cache"
    here: dict[str, Any] = results.setdefault(str(n), {})

    def record(step: str, value: dict[str, Any]) -> None:
        here[step] = {**value, "when": time.strftime("%Y-%m-%d %H:%M")}
        print(f"  {step}: {value['seconds']:.2f} s, {value.get('peak_mib', 0):.0f} MiB", file=sys.stderr, flush=True)
        RESULTS.write_text(json.dumps(results, indent=1, sort_keys=True), encoding="utf-8")

    def check_cold() -> dict[str, float]:
        shutil.rmtree(cache, ignore_errors=True)
        return timed([py, "build.py", "check", str(root)])

    if "check_cold" in steps:
        record("check_cold", median([check_cold() for _ in range(repeat)]))
    if "check_edit" in steps:
        timed([py, "build.py", "check", str(root)])  # the cache exists
        runs = []
        for _ in range(repeat):
            edit_one(root)
            runs.append(timed([py, "build.py", "check", str(root)]))
        record("check_edit", median(runs))
    if "naive" in steps:
        schema = str(REPO / "schema" / "role.schema.json")
        record("naive", median([timed([py, "-c", NAIVE, str(root), schema]) for _ in range(repeat)]))
    if "site" in steps:
        timed([py, "build.py", "check", str(root)])  # as a user does: check, then build
        site = OUT / f"site-{n}"
        record("site", timed([py, "build.py", "build", str(root), "--site-dir", str(site), "--no-pdf"]))
        index = site / "search" / "search_index.json"
        here["site"]["pages"] = sum(1 for _ in site.rglob("*.html"))
        here["site"]["index_mib"] = index.stat().st_size / 2**20 if index.exists() else 0
        here["site"]["index_docs"] = len(json.loads(index.read_text(encoding="utf-8"))["docs"]) if index.exists() else 0
        here["site"]["site_mib"] = sum(p.stat().st_size for p in site.rglob("*") if p.is_file()) / 2**20
        RESULTS.write_text(json.dumps(results, indent=1, sort_keys=True), encoding="utf-8")
    if "plain" in steps:
        docs = OUT / f"plain-{n}" / "docs"
        shutil.rmtree(docs.parent, ignore_errors=True)
        docs.mkdir(parents=True)
        subprocess.run([py, "-c", PLAIN, str(root), str(docs)], check=True, cwd=REPO)
        (docs.parent / "mkdocs.yml").write_text(
            "site_name: plain\ntheme:\n  name: material\n  font: false\n  features: [navigation.prune]\nplugins: [search]\n", encoding="utf-8"
        )
        record("plain", timed([py, "-m", "mkdocs", "build", "-q", "-f", str(docs.parent / "mkdocs.yml")]))
    if "pdf_cold" in steps:
        shutil.rmtree(cache / "pdf", ignore_errors=True)
        out = OUT / f"pdf-{n}"
        record("pdf_cold", timed([py, "build.py", "pdf", str(root), "--out", str(out)]))
        here["pdf_cold"]["pdfs"] = sum(1 for _ in out.rglob("*.pdf"))
        here["pdf_cold"]["pdf_mib"] = sum(p.stat().st_size for p in out.rglob("*.pdf")) / 2**20
        RESULTS.write_text(json.dumps(results, indent=1, sort_keys=True), encoding="utf-8")
    if "pdf_edit" in steps:
        edit_one(root)
        record("pdf_edit", timed([py, "build.py", "pdf", str(root), "--out", str(OUT / f"pdf-{n}")]))
    if "serve" in steps:  # save a role file → the change shown in Chromium (bench/serve_latency.py), and memory over 50 saves
        proc = subprocess.run([py, str(REPO / "bench" / "serve_latency.py"), str(root)], check=True, capture_output=True, text=True, cwd=REPO)
        here["serve"] = {**json.loads(proc.stdout), "when": time.strftime("%Y-%m-%d %H:%M")}
        print(f"  serve: median {here['serve']['median_s']:.2f} s", file=sys.stderr, flush=True)
        RESULTS.write_text(json.dumps(results, indent=1, sort_keys=True), encoding="utf-8")
    if "search" in steps:
        site = OUT / f"site-{n}"
        proc = subprocess.run([py, str(REPO / "bench" / "search_latency.py"), str(site)], check=True, capture_output=True, text=True, cwd=REPO)
        value = json.loads(proc.stdout)
        here["search"] = {**value, "when": time.strftime("%Y-%m-%d %H:%M")}
        print(f"  search: {value}", file=sys.stderr, flush=True)
        RESULTS.write_text(json.dumps(results, indent=1, sort_keys=True), encoding="utf-8")


def versions() -> str:
    from importlib.metadata import version

    parts = [f"Python {platform.python_version()}"]
    for dist in ("PyYAML", "jsonschema", "jsonschema-rs", "mkdocs", "mkdocs-material", "Markdown", "jieba", "weasyprint"):
        try:
            parts.append(f"{dist} {version(dist)}")
        except Exception:
            parts.append(f"{dist} (not installed)")
    return ", ".join(parts)


def _machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        mem = next(int(x.split()[1]) for x in Path("/proc/meminfo").read_text().splitlines() if x.startswith("MemTotal")) / 2**20
    except (OSError, StopIteration):
        mem = 0
    return f"{cpu}, {os.cpu_count()} cores, {mem:.0f} GiB, {platform.platform()}"


def _f(value: float | None, fmt: str = ".2f") -> str:
    return "–" if value is None else format(value, fmt)


def tables(results: dict[str, Any]) -> str:
    sizes = sorted(int(n) for n in results)
    lines = [
        f"- Machine: {_machine()}",
        f"- Versions: {versions()}",
        "- Synthetic handbooks from `bench/generate.py` (about 2 KB per role, 5–10 duties with KPIs, departments of 50 roles).",
        "",
        "| N | step | seconds | ms per role | CPU s (all processes) | peak MiB | measured |",
        "|---:|---|---:|---:|---:|---:|---|",
    ]
    for n in sizes:
        rows = results[str(n)]
        for step in STEPS:
            if step in rows and step in LABELS:
                r = rows[step]
                runs = f" (median of {r['runs']})" if r.get("runs", 1) > 1 else ""
                cpu = _f(r.get("cpu_s"))
                secs = f"> {r['seconds']:.0f} (stopped, not finished)" if r.get("stopped") else f"{r['seconds']:.2f}"
                per = f"> {r['seconds'] / n * 1000:.0f}" if r.get("stopped") else f"{r['seconds'] / n * 1000:.2f}"
                lines.append(f"| {n:,} | {LABELS[step]}{runs} | {secs} | {per} | {cpu} | {r['peak_mib']:.0f} | {r['when']} |")
    lines += [
        "",
        "## Ratios and targets (same run)",
        "",
        "| N | check cold ÷ naive (≤ 0.25) | check cold s (≤ 3 at 10k) | check after edit s (≤ 0.5 at 10k) | site s (≤ 60 at 10k) | site ÷ plain (≤ 0.25) | site ms/page | per-page vs. 1,000 (≤ 1.2) | PDF s per role, cold (≤ 0.1) | PDF CPU s per role ÷ cores (wall on idle cores) | largest process MiB (≤ 1024) |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    base = results.get("1000", {}).get("site")
    base_per = base["seconds"] / base["pages"] if base and base.get("pages") else None
    for n in sizes:
        rows = results[str(n)]

        def sec(step: str, rows: dict[str, Any] = rows) -> float | None:
            return rows[step]["seconds"] if step in rows else None

        cold, naive, edit, site, plain, pdf = (sec(s) for s in ("check_cold", "naive", "check_edit", "site", "plain", "pdf_cold"))
        pages = rows.get("site", {}).get("pages")
        per = site / pages * 1000 if site and pages else None
        peak = max((r.get("peak_mib", 0) for k, r in rows.items() if k in LABELS), default=None)
        pdf_cpu = rows.get("pdf_cold", {}).get("cpu_s")
        cores = os.cpu_count() or 1
        ratio = _f(site / plain if site and plain else None)
        if rows.get("plain", {}).get("stopped") and ratio != "–":
            ratio = "< " + ratio
        lines.append(
            f"| {n:,} | {_f(cold / naive if cold and naive else None)} | {_f(cold)} | {_f(edit)} | {_f(site, '.1f')} | {ratio} "
            f"| {_f(per)} | {_f(per / 1000 / base_per if per and base_per else None)} | {_f(pdf / n if pdf else None, '.3f')} | {_f(pdf_cpu / n / cores if pdf_cpu else None, '.3f')} | {_f(peak, '.0f')} |"
        )
    lines += [
        "",
        "## Site output and search",
        "",
        "| N | pages | site MiB | search index MiB | index entries | PDFs | PDF MiB | first result after typing (s) | next query (s) |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for n in sizes:
        rows = results[str(n)]
        s, p, q = rows.get("site", {}), rows.get("pdf_cold", {}), rows.get("search", {})
        lines.append(
            f"| {n:,} | {s.get('pages', '–')} | {_f(s.get('site_mib'), '.0f')} | {_f(s.get('index_mib'), '.1f')} | {s.get('index_docs', '–')} "
            f"| {p.get('pdfs', '–')} | {_f(p.get('pdf_mib'), '.0f')} | {_f(q.get('first_result_s'))} | {_f(q.get('next_result_s'))} |"
        )
    return "\n".join(lines)


def write_report(results: dict[str, Any], path: Path) -> None:
    block = f"{BEGIN}\n{tables(results)}\n{END}"
    old = path.read_text(encoding="utf-8") if path.exists() else ""
    if BEGIN in old and END in old:
        text = old[: old.index(BEGIN)] + block + old[old.index(END) + len(END) :]
    else:
        text = "# Benchmarks\n\nWritten by `python3 bench/run.py` (not part of the test suite).\n\n" + block + "\n" + old
    path.write_text(text, encoding="utf-8")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 10000])
    ap.add_argument("--steps", nargs="+", default=list(STEPS), choices=STEPS)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--report-only", action="store_true", help="only rewrite the report from bench/out/results.json")
    ap.add_argument("--out", type=Path, default=REPO / "docs" / "benchmarks.md")
    a = ap.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    results: dict[str, Any] = json.loads(RESULTS.read_text(encoding="utf-8")) if RESULTS.exists() else {}
    if not a.report_only:
        for n in a.sizes:
            print(f"N = {n} …", file=sys.stderr, flush=True)
            bench_size(n, a.steps, a.repeat, results)
    write_report(results, a.out)
    print(f"wrote {a.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
