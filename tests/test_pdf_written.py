"""The previous build's unchanged PDFs are linked into the new output, never trusted blindly.

rolebook.outputs.pdf.written: a PDF the last build wrote from the same cache entry, still that very
file (same inode, size and modification time, one name), is linked into the new folder instead of
copied. Anything changed, linked elsewhere or reached through a link is copied from the cache: the
output is byte for byte a cold build's either way, and nothing outside the handbook is touched.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tests.scratch import make_handbook, minimal
from tests.site_support import run_build
from tests.test_pdf_cli import run, snapshot

NAMES = ["departments/cs.pdf", "handbook.pdf", "roles/boss.pdf", "roles/clerk.pdf"]


def inodes(folder: Path) -> dict[str, int]:
    return {name: os.lstat(folder / name).st_ino for name in NAMES}


def built(tmp_path: Path) -> tuple[Path, Path]:
    """A two-role handbook with its PDFs built once by `build.py pdf`; its root and PDF folder."""
    root = make_handbook(tmp_path / "hb", minimal("zh"))
    assert run(str(root)).returncode == 0
    return root, root / "site" / "pdf"


def cold(root: Path, tmp_path: Path, name: str) -> dict[str, bytes]:
    """The PDFs of ``root`` built with an empty cache into a folder of their own (``--out``)."""
    copy = tmp_path / name
    shutil.copytree(root / "roles", copy / "roles")
    shutil.copy(root / "rolebook.yml", copy / "rolebook.yml")
    done = run(str(copy), "--out", str(copy / "out"))
    assert done.returncode == 0, done.stderr
    return snapshot(copy / "out")


@pytest.mark.slow
def test_an_edit_links_the_unchanged_pdfs_and_writes_the_changed_ones(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)  # (`build` below and the cold build alike)
    root, out = built(tmp_path)
    first = inodes(out)

    clerk = root / "roles" / "cs" / "clerk.yaml"
    clerk.write_text(clerk.read_text(encoding="utf-8").replace("kpis: [", "kpis: [新的指标, "), encoding="utf-8")
    again = run(str(root))
    assert again.returncode == 0 and again.stderr == "", again.stderr
    assert "新生成 3 个，未变 1 个" in again.stdout, again.stdout
    now = inodes(out)
    assert now["roles/boss.pdf"] == first["roles/boss.pdf"]  # the same file, not a copy
    assert all(now[name] != first[name] for name in NAMES if name != "roles/boss.pdf")
    assert all(os.lstat(out / name).st_nlink == 1 for name in NAMES)  # the old folder's names are gone
    assert snapshot(out) == cold(root, tmp_path, "cold")

    # nothing changed: every PDF stays the file it was
    assert run(str(root)).returncode == 0
    assert inodes(out) == now

    # `build` (site and PDFs) links from the site's pdf/ folder the same way
    site = run_build(root, root / "site")
    assert site.returncode == 0, site.stderr
    linked = inodes(out)
    assert run_build(root, root / "site").returncode == 0
    assert inodes(out) == linked
    assert snapshot(out) == cold(root, tmp_path, "cold-again")


@pytest.mark.slow
def test_a_changed_or_twice_named_pdf_is_copied_again_and_nothing_outside_is_touched(tmp_path: Path) -> None:
    root, out = built(tmp_path)
    good = snapshot(out)
    outside = tmp_path / "outside"
    outside.mkdir()
    # changed in place (same inode, another size and time): written again from the cache
    with open(out / "roles" / "boss.pdf", "ab") as fh:
        fh.write(b"% changed by hand\n")
    # another name for a PDF outside the handbook: linking it would tie the new output to that file
    os.link(out / "handbook.pdf", outside / "handbook.pdf")
    clerk = os.lstat(out / "roles" / "clerk.pdf").st_ino

    again = run(str(root))
    assert again.returncode == 0, again.stderr
    assert snapshot(out) == good
    assert os.lstat(out / "roles" / "clerk.pdf").st_ino == clerk  # (the unchanged one is linked)
    assert all(os.lstat(out / name).st_nlink == 1 for name in NAMES)
    assert (outside / "handbook.pdf").read_bytes() == good["handbook.pdf"]
    assert os.lstat(outside / "handbook.pdf").st_ino != os.lstat(out / "handbook.pdf").st_ino


def test_links_in_the_previous_folder_are_not_followed(tmp_path: Path) -> None:
    """The commands refuse to replace a folder holding links; the writer does not rely on it."""
    from rolebook.app.pipeline import check_handbook
    from rolebook.outputs.pdf import write_pdfs

    root = make_handbook(tmp_path / "hb", minimal("en"))
    hb = check_handbook(root, use_cache=False).handbook
    assert hb is not None
    previous, cache = tmp_path / "previous", tmp_path / "cache"
    write_pdfs(hb, tmp_path / "first", cache_dir=cache, jobs=1, progress=False, previous=previous)
    (tmp_path / "first").rename(previous)  # as the swap puts it in place
    good = snapshot(previous)

    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.pdf").write_bytes(b"%PDF-1.7 not ours\n")
    (previous / "departments" / "cs.pdf").unlink()
    (previous / "departments" / "cs.pdf").symlink_to(outside / "secret.pdf")
    shutil.move(previous / "roles", outside / "roles")  # the previous files, now reached through a link
    (previous / "roles").symlink_to(outside / "roles", target_is_directory=True)
    seen = {p.name: (p.read_bytes(), os.lstat(p).st_ino) for p in [*outside.iterdir(), *(outside / "roles").iterdir()] if p.is_file()}

    write_pdfs(hb, tmp_path / "second", cache_dir=cache, jobs=1, progress=False, previous=previous)
    second = tmp_path / "second"
    assert snapshot(second) == good
    assert not any((second / name).is_symlink() for name in NAMES)
    assert os.lstat(second / "handbook.pdf").st_ino == os.lstat(previous / "handbook.pdf").st_ino  # (a real file there: linked)
    assert all(os.lstat(second / f"roles/{p.name}").st_ino != ino for p in (outside / "roles").iterdir() for ino in [os.lstat(p).st_ino])
    assert {p.name: (p.read_bytes(), os.lstat(p).st_ino) for p in [*outside.iterdir(), *(outside / "roles").iterdir()] if p.is_file()} == seen

    # once the second folder has replaced the previous one, as the swap does, its files are linked
    shutil.rmtree(previous)
    second.rename(previous)
    third = tmp_path / "third"
    write_pdfs(hb, third, cache_dir=cache, jobs=1, progress=False, previous=previous)
    assert os.lstat(third / "roles" / "boss.pdf").st_ino == os.lstat(previous / "roles" / "boss.pdf").st_ino
    assert snapshot(third) == good
