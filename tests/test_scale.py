"""The mechanisms that make a 10,000-role check fast give the same verdict as the plain path.

- the fast YAML build (no positions) gives the same data and the same problems;
- parsing in worker processes gives the same problems, positions and model as one process;
- the split cache (index + pack) is never trusted when damaged, and stays small after edits.
"""

from __future__ import annotations

import gc
import os
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rolebook.app.pipeline import check_handbook, parse_files
from rolebook.i18n import Messages
from rolebook.load.cache import CACHE_DIR, INDEX_FILE, content_key
from rolebook.load.files import SourceFile
from rolebook.load.yamlstrict import Document, parse_yaml
from tests.scratch import BOSS, CLERK, make_handbook, minimal

REPO = Path(__file__).resolve().parent.parent

# ---------------------------------------------------------------------------
# fast YAML build == full build


def _same(text: str) -> None:
    msgs = Messages("en")
    full = parse_yaml(text, "x.yaml", msgs)
    fast = parse_yaml(text, "x.yaml", msgs, positions=False)
    if isinstance(full, Document):
        assert isinstance(fast, Document)
        assert fast.data == full.data
        assert repr(fast.data) == repr(full.data)  # same types too (1 vs 1.0 vs True)
        assert fast.values == {} and full.values
    else:
        assert fast == full


def test_fast_build_matches_on_every_case_file_and_the_sample() -> None:
    files = sorted((REPO / "tests").rglob("*.yaml")) + sorted((REPO / "roles").rglob("*.yaml"))
    assert len(files) > 20
    for path in files:
        if not path.is_file():
            continue
        try:
            text = path.read_text(encoding="utf-8-sig")
        except UnicodeDecodeError:
            continue
        _same(text)


@pytest.mark.parametrize(
    "text",
    [
        "a: 1\na: 2\n",  # duplicate key: the fast path must name both lines, like the full one
        "a: &x 1\nb: *x\n",
        "a: !!python/object:os.system x\n",
        "a: 1\n---\nb: 2\n",
        "a:\n\t- b\n",
        "[1, 2]\n",
        "",
        "? [a]\n: 1\n",
        "1: x\n",
        "a: 010\nb: 1.5\nc: no\nd: ~\ne: 'true'\nf: TRUE\ng: -0\nh: .5\ni: 1e3\nj: 2006-06-01\n",
        'a: {b: [c, {d: e}], f: "g"}\n',
        "a:\n  - b: 1\n    b: 2\n",
    ],
)
def test_fast_build_matches_on_tricky_input(text: str) -> None:
    _same(text)


_scalar = st.sampled_from(
    ["1", "010", "-3", "1.5", ".5", "1e3", "true", "no", "~", "null", "''", '"x"', "a b", "中文", "-", "a: b", "[", "*a", "&a x", "!!str 1"]
)
_key = st.sampled_from(["a", "b", "c", "1", "true", "duty", "? x", "中"])


@st.composite
def _yaml(draw: st.DrawFn, depth: int = 0) -> str:
    if depth > 2 or draw(st.booleans()):
        return draw(_scalar)
    indent = "  " * (depth + 1)
    if draw(st.booleans()):
        items = draw(st.lists(_yaml(depth + 1), max_size=3))
        return "\n" + "".join(f"{indent}- {i}\n" for i in items) if items else "[]"
    pairs = draw(st.lists(st.tuples(_key, _yaml(depth + 1)), max_size=3))
    return "\n" + "".join(f"{indent}{k}: {v}\n" for k, v in pairs) if pairs else "{}"


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(_key, _yaml()), min_size=1, max_size=4))
def test_fast_build_matches_on_generated_yaml(pairs: list[tuple[str, str]]) -> None:
    _same("".join(f"{k}: {v}\n" for k, v in pairs))


# ---------------------------------------------------------------------------
# worker processes == one process


