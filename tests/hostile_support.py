"""A handbook whose every text field holds hostile text, for the site, PDF and export tests.

``PAYLOADS`` is everything an HR user could paste (from Word, Excel, a web page or on purpose)
that means something to HTML, Markdown, Python-Markdown's extensions, Material, pymdown, Jinja,
Graphviz or a terminal. ``hostile_files()`` puts one payload into every single-value field of one
role each (so every field meets every payload) and all of them into every list field of the first
role and department. Everything must come out literally, and nothing may run, load or be read.
"""

from __future__ import annotations

import json
import textwrap
from collections.abc import Callable
from pathlib import Path

LONG = "长" + "W" * 1999  # 2,000 characters without a break opportunity (after the first)
RLO = "\u202e"  # right-to-left override
ZW = "\u200b\u200c\u200d\u2060\ufeff"  # zero-width space, (non-)joiners, word joiner, ZW no-break space

PAYLOADS: tuple[str, ...] = (
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(2)">',
    "[link](javascript:alert(3))",
    "![img](http://evil.invalid/img.png)",
    "<http://evil.invalid/autolink>",
    "# heading",
    '<div markdown="1">**bold** <iframe src="http://evil.invalid/"></iframe></div>',
    "cell | pipe | table",
    "{{ 7*7 }} {% raw %} {# c #}",
    '!!! note "admonition"',
    '--8<-- "/etc/passwd"',
    '{: onclick="alert(4)" } attr_list',
    f"{RLO}evil-rtl{RLO}",
    f"zero{ZW}width",
    "line one\n\n# line three\n\n<script>alert(5)</script>",
    "&lt;b&gt; &amp; &#60;script&#62; entities",
    "<style>body{display:none}</style><!-- comment",
    LONG,
)

PAYLOADS_SHORT = tuple(p for p in PAYLOADS if p != LONG)

ORGANISATION = '"><svg onload=alert(6)> <script>alert(7)</script> {{ 7*7 }}'

# What must never appear in any output: a line of /etc/passwd (the --8<-- include) and the
# result of evaluating the Jinja payload.
PASSWD_LINE = "root:x:0:0"


def _q(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a valid YAML double-quoted scalar


def _list(items: tuple[str, ...] | list[str], indent: int) -> str:
    pad = " " * indent
    return "".join(f"{pad}- {_q(p)}\n" for p in items)


# The single-value text fields of a role, in the order role_text writes them.
ROLE_FIELDS = ("number", "title", "approver", "revision", "summary_group", "education", "experience", "abilities", "other", "duty_group", "duty", "kpi")


def role_text(i: int, field: Callable[[str], str], lists: tuple[str, ...]) -> str:
    """Role ``r{i:02d}``: each single-value field holds ``field(name)``; every list field holds ``lists``."""
    duties = "".join(f"  - duty: {_q(p)}\n    kpis:\n{_list((p, field('kpi')), 6)}" for p in lists)
    return (
        f"number: {_q(field('number')[:1994] + f' H-{i:02d}')}\n"  # (the bound of every text field: 2,000)
        f"title: {_q(field('title'))}\n"
        + ("" if i == 0 else "reports_to: r00\n")
        + 'headcount: 1\nstatus: approved\napproval_date: "2020-01-01"\neffective_date: "2020-01-01"\n'
        + f"approver: {_q(field('approver'))}\n"
        + f"revision: {_q(field('revision'))}\n"
        + f"summary:\n{_list(lists, 2)}"
        + f"  - group: {_q(field('summary_group'))}\n    items:\n{_list(lists, 6)}"
        + "relationships:\n"
        + f"  internal:\n    percent: 40\n    parties:\n{_list(lists, 6)}"
        + f"  external:\n    percent: 60\n    parties:\n{_list(lists, 6)}"
        + "qualifications:\n"
        + "".join(f"  {k}: {_q(field(k))}\n" for k in ("education", "experience", "abilities", "other"))
        + f"duties:\n{duties}"
        + f"  - group: {_q(field('duty_group'))}\n    duties:\n"
        + f"      - duty: {_q(field('duty'))}\n        kpis: [{_q(field('kpi'))}]\n"
    )


def department_text(name: str, parent: str | None, lists: tuple[str, ...], payload: str) -> str:
    return (
        f"name: {_q(name)}\n"
        + (f"parent: {parent}\n" if parent else "")
        + f"description: {_q(payload)}\n"
        + f"duties:\n{_list(lists, 2)}"
        + f"requirements:\n{_list(lists, 2)}"
        + "workflows:\n"
        + "".join(f"  - name: {_q(p)}\n    steps:\n{_list(lists, 6)}" for p in lists)
    )


# A handbook's own mkdocs.yml that enables pymdownx.snippets on the handbook's own folder (a wider
# base is refused by check: tests/cases/invalid/mkdocs-runs-code): even then, no text from a role
# file may include a file.
SNIPPETS_MKDOCS = textwrap.dedent(
    """\
    INHERIT: {parent}
    docs_dir: docs
    markdown_extensions:
      - toc:
          permalink: true
      - tables
      - attr_list
      - md_in_html
      - admonition
      - pymdownx.snippets:
          base_path: [!relative $config_dir]
          check_paths: false
    """
)


# A logo that tries to read /etc/passwd (a file: image, a stylesheet import) and to load
# something from the network: the PDFs may use only what is inside the SVG itself. (A logo
# with an XML entity is refused by check: tests/cases/invalid/logo-svg-with-entities.)
LOGO_MARK = "LOGO-DRAWN"
EVIL_SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="160" height="40">'
    '<style>@import url("file:///etc/passwd"); text { font-size: 12px; }</style>'
    f'<text x="2" y="20">{LOGO_MARK}</text>'
    '<image href="file:///etc/passwd" width="10" height="10"/>'
    '<image xlink:href="http://evil.invalid/x.png" width="10" height="10"/>'
    '<use href="file:///etc/passwd#x"/>'
    "</svg>\n"
)


