"""A hostile repository: each folder and file rolebook touches is a symbolic link out of the handbook.

git stores symbolic links, so a handbook someone else made can hold one wherever rolebook reads,
writes or deletes: its caches, the site and its PDFs, the import backups, a department folder,
docs/, the logo, rolebook.yml, mkdocs.yml. Every case below links one of them to a canary folder
(or file) beside the handbook, filled with files that look like what rolebook would write there —
cache entries 60 days old, a site, PDFs — and with files rolebook must never touch. Every command
runs against a fresh copy of each case (tests/hostile_driver.py, in one process per case):

* it ends with the right exit code and message, never a traceback, and never 0 after a write
  outside the handbook;
* the canary is byte-for-byte the same, every mtime included, links followed, nothing added;
* nothing changed beside the handbook (its parent folder, the current folder, TMPDIR), and the
  commands that promise to write nothing (``check``: nothing but its cache; ``import --dry-run``:
  nothing at all) changed nothing in the handbook either.

The slow lane runs every case × command; the fast lane runs the two cases once found broken (a link
with an absolute target in the PDF cache and in a department) and one of each other kind.
"""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from rolebook.i18n import SHOWN_CHARS
from rolebook.resources import SCHEMA_DIR
from tests.hostile_driver import snapshot
from tests.scratch import CLERK, make_handbook, minimal
from tests.site_support import free_port

REPO = Path(__file__).resolve().parent.parent
OLD = 1_500_000_000  # 2017: older than any cache entry rolebook keeps
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(64))
KEY = "ab" * 32  # named like a PDF cache entry
JIEBA_CACHE = "jieba.cache"  # the Chinese search's dictionary cache (a library's, like fontconfig's)

HELPER = CLERK.replace("T-002", "T-010").replace("title: 专员", "title: 助理")


def base_files() -> dict[str, str | bytes]:
    """The handbook every case starts from: two departments, one of them (ext) its own folder."""
    files: dict[str, str | bytes] = dict(minimal("en"))
    files["roles/ext/_department.yaml"] = "name: Ext\nparent: cs\n"
    files["roles/ext/helper.yaml"] = HELPER
    # its own copy of the schemas, as `init` makes: `new` then writes only the new file
    for schema in sorted(SCHEMA_DIR.glob("*.schema.json")):
        files[f"schema/{schema.name}"] = schema.read_bytes()
    return files


# What the canaries hold: what rolebook would write there, and what it must never touch.
CANARY_DIR: dict[str, str | bytes] = {
    "precious.txt": "not rolebook's\n",
    f"{KEY}.pdf": b"%PDF-1.7 an old cache entry\n",
    f"{KEY}.sha256": "0" * 64,
    "check.index": "not an index",
    "index.html": "<p>someone's site</p>",
    "roles/clerk.pdf": b"%PDF-1.7\n",
    "handbook.pdf": b"%PDF-1.7\n",
    "1/roles/cs/clerk.yaml": CLERK,
    "fonts/0123456789abcdef0123456789abcdef-sc-400.otf": b"OTTO",
    "deep/er/file.md": "# a page\n",
}
CANARY_DEPT: dict[str, str | bytes] = {"_department.yaml": "name: Ext\nparent: cs\n", "helper.yaml": HELPER, "precious.txt": "not rolebook's\n"}
CANARY_DOCS: dict[str, str | bytes] = {"index.md": "# Someone's private notes\n", "secret.md": "password: hunter2\n", "precious.txt": "x\n"}


@dataclass(frozen=True)
class Case:
    name: str
    link: str  # what in the handbook is the link
    canary: dict[str, str | bytes] | str | bytes  # a folder's files, or one file's content
    check: str | None  # the line check reports (and every command that checks); None: check passes
    expect: dict[str, tuple[int, str]] = field(default_factory=dict)  # command → exit code, a line on stderr
    settings: str = ""  # added to rolebook.yml
    prepare: Callable[[Path], None] | None = None  # more set-up inside the handbook, before the link is made
    fast: bool = False
    absolute: bool = False  # the link's target an absolute path (else relative, as links in a repository usually are)


def _real_cache(hb: Path) -> None:
    (hb / ".rolebook-cache").mkdir(exist_ok=True)


def _real_pdf_cache(hb: Path) -> None:
    (hb / ".rolebook-cache/pdf").mkdir(parents=True)


