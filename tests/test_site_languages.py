"""A handbook in two languages builds a site per language: the main language's at the root, the other's
in its folder (``en/``), each page with a language menu that opens the same page in the other language,
each language with its own search and labels, hand-written pages per language (``docs/en/``), and the
main language's text, marked, where a translation is missing. Built through the real CLI."""

from __future__ import annotations

import json
import posixpath
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.scratch import bilingual_sample
from tests.site_support import launched_chromium, run_build, static_server

HAN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\u3000-\u303f\uff00-\uffef]")
MENU = re.compile(r'<ul class="md-select__list">(.*?)</ul>', re.DOTALL)
MENU_LINK = re.compile(r'<a href="([^"]*)" hreflang="(\w+)" lang="\w+" class="md-select__link( rbs-lang-current)?"')

ABOUT_ZH = "# 关于本手册\n\n本手册收录集团各部门的职位说明书。\n"
ABOUT_EN = "# About this handbook\n\nThis handbook holds the job descriptions of every department of the group.\n"
GUIDE_ZH = "---\ntitle: 编写指南\n---\n\n# 编写指南\n\n每个岗位一个文件。\n"


@dataclass(frozen=True)
class Built:
    root: Path
    site: Path


def _bilingual(tmp: Path) -> Path:
    root = bilingual_sample(tmp / "hb")
    (root / "docs/en").mkdir(parents=True)
    (root / "docs/about.md").write_text(ABOUT_ZH, encoding="utf-8")
    (root / "docs/en/about.md").write_text(ABOUT_EN, encoding="utf-8")
    (root / "docs/how-to.md").write_text(GUIDE_ZH, encoding="utf-8")  # not translated
    return root


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    root = _bilingual(tmp_path_factory.mktemp("languages"))
    proc = run_build(root, root / "site", "--no-pdf")
    assert proc.returncode == 0, proc.stderr
    return Built(root, root / "site")


def _pages(site: Path) -> set[str]:
    return {p.relative_to(site).as_posix() for p in site.rglob("*.html") if not p.relative_to(site).as_posix().startswith(("en/", "assets/"))}


def _menu(html: str) -> list[tuple[str, str, bool]]:
    m = MENU.search(html)
    assert m is not None, "no language menu"
    return [(href, lang, bool(current)) for href, lang, current in MENU_LINK.findall(m.group(1))]


def test_each_language_has_the_same_pages(built: Built) -> None:
    main, english = _pages(built.site), _pages(built.site / "en")
    assert "roles/property-assistant.html" in main and "about.html" in main and "how-to.html" in main
    assert main == english
    assert not (built.site / "en/en").exists()  # the language folders of docs/ are not pages of the main site


def test_every_page_opens_the_same_page_in_the_other_language(built: Built) -> None:
    pages = _pages(built.site) - {"404.html"}  # (shown at any missing address: no page to switch to)
    for page in sorted(pages):
        for lang, here in (("zh", page), ("en", f"en/{page}")):
            menu = _menu((built.site / here).read_text(encoding="utf-8"))
            assert [x[1] for x in menu] == ["zh", "en"], here
            for href, target_lang, current in menu:
                target = posixpath.normpath(posixpath.join(posixpath.dirname(here), href))
                assert target == (page if target_lang == "zh" else f"en/{page}"), (here, href)
                assert (built.site / target).is_file(), (here, href)
                assert current == (target_lang == lang), (here, href)


def test_each_site_is_in_its_language(built: Built) -> None:
    zh = (built.site / "roles/property-assistant.html").read_text(encoding="utf-8")
    en = (built.site / "en/roles/property-assistant.html").read_text(encoding="utf-8")
    assert '<html lang="zh"' in zh and '<html lang="en"' in en
    assert "<h1" in zh and "物业助理" in zh and "职责综述" in zh
    assert "Property Assistant" in en and "Summary" in en and "职责综述" not in en
    assert "../pdf/" not in en  # (built without PDFs: no links to them)


def _strip_allowed(html: str) -> str:
    """An English page without what may be Chinese: the document numbers (客-006: ids of the handbook's
    content, as 客-006 or 物&#45;001 in a chart), the menu's own name of the other language."""
    html = re.sub(r'<a href="[^"]*" hreflang="zh" lang="zh"[^>]*>\s*中文\s*</a>', "", html)
    return re.sub(r"[\u4e00-\u9fff](?:-|&#45;)\d+", "", html)


def test_the_english_site_shows_no_chinese_outside_untranslated_content(built: Built) -> None:
    english = built.site / "en"
    offenders = []
    for page in sorted(english.rglob("*.html")):
        rel = page.relative_to(english).as_posix()
        if rel.startswith("assets/") or rel == "how-to.html":
            continue
        text = _strip_allowed(page.read_text(encoding="utf-8"))
        # the nav and search list the untranslated hand-written page by its (Chinese) title
        text = text.replace("编写指南", "")
        found = HAN.findall(text)
        if found:
            offenders.append((rel, "".join(found[:20])))
    assert not offenders, offenders


