"""Hostile text in every field of a handbook (tests/hostile_support.py), in the built site and PDFs.

The site is built from a handbook whose own mkdocs.yml switches pymdownx.snippets on (with the
handbook's folder as its base, the widest check allows), and opened in Chromium: every payload shows literally (also in the table
of contents), no dialog opens, no script from the content runs, no request leaves the site, table
columns stay whole, a 2,000-character word never widens the page (desktop and phone widths), and
a right-to-left override in one title does not reverse the titles after it. Nothing of
/etc/passwd appears in any file of the site or any PDF. In the PDFs' text every payload is there
as typed; the PDFs hold no script or launch action, and the logo draws only what is inside it.
"""

from __future__ import annotations

import re
import subprocess
import sys
import unicodedata
from collections.abc import Iterator
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

import pytest

from rolebook.resources import DEFAULT_MKDOCS_YML
from tests.hostile_support import LOGO_MARK, ORGANISATION, PASSWD_LINE, PAYLOADS, PAYLOADS_SHORT, ROLE_FIELDS, hostile_files
from tests.scratch import make_handbook
from tests.site_support import launched_chromium, static_server

REPO = Path(__file__).resolve().parent.parent
SNIPPET_MARK = "SNIPPETS-ARE-ON"


def flat(text: str) -> str:
    """Text without white space and invisible characters: how a payload is compared with what a page or PDF shows."""
    return "".join(ch for ch in text if not ch.isspace() and unicodedata.category(ch) != "Cf")


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "build.py", *args], cwd=REPO, capture_output=True, text=True, timeout=600, check=False)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = make_handbook(tmp_path_factory.mktemp("hostile-content") / "hb", hostile_files(snippets_mkdocs=DEFAULT_MKDOCS_YML))
    (root / "marker.txt").write_text(SNIPPET_MARK + "\n", encoding="utf-8")
    # a hand-written page proves the snippets extension really is on (hand-written pages are trusted)
    (root / "docs" / "control.md").write_text('# Control\n\n--8<-- "marker.txt"\n', encoding="utf-8")
    proc = _run("build", str(root), "--no-pdf")
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    return root / "site"


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = make_handbook(tmp_path_factory.mktemp("hostile-pdf") / "hb", hostile_files(for_pdf=True))
    out = root.parent / "pdf"
    proc = _run("pdf", str(root), "--out", str(out), "-j", "2")
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    return out


def _role_payloads() -> dict[str, list[str]]:
    """Site roles: r00 holds every payload, rNN its own."""
    return {f"r{i:02d}": list(PAYLOADS) if i == 0 else [p] for i, p in enumerate(PAYLOADS)}


# --- the files of the site ----------------------------------------------------------------------------


class _Active(HTMLParser):
    """Scripts, frames, images and event handlers inside the page's article (where the handbook's text goes)."""

    def __init__(self) -> None:
        super().__init__()
        self.depth = 0
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "article":
            self.depth += 1
        if not self.depth:
            return
        if tag in ("script", "iframe", "img", "object", "embed", "style", "link", "meta", "base", "form"):
            self.found.append(tag)
        for name, value in attrs:
            if name.startswith("on") or (name in ("href", "src", "action", "xlink:href") and (value or "").strip().lower().startswith("javascript:")):
                self.found.append(f"{tag} {name}={value}")

    def handle_endtag(self, tag: str) -> None:
        if tag == "article":
            self.depth -= 1


def test_nothing_from_the_disk_and_nothing_active_in_any_page(site: Path) -> None:
    assert SNIPPET_MARK in (site / "control.html").read_text(encoding="utf-8")  # snippets really is on …
    for path in sorted(site.rglob("*")):
        if path.is_file():
            assert PASSWD_LINE.encode() not in path.read_bytes(), path  # … and included nothing from a role file
    for page in sorted(site.rglob("*.html")):
        html = page.read_text(encoding="utf-8")
        parser = _Active()
        parser.feed(html)
        assert parser.found == [], (page.relative_to(site), parser.found)
        # the organisation in the header's tooltips and labels: escaped exactly once
        for attr in re.findall(r'<a [^>]*class="md-(?:header|nav)__button md-logo"[^>]*>', html):
            values = [unescape(v) for v in re.findall(r'(?:title|aria-label)="([^"]*)"', attr)]
            assert values == [ORGANISATION, ORGANISATION], (page.relative_to(site), values)


