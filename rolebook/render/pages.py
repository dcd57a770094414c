"""The site's pages as Markdown sources, generated from the Handbook model.

MkDocs only turns these into HTML; what the pages say is decided here. Headings are Markdown
(so the table of contents, anchors and search sections work); tables and lists are raw HTML
blocks rendered by Jinja with autoescape, which Python-Markdown passes through untouched.
See ``rolebook.render.escape`` for how user text is escaped in each place.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import jinja2
from markupsafe import Markup, escape
from pymdownx.slugs import slugify  # type: ignore[import-untyped]

from rolebook.bilingual import untranslated_in
from rolebook.check.registry import LOADER_CODES, OUTPUT_CODES, Code, codes_of
from rolebook.i18n import Lang
from rolebook.labels import count, date_text, label
from rolebook.model import Department, Handbook, Role
from rolebook.render.escape import finalize, html_text, md_inline
from rolebook.render.front_matter import front_matter
from rolebook.render.languages import folder_pdf
from rolebook.render.links import (
    HANDBOOK_PDF,
    HOME,
    POSITIONS,
    REFERENCE,
    Links,
    department_pdf,
    department_src,
    role_pdf,
    role_src,
)
from rolebook.render.orgchart import ChartError, chart_failure, department_dot, organisation_dot, render_svgs
from rolebook.render.revisions import WHATS_NEW, whats_new_markdown
from rolebook.resources import TEMPLATES_DIR
from rolebook.revisions.history import NO_HISTORY, History, RoleHistory
from rolebook.revisions.news import News
from rolebook.workers import in_two

TEMPLATE_DIR = TEMPLATES_DIR / "site"
NAV_DEPTH = 3  # deeper departments are listed flat inside their level-3 ancestor's section
NAV_GROUP = 30  # a department with more roles (or sub-departments) lists them in sections of this many


@dataclass(frozen=True)
class GeneratedPage:
    src_uri: str
    title: str  # HTML-escaped: MkDocs and Material print page titles without escaping
    content: str  # the Markdown source
    in_nav: bool = True
    # Only our templates' HTML blocks, no hand-written Markdown: the blocks may be set aside
    # while Markdown runs (see split_html_blocks)
    own_blocks: bool = False


_HTML_BLOCK = re.compile(r"<([a-z][a-z0-9]*)\b[^\n]*(?:\n.*)?</\1>|<([a-z][a-z0-9]*)\b[^\n]*>", re.DOTALL)
_PLACEHOLDER = re.compile(r"<!--rolebook-block-([0-9]+)-->")


def split_html_blocks(markdown: str) -> tuple[str, tuple[str, ...]]:
    """The page source with each raw HTML block replaced by a placeholder comment, and the blocks.

    Python-Markdown passes raw HTML blocks through untouched, but parses them (twice: md_in_html
    and MkDocs' anchor finder) to find where they end — two thirds of its time on a role page.
    Our templates write each block as a paragraph of its own (blank lines around it, one element
    from its first line to its last), so setting the blocks aside and putting them back into the
    HTML gives the same page (tests/test_site_fast.py holds it to that, page by page) in a tenth
    of the time. For generated pages only: hand-written Markdown may hold ``markdown="1"`` blocks.
    """
    if "<!--rolebook-block-" in markdown:  # a placeholder would be ambiguous: leave the page to Markdown
        return markdown, ()
    out: list[str] = []
    blocks: list[str] = []
    for chunk in markdown.split("\n\n"):
        body = chunk.strip("\n")
        if body and _HTML_BLOCK.fullmatch(body):
            out.append(chunk.replace(body, f"<!--rolebook-block-{len(blocks)}-->"))
            blocks.append(body)
        else:
            out.append(chunk)
    return "\n\n".join(out), tuple(blocks)


def join_html_blocks(html: str, blocks: tuple[str, ...]) -> str:
    """Put the blocks split_html_blocks set aside back into the HTML Markdown made of the rest."""
    return _PLACEHOLDER.sub(lambda m: blocks[int(m.group(1))], html)


@dataclass(frozen=True)
class DocsPage:
    """A hand-written page from the handbook's docs/ folder (plain-text title)."""

    src_uri: str
    title: str


@dataclass(frozen=True)
class Stats:
    """Per department: its roles, its own headcount and its headcount including sub-departments."""

    roles: Mapping[str, tuple[Role, ...]]
    own: Mapping[str, int]
    total: Mapping[str, int]
    depth: Mapping[str, int]
    index: Mapping[str, int]  # role id -> its place in its department's roles


def stats(handbook: Handbook) -> Stats:
    """One pass over the roles (the model's per-department helpers are O(roles) per call)."""
    roles: dict[str, list[Role]] = {d.id: [] for d in handbook.departments}
    for r in handbook.roles:
        roles.setdefault(r.department, []).append(r)
    own = {d: sum(r.headcount for r in rs) for d, rs in roles.items()}
    total = dict(own)
    depth: dict[str, int] = {}
    for d in handbook.departments:  # tree order: a parent comes before its children
        depth[d.id] = depth[d.parent] + 1 if d.parent in depth else 0
    for d in reversed(handbook.departments):
        if d.parent is not None and d.parent in total:
            total[d.parent] += total[d.id]
    index = {r.id: i for rs in roles.values() for i, r in enumerate(rs)}
    return Stats({d: tuple(rs) for d, rs in roles.items()}, own, total, depth, index)


def make_environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATE_DIR)),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
        finalize=finalize,  # a missing translation shows the main language's text, marked
        auto_reload=False,  # a fresh environment per build: no stat of every template on every page
    )
    env.filters["md"] = md_inline
    env.filters["text"] = html_text
    env.filters["code"] = code_spans
    env.globals.update(role_src=role_src, department_src=department_src, anchor=anchor, untranslated_in=untranslated_in, text_cells=text_cells)
    return env


