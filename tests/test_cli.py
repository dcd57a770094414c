"""The command line, run as a user would: exact output and exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from tests.scratch import CLERK, make_handbook, minimal

REPO = Path(__file__).resolve().parent.parent


def run(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(REPO / "build.py"), *args], cwd=cwd, capture_output=True, text=True, timeout=120)


def test_check_clean_sample_exits_0() -> None:
    r = run("check")
    assert (r.returncode, r.stdout, r.stderr) == (0, "检查了 24 个文件，没有发现问题。\n", "")


def test_check_reports_every_problem_of_every_file_exactly(tmp_path: Path) -> None:
    files = minimal("en")
    files["roles/cs/clerk.yaml"] = CLERK.replace("duties:", "dutys:").replace("reports_to: boss", "reports_to: bos")
    files["roles/cs/boss.yaml"] = "title: a\ntitle: b\n"
    make_handbook(tmp_path, files)
    r = run("check", str(tmp_path))
    assert r.returncode == 1
    assert r.stderr == ""
    assert r.stdout == (
        "roles/cs/boss.yaml:2:1: error [duplicate-key] key 'title' appears twice (first on line 1); the second would silently replace the first\n"
        "    Keep one 'title' and move everything under it.\n"
        "roles/cs/clerk.yaml:3:13: error [unknown-superior] there is no position 'bos'; did you mean 'boss'?\n"
        "roles/cs/clerk.yaml:6:1: error [unknown-key] unknown key 'dutys'; did you mean 'duties'?\n"
        "Checked 4 files: 3 errors, 0 warnings.\n"
    )


def test_check_in_chinese(tmp_path: Path) -> None:
    files = minimal("zh")
    files["roles/cs/clerk.yaml"] = CLERK.replace("headcount: 2", "headcount: 两个")
    make_handbook(tmp_path, files)
    r = run("check", str(tmp_path))
    assert r.returncode == 1
    assert r.stdout == "roles/cs/clerk.yaml:4:12: error [wrong-type] “headcount”（人数）应当是整数，而不是文字 “两个”\n检查了 4 个文件：1 个错误，0 个警告。\n"


def test_warnings_pass_unless_strict(tmp_path: Path) -> None:
    files = minimal("en")
    files["roles/cs/clerk.yaml"] = CLERK.replace("    kpis: [及时性]\n", "")
    make_handbook(tmp_path, files)
    assert run("check", str(tmp_path)).returncode == 0
    strict = run("check", "--strict", str(tmp_path))
    assert strict.returncode == 1
    assert "warning [missing-kpi]" in strict.stdout


def test_json_report_validates_against_published_schema(tmp_path: Path) -> None:
    files = minimal("en")
    files["roles/cs/clerk.yaml"] = CLERK.replace("status: approved", "status: done")
    make_handbook(tmp_path, files)
    r = run("check", "--format", "json", str(tmp_path))
    assert r.returncode == 1
    report = json.loads(r.stdout)
    schema = json.loads((REPO / "schema" / "report.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(schema).validate(report)
    assert report["errors"] == 1
    assert report["problems"][0]["path"] == "roles/cs/clerk.yaml"
    assert report["problems"][0]["line"] == 5


def test_github_format(tmp_path: Path) -> None:
    files = minimal("en")
    files["roles/cs/clerk.yaml"] = CLERK.replace("status: approved", "status: done")
    make_handbook(tmp_path, files)
    r = run("check", "--format", "github", str(tmp_path))
    assert r.stdout.startswith("::error file=roles/cs/clerk.yaml,line=5,col=9,title=invalid-value::")


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    missing = run("check", str(tmp_path / "nope"), "--lang", "en")
    assert (missing.returncode, missing.stdout) == (2, "")
    assert missing.stderr == f"rolebook: no such handbook folder '{tmp_path / 'nope'}'\n"
    assert run("frobnicate").returncode == 2
    assert run("check", "--format", "xml").returncode == 2
    assert run().returncode == 2


def test_help_is_complete() -> None:
    r = run("--help")
    assert r.returncode == 0
    assert "check" in r.stdout and "HANDBOOK_DIR" not in r.stdout
    sub = run("check", "--help")
    for word in ("HANDBOOK_DIR", "--format", "--strict", "--lang"):
        assert word in sub.stdout


def test_default_folder_is_current_directory(tmp_path: Path) -> None:
    make_handbook(tmp_path, minimal("en"))
    r = run("check", cwd=tmp_path)
    assert (r.returncode, r.stdout) == (0, "Checked 4 files: no problems found.\n")


def test_console_script_is_installed() -> None:
    # the console script sits beside the interpreter running the tests (the project venv, .venv/bin/)
    script = Path(sys.executable).parent / "rolebook"
    r = subprocess.run([str(script), "check", str(REPO), "--lang", "en"], capture_output=True, text=True, timeout=60)
    assert (r.returncode, r.stdout) == (0, "Checked 24 files: no problems found.\n")


@pytest.mark.slow
def test_build_gives_the_site_and_the_pdfs_their_own_times(tmp_path: Path) -> None:
    import re

    for lang, site_line, pdf_line, total_line in (
        (
            "en",
            r"Built the site in {site} \(7 pages\) in ([0-9.]+) s\.",
            r"Wrote 4 PDFs to {pdf} \(4 rendered, 0 unchanged\) in ([0-9.]+) s\.",
            r"Site and PDFs done in ([0-9.]+) s in all\.",
        ),
        (
            "zh",
            r"已在 {site} 生成网站（7 个页面），用时 ([0-9.]+) 秒。",
            r"已在 {pdf} 写入 4 个 PDF（新生成 4 个，未变 0 个），用时 ([0-9.]+) 秒。",
            r"网站和 PDF 全部完成，共用时 ([0-9.]+) 秒。",
        ),
    ):
        root = make_handbook(tmp_path / lang, minimal(lang))
        r = run("build", str(root))
        assert (r.returncode, r.stderr) == (0, ""), r.stderr
        site, pdf = re.escape(str(root / "site")), re.escape(str(root / "site" / "pdf"))
        pattern = "\n".join((site_line.format(site=site), pdf_line.format(pdf=pdf), total_line)) + "\n"
        m = re.fullmatch(pattern, r.stdout)
        assert m, r.stdout
        site_s, pdf_s, total_s = (float(g) for g in m.groups())
        assert site_s + pdf_s <= total_s + 0.15  # each its own part of the whole (shown to 0.1 s)
        assert pdf_s > 0 and 0 < site_s < total_s
        no_pdf = run("build", "--no-pdf", str(root))
        assert re.fullmatch(site_line.format(site=site) + "\n", no_pdf.stdout), no_pdf.stdout
