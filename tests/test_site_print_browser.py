"""A role page printed from the browser (Ctrl+P) is the form, as the PDF prints it, not the web layout.

The sample site is built through the real CLI; Chromium prints each role page (``page.pdf()``)
and lays it out for print (``emulate_media(media="print")``), light and dark.
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from rolebook.app.pipeline import check_handbook
from rolebook.labels import label
from rolebook.model import Handbook
from tests.site_support import CHROMIUM, CHROMIUM_ARGS, REPO, run_build

pytestmark = [pytest.mark.browser, pytest.mark.slow]

sync_api = pytest.importorskip("playwright.sync_api")
if not Path(CHROMIUM).exists():
    pytest.skip(f"{CHROMIUM} is not installed (scripts/setup.sh --test)", allow_module_level=True)

CHROME = (".md-header", ".md-tabs", ".md-sidebar--primary", ".md-sidebar--secondary", ".md-search", ".md-footer", ".rbs-pagehead", ".rbs-chain")
PARTS = ("part_basic", "part_summary", "part_relationships", "part_qualifications", "part_duties")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Handbook, Path]:
    out = tmp_path_factory.mktemp("site") / "site"
    done = run_build(REPO, out, "--no-pdf")
    assert done.returncode == 0, done.stderr
    hb = check_handbook(REPO, use_cache=False).handbook
    assert hb is not None
    return hb, out


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


def _page(browser: object, url: str, scheme: str = "light") -> object:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme=scheme)  # type: ignore[attr-defined]
    page = context.new_page()
    page.goto(url)
    page.wait_for_load_state("networkidle")
    return page


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_every_role_page_prints_as_the_form(site: tuple[Handbook, Path], browser: object, tmp_path: Path) -> None:
    hb, out = site
    lang = hb.settings.language
    for role in hb.roles:
        page = _page(browser, (out / "roles" / f"{role.id}.html").as_uri())
        pdf = tmp_path / f"{role.id}.pdf"
        page.pdf(path=str(pdf), format="A4")  # type: ignore[attr-defined]
        text = _squeeze(subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True, check=True).stdout)
        # the form's head: title, and organisation · department · job description
        kicker = f"{hb.settings.organisation}·{hb.department(role.department).name}·{label(lang, 'job_description')}"
        assert _squeeze(role.title) in text and _squeeze(kicker) in text, role.id
        # every part, with a word of its content
        for key in PARTS:
            assert _squeeze(label(lang, key)) in text, (role.id, key)
        assert role.number in text
        for duty in (d for g in role.duties for d in g.duties):
            assert _squeeze(duty.text)[:12] in text, (role.id, duty.text)
        if role.summary:
            assert _squeeze(role.summary[0].items[0])[:12] in text, role.id
        # none of the site's chrome: navigation, search, footer, the reporting chain, the PDF button
        for word in (label(lang, "all_positions"), label(lang, "reporting_chain"), label(lang, "print_pdf"), "Material for MkDocs"):
            assert _squeeze(word) not in text, (role.id, word)
        page.context.close()  # type: ignore[attr-defined]


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_printed_layout_is_a_ruled_form_in_black_on_white(site: tuple[Handbook, Path], browser: object, scheme: str) -> None:
    _, out = site
    page = _page(browser, (out / "roles" / "cs-manager.html").as_uri(), scheme)
    assert not page.is_visible(".rbs-print-kicker")  # type: ignore[attr-defined]  # on screen: the site's own head
    page.emulate_media(media="print")  # type: ignore[attr-defined]
    for selector in CHROME:
        assert not page.is_visible(selector), selector  # type: ignore[attr-defined]
    assert page.is_visible("h1") and page.is_visible(".rbs-print-kicker")  # type: ignore[attr-defined]
    style = page.evaluate(  # type: ignore[attr-defined]
        """() => {
          const css = (sel) => getComputedStyle(document.querySelector(sel));
          return {
            bg: css('body').backgroundColor,
            h1: css('.md-typeset h1').textAlign,
            cell: css('.rbs-basic td').borderTopStyle + ' ' + css('.rbs-basic td').borderTopWidth,
            head: css('.rbs-basic th').backgroundColor,
            row: css('.rbs-duties tr').breakInside,
            part: css('.md-typeset h2').borderLeftStyle,
            link: css('.rbs-basic a').textDecorationLine,
            width: document.querySelector('.rbs-basic').getBoundingClientRect().width / document.querySelector('article').getBoundingClientRect().width,
          };
        }"""
    )
    assert style["bg"] == "rgb(255, 255, 255)", style
    assert style["h1"] == "center"
    assert style["cell"].startswith("solid") and style["cell"] != "solid 0px", style
    assert style["head"] != "rgba(0, 0, 0, 0)"
    assert style["row"] == "avoid"
    assert style["part"] == "solid"
    assert style["link"] == "none"
    assert style["width"] > 0.99  # the tables span the page, as the form's do
    page.context.close()  # type: ignore[attr-defined]
