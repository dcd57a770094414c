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
    return text + 'duties:\n  - duty: 管理\n    kpis: [满意度]\napprover: HR\napproval_date: "2020-01-01"\n'


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


# ---------------------------------------------------------------------------
# text fields: bounded by check at a length every output takes; a tool's failure names the file


def _limits(name: str) -> dict[str, int]:
    """maxLength of each string field of a schema, by the key (or $defs name) it is under; list items by the list's key."""
    out: dict[str, int] = {}
    stack: list[tuple[str, object]] = [("", json.loads((REPO / "rolebook" / "schema" / f"{name}.schema.json").read_text(encoding="utf-8")))]
    while stack:
        key, node = stack.pop()
        if not isinstance(node, dict):
            continue
        if node.get("type") == "string" and "maxLength" in node:
            out[key] = min(out.get(key, 1 << 30), node["maxLength"])
        stack.extend((k, v) for k, v in {**node.get("properties", {}), **node.get("$defs", {})}.items())
        stack.extend((key, v) for v in [node.get("items"), *node.get("oneOf", [])] if v is not None)
    return out


def test_every_text_field_is_bounded_and_says_so_in_both_languages() -> None:
    for name in ("role", "department", "settings"):
        schema = (REPO / "rolebook" / "schema" / f"{name}.schema.json").read_text(encoding="utf-8")
        assert schema == (REPO / "schema" / f"{name}.schema.json").read_text(encoding="utf-8")  # the sample's copy
        stack: list[object] = [json.loads(schema)]
        fields = 0
        while stack:
            node = stack.pop()
            if isinstance(node, dict):
                if node.get("type") == "string":
                    fields += 1
                    if "[0-9]{4}" in node.get("pattern", ""):  # a date: its pattern fixes its length
                        continue
                    limit = node["maxLength"]
                    zh, en = node["description"].split(" / ", 1)
                    assert f"最多 {limit} 个字符" in zh and f"At most {limit} characters" in en, node
                stack.extend(node.values())
            elif isinstance(node, list):
                stack.extend(node)
        assert fields >= 2


def _text(limit: int, latin: bool) -> str:
    """A value of exactly ``limit`` characters: CJK (three bytes each), or one unbreakable Latin word."""
    return ("W" if latin else "国") * limit


def _at_bounds(latin: bool) -> dict[str, str]:
    t = lambda n: json.dumps(_text(n, latin), ensure_ascii=False)  # noqa: E731
    role = _limits("role")
    dept = _limits("department")
    boss = (
        f'number: {t(role["number"])}\ntitle: {t(role["title"])}\nheadcount: 1\nstatus: approved\napproval_date: "2020-01-01"\n'
        f"approver: {t(role['approver'])}\nrevision: {t(role['revision'])}\n"
        f"summary:\n  - {t(role['summaryItem'])}\n  - group: {t(role['group'])}\n    items: [{t(role['items'])}]\n"
        f"relationships:\n  internal: {{percent: 40, parties: [{t(role['parties'])}]}}\n  external: {{percent: 60, parties: [{t(role['parties'])}]}}\n"
        "qualifications:\n"
        + "".join(f"  {k}: {t(role[k])}\n" for k in ("education", "experience", "abilities", "other"))
        + f"duties:\n  - group: {t(role['group'])}\n    duties:\n      - duty: {t(role['duty'])}\n        kpis: [{t(role['kpis'])}]\n"
    )
    clerk = f"number: T-002\ntitle: {t(role['title'])}\nreports_to: boss\nheadcount: 1\nstatus: draft\nduties:\n  - duty: {t(role['duty'])}\n"
    department = (
        f"name: {t(dept['name'])}\ndescription: {t(dept['description'])}\nduties: [{t(dept['duties'])}]\n"
        f"requirements: [{t(dept['requirements'])}]\nworkflows:\n  - name: {t(dept['name'])}\n    steps: [{t(dept['steps'])}]\n"
    )
    settings = f"organisation: {t(_limits('settings')['organisation'])}\nlanguage: zh\n"
    return {"rolebook.yml": settings, "roles/cs/_department.yaml": department, "roles/cs/boss.yaml": boss, "roles/cs/clerk.yaml": clerk}


@pytest.mark.slow
@pytest.mark.parametrize("latin", [False, True], ids=["cjk", "latin"])
def test_every_field_at_its_bound_goes_through_every_command(tmp_path: Path, latin: bool) -> None:
    root = make_handbook(tmp_path / "hb", _at_bounds(latin))
    out = tmp_path / "out"
    out.mkdir()
    for name, args in _commands(out).items():
        if name == "serve":
            continue
        done = run(*args, str(root))
        assert done.returncode == 0, (name, done.stdout, done.stderr)
        assert "Traceback" not in done.stdout + done.stderr, name
    page = (out / "site" / "roles" / "clerk.html").read_text(encoding="utf-8")
    assert _text(2000, latin) in page
    assert (out / "pdf" / "roles" / "boss.pdf").stat().st_size > 10_000
    assert json.loads((out / "x.json").read_text(encoding="utf-8"))["roles"][0]["title"] == _text(2000, latin)


LONG_TITLE = "客" * 5461  # 16,383 bytes: one more than Graphviz takes in a quoted string