# --- in a browser ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    yield from launched_chromium()


def _watch(page: object) -> tuple[list[str], list[str], list[str]]:
    """Every request, dialog (alert/confirm/prompt, dismissed) and uncaught script error of ``page``."""
    requests: list[str] = []
    dialogs: list[str] = []
    errors: list[str] = []

    def dialog(d: object) -> None:
        dialogs.append(d.message)  # type: ignore[attr-defined]
        d.dismiss()  # type: ignore[attr-defined]

    page.on("request", lambda r: requests.append(r.url))  # type: ignore[attr-defined]
    page.on("dialog", dialog)  # type: ignore[attr-defined]
    page.on("pageerror", lambda e: errors.append(str(e)))  # type: ignore[attr-defined]
    return requests, dialogs, errors


WIDE = "document.documentElement.scrollWidth - window.innerWidth"
CELL_COUNTS = "() => [...document.querySelectorAll('article table')].map(t => [...t.rows].map(r => [...r.cells].reduce((n, c) => n + c.colSpan, 0)))"


@pytest.mark.slow
@pytest.mark.browser
def test_every_page_in_a_browser(browser: object, site: Path) -> None:
    pages = sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))
    expected = _role_payloads()
    with static_server(site) as url:
        for width, height in ((1280, 900), (390, 844)):  # a desktop and a phone
            context = browser.new_context(viewport={"width": width, "height": height})  # type: ignore[attr-defined]
            page = context.new_page()
            requests, dialogs, errors = _watch(page)
            for rel in pages:
                page.goto(f"{url}/{rel}", wait_until="load")  # scripts of the page have run; the pages hold no lazy content
                assert page.evaluate(WIDE) <= 0, (rel, width, "the page is wider than the window")
                if width != 1280:
                    continue
                assert ORGANISATION in page.title(), rel
                for rows in page.evaluate(CELL_COUNTS):
                    assert len(set(rows)) == 1, (rel, rows)  # every row of a table has the header's columns
                role = rel.removeprefix("roles/").removesuffix(".html")
                if role in expected:
                    shown = flat(page.inner_text("article"))
                    for payload in expected[role]:
                        assert flat(payload) in shown, (rel, payload[:60])
                    toc = flat(page.inner_text(".md-nav--secondary"))
                    assert flat(PAYLOADS[int(role[1:])]) in toc, (rel, "table of contents")  # the group names
            page.wait_for_load_state("networkidle")
            assert dialogs == [] and errors == [], (dialogs, errors)
            assert [u for u in requests if not u.startswith((url, "data:", "blob:", "about:"))] == []
            context.close()


@pytest.mark.slow
@pytest.mark.browser
def test_search_results_show_hostile_text_literally(browser: object, site: Path) -> None:
    """Material renders search results as HTML: what the index holds must be escaped text.

    Queries include words inside the escapes themselves (lt, amp, quot, 34), which the
    highlighter could wrap in <mark>: that may look odd but must never make markup."""
    with static_server(site) as url:
        page = browser.new_page(viewport={"width": 1280, "height": 900})  # type: ignore[attr-defined]
        _, dialogs, errors = _watch(page)
        page.goto(f"{url}/index.html")
        page.wait_for_load_state("networkidle")
        box = "input.md-search__input"
        found = 0
        for query in ("note", "heading", "raw", "comment", "entities", "three", "cell", "attr_list", "lt", "amp", "quot", "34"):
            page.fill(box, "")
            page.press(box, "End")  # Material reads the box on keyup
            page.wait_for_selector(".md-search-result__item", state="detached", timeout=10_000)
            page.fill(box, query)
            page.press(box, "End")
            page.wait_for_timeout(400)  # some of these find nothing; those that do show results by now
            results = page.locator(".md-search-result")
            found += page.locator(".md-search-result__item").count()
            assert results.locator("img, script, iframe, svg, style, object, embed, [onerror], [onload], [onclick]").count() == 0, query
            assert page.locator(".md-search-result a[href^='javascript:' i]").count() == 0, query
            if query == "note":  # r00 holds every payload: its hostile title is among the results, as text
                assert "<script>alert(1)</script>" in results.inner_text()
        assert found >= 10  # the queries did reach hostile pages
        page.wait_for_timeout(300)
        assert dialogs == [] and errors == [], (dialogs, errors)
        page.close()


