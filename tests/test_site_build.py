"""``build.py build`` / ``mkdocs build`` / ``build.py serve`` end to end: pages, atomic swap, determinism, offline."""

from __future__ import annotations

import re
import subprocess
import sys
import time
import urllib.request
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from rolebook.app.pipeline import check_handbook
from rolebook.check.schema import SCHEMA_DIR
from rolebook.cli import main
from tests.scratch import CLERK, make_handbook, minimal
from tests.site_support import REPO, SampleSite, free_port, run_build, wait_for_port

# -- the sample handbook ----------------------------------------------------------------


@pytest.mark.slow
def test_build_sample_makes_every_page(sample_site: SampleSite) -> None:
    site = sample_site.path
    hb = check_handbook(REPO).handbook
    assert hb is not None
    for role in hb.roles:
        assert (site / "roles" / f"{role.id}.html").is_file(), role.id
    for dept in hb.departments:
        assert (site / "departments" / dept.id / "index.html").is_file(), dept.id
    for page in ("index.html", "positions.html", "reference.html", "about.html", "404.html", "search/search_index.js"):
        assert (site / page).is_file(), page
    for developer_page in ("benchmarks.html", "architecture.html", "screenshots"):  # docs/ developer pages are excluded
        assert not (site / developer_page).exists(), developer_page
    home = (site / "index.html").read_text(encoding="utf-8")
    assert '<html lang="zh"' in home  # theme.language follows rolebook.yml
    assert "<title>示例集团</title>" in home
    assert 'href="pdf/handbook.pdf"' in home and 'href="about.html"' in home
    guide = (site / "roles" / "guide.html").read_text(encoding="utf-8")
    assert 'href="../pdf/roles/guide.pdf"' in guide
    assert 'id="职责综述"' in guide and 'href="#职责综述"' in guide  # readable Chinese anchors
    dept = (site / "departments" / "customer-service" / "index.html").read_text(encoding="utf-8")
    assert 'href="../../pdf/departments/customer-service.pdf"' in dept
    assert "<svg" in dept and 'xlink:href="../../roles/guide.html"' in dept


@pytest.mark.slow
def test_navigation_lists_departments_not_roles(sample_site: SampleSite) -> None:
    html = (sample_site.path / "roles" / "guide.html").read_text(encoding="utf-8")
    nav = html[html.index('<nav class="md-nav md-nav--primary"') : html.index("</nav>", html.index('<nav class="md-nav md-nav--primary"'))]
    assert "departments/customer-service/index.html" in nav or "客服部" not in nav
    assert "roles/" not in nav.replace("../roles", "")  # no role entries in the sidebar


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value and name in ("href", "src", "xlink:href", "data"):
                self.urls.append(value)


@pytest.mark.slow
def test_every_internal_link_resolves(sample_site: SampleSite) -> None:
    """So the site works from file:// and any static server (PDFs come from the PDF step, checked by name only)."""
    site = sample_site.path
    missing = []
    for page in sorted(site.rglob("*.html")):
        if page.name == "404.html" and page.parent in (site, site / "en"):  # (each language's site has one)
            continue  # served by web servers for any missing address, so MkDocs gives it root-absolute links
        parser = Links()
        parser.feed(page.read_text(encoding="utf-8"))
        for url in parser.urls:
            parts = urlsplit(url)
            if parts.scheme or parts.netloc or not parts.path:
                continue
            if parts.path.startswith("/"):
                missing.append(f"{page.relative_to(site)} -> {url} (absolute: breaks file://)")
                continue
            target = (page.parent / unquote(parts.path)).resolve()
            rel = target.relative_to(site.resolve()).as_posix()
            if rel.startswith("pdf/"):
                assert re.fullmatch(r"pdf/(en/)?(roles/[a-z0-9-]+|departments/[a-z0-9-]+|handbook)\.pdf", rel), rel
                continue
            if not target.exists():
                missing.append(f"{page.relative_to(site)} -> {url}")
    assert not missing, missing[:20]


