"""The sample handbook built by each site engine (MkDocs, ProperDocs, Zensical), checked as readers use it.

Per engine, one real build through the command line and one real browser (Debian's Chromium
through Playwright): every role, department and generated page is there; every link and
org-chart link in every page leads to a file of the site; no page loads anything from outside
the site (in its HTML or in the browser); Chinese and English words find their role through the
engine's search; a role page's sidebar shows the role, highlighted, among its department's roles. An engine whose package is not installed is skipped, with the pip command.
"""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest
import yaml

from tests.site_support import REPO, launched_chromium, run_build, static_server

ENGINES = ("mkdocs", "properdocs", "zensical")
# word -> the page it must find: Chinese (segmented by each engine's own means) and English
SEARCHES = (
    ("解说员", "roles/guide.html"),
    ("满意度", "roles/cs-manager.html"),
    ("flash", "roles/product-manager.html"),
    ("PRD", "roles/product-manager.html"),
)
LINK = re.compile(r"""\s(?:href|src|xlink:href)="([^"]*)\"""")
CHART_BOX = re.compile(r'<g id="rb(?:-|&#45;)role(?:-|&#45;)')  # Graphviz writes "-" as &#45;
EXTERNAL_RESOURCE = re.compile(r"""<(?:script|link|img|iframe|source|video|audio)\b[^>]*\s(?:src|href)="(?:https?:)?//""", re.I)


def _skip_unless_installed(engine: str) -> None:
    if importlib.util.find_spec(engine) is None:
        pytest.skip(f"the {engine} engine is not installed (pip install {engine})")


@pytest.fixture(scope="module", params=ENGINES)
def engine_site(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Path]:
    engine = str(request.param)
    _skip_unless_installed(engine)
    site = tmp_path_factory.mktemp(f"site-{engine}") / "site"
    done = run_build(REPO, site, "--no-pdf", "--engine", engine)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    return engine, site


def _sample_ids() -> tuple[list[str], list[str]]:
    roles = sorted(p.stem for p in (REPO / "roles").rglob("*.yaml") if not p.name.startswith("_"))
    departments = []
    for p in sorted((REPO / "roles").rglob("_department.yaml")):
        departments.append(p.parent.name)
    return roles, departments


@pytest.mark.slow
def test_every_page_is_there_and_every_link_resolves(engine_site: tuple[str, Path]) -> None:
    engine, site = engine_site
    roles, departments = _sample_ids()
    for role in roles:
        assert (site / "roles" / f"{role}.html").is_file(), (engine, role)
    for dept in departments:
        assert (site / "departments" / dept / "index.html").is_file(), (engine, dept)
    for page in ("index.html", "positions.html", "reference.html", "about.html", "404.html"):
        assert (site / page).is_file(), (engine, page)
    broken: list[str] = []
    charts = 0
    for page in sorted(site.rglob("*.html")):
        html = page.read_text(encoding="utf-8")
        if page.name != "404.html":  # a server shows it at any address: its links are absolute, or fixed by its script
            for target in LINK.findall(html):
                parts = urlsplit(target)
                if parts.scheme or target.startswith(("#", "//")) or not parts.path:
                    continue
                if not (page.parent / unquote(parts.path)).exists():
                    broken.append(f"{page.relative_to(site)} -> {target}")
        charts += len(CHART_BOX.findall(html))
        found = EXTERNAL_RESOURCE.search(html)
        assert found is None, (engine, page.relative_to(site), html[found.start() : found.start() + 200] if found else "")
    assert not broken, (engine, broken[:20])
    guide = (site / "roles" / "guide.html").read_text(encoding="utf-8")
    assert '<a href="guide.html" class="md-nav__link md-nav__link--active">' in guide, engine  # in the sidebar, under its department
    assert re.search(r'<a href="cs-manager.html"[ >]', guide), engine  # and the department's other roles
    assert charts >= len(roles), (engine, charts)  # every role has a box in its department's chart, each box a link


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    yield from launched_chromium()