@pytest.mark.slow
@pytest.mark.browser
def test_a_right_to_left_override_in_a_title_does_not_reverse_what_follows(browser: object, site: Path) -> None:
    """r00's direct reports are one line of links; one title holds an unclosed U+202E."""
    with static_server(site) as url:
        page = browser.new_page(viewport={"width": 1280, "height": 900})  # type: ignore[attr-defined]
        page.goto(f"{url}/roles/r00.html")
        cell = page.locator("tr:has(th:text-is('直接下级职位名称')) td")
        boxes = cell.evaluate("td => [...td.querySelectorAll('a')].map(a => { const r = a.getClientRects()[0]; return [a.textContent, r.top, r.left]; })")
        rtl = [i for i, (text, _, _) in enumerate(boxes) if "\u202e" in text]
        assert rtl and rtl[0] < len(boxes) - 1  # the test means something: titles follow the override
        lines: dict[float, list[float]] = {}
        for _, top, left in boxes:
            lines.setdefault(round(top), []).append(left)
        assert all(lefts == sorted(lefts) for lefts in lines.values()), boxes  # left to right, in order, on every line
        page.close()


# --- the PDFs --------------------------------------------------------------------------------------------


def _pdf_text(path: Path) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


@pytest.mark.slow
def test_pdfs_print_every_payload_literally_and_read_nothing(pdfs: Path) -> None:
    n = len(PAYLOADS_SHORT)
    fields = {
        "r00": list(PAYLOADS_SHORT),
        "r01": [PAYLOADS_SHORT[k % n] for k in range(len(ROLE_FIELDS))],
        "r03": [PAYLOADS_SHORT[(k + len(ROLE_FIELDS)) % n] for k in range(len(ROLE_FIELDS))],
    }
    assert {p for ps in fields.values() for p in ps} == set(PAYLOADS_SHORT)
    for role, payloads in fields.items():
        text = flat(_pdf_text(pdfs / "roles" / f"{role}.pdf"))
        for payload in payloads:
            # a right-to-left override is printed as typed: its letters run right to left
            assert flat(payload) in text or ("\u202e" in payload and flat(payload)[::-1] in text), (role, payload[:60])
    assert flat(PAYLOADS[-1]) in flat(_pdf_text(pdfs / "roles" / "r02.pdf"))  # the 2,000-character word, all of it
    handbook = _pdf_text(pdfs / "handbook.pdf")
    assert LOGO_MARK in handbook  # the logo is drawn …
    for path in sorted(pdfs.rglob("*.pdf")):
        data = path.read_bytes()
        assert PASSWD_LINE not in _pdf_text(path), path  # … and nothing it pointed at on the disk
        for action in (b"/JavaScript", b"/JS ", b"/Launch", b"/SubmitForm", b"javascript:"):
            assert action not in data, (path, action)
        assert flat("{{ 7*7 }}") in flat(_pdf_text(path)) or path.name not in ("r00.pdf", "handbook.pdf")


def test_the_hostile_handbook_exports_as_text_not_formulas(tmp_path: Path) -> None:
    """test_export.py covers formula-looking cells; this is the same guarantee for this corpus."""
    import openpyxl

    root = make_handbook(tmp_path / "hb", hostile_files())
    proc = _run("export", "-o", str(tmp_path / "hb.xlsx"), str(root))
    assert proc.returncode == 0, proc.stderr
    wb = openpyxl.load_workbook(tmp_path / "hb.xlsx")
    cells = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value is not None]
    assert cells and all(c.data_type != "f" for c in cells)
    values = {str(c.value) for c in cells}
    assert all(p in values or any(p in v for v in values) for p in PAYLOADS if not re.match(r"[=+\-@]", p))