def _tree(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` with its bytes (the check's cache, .rolebook-cache/, is not an output)."""
    return {
        p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file() and ".rolebook-cache" not in p.relative_to(root).parts
    }


def _names(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name != ".rolebook-cache")


@pytest.mark.slow
def test_two_builds_are_byte_identical(sample_site: SampleSite, tmp_path: Path) -> None:
    again = tmp_path / "site"
    proc = run_build(REPO, again)
    assert proc.returncode == 0, proc.stderr
    first, second = _tree(sample_site.path), _tree(again)
    assert sorted(first) == sorted(second)
    differing = [name for name in first if first[name] != second[name]]
    assert not differing, differing
    assert not list(sample_site.path.rglob("sitemap.xml*"))  # no site_url: no sitemap (it would carry build dates)


# -- offline: no reference to anything outside the site --------------------------------

URL = re.compile(r"""(?:https?:)?//[A-Za-z0-9][A-Za-z0-9.-]*\.[A-Za-z]{2,}[^\s"'<>)`\\]*""", re.IGNORECASE)

# Namespace names are identifiers that browsers never fetch.
NAMESPACES = {"http://www.w3.org/2000/svg", "http://www.w3.org/1999/xlink", "http://www.w3.org/1999/xhtml"}
# Strings inside Material's and tablesort's minified code that are never fetched on this site;
# each is pinned to its file and says why. Anything new fails the test until it is understood.
ALLOWED: dict[str, dict[str, str]] = {
    "assets/javascripts/bundle.*.min.js": {
        "https://clipboardjs.com/": "licence banner of clipboard.js (a comment)",
        "https://unpkg.com/mermaid@11/dist/mermaid.min.js": "loaded only for Mermaid diagrams; generated pages have none and user text is escaped",
        "https://unpkg.com/resize-observer-polyfill": "loaded only by browsers without ResizeObserver (none since 2020)",
        "https://api.github.com/repos/": "repository facts, only with repo_url set to GitHub (not set)",
        "https://api.github.com/users/": "repository facts, only with repo_url set to GitHub (not set)",
    },
    "assets/javascripts/workers/search.*.min.js": {
        "http://lunrjs.com": "lunr licence banner (a comment)",
        "http://tartarus.org/~martin/PorterStemmer/js.txt": "Porter stemmer credit (a comment)",
        "https://bit.ly/2s3ChXG": "a link in an error message string",
    },
    "assets/stylesheets/main.*.min.css": {
        "https://fontawesome.com": "Font Awesome licence, in an SVG comment inside a data: URI",
    },
    "assets/rolebook/vendor/tablesort/*.js": {"http://tristen.ca/tablesort/demo/": "tablesort licence banner (a comment)"},
}


def _allowed(rel: str, url: str) -> bool:
    if url in NAMESPACES:
        return True
    return any(Path(rel).match(pattern) and any(url.startswith(u) for u in urls) for pattern, urls in ALLOWED.items())


# A hand-written page (docs/*.md) may link to a website the reader can choose to open, like any
# document; generated pages and everything the browser loads by itself may not.
LINK_OUT = re.compile(r"""(<a\s[^>]*?href=")(https?://[^"]+)(")""")


def _hand_written_pages() -> set[str]:
    return {p.with_suffix(".html").relative_to(REPO / "docs").as_posix() for p in (REPO / "docs").rglob("*.md") if p.name not in DEVELOPER_DOCS}


DEVELOPER_DOCS = ("benchmarks.md", "architecture.md")


def _offline_problems(site: Path, hand_written: set[str]) -> list[str]:
    found = []
    for path in sorted(site.rglob("*")):
        if not path.is_file() or path.suffix in (".png", ".pdf"):
            continue
        rel = path.relative_to(site).as_posix()
        text = path.read_text(encoding="utf-8", errors="replace")
        if rel in hand_written:
            text = LINK_OUT.sub(r"\1#\3", text)
        for m in URL.finditer(text):
            url = m.group(0)
            if url.startswith("//") and text[max(0, m.start() - 1)] in ":/\\":
                continue  # part of a longer URL already seen, or an escaped slash in a JavaScript regex
            if not _allowed(rel, url):
                found.append(f"{rel}: {url}")
    return found