def _real_site(hb: Path) -> None:
    (hb / "site").mkdir()
    (hb / "site/index.html").write_text("<p>the last site</p>", encoding="utf-8")


def _docs(hb: Path) -> None:
    (hb / "docs").mkdir()
    (hb / "docs/index.md").write_text("# Home\n", encoding="utf-8")


UNSAFE_LINK_OUT = "is a symbolic link to '{target}', outside the handbook folder: rolebook writes, replaces and deletes nothing through it"

CASES: list[Case] = [
    Case(
        "rolebook-cache",
        ".rolebook-cache",
        CANARY_DIR,
        ".rolebook-cache: error [unsafe-path] .rolebook-cache is a symbolic link (to '{target}'), but it is rolebook's own folder",
        fast=True,
    ),
    Case(
        "pdf-cache",
        ".rolebook-cache/pdf",
        CANARY_DIR,
        ".rolebook-cache/pdf: error [unsafe-path] .rolebook-cache/pdf is a symbolic link (to '{target}'); .rolebook-cache is rolebook's own folder",
        prepare=_real_cache,
        fast=True,
    ),
    Case(
        "font-cache",
        ".rolebook-cache/pdf/fonts",
        CANARY_DIR,
        None,
        expect={
            "build": (1, "rolebook: {hb}/.rolebook-cache/pdf/fonts is a symbolic link (to '{target}'); {hb}/.rolebook-cache/pdf is rolebook's own folder"),
            "pdf": (1, "rolebook: {hb}/.rolebook-cache/pdf/fonts is a symbolic link (to '{target}'); {hb}/.rolebook-cache/pdf is rolebook's own folder"),
        },
        prepare=_real_pdf_cache,
    ),
    Case(
        "site",
        "site",
        CANARY_DIR,
        None,
        expect={
            "build": (1, "rolebook: {hb}/site " + UNSAFE_LINK_OUT),
            "build-no-pdf": (1, "rolebook: {hb}/site " + UNSAFE_LINK_OUT),
            "pdf": (1, "rolebook: {hb}/site " + UNSAFE_LINK_OUT),
        },
        fast=True,
    ),
    Case(
        # the site is replaced as a whole (the old one, link and all, is removed): nothing is written through it
        "site-pdf",
        "site/pdf",
        CANARY_DIR,
        None,
        expect={"build": (0, ""), "build-no-pdf": (0, ""), "pdf": (1, "rolebook: {hb}/site/pdf " + UNSAFE_LINK_OUT)},
        prepare=_real_site,
    ),
    Case(
        "backup",
        ".rolebook-backup",
        CANARY_DIR,
        ".rolebook-backup: error [unsafe-path] .rolebook-backup is a symbolic link (to '{target}'), but it is rolebook's own folder",
    ),
    Case(
        "department",
        "roles/ext",
        CANARY_DEPT,
        "roles/ext: error [symlink-outside] the file is a link to '{target}', outside the handbook folder; it is not read",
        expect={"new-department": (1, "rolebook new: error: {hb}/roles/ext " + UNSAFE_LINK_OUT)},
        fast=True,
    ),
    Case("docs", "docs", CANARY_DOCS, "docs: error [symlink-outside] the file is a link to '{target}', outside the handbook folder; it is not read"),
    Case(
        "docs-page",
        "docs/secret.md",
        "password: hunter2\n",
        "docs/secret.md: error [symlink-outside] the file is a link to '{target}', outside the handbook folder; it is not read",
        prepare=_docs,
    ),
    Case(
        "logo",
        "logo.png",
        PNG,
        "rolebook.yml:3:7: error [bad-logo] the logo cannot be used: 'logo.png' is outside the handbook folder",
        settings="logo: logo.png\n",
    ),
    Case(
        "settings",
        "rolebook.yml",
        minimal("en")["rolebook.yml"],
        "rolebook.yml: error [symlink-outside] 文件是指向手册文件夹以外（“{target}”）的链接，不予读取",  # no settings: the default language
    ),
    Case(
        "mkdocs",
        "mkdocs.yml",
        "site_name: someone else's\n",
        "mkdocs.yml: error [symlink-outside] the file is a link to '{target}', outside the handbook folder; it is not read",
        fast=True,
    ),
    Case(
        # the name write_atomic gives its temporary file: a link planted there must not be written through
        "temporary-name",
        "roles/cs/.extra.yaml.rolebook-tmp",
        "precious\n",
        None,
    ),
]
# the two faults once found: links with absolute targets (the PDF cache, a department folder)
CASES += [dataclasses.replace(c, name=f"{c.name}-absolute", absolute=True, fast=True) for c in CASES if c.name in ("pdf-cache", "department")]
CASE_BY_NAME = {c.name: c for c in CASES}

