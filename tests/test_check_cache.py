"""The content-keyed parse cache never changes a verdict, and a bad cache is rebuilt."""

from __future__ import annotations

from pathlib import Path

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