@pytest.mark.slow
def test_no_reference_outside_the_site(sample_site: SampleSite) -> None:
    assert not _offline_problems(sample_site.path, _hand_written_pages())


def test_offline_scan_catches_a_cdn_url(tmp_path: Path) -> None:
    """The scanner itself can fail: a page with a CDN script, a protocol-relative font and an @import are all found."""
    page = '<script src="https://cdn.example.com/x.js"></script><link href="//fonts.example.org/a.css"> @import url(http://x.example.net/b.css)'
    assert [m.group(0) for m in URL.finditer(page)] == ["https://cdn.example.com/x.js", "//fonts.example.org/a.css", "http://x.example.net/b.css"]
    assert not _allowed("index.html", "https://unpkg.com/mermaid@11/dist/mermaid.min.js")
    (tmp_path / "roles").mkdir()
    (tmp_path / "roles/a.html").write_text('<a href="https://example.com/">x</a>', encoding="utf-8")
    (tmp_path / "about.html").write_text('<a href="https://example.com/">x</a><img src="https://example.com/t.png">', encoding="utf-8")
    assert _offline_problems(tmp_path, {"about.html"}) == ["about.html: https://example.com/t.png", "roles/a.html: https://example.com/"]


@pytest.mark.slow
def test_vendored_shim_replaces_unpkg(sample_site: SampleSite) -> None:
    html = (sample_site.path / "index.html").read_text(encoding="utf-8")
    assert '<script src="assets/rolebook/vendor/iframe-worker/shim.js"></script>' in html
    shipped = (sample_site.path / "assets/rolebook/vendor/iframe-worker/shim.js").read_bytes()
    assert shipped == (REPO / "rolebook/templates/vendor/iframe-worker/shim.js").read_bytes()
    assert "iframe-worker@1.0.4" in (REPO / "rolebook/templates/vendor/iframe-worker/SOURCE").read_text(encoding="utf-8")


# -- scratch handbooks: bad data, atomic swap, refusals ----------------------------------
# In process (rolebook.cli.main with capsys): the same code path as the console script, without
# paying Python's and jieba's start-up for every build.


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


BROKEN_CLERK = CLERK.replace("duties:", "dutys:")