# command → argv ({hb}, {out}, {export}, {dept} filled in per run)
COMMANDS: dict[str, list[str]] = {
    "check": ["check", "{hb}"],
    "build": ["build", "{hb}"],
    "build-no-pdf": ["build", "{hb}", "--no-pdf"],
    "pdf": ["pdf", "{hb}"],
    "export-xlsx": ["export", "--format", "xlsx", "-o", "{out}/hb.xlsx", "{hb}"],
    "export-csv": ["export", "--format", "csv", "-o", "{out}/hb", "{hb}"],
    "export-json": ["export", "--format", "json", "-o", "{out}/hb.json", "{hb}"],
    "import-dry-run": ["import", "{export}", "{hb}", "--dry-run"],
    "import-overwrite": ["import", "{export}", "{hb}", "--overwrite"],
    "export-docx": ["export", "--format", "docx", "-o", "{out}/hb.docx", "{hb}"],
    "import-docx-dry-run": ["import", "{docx}", "{hb}", "--dry-run"],
    "import-docx-overwrite": ["import", "{docx}", "{hb}", "--overwrite"],
    "new-role": ["new", "role", "extra", "-d", "cs", "-r", "boss", "-t", "New", "{hb}"],
    "new-department": ["new", "department", "{dept}", "--name", "New", "{hb}"],
}
CHECKING = ("build", "build-no-pdf", "pdf", "export-xlsx", "export-csv", "export-json", "export-docx")  # they check first
# What each command may change inside the handbook (relative paths); nothing else, anywhere.
MAY_WRITE: dict[str, tuple[str, ...]] = {
    "check": (".rolebook-cache",),
    "build": (".rolebook-cache", "site"),
    "build-no-pdf": (".rolebook-cache", "site"),
    "pdf": (".rolebook-cache", "site"),
    "export-xlsx": (".rolebook-cache",),
    "export-csv": (".rolebook-cache",),
    "export-json": (".rolebook-cache",),
    "import-dry-run": (),
    "import-overwrite": ("roles", "rolebook.yml", ".rolebook-backup", ".rolebook-cache"),
    "export-docx": (".rolebook-cache",),
    "import-docx-dry-run": (),
    "import-docx-overwrite": ("roles", "rolebook.yml", ".rolebook-backup", ".rolebook-cache"),
    "new-role": ("roles",),
    "new-department": ("roles",),
}


def _make(folder: Path, files: dict[str, str | bytes] | str | bytes) -> None:
    if isinstance(files, dict):
        make_handbook(folder, files)
        for path in sorted(folder.rglob("*"), reverse=True):
            os.utime(path, (OLD, OLD))
        os.utime(folder, (OLD, OLD))
    else:
        folder.parent.mkdir(parents=True, exist_ok=True)
        folder.write_bytes(files if isinstance(files, bytes) else files.encode("utf-8"))
        os.utime(folder, (OLD, OLD))


def _setup(case: Case, where: Path) -> tuple[Path, Path]:
    """The case's handbook and its canary under ``where``; the handbook's parent is ``where``."""
    files = base_files()
    files["rolebook.yml"] = str(files["rolebook.yml"]) + case.settings
    hb = make_handbook(where / "hb", files)
    if case.prepare is not None:
        case.prepare(hb)
    if case.link != ".rolebook-cache" and not case.link.startswith(".rolebook-cache/"):
        _real_cache(hb)  # check writes its cache there: made before, so the handbook folder itself does not change
    canary = where / "canary" / Path(case.link).name.lstrip(".")
    _make(canary, case.canary)
    link = hb / case.link
    if os.path.lexists(link):
        shutil.rmtree(link) if link.is_dir() and not link.is_symlink() else link.unlink()
    link.parent.mkdir(parents=True, exist_ok=True)
    os.symlink(canary if case.absolute else os.path.relpath(canary, link.parent), link)
    (where / "out").mkdir()
    (where / "cwd").mkdir()
    return hb, canary


