"""Round-trip editing: only changed values change; comments, order, quoting and layout stay as HR wrote them."""

from __future__ import annotations

import copy
import os
import stat
from pathlib import Path
from typing import Any

import pytest

from rolebook.i18n import Messages
from rolebook.load.yamledit import detect_style, dump_yaml, update_yaml, write_atomic, yaml_scalar
from rolebook.load.yamlstrict import parse_yaml
from tests.scratch import ONE_LANGUAGE

REPO = Path(__file__).resolve().parent.parent
SAMPLE = sorted((ONE_LANGUAGE / "roles").glob("*/*.yaml"))


def data_of(text: str) -> Any:
    doc = parse_yaml(text.lstrip("\ufeff"), "x", Messages("en"))
    assert not hasattr(doc, "code"), doc
    return doc.data  # type: ignore[union-attr]


def changed_lines(a: str, b: str) -> list[tuple[str, str]]:
    la, lb = a.splitlines(), b.splitlines()
    assert len(la) == len(lb)
    return [(x, y) for x, y in zip(la, lb, strict=True) if x != y]


@pytest.mark.parametrize("path", SAMPLE, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_unchanged_data_gives_identical_text(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert update_yaml(text, data_of(text)) == text


def test_one_kpi_changes_one_line() -> None:
    text = (ONE_LANGUAGE / "roles/customer-service/property-assistant.yaml").read_text(encoding="utf-8")
    new = data_of(text)
    new["duties"][1]["duties"][0]["kpis"][0] = "投诉处理效率和满意度"
    out = update_yaml(text, new)
    assert changed_lines(text, out) == [("          - 投诉处理效率", "          - 投诉处理效率和满意度")]


def test_quoting_style_is_kept_and_yaml11_lookalikes_are_quoted() -> None:
    text = 'number: A-1\neffective_date: "2006-06-01"\ntitle: x\n'
    new = {"number": "A-1", "effective_date": "2007-01-01", "title": "no"}
    assert update_yaml(text, new) == 'number: A-1\neffective_date: "2007-01-01"\ntitle: "no"\n'


def test_comments_that_introduce_the_next_key_stay_with_it() -> None:
    text = "a:\n  - x  # about x\n  # about b\nb:\n  c: 1\n  # about d\nd: 1\n"
    new = {"a": ["x", "z"], "b": {"c": 1, "e": 2}, "d": 1}
    assert update_yaml(text, new) == "a:\n  - x  # about x\n  - z\n  # about b\nb:\n  c: 1\n  e: 2\n  # about d\nd: 1\n"
    fewer = {"a": ["x"], "b": {}, "d": 1}
    text2 = "a:\n  - x\n  - z\n  # about b\nb: {}\nd: 1\n"
    assert update_yaml(text2, fewer) == "a:\n  - x\n  # about b\nb: {}\nd: 1\n"


def test_new_keys_go_where_the_order_of_the_new_data_puts_them() -> None:
    text = "# head\nnumber: A\n# about status\nstatus: draft\nduties: []\n"
    new = {"number": "A", "title": "T", "status": "draft", "approver": "B", "duties": []}
    assert update_yaml(text, new) == "# head\nnumber: A\ntitle: T\n# about status\nstatus: draft\napprover: B\nduties: []\n"


def test_other_indentation_styles_are_kept() -> None:
    text = "duties:\n- duty: a\n  kpis:\n  - k\n"
    new = {"duties": [{"duty": "a", "kpis": ["k", "l"]}, {"duty": "b"}]}
    assert update_yaml(text, new) == "duties:\n- duty: a\n  kpis:\n  - k\n  - l\n- duty: b\n"
    assert detect_style(text).offset == 0


def test_bom_and_crlf_are_kept() -> None:
    text = "\ufeff# c\r\nnumber: A\r\nlist:\r\n  - x\r\n"
    out = update_yaml(text, {"number": "B", "list": ["x"]})
    assert out == "\ufeff# c\r\nnumber: B\r\nlist:\r\n  - x\r\n"


def test_whole_sample_file_rewritten_from_scratch_reads_back() -> None:
    for path in SAMPLE:
        data = data_of(path.read_text(encoding="utf-8"))
        out = dump_yaml(data, ["yaml-language-server: $schema=x"])
        assert out.startswith("# yaml-language-server: $schema=x\n")
        assert data_of(out) == data


def test_tricky_strings_survive_an_edit() -> None:
    base = "a: x\nb:\n  - y\n"
    for value in [
        "=1+1",
        "- a",
        "@x",
        "#x",
        "x #y",
        "a: b",
        " lead",
        "trail ",
        "010",
        "1.5",
        "true",
        "null",
        "~",
        "2006-06-01",
        "多行\n文字",
        "'q'",
        '"q"',
        "{x}",
    ]:
        new = {"a": value, "b": [value, "y"]}
        out = update_yaml(base, copy.deepcopy(new))
        assert data_of(out) == new, value
        assert data_of(f"k: {yaml_scalar(value)}\n") == {"k": value} if "\n" not in value else True


def test_write_atomic_keeps_permissions_and_leaves_no_temp_file(tmp_path: Path) -> None:
    path = tmp_path / "roles" / "a.yaml"
    write_atomic(path, "x: 1\n")
    os.chmod(path, 0o640)
    write_atomic(path, "x: 2\n")
    assert path.read_text() == "x: 2\n"
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert sorted(p.name for p in path.parent.iterdir()) == ["a.yaml"]


def test_inserting_in_the_middle_keeps_each_comment_with_its_item() -> None:
    text = "l:\n  - a  # ca\n  # about b\n  - b  # cb\n  - c\nz: 1\n"
    assert update_yaml(text, {"l": ["a", "x", "b", "c"], "z": 1}) == "l:\n  - a  # ca\n  - x\n  # about b\n  - b  # cb\n  - c\nz: 1\n"


def test_removing_a_key_keeps_every_comment_line() -> None:
    text = "# head\na: 1  # eol a\n# about b\nb:\n  # about c\n  c: 1  # eol c\n  # about d\n  d: 2\n# about e\ne:\n  - x  # eol x\n  # about y\n  - y\n# about f\nf: 1\n"
    # a middle key, a key inside a mapping and an item of a list: the comments above the next one stay above it
    assert update_yaml(text, {"a": 1, "b": {"d": 2}, "e": ["y"], "f": 1}) == (
        "# head\na: 1  # eol a\n# about b\nb:\n  # about c\n  # eol c\n  # about d\n  d: 2\n# about e\ne:\n  # eol x\n  # about y\n  - y\n# about f\nf: 1\n"
    )
    # a whole mapping and a whole list: their comments stay where they were
    assert update_yaml(text, {"a": 1, "f": 1}) == (
        "# head\na: 1  # eol a\n# about b\n  # about c\n# eol c\n  # about d\n# about e\n# eol x\n  # about y\n# about f\nf: 1\n"
    )
    # the first key
    assert update_yaml(text, {"b": {"c": 1, "d": 2}, "e": ["x", "y"], "f": 1}).startswith("# head\n# eol a\n# about b\nb:\n")


def test_a_value_replaced_whole_keeps_its_comments() -> None:
    text = "a:\n  # about x\n  - x  # eol x\n# about b\nb: 1\n"
    out = update_yaml(text, {"a": "now text", "b": 1})
    assert [line.strip() for line in out.splitlines() if "#" in line] == ["# about x", "# eol x", "# about b"]
    assert data_of(out) == {"a": "now text", "b": 1}


def test_write_atomic_never_writes_through_a_planted_temporary_file(tmp_path: Path) -> None:
    canary = tmp_path / "canary.txt"
    canary.write_text("canary\n")
    path = tmp_path / "roles" / "a.yaml"
    path.parent.mkdir()
    os.symlink(canary, path.with_name(".a.yaml.rolebook-tmp"))
    write_atomic(path, "x: 1\n")
    assert path.read_text() == "x: 1\n" and not path.is_symlink()
    assert canary.read_text() == "canary\n"
    assert sorted(p.name for p in path.parent.iterdir()) == ["a.yaml"]
