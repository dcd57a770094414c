"""The PDF cache trusts a file's recorded status instead of hashing it again, and still sees every write."""

from __future__ import annotations

import hashlib
import os
import time
from pathlib import Path

import pytest

from rolebook.outputs.pdf.cache import RACY_SECONDS, PdfCache

PDF = b"%PDF-1.7\n" + b"x" * 1000 + b"\n%%EOF\n"


def _entry(tmp_path: Path) -> tuple[PdfCache, str]:
    cache = PdfCache(tmp_path / "cache")
    key = "a" * 64
    assert cache.put(key, PDF) is None
    return cache, key


def test_a_checked_entry_is_not_read_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cache, key = _entry(tmp_path)
    later = time.time() + RACY_SECONDS + 1
    assert cache.valid(key, now=later)
    assert (cache.folder / f"{key}.stat").exists()  # the status is recorded

    def no_hashing(*args: object) -> object:
        raise AssertionError("hashed again")

    monkeypatch.setattr(hashlib, "file_digest", no_hashing)
    assert cache.valid(key, now=later)


def test_a_fresh_entry_is_hashed_until_it_is_old_enough(tmp_path: Path) -> None:
    cache, key = _entry(tmp_path)
    assert cache.valid(key)  # written just now: racily clean, its status is not recorded yet
    assert not (cache.folder / f"{key}.stat").exists()


def test_a_write_that_keeps_size_and_modification_time_is_still_seen(tmp_path: Path) -> None:
    cache, key = _entry(tmp_path)
    path = cache.path(key)
    assert cache.valid(key, now=time.time() + RACY_SECONDS + 1)
    st = path.stat()
    with open(path, "r+b") as fh:  # same size, one byte changed, modification time put back
        fh.seek(20)
        fh.write(b"y")
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert path.stat().st_size == st.st_size and path.stat().st_mtime_ns == st.st_mtime_ns
    assert not cache.valid(key, now=time.time() + RACY_SECONDS + 1)


def test_an_entry_given_another_digest_is_hashed_again(tmp_path: Path) -> None:
    cache, key = _entry(tmp_path)
    assert cache.valid(key, now=time.time() + RACY_SECONDS + 1)
    (cache.folder / f"{key}.sha256").write_text("0" * 64)
    assert not cache.valid(key, now=time.time() + RACY_SECONDS + 1)


def test_a_replaced_entry_is_hashed_again(tmp_path: Path) -> None:
    cache, key = _entry(tmp_path)
    assert cache.valid(key, now=time.time() + RACY_SECONDS + 1)
    cache.path(key).write_bytes(PDF.replace(b"x", b"z", 1))
    assert not cache.valid(key, now=time.time() + RACY_SECONDS + 1)


def test_an_output_written_in_place_is_rendered_again_as_a_cold_build_makes_it(tmp_path: Path) -> None:
    """The PDFs are hard links to the cache's files: one written through the output is not reused."""
    from rolebook.app.pipeline import check_handbook
    from rolebook.outputs import pdf
    from tests.scratch import make_handbook, minimal

    root = make_handbook(tmp_path / "hb", minimal())
    hb = check_handbook(root, use_cache=False).handbook
    assert hb is not None
    cache = tmp_path / "cache"
    pdf.write_pdfs(hb, tmp_path / "first", cache_dir=cache, jobs=1, progress=False)
    entries = PdfCache(cache)
    assert all(entries.valid(p.stem, now=time.time() + RACY_SECONDS + 1) for p in cache.glob("*.pdf"))  # statuses recorded
    out = tmp_path / "first" / "roles/clerk.pdf"
    assert out.stat().st_nlink == 2  # the cache's file
    st = out.stat()
    data = out.read_bytes()
    with open(out, "r+b") as fh:  # same size, modification time put back
        fh.seek(len(data) // 2)
        fh.write(b"\0" if data[len(data) // 2] else b"\1")
    os.utime(out, ns=(st.st_atime_ns, st.st_mtime_ns))
    again = pdf.write_pdfs(hb, tmp_path / "again", cache_dir=cache, jobs=1, progress=False)
    assert "roles/clerk.pdf" in again.rendered
    assert (tmp_path / "again" / "roles/clerk.pdf").read_bytes() == data