def _big_handbook(root: Path, n: int) -> Path:
    """n valid roles plus files with every kind of problem, spread over the chunks."""
    files: dict[str, str | bytes] = dict(minimal("en"))
    for i in range(n):
        files[f"roles/cs/r{i:04d}.yaml"] = CLERK.replace("T-002", f"N-{i:04d}")
    files["roles/cs/r0003.yaml"] = "number: [\n"  # YAML syntax
    files["roles/cs/r0017.yaml"] = CLERK.replace("T-002", "N-0017").replace("headcount: 2", "headcount: two")  # schema
    files["roles/cs/r0042.yaml"] = CLERK.replace("T-002", "N-0042").replace("    kpis: [及时性]\n", "")  # one-file warning
    files["roles/cs/r0101.yaml"] = CLERK.replace("T-002", "N-0007")  # duplicate number, across chunks
    files["roles/cs/r0150.yaml"] = CLERK.replace("T-002", "N-0150").replace("reports_to: boss", "reports_to: bos")  # cross-file
    files["roles/cs/r0190.yaml"] = b"number: \xff\n"  # encoding
    files["roles/cs/r0199.yaml"] = CLERK.replace("T-002", "N-0199") + "number: X\n"  # duplicate key
    return make_handbook(root, files)


def _located(result: object) -> list[tuple[str, int, int, str, str]]:
    return [(p.path, p.line, p.col, p.code, p.message) for p in result.problems]  # type: ignore[attr-defined]


def test_parse_files_in_workers_gives_what_one_process_gives(tmp_path: Path) -> None:
    root = _big_handbook(tmp_path, 60)
    msgs = Messages("en")
    items = []
    for path in sorted((root / "roles" / "cs").glob("*.yaml")):
        raw = path.read_bytes()
        kind = "department" if path.name == "_department.yaml" else "role"
        src = SourceFile(f"roles/cs/{path.name}", kind, "cs" if kind == "department" else path.stem, "cs")
        items.append((src, raw, content_key(kind, raw)))
    serial = [o for o, _ in parse_files(items, msgs, 0)]
    parallel = parse_files(items, msgs, 1, chunk=7)
    assert [o for o, _ in parallel] == serial
    assert any(f is None for _, f in parallel), "no chunk went to the worker"
    assert any(o.problems for o in serial) and any(not o.parsed for o in serial)


def test_check_with_workers_gives_the_same_problems_positions_and_model(tmp_path: Path) -> None:
    root = _big_handbook(tmp_path / "bad", 260)
    one = check_handbook(root, use_cache=False, workers=0)
    two = check_handbook(root, use_cache=False, workers=1)
    assert _located(two) == _located(one)
    codes = {p.code for p in one.problems}
    assert {"yaml-syntax", "wrong-type", "missing-kpi", "duplicate-number", "unknown-superior", "encoding", "duplicate-key"} <= codes
    assert all(p.line > 0 for p in one.problems if p.code in ("duplicate-number", "unknown-superior", "wrong-type", "missing-kpi"))
    good = make_handbook(tmp_path / "good", {**minimal("en"), **{f"roles/cs/r{i:04d}.yaml": CLERK.replace("T-002", f"N-{i:04d}") for i in range(260)}})
    a = check_handbook(good, use_cache=False, workers=0).handbook
    b = check_handbook(good, use_cache=False, workers=1).handbook
    assert a is not None and a == b
    assert gc.isenabled()


