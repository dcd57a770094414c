"""Every PDF of an English handbook, scanned: no Chinese anywhere (labels, page numbers, document
control, cover, dates, counts, org charts), and English counts in the singular and plural.

The handbook (tests/en_handbook.py, what ``python -m tests.en_handbook DIR`` writes) holds no
Chinese of its own, so any Chinese character found comes from rolebook. Built through the real CLI.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.en_handbook import english_handbook
from tests.scratch import make_handbook, minimal

REPO = Path(__file__).resolve().parent.parent
CJK = re.compile(r"[\u2e80-\u9fff\u3000-\u303f\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef]")
MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    tmp = tmp_path_factory.mktemp("en-pdf")
    files = english_handbook(roles=48, departments=6, big=24)
    assert not any(CJK.search(text) for text in files.values() if isinstance(text, str)), "the handbook itself must hold no Chinese"
    files["rolebook.yml"] = str(files["rolebook.yml"]) + 'version: "3.0"\nsignatures: true\n'
    root = make_handbook(tmp / "hb", files)
    out = tmp / "pdf"
    run = subprocess.run([sys.executable, str(REPO / "build.py"), "pdf", "--out", str(out), str(root)], capture_output=True, text=True, timeout=1200)
    assert run.returncode == 0, run.stderr
    assert not CJK.search(run.stdout + run.stderr)
    return root, out


def text_of(pdf: Path) -> str:
    return subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True, check=True).stdout


def test_no_pdf_of_an_english_handbook_holds_a_chinese_character(built: tuple[Path, Path]) -> None:
    root, out = built
    pdfs = sorted(out.rglob("*.pdf"))
    roles = list((root / "roles").rglob("*.yaml"))
    assert len(pdfs) == 1 + sum(p.name == "_department.yaml" for p in roles) + sum(p.name != "_department.yaml" for p in roles)
    for pdf in pdfs:
        text = text_of(pdf)
        assert not CJK.findall(text), (pdf.relative_to(out).as_posix(), sorted(set(CJK.findall(text))))
        # the words a reader sees are English: the document control and the page numbers
        if pdf.parent.name == "roles":
            assert "Effective date" in text and re.search(r"Page 1 of \d", text), pdf.name
        else:
            assert re.search(r"—\s*\d+\s*—", text) and "Page " not in text, pdf.name


def test_the_cover_dates_and_counts_read_as_english(built: tuple[Path, Path]) -> None:
    _, out = built
    cover = subprocess.run(
        ["pdftotext", "-f", "1", "-l", "1", "-enc", "UTF-8", str(out / "handbook.pdf"), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Job descriptions handbook" in cover
    assert "48 positions in 6 departments" in cover
    assert "Version: 3.0" in cover
    assert re.search(rf"Date: \d{{1,2}} ({MONTHS}) \d{{4}}", cover), cover
    whole = text_of(out / "handbook.pdf")
    # counts agree with their number, in the org charts ("1 person", "2 people") and elsewhere
    assert re.search(r"\b1 person\b", whole) and re.search(r"\b([2-9]|\d\d+) people\b", whole)
    for wrong in (r"\b1 people\b", r"\b1 persons\b", r"\b1 positions\b", r"\b1 departments\b", r"\b([2-9]|\d\d+) person\b"):
        assert not re.search(wrong, whole), wrong
    # the big department's head lists its direct reports after the grid, counted in English
    assert re.search(r"\b23 in all, listed below\b", whole)


def test_a_one_department_cover_counts_in_the_singular(tmp_path: Path) -> None:
    root = make_handbook(tmp_path / "hb", minimal("en"))
    run = subprocess.run(
        [sys.executable, str(REPO / "build.py"), "pdf", "--out", str(tmp_path / "pdf"), str(root)], capture_output=True, text=True, timeout=600
    )
    assert run.returncode == 0, run.stderr
    cover = subprocess.run(["pdftotext", "-f", "1", "-l", "1", str(tmp_path / "pdf/handbook.pdf"), "-"], capture_output=True, text=True, check=True).stdout
    assert "2 positions in 1 department\n" in cover, cover
