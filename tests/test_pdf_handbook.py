"""The handbook and department PDFs as a reader gets them: cover, org chart, staffing, page numbers.

A scratch English handbook with a logo, a version and a department of 40 positions (its
staffing table runs over a page), built through the real CLI and read back with pypdf,
pdftotext and pdftoppm.
"""

from __future__ import annotations

import re
import struct
import subprocess
import sys
import textwrap
import zlib
from pathlib import Path

import pypdf
import pytest

from tests.scratch import make_handbook, minimal

REPO = Path(__file__).resolve().parent.parent
ROLES = 40

pytestmark = pytest.mark.slow


def png(width: int, height: int, rgb: tuple[int, int, int]) -> bytes:
    """A solid-colour PNG."""
    row = b"\x00" + bytes(rgb) * width
    raw = zlib.compress(row * height)

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", raw) + chunk(b"IEND", b"")


def _role(n: int) -> str:
    return textwrap.dedent(
        f"""\
        number: S-{n:03d}
        title: Support agent {n:03d}
        reports_to: boss
        headcount: 2
        status: approved
        approver: HR
        approval_date: "2024-03-01"
        effective_date: "2024-03-{1 + n % 9:02d}"
        duties:
          - duty: Answers calls
        """
    )


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("handbook")
    files: dict[str, str | bytes] = dict(minimal("en"))
    files["rolebook.yml"] += 'logo: logo.png\nversion: "2.1 <b>"\n'
    files["logo.png"] = png(800, 100, (220, 20, 20))  # wide: 8 : 1
    for n in range(ROLES):
        files[f"roles/cs/s{n:03d}.yaml"] = _role(n)
    root = make_handbook(tmp / "hb", files)
    out = tmp / "pdf"
    run = subprocess.run([sys.executable, str(REPO / "build.py"), "pdf", "--out", str(out), str(root)], capture_output=True, text=True, timeout=900)
    assert run.returncode == 0, run.stderr
    return out


def pages_text(path: Path) -> list[str]:
    return [page.extract_text() for page in pypdf.PdfReader(path).pages]


def test_the_cover_shows_organisation_logo_version_and_date(built: Path, tmp_path: Path) -> None:
    cover = pages_text(built / "handbook.pdf")[0]
    for words in ("Test Group", "Job descriptions handbook", "Version: 2.1 <b>", "Date: 9 March 2024"):
        assert words in cover, (words, cover)
    assert "—" not in cover  # the cover is not numbered
    # the logo is drawn whole, in its own proportions: its red box on the rendered cover is 8 : 1
    subprocess.run(["pdftoppm", "-r", "60", "-f", "1", "-l", "1", str(built / "handbook.pdf"), str(tmp_path / "cover")], check=True)
    ppm = next(tmp_path.glob("cover*.ppm")).read_bytes()
    match = re.match(rb"P6\s+(\d+)\s+(\d+)\s+255\s", ppm)
    assert match
    width, height = int(match.group(1)), int(match.group(2))
    pixels = ppm[match.end() :]
    red = [(i % width, i // width) for i in range(width * height) if pixels[3 * i] > 180 and pixels[3 * i + 1] < 90 and pixels[3 * i + 2] < 90]
    assert red, "no logo on the cover"
    xs, ys = [x for x, _ in red], [y for _, y in red]
    box_w, box_h = max(xs) - min(xs) + 1, max(ys) - min(ys) + 1
    assert 7.0 <= box_w / box_h <= 9.0, (box_w, box_h)
    assert len(red) >= 0.9 * box_w * box_h  # a solid box, not cut by a clip
    assert box_w >= width * 0.2  # at a size one sees


def test_the_department_pdf_has_its_org_chart_and_its_staffing_total_once(built: Path) -> None:
    pages = pages_text(built / "departments/cs.pdf")
    first = pages[0]
    assert "Organisation chart" in first
    # the chart's boxes: every position's number and title is drawn (as text) in the chart and in the staffing table
    whole = "\n".join(pages)
    for n in range(ROLES):
        assert whole.count(f"S-{n:03d}") >= 3, n  # chart, staffing table, its job description
    # the staffing table runs over a page; its total comes once, at its end
    staffing = [i for i, page in enumerate(pages) if "S-039" in page and "Support agent 039" in page and "Answers calls" not in page]
    assert staffing
    assert whole.count("Total") == 1
    total_page = next(i for i, page in enumerate(pages) if "Total" in page)
    assert total_page > 0 and re.search(r"Total\s+83", pages[total_page]), pages[total_page]
    # one page-numbering scheme: the department's own, on every page
    for number, page in enumerate(pages, start=1):
        assert f"— {number} —" in page and "Page " not in page


def test_the_handbook_holds_the_department_charts_and_numbers_its_pages_once(built: Path) -> None:
    pages = pages_text(built / "handbook.pdf")
    assert sum("Organisation chart" in page for page in pages) == 1
    for number, page in enumerate(pages[1:], start=2):
        assert f"— {number} —" in page and "Page " not in page, number
    # each job description keeps its own "page x of y" in its own PDF
    assert "Page 1 of 1" in pages_text(built / "roles/s000.pdf")[0]