def test_bad_data_exits_1_with_the_report_and_keeps_the_previous_site(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = make_handbook(tmp_path / "hb", minimal())
    site = root / "site"
    assert cli(capsys, "build", str(root))[0] == 0
    before = _tree(site)
    mtimes = {p: p.stat().st_mtime_ns for p in site.rglob("*")}

    (root / "roles/cs/clerk.yaml").write_text(BROKEN_CLERK, encoding="utf-8")
    bad = run_build(root, site)  # through the real command line
    check = cli(capsys, "check", str(root))
    assert bad.returncode == 1
    assert "roles/cs/clerk.yaml:6:1: error [unknown-key]" in bad.stderr
    assert bad.stderr == check[1]  # the same positioned report as check
    assert bad.stdout == ""
    assert _tree(site) == before
    assert {p: p.stat().st_mtime_ns for p in site.rglob("*")} == mtimes
    assert _names(root) == ["rolebook.yml", "roles", "site"]  # no temporary folder left


def test_a_failed_build_leaves_the_previous_site(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """A failure after the check (here Graphviz is missing) removes the half-built folder and keeps site/."""
    root = make_handbook(tmp_path / "hb", minimal())
    site = root / "site"
    assert cli(capsys, "build", str(root))[0] == 0
    before = _tree(site)
    (root / "roles/cs/boss.yaml").write_text((root / "roles/cs/boss.yaml").read_text(encoding="utf-8").replace("经理", "总经理"), encoding="utf-8")
    monkeypatch.setenv("PATH", str(tmp_path / "no-such-bin"))
    code, _out, err = cli(capsys, "build", str(root))
    assert code == 1
    assert "Graphviz" in err and "Traceback" not in err
    assert _tree(site) == before
    assert _names(root) == ["rolebook.yml", "roles", "site"]


def test_rebuild_replaces_the_site(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = make_handbook(tmp_path / "hb", minimal())
    site = tmp_path / "out" / "site"
    assert cli(capsys, "build", str(root), "--site-dir", str(site))[0] == 0
    (site / "stale.html").write_text("old", encoding="utf-8")
    (root / "roles/cs/clerk.yaml").write_text(CLERK.replace("接听电话", "接听电话并记录"), encoding="utf-8")
    assert cli(capsys, "build", str(root), "--site-dir", str(site))[0] == 0
    assert not (site / "stale.html").exists()
    assert "接听电话并记录" in (site / "roles/clerk.html").read_text(encoding="utf-8")
    assert sorted(p.name for p in site.parent.iterdir()) == ["site"]


def test_a_site_built_without_pdfs_links_none_and_with_them_links_every_one(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = make_handbook(tmp_path / "hb", minimal("en"))
    site = root / "site"

    def pdf_links() -> set[str]:
        found = set()
        for page in site.rglob("*.html"):
            parser = Links()
            parser.feed(page.read_text(encoding="utf-8"))
            found |= {(page.parent / u).resolve().relative_to(site.resolve()).as_posix() for u in parser.urls if u.endswith(".pdf")}
        return found

    assert cli(capsys, "build", str(root), "--no-pdf")[0] == 0
    assert not (site / "pdf").exists()
    assert pdf_links() == set()  # no button to a PDF that is not there
    assert cli(capsys, "build", str(root))[0] == 0
    linked = pdf_links()
    assert linked == {"pdf/handbook.pdf", "pdf/departments/cs.pdf", "pdf/roles/boss.pdf", "pdf/roles/clerk.pdf"}
    assert all((site / name).is_file() for name in linked)


@pytest.mark.parametrize("target", [".", "roles", "roles/cs", "docs/site", "..", "foreign"])
def test_build_refuses_targets_it_must_not_replace(tmp_path: Path, capsys: pytest.CaptureFixture[str], target: str) -> None:
    root = make_handbook(tmp_path / "hb", minimal())
    (root / "foreign").mkdir()
    (root / "foreign" / "notes.txt").write_text("keep me", encoding="utf-8")
    before = _tree(tmp_path)
    code, out, err = cli(capsys, "build", str(root), "--site-dir", str(root / target))
    assert code == 1, out
    assert err.startswith("rolebook: ") and "--site-dir" in err
    assert _tree(tmp_path) == before


def test_english_scratch_handbook(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = make_handbook(tmp_path / "hb", minimal("en"))
    code, out, err = cli(capsys, "build", str(root))
    assert code == 0, err
    assert out.startswith("Built the site in ")
    html = (root / "site/roles/clerk.html").read_text(encoding="utf-8")
    assert '<html lang="en"' in html and "Basic information" in html and "Print / PDF" in html
    assert "<title>专员 - Test Group</title>" in html


def test_hand_written_docs_and_home_text(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    files: dict[str, str | bytes] = dict(minimal())
    files["docs/index.md"] = "欢迎阅读 **本手册**。\n"
    files["docs/guide.md"] = "# 使用指南\n\n见 [全部岗位](positions.md)。\n"
    root = make_handbook(tmp_path / "hb", files)
    code, _out, err = cli(capsys, "build", str(root))
    assert code == 0, err
    home = (root / "site/index.html").read_text(encoding="utf-8")
    assert "欢迎阅读 <strong>本手册</strong>" in home  # docs/index.md becomes the home page's introduction
    assert '<a href="guide.html">使用指南</a>' in home
    assert 'href="positions.html"' in (root / "site/guide.html").read_text(encoding="utf-8")


def test_missing_jieba_fails_loudly(tmp_path: Path) -> None:
    root = make_handbook(tmp_path / "hb", minimal())
    code = "import sys; sys.modules['jieba'] = None; from rolebook.cli import main; sys.exit(main(sys.argv[1:]))"
    proc = subprocess.run([sys.executable, "-c", code, "build", str(root)], cwd=REPO, capture_output=True, text=True, check=False)
    assert proc.returncode == 1
    assert "jieba" in proc.stderr and "Traceback" not in proc.stderr
    assert not (root / "site").exists()


# -- plain mkdocs ------------------------------------------------------------------------


def test_mkdocs_build_stops_with_the_same_report(tmp_path: Path) -> None:
    files: dict[str, str | bytes] = dict(minimal())
    files["mkdocs.yml"] = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    files["docs/about.md"] = "# 关于\n"
    root = make_handbook(tmp_path / "hb", files)
    ok = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q"], cwd=root, capture_output=True, text=True, check=False)
    assert ok.returncode == 0, ok.stderr
    assert (root / "site/roles/clerk.html").is_file()
    before = _tree(root / "site")
    (root / "roles/cs/clerk.yaml").write_text(BROKEN_CLERK, encoding="utf-8")
    bad = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q"], cwd=root, capture_output=True, text=True, check=False)
    check = subprocess.run([sys.executable, "build.py", "check", str(root)], cwd=REPO, capture_output=True, text=True, check=False)
    assert bad.returncode == 1
    assert check.stdout in bad.stderr
    assert _tree(root / "site") == before


# -- serve: live preview ------------------------------------------------------------------


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as resp:
        body: bytes = resp.read()
        return body.decode("utf-8")


def _wait_for(predicate: object, timeout: float = 20) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():  # type: ignore[operator]
            return True
        time.sleep(0.1)
    return False


@pytest.mark.slow
def test_serve_rebuilds_on_edit_and_survives_a_broken_file(tmp_path: Path) -> None:
    root = make_handbook(tmp_path / "hb", minimal())
    port = free_port()
    log = tmp_path / "serve.log"
    with open(log, "w", encoding="utf-8") as out:
        proc = subprocess.Popen(
            [sys.executable, "build.py", "serve", str(root), "--dev-addr", f"127.0.0.1:{port}"], cwd=REPO, stdout=out, stderr=subprocess.STDOUT
        )
    try:
        wait_for_port(port, proc, timeout=60)
        url = f"http://127.0.0.1:{port}/roles/clerk.html"
        assert "接听电话" in _get(url)

        clerk = root / "roles/cs/clerk.yaml"
        clerk.write_text(CLERK.replace("接听电话", "接听并转接电话"), encoding="utf-8")
        assert _wait_for(lambda: "接听并转接电话" in _get(url)), "the edit never showed up"

        clerk.write_text(BROKEN_CLERK, encoding="utf-8")
        assert _wait_for(lambda: "[unknown-key]" in log.read_text(encoding="utf-8")), "no problem report"
        assert _wait_for(lambda: "Reloading browsers" in log.read_text(encoding="utf-8").split("[unknown-key]")[1])
        assert proc.poll() is None, "serve crashed on a broken file"
        assert "接听并转接电话" in _get(url)  # the last good page is still served, and promptly

        clerk.write_text(CLERK, encoding="utf-8")
        assert _wait_for(lambda: "接听并转接电话" not in _get(url))
    finally:
        proc.terminate()
        proc.wait(timeout=20)
    assert "roles/cs/clerk.yaml:6:1: error [unknown-key]" in log.read_text(encoding="utf-8")


def test_serve_watches_the_handbook_sources(tmp_path: Path) -> None:
    from mkdocs.config import load_config

    from rolebook.mkdocs_plugin import TEMPLATES_ROOT
    from rolebook.outputs.site import mkdocs_config

    root = make_handbook(tmp_path / "hb", minimal())
    with mkdocs_config(root) as config_file:
        config = load_config(config_file=str(config_file.read), config_file_path=str(config_file.at), site_dir=str(tmp_path / "s"))
        config.plugins.on_config(config)
    for path in (root / "roles", root / "rolebook.yml", SCHEMA_DIR, TEMPLATES_ROOT):
        assert str(path.resolve()) in config.watch
