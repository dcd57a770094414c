"""Org charts: DOT sources from the model, SVG from Graphviz ``dot``.

One chart for the organisation (departments with their headcount: it stays readable however
many positions there are) and one per department (its positions in their reporting tree).
Boxes link to pages with relative URLs, so the charts work from file:// and in print.
"""

from __future__ import annotations

import itertools
import os
import re
import shutil
import subprocess
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor

from rolebook.i18n import Messages
from rolebook.labels import count, label
from rolebook.model import Department, Handbook, Role
from rolebook.render.escape import dot_string, dot_tooltip, svg_tooltips
from rolebook.render.links import Links, department_src, role_src

FONT = "Noto Sans CJK SC"
WRAP_COLUMNS = 24  # a CJK character counts as two columns
GRID_FANOUT = 6  # more leaf boxes than this under one box: they go into a grid, not one long row
GRID_COLUMNS = 4  # boxes per row of such a grid: a page's width at a readable size, on screen and on paper
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
    return lines or [""]  # never cut short: a box shows the whole title


def _label(lines: Sequence[str]) -> str:
    return "\\n".join(dot_string(line) for line in lines)


def _header(graph_id: str, rankdir: str) -> list[str]:
    return [
        "digraph chart {",
        f'  graph [id="{graph_id}" rankdir={rankdir} compound=true nodesep=0.25 ranksep=0.45 bgcolor="transparent" pad=0.1 fontname="{FONT}" fontsize=11];',
        f'  node [shape=box style="rounded,filled" fillcolor="#ffffff" color="#3f51b5" fontname="{FONT}" fontsize=12 margin="0.16,0.07"];',
        '  edge [color="#7986cb" arrowhead=none];',
    ]


def _leaves(children: Mapping[str, Sequence[str]], kids: Sequence[str]) -> list[str]:
    return [k for k in kids if k not in children]


def _rankdir(roots: Sequence[str], children: Mapping[str, Sequence[str]]) -> str:
    """Top to bottom while every level of the tree is at most GRID_COLUMNS + 1 boxes wide (a grid
    counts as GRID_COLUMNS); a wider, shallow tree (the departments of a large organisation) reads
    better left to right, where its width becomes the page's length."""
    level, widest = list(roots), len(roots)
    while level:
        width, below = 0, list[str]()
        for parent in level:
            kids = children.get(parent, ())
            leaves = _leaves(children, kids)
            width += len(kids) - len(leaves) + (min(len(leaves), GRID_COLUMNS) if len(leaves) > GRID_FANOUT else len(leaves))
            below.extend(kids)
        widest, level = max(widest, width), below
    return "LR" if widest > GRID_COLUMNS + 1 else "TB"