def hostile_files(*, snippets_mkdocs: Path | None = None, for_pdf: bool = False) -> dict[str, str | bytes]:
    """A handbook in two departments whose every text field is hostile.

    For the site: one role per payload (r00 … r17) whose every single-value field holds that
    payload, and r00 and department "top" hold every payload in every list field. ``for_pdf``
    makes four roles instead (rendering all of them takes a minute): r00 as above, r01 and r03
    whose single-value fields take the payloads in turn (each field a different one), and r02 with the
    2,000-character string in its title and one duty; it also adds the hostile SVG logo.
    With ``snippets_mkdocs`` (the parent mkdocs.yml to inherit from), the handbook gets its own
    mkdocs.yml with pymdownx.snippets switched on.
    """
    files: dict[str, str | bytes] = {
        "rolebook.yml": f"organisation: {_q(ORGANISATION)}\nlanguage: zh\nsignatures: true\n" + ("logo: logo.svg\n" if for_pdf else ""),
        "roles/top/_department.yaml": department_text(PAYLOADS[0], None, PAYLOADS_SHORT if for_pdf else PAYLOADS, PAYLOADS[1]),
        # the department name is repeated on every page of its roles' PDFs: not the long one there
        "roles/sub/_department.yaml": department_text(PAYLOADS[2] if for_pdf else LONG, "top", (PAYLOADS[2],), PAYLOADS[2]),
    }
    if for_pdf:
        n = len(PAYLOADS_SHORT)
        roles = {
            "top/r00": role_text(0, lambda f: PAYLOADS[0], PAYLOADS_SHORT),
            # every single-value field meets a different payload, and every payload some field
            "sub/r01": role_text(1, lambda f: PAYLOADS_SHORT[ROLE_FIELDS.index(f) % n], (PAYLOADS[1],)),
            "sub/r03": role_text(3, lambda f: PAYLOADS_SHORT[(ROLE_FIELDS.index(f) + len(ROLE_FIELDS)) % n], (PAYLOADS[3],)),
            "sub/r02": role_text(2, lambda f: LONG if f in ("title", "duty") else "long", ("long",)),
        }
    else:
        roles = {f"{'top' if i % 2 == 0 else 'sub'}/r{i:02d}": role_text(i, lambda f, p=p: p, PAYLOADS if i == 0 else (p,)) for i, p in enumerate(PAYLOADS)}  # type: ignore[misc]
    for rel, text in roles.items():
        files[f"roles/{rel}.yaml"] = text
    if for_pdf:
        files["logo.svg"] = EVIL_SVG
    if snippets_mkdocs is not None:
        files["mkdocs.yml"] = SNIPPETS_MKDOCS.format(parent=snippets_mkdocs)
        files["docs/.keep"] = ""
    return files