def test_each_language_has_its_own_search(built: Built) -> None:
    def index(site: Path) -> str:  # (the problem-codes page quotes {zh: 物业助理, en: Property Assistant} in both)
        docs = json.loads((site / "search/search_index.json").read_text(encoding="utf-8"))["docs"]
        text = " ".join(f"{d['title']} {d['text']}" for d in docs if not d["location"].startswith("reference.html"))
        return text.replace("\u200b", "")  # (Material puts it between the words jieba finds)

    zh, en = index(built.site), index(built.site / "en")
    assert "物业助理" in zh and "Property Assistant" not in zh
    assert "Property Assistant" in en and "物业助理" not in en
    assert "About this handbook" in en and "关于本手册" in zh and "关于本手册" not in en


def test_a_hand_written_page_without_translation_is_the_main_languages_marked(built: Built) -> None:
    page = (built.site / "en/how-to.html").read_text(encoding="utf-8")
    assert "每个岗位一个文件" in page
    assert "This page is not translated yet: it is shown in Chinese." in page
    assert "not translated" not in (built.site / "how-to.html").read_text(encoding="utf-8")
    assert "本页尚未翻译" not in (built.site / "how-to.html").read_text(encoding="utf-8")


def test_a_missing_translation_shows_the_main_languages_text_marked(tmp_path: Path) -> None:
    root = _bilingual(tmp_path)
    path = root / "roles/customer-service/guide.yaml"
    text = path.read_text(encoding="utf-8")
    assert "  zh: 解说员\n  en: Show Flat Guide\n" in text
    path.write_text(text.replace("  zh: 解说员\n  en: Show Flat Guide\n", "  zh: 解说员\n", 1), encoding="utf-8")
    proc = run_build(root, root / "site", "--no-pdf")
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr.count("[missing-translation]") == 1, proc.stderr
    assert "guide.yaml:5:3:" in proc.stderr
    en = (root / "site/en/roles/guide.html").read_text(encoding="utf-8")
    assert '<span class="rbs-fallback" lang="zh">解说员</span>' in en
    assert "Parts of this page are not translated yet: they are shown in Chinese, underlined with dots." in en
    leader = (root / "site/en/roles/guide-leader.html").read_text(encoding="utf-8")
    assert '<a href="guide.html"><span class="rbs-fallback" lang="zh">解说员</span></a>' in leader  # wherever it is shown
    zh = (root / "site/roles/guide.html").read_text(encoding="utf-8")
    assert "rbs-fallback" not in zh and "rbs-untranslated" not in zh
    others = (root / "site/en/roles/property-assistant.html").read_text(encoding="utf-8")
    assert "rbs-fallback" not in others and "rbs-untranslated" not in others


def test_a_one_language_handbook_has_no_language_menu(tmp_path: Path) -> None:
    from tests.scratch import make_handbook, minimal

    root = make_handbook(tmp_path / "one", minimal())
    proc = run_build(root, root / "site", "--no-pdf")
    assert proc.returncode == 0, proc.stderr
    assert not (root / "site/en").exists() and not (root / "site/zh").exists()
    for page in (root / "site").rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        assert "md-select__list" not in html and 'rel="alternate"' not in html, page


# --- in Chromium -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    yield from launched_chromium()


def _search(page: object, query: str) -> list[str]:
    box = "input.md-search__input"
    page.fill(box, query)  # type: ignore[attr-defined]
    page.press(box, "End")  # type: ignore[attr-defined]  # Material reads the box on keyup
    page.wait_for_selector(".md-search-result__item", timeout=15_000)  # type: ignore[attr-defined]
    hrefs: list[str] = page.eval_on_selector_all(".md-search-result__item a", "els => els.map(e => new URL(e.href).pathname)")  # type: ignore[attr-defined]
    return hrefs


@pytest.mark.browser
@pytest.mark.slow
def test_search_and_the_language_menu_in_chromium(built: Built, browser: object) -> None:
    with static_server(built.site) as url:
        context = browser.new_context(viewport={"width": 1280, "height": 900})  # type: ignore[attr-defined]
        try:
            page = context.new_page()
            page.goto(f"{url}/en/index.html")
            page.wait_for_load_state("networkidle")
            assert any(h.endswith("/en/roles/property-assistant.html") for h in _search(page, "property assistant"))
            page.goto(f"{url}/index.html")
            page.wait_for_load_state("networkidle")
            assert any(h.endswith("/roles/property-assistant.html") and "/en/" not in h for h in _search(page, "物业助理"))
            # the menu opens the same page in the other language, and back
            page.goto(f"{url}/roles/property-assistant.html")
            page.click(".md-header__option .md-select button")
            page.click('.md-select__link[hreflang="en"]')
            page.wait_for_url(f"{url}/en/roles/property-assistant.html")
            assert page.locator("h1").first.inner_text().rstrip("¶ \n") == "Property Assistant"
            page.click(".md-header__option .md-select button")
            page.click('.md-select__link[hreflang="zh"]')
            page.wait_for_url(f"{url}/roles/property-assistant.html")
            assert page.locator("h1").first.inner_text().rstrip("¶ \n") == "物业助理"
        finally:
            context.close()
