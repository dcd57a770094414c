"""Org charts show titles and names as typed: Graphviz's own escapes (``\\N`` the node's name,
``\\G``, ``\\L``, ``\\E``, ``\\n`` …) and HTML entities (``&amp;``, ``&#x41;``) in the handbook's text
are neither expanded nor decoded, in the boxes' text or in their tooltips.

Built through the CLI; the charts are read from the built pages as a browser reads them (the SVG
parsed as XML, so its own entities are decoded once, as a browser decodes them)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

from tests.scratch import BOSS, CLERK, make_handbook, minimal

REPO = Path(__file__).resolve().parent.parent
SVG = "{http://www.w3.org/2000/svg}"
XLINK_TITLE = "{http://www.w3.org/1999/xlink}title"

TITLES = (
    "a\\N b",
    "\\G",
    "\\L",
    "x\\ny",
    "x\\ly",
    "x\\ry",
    "\\E",
    "\\T",
    "\\H",
    "&amp;",
    "&#x41;",
    "&lt;b&gt;",
    "a & b",
    '"q" \\" x\\',
    "\\\\N",
    "&#92;N",
    "rbtipMFRGG",  # looks like the placeholder a tooltip travels as
)
DEPARTMENT = "&amp; \\N &#x41; 部"


def _charts(page: Path) -> list[ET.Element]:
    html = page.read_text(encoding="utf-8")
    charts = [ET.fromstring(svg) for svg in re.findall(r"<svg\b.*?</svg>", html, re.DOTALL)]
    return [c for c in charts if any(g.get("class") == "graph" for g in c.iter(f"{SVG}g"))]  # not the theme's icons


def _boxes(chart: ET.Element) -> dict[str, tuple[list[str], str]]:
    """Each box's SVG id: the lines of text a browser shows in it, and its tooltip."""
    out = {}
    for g in chart.iter(f"{SVG}g"):
        if g.get("class") == "node":
            a = next(g.iter(f"{SVG}a"))
            out[g.get("id", "")] = ([t.text or "" for t in g.iter(f"{SVG}text")], a.get(XLINK_TITLE, ""))
    return out


def test_titles_and_names_show_literally_in_chart_boxes_and_tooltips(tmp_path: Path) -> None:
    files = minimal("en")
    files["roles/cs/_department.yaml"] = f"name: {json.dumps(DEPARTMENT, ensure_ascii=False)}\n"
    files["roles/cs/boss.yaml"] = BOSS.replace("title: 经理", "title: Boss")
    for i, title in enumerate(TITLES):
        files[f"roles/cs/t{i}.yaml"] = CLERK.replace("T-002", f"T-1{i:02d}").replace("title: 专员", f"title: {json.dumps(title)}")
    root = make_handbook(tmp_path / "hb", files)
    done = subprocess.run([sys.executable, str(REPO / "build.py"), "build", "--no-pdf", str(root)], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr

    [chart] = _charts(root / "site" / "departments" / "cs" / "index.html")
    boxes = _boxes(chart)
    for i, title in enumerate(TITLES):
        lines, tooltip = boxes[f"rb-role-t{i}"]
        assert lines[0] == title, (title, lines)
        assert lines[1:] == [f"T-1{i:02d} · 2 people"], (title, lines)  # nothing of the title spilled into the next line
        assert tooltip == title, (title, tooltip)

    [org] = _charts(root / "site" / "index.html")
    [(lines, tooltip)] = _boxes(org).values()
    assert lines[0] == DEPARTMENT and tooltip == DEPARTMENT
