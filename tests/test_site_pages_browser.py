"""The English handbook's pages in Chromium (words never split, phones scroll wide tables, dark
charts stay readable, the filter says when nothing matches, the 404 page finds home from a
sub-folder) and its PDFs scanned for Chinese. Slow: one build with PDFs, one browser."""

from __future__ import annotations

import functools
import http.server
import re
import shutil
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from rolebook.cli import main
from tests.en_handbook import english_handbook
from tests.scratch import make_handbook
from tests.site_support import CHROMIUM, CHROMIUM_ARGS, free_port

pytestmark = [pytest.mark.browser, pytest.mark.slow]

sync_api = pytest.importorskip("playwright.sync_api")
if not Path(CHROMIUM).exists():
    pytest.skip(f"{CHROMIUM} is not installed (scripts/setup.sh --test)", allow_module_level=True)

CJK = re.compile(r"[\u2e80-\u9fff\u3000-\u303f\uf900-\ufaff\uff00-\uffef]")

# Words whose line boxes differ: a word broken across lines (the page's text nodes, word by word).
SPLIT_WORDS = """() => {
  const out = [];
  const walker = document.createTreeWalker(document.querySelector("article"), NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    for (const m of node.data.matchAll(/[A-Za-z]{2,}/g)) {
      const range = document.createRange();
      range.setStart(node, m.index);
      range.setEnd(node, m.index + m[0].length);
      const tops = new Set(Array.from(range.getClientRects()).filter(r => r.width > 1).map(r => Math.round(r.top)));
      if (tops.size > 1) out.push(m[0]);
    }
  }
  return out;
}"""


@pytest.fixture(scope="module")
def en_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = make_handbook(tmp_path_factory.mktemp("en"), english_handbook(roles=60, departments=5, big=24))
    assert main(["build", str(root)]) == 0
    return root / "site"


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


def _open(browser: object, url: str, width: int = 1280, scheme: str = "light") -> object:
    context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=scheme)  # type: ignore[attr-defined]
    page = context.new_page()
    page.goto(url)
    page.wait_for_load_state("networkidle")
    return page


def test_no_english_word_is_split_across_lines(browser: object, en_site: Path) -> None:
    for width in (1280, 390):
        for rel in ("index.html", "positions.html", "roles/r0002.html", "roles/r0012.html", "departments/d01/index.html"):
            page = _open(browser, (en_site / rel).as_uri(), width)
            assert page.evaluate(SPLIT_WORDS) == [], (width, rel)  # type: ignore[attr-defined]
            page.context.close()  # type: ignore[attr-defined]


def test_on_a_phone_wide_tables_scroll_with_a_hint_and_the_page_does_not(browser: object, en_site: Path) -> None:
    page = _open(browser, (en_site / "positions.html").as_uri(), 390)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # type: ignore[attr-defined]
    scroll = page.locator(".rbs-scroll").first  # type: ignore[attr-defined]
    assert scroll.evaluate("e => e.scrollWidth > e.clientWidth")
    assert page.locator(".rbs-scroll-hint").first.is_visible()  # type: ignore[attr-defined]
    seq = _open(browser, (en_site / "roles/r0002.html").as_uri(), 390)
    width = seq.locator(".rbs-duties th").first.evaluate("e => e.getBoundingClientRect().width")  # type: ignore[attr-defined]
    assert width < 60  # 序号 / No. stays narrow
    page.context.close()  # type: ignore[attr-defined]
    seq.context.close()  # type: ignore[attr-defined]
    desktop = _open(browser, (en_site / "positions.html").as_uri(), 1280)
    assert not desktop.locator(".rbs-scroll-hint").first.is_visible()  # type: ignore[attr-defined]
    desktop.context.close()  # type: ignore[attr-defined]


