"""The content-keyed parse cache never changes a verdict, and a bad cache is rebuilt."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from rolebook.app.pipeline import check_handbook
from rolebook.load.cache import CACHE_DIR, INDEX_FILE
from tests.scratch import CLERK, make_handbook, minimal


def test_warm_run_gives_the_same_verdict_and_model(tmp_path: Path) -> None:
    make_handbook(tmp_path, minimal("en"))
    cold = check_handbook(tmp_path)
    assert (tmp_path / CACHE_DIR / INDEX_FILE).is_file()
    assert len(list((tmp_path / CACHE_DIR).glob("check-*.pack"))) == 1
    warm = check_handbook(tmp_path)
    assert warm.problems == cold.problems == ()
    assert warm.handbook == cold.handbook


def test_an_edit_is_seen_and_positions_survive_the_cache(tmp_path: Path) -> None:
    files = minimal("en")
    files["roles/cs/helper.yaml"] = CLERK.replace("T-002", "T-003")
    make_handbook(tmp_path, files)
    assert check_handbook(tmp_path).problems == ()
    # a cached, unchanged file must still get a precise position when a new problem points into it
    (tmp_path / "roles/cs/clerk.yaml").write_text(CLERK.replace("T-002", "T-003"), encoding="utf-8")
    problems = check_handbook(tmp_path).problems
    assert [(p.path, p.line, p.col, p.code) for p in problems] == [("roles/cs/clerk.yaml", 1, 9, "duplicate-number")] or [
        (p.path, p.line, p.col, p.code) for p in problems
    ] == [("roles/cs/helper.yaml", 1, 9, "duplicate-number")]


def test_corrupt_or_foreign_cache_is_ignored_and_rebuilt(tmp_path: Path) -> None:
    make_handbook(tmp_path, minimal("en"))
    check_handbook(tmp_path)
    cache = tmp_path / CACHE_DIR / INDEX_FILE
    for junk in (b"", b"\x00garbage", cache.read_bytes()[:50]):
        cache.write_bytes(junk)
        result = check_handbook(tmp_path)
        assert result.problems == ()
        assert result.handbook is not None
    # a cache that lies (marshalled data without our header and checksum) is not trusted
    import marshal

    cache.write_bytes(marshal.dumps({"salt": "other", "entries": {}}))
    assert check_handbook(tmp_path).handbook is not None


def test_cache_folder_that_is_a_symlink_is_refused_and_not_written_through(tmp_path: Path) -> None:
    hb = make_handbook(tmp_path / "hb", minimal("en"))
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (hb / CACHE_DIR).symlink_to("../elsewhere")
    problems = check_handbook(hb).problems
    assert [(p.location(), p.code, p.message) for p in problems] == [
        (
            ".rolebook-cache",
            "unsafe-path",
            ".rolebook-cache is a symbolic link (to '../elsewhere'), but it is rolebook's own folder, which may be no link: "
            "delete it (rolebook makes it again)",
        )
    ]
    assert list(elsewhere.iterdir()) == []


def test_a_link_inside_the_cache_folder_is_refused_even_when_it_stays_inside(tmp_path: Path) -> None:
    hb = make_handbook(tmp_path / "hb", minimal("en"))
    (hb / CACHE_DIR).mkdir()
    (hb / CACHE_DIR / INDEX_FILE).symlink_to("../rolebook.yml")
    problems = check_handbook(hb, "zh").problems
    assert [(p.location(), p.code, p.message) for p in problems] == [
        (
            ".rolebook-cache/check.index",
            "unsafe-path",
            ".rolebook-cache/check.index 是符号链接（指向“../rolebook.yml”）；.rolebook-cache 是 rolebook 自己的文件夹，里面不能有链接："
            "请删除 .rolebook-cache（rolebook 会重新生成）",
        )
    ]
    assert (hb / "rolebook.yml").read_text(encoding="utf-8") == minimal("en")["rolebook.yml"]


def test_a_new_cache_folder_is_marked_as_rolebooks(tmp_path: Path) -> None:
    check_handbook(make_handbook(tmp_path, minimal("en")))
    assert (tmp_path / CACHE_DIR / "CACHEDIR.TAG").read_text(encoding="ascii").startswith("Signature: 8a477f597d28d172789f06886806bc55\n")


def _settled_at_once(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record files' status however young they are (a real run waits a few seconds), and count reads."""
    import rolebook.app.pipeline as pipeline
    import rolebook.load.cache as cache

    monkeypatch.setattr(cache, "_SETTLED_NS", -(10**12))  # "older than the index" even a little in the future
    reads: list[str] = []
    real = pipeline.read_bytes

    def counting(root: Path, rel: str, msgs: object) -> object:
        reads.append(rel)
        return real(root, rel, msgs)  # type: ignore[arg-type]

    monkeypatch.setattr(pipeline, "read_bytes", counting)
    return reads


