"""A job description that fits on a page prints on one: measured, not listed.

Each sample role's form is laid out on one very tall page of the same width, in its tightest
form (templates/print/tight.css, the layout rolebook falls back to when a form spills over a
little), and its height is read back from that PDF. A role whose form is shorter than a page's
content area must then give a one-page PDF through the real CLI; one that is longer must not
(which keeps the measurement honest).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pypdf
import pytest

from rolebook.app.pipeline import check_handbook
from rolebook.model import Handbook
from rolebook.outputs.pdf import RenderJob, print_documents, render_pdf
from rolebook.render.print_html import TIGHT_CSS
from tests.scratch import ONE_LANGUAGE

REPO = Path(__file__).resolve().parent.parent
MM = 72 / 25.4  # points per millimetre
TALL_MM = 3000
# the page box of tight.css: A4, content area between its top and bottom margins
PAGE_W_MM, PAGE_H_MM, TOP_MM, BOTTOM_MM = 210, 297, 19, 17
SLACK_MM = 3  # within this of the page's height, a form is neither "fits" nor "does not fit"

pytestmark = pytest.mark.slow


def _copy_sample(dest: Path) -> Path:
    dest.mkdir()
    shutil.copytree(ONE_LANGUAGE / "roles", dest / "roles")
    shutil.copy(ONE_LANGUAGE / "rolebook.yml", dest / "rolebook.yml")
    shutil.copy(REPO / "mkdocs.yml", dest / "mkdocs.yml")
    shutil.copytree(REPO / "schema", dest / "schema")
    return dest


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Handbook, Path]:
    """The sample's PDFs, made by the CLI from a copy of the sample."""
    tmp = tmp_path_factory.mktemp("fit")
    root = _copy_sample(tmp / "hb")
    out = tmp / "pdf"
    run = subprocess.run([sys.executable, "build.py", "pdf", "--out", str(out), "-j", "1", str(root)], cwd=REPO, capture_output=True, text=True, timeout=900)
    assert run.returncode == 0, run.stderr
    hb = check_handbook(root, use_cache=False).handbook
    assert hb is not None
    return hb, out


def _words(pdf: bytes, tmp: Path) -> list[tuple[float, float, str]]:
    """(yMin, yMax, word) of every word on the first page, in points from the top."""
    path = tmp / "measure.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(["pdftotext", "-bbox", "-f", "1", "-l", "1", str(path), "-"], capture_output=True, text=True, check=True).stdout
    found = re.findall(r'<word xMin="[\d.]+" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]*)</word>', out)
    return [(float(a), float(b), w) for a, b, w in found]


def form_height_mm(hb: Handbook, role_id: str, tmp: Path) -> float:
    """The height of the role's form (from its first line to its last), tightened, on one tall page."""
    doc = next(d for d in print_documents(hb, epoch=0) if d.kind == "role" and d.ident == role_id)
    tall = f"<style>\n{TIGHT_CSS.read_text(encoding='utf-8')}\n@page {{ size: {PAGE_W_MM}mm {TALL_MM}mm; }}\n</style>"
    rendered = render_pdf(RenderJob(role_id, doc.html.replace("</head>", tall + "</head>", 1), b"measure"))
    assert rendered.pages == 1
    top, bottom = TOP_MM * MM, (TALL_MM - BOTTOM_MM) * MM  # leave out the page margins' document control
    # (a draft's watermark is drawn as text, in letters larger than any of the form's: left out)
    inside = [(y0, y1) for y0, y1, _ in _words(rendered.pdf, tmp) if top <= y0 and y1 <= bottom and y1 - y0 < 40]
    assert inside, role_id
    return (max(y1 for _, y1 in inside) - top) / MM


def test_every_sample_role_that_fits_on_a_page_prints_on_one(built: tuple[Handbook, Path], tmp_path: Path) -> None:
    hb, out = built
    area = PAGE_H_MM - TOP_MM - BOTTOM_MM
    fits, long = [], []
    for role in hb.roles:
        height = form_height_mm(hb, role.id, tmp_path)
        pages = len(pypdf.PdfReader(out / f"roles/{role.id}.pdf").pages)
        if height <= area - SLACK_MM:
            fits.append(role.id)
            assert pages == 1, f"{role.id}: {height:.0f} mm of form on a {area} mm page, printed on {pages} pages"
        elif height > area + SLACK_MM:
            long.append(role.id)
            assert pages > 1, f"{role.id}: {height:.0f} mm of form printed on one {area} mm page"
    # the sample has both kinds, so both assertions above were made
    assert len(fits) >= 10 and long, (fits, long)


def test_the_signature_block_is_never_alone_on_a_page(built: tuple[Handbook, Path]) -> None:
    hb, out = built
    assert hb.settings.signatures
    checked = 0
    for role in hb.roles:
        pages = pypdf.PdfReader(out / f"roles/{role.id}.pdf").pages
        last = re.sub(r"\s+", "", pages[-1].extract_text())
        assert "任职人确认" in last, role.id  # the signatures close the form
        if len(pages) > 1:
            checked += 1
            duties = [re.sub(r"\s+", "", d.text) for _, _, d in role.numbered_duties()]
            assert any(d[:12] in last for d in duties), f"{role.id}: its last page holds no duty, only the signatures"
    assert checked >= 1
