#!/usr/bin/env python3
"""What a second language costs a build; writes its section of docs/benchmarks.md.

    python3 bench/languages.py [--roles 1000] [--pdf-roles 100] [--repeat 3] [--no-write]

Generates a handbook (bench/generate.py) and a copy of it in two languages (``languages: [zh, en]``,
every text given as ``{zh: …, en: …}``, the English of about the same length), then times, as whole
processes (the median of ``--repeat`` runs, one after the other so both see the same machine):

* the site (``build --no-pdf``) of ``--roles`` roles in one language and in two;
* the whole build (site and PDFs) of ``--pdf-roles`` roles in one language and in two.

The target: a two-language build costs at most 2.2 times a one-language build. Only the part of
docs/benchmarks.md between the ``languages:begin``/``languages:end`` markers is replaced. Not part of
the test suite.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO))

from bench.generate import WORDS_EN, generate  # noqa: E402

DOC = REPO / "docs" / "benchmarks.md"
BEGIN, END = "<!-- languages:begin -->", "<!-- languages:end -->"
TARGET = 2.2
TEXT_KEYS = {"title", "name", "summary", "duty", "kpis", "parties", "education", "experience", "abilities", "other", "duties"}


def english(text: str) -> str:
    """A stand-in English text about as long as a translation of ``text`` would be (deterministic)."""
    words = [WORDS_EN[(ord(c) * 7 + i) % len(WORDS_EN)] for i, c in enumerate(text[: max(2, len(text) // 2)])]
    return " ".join(words).capitalize() + "."


def both(value: Any, key: str = "") -> Any:
    """``value`` with every text given in Chinese and English."""
    if isinstance(value, str):
        return {"zh": value, "en": english(value)} if key in TEXT_KEYS else value
    if isinstance(value, list):
        return [both(v, key) for v in value]
    if isinstance(value, dict):
        return {k: both(v, k) for k, v in value.items()}
    return value


def bilingual(src: Path, dest: Path) -> None:
    shutil.copytree(src, dest)
    (dest / "rolebook.yml").write_text(
        "organisation: {zh: 基准测试集团, en: Benchmark Group}\nlanguages: [zh, en]\n",
        encoding="utf-8",
    )
    for path in sorted((dest / "roles").rglob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        data = both(data)
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def timed(cmd: list[str]) -> float:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    start = time.perf_counter()
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{proc.stderr[-2000:]}")
    return seconds


def build(root: Path, *extra: str) -> float:
    shutil.rmtree(root / "site", ignore_errors=True)
    shutil.rmtree(root / ".rolebook-cache", ignore_errors=True)  # cold: every page and PDF made again
    return timed([sys.executable, str(REPO / "build.py"), "build", str(root), *extra])


def pair(one: Path, two: Path, repeat: int, *extra: str) -> tuple[float, float]:
    a: list[float] = []
    b: list[float] = []
    for _ in range(repeat):
        a.append(build(one, *extra))
        b.append(build(two, *extra))
    return statistics.median(a), statistics.median(b)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--roles", type=int, default=1000)
    ap.add_argument("--pdf-roles", type=int, default=100)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--no-write", action="store_true")
    args = ap.parse_args()
    rows = []
    with tempfile.TemporaryDirectory(prefix="rolebook-bench-lang-") as tmp:
        for n, extra, what in ((args.roles, ("--no-pdf",), "site (`build --no-pdf`)"), (args.pdf_roles, (), "site and PDFs (`build`)")):
            one = Path(tmp) / f"one-{n}"
            generate(n, one)
            two = Path(tmp) / f"two-{n}"
            bilingual(one, two)
            a, b = pair(one, two, args.repeat, *extra)
            rows.append((n, what, a, b))
            print(f"{n} roles, {what}: one language {a:.1f} s, two {b:.1f} s, ×{b / a:.2f}")
    table = [
        f"Median of {args.repeat} runs each, one language and two alternating (`python3 bench/languages.py`); target ≤ {TARGET}×.",
        "",
        "| roles | build | one language | two languages | ratio | target met |",
        "|---:|---|---:|---:|---:|---|",
    ]
    table += [f"| {n:,} | {what} | {a:.1f} s | {b:.1f} s | ×{b / a:.2f} | {'yes' if b / a <= TARGET else 'no'} |" for n, what, a, b in rows]
    if args.no_write:
        return
    text = DOC.read_text(encoding="utf-8")
    block = BEGIN + "\n" + "\n".join(table) + "\n" + END
    if BEGIN in text and END in text:
        text = text[: text.index(BEGIN)] + block + text[text.index(END) + len(END) :]
    else:
        text = text.rstrip("\n") + "\n\n## Two languages\n\nA handbook in two languages builds a site and the PDFs per language.\n\n" + block + "\n"
    DOC.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
