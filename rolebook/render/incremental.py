"""Which generated pages an edit can change, and those pages rendered again (the live preview's rebuild).

``affected_pages`` compares two checked versions of a handbook and names every generated page
whose source may differ: the edited position's page; its department's page and those above it
(lists, headcounts, the chart); the departments whose chart draws it as a superior from outside;
the home page (totals, the organisation chart) and the list of all positions. When its title,
number or superior changed, also the pages that name it: its superior's page, the pages of every
position below it (their reporting chain shows it) and its neighbours in its department (the
footer's previous/next). It answers ``None`` — build everything — when the navigation or every
page may change: the settings, a department, or the set or order of positions.

The model carries what is derived from other files (a superior's ``subordinates``), so an edit of
one file shows as a change of every position it touches. ``PageRenderer`` renders the named
pages with the same code as a full build (``rolebook.render.pages``) and keeps the org charts it
drew, keyed by their Graphviz source, so an edit that changes no box runs no Graphviz.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import jinja2
from markupsafe import Markup

from rolebook.model import Handbook, Role
from rolebook.render.links import HOME, POSITIONS, department_src, role_src
from rolebook.render.orgchart import department_dot, organisation_dot, reuse_svgs
from rolebook.render.pages import DocsPage, GeneratedPage, Renderer, Stats, make_environment, stats
from rolebook.revisions.history import NO_HISTORY, History

NAMED = ("title", "number", "reports_to")  # what other pages show of a position besides its own page
LISTED = (*NAMED, "headcount", "status", "qualifications")  # what the list of all positions shows of each


def affected_pages(old: Handbook, new: Handbook) -> frozenset[str] | None:
    """The source paths of the generated pages that may differ between ``old`` and ``new``; ``None``: all may."""
    if old.settings != new.settings or old.departments != new.departments:
        return None
    if [(r.id, r.department) for r in old.roles] != [(r.id, r.department) for r in new.roles]:
        return None  # a position added, removed, moved or reordered: neighbours, navigation order, numbering
    changed = [(a, b) for a, b in zip(old.roles, new.roles, strict=True) if a != b]
    if not changed:
        return frozenset()
    if any(a.title != b.title for a, b in changed):
        return None  # the navigation names every position under its department: drawn into many pages
    pages = {HOME}
    for before, after in changed:
        named = any(getattr(before, k) != getattr(after, k) for k in NAMED)
        if any(getattr(before, k) != getattr(after, k) for k in LISTED):
            pages.add(POSITIONS)
        for hb, role in ((old, before), (new, after)):
            pages.update(_pages_showing(hb, role, named=named))
    return frozenset(pages)


def _pages_showing(hb: Handbook, role: Role, *, named: bool) -> Iterable[str]:
    yield role_src(role.id)
    yield from (department_src(d.id) for d in hb.department_chain(role.department))
    for sub in role.subordinates:  # their department's chart draws this role as a dashed box
        yield department_src(hb.role(sub).department)
    if not named:
        return
    if role.reports_to is not None:
        yield role_src(role.reports_to)
    yield from (role_src(r) for r in _below(hb, role.id))
    same = hb.roles_in(role.department)
    i = next(n for n, r in enumerate(same) if r.id == role.id)
    yield from (role_src(r.id) for r in same[max(0, i - 1) : i + 2])


def _below(hb: Handbook, role_id: str) -> list[str]:
    """Every position under ``role_id`` in the reporting tree (no recursion: trees can be deep)."""
    out: list[str] = []
    stack = list(hb.role(role_id).subordinates)
    seen = set(stack)
    while stack:
        rid = stack.pop()
        out.append(rid)
        for s in hb.role(rid).subordinates:
            if s not in seen:
                seen.add(s)
                stack.append(s)
    return out


@dataclass
class PageRenderer:
    """Renders chosen generated pages of one site configuration (links, PDFs, hand-written pages).

    ``charts``: org-chart SVGs by Graphviz source; only the charts of the last rendering are kept."""

    directory_urls: bool
    pdf_links: bool
    docs_pages: Sequence[DocsPage] = ()
    intro: str = ""
    history: History = NO_HISTORY  # the roles' revision histories, read by the last full build
    charts: dict[str, str] = field(default_factory=dict)
    env: jinja2.Environment = field(default_factory=make_environment)  # its compiled templates are kept

    def render(self, hb: Handbook, srcs: Iterable[str]) -> list[GeneratedPage]:
        """The generated pages among ``srcs`` (others are ignored), in the order a full build makes them."""
        want = set(srcs)
        r = Renderer(hb, self.directory_urls, self.pdf_links, self.history, self.env)
        st = stats(hb)
        depts = [d for d in hb.departments if department_src(d.id) in want]
        dots: dict[str, str] = {}
        if HOME in want:
            dots[HOME] = organisation_dot(hb, r.links(HOME), st.total)
        for d in depts:
            if st.roles.get(d.id):
                dots[department_src(d.id)] = department_dot(hb, d.id, r.links(department_src(d.id)))
        svgs = self._svgs(dots)
        out: list[GeneratedPage] = []
        if HOME in want:
            out.append(r.home_page(st, svgs[HOME], self.docs_pages, self.intro))
        out += [r.department_page(d, st, svgs.get(department_src(d.id))) for d in depts]
        out += [r.role_page(role, _neighbours(st, role)) for role in hb.roles if role_src(role.id) in want]
        if POSITIONS in want:
            out.append(r.positions_page())
        return out

    def _svgs(self, dots: dict[str, str]) -> dict[str, Markup]:
        kept = reuse_svgs(list(dots.values()), self.charts)
        self.charts = kept  # bounded: only what this rendering used
        return {src: Markup(kept[dot]) for src, dot in dots.items()}


def _neighbours(st: Stats, role: Role) -> tuple[Role | None, Role | None]:
    same = st.roles.get(role.department, ())
    i = st.index[role.id]
    return (same[i - 1] if i > 0 else None, same[i + 1] if i + 1 < len(same) else None)
