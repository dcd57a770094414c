"""The site build's shortcuts change no byte of the site.

* Headings: a role or department page is put together from its heading lines, each converted once
  (``rolebook.outputs.engines.headings``), not run through Markdown as a whole.
* The sidebar: rolebook's copy of Material's ``partials/nav-item.html`` draws an item off the
  current page's path once for the pages it looks the same from (``rolebook.render.theme.NavMemo``).
* Two processes: a large site's role pages are rendered (``rolebook.workers.in_two``) and its role and
  department pages built (``rolebook.outputs.engines.shards``) by the build and a forked copy of it.

Each is held against the build without it — Markdown, Material's own drawing, one process — byte for byte,
on handbooks whose pages sit in folders side by side and inside each other, with directory
addresses and without, through the command line as users run it.
"""

from __future__ import annotations

import filecmp
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from bench.generate import generate
from rolebook.app.build import build_site
from rolebook.app.pipeline import check_handbook
from rolebook.mkdocs_plugin import RolebookPlugin
from rolebook.outputs.engines import headings, shards
from rolebook.render import pages, theme
from rolebook.resources import DEFAULT_MKDOCS_YML
from rolebook.workers import cores
from tests.conftest import REPO

pytestmark = pytest.mark.slow


def _material_nav_item() -> Path:
    import material

    return Path(material.__file__).parent / "templates" / "partials" / "nav-item.html"


def handbook(root: Path, roles: int, *, directory_urls: bool) -> Path:
    """A generated handbook with a sub-department, hand-written pages in nested folders and links into role pages."""
    generate(roles, root)
    sub = root / "roles" / "dept-0001" / "desk"
    sub.mkdir()
    (sub / "_department.yaml").write_text("name: 前台\nparent: dept-0001\n", encoding="utf-8")
    (sub / "greeter.yaml").write_text(
        "number: D-1\ntitle: 接待员\nheadcount: 1\nstatus: draft\nduties:\n  - duty: 接待\n    kpis: [满意度]\n", encoding="utf-8"
    )
    docs = root / "docs" / "guide"
    (docs / "more").mkdir(parents=True)
    role_ids = sorted(p.stem for p in (root / "roles").rglob("*.yaml") if p.name != "_department.yaml")
    late = role_ids[-1]
    (docs / "index.md").write_text(f"# 指南\n\n见 [岗位](../roles/{late}.md)。\n", encoding="utf-8")
    (docs / "more.md").write_text("# 更多\n\n[下一级](more/deep.md)\n", encoding="utf-8")
    (docs / "more" / "deep.md").write_text("# 深处\n\n正文。\n", encoding="utf-8")
    if directory_urls:
        default = DEFAULT_MKDOCS_YML.read_text(encoding="utf-8")
        assert "\n  - offline" in default  # the offline plugin turns directory addresses off
        (root / "mkdocs.yml").write_text(default.replace("\n  - offline", "\n") + "use_directory_urls: true\n", encoding="utf-8")
    return root


def build(root: Path, out: Path) -> Path:
    result = check_handbook(root, None)
    assert not result.failed(), result.problems
    build_site(result, out, pdf_links=False)
    return out


def same_tree(a: Path, b: Path) -> None:
    left = sorted(p.relative_to(a).as_posix() for p in a.rglob("*") if p.is_file())
    right = sorted(p.relative_to(b).as_posix() for p in b.rglob("*") if p.is_file())
    assert left == right
    match, mismatch, errors = filecmp.cmpfiles(a, b, left, shallow=False)
    assert (mismatch, errors) == ([], [])
    assert len(match) == len(left) > 100


HEADINGS_ROLE = """number: H-1
title: "职位基本信息 *星号* & <b>粗</b> [链接](x.md)"
headcount: 1
status: draft
summary:
  - group: 前台
    items: [接待来访。]
  - group: 前台
    items: [办理服务。]
duties:
  - group: 职位基本信息
    duties:
      - duty: 接待
        kpis: [满意度]
"""

TOC_VARIANT = """
markdown_extensions:
  - toc:
      permalink: "#"
      permalink_title: 本节链接
      toc_depth: 2
      slugify: !!python/object/apply:pymdownx.slugs.slugify {kwds: {case: lower}}
  - tables
  - attr_list
  - md_in_html
"""


def counted_headings(monkeypatch: pytest.MonkeyPatch) -> list[headings.Headings]:
    """Every Headings a build makes (the plugin's), to read what it did."""
    made: list[headings.Headings] = []
    original = headings.Headings.__init__

    def init(self: headings.Headings, *args: Any, **kwargs: Any) -> None:
        original(self, *args, **kwargs)
        made.append(self)

    monkeypatch.setattr(headings.Headings, "__init__", init)
    return made


