"""Case folders: each is overlaid on the minimal handbook and checked.

``tests/cases/valid/<case>/`` must check clean; ``tests/cases/invalid/<case>/``
must print exactly ``expected.txt`` (English) and exit 1 — and the Chinese report
must name the same places and codes. A ``DELETE`` file lists base files to remove.
Regenerate goldens with ``ROLEBOOK_UPDATE_GOLDEN=1 pytest tests/test_cases.py``
(then read the diff: a golden is only as good as its review).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from rolebook.cli import main
from tests.scratch import CASES, materialise_case


def _cases(kind: str) -> list[Path]:
    return sorted(p for p in (CASES / kind).iterdir() if p.is_dir())


def _run(root: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> tuple[int, str]:
    code = main(["check", str(root), *extra])
    out, err = capsys.readouterr()
    assert err == ""
    return code, out


@pytest.mark.parametrize("case", _cases("valid"), ids=lambda p: p.name)
def test_valid_case(case: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = materialise_case(case, tmp_path / "hb")
    code, out = _run(root, capsys)
    assert out.startswith("Checked ") and out.endswith("no problems found.\n"), out
    assert code == 0


@pytest.mark.parametrize("case", _cases("invalid"), ids=lambda p: p.name)
def test_invalid_case(case: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = materialise_case(case, tmp_path / "hb")
    code, out = _run(root, capsys)
    golden = case / "expected.txt"
    if os.environ.get("ROLEBOOK_UPDATE_GOLDEN"):
        golden.write_text(out, encoding="utf-8")
    assert out == golden.read_text(encoding="utf-8")
    strict_code, _ = _run(root, capsys, "--strict")
    assert strict_code == 1
    has_error = " error [" in out
    assert code == (1 if has_error else 0)
    # the Chinese report names the same places and codes
    _, out_zh = _run(root, capsys, "--lang", "zh")
    where = re.compile(r"^(\S+: (?:error|warning) \[[a-z-]+\])", re.M)
    assert where.findall(out_zh) == where.findall(out)
    assert "Traceback" not in out + out_zh