def text_cells(items: Sequence[str], empty: object) -> Markup:
    """The macro ``cell_list`` of _macros.md.j2 for texts shown as they are (``| text``), the same HTML: one item
    is plain text, more a list (many in columns), none ``empty``. A role page has one in every duty's row,
    and a Jinja macro with a caller costs several times this."""
    if len(items) == 1:
        return html_text(items[0])
    if items:
        many = " rbs-list-many" if len(items) > 8 else ""
        return Markup(f'<ul class="rbs-list{many}">' + "".join(f"<li>{html_text(item)}</li>" for item in items) + "</ul>")
    return escape(finalize(empty))


_SLUGIFY = slugify(case="lower")


def anchor(heading: str) -> str:
    """The anchor the site's Markdown (toc with pymdownx's slugify, as in mkdocs.yml) gives a heading."""
    return str(_SLUGIFY(heading, "-"))


def page_title(text: str) -> str:
    """A plain-text title as MkDocs expects it: one line, HTML-escaped."""
    return str(escape(" ".join(text.split())))


@dataclass(frozen=True)
class Renderer:
    handbook: Handbook
    directory_urls: bool = False
    pdf_links: bool = True  # the site is published with its PDFs (pdf/): pages link them
    history: History = NO_HISTORY  # each role's revision history (rolebook/revisions/history.py)
    env: jinja2.Environment = field(default_factory=make_environment)
    folder: str = ""  # where these pages sit in the whole site: "" (main language) or a language's folder ("en")

    @property
    def lang(self) -> Lang:
        return self.handbook.settings.language

    def L(self, key: str, **args: object) -> str:
        return label(self.lang, key, **args)

    def links(self, src_uri: str) -> Links:
        return Links(src_uri, self.directory_urls, self.folder)

    def pdf(self, site_path: str) -> str | None:
        """A PDF's path from the whole site's root (``pdf/en/roles/…`` for a language's folder); None without PDFs."""
        return folder_pdf(site_path, self.folder) if self.pdf_links else None

    def C(self, key: str, n: int) -> str:
        return count(self.lang, key, n)

    def D(self, iso: str) -> str:
        return date_text(self.lang, iso)

    def render(self, template: str, src_uri: str, **context: Any) -> str:
        return self.env.get_template(template).render(L=self.L, C=self.C, D=self.D, links=self.links(src_uri), handbook=self.handbook, **context)

    # -- pages --------------------------------------------------------------

    def role_meta(self, role: Role, neighbours: tuple[Role | None, Role | None]) -> dict[str, Any]:
        """What the footer shows for a role page (see templates/site/theme/partials/footer.html), HTML-escaped:
        the document number, revision and effective date, and the roles before and after it in its department."""
        links = self.links(role_src(role.id))
        footer = [role.number]
        if role.revision:
            footer.append(self.L("footer_revision", revision=role.revision))
        if role.effective_date:
            footer.append(self.L("footer_effective", date=self.D(role.effective_date)))
        meta: dict[str, Any] = {"footer": [page_title(item) for item in footer]}
        for key, other in zip(("prev", "next"), neighbours, strict=True):
            if other is not None:
                meta[f"{key}_url"] = links.page(role_src(other.id))
                meta[f"{key}_title"] = page_title(other.title)
        return meta

    def role_page(self, role: Role, neighbours: tuple[Role | None, Role | None] = (None, None)) -> GeneratedPage:
        hb = self.handbook
        src = role_src(role.id)
        groups: list[tuple[str | None, list[tuple[int, Any]]]] = []
        n = 0
        for g in role.duties:
            items = []
            for d in g.duties:
                n += 1
                items.append((n, d))
            groups.append((g.name, items))
        body = self.render(
            "role.md.j2",
            src,
            role=role,
            department=hb.department(role.department),
            dept_chain=hb.department_chain(role.department),
            superior=hb.role(role.reports_to) if role.reports_to else None,
            subordinates=[hb.role(s) for s in role.subordinates],
            chain=hb.chain(role.id),
            pdf=self.pdf(role_pdf(role.id)),
            duty_groups=groups,
            history=self._history(role.id),
            history_missing=self._history_missing(),
        )
        title = page_title(role.title)
        meta = front_matter(title, rolebook=self.role_meta(role, neighbours))
        return GeneratedPage(src, title, meta + body, own_blocks=True)

    def _history(self, role_id: str) -> RoleHistory | None:
        h = self.history.of(role_id) if self.history.available else None
        return h if h is not None and (h.revisions or h.uncommitted or h.since) else None

    def _history_missing(self) -> str | None:
        """Why a role page shows no revision history, when it was read and is not available."""
        kind = self.history.missing
        if self.history.available or not kind:
            return None
        return self.L("history_missing_" + ("no_git" if kind == "no-git" else "repository" if kind == "not-a-repository" else "unreadable"))

    def department_page(self, dept: Department, st: Stats, chart: Markup | None) -> GeneratedPage:
        hb = self.handbook
        src = department_src(dept.id)
        roles = st.roles.get(dept.id, ())
        children = [(d, len(st.roles.get(d.id, ())), st.total.get(d.id, 0)) for d in hb.child_departments(dept.id)]
        first_summary = {r.id: next((i for g in r.summary for i in g.items), "") for r in roles}
        body = self.render(
            "department.md.j2",
            src,
            dept=dept,
            dept_chain=hb.department_chain(dept.id),
            pdf=self.pdf(department_pdf(dept.id)),
            staffing=[(r, r.headcount) for r in roles],
            own_headcount=st.own.get(dept.id, 0),
            children=children,
            chart=chart,
            first_summary=first_summary,
        )
        title = page_title(dept.name)
        return GeneratedPage(src, title, front_matter(title) + body, own_blocks=True)

    def home_page(self, st: Stats, chart: Markup | None, docs_pages: Sequence[DocsPage], intro: str) -> GeneratedPage:
        hb = self.handbook
        departments = [(d, st.depth[d.id], len(st.roles.get(d.id, ())), st.own.get(d.id, 0), st.total.get(d.id, 0)) for d in hb.departments]
        body = self.render(
            "home.md.j2",
            HOME,
            people=sum(r.headcount for r in hb.roles),
            departments=departments,
            chart=chart,
            docs_pages=[(p.src_uri, p.title) for p in docs_pages],
            intro=Markup(intro.strip()),  # the handbook's own docs/index.md: hand-written Markdown, trusted like every docs page
            positions_src=POSITIONS,
            pdf=self.pdf(HANDBOOK_PDF),
        )
        return GeneratedPage(HOME, page_title(self.L("home")), body)

    def positions_page(self) -> GeneratedPage:
        title = page_title(self.L("all_positions"))
        # Not indexed for search: every role in its table has an entry of its own, and parsing a
        # 10,000-row table for nothing took seconds of the build.
        meta = front_matter(title, search={"exclude": True}, hide=["toc"])  # no headings to list: the table gets the width
        roles = sorted(self.handbook.roles, key=lambda r: (number_key(r.number), r.id))
        return GeneratedPage(POSITIONS, title, meta + self.render("positions.md.j2", POSITIONS, roles=roles), own_blocks=True)

    def reference_page(self) -> GeneratedPage:
        stages = [(stage, [_CodeDoc(c.code, c.severity, Markup(doc_for_lang(c.doc, self.lang))) for c in codes]) for stage, codes in problem_codes()]
        title = page_title(self.L("problem_codes"))
        return GeneratedPage(REFERENCE, title, front_matter(title) + self.render("reference.md.j2", REFERENCE, stages=stages))