def _verdict(root: Path, use_cache: bool = True) -> list[tuple[str, int, int, str, str]]:
    return [(p.path, p.line, p.col, p.code, p.message) for p in check_handbook(root, use_cache=use_cache).problems]


def test_an_unchanged_file_is_not_read_again_and_its_problems_keep_their_positions(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    files = minimal("en")
    files["roles/cs/helper.yaml"] = CLERK.replace("T-002", "T-003")
    make_handbook(tmp_path, files)
    reads = _settled_at_once(monkeypatch)
    assert _verdict(tmp_path) == []
    assert _verdict(tmp_path) == []  # this run records every file's status
    reads.clear()
    assert _verdict(tmp_path) == []
    assert reads == []
    # an edit is read (and only it); the problem it makes points into a file that was not read
    (tmp_path / "roles/cs/helper.yaml").write_text(CLERK, encoding="utf-8")
    warm = _verdict(tmp_path)
    assert reads == ["roles/cs/helper.yaml"]
    assert warm == _verdict(tmp_path, use_cache=False)
    assert [p[:4] for p in warm] == [("roles/cs/clerk.yaml", 1, 9, "duplicate-number")] or [p[:4] for p in warm] == [
        ("roles/cs/helper.yaml", 1, 9, "duplicate-number")
    ]


def test_an_edit_that_keeps_size_and_modification_time_is_still_seen(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    make_handbook(tmp_path, minimal("en"))
    _settled_at_once(monkeypatch)
    clerk = tmp_path / "roles/cs/clerk.yaml"
    assert _verdict(tmp_path) == _verdict(tmp_path) == []
    before = clerk.stat()
    text = clerk.read_text(encoding="utf-8")
    assert "headcount: 2" in text
    clerk.write_text(text.replace("headcount: 2", "headcount: x"), encoding="utf-8")  # same size
    os.utime(clerk, ns=(before.st_atime_ns, before.st_mtime_ns))  # and the old modification time (as `touch -r` or a copy tool would)
    assert clerk.stat().st_size == before.st_size
    assert _verdict(tmp_path) == _verdict(tmp_path, use_cache=False) != []


def test_a_file_not_read_is_read_after_all_when_another_run_replaced_the_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    files = minimal("en")
    files["roles/cs/helper.yaml"] = CLERK.replace("T-002", "T-003")
    make_handbook(tmp_path, files)
    reads = _settled_at_once(monkeypatch)
    assert _verdict(tmp_path) == _verdict(tmp_path) == []
    import rolebook.check.context as context

    real_load = context.load_blob
    monkeypatch.setattr(context, "load_blob", lambda ref: None)  # the pack was deleted under this run
    reads.clear()
    (tmp_path / "roles/cs/helper.yaml").write_text(CLERK, encoding="utf-8")
    warm = _verdict(tmp_path)
    monkeypatch.setattr(context, "load_blob", real_load)
    assert warm == _verdict(tmp_path, use_cache=False) != []
    assert "roles/cs/helper.yaml" in reads