@pytest.fixture(scope="module")
def export_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh export of the base handbook, edited: a title changed in each department, one role added."""
    from rolebook.cli import main

    base = tmp_path_factory.mktemp("export")
    src = make_handbook(base / "hb", base_files())
    path = base / "edited.json"
    assert main(["export", "--format", "json", "-o", str(path), str(src)]) == 0
    data = json.loads(path.read_text(encoding="utf-8"))
    for role in data["roles"]:
        if role["id"] in ("clerk", "helper"):
            role["title"] += " (edited)"
    added = dict(next(r for r in data["roles"] if r["id"] == "clerk"))
    added.update(id="imported", number="T-099", title="Imported", source="roles/cs/imported.yaml")
    data["roles"].append(added)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def word_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The base handbook exported to Word, with one title edited, as a manager would send it back."""
    import docx

    from rolebook.cli import main

    base = tmp_path_factory.mktemp("word")
    src = make_handbook(base / "hb", base_files())
    path = base / "edited.docx"
    assert main(["export", "--format", "docx", "-o", str(path), str(src)]) == 0
    document = docx.Document(str(path))
    cells = [c for t in document.tables for row in t.rows for c in row.cells]
    title = next(c for c in cells if c.text == "专员")
    title.paragraphs[0].runs[0].text = "专员（改）"
    document.save(str(path))
    return path


_RESULTS: dict[str, dict[str, dict[str, Any]]] = {}


def _results(name: str, base: Path, export: Path, word: Path) -> dict[str, dict[str, Any]]:
    """Every command on a fresh copy of case ``name``, run in one process (once per test session)."""
    if name in _RESULTS:
        return _RESULTS[name]
    case = CASE_BY_NAME[name]
    specs, labels = [], []
    places: dict[str, tuple[Path, Path, str]] = {}
    for label, argv in COMMANDS.items():
        where = base / name / label
        hb, canary = _setup(case, where)
        fill = {"hb": str(hb), "out": str(where / "out"), "export": str(export), "docx": str(word), "dept": "ext" if case.link == "roles/ext" else "fresh"}
        allowed = [str(hb / rel) for rel in MAY_WRITE[label]] + [str(where / "out"), str(where / "canary")]
        specs.append(
            {
                "argv": [a.format(**fill) for a in argv],
                "cwd": str(where / "cwd"),
                "watch": [],
                # the canary, strictly; and everything beside it, less what the command may write
                "snap": [str(canary), str(where)],
                "snap_exclude": allowed,
            }
        )
        labels.append(label)
        places[label] = (hb, canary, os.readlink(hb / case.link))
    tmpdir = base / name / "tmp"
    tmpdir.mkdir()
    env = {**os.environ, "TMPDIR": str(tmpdir), "PYTHONPATH": str(REPO)}
    proc = subprocess.run(
        [sys.executable, "-m", "tests.hostile_driver"], input=json.dumps(specs), capture_output=True, text=True, cwd=REPO, env=env, timeout=900, check=False
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    results = dict(zip(labels, json.loads(proc.stdout), strict=True))
    for label, r in results.items():
        hb, canary, target = places[label]
        r["hb"], r["canary"], r["target"] = str(hb), str(canary), _shown(target)
        r["where"] = str(base / name / label)
    _RESULTS[name] = results
    return results


def _shown(target: str) -> str:
    """A link's target as a message shows it (a value the user typed: shortened past SHOWN_CHARS)."""
    return target if len(target) <= SHOWN_CHARS else target[: SHOWN_CHARS - 1] + "…"


def _params() -> list[Any]:
    out = []
    for case in CASES:
        for label in COMMANDS:
            marks = [] if case.fast else [pytest.mark.slow]
            out.append(pytest.param(case.name, label, marks=marks, id=f"{case.name}-{label}"))
    return out


@pytest.mark.parametrize(("name", "label"), _params())
def test_hostile_link(name: str, label: str, tmp_path_factory: pytest.TempPathFactory, export_file: Path, word_file: Path) -> None:
    base = tmp_path_factory.getbasetemp() / "hostile-repo"
    base.mkdir(exist_ok=True)
    r = _results(name, base, export_file, word_file)[label]
    case = CASE_BY_NAME[name]
    hb, canary, where = r["hb"], r["canary"], r["where"]
    fill = {"hb": hb, "target": r["target"]}

    assert r["escaped"] == "", r["escaped"]
    assert "Traceback" not in r["stdout"] + r["stderr"]
    # the canary: not a byte, not an mtime, not a new file
    assert r["snapped"][canary] == [], (label, r["snapped"][canary], r["stderr"][-2000:])
    # beside the handbook (and in it, but for what the command may write): nothing
    assert r["snapped"][where] == [], (label, r["snapped"][where])
    tmp_changes = r["changes"][r["tmpdir"]]
    assert set(tmp_changes) <= {f"+{JIEBA_CACHE}"}, tmp_changes
    assert r["changes"][str(Path(where) / "cwd")] == []

    if label in case.expect:
        code, line = case.expect[label]
        assert r["code"] == code, (label, r["code"], r["stderr"][-2000:])
        assert line.format(**fill) in r["stderr"], (line.format(**fill), r["stderr"][-2000:])
    elif case.check is not None and label == "check":
        assert r["code"] == 1
        assert case.check.format(**fill) in r["stdout"], r["stdout"]
    elif case.check is not None and label in CHECKING:
        assert r["code"] == 1, (label, r["stderr"][-2000:])
        assert case.check.format(**fill) in r["stderr"], r["stderr"][-2000:]
        assert r["stdout"] == ""
    elif label in ("check", *CHECKING):
        assert r["code"] == 0, (label, r["stderr"][-2000:])
    else:  # import and new work beside problems elsewhere in the handbook, or refuse: never a crash
        assert r["code"] in (0, 1, 2), (label, r["code"], r["stderr"][-2000:])


# --- the same rule for paths the user names -------------------------------------------------------


def _cli(*argv: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(REPO / "build.py"), *argv], cwd=cwd or REPO, capture_output=True, text=True, timeout=300, check=False)


