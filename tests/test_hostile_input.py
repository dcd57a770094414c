"""Hostile input at the loader and checker: nothing crashes, hangs, runs or leaks."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rolebook.app.pipeline import check_handbook
from rolebook.i18n import Messages
from rolebook.load.yamlstrict import Document, YamlError, _build, parse_yaml
from rolebook.problems import Problem
from tests.scratch import CLERK, make_handbook, minimal

REPO = Path(__file__).resolve().parent.parent


def check(root: Path) -> tuple[int, str]:
    r = subprocess.run([sys.executable, str(REPO / "build.py"), "check", str(root), "--lang", "en"], capture_output=True, text=True, timeout=120)
    assert "Traceback" not in r.stdout + r.stderr
    return r.returncode, r.stdout


def test_unsafe_tags_never_run(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    files = minimal("en")
    for i, tag in enumerate(("!!python/object/apply:os.system", "!!python/object/new:os.system", "!!python/name:os.system", "!!python/module:os")):
        files[f"roles/cs/evil{i}.yaml"] = f'number: {tag} ["touch {marker}"]\n'
    make_handbook(tmp_path / "hb", files)
    code, out = check(tmp_path / "hb")
    assert code == 1
    assert out.count("[yaml-tag]") == 4
    assert not marker.exists()


def test_huge_file_is_refused_quickly(tmp_path: Path) -> None:
    files: dict[str, str | bytes] = dict(minimal("en"))
    files["roles/cs/huge.yaml"] = b"title: " + b"x" * (20 * 1024 * 1024) + b"\n"
    make_handbook(tmp_path, files)
    code, out = check(tmp_path)
    assert code == 1
    assert "roles/cs/huge.yaml: error [file-too-large]" in out


def test_fifty_thousand_duties_are_bounded(tmp_path: Path) -> None:
    files: dict[str, str | bytes] = dict(minimal("en"))
    files["roles/cs/many.yaml"] = CLERK.replace("T-002", "T-009") + "".join(f"  - {{duty: d{i}, kpis: [k]}}\n" for i in range(50_000))
    make_handbook(tmp_path, files)
    code, out = check(tmp_path)
    assert code == 1
    assert "[file-too-large]" in out or "[too-many-nodes]" in out


def test_one_megabyte_string_near_the_limit(tmp_path: Path) -> None:
    files = minimal("en")
    files["roles/cs/clerk.yaml"] = CLERK.replace("title: 专员", "title: " + "长" * 300_000)
    make_handbook(tmp_path, files)
    code, out = check(tmp_path)
    # 900 KB of UTF-8: under the file size limit, read in bounded time, and refused by the title's bound
    assert code == 1
    assert out.splitlines()[0] == "roles/cs/clerk.yaml:2:8: error [text-too-long] 'title' (Title) is 300000 characters long; at most 2000 are allowed"


@pytest.mark.skipif(not Path("/etc/passwd").exists(), reason="needs /etc/passwd")
def test_symlinks_leaving_the_handbook_are_refused(tmp_path: Path) -> None:
    make_handbook(tmp_path, minimal("en"))
    os.symlink("/etc/passwd", tmp_path / "roles/cs/passwd.yaml")
    outside = tmp_path.parent / f"{tmp_path.name}-outside"
    outside.mkdir()
    (outside / "_department.yaml").write_text("name: x\n", encoding="utf-8")
    os.symlink(outside, tmp_path / "roles/elsewhere")
    code, out = check(tmp_path)
    assert code == 1
    assert "roles/cs/passwd.yaml: error [symlink-outside]" in out
    assert "roles/elsewhere: error [symlink-outside]" in out
    assert "root:" not in out


def test_folder_named_like_a_role_and_a_fifo(tmp_path: Path) -> None:
    make_handbook(tmp_path, minimal("en"))
    (tmp_path / "roles/cs/folder.yaml").mkdir()
    os.mkfifo(tmp_path / "roles/cs/pipe.yaml")
    code, out = check(tmp_path)  # a FIFO must not hang the reader
    assert code == 1
    assert "roles/cs/folder.yaml: error [not-a-file]" in out
    assert "roles/cs/pipe.yaml: error [not-a-file]" in out


@pytest.mark.skipif(os.geteuid() == 0, reason="root can read any file")
def test_unreadable_file(tmp_path: Path) -> None:
    make_handbook(tmp_path, minimal("en"))
    (tmp_path / "roles/cs/clerk.yaml").chmod(0)
    code, out = check(tmp_path)
    assert code == 1 and "[unreadable]" in out


def test_ids_differing_only_by_case(tmp_path: Path) -> None:
    files = minimal("en")
    files["roles/cs/Boss.yaml"] = CLERK.replace("T-002", "T-003")
    make_handbook(tmp_path, files)
    if not (tmp_path / "roles/cs/boss.yaml").exists() or not (tmp_path / "roles/cs/Boss.yaml").exists():
        pytest.skip("case-insensitive file system")
    code, out = check(tmp_path)
    assert code == 1
    assert "roles/cs/boss.yaml: error [duplicate-id] 'boss' differs from roles/cs/Boss.yaml only in upper/lower case" in out


def test_cycles_of_fifty_and_a_chain_of_ten_thousand(tmp_path: Path) -> None:
    files = minimal("en")
    for i in range(50):
        files[f"roles/cs/c{i}.yaml"] = CLERK.replace("T-002", f"C-{i}").replace("reports_to: boss", f"reports_to: c{(i + 1) % 50}")
    make_handbook(tmp_path / "cycle", files)
    result = check_handbook(tmp_path / "cycle", "en")
    loops = [p for p in result.problems if p.code == "reporting-loop"]
    assert len(loops) == 50
    assert loops[0].message.count("→") == 50

    files = minimal("en")
    for i in range(10_000):
        sup = f"n{i - 1}" if i else "boss"
        files[f"roles/cs/n{i}.yaml"] = f"number: N-{i}\ntitle: t\nreports_to: {sup}\nheadcount: 1\nstatus: draft\nduties: [{{duty: d}}]\n"
    make_handbook(tmp_path / "chain", files)
    result = check_handbook(tmp_path / "chain", "en")
    # walked without recursion; the one problem is where the line first passes the bound (boss is the 1st position)
    assert [(p.path, p.code) for p in result.problems] == [("roles/cs/n49.yaml", "reporting-chain-too-long")]
    assert "holds 51 positions (boss → … → n48 → n49)" in result.problems[0].message


def test_path_like_references_are_just_unknown(tmp_path: Path) -> None:
    files = minimal("en")
    files["roles/cs/clerk.yaml"] = CLERK.replace("reports_to: boss", "reports_to: ../../etc/passwd")
    make_handbook(tmp_path, files)
    code, out = check(tmp_path)
    assert code == 1
    assert "[unknown-superior] there is no position '../../etc/passwd'" in out


# --- property-based: only our Problem type ever comes out -------------------------------

yamlish = st.text(alphabet=st.sampled_from(list("ab:-[]{}&*!|>'\"#?,% \n\t0123456789.~@`\\\x00\x85\u2028中文")), max_size=200)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(yamlish)
def test_parse_yaml_never_raises(text: str) -> None:
    result = parse_yaml(text, "x.yaml", Messages("en"))
    assert isinstance(result, Document | Problem)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(10**6), 10**6) | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(
            st.sampled_from(
                [
                    "number",
                    "title",
                    "reports_to",
                    "subordinates",
                    "headcount",
                    "status",
                    "duties",
                    "duty",
                    "kpis",
                    "group",
                    "summary",
                    "items",
                    "relationships",
                    "internal",
                    "external",
                    "percent",
                    "qualifications",
                    "x",
                ]
            ),
            children,
            max_size=6,
        )
    ),
    max_leaves=25,
)


@pytest.mark.slow
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(st.lists(json_values, min_size=1, max_size=3))
def test_random_role_structures_give_problems_not_exceptions(tmp_path: Path, docs: list[object]) -> None:
    import json
    import shutil

    root = tmp_path / "hb"
    shutil.rmtree(root, ignore_errors=True)
    files = minimal("en")
    for i, doc in enumerate(docs):
        files[f"roles/cs/r{i}.yaml"] = json.dumps(doc, ensure_ascii=False)  # JSON is YAML
    make_handbook(root, files)
    result = check_handbook(root, "en")
    assert all(isinstance(p, Problem) for p in result.problems)


def _read_both_ways(text: str) -> tuple[str, str]:
    """What the builder without positions and the one with them read (``repr``: True is not 1, key order counts)."""
    out = []
    for positions in (False, True):
        try:
            out.append(repr(_build(text, positions).data))
        except YamlError:
            out.append("YamlError")
    return out[0], out[1]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(yamlish)
def test_fast_builder_reads_what_the_positions_builder_reads(text: str) -> None:
    fast, full = _read_both_ways(text)
    assert fast == full


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(json_values, st.sampled_from([None, True, False]))
def test_fast_builder_reads_written_structures_the_same(value: object, flow: bool | None) -> None:
    import yaml

    fast, full = _read_both_ways(yaml.safe_dump(value, allow_unicode=True, default_flow_style=flow))
    assert fast == full


@pytest.mark.parametrize(
    "text",
    [
        "a: 1\na: 2\n",
        "? [a]\n: 1\n",
        "{[a]: 1}\n",
        "a: &x 1\nb: *x\n",
        "a: !!python/object 1\n",
        "a: !!int 010\nb: !!str 5\nc: ! 7\nd: '5'\ne: ~\nf: -.5\n",
        "---\na: 1\n---\nb: 2\n",
        "",
        "# only a comment\n",
        "plain text\n",
        "[1, [2, [3]]]\n",
        "a:\n" + "".join("  " * i + "- x:\n" for i in range(45)),
        "a: [1, 2\n",
    ],
)
def test_fast_builder_same_data_and_same_refusals(text: str) -> None:
    fast, full = _read_both_ways(text)
    assert fast == full


placeholderish = st.text(alphabet=st.sampled_from(list("TODOtodo FILNfiln<>待填写\u0130\u0131\u212a\u017fxK")), max_size=30)


@settings(max_examples=500, deadline=None)
@given(placeholderish)
def test_placeholder_prefilter_is_the_case_insensitive_search(text: str) -> None:
    import re

    from rolebook.check.handbook import PLACEHOLDER_TEXT

    wanted = re.compile(r"TODO|待填写|to fill in|<<", re.IGNORECASE)
    assert (PLACEHOLDER_TEXT.search(text) is None) == (wanted.search(text) is None)


@pytest.mark.parametrize("text", ["x tOdO", "To FİLL İn", "to fıll ın", "a << b", "（待填写）", "TOD O", "to fil in", "<", "todd"])
def test_placeholder_prefilter_examples(text: str) -> None:
    import re

    from rolebook.check.handbook import PLACEHOLDER_TEXT

    assert (PLACEHOLDER_TEXT.search(text) is None) == (re.search(r"TODO|待填写|to fill in|<<", text, re.IGNORECASE) is None)
