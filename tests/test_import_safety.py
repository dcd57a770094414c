"""`import` and symbolic links: nothing outside the handbook is read, written or deleted, and
`--dry-run` writes nothing anywhere. The scratch copy the import is checked on holds real copies
(the logo too), never links back into the handbook."""

from __future__ import annotations

import hashlib
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest

from rolebook.cli import main
from tests.scratch import make_handbook, minimal

LOGO = b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>\n'


def snapshot(top: Path) -> dict[str, tuple[str, int]]:
    """Every file under ``top``, links followed (not into loops): its content hash and mtime (ns)."""
    out: dict[str, tuple[str, int]] = {}
    for dirpath, dirnames, filenames in os.walk(top, followlinks=True):
        dirnames.sort()
        for name in sorted(filenames):
            path = Path(dirpath) / name
            try:
                st = path.stat()
                out[path.relative_to(top).as_posix()] = (hashlib.sha256(path.read_bytes()).hexdigest(), st.st_mtime_ns)
            except OSError:
                out[path.relative_to(top).as_posix()] = ("dangling", 0)
    return out


def workbook_with_a_change(tmp_path: Path, hb: Path) -> Path:
    """The handbook's export with one KPI edited, so that the import has a file to replace."""
    xlsx = tmp_path / "hb.xlsx"
    assert main(["export", "-o", str(xlsx), str(hb)]) == 0
    wb = openpyxl.load_workbook(xlsx)
    ws = wb["Duties"]
    row = next(r for r in ws.iter_rows(min_row=2) if r[0].value == "boss")
    row[4].value = "satisfaction (monthly)"
    wb.save(xlsx)
    return xlsx


def _dept_link(hb: Path, outside: Path) -> None:
    shutil.move(hb / "roles/cs", outside / "cs")
    os.symlink(outside / "cs", hb / "roles/cs")


def _roles_link(hb: Path, outside: Path) -> None:
    shutil.move(hb / "roles", outside / "roles")
    os.symlink(outside / "roles", hb / "roles")


def _role_file_link(hb: Path, outside: Path) -> None:
    shutil.move(hb / "roles/cs/boss.yaml", outside / "boss.yaml")
    os.symlink(outside / "boss.yaml", hb / "roles/cs/boss.yaml")


def _settings_link(hb: Path, outside: Path) -> None:
    shutil.move(hb / "rolebook.yml", outside / "rolebook.yml")
    os.symlink(outside / "rolebook.yml", hb / "rolebook.yml")


def _backup_link(hb: Path, outside: Path) -> None:
    (outside / "backup").mkdir()
    (outside / "backup/canary.txt").write_text("canary\n")
    os.symlink(outside / "backup", hb / ".rolebook-backup")


def _logo_link(hb: Path, outside: Path) -> None:
    shutil.move(hb / "logo.svg", outside / "logo.svg")
    os.symlink(outside / "logo.svg", hb / "logo.svg")


HOSTILE: dict[str, tuple[Callable[[Path, Path], None], str]] = {
    # case: (make it, the start of the line that says what is refused)
    "department-folder": (_dept_link, "roles/cs: error [symlink-outside] "),
    "roles-folder": (_roles_link, "roles: error [symlink-outside] "),
    "role-file": (_role_file_link, "roles/cs/boss.yaml: error [symlink-outside] "),
    "settings": (_settings_link, "rolebook.yml: error [symlink-outside] "),
    "backup-folder": (_backup_link, ".rolebook-backup: error [symlink-outside] "),
    "logo": (_logo_link, "hb.xlsx[Settings]:2:3: error [bad-logo] the logo cannot be used: 'logo.svg' is outside the handbook folder"),
}


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_a_link_out_of_the_handbook_is_refused_and_nothing_is_written(tmp_path: Path, case: str, capsys: pytest.CaptureFixture[str]) -> None:
    files: dict[str, str | bytes] = {**minimal("en"), "roles/cs/boss.yaml": "# HR's note\n" + minimal("en")["roles/cs/boss.yaml"], "logo.svg": LOGO}
    files["rolebook.yml"] = str(files["rolebook.yml"]) + "logo: logo.svg\n"
    hb = make_handbook(tmp_path / "hb", files)
    xlsx = workbook_with_a_change(tmp_path, hb)
    outside = tmp_path / "outside"
    outside.mkdir()
    make, refused = HOSTILE[case]
    make(hb, outside)
    before = snapshot(tmp_path)
    capsys.readouterr()
    for extra in (["--dry-run"], ["--overwrite"]):
        code = main(["import", str(xlsx), str(hb), "--lang", "en", *extra])
        out, err = capsys.readouterr()
        assert (code, out) == (1, ""), (extra, out, err)
        assert any(line.startswith(refused) for line in err.splitlines()), err
        assert err.endswith("Nothing was imported.\n")
        assert snapshot(tmp_path) == before, extra  # the handbook, the canaries outside, the workbook: all untouched


