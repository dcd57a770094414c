"""Org charts: DOT sources from the model, SVG from Graphviz ``dot``.

One chart for the organisation (departments with their headcount: it stays readable however
many positions there are) and one per department (its positions in their reporting tree).
Boxes link to pages with relative URLs, so the charts work from file:// and in print.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import unicodedata
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor

from rolebook.labels import label
from rolebook.model import Handbook, Role
from rolebook.render.escape import dot_string, dot_tooltip, svg_tooltips
from rolebook.render.links import Links, department_src, role_src

FONT = "Noto Sans CJK SC"
WRAP_COLUMNS = 24  # a CJK character counts as two columns
MAX_LINES = 4
WIDE_FANOUT = 6  # more children than this under one box: lay the tree out left to right
DOT_TIMEOUT = 120


class ChartError(Exception):
    """Graphviz is missing or failed; the message says what to do.

    ``chart`` is the index of the source that failed (in ``render_svgs``' list) and ``node`` the
    name of the box Graphviz fails on when drawn alone (a role or department id), if one does."""

    def __init__(self, message: str, chart: int | None = None, node: str | None = None) -> None:
        super().__init__(message)
        self.chart = chart
        self.node = node


def _width(ch: str) -> int:
    return 2 if unicodedata.east_asian_width(ch) in "WF" else 1


def wrap(text: str, columns: int = WRAP_COLUMNS) -> list[str]:
    """Break a title into lines of at most ``columns`` display columns; prefer breaking at spaces."""
    words = re.findall(r"\S+|\s+", " ".join(text.split()))
    lines: list[str] = []
    cur, cur_w = "", 0
    for word in words:
        w = sum(_width(c) for c in word)
        if word.isspace():
            if cur:
                cur, cur_w = cur + " ", cur_w + 1
            continue
        if cur_w + w <= columns:
            cur, cur_w = cur + word, cur_w + w
            continue
        if cur.strip() and w <= columns:
            lines.append(cur.rstrip())
            cur, cur_w = word, w
            continue
        for ch in word:  # a word (or a run of CJK) longer than a line: break between characters
            cw = _width(ch)
            if cur_w + cw > columns and cur.strip():
                lines.append(cur.rstrip())
                cur, cur_w = "", 0
            cur, cur_w = cur + ch, cur_w + cw
    if cur.strip():
        lines.append(cur.rstrip())
    if len(lines) > MAX_LINES:
        lines = [*lines[: MAX_LINES - 1], lines[MAX_LINES - 1][: max(1, columns // 2 - 1)] + "…"]
    return lines or [""]


def _label(lines: Sequence[str]) -> str:
    return "\\n".join(dot_string(line) for line in lines)


def _header(graph_id: str, rankdir: str) -> list[str]:
    return [
        "digraph chart {",
        f'  graph [id="{graph_id}" rankdir={rankdir} nodesep=0.25 ranksep=0.45 bgcolor="transparent" pad=0.1];',
        f'  node [shape=box style="rounded,filled" fillcolor="#ffffff" color="#3f51b5" fontname="{FONT}" fontsize=12 margin="0.16,0.07"];',
        '  edge [color="#7986cb" arrowhead=none];',
    ]


def _rankdir(children: dict[str, list[str]]) -> str:
    return "LR" if any(len(kids) > WIDE_FANOUT for kids in children.values()) else "TB"


def organisation_dot(handbook: Handbook, links: Links, people: Mapping[str, int]) -> str:
    """Departments as a tree, each box with its headcount (``people``: its own and its sub-departments')."""
    lang = handbook.settings.language
    children: dict[str, list[str]] = {}
    for d in handbook.departments:
        if d.parent is not None:
            children.setdefault(d.parent, []).append(d.id)
    out = _header("rb-org", _rankdir(children))
    for d in handbook.departments:
        lines = [*wrap(d.name), label(lang, "chart_people", n=people.get(d.id, 0))]
        out.append(f'  "{d.id}" [label="{_label(lines)}" URL="{links.page(department_src(d.id))}" tooltip="{dot_tooltip(d.name)}" id="rb-org-{d.id}"];')
    for d in handbook.departments:
        if d.parent is not None:
            out.append(f'  "{d.parent}" -> "{d.id}";')
    out.append("}")
    return "\n".join(out) + "\n"


def department_dot(handbook: Handbook, dept_id: str, links: Links) -> str:
    """The department's positions in their reporting tree; a superior from outside the department is a dashed box."""
    lang = handbook.settings.language
    roles = handbook.roles_in(dept_id)
    ids = {r.id for r in roles}
    outside: list[Role] = []
    children: dict[str, list[str]] = {}
    for r in roles:
        if r.reports_to is None:
            continue
        children.setdefault(r.reports_to, []).append(r.id)
        if r.reports_to not in ids and all(o.id != r.reports_to for o in outside):
            outside.append(handbook.role(r.reports_to))
    out = _header(f"rb-dept-{dept_id}", _rankdir(children))

    def node(r: Role, extra: str = "") -> str:
        lines = [*wrap(r.title), label(lang, "chart_role_line", number=r.number, n=r.headcount)]
        return f'  "{r.id}" [label="{_label(lines)}" URL="{links.page(role_src(r.id))}" tooltip="{dot_tooltip(r.title)}" id="rb-role-{r.id}"{extra}];'

    for r in outside:
        out.append(node(r, ' style="rounded,dashed" color="#9e9e9e"'))
    out.extend(node(r) for r in roles)
    for r in roles:
        if r.reports_to is not None:
            out.append(f'  "{r.reports_to}" -> "{r.id}";')
    out.append("}")
    return "\n".join(out) + "\n"


_XML_PROLOGUE = re.compile(r"<\?xml[^>]*\?>|<!DOCTYPE[^>]*>|<!--.*?-->", re.DOTALL)
_BLANK_LINES = re.compile(r"\n\s*\n")


def clean_svg(svg: str) -> str:
    """SVG for inlining into a page: no XML prologue or doctype, no comments (Graphviz puts its version there), no blank lines."""
    text = _XML_PROLOGUE.sub("", svg).strip()
    return _BLANK_LINES.sub("\n", text)


def _run_dot(dot_exe: str, source: str) -> str:
    try:
        proc = subprocess.run([dot_exe, "-Tsvg"], input=source.encode("utf-8"), capture_output=True, timeout=DOT_TIMEOUT, check=False)
    except subprocess.TimeoutExpired as e:
        raise ChartError(f"Graphviz 'dot' took longer than {DOT_TIMEOUT} s to draw a chart") from e
    except OSError as e:
        raise ChartError(f"cannot run Graphviz 'dot': {e}") from e
    if proc.returncode != 0:
        raise ChartError(f"Graphviz 'dot' failed: {proc.stderr.decode('utf-8', 'replace').strip()}", node=_culprit(dot_exe, source))
    return svg_tooltips(clean_svg(proc.stdout.decode("utf-8")))


_NODE_LINE = re.compile(r'  "([^"]+)" \[')


def _culprit(dot_exe: str, source: str) -> str | None:
    """The box of a chart Graphviz fails on when drawn alone (so the text that breaks it can be
    named), found by halving the boxes: a few runs of ``dot`` for any number of boxes."""
    lines = source.splitlines()
    head = [line for line in lines if not _NODE_LINE.match(line) and "->" not in line and line != "}"]
    boxes = [line for line in lines if _NODE_LINE.match(line)]

    def fails(some: list[str]) -> bool:
        alone = "\n".join([*head, *some, "}"]) + "\n"
        try:
            proc = subprocess.run([dot_exe, "-Tsvg"], input=alone.encode("utf-8"), capture_output=True, timeout=DOT_TIMEOUT, check=False)
        except (subprocess.TimeoutExpired, OSError):
            return False
        return proc.returncode != 0

    if not boxes or not fails(boxes):
        return None
    while len(boxes) > 1:
        half = boxes[: len(boxes) // 2]
        rest = boxes[len(boxes) // 2 :]
        if fails(half):
            boxes = half
        elif fails(rest):
            boxes = rest
        else:
            return None  # only some boxes together fail
    match = _NODE_LINE.match(boxes[0])
    return match.group(1) if match else None


def render_svgs(sources: Sequence[str]) -> list[str]:
    """Run ``dot -Tsvg`` on each source (in parallel, one process per core) and return the cleaned SVGs in order."""
    if not sources:
        return []
    dot_exe = shutil.which("dot")
    if dot_exe is None:
        raise ChartError("Graphviz 'dot' is not installed (Debian: apt-get install graphviz; or run scripts/setup.sh)")
    workers = max(1, min(len(sources), os.cpu_count() or 1))

    def run(index: int) -> str:
        try:
            return _run_dot(dot_exe, sources[index])
        except ChartError as e:
            raise ChartError(str(e), index, e.node) from None

    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(run, range(len(sources))))
