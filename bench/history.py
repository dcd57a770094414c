#!/usr/bin/env python3
"""How long the revision history of a large handbook takes; writes its section of docs/benchmarks.md.

    python3 bench/history.py [--roles 1000] [--commits 30] [--edits 100] [--repeat 3] [--no-write]

Generates a handbook (bench/generate.py) in a new git repository, then ``--commits`` commits that
each edit ``--edits`` random role files (a KPI, a headcount, a duty's text, a comment-only change)
and one that moves a role to another department. Then, as whole processes (what a user waits for;
the median of ``--repeat`` runs):

* history: check the handbook, build the model, read every role's history (``CheckResult.history``:
  one ``git log`` and one ``cat-file`` batch) — and the same without the history, so the difference
  is what history adds to a build;
* the site build (``build --no-pdf``) with the history and, for the ratio, of a copy without ``.git``.

The target: the history of 1,000 roles in at most 5 s. Only the part of docs/benchmarks.md between
the ``history:begin``/``history:end`` markers is replaced. Not part of the test suite.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO))

from bench.generate import generate  # noqa: E402

DOC = REPO / "docs" / "benchmarks.md"
BEGIN, END = "<!-- history:begin -->", "<!-- history:end -->"
TARGET_S = 5.0

PROBE = """
import sys, time
from pathlib import Path
from rolebook.app.pipeline import check_handbook
t = time.perf_counter()
r = check_handbook(Path(sys.argv[1]), use_cache=False)
hb = r.handbook
assert hb is not None, r.problems[:3]
t_model = time.perf_counter() - t
h = r.history if sys.argv[2] == "1" else None
t_all = time.perf_counter() - t
revs = sum(len(h.of(x.id).revisions) for x in hb.roles) if h else 0
print(f"{t_model:.3f} {t_all:.3f} {revs}")
"""


def git(root: Path, *args: str, date: str = "2024-01-01T09:00:00+08:00") -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(GIT_AUTHOR_NAME="Bench", GIT_AUTHOR_EMAIL="b@example.com", GIT_COMMITTER_NAME="Bench", GIT_COMMITTER_EMAIL="b@example.com")
    env.update(GIT_AUTHOR_DATE=date, GIT_COMMITTER_DATE=date, GIT_CONFIG_NOSYSTEM="1", GIT_CONFIG_GLOBAL=os.devnull)
    subprocess.run(["git", "-c", "init.defaultBranch=main", *args], cwd=root, env=env, check=True, capture_output=True)


def _edit(rng: random.Random, path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    kind = rng.randrange(4)
    if kind == 0:
        text = text.replace("    kpis: [", "    kpis: [新指标, ", 1)
    elif kind == 1:
        text = text.replace("headcount: ", f"headcount: {rng.randint(1, 9)}\n# was: ", 1)
    elif kind == 2:
        text = text.replace("  - duty: ", "  - duty: 修订：", 1)
    else:
        text += f"# note {rng.random()}\n"  # a comment: no revision
    path.write_text(text, encoding="utf-8")


def make_repo(root: Path, roles: int, commits: int, edits: int) -> int:
    generate(roles, root)
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "initial handbook")
    rng = random.Random(7)
    files = sorted(p for p in (root / "roles").rglob("r*.yaml"))
    for n in range(commits):
        for path in rng.sample(files, min(edits, len(files))):
            _edit(rng, path)
        git(root, "add", "-A")
        git(root, "commit", "-qm", f"revision {n + 1}", date=f"2024-{1 + n // 28 % 12:02d}-{1 + n % 28:02d}T09:00:00+08:00")
    return commits + 1


def probe(root: Path, history: bool) -> tuple[float, float, float, int]:
    start = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", PROBE, str(root), "1" if history else "0"], capture_output=True, text=True, check=True).stdout.split()
    return time.perf_counter() - start, float(out[0]), float(out[1]), int(out[2])


def build(root: Path) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, str(REPO / "build.py"), "build", "--no-pdf", str(root)], capture_output=True, check=True)
    return time.perf_counter() - start


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--roles", type=int, default=1000)
    ap.add_argument("--commits", type=int, default=30)
    ap.add_argument("--edits", type=int, default=100)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--no-build", action="store_true", help="skip the site builds")
    ap.add_argument("--no-write", action="store_true", help="print, do not write docs/benchmarks.md")
    a = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="rolebook-bench-history-") as tmp:
        root = Path(tmp) / "hb"
        made = make_repo(root, a.roles, a.commits, a.edits)
        with_h = [probe(root, True) for _ in range(a.repeat)]
        without = [probe(root, False) for _ in range(a.repeat)]
        whole_h = statistics.median(w for w, _, _, _ in with_h)
        whole_0 = statistics.median(w for w, _, _, _ in without)
        history_s = statistics.median(t_all - t_model for _, t_model, t_all, _ in with_h)
        ratio = statistics.median((t_all - t_model) / t_model for _, t_model, t_all, _ in with_h)
        revisions = with_h[0][3]
        rows = [
            f"| {a.roles:,} roles, {made} commits, {revisions:,} role revisions | check + model, then history (whole process) | {whole_h:.2f} |",
            f"| | check + model, no history (whole process) | {whole_0:.2f} |",
            f"| | history alone (in process: git log, cat-file batch, parse and compare) | {history_s:.2f} (target ≤ {TARGET_S:.0f}) |",
            f"| | history ÷ check + model, same process (what carries over to another machine or load) | {ratio:.2f} |",
        ]
        if not a.no_build:
            plain = Path(tmp) / "zip"
            shutil.copytree(root, plain, ignore=shutil.ignore_patterns(".git", "site", ".rolebook-cache"))
            b_h, b_0 = build(root), build(plain)
            rows += [
                f"| | site build with history (`build --no-pdf`) | {b_h:.2f} |",
                f"| | site build of a copy without .git | {b_0:.2f} (ratio {b_h / b_0:.2f}) |",
            ]
    stamp = time.strftime("%Y-%m-%d %H:%M", time.gmtime())
    table = "\n".join([BEGIN, f"Measured {stamp} UTC, median of {a.repeat}.", "", "| handbook | step | seconds |", "|---|---|---:|", *rows, END])
    print(table)
    if a.no_write:
        return
    text = DOC.read_text(encoding="utf-8")
    if BEGIN in text:
        text = text[: text.index(BEGIN)] + table + text[text.index(END) + len(END) :]
    else:
        text = text.rstrip("\n") + "\n\n## Revision history\n\n" + "The history of every role (`bench/history.py`).\n\n" + table + "\n"
    DOC.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
