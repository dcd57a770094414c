"""rolebook deletes only what it wrote: the PDF cache's manifest, the cache-folder marker, the parse cache's packs.

The PDF cache folder carries ``CACHEDIR.TAG`` and ``.rolebook-manifest.json``, the list of files
rolebook wrote there with when each was last used. Only a listed file, unused for
CACHE_KEEP_SECONDS, is ever removed — never a file the manifest does not list, whatever its age
or name, and nothing at all in a folder without the marker that holds files rolebook did not write.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest

from rolebook.cli import main
from rolebook.outputs.pdf import CACHE_KEEP_SECONDS, CACHE_NAMES
from rolebook.safepath import MANIFEST, MARKER, Manifest, claim
from tests.scratch import make_handbook, minimal

OLD = time.time() - 2 * CACHE_KEEP_SECONDS
STALE_KEY = "cd" * 32


def _pdf(root: Path, capsys: pytest.CaptureFixture[str]) -> tuple[str, str]:
    capsys.readouterr()
    assert main(["pdf", str(root)]) == 0
    captured = capsys.readouterr()
    return captured.out, captured.err


def _aged(path: Path, content: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    os.utime(path, (OLD, OLD))
    return path


@pytest.mark.slow
def test_the_pdf_cache_removes_only_the_stale_files_its_manifest_lists(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = make_handbook(tmp_path / "hb", minimal("en"))
    cache = root / ".rolebook-cache/pdf"
    out, err = _pdf(root, capsys)
    assert err == ""
    assert (cache / MARKER).read_text(encoding="ascii").startswith("Signature: 8a477f597d28d172789f06886806bc55\n")
    listed = json.loads((cache / MANIFEST).read_text(encoding="utf-8"))["files"]
    written = sorted(p.relative_to(cache).as_posix() for p in cache.rglob("*") if p.is_file() and p.name not in (MARKER, MANIFEST))
    assert sorted(listed) == written and len(written) >= 9  # every file it wrote, PDFs, digests, page counts, fonts

    # a stale entry rolebook wrote (listed, last used long ago), one named like an entry it did not write,
    # and someone else's file: only the first goes
    stale = _aged(cache / f"{STALE_KEY}.pdf", b"%PDF-1.7 stale\n")
    manifest = json.loads((cache / MANIFEST).read_text(encoding="utf-8"))
    manifest["files"][stale.name] = OLD
    (cache / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    unlisted = _aged(cache / f"{'ef' * 32}.pdf", b"%PDF-1.7 not listed\n")
    foreign = _aged(cache / "notes.txt", b"mine\n")
    foreign_font = _aged(cache / "fonts/0123456789abcdef0123456789abcdef-sc-400.otf", b"OTTO")
    out, err = _pdf(root, capsys)
    assert "(0 rendered, 4 unchanged)" in out
    assert not stale.exists()
    assert unlisted.read_bytes() == b"%PDF-1.7 not listed\n" and foreign.read_bytes() == b"mine\n" and foreign_font.read_bytes() == b"OTTO"
    assert stale.name not in json.loads((cache / MANIFEST).read_text(encoding="utf-8"))["files"]
    assert sorted(json.loads((cache / MANIFEST).read_text(encoding="utf-8"))["files"]) == written


@pytest.mark.slow
def test_a_pdf_cache_folder_rolebook_did_not_make_is_used_but_never_cleaned(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = make_handbook(tmp_path / "hb", minimal("en"))
    cache = root / ".rolebook-cache/pdf"
    foreign = _aged(cache / "notes.txt", b"mine\n")
    entry = _aged(cache / f"{STALE_KEY}.pdf", b"%PDF-1.7 old\n")
    out, err = _pdf(root, capsys)
    assert err == (
        f"rolebook: the PDF cache {cache} holds files rolebook did not write there (it has no CACHEDIR.TAG); "
        "it is used but never cleaned up: delete the folder to start a fresh cache\n"
    )
    assert "Wrote 4 PDFs" in out
    assert foreign.read_bytes() == b"mine\n" and entry.read_bytes() == b"%PDF-1.7 old\n"
    assert not (cache / MARKER).exists() and not (cache / MANIFEST).exists()
    # the next run says it again, and still removes nothing
    out, err = _pdf(root, capsys)
    assert "holds files rolebook did not write there" in err and "(0 rendered, 4 unchanged)" in out
    assert foreign.exists() and entry.exists()


def test_a_cache_folder_holding_only_rolebooks_names_is_taken_over_and_its_files_listed(tmp_path: Path) -> None:
    """A PDF cache of a rolebook from before the marker: every name is one rolebook gives; listed with its time."""
    folder = tmp_path / "pdf"
    old = _aged(folder / f"{STALE_KEY}.pdf", b"%PDF-")
    _aged(folder / f"{STALE_KEY}.sha256", b"0" * 64)
    _aged(folder / "fonts/0123456789abcdef0123456789abcdef-sc-700.otf", b"OTTO")
    _aged(folder / ".tmp-abc.pdf", b"half")  # a killed run's leftover: neither listed nor in the way
    assert claim(folder, CACHE_NAMES)
    assert (folder / MARKER).is_file()
    manifest = Manifest(folder, CACHE_NAMES)
    assert manifest.load() == {
        f"{STALE_KEY}.pdf": pytest.approx(OLD),
        f"{STALE_KEY}.sha256": pytest.approx(OLD),
        "fonts/0123456789abcdef0123456789abcdef-sc-700.otf": pytest.approx(OLD),
    }
    gone = manifest.update({f"{STALE_KEY}.sha256"}, time.time(), CACHE_KEEP_SECONDS)
    assert gone == [f"{STALE_KEY}.pdf", "fonts/0123456789abcdef0123456789abcdef-sc-700.otf"]
    assert not old.exists() and (folder / f"{STALE_KEY}.sha256").exists() and (folder / ".tmp-abc.pdf").exists()


def test_a_manifest_can_only_name_files_of_rolebooks_names_in_its_folder(tmp_path: Path) -> None:
    """A manifest committed to a hostile repository lists other files: none of them is touched."""
    folder = tmp_path / "pdf"
    assert claim(folder, CACHE_NAMES)
    victim = _aged(tmp_path / "victim.txt", b"precious\n")
    inside = _aged(folder / "notes.txt", b"mine\n")
    names = ["../victim.txt", str(victim), "notes.txt", "fonts/../../victim.txt", f"{STALE_KEY}.pdf/../../victim.txt"]
    (folder / MANIFEST).write_text(json.dumps({"format": 1, "files": dict.fromkeys(names, 0)}), encoding="utf-8")
    assert Manifest(folder, CACHE_NAMES).load() == {}
    assert Manifest(folder, CACHE_NAMES).update(set(), time.time(), CACHE_KEEP_SECONDS) == []
    assert victim.read_bytes() == b"precious\n" and inside.read_bytes() == b"mine\n"


def test_the_parse_cache_removes_only_packs_of_its_own_name(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = make_handbook(tmp_path, minimal("en"))
    assert main(["check", str(root)]) == 0
    cache = root / ".rolebook-cache"
    (pack,) = cache.glob("check-*.pack")
    lookalikes = [_aged(cache / name, b"x") for name in ("check-notes.pack", "check-0123456789abcdef.pack.bak", "check-ABCDEF0123456789.pack")]
    superseded = _aged(cache / "check-0123456789abcdef.pack", b"an old pack")
    (root / "roles/cs/clerk.yaml").write_text(minimal("en")["roles/cs/clerk.yaml"].replace("T-002", "T-003"), encoding="utf-8")
    assert main(["check", str(root)]) == 0
    assert not superseded.exists()
    assert all(p.read_bytes() == b"x" for p in lookalikes)
    assert sorted(p.name for p in cache.iterdir()) == sorted([MARKER, "check.index", pack.name, *(p.name for p in lookalikes)])