def _search(page: Any, engine: str, query: str) -> list[str]:
    """Type ``query`` into the engine's search box; the result pages' site paths, best first (sections dropped)."""
    if engine == "zensical":  # its own search dialog (in a shadow root, which Playwright's selectors enter)
        if not page.is_visible("input[role=combobox]"):
            page.click(".md-search__button")
        box, item = "input[role=combobox]", "ol li a[href]"
    else:
        box, item = "input.md-search__input", ".md-search-result__item a"
    page.fill(box, "")
    page.press(box, "End")
    page.wait_for_selector(item, state="detached", timeout=10_000)
    page.fill(box, query)
    page.press(box, "End")
    page.wait_for_selector(item, timeout=15_000)
    hrefs = page.eval_on_selector_all(item, "els => els.map(e => e.href)")
    out: list[str] = []
    for href in hrefs:
        path = unquote(urlsplit(href).path).lstrip("/")
        if path not in out:
            out.append(path)
    return out


@pytest.mark.slow
@pytest.mark.browser
def test_search_finds_chinese_and_english_words_offline(engine_site: tuple[str, Path], browser: Any) -> None:
    engine, site = engine_site
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    try:
        with static_server(site) as base:
            page.goto(f"{base}/index.html")
            page.wait_for_load_state("networkidle")
            for query, expected in SEARCHES:
                found = _search(page, engine, query)
                assert expected in found[:3], (engine, query, found)
            page.goto(f"{base}/departments/customer-service/index.html")
            page.click("#rb-role-guide a")
            page.wait_for_url(f"{base}/roles/guide.html")
            assert page.inner_text("h1").rstrip("¶").strip() == "解说员"
            foreign = [u for u in requests if not u.startswith((base, "data:", "about:", "blob:"))]
            assert not foreign, (engine, foreign)
        files = site.as_uri()  # and opened from the folder, without a server
        requests.clear()
        page.goto(f"{files}/roles/guide.html")
        page.wait_for_load_state("networkidle")
        found = _search(page, engine, "满意度")
        assert any(p.endswith("roles/cs-manager.html") for p in found[:3]), (engine, found)
        assert not [u for u in requests if not u.startswith(("file:", "data:", "about:", "blob:"))], (engine, requests)
    finally:
        context.close()


def test_an_engine_that_is_not_installed_is_named_with_its_pip_command(tmp_path: Path) -> None:
    """Its package absent (imports of it blocked here): a message in the handbook's language, exit 1, no traceback."""
    (tmp_path / "rolebook.yml").write_text(yaml.safe_dump({"organisation": "Acme", "language": "en", "engine": "zensical"}), encoding="utf-8")
    role = {"number": "A-1", "title": "Clerk", "headcount": 1, "status": "draft", "duties": [{"duty": "File", "kpis": ["On time"]}]}
    (tmp_path / "roles" / "ops").mkdir(parents=True)
    (tmp_path / "roles" / "ops" / "_department.yaml").write_text("name: Operations\n", encoding="utf-8")
    (tmp_path / "roles" / "ops" / "clerk.yaml").write_text(yaml.safe_dump(role), encoding="utf-8")
    blocked = "import sys; sys.modules['zensical'] = None; sys.modules['properdocs'] = None; from rolebook.cli import main; sys.exit(main(sys.argv[1:]))"
    for engine_args, lang_args in (((), ()), (("--engine", "properdocs"), ("--lang", "zh"))):
        done = subprocess.run(
            [sys.executable, "-c", blocked, "build", "--no-pdf", *engine_args, *lang_args, str(tmp_path)],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        engine = engine_args[1] if engine_args else "zensical"
        assert done.returncode == 1, done.stderr
        assert "Traceback" not in done.stderr
        if lang_args:
            assert done.stderr.endswith(f"rolebook: 没有安装网站引擎 {engine}；请先安装：pip install {engine}（或用 --engine mkdocs 生成）\n"), done.stderr
        else:
            assert done.stderr.endswith(
                f"rolebook: the site engine '{engine}' is not installed; install it with: pip install {engine} (or build with --engine mkdocs)\n"
            ), done.stderr
        assert not (tmp_path / "site").exists()