def test_a_planted_temporary_file_link_is_not_written_through(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    hb = make_handbook(tmp_path / "hb", minimal("en"))
    xlsx = workbook_with_a_change(tmp_path, hb)
    canary = tmp_path / "canary.txt"
    canary.write_text("canary\n")
    os.symlink(canary, hb / "roles/cs/.boss.yaml.rolebook-tmp")
    os.symlink(canary, hb / "roles/cs/.clerk.yaml.rolebook-tmp")
    before = canary.stat().st_mtime_ns
    assert main(["import", str(xlsx), str(hb), "--overwrite"]) == 0
    assert canary.read_text() == "canary\n" and canary.stat().st_mtime_ns == before
    assert "satisfaction (monthly)" in (hb / "roles/cs/boss.yaml").read_text(encoding="utf-8")
    assert not os.path.lexists(hb / "roles/cs/.boss.yaml.rolebook-tmp")


def test_dry_run_writes_nothing_anywhere(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """Not in the handbook, not beside it, and nothing is left in the temporary folder."""
    temp = tmp_path / "temp"
    temp.mkdir()
    monkeypatch.setattr("tempfile.tempdir", str(temp))
    hb = make_handbook(tmp_path / "hb", minimal("en"))
    xlsx = workbook_with_a_change(tmp_path, hb)
    wb = openpyxl.load_workbook(xlsx)
    heading = [c.value for c in wb["Positions"][1]]
    new = dict(
        zip(
            ["Document no.", "Role id", "Title", "Department", "Reports to", "Headcount", "Status"],
            ["T-003", "new-role", "New", "cs", "boss", 1, "draft"],
            strict=True,
        )
    )
    wb["Positions"].append([new.get(h) for h in heading])
    wb["Duties"].append(["new-role", None, 1, "Sell", "Sales"])
    wb.save(xlsx)
    before = snapshot(tmp_path)
    capsys.readouterr()
    assert main(["import", str(xlsx), str(hb), "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "+++ b/roles/cs/new-role.yaml\n" in out and "+    kpis: [satisfaction (monthly)]\n" in out
    assert out.endswith("Dry run: nothing was written (2 new, 1 changed, 3 unchanged).\n")
    assert snapshot(tmp_path) == before
    assert sorted(os.listdir(temp)) == []
    assert not (hb / "roles/cs/new-role.yaml").exists()


@pytest.mark.parametrize("logo", ["logo.svg", "assets/brand/logo.svg"])
def test_an_unedited_export_of_a_handbook_with_a_logo_imports(tmp_path: Path, logo: str, capsys: pytest.CaptureFixture[str]) -> None:
    files: dict[str, str | bytes] = {**minimal("en"), logo: LOGO}
    files["rolebook.yml"] = str(files["rolebook.yml"]) + f"logo: {logo}\n"
    hb = make_handbook(tmp_path / "hb", files)
    xlsx = tmp_path / "hb.xlsx"
    assert main(["export", "-o", str(xlsx), str(hb)]) == 0
    capsys.readouterr()
    assert main(["import", str(xlsx), str(hb)]) == 0
    out, err = capsys.readouterr()
    assert (out, err) == ("Imported hb.xlsx: 0 new, 0 updated, 4 unchanged.\n", "")
    # a logo the import's settings name is checked as check checks it: here, a missing one
    wb = openpyxl.load_workbook(xlsx)
    wb["Settings"].cell(2, 3).value = "missing.svg"
    wb.save(xlsx)
    assert main(["import", str(xlsx), str(hb), "--overwrite"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("hb.xlsx[Settings]:2:3: error [bad-logo] the logo cannot be used: there is no file 'missing.svg'"), err
