"""Long lists in a job description (many direct reports, many parties) flow as lists across pages.

Run into one table cell as "a, b, c", 106 direct reports made a cell taller than a page: the
basic-information table moved off page 1 (left nearly empty) and the cell was cut into pages of a
narrow column. Built through the real CLI, read back with pdftotext.
"""

from __future__ import annotations

import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pypdf
import pytest

from tests.scratch import BOSS, make_handbook, minimal

REPO = Path(__file__).resolve().parent.parent
MM = 72 / 25.4
TOP_MM, BOTTOM_MM = 24, 22  # print.css: the page margins that hold the document control

pytestmark = pytest.mark.slow


def _report(n: int, boss: str, lang: str) -> str:
    title = f"下属岗位第{n:03d}号专员" if lang == "zh" else f"Assistant specialist number {n:03d}"
    return textwrap.dedent(
        f"""\
        number: R-{n:03d}
        title: {title}
        reports_to: {boss}
        headcount: 1
        status: approved
        approver: HR
        approval_date: "2024-03-01"
        duties:
          - duty: {"接听电话" if lang == "zh" else "Answers calls"}
        """
    )


def _handbook(root: Path, lang: str) -> Path:
    """``boss`` with 106 direct reports and 60 internal parties; ``lead`` (under boss) with 23."""
    files = dict(minimal(lang))
    del files["roles/cs/clerk.yaml"]
    parties = ", ".join(f"Party {i:02d}" if lang == "en" else f"联系部门{i:02d}" for i in range(60))
    files["roles/cs/boss.yaml"] = BOSS.replace("parties: [各部门]", f"parties: [{parties}]")
    files["roles/cs/lead.yaml"] = _report(999, "boss", lang).replace("number: R-999", "number: L-001")
    for n in range(128):
        files[f"roles/cs/r{n:03d}.yaml"] = _report(n, "boss" if n < 105 else "lead", lang)
    return make_handbook(root, files)


@pytest.fixture(scope="module", params=["zh", "en"])
def built(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Path]:
    tmp = tmp_path_factory.mktemp(f"lists-{request.param}")
    root = _handbook(tmp / "hb", request.param)
    out = tmp / "pdf"
    run = subprocess.run([sys.executable, str(REPO / "build.py"), "pdf", "--out", str(out), str(root)], capture_output=True, text=True, timeout=900)
    assert run.returncode == 0, run.stderr
    return request.param, out


def _pages(pdf: Path) -> list[tuple[float, list[tuple[float, float, str]]]]:
    """Per page: its height and (yMin, yMax, word) of the words between the header and footer margins."""
    xml = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    pages = []
    for height, body in re.findall(r'<page width="[\d.]+" height="([\d.]+)">(.*?)</page>', xml, re.S):
        h = float(height)
        words = re.findall(r'<word xMin="[\d.]+" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]*)</word>', body)
        inside = [(float(a), float(b), w) for a, b, w in words if float(a) >= TOP_MM * MM and float(b) <= h - BOTTOM_MM * MM]
        pages.append((h, inside))
    return pages


def _text(pdf: Path) -> str:
    return "\n".join(page.extract_text() or "" for page in pypdf.PdfReader(pdf).pages)


@pytest.mark.parametrize(("role", "count"), [("boss", 106), ("lead", 23)])
def test_a_long_list_of_direct_reports_flows_from_page_one(built: tuple[str, Path], role: str, count: int) -> None:
    lang, out = built
    pdf = out / "roles" / f"{role}.pdf"
    pages = _pages(pdf)
    first = " ".join(w for _, _, w in pages[0][1])
    # page 1 holds the basic-information grid, whole, and the start of the list
    for word in ("编号", "制定时间", "人数", "状态") if lang == "zh" else ("Effective", "Headcount", "Status"):
        assert word in first, (word, first[:300])
    first_report = "R-000" if role == "boss" else "R-105"
    assert first_report in first
    # no page but the last is nearly empty: each fills at least 60 % of its content area
    for number, (height, words) in enumerate(pages[:-1], start=1):
        area = height - (TOP_MM + BOTTOM_MM) * MM
        filled = (max(y1 for _, y1, _ in words) - TOP_MM * MM) / area
        assert filled > 0.6, f"{role}.pdf page {number} is {filled:.0%} full"
    # every direct report is there, by number and title, each once
    text = _text(pdf)
    wanted = [f"R-{n:03d}" for n in (range(105) if role == "boss" else range(105, 128))] + (["L-001"] if role == "boss" else [])
    assert len(wanted) == count
    for number in wanted:
        assert len(re.findall(rf"{number}\b", text)) == 1, number
    titles = re.sub(r"\s+", " ", text)
    for n in range(105) if role == "boss" else range(105, 128):
        title = f"下属岗位第{n:03d}号专员" if lang == "zh" else f"Assistant specialist number {n:03d}"
        assert title.replace(" ", "") in titles.replace(" ", ""), title
    # the cell in the grid says how many there are instead of running them together
    assert ("共 {} 个，见下表" if lang == "zh" else "{} in all, listed below").format(count).replace(" ", "") in text.replace(" ", "")


def test_a_long_list_of_parties_flows_as_a_list(built: tuple[str, Path]) -> None:
    lang, out = built
    pdf = out / "roles" / "boss.pdf"
    text = re.sub(r"\s+", "", _text(pdf))
    for i in range(60):
        assert (f"联系部门{i:02d}" if lang == "zh" else f"Party{i:02d}") in text
    assert ("共60个，见下表" if lang == "zh" else "60inall,listedbelow") in text
    assert "客户" in text  # the short list of external parties stays in its cell