_DIGITS = re.compile(r"([0-9]+)")


def number_key(number: str) -> tuple[tuple[int, str], ...]:
    """Document numbers in the order people count them: 客-2 before 客-10, NW-0009 before NW-0010."""
    return tuple((int(part), "") if part.isdigit() else (-1, part.casefold()) for part in _DIGITS.split(number) if part)


@dataclass(frozen=True)
class _CodeDoc:
    code: str
    severity: str
    doc_md: Markup


def problem_codes() -> list[tuple[str, tuple[Code, ...]]]:
    """Every problem code, by the stage that reports it: reading files, the schema, the checks across files,
    and the spreadsheet export and import."""
    from rolebook.check.handbook import CHECKS, FILE_CHECKS
    from rolebook.check.schema import CODES as SCHEMA_CODES
    from rolebook.sheets.codes import IMPORT_CODES, SHEET_CODES

    seen: set[str] = set()

    def unique(codes: Iterable[Code]) -> tuple[Code, ...]:
        out = []
        for c in codes:
            if c.code not in seen:
                seen.add(c.code)
                out.append(c)
        return tuple(out)

    return [
        ("stage_loading", unique(LOADER_CODES)),
        ("stage_schema", unique(SCHEMA_CODES)),
        ("stage_checks", unique(c for fn in (*FILE_CHECKS, *CHECKS) for c in codes_of(fn))),
        ("stage_export", unique(SHEET_CODES)),
        ("stage_import", unique(IMPORT_CODES)),
        ("stage_output", unique(OUTPUT_CODES)),
    ]


