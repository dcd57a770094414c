#!/usr/bin/env python3
"""Benchmark rolebook from 100 to 10,000 roles; writes docs/benchmarks.md.

    python3 bench/run.py [--sizes 100 1000 10000] [--repeat 3] [--skip site pdf plain]

Everything is timed as a whole process (what a user waits for), the median of
``--repeat`` runs for the quick steps and one run for the slow ones, with the
peak resident memory of each process. Side by side, in the same run:

* naive: loading and validating the same files with PyYAML's C loader and
  jsonschema, serially — the floor a straightforward implementation gives;
* plain: ``mkdocs build`` with Material (``navigation.prune``) of the very same
  generated role pages without our plugin — what our site build adds or saves.

Ratios measured in one run are what to compare; the machine is shared and noisy.
Not part of the test suite.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import textwrap
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "bench" / "out"
sys.path.insert(0, str(REPO))

from bench.generate import generate  # noqa: E402

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
    from rolebook.pipeline import check_handbook
    from rolebook.render.pages import render_pages
    root, docs = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
    hb = check_handbook(root, use_cache=False).handbook
    for page in render_pages(hb, directory_urls=True):
        path = docs / page.src_uri
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(page.content, encoding="utf-8")
    """
)


@dataclass(frozen=True)
class Run:
    seconds: float
    peak_mib: float


def timed(cmd: list[str], cwd: Path = REPO, env: dict[str, str] | None = None) -> Run:
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env={**os.environ, **(env or {})}, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed ({proc.returncode}):\n{err[-2000:]}")
    return Run(elapsed, usage.ru_maxrss / 1024)


def median(runs: list[Run]) -> Run:
    return Run(statistics.median(r.seconds for r in runs), max(r.peak_mib for r in runs))


def edit_one(root: Path, n: int) -> None:
    """Change one role's content (a KPI), as HR would."""
    path = sorted((root / "roles").glob("dept-0001/r*.yaml"))[0]
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("kpis: [", f"kpis: [改{time.time_ns() % 1000}, ", 1), encoding="utf-8")


def bench_size(n: int, repeat: int, skip: set[str]) -> dict[str, Run]:
    root = OUT / f"hb-{n}"
    generate(n, root)
    py = sys.executable
    rows: dict[str, Run] = {}
    cache = root / ".rolebook-cache"

    def check_cold() -> Run:
        shutil.rmtree(cache, ignore_errors=True)
        return timed([py, "build.py", "check", str(root)])

    rows["check (cold)"] = median([check_cold() for _ in range(repeat)])
    warm = []
    for _ in range(repeat):
        edit_one(root, n)
        warm.append(timed([py, "build.py", "check", str(root)]))
    rows["check (one role edited)"] = median(warm)
    rows["naive: PyYAML C + jsonschema"] = median([timed([py, "-c", NAIVE, str(root), str(REPO / "schema" / "role.schema.json")]) for _ in range(repeat)])
    if "site" not in skip:
        rows["site build (build, no PDFs)"] = timed([py, "build.py", "build", str(root), "--site-dir", str(OUT / f"site-{n}"), "--no-pdf"])
    if "plain" not in skip:
        docs = OUT / f"plain-{n}" / "docs"
        shutil.rmtree(docs.parent, ignore_errors=True)
        docs.mkdir(parents=True)
        subprocess.run([py, "-c", PLAIN, str(root), str(docs)], check=True, cwd=REPO)
        (docs.parent / "mkdocs.yml").write_text(
            "site_name: plain\ntheme:\n  name: material\n  font: false\n  features: [navigation.prune]\nplugins: [search]\n", encoding="utf-8"
        )
        rows["plain mkdocs + Material (same pages)"] = timed([py, "-m", "mkdocs", "build", "-q", "-f", str(docs.parent / "mkdocs.yml")])
    if "pdf" not in skip:
        shutil.rmtree(cache / "pdf", ignore_errors=True)
        rows["all PDFs (cold)"] = timed([py, "build.py", "pdf", str(root), "--out", str(OUT / f"pdf-{n}")])
        edit_one(root, n)
        rows["PDFs (one role edited)"] = timed([py, "build.py", "pdf", str(root), "--out", str(OUT / f"pdf-{n}")])
    return rows


def versions() -> str:
    from importlib.metadata import version

    parts = [f"Python {platform.python_version()}"]
    for dist in ("PyYAML", "jsonschema", "jsonschema-rs", "mkdocs", "mkdocs-material", "weasyprint"):
        try:
            parts.append(f"{dist} {version(dist)}")
        except Exception:
            parts.append(f"{dist} (not installed)")
    return ", ".join(parts)


def write_report(results: dict[int, dict[str, Run]], path: Path) -> None:
    lines = [
        "# Benchmarks",
        "",
        "Written by `python3 bench/run.py` (not part of the test suite). Whole processes, wall-clock",
        "seconds (median of the quick steps), peak resident memory of the process. Synthetic handbooks",
        "from `bench/generate.py` (about 2 KB per role, 5–10 duties with KPIs, departments of 50 roles).",
        "",
        f"- Machine: {platform.machine()}, {os.cpu_count()} cores, {platform.platform()}",
        f"- Versions: {versions()}",
        "",
        "| N | step | seconds | ms per role | peak MiB |",
        "|---:|---|---:|---:|---:|",
    ]
    for n, rows in results.items():
        for step, run in rows.items():
            lines.append(f"| {n:,} | {step} | {run.seconds:.2f} | {run.seconds / n * 1000:.2f} | {run.peak_mib:.0f} |")
    lines += ["", "## Ratios (same run)", "", "| N | check cold ÷ naive | site ÷ plain MkDocs | per-role site cost vs. smallest N |", "|---:|---:|---:|---:|"]
    base = None
    for n, rows in results.items():
        ratio_check = rows["check (cold)"].seconds / rows["naive: PyYAML C + jsonschema"].seconds
        site = rows.get("site build (build, no PDFs)")
        plain = rows.get("plain mkdocs + Material (same pages)")
        per = site.seconds / n if site else None
        if per is not None and base is None:
            base = per
        lines.append(
            f"| {n:,} | {ratio_check:.2f} | {site.seconds / plain.seconds if site and plain else float('nan'):.2f} | {per / base if per and base else float('nan'):.2f} |"
        )
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 10000])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--skip", nargs="*", default=[], choices=["site", "pdf", "plain"])
    ap.add_argument("--out", type=Path, default=REPO / "docs" / "benchmarks.md")
    a = ap.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    results = {}
    for n in a.sizes:
        print(f"N = {n} …", file=sys.stderr)
        results[n] = bench_size(n, a.repeat, set(a.skip))
        for step, run in results[n].items():
            print(f"  {step}: {run.seconds:.2f} s, {run.peak_mib:.0f} MiB", file=sys.stderr)
    write_report(results, a.out)
    print(f"wrote {a.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
