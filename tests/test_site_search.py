"""The site search in a real browser (Debian's Chromium through Playwright).

Every sample role is found by a word from each section of its file, the words chosen here from
the role files; results are sections that open the page at their anchor; only the matched words
are marked; English finds words in parentheses and through the stemmer, ranks a title match
first and keeps hand-written pages below the roles.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
import yaml

from tests.scratch import make_handbook
from tests.site_support import CHROMIUM, CHROMIUM_ARGS, SampleSite, built, static_server

pytestmark = [pytest.mark.browser, pytest.mark.slow]

sync_api = pytest.importorskip("playwright.sync_api")
if not Path(CHROMIUM).exists():
    pytest.skip(f"{CHROMIUM} is not installed (scripts/setup.sh --test)", allow_module_level=True)

REPO = Path(__file__).resolve().parent.parent
ROLE_FILES = sorted(p for p in (REPO / "roles").rglob("*.yaml") if not p.name.startswith("_"))
SECTIONS = ("number", "title", "summary", "relationships", "qualifications", "duties")
HAN = re.compile(r"[\u4e00-\u9fff]+")
WORD = re.compile(r"[A-Za-z]{3,}")
BOX = "input.md-search__input"


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    yield context.new_page()
    context.close()


@pytest.fixture(scope="module")
def sample_url(sample_site: SampleSite) -> Iterator[str]:
    with static_server(sample_site.path) as url:
        yield url


def search(page: Any, query: str) -> list[dict[str, Any]]:
    """Type ``query`` into Material's search box; per result (one per page): its links and marked words."""
    page.fill(BOX, "")
    page.press(BOX, "End")  # Material reads the box on keyup
    page.wait_for_selector(".md-search-result__item", state="detached", timeout=10_000)
    page.fill(BOX, query)
    page.press(BOX, "End")
    page.wait_for_selector(".md-search-result__item", timeout=15_000)
    return list(
        page.eval_on_selector_all(
            ".md-search-result__item",
            """items => items.map(li => ({
                links: [...li.querySelectorAll("a")].map(a => a.href),
                titles: [...li.querySelectorAll("h1, h2")].map(h => h.textContent),
                marks: [...li.querySelectorAll("mark")].map(m => m.textContent),
            }))""",
        )
    )


def page_of(href: str) -> str:
    return urlsplit(href).path.lstrip("/")


def strings(value: object, lang: str = "zh") -> list[str]:
    """The texts of a value in ``lang`` (of a text given per language, ``{zh: …, en: …}``, that language's)."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict) and value and set(value) <= {"zh", "en"}:
        return strings(value.get(lang), lang)
    if isinstance(value, dict):
        return [s for v in value.values() for s in strings(v, lang)]
    if isinstance(value, list):
        return [s for v in value for s in strings(v, lang)]
    return []


def role_sections(lang: str = "zh") -> dict[str, dict[str, list[str]]]:
    """role id -> section -> its texts in ``lang``, from the role files."""
    out = {}
    for path in ROLE_FILES:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        out[path.stem] = {key: strings(data[key], lang) for key in SECTIONS if strings(data.get(key), lang)}
    return out


def rarest_word(texts: list[str], corpus: list[str]) -> str:
    """The word of ``texts`` (2–4 Chinese characters, or an English word) found in the fewest of ``corpus``."""
    candidates = set()
    for text in texts:
        candidates.update(w.lower() for w in WORD.findall(text))
        for run in HAN.findall(text):
            candidates.update(run[i : i + n] for n in (2, 3, 4) for i in range(len(run) - n + 1))
        if not HAN.search(text) and not WORD.search(text) and text.strip():
            candidates.add(text.strip())  # a number such as 客-004 is itself the word
    assert candidates, texts
    return min(candidates, key=lambda w: (sum(w in c.lower() for c in corpus), -len(w), w))


@pytest.mark.parametrize("lang, folder", [("zh", ""), ("en", "en/")])
def test_every_role_is_found_by_a_word_from_each_of_its_sections(page: Any, sample_url: str, lang: str, folder: str) -> None:
    """In each language's site (the sample is in Chinese and English), by a word of that language."""
    roles = role_sections(lang)
    corpus = [" ".join(t for texts in sections.values() for t in texts) for sections in roles.values()]
    page.goto(f"{sample_url}/{folder}index.html")
    page.wait_for_load_state("networkidle")
    searched = 0
    for role_id, sections in roles.items():
        for section, texts in sections.items():
            word = texts[0] if section == "number" else rarest_word(texts, corpus)  # a number (客-004) is one word
            results = search(page, word)
            mine = [r for r in results if any(page_of(h) == f"{folder}roles/{role_id}.html" for h in r["links"])]
            assert mine, (role_id, section, word, [r["links"][0] for r in results])
            anchors = [unquote(urlsplit(h).fragment) for h in mine[0]["links"] if urlsplit(h).fragment]
            if section not in ("title",):  # the words of a section are shown under that section, with its anchor
                assert anchors, (role_id, section, word)
            searched += 1
    assert searched > 4 * len(roles)  # most roles have all six sections