_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]")
_LATIN_WORD = re.compile(r"[A-Za-z]+")


def doc_for_lang(doc: str, lang: Lang) -> str:
    """The paragraphs of a bilingual docstring in one language. A paragraph is Chinese when it has more
    than half as many CJK characters as Latin words: a Chinese paragraph names config keys
    (pymdownx.snippets …), an English one may quote a Chinese term, and neither changes its side."""
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", doc) if p.strip()]
    picked = [p for p in paragraphs if (2 * len(_CJK.findall(p)) > len(_LATIN_WORD.findall(p))) == (lang == "zh")]
    return "\n\n".join(picked or paragraphs)


_CODE_SPAN = re.compile(r"`([^`]+)`")


def code_spans(text: str) -> Markup:
    """A label's text, HTML-escaped, with its `backticked` parts as <code> (labels are plain text, not Markdown)."""
    return Markup(_CODE_SPAN.sub(lambda m: f"<code>{m.group(1)}</code>", str(escape(text))))


def site_nav(handbook: Handbook, docs_pages: Sequence[DocsPage], L: Callable[..., str], *, whats_new: bool = False) -> list[Any]:
    """MkDocs ``nav``: home, the departments, all positions, What's new (when there is history), problem codes, hand-written pages.

    The departments are one section, titled "Departments" (with a single top department, its
    page is the section's page); in it each department is a section with its page, its roles and
    its sub-departments, so a role page's sidebar shows it under its department, highlighted.
    Material draws only the open branch into a page (``navigation.prune``), so what a page
    carries stays small however many roles and departments there are: departments below NAV_DEPTH
    are listed flat inside their ancestor's section, and more than NAV_GROUP roles or
    sub-departments of one department are listed in sections of NAV_GROUP (Material draws every
    entry of an open section, and looks at every child of each, so a page's cost follows the
    longest list on its path, not the handbook's size).
    """
    kids: dict[str | None, list[Department]] = {}
    for d in handbook.departments:
        kids.setdefault(d.parent, []).append(d)
    roles: dict[str, list[Role]] = {}
    for r in handbook.roles:
        roles.setdefault(r.department, []).append(r)

    def descendants(dept_id: str) -> list[Department]:
        out: list[Department] = []
        stack = list(reversed(kids.get(dept_id, [])))
        while stack:
            d = stack.pop()
            out.append(d)
            stack.extend(reversed(kids.get(d.id, [])))
        return out

    def grouped(entries: list[Any], key: str) -> list[Any]:
        """Entries beyond NAV_GROUP in sections of NAV_GROUP ("岗位 1–30" …): Material then draws one of them into a page."""
        if len(entries) <= NAV_GROUP:
            return entries
        return [{page_title(L(key, first=k + 1, last=min(k + NAV_GROUP, len(entries)))): entries[k : k + NAV_GROUP]} for k in range(0, len(entries), NAV_GROUP)]

    def role_entries(dept_id: str) -> list[Any]:
        return grouped([{page_title(r.title): role_src(r.id)} for r in roles.get(dept_id, [])], "positions_range")

    def section(d: Department, level: int) -> list[Any]:
        """The items of a department's section: its page, its roles, its sub-departments."""
        items: list[Any] = [department_src(d.id), *role_entries(d.id)]
        if level >= NAV_DEPTH:  # deeper departments: listed flat here, each followed by its roles
            for c in descendants(d.id):
                items.append({page_title(c.name): department_src(c.id)})
                items.extend(role_entries(c.id))
        else:
            items.extend(grouped([entry(c, level + 1) for c in kids.get(d.id, [])], "departments_range"))
        return items

    def entry(d: Department, level: int) -> Any:
        items = section(d, level)
        return {page_title(d.name): items if len(items) > 1 else department_src(d.id)}

    top = kids.get(None, [])
    departments: list[Any] = section(top[0], 1) if len(top) == 1 else grouped([entry(d, 2) for d in top], "departments_range")
    nav: list[Any] = [{page_title(L("home")): HOME}]
    if departments:
        nav.append({page_title(L("departments")): departments})
    nav.append({page_title(L("all_positions")): POSITIONS})
    if whats_new:
        nav.append({page_title(L("whats_new")): WHATS_NEW})
    nav.append({page_title(L("problem_codes")): REFERENCE})
    nav.extend({page_title(p.title): p.src_uri} for p in docs_pages)
    return nav


