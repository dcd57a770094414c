"""Every command over every hostile case: a clear positioned message, the right exit code, no traceback,
nothing written — not in the handbook, not in the output folder, not in the current folder, not in TMPDIR.

The corpus is every folder in tests/cases/invalid/ (overlaid on the minimal handbook, as
tests/test_cases.py does) plus what no git checkout can hold: symbolic links out of the handbook,
FIFOs, a 20 MB file, a symlink loop. Each case runs ``check --format json`` (validated against
schema/report.schema.json and compared with the case's expected report), ``build`` (site and PDFs),
``pdf --out``, ``export`` as XLSX, CSV and JSON, ``import`` of a workbook that adds one role, and
``new role``, in that order, in one process per half of the corpus (tests/hostile_driver.py, which
calls the real ``rolebook.cli.main`` and watches the file system around each run). A handful of
cases — one per kind of trap — also run each command as its own ``build.py`` process.

``new`` is the one command that works beside unrelated problems (tests/test_new.py): in a broken
handbook it may still write its one new file, but it must never add an error of its own.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from tests.hostile_driver import diff, tree
from tests.scratch import CASES, CLERK, make_handbook, materialise_case, minimal

REPO = Path(__file__).resolve().parent.parent
REPORT_SCHEMA = json.loads((REPO / "schema" / "report.schema.json").read_text(encoding="utf-8"))
NEW_ROLE = "extra"
# The site's Chinese search segments words with jieba, which keeps its dictionary cache in the
# temporary folder (a library's cache, like fontconfig's): the one file a site build may leave there.
JIEBA_CACHE = "jieba.cache"
IMPORTED_ROLE = "imported"

# Problems about a place inside a file: these must carry a line and a column.
POSITIONED = {
    "yaml-syntax", "duplicate-key", "yaml-alias", "yaml-tag", "multi-document", "too-deep", "not-a-mapping", "bad-key", "encoding",
    "unknown-key", "missing-key", "wrong-type", "invalid-value", "blank-text", "too-few-items", "bad-item",
    "duplicate-number", "unknown-superior", "self-report", "reporting-loop", "unknown-subordinate", "duplicate-subordinate",
    "subordinates-mismatch", "percent-sum", "department-loop", "missing-kpi", "placeholder", "bad-logo",
}  # fmt: skip


# Problems that keep a file from being read at all.
UNREADABLE = {
    "encoding", "yaml-syntax", "duplicate-key", "yaml-alias", "yaml-tag", "multi-document", "too-deep", "too-many-nodes",
    "empty-file", "not-a-mapping", "bad-key", "symlink-outside", "not-a-file", "unreadable", "file-too-large",
}  # fmt: skip


# --- what no git checkout can hold: made when the test runs ------------------------------------


def _symlink_to_passwd(root: Path) -> None:
    os.symlink("/etc/passwd", root / "roles/cs/passwd.yaml")


def _symlinked_folder_outside(root: Path) -> None:
    outside = root.parent / "outside-dept"
    outside.mkdir()
    (outside / "_department.yaml").write_text("name: x\n", encoding="utf-8")
    (outside / "spy.yaml").write_text(CLERK.replace("T-002", "T-777"), encoding="utf-8")
    os.symlink(outside, root / "roles/elsewhere")


def _fifo_role(root: Path) -> None:
    os.mkfifo(root / "roles/cs/pipe.yaml")  # reading it would wait for a writer for ever


def _fifo_logo(root: Path) -> None:
    os.mkfifo(root / "logo.png")
    (root / "rolebook.yml").write_text("organisation: Test Group\nlanguage: en\nlogo: logo.png\n", encoding="utf-8")


def _symlinked_logo_outside(root: Path) -> None:
    os.symlink("/etc/passwd", root / "logo.svg")
    (root / "rolebook.yml").write_text("organisation: Test Group\nlanguage: en\nlogo: logo.svg\n", encoding="utf-8")


def _symlink_loop(root: Path) -> None:
    os.symlink("loop.yaml", root / "roles/cs/loop.yaml")


def _huge_role(root: Path) -> None:
    (root / "roles/cs/huge.yaml").write_bytes(b"title: " + b"x" * (20 * 1024 * 1024) + b"\n")


RUNTIME: dict[str, Callable[[Path], None]] = {
    "runtime-symlink-to-passwd": _symlink_to_passwd,
    "runtime-symlinked-folder-outside": _symlinked_folder_outside,
    "runtime-fifo-role": _fifo_role,
    "runtime-fifo-logo": _fifo_logo,
    "runtime-symlinked-logo-outside": _symlinked_logo_outside,
    "runtime-symlink-loop": _symlink_loop,
    "runtime-huge-role": _huge_role,
}
GIT_CASES = sorted(p.name for p in (CASES / "invalid").iterdir() if p.is_dir())
ALL_CASES = [*GIT_CASES, *RUNTIME]


# --- the corpus, materialised once ----------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    name: str
    hb: Path  # the handbook folder
    out: Path  # the only folder outputs may go to
    cwd: Path  # the current folder of every run: must stay empty
    expected: str | None  # the case's expected.txt (None for the runtime cases)

    @property
    def errors(self) -> bool:
        return self.expected is None or " error [" in self.expected

    def commands(self, workbook: Path) -> list[tuple[str, list[str]]]:
        hb, out = str(self.hb), self.out
        runs = [
            ("check", ["check", hb, "--format", "json"]),
            ("build", ["build", hb, "--site-dir", str(out / "site")]),
            ("pdf", ["pdf", hb, "--out", str(out / "pdf")]),
            ("export-xlsx", ["export", "--format", "xlsx", "-o", str(out / "hb.xlsx"), hb]),
            ("export-csv", ["export", "--format", "csv", "-o", str(out / "hb"), hb]),
            ("export-json", ["export", "--format", "json", "-o", str(out / "hb.json"), hb]),
            ("import", ["import", str(workbook), hb, "--overwrite"]),
            ("new", ["new", "role", NEW_ROLE, "-d", "cs", "-r", "boss", "-t", "新岗位", hb]),
            ("check-after", ["check", hb, "--format", "json"]),
        ]
        return runs


def _make_workbook(folder: Path) -> Path:
    """A workbook that adds one role (and touches nothing else): exported from a scratch handbook, other rows removed."""
    import openpyxl

    from rolebook.cli import main

    files: dict[str, str | bytes] = dict(minimal("en"))
    files[f"roles/cs/{IMPORTED_ROLE}.yaml"] = CLERK.replace("T-002", "T-099").replace("title: 专员", "title: 导入岗位")
    src = make_handbook(folder / "source", files)
    path = folder / "add-one-role.xlsx"
    assert main(["export", "-o", str(path), str(src)]) == 0
    wb = openpyxl.load_workbook(path)
    for ws in list(wb.worksheets):
        if ws.title not in ("Positions", "Duties", "Summary"):
            wb.remove(ws)
            continue
        id_col = 2 if ws.title == "Positions" else 1
        for row in range(ws.max_row, 1, -1):
            if ws.cell(row, id_col).value != IMPORTED_ROLE:
                ws.delete_rows(row)
    wb.save(path)
    return path


@dataclass(frozen=True)
class Corpus:
    cases: dict[str, Case]
    workbook: Path
    results: dict[str, dict[str, dict[str, Any]]]  # case → command label → driver result
    tmpdir: Path


def _drive(specs: list[dict[str, Any]], tmpdir: Path) -> list[dict[str, Any]]:
    env = {**os.environ, "TMPDIR": str(tmpdir), "PYTHONPATH": str(REPO)}
    proc = subprocess.run(
        [sys.executable, "-m", "tests.hostile_driver"], input=json.dumps(specs), capture_output=True, text=True, cwd=REPO, env=env, timeout=300, check=False
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "Traceback" not in proc.stderr, proc.stderr[-3000:]
    results: list[dict[str, Any]] = json.loads(proc.stdout)
    return results


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    base = tmp_path_factory.mktemp("hostile-corpus")
    workbook = _make_workbook(base / "workbook")
    cases: dict[str, Case] = {}
    for name in ALL_CASES:
        folder = base / name
        if name in RUNTIME:
            hb = make_handbook(folder / "hb", dict(minimal("en")))
            RUNTIME[name](hb)
            expected = None
        else:
            hb = materialise_case(CASES / "invalid" / name, folder / "hb")
            expected = (CASES / "invalid" / name / "expected.txt").read_text(encoding="utf-8")
        (folder / "out").mkdir()
        (folder / "cwd").mkdir()
        cases[name] = Case(name, hb, folder / "out", folder / "cwd", expected)
    # two processes (two cores); each case's commands run in order, in the same process
    halves: list[list[dict[str, Any]]] = [[], []]
    labels: list[list[tuple[str, str]]] = [[], []]
    for i, case in enumerate(cases.values()):
        for label, argv in case.commands(workbook):
            halves[i % 2].append({"argv": argv, "cwd": str(case.cwd), "watch": [str(case.hb), str(case.out)]})
            labels[i % 2].append((case.name, label))
    tmpdirs = [base / "tmp0", base / "tmp1"]
    for t in tmpdirs:
        t.mkdir()
    with ThreadPoolExecutor(2) as pool:
        outputs = list(pool.map(_drive, halves, tmpdirs))
    results: dict[str, dict[str, dict[str, Any]]] = {name: {} for name in cases}
    for half_labels, half_results in zip(labels, outputs, strict=True):
        for (name, label), result in zip(half_labels, half_results, strict=True):
            results[name][label] = result
    return Corpus(cases, workbook, results, base)


# --- the assertions -----------------------------------------------------------------------------


def _locations(report: str) -> list[tuple[str, str, str]]:
    """(location, severity, code) of every problem line of a text report."""
    return re.findall(r"^(\S.*?): (error|warning) \[([a-z-]+)\] ", report, re.M)


def _where(p: dict[str, Any]) -> str:
    from rolebook.problems import visible

    return visible(f"{p['path']}:{p['line']}:{p['col']}" if p["line"] else p["path"])


def _no_trace(r: dict[str, Any]) -> None:
    assert r["escaped"] == "", f"{r['argv']} raised:\n{r['escaped']}"
    assert "Traceback" not in r["stdout"] + r["stderr"], r["argv"]


def _nothing_written(r: dict[str, Any], allowed: set[str] = frozenset()) -> None:  # type: ignore[assignment]
    changed = {f"{w}:{c}" for w, cs in r["changes"].items() for c in cs}
    assert changed <= allowed, f"{r['argv']} changed {sorted(changed - allowed)}"


@pytest.mark.slow
@pytest.mark.parametrize("name", ALL_CASES)
def test_every_command_on(name: str, corpus: Corpus) -> None:
    case = corpus.cases[name]
    runs = corpus.results[name]
    for r in runs.values():
        _no_trace(r)

    # check: the JSON report validates against its published schema and says what expected.txt says
    check = runs["check"]
    report = json.loads(check["stdout"])
    jsonschema.Draft202012Validator(REPORT_SCHEMA).validate(report)
    problems = report["problems"]
    found = [(_where(p), p["severity"], p["code"]) for p in problems]
    if case.expected is not None:
        assert found == _locations(case.expected)
    errors = [p for p in problems if p["severity"] == "error"]
    assert bool(errors) == case.errors
    assert check["code"] == (1 if case.errors else 0)
    for p in problems:
        if p["code"] in POSITIONED:
            assert p["line"] >= 1 and p["col"] >= 1, p
    _nothing_written(check)

    error_places = sorted({_where(p) for p in errors})
    for label in ("build", "pdf", "export-xlsx", "export-csv", "export-json", "import"):
        r = runs[label]
        if label == "import" and case.errors and all(p["path"] == "mkdocs.yml" for p in errors):
            # the site's config, which import neither reads nor writes: the role comes in, nothing else changes
            assert r["code"] == 0, r["stderr"][-2000:]
            _nothing_written(r, {f"{case.hb}:+roles/cs/{IMPORTED_ROLE}.yaml", f"{case.hb}:+schema", f"{case.hb}:+schema/role.schema.json"})
            continue
        if case.errors:
            assert r["code"] == 1, (label, r["code"], r["stderr"][-2000:])
            for place in error_places:  # the problems, positioned, on stderr — nothing on stdout
                if label == "import" and place == "roles":
                    continue  # "no role files": the imported role is one; the import reports what its role lacks instead
                assert f"{place}: error [" in r["stderr"], (label, place, r["stderr"][-2000:])
            assert r["stdout"] == "", (label, r["stdout"])
            _nothing_written(r)
        else:  # warnings only: the command works, shows the warnings, and writes only what it was asked to
            assert r["code"] == 0, (label, r["stderr"][-2000:])
            out = str(case.out)
            if label != "import":
                for place in sorted({_where(p) for p in problems}):
                    assert f"{place}: warning [" in r["stderr"], (label, place, r["stderr"][-2000:])
            if label in ("build", "pdf"):
                made = set(r["changes"][out])
                top = "site" if label == "build" else "pdf"
                assert f"+{top}" in made and all(c.startswith(f"+{top}") for c in made), made
                _nothing_written(r, {f"{out}:{c}" for c in made} | {f"{r['tmpdir']}:+{JIEBA_CACHE}"})
                continue
            expected_out = {
                "export-xlsx": {f"{out}:+hb.xlsx"},
                "export-csv": {f"{out}:+hb-{t}.csv" for t in ("positions", "duties", "summary", "departments", "workflows", "settings")},
                "export-json": {f"{out}:+hb.json"},
                "import": {f"{case.hb}:+roles/cs/{IMPORTED_ROLE}.yaml"},
            }[label]
            # an import also copies the schema its new file's modeline points at into a handbook that has none
            copied = {f"{case.hb}:+schema", f"{case.hb}:+schema/role.schema.json"} if label == "import" else set()
            _nothing_written(r, expected_out | copied)
            assert {f"{w}:{c}" for w, cs in r["changes"].items() for c in cs} - copied == expected_out

    # new: refuses with a usage error, or writes its one file (and may add it to the superior's list,
    # and copy the schema its modeline points at into a handbook that has none) …
    new = runs["new"]
    hb = str(case.hb)
    created = {f"{hb}:+roles/cs/{NEW_ROLE}.yaml"}
    if new["code"] == 0:
        _nothing_written(new, created | {f"{hb}:~roles/cs/boss.yaml", f"{hb}:+schema", f"{hb}:+schema/role.schema.json"})
        assert f"+roles/cs/{NEW_ROLE}.yaml" in new["changes"][hb]
        for p in errors:  # the superior's file cannot be read: new says so, at the place
            if p["path"] == "roles/cs/boss.yaml" and p["code"] in UNREADABLE:
                assert f"{_where(p)}: error [{p['code']}]" in new["stderr"], new["stderr"]
    else:
        assert new["code"] == 2 and new["stderr"].startswith("rolebook new: error: "), new
        _nothing_written(new)
    # … and never adds an error of its own: the errors after it are the errors before it
    after = json.loads(runs["check-after"]["stdout"])["problems"]
    before_errors = {(p["path"], p["code"], p["message"]) for p in errors}
    after_errors = {(p["path"], p["code"], p["message"]) for p in after if p["severity"] == "error"}
    assert after_errors == before_errors


@pytest.mark.slow
def test_the_corpus_covers_every_trap_class(corpus: Corpus) -> None:
    """At least one case of each kind the issue lists, so the corpus cannot silently shrink."""
    codes = {p["code"] for r in corpus.results.values() for p in json.loads(r["check"]["stdout"])["problems"]}
    for code in ("encoding", "yaml-syntax", "duplicate-key", "yaml-alias", "yaml-tag", "multi-document", "too-deep", "empty-file", "not-a-mapping"):
        assert code in codes, code  # encodings and YAML traps
    for code in ("unknown-key", "missing-key", "wrong-type", "invalid-value", "blank-text", "bad-item"):
        assert code in codes, code  # schema
    for code in ("self-report", "reporting-loop", "unknown-superior", "duplicate-subordinate", "subordinates-mismatch", "department-loop"):
        assert code in codes, code  # graph
    for code in ("bad-id", "duplicate-id", "symlink-outside", "not-a-file", "file-too-large", "unreadable", "bad-logo"):
        assert code in codes, code  # files
    runs = sum(len(r) for r in corpus.results.values())
    assert len(corpus.cases) >= 60 and runs >= 450, (len(corpus.cases), runs)


@pytest.mark.slow
def test_tmpdir_is_left_empty(corpus: Corpus) -> None:
    for t in ("tmp0", "tmp1"):
        assert set(tree(corpus.tmpdir / t)) <= {JIEBA_CACHE}


# --- one case per trap class, each command a real process ----------------------------------------

PROCESS_CASES = ["encoding-gbk", "python-tag", "invalid-values", "reporting-loop-2", "runtime-symlink-to-passwd", "settings-list"]


def _process(case: Case, label: str, argv: list[str], tmpdir: Path) -> tuple[str, subprocess.CompletedProcess[str], list[str]]:
    watched = [case.hb, case.out, case.cwd, tmpdir]
    before = [tree(w) for w in watched]
    env = {**os.environ, "TMPDIR": str(tmpdir)}
    proc = subprocess.run([sys.executable, str(REPO / "build.py"), *argv], capture_output=True, text=True, cwd=case.cwd, env=env, timeout=120, check=False)
    changes = [f"{w}:{c}" for w, b in zip(watched, before, strict=True) for c in diff(b, tree(w))]
    return label, proc, changes


@pytest.mark.slow
def test_one_case_per_trap_class_as_real_processes(corpus: Corpus, tmp_path: Path) -> None:
    jobs = []
    for name in PROCESS_CASES:
        case = corpus.cases[name]
        for label, argv in case.commands(corpus.workbook):
            if label == "check":
                jobs.append((name, label, ["check", str(case.hb)]))  # the text report this time
            elif label not in ("new", "check-after", "export-csv", "export-json"):
                jobs.append((name, label, argv))
    tmpdirs = [tmp_path / f"tmp{i}" for i in range(len(jobs))]  # one each: they run two at a time
    for t in tmpdirs:
        t.mkdir()
    with ThreadPoolExecutor(2) as pool:
        done = list(pool.map(lambda j, t: (j[0], *_process(corpus.cases[j[0]], j[1], j[2], t)), jobs, tmpdirs))
    for name, label, proc, changes in done:
        where = f"{name} {label}"
        assert proc.returncode == 1, (where, proc.returncode, proc.stderr[-2000:])
        assert "Traceback" not in proc.stdout + proc.stderr, where
        stream = proc.stdout if label == "check" else proc.stderr
        assert " error [" in stream and re.search(r"^(rolebook\.yml|roles/\S+)(:\d+:\d+)?: error \[", stream, re.M), (where, stream[-2000:])
        assert changes == [], (where, changes)
    assert not (corpus.cases["python-tag"].cwd / "rolebook-pwned").exists()


# --- new: hostile arguments -----------------------------------------------------------------------

NEW_WRITES = [  # arguments that are odd but fine: written as plain values, never as YAML structure
    ["role", "a1", "-d", "cs", "-r", "boss", "-t", "a\nreports_to: evil\n# c"],
    ["role", "a2", "-d", "cs", "-t", '!!python/object/apply:os.system ["touch pwned"]'],
    ["role", "a3", "-d", "cs", "-t", "{{ 7*7 }} # x: y", "-n", "N-1 --- x: 1"],
    ["role", "a4", "-d", "cs", "-t", "\u202e反向 <script>alert(1)</script>"],
    ["department", "d1", "--name", "x\n---\ny: 1", "--parent", "cs"],
]
NEW_REFUSALS = [  # usage errors: exit 2, nothing written
    (["role", "../x", "-d", "cs", "-t", "t"], "is not a valid id"),
    (["role", "con", "-d", "cs", "-t", "t"], "reserved name on Windows"),
    (["role", "cle\u200brk2", "-d", "cs", "-t", "t"], "'cle<U+200B>rk2' is not a valid id"),
    (["role", "x", "-d", "../cs", "-t", "t"], "there is no department '../cs'; did you mean 'cs"),
    (["role", "x", "-d", "cs", "-r", "../boss", "-t", "t"], "did you mean 'boss"),
    (["role", "x", "-d", "cs", "-t", "   "], "'--title' is blank"),
    (["role", "x", "-d", "cs", "-t", "t", "-n", "T-002\u200b"], "is also used by roles/cs/clerk.yaml"),
    (["role", "x", "-d", "cs", "-t", "t", "-n", "Ｔ－００２"], "is also used by roles/cs/clerk.yaml"),
    (["department", "../../evil", "--name", "n"], "is not a valid id"),
    (["department", "d2", "--name", ""], "'--name' is blank"),
]


def test_new_with_hostile_arguments(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from rolebook.app.pipeline import check_handbook
    from rolebook.cli import main

    root = make_handbook(tmp_path / "hb", dict[str, str | bytes](minimal("en")))
    cwd = os.getcwd()
    os.chdir(tmp_path)  # where a tag that ran would create its file
    try:
        for argv, why in NEW_REFUSALS:
            before = tree(tmp_path)
            assert main(["new", *argv, str(root)]) == 2, argv
            out, err = capsys.readouterr()
            assert out == "" and why in err and "Create it first" not in err, (argv, err)
            assert diff(before, tree(tmp_path)) == [], argv
        for argv in NEW_WRITES:
            assert main(["new", *argv, str(root)]) == 0, argv
            capsys.readouterr()
    finally:
        os.chdir(cwd)
    assert not (tmp_path / "pwned").exists()
    result = check_handbook(root, "en")
    assert [p for p in result.problems if p.severity == "error"] == []  # only placeholders left to fill in
    assert result.handbook is not None
    assert result.handbook.role("a1").title == "a\nreports_to: evil\n# c" and result.handbook.role("a1").reports_to == "boss"
    assert result.handbook.role("a2").title == '!!python/object/apply:os.system ["touch pwned"]'
    assert result.handbook.role("a3").number == "N-1 --- x: 1"
    assert [d.name for d in result.handbook.departments if d.id == "d1"] == ["x\n---\ny: 1"]


def test_export_never_writes_over_the_handbook_and_shows_its_warnings(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from rolebook.cli import main

    files = dict[str, str | bytes](minimal("en"))
    files["roles/cs/clerk.yaml"] = CLERK.replace("接听电话", "TODO 接听电话")  # a placeholder: a warning
    root = make_handbook(tmp_path / "hb", files)
    before = tree(root)
    for argv in (
        ["--format", "json", "-o", str(root / "roles/cs/clerk.yaml")],
        ["--format", "xlsx", "-o", str(root / "rolebook.yml")],
        ["--format", "json", "-o", str(root / "roles/cs/../cs/boss.yaml")],
        ["--format", "xlsx", "-o", str(root / "roles/cs/new.yml")],
    ):
        assert main(["export", *argv, str(root)]) == 1, argv
        out, err = capsys.readouterr()
        assert out == "" and "is one of the handbook's own files" in err, (argv, err)
        assert "roles/cs/clerk.yaml:7:11: warning [placeholder]" in err
        assert diff(before, tree(root)) == [], argv
    assert main(["export", "--format", "json", "-o", str(tmp_path / "hb.json"), str(root)]) == 0
    out, err = capsys.readouterr()
    assert "roles/cs/clerk.yaml:7:11: warning [placeholder]" in err and "0 errors, 1 warning" in err


def test_report_formats_with_hostile_file_names(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A file name with a comma, a colon, a zero-width space or a right-to-left override: every
    report format still says exactly which file (the messages make the invisible visible)."""
    from rolebook.cli import main

    files = dict[str, str | bytes](minimal("en"))
    for name in ("a,b", "c:d", "e\u200bf", "\u202eg"):
        files[f"roles/cs/{name}.yaml"] = CLERK.replace("T-002", f"T-{len(files)}")
    root = make_handbook(tmp_path / "hb", files)
    assert main(["check", str(root), "--format", "github"]) == 1
    github = capsys.readouterr().out.splitlines()
    files_named = sorted(re.match(r"::error file=([^,]*),line=", line).group(1) for line in github)  # type: ignore[union-attr]
    # GitHub needs the real path to put the note on the file: only what would end the property is escaped
    assert files_named == sorted(["roles/cs/\u202eg.yaml", "roles/cs/a%2Cb.yaml", "roles/cs/c%3Ad.yaml", "roles/cs/e\u200bf.yaml"])
    assert all("\u202e" not in line.split("::", 2)[2] for line in github)  # the messages show it as <U+202E>
    assert main(["check", str(root)]) == 1
    text = capsys.readouterr().out
    assert "roles/cs/e<U+200B>f.yaml: error [bad-id] the file name 'e<U+200B>f'" in text and "\u202e" not in text
    assert main(["check", str(root), "--format", "json"]) == 1
    paths = sorted(p["path"] for p in json.loads(capsys.readouterr().out)["problems"])
    assert paths == sorted(f"roles/cs/{n}.yaml" for n in ("a,b", "c:d", "e\u200bf", "\u202eg"))  # JSON: the real names


@pytest.mark.slow
def test_a_logo_the_pdf_engine_cannot_draw_is_a_short_warning(tmp_path: Path) -> None:
    """A PNG whose first bytes are right and the rest is not: check cannot tell, WeasyPrint drops it with
    a warning naming it by its data: URL — which must not print megabytes of base64."""
    files = dict[str, str | bytes](minimal("en"))
    files["rolebook.yml"] = "organisation: Test Group\nlanguage: en\nlogo: logo.png\n"
    files["logo.png"] = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4000
    root = make_handbook(tmp_path / "hb", files)
    proc = subprocess.run(
        [sys.executable, str(REPO / "build.py"), "pdf", str(root), "--out", str(tmp_path / "pdf")], capture_output=True, text=True, timeout=120, check=False
    )
    assert proc.returncode == 0, proc.stderr
    warnings = [line for line in proc.stderr.splitlines() if "handbook.pdf" in line]
    assert warnings and all(len(line) < 300 for line in warnings), proc.stderr[:500]
    assert "data:image/png;base64,…" in warnings[0]
