"""The sidebar of the built site: a role sits under its department, open and highlighted, in a small sidebar.

Read from the HTML MkDocs + Material wrote (``build`` through the command line): on a role page
the primary navigation has the role's department section and every section above it expanded,
the role's own link marked active, its department's other roles listed, and nothing of other
departments' roles; the departments section is called "Departments", not the organisation's
name; a department of many roles lists them in sections, so a page carries one section of them.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.scratch import make_handbook, minimal
from tests.site_support import built

pytestmark = pytest.mark.slow

_ITEM = re.compile(r'<li class="md-nav__item[^"]*"')


def primary_nav(html: str) -> str:
    start = html.index('<nav class="md-nav md-nav--primary"')
    end = html.index('<div class="md-sidebar md-sidebar--secondary"', start) if 'md-sidebar--secondary"' in html[start:] else len(html)
    nav = html[start:end]
    toc = nav.find('<nav class="md-nav md-nav--secondary"')  # the page's own table of contents, drawn inside its nav item
    return nav if toc < 0 else nav[:toc] + nav[nav.index("</nav>", toc) :]


def open_sections(nav: str) -> list[str]:
    """The titles of the expanded sections (their toggle is checked), outermost first."""
    found = re.findall(
        r'<input class="md-nav__toggle md-toggle[^"]*" type="checkbox" id="__nav_[0-9_]+" checked>.*?<span class="md-ellipsis">\s*(.*?)\s*</span>', nav, re.S
    )
    return [t.strip() for t in found]


def active_links(nav: str) -> list[str]:
    return re.findall(r'<a href="([^"]*)" class="md-nav__link md-nav__link--active">', nav)


def test_a_role_page_shows_the_role_under_its_department(tmp_path: Path) -> None:
    files = minimal("en")
    files["roles/frontdesk/_department.yaml"] = "name: Front desk\nparent: cs\n"
    files["roles/frontdesk/greeter.yaml"] = "number: FD-1\ntitle: Greeter\nheadcount: 1\nstatus: draft\nduties:\n  - duty: Greet\n    kpis: [Smiles]\n"
    files["roles/ops/_department.yaml"] = "name: Operations\n"
    files["roles/ops/driver.yaml"] = "number: OP-1\ntitle: Driver\nheadcount: 1\nstatus: draft\nduties:\n  - duty: Drive\n    kpis: [On time]\n"
    root = make_handbook(tmp_path / "hb", files)
    site = built(root, root / "site")
    greeter = primary_nav((site / "roles" / "greeter.html").read_text(encoding="utf-8"))
    assert open_sections(greeter)[:1] == ["Departments"]
    assert "Front desk" in open_sections(greeter)
    assert active_links(greeter) == ["greeter.html"]
    assert "driver.html" not in greeter  # another department's roles are not drawn into this page
    organisation = (root / "rolebook.yml").read_text(encoding="utf-8").split("organisation:", 1)[1].splitlines()[0].strip().strip("\"'")
    top = re.findall(r'data-md-level="1"[^>]*>\s*<label class="md-nav__title"[^>]*>\s*<span[^>]*></span>\s*(.*?)\s*</label>', greeter, re.S)
    assert top == ["Departments"] and organisation not in top
    clerk = primary_nav((site / "roles" / "clerk.html").read_text(encoding="utf-8"))
    assert active_links(clerk) == ["clerk.html"] and "boss.html" in clerk  # the department's other roles are listed
    assert "greeter.html" not in clerk  # a sub-department's roles only when it is open
    home = primary_nav((site / "index.html").read_text(encoding="utf-8"))
    assert "clerk.html" not in home and "greeter.html" not in home  # on the home page the departments are closed


def test_the_sidebar_of_a_role_page_stays_small_in_a_large_department(tmp_path: Path) -> None:
    files = minimal("en")
    for i in range(240):
        files[f"roles/cs/x{i:03d}.yaml"] = f"number: X-{i:03d}\ntitle: Agent {i}\nheadcount: 1\nstatus: draft\nduties:\n  - duty: Answer\n    kpis: [Fast]\n"
    root = make_handbook(tmp_path / "hb", files)
    site = built(root, root / "site")
    nav = primary_nav((site / "roles" / "x150.html").read_text(encoding="utf-8"))
    assert active_links(nav) == ["x150.html"]
    groups = [t for t in open_sections(nav) if t.startswith("Positions ")]
    assert len(groups) == 1, open_sections(nav)  # the role's own group of 30 is open, the others closed
    items = len(_ITEM.findall(nav))
    assert items < 60, items  # one group of 30 roles, the group titles and the top level; not 242 roles
    assert "x010.html" not in nav and "x230.html" not in nav