def test_the_issue_words_find_every_role_that_holds_them(page: Any, sample_url: str, sample_site: SampleSite) -> None:
    roles = role_sections()
    page.goto(f"{sample_url}/index.html")
    page.wait_for_load_state("networkidle")
    for word in ("擦牌", "高中", "房地产", "接待", "考核"):
        holders = {f"roles/{r}.html" for r, sections in roles.items() if any(word in t for texts in sections.values() for t in texts)}
        found = {page_of(r["links"][0]) for r in search(page, word)}
        assert holders <= found, (word, holders - found)
        for rel in found:  # and nothing is found that does not hold the word
            assert word in re.sub(r"<[^>]+>", "", (sample_site.path / rel).read_text(encoding="utf-8")), (word, rel)


def test_hand_written_chinese_pages_are_found_by_any_part_of_a_word(page: Any, sample_url: str, sample_site: SampleSite) -> None:
    """Their text is indexed as written (no word segmentation, no jieba dictionary to load): the worker matches
    Chinese as a substring, across what jieba would have cut into two words (编辑 | 岗位)."""
    import json

    index = json.loads((sample_site.path / "search" / "search_index.json").read_text(encoding="utf-8"))
    guide = [d for d in index["docs"] if str(d["location"]).startswith("how-to-edit.html")]
    assert guide and not any("\u200b" in str(d["title"]) + str(d["text"]) for d in guide)
    page.goto(f"{sample_url}/index.html")
    page.wait_for_load_state("networkidle")
    for query in ("编辑岗位", "辑岗", "维护岗位说明书"):
        assert "how-to-edit.html" in [page_of(link) for r in search(page, query) for link in r["links"]], query


def test_a_section_result_opens_the_page_at_that_section(page: Any, sample_url: str) -> None:
    page.goto(f"{sample_url}/index.html")
    page.wait_for_load_state("networkidle")
    results = search(page, "擦牌")
    href = next(h for r in results for h in r["links"] if "#" in h and page_of(h) == "roles/property-assistant.html")
    assert len(results[0]["titles"]) >= 2 and results[0]["titles"][0] == "物业助理"  # 物业助理 › its section
    page.locator(f".md-search-result__item a[href='{href}']").first.click()
    page.wait_for_url(re.compile(r".*property-assistant\.html.*#.+"))
    anchor = unquote(urlsplit(page.url).fragment)
    section = page.locator(f"[id='{anchor}']")
    assert section.count() == 1
    assert "擦牌" in page.evaluate(
        """id => { let t = "", el = document.getElementById(id).nextElementSibling;
                   while (el && !/^H[12]$/.test(el.tagName)) { t += el.textContent; el = el.nextElementSibling; }
                   return t; }""",
        anchor,
    )


def test_snippets_are_short(page: Any, sample_url: str) -> None:
    page.goto(f"{sample_url}/index.html")
    page.wait_for_load_state("networkidle")
    search(page, "业主")
    texts = page.eval_on_selector_all(".md-search-result__article", "els => els.map(e => e.innerText)")
    assert texts and max(len(t) for t in texts) < 260, max(texts, key=len)


