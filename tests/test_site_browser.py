"""The built site in a real browser (Debian's Chromium through Playwright): search, charts, escaping, offline.

The sample site is served by ``python -m http.server`` on 127.0.0.1 and also opened from file://.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.site_support import CHROMIUM, CHROMIUM_ARGS, HOSTILE, SampleSite, static_server

pytestmark = [pytest.mark.browser, pytest.mark.slow]

sync_api = pytest.importorskip("playwright.sync_api")
if not Path(CHROMIUM).exists():
    pytest.skip(f"{CHROMIUM} is not installed (scripts/setup.sh --test)", allow_module_level=True)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture(scope="module")
def sample_url(sample_site: SampleSite) -> Iterator[str]:
    with static_server(sample_site.path) as url:
        yield url


class Visit:
    """A fresh page that records every request and every dialog (alert/confirm/prompt)."""

    def __init__(self, browser: object) -> None:
        self.context = browser.new_context(viewport={"width": 1280, "height": 900})  # type: ignore[attr-defined]
        self.page = self.context.new_page()
        self.requests: list[str] = []
        self.dialogs: list[str] = []
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("dialog", self._dialog)

    def _dialog(self, dialog: object) -> None:
        self.dialogs.append(dialog.message)  # type: ignore[attr-defined]
        dialog.dismiss()  # type: ignore[attr-defined]

    def goto(self, url: str) -> None:
        self.page.goto(url)
        self.page.wait_for_load_state("networkidle")

    def search(self, query: str) -> list[str]:
        """Type ``query`` into Material's search box; the result pages' paths (sections dropped)."""
        box = "input.md-search__input"
        self.page.fill(box, "")
        self.page.press(box, "End")  # Material reads the box on keyup
        self.page.wait_for_selector(".md-search-result__item", state="detached", timeout=10_000)
        self.page.fill(box, query)
        self.page.press(box, "End")
        self.page.wait_for_selector(".md-search-result__item", timeout=15_000)
        hrefs = self.page.eval_on_selector_all(".md-search-result__item a", "els => els.map(e => e.href)")
        return sorted({urlsplit(h).path.rsplit("/", 1)[-1] if h.startswith("file:") else urlsplit(h).path.lstrip("/") for h in hrefs})

    def foreign_requests(self, base: str) -> list[str]:
        return [u for u in self.requests if not (u.startswith(base) or u.startswith("data:") or u.startswith("about:") or u.startswith("blob:"))]

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def visit(browser: object) -> Iterator[Visit]:
    v = Visit(browser)
    yield v
    v.close()


SEARCHES = [
    ("解说员", "roles/guide.html"),
    ("满意度", "roles/cs-manager.html"),
    ("样板房", "roles/guide.html"),
    ("flash", "roles/product-manager.html"),  # English: "Flash演示" in the product manager's duties
    ("PRD", "roles/product-manager.html"),
]


def test_search_finds_chinese_and_english_words(visit: Visit, sample_url: str) -> None:
    visit.goto(f"{sample_url}/index.html")
    for query, expected in SEARCHES:
        assert expected in visit.search(query), query
    assert not visit.foreign_requests(sample_url), visit.foreign_requests(sample_url)


def test_search_works_from_file_urls(visit: Visit, sample_site: SampleSite) -> None:
    base = sample_site.path.as_uri()
    visit.goto(f"{base}/roles/guide.html")
    assert "cs-manager.html" in visit.search("满意度")
    assert "product-manager.html" in visit.search("flash")
    assert not visit.foreign_requests(base), visit.foreign_requests(base)


def test_org_chart_boxes_open_pages(visit: Visit, sample_url: str) -> None:
    visit.goto(f"{sample_url}/departments/customer-service/index.html")
    visit.page.click("#rb-role-guide a")
    visit.page.wait_for_url(f"{sample_url}/roles/guide.html")
    assert visit.page.inner_text("h1").rstrip("¶") == "解说员"
    visit.goto(f"{sample_url}/index.html")
    visit.page.click("#rb-org-customer-service a")
    visit.page.wait_for_url(f"{sample_url}/departments/customer-service/index.html")


def test_org_chart_links_work_from_file_urls(visit: Visit, sample_site: SampleSite) -> None:
    base = sample_site.path.as_uri()
    visit.goto(f"{base}/departments/customer-service/index.html")
    visit.page.click("#rb-role-front-desk-leader a")
    visit.page.wait_for_url(f"{base}/roles/front-desk-leader.html")
    # and on to the superior, through the role page's own links
    visit.page.click("text=客服主管 >> nth=0")
    visit.page.wait_for_url(f"{base}/roles/cs-supervisor.html")


def test_positions_table_sorts_and_filters(visit: Visit, sample_url: str) -> None:
    visit.goto(f"{sample_url}/positions.html")
    rows = "#rbs-positions tbody tr"
    total = visit.page.locator(rows).count()
    visit.page.fill("input.rbs-filter", "解说")
    visible = visit.page.locator(f"{rows}:not([hidden])")
    assert sorted(visible.all_inner_texts()) == sorted(t for t in visible.all_inner_texts() if "解说" in t)
    assert visible.count() == 2
    visit.page.fill("input.rbs-filter", "")
    assert visit.page.locator(f"{rows}:not([hidden])").count() == total
    visit.page.click("#rbs-positions th:nth-child(6)")  # 人数: numbers
    visit.page.click("#rbs-positions th:nth-child(6)")
    first = visit.page.locator(f"{rows} >> nth=0").inner_text()
    cells = first.split("\t")
    assert "客服专员" in cells and cells[5].strip() == "3"  # the only position with 3 people sorts first (descending)


def test_hostile_text_never_runs_and_tables_keep_their_columns(visit: Visit, hostile_site: Path) -> None:
    with static_server(hostile_site) as url:
        for page in ("index.html", "roles/boss.html", "roles/clerk.html", "departments/evil/index.html", "positions.html"):
            visit.goto(f"{url}/{page}")
        visit.goto(f"{url}/roles/boss.html")
        assert visit.page.inner_text("h1").rstrip("¶") == HOSTILE["title"]
        assert HOSTILE["org"] in visit.page.title()
        duty_tables = visit.page.locator("article table:has(th:text-is('序号'))")
        assert duty_tables.count() == 2
        for i in range(duty_tables.count()):
            cells = duty_tables.nth(i).evaluate("t => [...t.rows].map(r => r.cells.length)")
            assert set(cells) == {3}, cells
        body = visit.page.inner_text("article")
        for text in (HOSTILE["kpi_pipe"], HOSTILE["duty_hash"], HOSTILE["duty_jinja"], HOSTILE["duty_snippet"], HOSTILE["duty_link"], HOSTILE["duty_img"]):
            assert text in body, text
        assert "root:" not in body  # --8<-- did not include /etc/passwd
        assert visit.page.locator("article script, article img, article iframe").count() == 0
        assert "roles/boss.html" in visit.search("note")
        assert HOSTILE["title"] in visit.page.inner_text(".md-search-result")  # shown literally in the results too
        visit.page.wait_for_timeout(300)
        assert visit.dialogs == []
        visit.page.evaluate("alert('probe')")  # the listener does see a dialog when one opens
        assert visit.dialogs == ["probe"]
        assert not visit.foreign_requests(url), visit.foreign_requests(url)
