"""Bounded work on any input: what `check` passes, every command can make, and what they cannot make
`check` refuses with a clear message, so no command ends in a traceback.

Deep trees: departments nested 500 levels deep and a 2,000-position reporting line are refused
(with the bounds the schema documents); the deepest trees allowed go through every command.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pikepdf
import pytest

from rolebook.check.handbook import MAX_DEPARTMENT_LEVELS, MAX_REPORTING_LEVELS
from tests.scratch import make_handbook
from tests.site_support import free_port

REPO = Path(__file__).resolve().parent.parent


def run(*args: str, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(REPO / "build.py"), *args], capture_output=True, text=True, timeout=timeout)


def _role(number: int, superior: str | None) -> str:
    text = f"number: T-{number:05d}\ntitle: 岗位{number}\nheadcount: 1\nstatus: approved\n"
    if superior:
        text += f"reports_to: {superior}\n"
    return text + "duties:\n  - duty: 管理\n    kpis: [满意度]\n"


def deep_handbook(root: Path, departments: int, chain: int) -> Path:
    """``departments`` nested departments d0 ⊃ d1 ⊃ …, each with one position reporting to the one above;
    the deepest department holds the rest of a ``chain``-long reporting line r0 → r1 → …"""
    files = {"rolebook.yml": "organisation: 深度集团\nlanguage: en\n"}
    for i in range(departments):
        files[f"roles/d{i}/_department.yaml"] = f"name: 部门{i}\n" + (f"parent: d{i - 1}\n" if i else "")
    for i in range(chain):
        dept = min(i, departments - 1)
        files[f"roles/d{dept}/r{i}.yaml"] = _role(i, f"r{i - 1}" if i else None)
    return make_handbook(root, files)


def _commands(out: Path) -> dict[str, list[str]]:
    return {
        "check": ["check"],
        "export-json": ["export", "--format", "json", "-o", str(out / "x.json")],
        "export-xlsx": ["export", "--format", "xlsx", "-o", str(out / "x.xlsx")],
        "export-csv": ["export", "--format", "csv", "-o", str(out / "csv")],
        "pdf": ["pdf", "--out", str(out / "pdf")],
        "build": ["build", "--site-dir", str(out / "site")],
        "serve": ["serve", "-a", f"127.0.0.1:{free_port()}"],
    }


DEPT_TOO_DEEP = (
    "roles/d30/_department.yaml:2:9: error [department-too-deep] the department is nested 31 levels deep (d0 → … → d29 → d30); "
    "departments may be nested at most 30 levels"
)


@pytest.mark.parametrize(
    ("departments", "chain", "expected"),
    [
        (500, 1, [DEPT_TOO_DEEP]),
        (
            1,
            2000,
            [
                "roles/d0/r50.yaml:5:13: error [reporting-chain-too-long] the reporting line down to this position holds 51 positions "
                "(r0 → … → r49 → r50); a reporting line may hold at most 50"
            ],
        ),
        (
            500,
            500,
            [
                DEPT_TOO_DEEP,
                "roles/d50/r50.yaml:5:13: error [reporting-chain-too-long] the reporting line down to this position holds 51 positions "
                "(r0 → … → r49 → r50); a reporting line may hold at most 50",
            ],
        ),
    ],
    ids=["500-departments", "2000-chain", "both"],
)
def test_too_deep_trees_are_refused_by_every_command(tmp_path: Path, departments: int, chain: int, expected: list[str]) -> None:
    root = deep_handbook(tmp_path / "hb", departments, chain)
    out = tmp_path / "out"
    out.mkdir()
    for name, args in _commands(out).items():
        done = run(*args, str(root), timeout=120)
        assert done.returncode == 1, (name, done.stdout, done.stderr)
        assert "Traceback" not in done.stdout + done.stderr, name
        report = [line for line in (done.stdout + done.stderr).splitlines() if " error [" in line]
        assert report == expected, name
    assert list(out.iterdir()) == []  # nothing was written
    assert not (root / "site").exists()


def test_the_bounds_are_the_documented_ones() -> None:
    """The numbers in the schema descriptions (both languages) and on the problem-code page are the ones check uses."""
    for name, key, limit in (("department", "parent", MAX_DEPARTMENT_LEVELS), ("role", "reports_to", MAX_REPORTING_LEVELS)):
        schema = json.loads((REPO / "rolebook" / "schema" / f"{name}.schema.json").read_text(encoding="utf-8"))
        zh, en = schema["properties"][key]["description"].split(" / ", 1)
        assert f"{limit} " in zh and f"{limit} " in en, (name, zh, en)
    from rolebook.check.handbook import tree_depths
    from rolebook.check.registry import codes_of

    docs = {c.code: c.doc for c in codes_of(tree_depths)}
    assert set(docs) == {"department-too-deep", "reporting-chain-too-long"}
    for doc in docs.values():
        assert f"{MAX_DEPARTMENT_LEVELS} levels" in doc and f"{MAX_REPORTING_LEVELS} positions" in doc
        assert f"最多嵌套 {MAX_DEPARTMENT_LEVELS} 层" in doc and f"最多 {MAX_REPORTING_LEVELS} 个岗位" in doc


def _outline_depth(items: list[pikepdf.OutlineItem]) -> int:
    depth, level = 0, items
    while level:
        depth += 1
        level = [child for item in level for child in item.children]
    return depth


@pytest.mark.slow
def test_the_deepest_trees_allowed_go_through_every_command(tmp_path: Path) -> None:
    root = deep_handbook(tmp_path / "hb", MAX_DEPARTMENT_LEVELS, MAX_REPORTING_LEVELS)
    out = tmp_path / "out"
    out.mkdir()
    for name, args in _commands(out).items():
        if name == "serve":
            continue  # serve runs until stopped; its rebuilds are build's (tests/test_serve_bounds.py)
        done = run(*args, str(root))
        assert done.returncode == 0, (name, done.stdout, done.stderr)
        assert done.stderr == "" and "Traceback" not in done.stdout, name

    exported = json.loads((out / "x.json").read_text(encoding="utf-8"))
    assert [d["headcount"] for d in exported["departments"]] == [MAX_REPORTING_LEVELS - i for i in range(MAX_DEPARTMENT_LEVELS - 1)] + [
        MAX_REPORTING_LEVELS - MAX_DEPARTMENT_LEVELS + 1
    ]
    with pikepdf.open(out / "pdf" / "handbook.pdf") as pdf, pdf.open_outline(max_depth=100) as outline:
        assert _outline_depth(outline.root) == MAX_DEPARTMENT_LEVELS + 1  # the departments, then the positions of the deepest
    deepest = (out / "site" / "departments" / f"d{MAX_DEPARTMENT_LEVELS - 1}" / "index.html").read_text(encoding="utf-8")
    assert deepest.count('class="rbs-crumbs"') == 1 and f"部门{MAX_DEPARTMENT_LEVELS - 2}" in deepest
    last = (out / "site" / "roles" / f"r{MAX_REPORTING_LEVELS - 1}.html").read_text(encoding="utf-8")
    assert last.count(" → ") >= MAX_REPORTING_LEVELS - 1  # the whole reporting line is shown
