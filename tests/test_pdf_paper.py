"""``paper: letter`` in rolebook.yml: every PDF (job descriptions, departments, the handbook and its
page numbers) is printed on US Letter; A4 otherwise. Built through the real CLI."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pypdf
import pytest

from tests.scratch import make_handbook, minimal

REPO = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.slow


@pytest.mark.parametrize(("paper", "size"), [("letter", (612, 792)), (None, (595, 842))])
def test_every_pdf_is_printed_on_the_settings_paper(tmp_path: Path, paper: str | None, size: tuple[int, int]) -> None:
    files = minimal("en")
    if paper:
        files["rolebook.yml"] += f"paper: {paper}\n"
    root = make_handbook(tmp_path / "hb", files)
    out = tmp_path / "pdf"
    run = subprocess.run([sys.executable, str(REPO / "build.py"), "pdf", "--out", str(out), str(root)], capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr
    pdfs = sorted(out.rglob("*.pdf"))
    assert len(pdfs) == 4
    for pdf in pdfs:
        for page in pypdf.PdfReader(pdf).pages:
            assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == size, pdf.name
    # the handbook's page numbers sit in the middle of the page's width
    xml = subprocess.run(["pdftotext", "-bbox", "-f", "2", "-l", "2", str(out / "handbook.pdf"), "-"], capture_output=True, text=True, check=True).stdout
    found = re.search(
        r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="[\d.]+" yMax="[\d.]+">—</word>\s*<word xMin="[\d.]+" yMin="[\d.]+" xMax="[\d.]+" yMax="[\d.]+">2</word>\s*<word xMin="[\d.]+" yMin="[\d.]+" xMax="([\d.]+)"',
        xml,
    )
    assert found, xml[-600:]
    middle = (float(found.group(1)) + float(found.group(2))) / 2
    assert abs(middle - size[0] / 2) < 3, middle
