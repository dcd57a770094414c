"""`import --overwrite` is all or nothing: a failure while writing (a full disk, a file that cannot be
replaced) leaves the handbook as it was and says what was restored; after a SIGKILL at any moment
the next command finds the handbook wholly old, and says so, and the leftovers are gone."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest

from rolebook.cli import main
from rolebook.load.import_write import FAULT_ENV, SCRATCH_MARK
from tests.test_import import REPO, sample_copy
from tests.test_import import tree as files  # every file of the handbook, import leftovers included

BUILD = [sys.executable, str(REPO / "build.py")]


def leftovers(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.name.endswith(".rolebook-tmp") or p.name == "journal.json")


def every_role_changed(root: Path, tmp_path: Path) -> Path:
    """An export of ``root`` with the revision of every position changed (21 files) and a new role
    in a new department (2 new files)."""
    xlsx = tmp_path / "hb.xlsx"
    assert main(["export", "-o", str(xlsx), str(root)]) == 0
    wb = openpyxl.load_workbook(xlsx)
    pos = wb["岗位"]
    heading = [c.value for c in pos[1]]
    for row in pos.iter_rows(min_row=2):
        row[heading.index("版本")].value = "修订 9"
    new = dict(
        zip(
            ["编号", "岗位标识", "职位", "部门", "直接上级", "人数", "状态"],
            ["新-001", "zz-new", "新岗位", "zz-dept", "general-manager", 1, "draft"],
            strict=True,
        )
    )
    pos.append([new.get(h) for h in heading])
    wb["职责"].append(["zz-new", None, 1, "新职责", "新指标"])
    wb["部门"].append(["zz-dept", "新部门", None, None, None, None, None])
    wb.save(xlsx)
    return xlsx


@pytest.fixture()
def handbook(tmp_path: Path) -> tuple[Path, Path, dict[str, bytes], dict[str, bytes]]:
    """The sample handbook, a workbook that changes most of it, and the files before and after a good import."""
    root = sample_copy(tmp_path)
    xlsx = every_role_changed(root, tmp_path)
    reference = sample_copy(tmp_path, "reference")
    assert main(["import", str(xlsx), str(reference), "--overwrite"]) == 0
    return root, xlsx, files(root), files(reference)


def renamed_first(before: dict[str, bytes], after: dict[str, bytes], n: int) -> tuple[list[str], list[str]]:
    """The files the import renames into place first (in the order it does), as (restored, removed) by an undo."""
    order = sorted(k for k in after if after[k] != before.get(k))
    assert len(order) > 12
    first = order[:n]
    return [k for k in first if k in before], [k for k in first if k not in before]


def test_a_full_disk_midway_restores_every_file_and_says_so(
    handbook: tuple[Path, Path, dict[str, bytes], dict[str, bytes]], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    root, xlsx, before, after = handbook
    monkeypatch.setenv(FAULT_ENV, "fail-after:7")
    capsys.readouterr()
    code = main(["import", str(xlsx), str(root), "--overwrite"])
    out, err = capsys.readouterr()
    assert (code, out) == (1, "")
    restored, removed = renamed_first(before, after, 7)
    assert err.splitlines() == [
        f"rolebook import: 无法写入 {sorted(k for k in after if after[k] != before.get(k))[6]}：No space left on device",
        *(f"恢复   {rel}" for rel in restored),
        *(f"删除   {rel}" for rel in removed),
        f"没有导入任何内容：手册已恢复原样（恢复了 {len(restored)} 个文件，删除了 {len(removed)} 个新文件）。",
    ]
    assert files(root) == before
    assert leftovers(root) == [] and not (root / ".rolebook-backup").exists()
    assert not (root / "roles/zz-dept").exists()


def test_a_file_the_system_refuses_to_replace_restores_the_others(
    handbook: tuple[Path, Path, dict[str, bytes], dict[str, bytes]], capsys: pytest.CaptureFixture[str]
) -> None:
    """A real failure of the system, not an injected one: a file in the middle of the renames is immutable (chattr +i)."""
    root, xlsx, before, after = handbook
    changed = sorted(k for k in after if after[k] != before.get(k) and k in before)
    target = changed[len(changed) // 2]
    with immutable(root / target) as ok:
        if not ok:
            pytest.skip("chattr +i is not available here")
        capsys.readouterr()
        code = main(["import", str(xlsx), str(root), "--overwrite"])
        out, err = capsys.readouterr()
    assert (code, out) == (1, "")
    restored, removed = renamed_first(before, after, sorted(k for k in after if after[k] != before.get(k)).index(target))
    assert err.splitlines() == [
        f"rolebook import: 无法写入 {target}：Operation not permitted",
        *(f"恢复   {rel}" for rel in restored),
        *(f"删除   {rel}" for rel in removed),
        f"没有导入任何内容：手册已恢复原样（恢复了 {len(restored)} 个文件，删除了 {len(removed)} 个新文件）。",
    ]
    assert files(root) == before
    assert leftovers(root) == [] and not (root / "roles/zz-dept").exists()


@contextlib.contextmanager
def immutable(path: Path) -> Iterator[bool]:
    ok = subprocess.run(["chattr", "+i", str(path)], capture_output=True).returncode == 0 if os.path.exists("/usr/bin/chattr") else False
    try:
        yield ok
    finally:
        if ok:
            subprocess.run(["chattr", "-i", str(path)], check=True)


def killed_import(root: Path, xlsx: Path, after: int, env: dict[str, str]) -> None:
    """Run the import in a process of its own and SIGKILL it once it has renamed ``after`` files."""
    proc = subprocess.Popen(
        [*BUILD, "import", str(xlsx), str(root), "--overwrite"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**env, FAULT_ENV: f"pause-after:{after}"},
    )
    try:
        assert proc.stderr is not None
        line = proc.stderr.readline()
        assert line == f"rolebook: test pause after {after} renames\n", line + proc.stderr.read()
        proc.send_signal(signal.SIGKILL)
        assert proc.wait(timeout=60) == -signal.SIGKILL
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        assert proc.stdout is not None and proc.stderr is not None
        proc.stdout.close()
        proc.stderr.close()


@pytest.mark.slow
@pytest.mark.parametrize("after", [0, 1, 9, -1])
def test_after_a_kill_the_next_check_finds_the_handbook_wholly_old(
    handbook: tuple[Path, Path, dict[str, bytes], dict[str, bytes]], tmp_path: Path, after: int
) -> None:
    """Killed before the first rename, after one, midway, and after the last one (before the journal is removed)."""
    root, xlsx, before, new = handbook
    count = len([k for k in new if new[k] != before.get(k)])
    after = count if after < 0 else after
    env = {**os.environ, "TMPDIR": str(tmp_path / "temp")}
    (tmp_path / "temp").mkdir()
    killed_import(root, xlsx, after, env)
    assert (root / ".rolebook-backup/journal.json").is_file()
    now = files(root)
    assert (count - after) == sum(name.endswith(".rolebook-tmp") for name in now)  # what is not renamed yet waits beside its target
    assert after == 0 or {k: v for k, v in now.items() if not k.endswith(".rolebook-tmp")} != before  # half done
    r = subprocess.run([*BUILD, "check", str(root)], capture_output=True, text=True, env=env, timeout=300)
    assert r.returncode == 0, r.stdout + r.stderr
    restored, removed = renamed_first(before, new, after)
    assert (
        ".rolebook-backup/journal.json: warning [import-interrupted] 导入 hb.xlsx 时被中断，没有完成；已撤销那次导入，手册恢复到导入之前的样子"
        f"（恢复了 {len(restored)} 个文件，删除了 {len(removed)} 个新文件）"
    ) in r.stdout.splitlines()
    assert files(root) == before
    assert leftovers(root) == [] and not (root / ".rolebook-backup").exists() and not (root / "roles/zz-dept").exists()
    # the next import is not hindered: it writes the whole change
    r = subprocess.run([*BUILD, "import", str(xlsx), str(root), "--overwrite"], capture_output=True, text=True, env=env, timeout=300)
    assert (r.returncode, r.stderr) == (0, "")
    assert files(root) == new


@pytest.mark.slow
def test_a_killed_import_is_undone_by_the_next_import(handbook: tuple[Path, Path, dict[str, bytes], dict[str, bytes]], tmp_path: Path) -> None:
    root, xlsx, _, new = handbook
    env = {**os.environ, "TMPDIR": str(tmp_path / "temp")}
    (tmp_path / "temp").mkdir()
    killed_import(root, xlsx, 5, env)
    dry = subprocess.run([*BUILD, "import", str(xlsx), str(root), "--dry-run"], capture_output=True, text=True, env=env, timeout=300)
    assert (dry.returncode, dry.stdout) == (1, "")
    assert dry.stderr.startswith("rolebook import: 之前有一次导入被中断，还没有撤销")
    r = subprocess.run([*BUILD, "import", str(xlsx), str(root), "--overwrite"], capture_output=True, text=True, env=env, timeout=300)
    assert r.returncode == 0, r.stderr
    assert r.stderr.startswith(".rolebook-backup/journal.json: warning [import-interrupted] 导入 hb.xlsx 时被中断")
    assert files(root) == new and leftovers(root) == []


def test_stale_scratch_folders_of_killed_runs_are_removed_and_no_others(tmp_path: Path) -> None:
    temp = tmp_path / "temp"
    temp.mkdir()
    root = sample_copy(tmp_path)
    stale = Path(tempfile.mkdtemp(prefix="rolebook-import-", dir=temp))
    (stale / SCRATCH_MARK).write_text("x")
    (stale / "roles").mkdir()
    unmarked = Path(tempfile.mkdtemp(prefix="rolebook-import-", dir=temp))
    other = temp / "rolebook-import-x"
    other.mkdir()
    (other / SCRATCH_MARK).write_text("x")
    held = Path(tempfile.mkdtemp(prefix="rolebook-import-", dir=temp))
    (held / SCRATCH_MARK).write_text("x")
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import fcntl, os, sys, time; fd = os.open(sys.argv[1], os.O_RDONLY); fcntl.flock(fd, fcntl.LOCK_EX); print('held', flush=True); time.sleep(600)",
            str(held),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "held\n"
        r = subprocess.run([*BUILD, "check", str(root)], capture_output=True, text=True, env={**os.environ, "TMPDIR": str(temp)}, timeout=300)
        assert r.returncode == 0, r.stderr
        assert sorted(p.name for p in temp.iterdir()) == sorted([unmarked.name, other.name, held.name])
    finally:
        holder.kill()
        holder.wait()
        assert holder.stdout is not None
        holder.stdout.close()