def test_highlighting_marks_only_the_words_the_query_matched(page: Any, sample_url: str) -> None:
    page.goto(f"{sample_url}/index.html")
    page.wait_for_load_state("networkidle")
    results = search(page, "前台")
    marks = [m for r in results for m in r["marks"]]
    assert marks and set(marks) == {"前台"}, marks
    role_link = next(h for r in results for h in r["links"] if page_of(h).startswith("roles/"))
    assert parse_qs(urlsplit(role_link).query)["h"] == ["前台"]
    page.goto(role_link)
    page.wait_for_load_state("networkidle")
    page.wait_for_selector("article mark[data-md-highlight]")
    on_page = page.eval_on_selector_all("article mark[data-md-highlight]", "els => els.map(e => e.textContent)")
    assert on_page and set(on_page) == {"前台"}, on_page


ENGLISH = {
    "rolebook.yml": "organisation: Mercy Hospital\nlanguage: en\n",
    "roles/care/_department.yaml": "name: Patient Care\n",
    "roles/care/nurse.yaml": (
        'number: C-001\ntitle: Registered Nurse\nheadcount: 4\nstatus: approved\napprover: HR\napproval_date: "2020-01-01"\n'
        "summary: [Provides bedside care on the ward.]\n"
        "qualifications:\n  education: Nursing degree (BSN)\n  experience: Two years\n"
        "duties:\n  - duty: Gives medication on schedule\n    kpis: [Error rate]\n"
    ),
    "roles/care/clerk.yaml": (
        'number: C-002\ntitle: Ward Clerk\nreports_to: nurse\nheadcount: 1\nstatus: approved\napprover: HR\napproval_date: "2020-01-01"\n'
        "summary: [Supports the nurses with records and the telephone.]\n"
        "qualifications:\n  education: High school diploma or equivalent (GED)\n  experience: None\n"
        "duties:\n  - duty: Keeps patient records\n    kpis: [Accuracy]\n"
    ),
    "roles/care/welder.yaml": (
        'number: C-003\ntitle: Maintenance Technician\nreports_to: nurse\nheadcount: 1\nstatus: approved\napprover: HR\napproval_date: "2020-01-01"\n'
        "summary: [Repairs beds and frames by welding.]\n"
        "qualifications:\n  education: Trade school\n  experience: One year\n  abilities: Reads drawings made in (CAD) and sketches\n"
        "duties:\n  - duty: Keeps the workshop safe\n    kpis: [Incidents]\n"
    ),
    "docs/about.md": "# About this handbook\n\n" + "This page mentions the nurse, nurses and nursing. " * 20 + "\n",
}


@pytest.fixture(scope="module")
def english_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = make_handbook(tmp_path_factory.mktemp("english"), dict(ENGLISH))
    with static_server(built(root, root / "site")) as url:
        yield url


def pages_found(page: Any, query: str) -> list[str]:
    return [page_of(r["links"][0]) for r in search(page, query)]


def test_english_words_in_parentheses_are_found(page: Any, english_url: str) -> None:
    page.goto(f"{english_url}/index.html")
    page.wait_for_load_state("networkidle")
    assert pages_found(page, "CAD")[:1] == ["roles/welder.html"]
    assert pages_found(page, "GED")[:1] == ["roles/clerk.html"]
    assert "roles/nurse.html" in pages_found(page, "bsn")


def test_english_words_match_through_the_stemmer(page: Any, english_url: str) -> None:
    page.goto(f"{english_url}/index.html")
    page.wait_for_load_state("networkidle")
    for query in ("nurse", "nurses", "Nurses"):
        found = pages_found(page, query)
        assert {"roles/nurse.html", "roles/clerk.html"} <= set(found), (query, found)
    for query in ("weld", "welding", "welded"):
        assert "roles/welder.html" in pages_found(page, query), query
    assert "roles/clerk.html" in pages_found(page, "the records")  # a stop word does not hide the rest


def test_a_title_match_ranks_above_mentions_and_hand_written_pages(page: Any, english_url: str) -> None:
    page.goto(f"{english_url}/index.html")
    page.wait_for_load_state("networkidle")
    found = pages_found(page, "nurse")
    assert found[0] == "roles/nurse.html", found  # its title, above the clerk who supports the nurses
    assert found.index("roles/clerk.html") < found.index("about.html"), found  # the page that says "nurse" 60 times comes last