@pytest.mark.parametrize("variant", ["default", "toc-options-directory-addresses", "page-render-per-line"])
def test_pages_put_together_from_their_headings_are_markdowns(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, variant: str) -> None:
    directory_urls = variant == "toc-options-directory-addresses"
    root = handbook(tmp_path / "hb", 120, directory_urls=directory_urls)
    # a title that is also a part's heading (Markdown gives it another id), Markdown's characters in it,
    # two groups of the same name (their ids collide): these pages go to Markdown whole
    (root / "roles" / "dept-0001" / "same-names.yaml").write_text(HEADINGS_ROLE, encoding="utf-8")
    if directory_urls:
        config = root / "mkdocs.yml"
        text = config.read_text(encoding="utf-8")
        config.write_text(text[: text.index("markdown_extensions:")] + TOC_VARIANT + text[text.index("\nextra:") :], encoding="utf-8")
    if variant == "page-render-per-line":  # another MkDocs, without the tree processors a shared Markdown needs
        monkeypatch.setattr(headings, "_MKDOCS_PROCESSORS", ("_NoSuchTreeprocessor",))
    made = counted_headings(monkeypatch)
    fast = build(root, tmp_path / "headings")
    assert made and not any(h.off for h in made)
    assert all(h.reuse == (variant != "page-render-per-line") for h in made)
    assert sum(h.taken for h in made) > 100  # most pages were put together from their headings
    monkeypatch.undo()
    monkeypatch.setattr(headings.Headings, "take", lambda self, page: None)
    markdown = build(root, tmp_path / "markdown")
    same_tree(fast, markdown)
    page = (fast / "roles" / "same-names" / "index.html" if directory_urls else fast / "roles" / "same-names.html").read_text(encoding="utf-8")
    assert 'id="前台_1"' in page and "&lt;b&gt;粗&lt;/b&gt;" in page


