"""``rolebook pdf --role ID / --department ID``: only those PDFs, the same bytes as a whole build's,
the folder's other PDFs kept; an unknown id is named with the nearest known one (exit 2)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.pdf_support import tofu_char
from tests.scratch import CLERK, make_handbook, minimal

REPO = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.slow


def run(*args: str) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    return subprocess.run([sys.executable, str(REPO / "build.py"), "pdf", *args], capture_output=True, text=True, timeout=600, env=environ)


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def handbook(root: Path, lang: str = "zh") -> Path:
    files = minimal(lang)
    files["roles/ops/_department.yaml"] = "name: 运营部\n"
    files["roles/ops/runner.yaml"] = CLERK.replace("T-002", "T-003").replace("专员", "跑单员")
    return make_handbook(root, files)


@pytest.fixture(scope="module")
def whole(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, bytes]]:
    """A handbook and every PDF of it, from a whole build (kept apart from the tests' own folders)."""
    tmp = tmp_path_factory.mktemp("whole")
    root = handbook(tmp / "hb")
    done = run("--out", str(tmp / "all"), str(root))
    assert done.returncode == 0, done.stderr
    built = snapshot(tmp / "all")
    assert sorted(built) == ["departments/cs.pdf", "departments/ops.pdf", "handbook.pdf", "roles/boss.pdf", "roles/clerk.pdf", "roles/runner.pdf"]
    return root, built


def test_only_the_roles_and_departments_asked_for_are_written(whole: tuple[Path, dict[str, bytes]], tmp_path: Path) -> None:
    root, built = whole
    out = tmp_path / "some"
    done = run("--out", str(out), "--role", "runner", "--department", "cs", "--role", "boss", str(root))
    assert done.returncode == 0, done.stderr
    got = snapshot(out)
    assert sorted(got) == ["departments/cs.pdf", "roles/boss.pdf", "roles/runner.pdf"]
    for name, data in got.items():  # byte for byte what the whole build made
        assert data == built[name], name
    assert "3" in done.stdout


def test_a_selection_keeps_the_folders_other_pdfs(whole: tuple[Path, dict[str, bytes]], tmp_path: Path) -> None:
    root, built = whole
    out = tmp_path / "pdf"
    assert run("--out", str(out), str(root)).returncode == 0
    before = snapshot(out)
    assert before == built
    # the role changes; only its PDF is made again, the others stay as they were
    (root / "roles/cs/clerk.yaml").write_text(CLERK.replace("接听电话", "接听来电"), encoding="utf-8")
    try:
        done = run("--out", str(out), "--role", "clerk", str(root))
        assert done.returncode == 0, done.stderr
        after = snapshot(out)
        assert sorted(after) == sorted(before)
        assert after["roles/clerk.pdf"] != before["roles/clerk.pdf"]
        assert {n: d for n, d in after.items() if n != "roles/clerk.pdf"} == {n: d for n, d in before.items() if n != "roles/clerk.pdf"}
        assert not [p.name for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temporary folder left
    finally:
        (root / "roles/cs/clerk.yaml").write_text(CLERK, encoding="utf-8")


@pytest.mark.parametrize(
    ("args", "lang", "said"),
    [
        (("--role", "clrek"), "zh", "没有“clrek”这个岗位（--role）；您是不是想写“clerk (专员)”？"),
        (("--department", "opps"), "zh", "没有“opps”这个部门（--department）；您是不是想写“ops (运营部)”？"),
        (("--role", "zzzzzz"), "zh", "没有“zzzzzz”这个岗位（--role）"),
        (("--role", "boss", "--department", "csx"), "en", "there is no department 'csx' (--department); did you mean 'cs (客服部)'?"),
    ],
)
def test_an_unknown_id_is_named_with_the_nearest_one_and_nothing_is_written(tmp_path: Path, args: tuple[str, ...], lang: str, said: str) -> None:
    root = handbook(tmp_path / "hb", lang)
    out = tmp_path / "out"
    done = run("--out", str(out), *args, str(root))
    assert done.returncode == 2
    assert said in done.stderr, done.stderr
    assert "Traceback" not in done.stderr
    assert not out.exists()


def test_a_selection_that_cannot_be_printed_leaves_the_folder_as_it_was(whole: tuple[Path, dict[str, bytes]], tmp_path: Path) -> None:
    root, built = whole
    out = tmp_path / "pdf"
    assert run("--out", str(out), str(root)).returncode == 0
    char = tofu_char()
    (root / "roles/ops/runner.yaml").write_text(CLERK.replace("T-002", "T-003").replace("专员", f"跑单员{char}"), encoding="utf-8")
    try:
        done = run("--out", str(out), "--role", "runner", "--role", "clerk", str(root))
        assert done.returncode == 1
        assert "roles/ops/runner.yaml" in done.stderr
        assert snapshot(out) == built
    finally:
        (root / "roles/ops/runner.yaml").write_text(CLERK.replace("T-002", "T-003").replace("专员", "跑单员"), encoding="utf-8")