def test_a_title_graphviz_cannot_take_is_refused_by_check_and_build(tmp_path: Path) -> None:
    files = {
        **_at_bounds(False),
        "roles/cs/clerk.yaml": f"number: T-002\ntitle: {LONG_TITLE}\nreports_to: boss\nheadcount: 1\nstatus: draft\nduties:\n  - duty: 工作\n",
    }
    root = make_handbook(tmp_path / "hb", files)
    expected = "roles/cs/clerk.yaml:2:8: error [text-too-long] “title”（职位名称）有 5461 个字符，最多只能有 2000 个"
    for args in (["check"], ["build", "--no-pdf"]):
        done = run(*args, str(root))
        assert done.returncode == 1 and "Traceback" not in done.stderr
        assert [line for line in (done.stdout + done.stderr).splitlines() if "error [" in line] == [expected]
    assert not (root / "site").exists()


def test_graphviz_failing_on_a_text_names_its_file_and_field(tmp_path: Path) -> None:
    """Past check (the model made directly), Graphviz's real limit: the error says which file and which field."""
    import dataclasses

    from rolebook.app.pipeline import check_handbook
    from rolebook.model import Handbook
    from rolebook.render.orgchart import ChartError
    from rolebook.render.pages import render_pages
    from tests.scratch import minimal

    hb = check_handbook(make_handbook(tmp_path, minimal("en")), use_cache=False).handbook
    assert hb is not None
    long_role = Handbook(hb.root, hb.settings, hb.departments, tuple(dataclasses.replace(r, title=LONG_TITLE) if r.id == "clerk" else r for r in hb.roles))
    with pytest.raises(ChartError) as caught:
        render_pages(long_role)
    assert str(caught.value).startswith("roles/cs/clerk.yaml: 'title', 'number': Graphviz cannot draw this text in the org chart: Graphviz 'dot' failed:")
    assert "longer than 16384?" in str(caught.value)
    long_dept = Handbook(hb.root, hb.settings, tuple(dataclasses.replace(d, name=LONG_TITLE) for d in hb.departments), hb.roles)
    with pytest.raises(ChartError, match=r"^roles/cs/_department\.yaml: 'name': Graphviz cannot draw this text"):
        render_pages(long_dept)


def test_a_failing_graphviz_is_named_by_build_and_the_old_site_stays(tmp_path: Path) -> None:
    """The CLI with a `dot` that fails on one title (as Graphviz does on text it cannot take)."""
    import os

    from tests.scratch import minimal

    root = make_handbook(tmp_path / "hb", minimal("en"))
    first = run("build", "--no-pdf", str(root))
    assert first.returncode == 0, first.stderr
    before = (root / "site" / "index.html").read_bytes()
    (root / "roles/cs/clerk.yaml").write_text(
        (root / "roles/cs/clerk.yaml").read_text(encoding="utf-8").replace("title: 专员", "title: 炸弹专员"), encoding="utf-8"
    )
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    fake = bin_dir / "dot"
    real = subprocess.run(["sh", "-c", "command -v dot"], capture_output=True, text=True, check=True).stdout.strip()
    fake.write_text(
        f'#!/bin/sh\ninput=$(cat)\ncase "$input" in *炸弹*) echo "Error: <stdin>: syntax error in line 6" >&2; exit 1;; esac\nprintf "%s" "$input" | exec {real} "$@"\n',
        encoding="utf-8",
    )
    fake.chmod(0o755)
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}"}
    done = subprocess.run([sys.executable, str(REPO / "build.py"), "build", "--no-pdf", str(root)], capture_output=True, text=True, env=env, timeout=300)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert done.stderr.splitlines()[0] == (
        "ERROR: rolebook: roles/cs/clerk.yaml: 'title', 'number': Graphviz cannot draw this text in the org chart: "
        "Graphviz 'dot' failed: Error: <stdin>: syntax error in line 6"
    )
    assert (root / "site" / "index.html").read_bytes() == before


def test_weasyprint_failing_on_a_document_names_its_file() -> None:
    """A document WeasyPrint raises on (here: nesting deeper than it can lay out) is named, not a traceback."""
    from rolebook.app.pipeline import check_handbook
    from rolebook.outputs.pdf import Member, PartJob, PrintDocument, PrintFailed, print_failure, render_part

    deep = "<html><body>" + "<div>" * 3000 + "x" + "</div>" * 3000 + "</body></html>"
    with pytest.raises(PrintFailed) as caught:
        render_part(PartJob("cs-1", (Member("role:guide", "roles/guide.pdf", deep, b"0" * 32, True),), True, b"1" * 32))
    assert caught.value.key == "role:guide" and caught.value.detail.startswith("RecursionError: ")
    hb = check_handbook(REPO).handbook
    assert hb is not None
    doc = PrintDocument("role", "guide", "KF-003 导购员", deep, ("roles/customer-service/guide.yaml",), ("guide",))
    error = print_failure(hb, doc, caught.value)
    [problem] = error.problems
    assert (problem.path, problem.code) == ("roles/customer-service/guide.yaml", "render-failed")
    assert problem.message.startswith("WeasyPrint 无法打印由这个文件生成的职位说明书“KF-003 导购员”：RecursionError: ")
