"""Print HTML for the job-description PDFs: one document per role, per department, and the handbook.

Rendering returns strings and reads no file of the handbook (the logo is passed in); writing PDFs is
``rolebook.outputs.pdf``'s job. The HTML is
self-contained (the stylesheet is inlined, the logo is a ``data:`` URL), so a document's
HTML is everything its PDF depends on apart from fonts and the WeasyPrint version — the
PDF cache keys on it.
"""

from __future__ import annotations

import base64
import dataclasses
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal
from urllib.parse import quote
from xml.sax.saxutils import escape as xml_escape

import jinja2
from markupsafe import Markup

from rolebook import __version__
from rolebook.i18n import Lang
from rolebook.labels import count, date_text, label
from rolebook.load.files import SETTINGS_FILE
from rolebook.load.logo import Logo
from rolebook.model import Department, Handbook, Role
from rolebook.render.links import Links
from rolebook.render.orgchart import FONT as CHART_FONT
from rolebook.render.orgchart import department_dot, render_svgs
from rolebook.resources import TEMPLATES_DIR

TEMPLATE_DIR = TEMPLATES_DIR / "print"
PRINT_CSS = TEMPLATE_DIR / "print.css"
TIGHT_CSS = TEMPLATE_DIR / "tight.css"  # the form tightened to fit a page (rolebook.outputs.pdf.engine.fitted)

DocKind = Literal["role", "department", "handbook"]

# BCP 47 tags for <html lang>: PDF /Lang, and Pango picks the Simplified Chinese glyph forms.
HTML_LANG = {"zh": "zh-CN", "en": "en"}


@dataclass(frozen=True)
class PrintDocument:
    """One printable document.

    ``sources`` are the handbook files (relative paths) whose words appear in it, most
    specific first: a problem found while printing (a character no font has) is reported
    at the first of them that holds the offending text.
    """

    kind: DocKind
    ident: str  # role id, department id, or "handbook"
    title: str
    html: str
    sources: tuple[str, ...]
    role_ids: tuple[str, ...]


def make_environment() -> jinja2.Environment:
    """The Jinja environment for the print templates (autoescape on, undefined names fail)."""
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATE_DIR)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def css_string(text: str) -> str:
    """``text`` as a double-quoted CSS string."""
    out = []
    for ch in text:
        if ch in '"\\':
            out.append("\\" + ch)
        elif ch == "\n" or ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\{ord(ch):x} ")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


# CSS page sizes of the settings' ``paper`` (print.css is A4).
PAGE_SIZES = {"a4": "A4", "letter": "letter"}


def page_css(lang: Lang, paper: str = "a4") -> str:
    """The handbook-dependent part of the print stylesheet: the paper, "page x of y" and the draft watermark."""
    words = label(lang, "page_x_of_y")
    before, _, rest = words.partition("{x}")
    middle, _, after = rest.partition("{y}")
    parts = []
    for text, counter in ((before, "page"), (middle, "pages"), (after, None)):
        if text:
            parts.append(css_string(text))
        if counter:
            parts.append(f"counter({counter})")
    watermark = label(lang, "watermark_draft")
    svg = (
        "<svg xmlns='http://www.w3.org/2000/svg' width='600' height='848' viewBox='0 0 600 848'>"
        "<text x='300' y='424' text-anchor='middle' dominant-baseline='middle' transform='rotate(-50 300 424)' "
        "font-family='Rolebook Noto Sans CJK SC, Noto Sans CJK SC, Noto Sans, sans-serif' font-size='92' font-weight='bold' fill='#c0392b' fill-opacity='0.16'>"
        f"{xml_escape(watermark)}</text></svg>"
    )
    data = "data:image/svg+xml;charset=utf-8," + quote(svg, safe="")
    size = f"@page {{ size: {PAGE_SIZES.get(paper, 'A4')}; }}\n" if paper != "a4" else ""
    return size + f'@page {{ @bottom-right {{ content: {" ".join(parts)}; }} }}\n@page rb-draft {{ background: url("{data}") center / 100% 100% no-repeat; }}\n'


def logo_data_url(logo: Logo | None) -> str | None:
    """The logo (read by the caller, rolebook.load.logo) as a ``data:`` URL, or None when there is none."""
    if logo is None:
        return None
    return f"data:{logo.mime};base64,{base64.b64encode(logo.data).decode('ascii')}"


class _NoLinks(Links):
    """Chart boxes on paper link nowhere (the site's charts link to the pages)."""

    def page(self, src_uri: str) -> str:
        return ""