def test_cold_check_starts_its_workers_early_and_gives_the_same_problems(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Nothing cached: the worker starts before the files are read (pipeline.worker_pool); same verdict."""
    import rolebook.app.pipeline as pipeline

    root = _big_handbook(tmp_path / "bad", 1000)  # five chunks: the worker takes the last while this process parses the first
    one = check_handbook(root, use_cache=False, workers=0)
    started: list[int] = []
    real_pool = pipeline.worker_pool

    @contextmanager
    def pool(workers: int):  # type: ignore[no-untyped-def]
        started.append(workers)
        with real_pool(workers) as made:
            if made is not None:  # wait for the worker to be up: then it surely takes chunks from the back
                made.submit(os.getpid).result(timeout=120)
            yield made

    monkeypatch.setattr(pipeline, "worker_pool", pool)
    monkeypatch.setattr(pipeline, "parse_workers", lambda count: 1 if count >= 10 else 0)
    two = check_handbook(root, use_cache=False)
    assert started[0] == 1, "the workers were not started before the files were read"
    assert _located(two) == _located(one)
    assert any(f.value is None and isinstance(f.blob, bytes) for f in two.context.roles.values()), "no file was parsed in the worker"


# ---------------------------------------------------------------------------
# the split cache


def _pack(root: Path) -> Path:
    packs = list((root / CACHE_DIR).glob("check-*.pack"))
    assert len(packs) == 1
    return packs[0]


def test_damaged_pack_is_never_trusted(tmp_path: Path) -> None:
    root = make_handbook(tmp_path, minimal("en"))
    expected = check_handbook(root).handbook
    pack = _pack(root)
    good = pack.read_bytes()
    # same length, other bytes: a marshal of other data would load fine; the CRC refuses it
    flipped = bytearray(good)
    for i in range(0, len(flipped), 7):
        flipped[i] ^= 0x20
    for junk in (bytes(flipped), good[: len(good) // 2], b""):
        pack.write_bytes(junk)
        result = check_handbook(root)
        assert result.problems == ()
        assert result.handbook == expected
    pack.unlink()
    assert check_handbook(root).handbook == expected


def test_damaged_index_is_never_trusted(tmp_path: Path) -> None:
    root = make_handbook(tmp_path, minimal("en"))
    check_handbook(root)
    index = root / CACHE_DIR / INDEX_FILE
    raw = bytearray(index.read_bytes())
    raw[-5] ^= 0x01  # one bit in the payload: the checksum no longer matches
    index.write_bytes(bytes(raw))
    # an edit that makes a problem must be seen, and a flipped bit must not hide it
    (root / "roles/cs/clerk.yaml").write_text(CLERK.replace("headcount: 2", "headcount: 0"), encoding="utf-8")
    assert [p.code for p in check_handbook(root).problems] == ["invalid-value"]


def test_cached_file_with_warnings_keeps_its_positions_and_language(tmp_path: Path) -> None:
    root = make_handbook(tmp_path, {**minimal("en"), "roles/cs/clerk.yaml": CLERK.replace("    kpis: [及时性]\n", "")})
    cold = check_handbook(root)
    warm = check_handbook(root)
    assert _located(warm) == _located(cold) and [p.code for p in cold.problems] == ["missing-kpi"]
    assert cold.problems[0].line == 7
    zh = check_handbook(root, "zh")
    assert zh.problems[0].message != cold.problems[0].message


def test_pack_is_appended_to_and_rewritten_when_mostly_dead(tmp_path: Path) -> None:
    root = make_handbook(tmp_path, minimal("en"))
    check_handbook(root)
    first = _pack(root)
    size = first.stat().st_size
    (root / "roles/cs/clerk.yaml").write_text(CLERK.replace("专员", "专员甲"), encoding="utf-8")
    check_handbook(root)
    assert _pack(root) == first and first.stat().st_size > size  # one new blob appended
    for i in range(6):  # the same file edited again and again: dead blobs pile up, then the pack is rewritten
        (root / "roles/cs/boss.yaml").write_text(BOSS.replace("经理", f"经理{i}"), encoding="utf-8")
        result = check_handbook(root)
        assert result.handbook is not None and result.handbook.role("boss").title == f"经理{i}"
    assert _pack(root) != first
    assert _pack(root).stat().st_size < 3 * size


def test_warm_check_does_not_import_jsonschema(tmp_path: Path) -> None:
    root = make_handbook(tmp_path, minimal("en"))
    code = "import sys; from pathlib import Path; from rolebook.app.pipeline import check_handbook; r = check_handbook(Path(sys.argv[1])); print(r.failed(), 'jsonschema' in sys.modules)"
    run = [sys.executable, "-c", code, str(root)]
    assert subprocess.run(run, capture_output=True, text=True, cwd=REPO, check=True).stdout.split() == ["False", "False"]
    assert subprocess.run(run, capture_output=True, text=True, cwd=REPO, check=True).stdout.split() == ["False", "False"]