ROLES_IN_TWO = 200  # role pages rendered in two processes from this many on (rolebook.workers.in_two)


def render_pages(
    handbook: Handbook,
    *,
    directory_urls: bool = False,
    docs_pages: Sequence[DocsPage] = (),
    intro: str = "",
    pdf_links: bool = True,
    history: History = NO_HISTORY,
    news: News | None = None,
    folder: str = "",
) -> list[GeneratedPage]:
    """Every generated page of the site, in a fixed order. Runs Graphviz for the org charts.
    ``pdf_links``: the PDFs are published with the site, so the pages link them.
    ``history``: the roles' revision histories, shown on their pages; ``news``: what the "What's new" page lists;
    ``folder``: where this site sits in the whole site ("" for the main language, "en" for English beside it)."""
    r = Renderer(handbook, directory_urls, pdf_links, history, folder=folder)
    st = stats(handbook)
    charted = [d for d in handbook.departments if st.roles.get(d.id)]
    sources = [organisation_dot(handbook, r.links(HOME), st.total)]
    sources += [department_dot(handbook, d.id, r.links(department_src(d.id))) for d in charted]
    try:
        svgs = [Markup(s) for s in render_svgs(sources)]
    except ChartError as e:
        raise ChartError(chart_failure(handbook, charted, e), e.chart, e.node) from None
    dept_charts = dict(zip((d.id for d in charted), svgs[1:], strict=True))
    pages = [r.home_page(st, svgs[0], docs_pages, intro)]
    pages += [r.department_page(d, st, dept_charts.get(d.id)) for d in handbook.departments]
    pages += in_two(lambda roles: [r.role_page(role, _neighbours(st, role)) for role in roles], handbook.roles, least=ROLES_IN_TWO)
    pages += [r.positions_page(), r.reference_page()]
    if news is not None:
        title = page_title(r.L("whats_new"))
        pages.append(GeneratedPage(WHATS_NEW, title, front_matter(title) + whats_new_markdown(news, r.links(WHATS_NEW)), own_blocks=True))
    return pages


def _neighbours(st: Stats, role: Role) -> tuple[Role | None, Role | None]:
    """The roles before and after ``role`` in its department's list (the department page's order)."""
    same = st.roles.get(role.department, ())
    i = st.index[role.id]
    return (same[i - 1] if i > 0 else None, same[i + 1] if i + 1 < len(same) else None)