def test_filter_that_hides_every_row_says_so_and_keeps_the_widths(browser: object, en_site: Path) -> None:
    page = _open(browser, (en_site / "positions.html").as_uri())
    widths = "() => Array.from(document.querySelectorAll('#rbs-positions th')).map(th => Math.round(th.getBoundingClientRect().width))"
    before = page.evaluate(widths)  # type: ignore[attr-defined]
    assert not page.locator(".rbs-nomatch").is_visible()  # type: ignore[attr-defined]
    page.fill(".rbs-filter", "zzzz-nothing")  # type: ignore[attr-defined]
    assert page.locator(".rbs-nomatch").inner_text() == "No position matches the filter."  # type: ignore[attr-defined]
    assert page.evaluate(widths) == before  # type: ignore[attr-defined]
    page.fill(".rbs-filter", "NW-0002")  # type: ignore[attr-defined]
    assert not page.locator(".rbs-nomatch").is_visible()  # type: ignore[attr-defined]
    page.context.close()  # type: ignore[attr-defined]


def test_dark_scheme_keeps_chart_boxes_readable(browser: object, en_site: Path) -> None:
    page = _open(browser, (en_site / "departments/d01/index.html").as_uri(), scheme="dark")
    assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == "slate"  # type: ignore[attr-defined]
    # a filled box (a draft's dashed box has no fill of its own on paper)
    box = page.locator(".rbs-chart .node path:not([fill='none']), .rbs-chart .node polygon:not([fill='none'])").first  # type: ignore[attr-defined]
    text = page.locator(".rbs-chart .node text").first  # type: ignore[attr-defined]
    fill = box.evaluate("e => getComputedStyle(e).fill")
    ink = text.evaluate("e => getComputedStyle(e).fill")
    assert fill == "rgb(43, 47, 69)" and ink == "rgb(232, 234, 246)"  # light text on a dark box
    page.click("label[for='__palette_0']")  # type: ignore[attr-defined]
    assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == "default"  # type: ignore[attr-defined]
    assert box.evaluate("e => getComputedStyle(e).fill") == "rgb(255, 255, 255)"
    page.context.close()  # type: ignore[attr-defined]


class _Handler(http.server.SimpleHTTPRequestHandler):
    """A static server that answers a missing file with the site's 404.html, as web servers are set up to."""

    site: Path

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        if code != 404:
            super().send_error(code, message, explain)
            return
        body = (self.site / "404.html").read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


def test_404_page_links_home_when_the_site_sits_in_a_sub_folder(browser: object, en_site: Path, tmp_path: Path) -> None:
    docroot = tmp_path / "www"
    shutil.copytree(en_site, docroot / "handbooks" / "northwind")
    handler = type("Handler", (_Handler,), {"site": docroot / "handbooks" / "northwind"})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()), functools.partial(handler, directory=str(docroot)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        base = f"http://127.0.0.1:{server.server_address[1]}"
        page = _open(browser, f"{base}/handbooks/northwind/roles/no-such-role.html")
        assert page.locator("h1").inner_text() == "Page not found"  # type: ignore[attr-defined]
        page.wait_for_function("document.querySelector('a.rbs-home').getAttribute('href') !== '/index.html'")  # type: ignore[attr-defined]
        page.click("a.rbs-home")  # type: ignore[attr-defined]
        page.wait_for_url(f"{base}/handbooks/northwind/index.html")  # type: ignore[attr-defined]
        assert page.locator("table.rbs-departments").count() == 1  # type: ignore[attr-defined]
        page.context.close()  # type: ignore[attr-defined]
    finally:
        server.shutdown()
        server.server_close()


def test_pdfs_of_an_english_handbook_have_no_chinese(en_site: Path) -> None:
    pdfs = sorted((en_site / "pdf").rglob("*.pdf"))
    assert len(pdfs) > 60
    for pdf in pdfs:
        text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
        assert "Job description" in text or "Positions and headcount" in text, pdf.name
        assert not CJK.findall(text), (pdf.name, CJK.findall(text)[:5])