def test_a_page_markdown_converts_across_its_headings_is_left_to_markdown(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An extension that numbers a page's headings in order: the first pages compared give it away."""
    import markdown

    class Numbered(markdown.treeprocessors.Treeprocessor):
        def run(self, root: Any) -> None:
            for n, el in enumerate(e for e in root.iter() if e.tag in ("h1", "h2", "h3")):
                el.set("data-n", str(n))

    class Numbering(markdown.Extension):
        def extendMarkdown(self, md: markdown.Markdown) -> None:
            md.treeprocessors.register(Numbered(md), "numbered", 1)

    original = RolebookPlugin.on_config

    def on_config(self: RolebookPlugin, config: Any) -> Any:
        config.markdown_extensions.append(Numbering())
        return original(self, config)

    monkeypatch.setattr(RolebookPlugin, "on_config", on_config)
    made = counted_headings(monkeypatch)
    site = build(handbook(tmp_path / "hb", 20, directory_urls=False), tmp_path / "site")
    assert made and all(h.off and h.taken == 0 for h in made)
    for page in (site / "roles").glob("*.html"):
        text = page.read_text(encoding="utf-8")
        numbers = [int(n) for n in re.findall(r'<h[123][^>]* data-n="([0-9]+)"', text)]
        assert numbers == list(range(len(numbers))) and len(numbers) > 3, page


def materials_own_sidebar(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """rolebook's theme overrides without its copy of nav-item.html: Material draws the sidebar with its own."""
    plain = tmp_path / "theme"
    shutil.copytree(theme.THEME_DIR, plain)
    (plain / "partials" / "nav-item.html").unlink()
    monkeypatch.setattr(theme, "THEME_DIR", plain)


def _loop(text: str, first: str) -> str:
    """The loop in Material's template that starts with ``first``, from its ``{% for`` to its ``{% endfor %}``."""
    at = text.index(first)
    return text[at : text.index("{% endfor %}", at) + len("{% endfor %}")]


def test_rolebooks_nav_item_is_materials_but_for_two_loops() -> None:
    ours = (REPO / "rolebook" / "templates" / "site" / "theme" / "partials" / "nav-item.html").read_text(encoding="utf-8")
    theirs = _material_nav_item().read_text(encoding="utf-8")
    ours, theirs = ours[ours.index("-#}\n") + 4 :], theirs[theirs.index("-#}\n") + 4 :]
    find = _loop(theirs, "{% for item in nav_item.children %}\n        {% if item.is_index and _.index is none %}")
    items = _loop(theirs, "{% for item in nav_item.children %}\n              {% if not index or item != index %}")
    # each loop: rolebook's memo when the plugin put it there, else Material's loop as it was
    find_ours = (
        "{% if rolebook_nav_index is defined %}{% set found = rolebook_nav_index(find_index, nav_item) %}{{ found[1] }}{% set _.index = found[0] %}{% else %}"
        + find
        + "{% endif %}"
    )
    items_ours = (
        "{% if rolebook_nav_list is defined %}{{ rolebook_nav_list(render_items, nav_item, index, path, level, page) }}{% else %}" + items + "{% endif %}"
    )
    # and the macros the memo calls: the same loops, over what they are given
    find_macro = "{% macro find_index(nav_item) %}{% set _ = namespace(index = none) %}" + find + "{% endmacro %}\n"
    call = 'render(item, path ~ "_" ~ loop.index, level + 1, nav_item)'
    assert items.count(call) == 1
    items_macro = (
        "{% macro render_items(nav_item, index, path, level, items, offset) %}"
        + items.replace("{% for item in nav_item.children %}", "{% for item in items %}").replace(
            call, 'rolebook_nav_item(render, render_items, item, path ~ "_" ~ (offset + loop.index), level + 1, nav_item, page)'
        )
        + "{% endmacro %}\n"
    )
    for part in (find_ours, items_ours, find_macro, items_macro):
        assert ours.count(part) == 1, part
    back = ours.replace(find_macro, "").replace(items_macro, "").replace(find_ours, find).replace(items_ours, items)
    assert back == theirs, "Material's nav-item.html changed: copy it again and make the same changes"


@pytest.mark.parametrize("directory_urls", [False, True], ids=["file-addresses", "directory-addresses"])
def test_the_sidebar_drawn_once_is_materials(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, directory_urls: bool) -> None:
    root = handbook(tmp_path / "hb", 130, directory_urls=directory_urls)
    calls: list[str] = []
    for name in ("draw_list", "index_of", "_draw_on_path"):
        original = getattr(theme.NavMemo, name)

        def counted(self: theme.NavMemo, *args: Any, _original: Any = original, _name: str = name) -> Any:
            calls.append(_name)
            return _original(self, *args)

        monkeypatch.setattr(theme.NavMemo, name, counted)
    memo = build(root, tmp_path / "memo")
    assert calls.count("draw_list") > 130 and calls.count("index_of") > 130 and calls.count("_draw_on_path") > 130  # the memo drew the sidebars
    monkeypatch.undo()
    materials_own_sidebar(monkeypatch, tmp_path)
    material = build(root, tmp_path / "material")
    same_tree(memo, material)
    page = next((memo / "roles").rglob("index.html" if directory_urls else "*.html"))
    assert "md-nav__link--active" in page.read_text(encoding="utf-8")


@pytest.mark.parametrize("directory_urls", [False, True], ids=["file-addresses", "directory-addresses"])
def test_two_processes_build_the_site_one_builds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, directory_urls: bool) -> None:
    root = handbook(tmp_path / "hb", 460, directory_urls=directory_urls)
    cli = cli_build(root, tmp_path / "split")
    assert cli.returncode == 0, cli.stderr
    monkeypatch.setattr(shards, "MIN_PAGES", 10**9)
    monkeypatch.setattr(pages, "ROLES_IN_TWO", 10**9)  # the page sources too, in one process
    one = build(root, tmp_path / "one")
    same_tree(tmp_path / "split", one)


def cli_build(root: Path, site: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    return subprocess.run(
        [sys.executable, "build.py", "build", str(root), "--no-pdf", "--site-dir", str(site)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
        env=env,
    )


def test_a_broken_anchor_across_the_two_shares_is_reported_once(tmp_path: Path) -> None:
    root = handbook(tmp_path / "hb", 460, directory_urls=False)
    ids = sorted(p.stem for p in (root / "roles").rglob("r0*.yaml"))
    broken = "\n".join(f"- [{r}](../roles/{r}.md#no-such-part)" for r in ids[:4])
    (root / "docs" / "guide" / "links.md").write_text(f"# 链接\n\n{broken}\n", encoding="utf-8")
    done = cli_build(root, tmp_path / "split")
    assert done.returncode == 0, done.stderr
    said = [line for line in done.stderr.splitlines() if "no-such-part" in line]
    assert len(said) == 4 and len(set(said)) == 4, said  # links into both shares' pages: each once
    assert all(f"'roles/{r}.md' does not contain an anchor '#no-such-part'" in "\n".join(said) for r in ids[:4])


FAILING_HELPER = """
import sys
from pathlib import Path
from rolebook.app.build import build_site
from rolebook.app.pipeline import check_handbook
from rolebook.mkdocs_plugin import RolebookPlugin
from rolebook.outputs.engines import headings, shards
from rolebook.outputs.site import SiteError

def broken(self, config):
    raise RuntimeError("the helper's disk is full")

shards.MIN_PAGES = 10
shards.ShardPlugin._hand_over = broken
result = check_handbook(Path(sys.argv[1]), None)
try:
    build_site(result, Path(sys.argv[2]), pdf_links=False)
except SiteError as e:
    print("SiteError:", e)
"""


@pytest.mark.skipif(not (sys.platform.startswith("linux") and cores() >= 2), reason="the site is built in one process here")
def test_a_helper_that_fails_fails_the_build(tmp_path: Path) -> None:
    root = handbook(tmp_path / "hb", 30, directory_urls=False)
    (tmp_path / "split").mkdir()
    done = subprocess.run(
        [sys.executable, "-c", FAILING_HELPER, str(root), str(tmp_path / "split")], cwd=REPO, capture_output=True, text=True, timeout=300, check=True
    )
    assert "SiteError:" in done.stdout
    assert "the helper's disk is full" in done.stderr  # the helper's log, said by the main process