def test_an_output_named_through_a_link_in_the_handbook_is_refused(tmp_path: Path) -> None:
    hb = make_handbook(tmp_path / "hb", base_files())
    _real_cache(hb)
    canary = tmp_path / "canary"
    _make(canary, CANARY_DIR)
    os.symlink("../canary", hb / "site")
    cache = frozenset({str(hb / ".rolebook-cache")})
    before = snapshot(tmp_path, cache)
    for argv in (
        ["export", "-o", str(hb / "site/hb.xlsx"), str(hb)],
        ["build", str(hb), "--site-dir", str(hb / "site/www")],
        ["pdf", str(hb), "--out", str(hb / "site/print")],
    ):
        proc = _cli(*argv)
        prefix = "rolebook export: " if argv[0] == "export" else "rolebook: "
        assert proc.returncode == 1, (argv, proc.stderr)
        assert proc.stderr.endswith(
            f"{prefix}{hb}/site is a symbolic link to '../canary', outside the handbook folder: "
            "rolebook writes, replaces and deletes nothing through it (remove the link; to write elsewhere, name that folder itself)\n"
        ), proc.stderr
        assert snapshot(tmp_path, cache) == before, argv


def test_an_output_that_is_a_link_is_refused_wherever_it_is(tmp_path: Path) -> None:
    hb = make_handbook(tmp_path / "hb", base_files())
    target = tmp_path / "elsewhere.xlsx"
    target.write_bytes(b"someone's workbook")
    os.symlink("elsewhere.xlsx", tmp_path / "hb.xlsx")
    proc = _cli("export", "-o", str(tmp_path / "hb.xlsx"), str(hb))
    assert proc.returncode == 1
    assert proc.stderr == (
        f"rolebook export: {tmp_path}/hb.xlsx is a symbolic link (to 'elsewhere.xlsx'): rolebook replaces an output as a whole "
        "and never writes through a link (remove the link or name another path)\n"
    )
    assert target.read_bytes() == b"someone's workbook"
    # zh too
    proc = _cli("export", "-o", str(tmp_path / "hb.xlsx"), str(hb), "--lang", "zh")
    assert (
        proc.stderr
        == f"rolebook export: {tmp_path}/hb.xlsx 是符号链接（指向“elsewhere.xlsx”）：rolebook 会整体替换输出，从不通过链接写入（请删除这个链接，或另给一个路径）\n"
    )