def department_charts(handbook: Handbook, draw: Callable[[Sequence[str]], list[str]] = render_svgs) -> dict[str, str]:
    """Each department's org chart (the site's: its positions in their reporting tree) as a ``data:``
    URL of its SVG, by department id; departments without positions have none. ``draw`` gives the SVGs
    of Graphviz sources in order (default: runs Graphviz; the PDF build's reuses the ones it keeps,
    rolebook.outputs.pdf.plan) and raises rolebook.render.orgchart.ChartError."""
    charted = [d for d in handbook.departments if handbook.roles_in(d.id)]
    svgs = draw([department_dot(handbook, d.id, _NoLinks("")) for d in charted])
    return {d.id: svg_data_url(svg.replace(f'font-family="{CHART_FONT}', f'font-family="{PRINT_CHART_FONT}')) for d, svg in zip(charted, svgs, strict=True)}


# The charts' text in the build's cut-down faces, as the rest of the PDF (rolebook.outputs.pdf.fonts).
PRINT_CHART_FONT = f"Rolebook {CHART_FONT}, {CHART_FONT}, Noto Sans, sans-serif"


def svg_data_url(svg: str) -> str:
    """``svg`` as a ``data:`` URL that keeps its characters as they are (only ``%``, ``#`` and line
    breaks are encoded), so the build's font repertoire, read from the HTML, holds the chart's too."""
    text = svg.replace("%", "%25").replace("#", "%23").replace("\r", "%0D").replace("\n", "%0A")
    return "data:image/svg+xml;charset=utf-8," + text


@dataclass(frozen=True)
class PrintContext:
    env: jinja2.Environment
    handbook: Handbook
    css: str
    logo: str | None
    charts: Mapping[str, str] = dataclasses.field(default_factory=dict)  # department id -> its org chart (data: URL)

    def common(self, kind: DocKind, title: str, description: str, timestamp: str | None) -> dict[str, object]:
        hb = self.handbook
        lang = hb.settings.language

        def labels(key: str, **args: object) -> str:
            return label(lang, key, **args)

        def title_of(role_id: str | None) -> str:
            return hb.role(role_id).title if role_id else ""

        def join(items: tuple[str, ...]) -> str:
            return ("、" if lang == "zh" else ", ").join(items)

        def subordinate_cells(role_ids: tuple[str, ...]) -> list[tuple[str, str]]:
            return [(hb.role(r).number, hb.role(r).title) for r in role_ids]

        def party_cells(parties: tuple[str, ...]) -> list[tuple[str, str]]:
            return [("", p) for p in parties]

        def titles_of(role_ids: tuple[str, ...]) -> str:
            return join(tuple(hb.role(r).title for r in role_ids))

        def long_subordinates(role_ids: tuple[str, ...]) -> bool:
            return flows_as_list(tuple(hb.role(r).title for r in role_ids), SUBORDINATES_CHARS)

        def long_parties(parties: tuple[str, ...]) -> bool:
            return flows_as_list(parties, PARTIES_CHARS)

        def dept_name(dept_id: str) -> str:
            return hb.department(dept_id).name

        def depth(dept_id: str) -> int:
            return len(hb.department_chain(dept_id)) - 1

        return {
            "hb": hb,
            "settings": hb.settings,
            "lang": lang,
            "html_lang": HTML_LANG.get(lang, lang),
            "kind": kind,
            "doc_title": title,
            "description": description,
            "timestamp": timestamp,
            "version": __version__,
            "css": Markup(self.css),
            "page_css": Markup(page_css(lang, hb.settings.paper)),
            "logo": self.logo,
            "charts": self.charts,
            "dash": label(lang, "none"),
            "L": labels,
            "C": lambda key, n: count(lang, key, n),
            "title_of": title_of,
            "titles_of": titles_of,
            "subordinate_cells": subordinate_cells,
            "party_cells": party_cells,
            "join": join,
            "long_subordinates": long_subordinates,
            "long_parties": long_parties,
            "list_columns": LIST_COLUMNS,
            "dept_name": dept_name,
            "depth": depth,
            "control": _control_line(hb),
        }


# A list of names longer than this (items, or characters together) is not run into its table cell
# as "a, b, c": it flows after the table as a list in columns, which can break across pages.
INLINE_ITEMS = 8
SUBORDINATES_CHARS = 60  # the direct reports' cell: a quarter of the page's width
PARTIES_CHARS = 160  # the parties' cell of the work relationships: over half of it
LIST_COLUMNS = 3  # such a list's columns across the page


def flows_as_list(items: tuple[str, ...], budget: int) -> bool:
    """Whether ``items`` are too many or too long (``budget`` characters) to print in one table cell."""
    return len(items) > INLINE_ITEMS or sum(len(item) + 1 for item in items) > budget


def _control_line(hb: Handbook) -> Callable[[Role], str]:
    lang = hb.settings.language
    sep = label(lang, "label_sep")
    dash = label(lang, "none")

    def control(role: Role) -> str:
        parts = [
            f"{label(lang, 'effective_date')}{sep}{role.effective_date or dash}",
            f"{label(lang, 'revision')}{sep}{role.revision or dash}",
            f"{label(lang, 'status')}{sep}{label(lang, 'status_' + role.status)}",
        ]
        return "    ".join(parts)

    return control


