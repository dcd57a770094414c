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