def test_outputs_the_user_names_outside_the_handbook_are_written(tmp_path: Path) -> None:
    """The user's own links (outside the handbook) are followed: ``-o`` names a place, the user typed it."""
    hb = make_handbook(tmp_path / "hb", base_files())
    real = tmp_path / "real"
    real.mkdir()
    os.symlink(real, tmp_path / "via")
    proc = _cli("export", "--format", "json", "-o", str(tmp_path / "via/hb.json"), str(hb))
    assert proc.returncode == 0, proc.stderr
    assert json.loads((real / "hb.json").read_text(encoding="utf-8"))["format"] == "rolebook-export"


def test_a_link_inside_the_handbook_that_stays_inside_is_followed_for_outputs(tmp_path: Path) -> None:
    hb = make_handbook(tmp_path / "hb", base_files())
    (hb / "out").mkdir()
    os.symlink("out", hb / "exports")
    proc = _cli("export", "--format", "csv", "-o", str(hb / "exports/hb"), str(hb))
    assert proc.returncode == 0, proc.stderr
    assert (hb / "out/hb-positions.csv").read_bytes().startswith(b"\xef\xbb\xbf")


# --- serve ------------------------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("name", ["rolebook-cache", "mkdocs", "docs", "department"])
def test_serve_on_a_hostile_link_exits_1_and_touches_nothing(tmp_path: Path, name: str) -> None:
    case = CASE_BY_NAME[name]
    hb, _ = _setup(case, tmp_path / "case")
    before = snapshot(tmp_path / "case", frozenset({str(hb / ".rolebook-cache")}))
    tmpdir = tmp_path / "tmp"
    tmpdir.mkdir()
    port = free_port()
    proc = subprocess.run(
        [sys.executable, "build.py", "serve", str(hb), "--dev-addr", f"127.0.0.1:{port}"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "TMPDIR": str(tmpdir)},
        check=False,
    )
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    assert case.check is not None and case.check.format(hb=hb, target=os.readlink(hb / case.link)) in proc.stderr, proc.stderr
    assert snapshot(tmp_path / "case", frozenset({str(hb / ".rolebook-cache")})) == before
    assert set(os.listdir(tmpdir)) <= {JIEBA_CACHE}


# --- commands that promise to write nothing -------------------------------------------------------------


def test_check_and_a_dry_run_change_nothing_in_or_around_the_handbook(tmp_path: Path, export_file: Path) -> None:
    """Hashes and times of every file and folder beside and in the handbook (links followed); TMPDIR left empty
    (import checks a private scratch copy there, and removes it). ``check`` may write its parse cache (the
    first run); once it is there, nothing at all."""
    hb = make_handbook(tmp_path / "hb", base_files())
    os.symlink("roles/cs", hb / "cs-link")  # a link inside the handbook: followed by the snapshot, never written through
    (tmp_path / "tmp").mkdir()
    env = {**os.environ, "TMPDIR": str(tmp_path / "tmp")}

    def run(*argv: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, str(REPO / "build.py"), *argv], cwd=tmp_path, capture_output=True, text=True, env=env, timeout=120, check=False)

    assert run("check", str(hb)).returncode == 0
    tmp = frozenset({str(tmp_path / "tmp")})
    before = snapshot(tmp_path, tmp)
    for argv in (["check", str(hb)], ["check", str(hb), "--format", "json"], ["import", str(export_file), str(hb), "--dry-run"]):
        proc = run(*argv)
        assert proc.returncode == 0, proc.stderr
        assert "Traceback" not in proc.stderr
        assert snapshot(tmp_path, tmp) == before, argv
        assert os.listdir(tmp_path / "tmp") == []
    assert "roles/cs/imported.yaml" in proc.stdout  # the dry run did see what it would write


@pytest.mark.slow
def test_serve_never_lets_mkdocs_read_a_config_that_runs_code(tmp_path: Path) -> None:
    """MkDocs reads mkdocs.yml with PyYAML's full loader: serve checks it safely first and stops."""
    from tests.scratch import CASES, materialise_case

    case = CASES / "invalid/mkdocs-runs-code"
    hb = materialise_case(case, tmp_path / "hb")
    port = free_port()
    proc = subprocess.run(
        [sys.executable, str(REPO / "build.py"), "serve", str(hb), "--dev-addr", f"127.0.0.1:{port}"],
        cwd=hb,  # where the payload would touch its file
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 1, proc.stderr
    for line in (case / "expected.txt").read_text(encoding="utf-8").splitlines()[:-1]:
        assert line in proc.stderr
    assert not (hb / "rolebook-pwned").exists()
    assert "Serving" not in proc.stderr and "Traceback" not in proc.stderr
