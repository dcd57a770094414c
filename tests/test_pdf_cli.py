"""``build.py pdf`` as a user runs it: exit codes, messages, what is (not) written."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pypdf
import pytest

from rolebook.cli import main
from tests.pdf_support import tofu_char
from tests.scratch import CLERK, make_handbook, minimal

REPO = Path(__file__).resolve().parent.parent


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"} | (env or {})
    return subprocess.run([sys.executable, str(REPO / "build.py"), "pdf", *args], capture_output=True, text=True, timeout=300, env=environ)


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.slow
def test_pdf_builds_into_site_pdf_reproducibly_and_incrementally(tmp_path: Path) -> None:
    root = make_handbook(tmp_path, minimal("zh"))
    first = run(str(root))
    assert first.returncode == 0, first.stderr
    assert first.stderr == ""
    out = root / "site" / "pdf"
    assert first.stdout.startswith(f"已在 {out} 写入 4 个 PDF（新生成 4 个，未变 0 个）")
    built = snapshot(out)
    assert sorted(built) == ["departments/cs.pdf", "handbook.pdf", "roles/boss.pdf", "roles/clerk.pdf"]
    assert not [p.name for p in root.glob("site/.*")]  # no temporary folder left behind

    warm = run(str(root))
    assert warm.returncode == 0 and "新生成 0 个，未变 4 个" in warm.stdout
    assert snapshot(out) == built

    # a cold build in fresh processes gives the same bytes
    shutil.rmtree(root / ".rolebook-cache" / "pdf")
    cold = run(str(root))
    assert cold.returncode == 0 and "新生成 4 个" in cold.stdout
    assert snapshot(out) == built

    # SOURCE_DATE_EPOCH sets the dates (and so changes the bytes)
    dated = run(str(root), env={"SOURCE_DATE_EPOCH": "1700000000"})
    assert dated.returncode == 0
    meta = pypdf.PdfReader(out / "roles/clerk.pdf").metadata
    assert meta is not None and meta["/CreationDate"] == "D:20231114221320Z"


def test_tofu_fails_the_build_with_a_clear_message_and_writes_nothing(tmp_path: Path) -> None:
    char = tofu_char()
    files = minimal("zh")
    files["roles/cs/clerk.yaml"] = CLERK.replace("接听电话", f"接听电话{char}")
    root = make_handbook(tmp_path, files)
    r = run(str(root))
    assert r.returncode == 1
    assert r.stdout == ""
    lines = r.stderr.splitlines()
    assert lines[0].startswith("roles/cs/clerk.yaml:7:15: error [missing-glyph] ")
    assert f"U+{ord(char):04X}" in lines[0]
    assert lines[1] == "    这是私用区字符（只有特殊字体才画得出来，例如 Word 的符号字体），无法打印：请换成别的字符。"
    assert lines[-1] == "检查了 4 个文件：1 个错误，0 个警告。"
    assert not (root / "site").exists()


def test_bad_data_prints_the_positioned_report_and_writes_nothing(tmp_path: Path) -> None:
    files = minimal("en")
    files["roles/cs/clerk.yaml"] = CLERK.replace("reports_to: boss", "reports_to: bos")
    root = make_handbook(tmp_path, files)
    r = run(str(root))
    assert r.returncode == 1
    assert r.stderr.startswith("roles/cs/clerk.yaml:3:13: error [unknown-superior] ")
    assert r.stdout == ""
    assert not (root / "site").exists()
    assert not (root / ".rolebook-cache" / "pdf").exists()


@pytest.mark.slow
def test_out_folder_is_replaced_whole_but_never_one_holding_other_files(tmp_path: Path) -> None:
    root = make_handbook(tmp_path / "hb", minimal("en"))
    out = tmp_path / "pdfs"
    (out / "roles").mkdir(parents=True)
    (out / "roles" / "gone.pdf").write_bytes(b"%PDF-old")
    r = run(str(root), "--out", str(out), "--jobs", "1")
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith(f"Wrote 4 PDFs to {out} (4 rendered, 0 unchanged)")
    assert not (out / "roles" / "gone.pdf").exists()  # stale output does not survive
    assert (out / "roles" / "clerk.pdf").exists()

    (out / "notes.txt").write_text("mine", encoding="utf-8")
    refused = run(str(root), "--out", str(out))
    assert refused.returncode == 1
    assert "not replacing" in refused.stderr and "notes.txt" in refused.stderr
    assert (out / "notes.txt").read_text(encoding="utf-8") == "mine"

    into_handbook = run(str(root), "--out", str(root))
    assert into_handbook.returncode == 1 and "not replacing" in into_handbook.stderr
    assert (root / "roles" / "cs" / "clerk.yaml").exists()


def test_usage_errors_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["pdf", str(tmp_path / "missing")]) == 2
    assert "missing" in capsys.readouterr().err
    assert main(["pdf", str(REPO), "--jobs", "0"]) == 2
    assert "--jobs" in capsys.readouterr().err


@pytest.mark.slow
def test_a_handbook_named_by_a_relative_path_and_the_current_folder(tmp_path: Path) -> None:
    root = make_handbook(tmp_path / "hb", minimal("en"))
    environ = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    for cwd, arg in ((tmp_path, "hb"), (root, ".")):
        done = subprocess.run(
            [sys.executable, str(REPO / "build.py"), "pdf", arg], cwd=cwd, capture_output=True, text=True, timeout=300, env=environ, check=False
        )
        assert done.returncode == 0 and done.stderr == "", done.stderr
        assert (root / "site/pdf/handbook.pdf").read_bytes().startswith(b"%PDF-")