def _edges(children: Mapping[str, Sequence[str]], caption: Callable[[int], str], rankdir: str) -> list[str]:
    """The lines from each box to the boxes below it. A box with more than GRID_FANOUT boxes below it
    that have none below them draws those in a framed grid GRID_COLUMNS wide, reached by one line
    (a single row of 100 boxes, or 100 lines fanning out, is unreadable on a page). A rank of the
    grid is a row top to bottom, a column left to right."""
    out: list[str] = []
    for parent, kids in children.items():
        leaves = _leaves(children, kids)
        if len(leaves) <= GRID_FANOUT:
            out.extend(f'  "{parent}" -> "{k}";' for k in kids)
            continue
        out.extend(f'  "{parent}" -> "{k}";' for k in kids if k in children)
        size = GRID_COLUMNS if rankdir == "TB" else -(-len(leaves) // GRID_COLUMNS)
        ranks = [leaves[i : i + size] for i in range(0, len(leaves), size)]
        cluster = f"cluster_{len(out)}"
        out.append(f'  subgraph "{cluster}" {{ label="{dot_string(caption(len(leaves)))}" labeljust=l style="rounded" color="#9fa8da";')
        out.extend("    { rank=same; " + " ".join(f'"{k}";' for k in rank) + " }" for rank in ranks)
        for this, after in itertools.pairwise(ranks):
            out.extend(f'    "{a}" -> "{b}" [style=invis];' for a, b in zip(this, after, strict=False))
        for rank in ranks:
            out.extend(f'    "{a}" -> "{b}" [style=invis];' for a, b in itertools.pairwise(rank))
        out.append("  }")
        out.append(f'  "{parent}" -> "{ranks[0][len(ranks[0]) // 2]}" [lhead="{cluster}"];')
    return out


def organisation_dot(handbook: Handbook, links: Links, people: Mapping[str, int]) -> str:
    """Departments as a tree, each box with its headcount (``people``: its own and its sub-departments')."""
    lang = handbook.settings.language
    children: dict[str, list[str]] = {}
    for d in handbook.departments:
        if d.parent is not None:
            children.setdefault(d.parent, []).append(d.id)
    rankdir = _rankdir([d.id for d in handbook.departments if d.parent is None], children)
    out = _header("rb-org", rankdir)
    for d in handbook.departments:
        lines = [*wrap(d.name), count(lang, "people", people.get(d.id, 0))]
        out.append(f'  "{d.id}" [label="{_label(lines)}" URL="{links.page(department_src(d.id))}" tooltip="{dot_tooltip(d.name)}" id="rb-org-{d.id}"];')
    out.extend(_edges(children, lambda n: count(lang, "departments", n), rankdir))
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
    roots = [r.id for r in outside] + [r.id for r in roles if r.reports_to is None]
    rankdir = _rankdir(roots, children)
    out = _header(f"rb-dept-{dept_id}", rankdir)

    def node(r: Role, extra: str = "") -> str:
        lines = [*wrap(r.title), label(lang, "chart_role_line", number=r.number, people=count(lang, "people", r.headcount))]
        return f'  "{r.id}" [label="{_label(lines)}" URL="{links.page(role_src(r.id))}" tooltip="{dot_tooltip(r.title)}" id="rb-role-{r.id}"{extra}];'

    for r in outside:
        out.append(node(r, ' style="rounded,dashed" color="#9e9e9e"'))
    out.extend(node(r) for r in roles)
    out.extend(_edges(children, lambda n: label(lang, "direct_reports_count", n=n), rankdir))
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
    first = next((i for i, line in enumerate(lines) if _NODE_LINE.match(line)), len(lines))
    head = lines[:first]  # the graph's settings; the boxes' lines follow, then the lines between them
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


def graphviz_version() -> str:
    """What ``dot -V`` says (its SVGs may differ from one version to the next), or "" without Graphviz."""
    dot_exe = shutil.which("dot")
    if dot_exe is None:
        return ""
    try:
        proc = subprocess.run([dot_exe, "-V"], capture_output=True, timeout=DOT_TIMEOUT, check=False)
    except (subprocess.TimeoutExpired, OSError):
        return ""
    return f"{dot_exe}\0{proc.returncode}\0{proc.stdout.decode('utf-8', 'replace')}\0{proc.stderr.decode('utf-8', 'replace')}".strip()


def reuse_svgs(sources: Sequence[str], known: Mapping[str, str]) -> dict[str, str]:
    """The SVG of each DOT source: taken from ``known`` (SVGs by their DOT source) when the source is
    the same, Graphviz run only on the others (render_svgs). The result holds exactly ``sources``."""
    todo = sorted({dot for dot in sources if dot not in known})
    fresh = dict(zip(todo, render_svgs(todo), strict=True))
    return {dot: known.get(dot) or fresh[dot] for dot in sources}


def chart_failure(handbook: Handbook, charted: Sequence[Department], error: ChartError) -> str:
    """Graphviz's complaint, with the file and field whose text it fails on (or the chart's department file)."""
    msgs = Messages(handbook.settings.language)
    if error.chart is None:
        return str(error)
    if error.chart == 0:  # the organisation chart: a box per department, showing its name
        if error.node is not None:
            dept = handbook.department(error.node)
            return msgs.text("chart-failed/box", path=dept.source, field="name", detail=error)
        return msgs.text("chart-failed/organisation", detail=error)
    dept = charted[error.chart - 1]
    if error.node is not None:  # a box per position, showing its title and its number
        role = handbook.role(error.node)
        return msgs.text("chart-failed/box", path=role.source, field="title', 'number", detail=error)
    return msgs.text("chart-failed/department", path=dept.source, detail=error)