def _check_css(css: str) -> str:
    if "</" in css:
        raise ValueError(f"{PRINT_CSS} must not contain '</'")
    return css


def make_context(
    handbook: Handbook, env: jinja2.Environment | None = None, css: str | None = None, *, logo: Logo | None = None, charts: Mapping[str, str] | None = None
) -> PrintContext:
    """Everything the templates need that does not change from document to document.

    ``logo``: the settings' logo, read by the caller (rendering reads no file of the handbook);
    ``charts``: the departments' org charts (department_charts), when they are to be printed.
    """
    return PrintContext(
        env=env or make_environment(),
        handbook=handbook,
        css=_check_css(css if css is not None else PRINT_CSS.read_text(encoding="utf-8")),
        logo=logo_data_url(logo),
        charts=dict(charts or {}),
    )


def _role_sources(hb: Handbook, role: Role) -> tuple[str, ...]:
    related = [hb.role(role.reports_to).source] if role.reports_to else []
    related += [hb.role(s).source for s in role.subordinates]
    dept = hb.department(role.department).source
    return _unique((role.source, *related, dept, SETTINGS_FILE))


def _unique(items: tuple[str, ...] | list[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(items))


def role_document(ctx: PrintContext, role: Role, timestamp: str | None = None) -> PrintDocument:
    hb = ctx.handbook
    title = f"{role.number} {role.title}"
    lang = hb.settings.language
    description = f"{label(lang, 'job_description')}{label(lang, 'label_sep')}{hb.department(role.department).name} · {role.title}"
    html = ctx.env.get_template("role.html.j2").render(role=role, **ctx.common("role", title, description, timestamp))
    return PrintDocument("role", role.id, title, html, _role_sources(hb, role), (role.id,))


def department_document(ctx: PrintContext, dept: Department, timestamp: str | None = None) -> PrintDocument:
    """The department's own pages (its overview). Its PDF appends the job descriptions of its positions."""
    hb = ctx.handbook
    roles = hb.roles_in(dept.id)
    title = f"{dept.name} · {label(hb.settings.language, 'job_description')}"
    html = ctx.env.get_template("department.html.j2").render(dept=dept, **ctx.common("department", title, dept.description or "", timestamp))
    sources = [dept.source] + [r.source for r in roles]
    sources += [d.source for d in hb.department_chain(dept.id)] + [d.source for d in hb.child_departments(dept.id)]
    return PrintDocument("department", dept.id, title, html, _unique(sources), tuple(r.id for r in roles))


# Links of the contents to the handbook's pages: "rolebook-page:<n>". The assembled PDF turns them
# into links to page n (rolebook.outputs.pdf.assemble); nothing else ever sees them.
PAGE_LINK = "rolebook-page:"


def handbook_document(ctx: PrintContext, timestamp: str | None = None, pages: Mapping[str, int] | None = None, date: str | None = None) -> PrintDocument:
    """The handbook's front matter: cover and contents, with the page each department and position starts on.

    ``pages`` maps ``"dept:<id>"`` and ``"role:<id>"`` to handbook page numbers (the cover is page 1);
    ``date`` (YYYY-MM-DD) is the handbook's date on the cover (none when the data gives none).
    """
    hb = ctx.handbook
    lang = hb.settings.language
    numbers = pages or {}
    title = f"{hb.settings.organisation} · {label(lang, 'handbook')}"
    html = ctx.env.get_template("handbook.html.j2").render(
        page_of=lambda key: numbers.get(key, 0),
        page_link=PAGE_LINK,
        cover_date=date_text(lang, date) if date else None,
        **ctx.common("handbook", title, "", timestamp),
    )
    sources = [r.source for r in hb.roles] + [d.source for d in hb.departments] + [SETTINGS_FILE]
    return PrintDocument("handbook", "handbook", title, html, _unique(sources), tuple(r.id for r in hb.roles))


def role_fragment(handbook: Handbook, role: Role, env: jinja2.Environment | None = None) -> Markup:
    """The role's standard form as an HTML fragment (``<article class="rb-role">``), for embedding in a site page.

    Styled by ``templates/print/print.css``; everything the user typed is escaped.
    """
    ctx = PrintContext(env or make_environment(), handbook, "", None)
    template = ctx.env.from_string('{% from "_form.html.j2" import role_form with context %}{{ role_form(role) }}')
    return Markup(template.render(role=role, **ctx.common("role", role.title, "", None)))


__all__ = [
    "PAGE_LINK",
    "PRINT_CSS",
    "TEMPLATE_DIR",
    "TIGHT_CSS",
    "PrintContext",
    "PrintDocument",
    "department_document",
    "handbook_document",
    "logo_data_url",
    "make_context",
    "make_environment",
    "page_css",
    "role_document",
    "role_fragment",
]
