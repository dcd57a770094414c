"""A handbook in two languages: the setting, text per language, the translation checks, the model
in each language, and the PDFs per language — through the real CLI and the real files."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from pypdf import PdfReader

from rolebook.app.pipeline import check_handbook
from rolebook.bilingual import Choice, Fallback
from rolebook.cli import main
from rolebook.i18n import Lang
from tests.scratch import ONE_LANGUAGE, REPO, bilingual_sample, make_handbook, minimal

LINE = re.compile(r"^(\S+?):(\d+):(\d+): (error|warning) \[([a-z-]+)\] (.*)$", re.M)


def _check(root: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> tuple[int, str]:
    code = main(["check", str(root), *extra])
    out, err = capsys.readouterr()
    assert err == ""
    return code, out


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    return bilingual_sample(tmp_path / "hb")


def test_the_bilingual_sample_has_every_text_in_both_languages(sample: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = _check(sample, capsys, "--lang", "en")
    assert (code, out) == (0, "Checked 24 files: no problems found.\n")


def _untranslate_mall_title(sample: Path) -> None:
    path = sample / "roles/lighting-mall/mall-cs.yaml"
    text = path.read_text(encoding="utf-8")
    assert "title:\n  zh: 客服\n  en: Customer Service Associate\n" in text
    path.write_text(text.replace("title:\n  zh: 客服\n  en: Customer Service Associate\n", "title: 客服\n"), encoding="utf-8")


def test_the_model_in_english_has_the_translations_and_marks_what_fell_back(sample: Path) -> None:
    _untranslate_mall_title(sample)
    result = check_handbook(sample, use_cache=False)
    zh, en = result.handbook, result.handbook_in("en")
    assert zh is not None and en is not None
    assert zh.settings.language == "zh" and en.settings.language == "en"
    assert (zh.settings.organisation, en.settings.organisation) == ("示例集团", "Example Group")
    titles = {r.id: r.title for r in en.roles if r.department == "customer-service"}
    assert titles == {
        "cs-manager": "Customer Service Manager",
        "cs-supervisor": "Customer Service Supervisor",
        "front-desk-leader": "Front Desk Team Leader",
        "property-assistant": "Property Assistant",
        "guide-leader": "Show Flat Team Leader",
        "guide": "Show Flat Guide",
        "agency-leader": "Agency Team Leader",
        "agency-agent": "Property Agent",
    }
    assert not any(isinstance(t, Fallback) for t in titles.values())
    assert en.department("customer-service").name == "Customer Service Department"
    pa = en.role("property-assistant")
    assert [g.name for g in pa.summary] == ["Front desk", "Resident concierge"]
    assert next(d.kpis for _, _, d in pa.numbered_duties()) == ("Timeliness",)
    # ids, numbers and the structure are shared
    assert [r.id for r in en.roles] == [r.id for r in zh.roles]
    assert pa.number == zh.role("property-assistant").number == "客-004"
    # not translated yet: the Chinese text, marked as falling back to the main language
    assert en.role("general-manager").title == "General Manager"
    mall = en.role("mall-cs")
    assert mall.title == zh.role("mall-cs").title and isinstance(mall.title, Fallback) and mall.title.lang == "zh"
    # the main language's model is the one-language model: no marks
    assert not any(isinstance(r.title, Fallback) for r in zh.roles)
    assert zh.role("property-assistant").title == "物业助理"


def test_a_removed_english_title_gives_one_positioned_warning(sample: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = sample / "roles/customer-service/property-assistant.yaml"
    text = path.read_text(encoding="utf-8")
    assert "  en: Property Assistant\n" in text
    path.write_text(text.replace("  en: Property Assistant\n", ""), encoding="utf-8")
    code, out = _check(sample, capsys, "--lang", "en")
    mine = [f for f in LINE.findall(out) if f[0] == "roles/customer-service/property-assistant.yaml"]
    line = text.splitlines().index("  zh: 物业助理") + 1  # the value: its remaining language
    assert mine == [
        (
            "roles/customer-service/property-assistant.yaml",
            str(line),
            "3",
            "warning",
            "missing-translation",
            "'title' has no English text; the Chinese text is shown in its place",
        )
    ]
    assert code == 0
    assert _check(sample, capsys, "--strict")[0] == 1
    # in the reader's language
    _, out_zh = _check(sample, capsys, "--lang", "zh")
    assert f"property-assistant.yaml:{line}:3: warning [missing-translation] “title”没有英文文字；那里显示的是中文文字" in out_zh
    result = check_handbook(sample, use_cache=False)
    en = result.handbook_in("en")
    assert en is not None and isinstance(en.role("property-assistant").title, Fallback)


def test_a_one_language_handbook_reads_text_given_per_language_in_its_language(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    files = minimal("zh")
    files["roles/cs/clerk.yaml"] = files["roles/cs/clerk.yaml"].replace("title: 专员", "title: {zh: 专员, en: Clerk}")
    root = make_handbook(tmp_path / "hb", files)
    code, out = _check(root, capsys)
    assert code == 0 and out.endswith("没有发现问题。\n"), out
    result = check_handbook(root, use_cache=False)
    assert result.settings.languages == ("zh",)
    assert result.handbook is not None and result.handbook.role("clerk").title == "专员"
    # a text with no text in the handbook's language
    files["roles/cs/clerk.yaml"] = files["roles/cs/clerk.yaml"].replace("title: {zh: 专员, en: Clerk}", "title: {en: Clerk}")
    make_handbook(root, files)
    _, out = _check(root, capsys, "--lang", "en")
    assert "roles/cs/clerk.yaml:2:8: warning [missing-translation] 'title' has no Chinese text; the English text is shown in its place" in out


def test_languages_set_alone_or_with_language(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    files = minimal("en")
    files["rolebook.yml"] = "organisation: Test Group\nlanguages: [en]\n"
    root = make_handbook(tmp_path / "hb", files)
    code, out = _check(root, capsys)
    assert code == 0 and out.endswith("no problems found.\n")
    files["rolebook.yml"] = "organisation: Test Group\nlanguages: [en, fr]\n"
    make_handbook(root, files)
    code, out = _check(root, capsys)
    assert code == 1 and "rolebook.yml:2:17: error [invalid-value]" in out and "'fr'" in out
    files["rolebook.yml"] = "organisation: Test Group\n"
    make_handbook(root, files)
    code, out = _check(root, capsys, "--lang", "en")
    assert code == 1 and "rolebook.yml:1:1: error [missing-key] 'language' (Language) is missing" in out


def test_choice_falls_back_to_the_main_language_and_marks_it() -> None:
    c = Choice("en", "zh")
    assert c.text({"zh": "物业助理", "en": "Property Assistant"}) == "Property Assistant"
    fell = c.text({"zh": "物业助理"})
    assert fell == "物业助理" and isinstance(fell, Fallback) and fell.lang == "zh"
    assert c.text("KPI 5S") == "KPI 5S" and not isinstance(c.text("KPI 5S"), Fallback)
    assert isinstance(c.text("及时性"), Fallback)  # plain Chinese in the English handbook
    assert c.texts({"zh": ["甲", "乙"], "en": ["A"]}) == ("A",)
    assert [isinstance(x, Fallback) for x in c.texts({"zh": ["甲", "乙"]})] == [True, True]
    assert c.texts([{"zh": "甲", "en": "A"}, "乙"]) == ("A", "乙")
    main = Choice("zh", "zh")
    assert main.text("及时性") == "及时性" and not isinstance(main.text("及时性"), Fallback)
    import pickle

    again = pickle.loads(pickle.dumps(fell))
    assert again == fell and isinstance(again, Fallback) and again.lang == "zh"


def test_the_bilingual_sample_keeps_every_comment_of_the_one_language_sample() -> None:
    files = sorted((ONE_LANGUAGE / "roles").glob("*/*.yaml"))
    assert len(files) == 23
    for one in files:
        translated = REPO / one.relative_to(ONE_LANGUAGE)
        original = one.read_text(encoding="utf-8")
        comments = [ln.strip() for ln in original.splitlines() if ln.strip().startswith("#")]
        mine = [ln.strip() for ln in translated.read_text(encoding="utf-8").splitlines() if ln.strip().startswith("#")]
        assert mine == comments, translated.name


def _pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(path).pages)


@pytest.mark.slow
def test_pdfs_per_language(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = tmp_path / "hb"
    shutil.copytree(Path(__file__).parent / "cases/valid/two-languages", root)
    (root / "README.md").unlink()
    assert main(["pdf", str(root)]) == 0
    capsys.readouterr()
    pdf = root / "site/pdf"
    main_files = sorted(p.relative_to(pdf).as_posix() for p in pdf.rglob("*.pdf") if not p.relative_to(pdf).as_posix().startswith("zh/"))
    assert "roles/boss.pdf" in main_files and "zh/roles/boss.pdf" in [p.relative_to(pdf).as_posix() for p in pdf.rglob("*.pdf")]
    en_text, zh_text = _pdf_text(pdf / "roles/boss.pdf"), _pdf_text(pdf / "zh/roles/boss.pdf")
    assert "Manager" in en_text and "Job description" in en_text and "Manage the department" in en_text
    assert not re.search("[\u4e00-\u9fff]", en_text), en_text
    assert "经理" in zh_text and "职位说明书" in zh_text and "部门管理" in zh_text and "Job description" not in zh_text
    assert (pdf / "zh/handbook.pdf").exists() and (pdf / "zh/departments/cs.pdf").exists()
    # a second run replaces the language folder it wrote (it is not someone else's file)
    assert main(["pdf", str(root)]) == 0


def _csv(path: Path) -> list[list[str]]:
    import csv

    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.reader(fh))


def test_export_has_a_column_per_language_and_import_reads_them_back(sample: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _untranslate_mall_title(sample)
    out = tmp_path / "out"
    out.mkdir()
    assert main(["export", str(sample), "--format", "csv", "-o", str(out) + "/"]) == 0
    positions = _csv(out / "rolebook-positions.csv")
    head = positions[0]
    assert head[head.index("职位") + 1] == "Title (en)"
    assert head[head.index("学历") + 1] == "Education (en)"
    pa = next(row for row in positions if row[1] == "property-assistant")
    assert pa[head.index("Title (en)")] == "Property Assistant" and pa[head.index("职位")] == "物业助理"
    mall = next(row for row in positions if row[1] == "mall-cs")
    assert mall[head.index("Title (en)")] == "", "a missing translation is an empty cell, not the Chinese text"
    duties = _csv(out / "rolebook-duties.csv")
    assert "Timeliness" in next(row for row in duties if row[0] == "property-assistant")
    settings = _csv(out / "rolebook-settings.csv")
    assert settings[0][:3] == ["组织名称", "Organisation (en)", "语言（多种）"] and settings[1][:3] == ["示例集团", "Example Group", "zh\nen"]
    capsys.readouterr()
    # the export comes back unchanged
    assert main(["import", str(out / "rolebook-positions.csv"), str(sample), "--dry-run"]) == 0
    assert "0 个、修改 0 个" in capsys.readouterr().out
    # an English title edited in the sheet, one removed
    pa[head.index("Title (en)")] = "Property Services Assistant"
    guide = next(row for row in positions if row[1] == "guide")
    guide[head.index("Title (en)")] = ""
    import csv

    with open(out / "rolebook-positions.csv", "w", encoding="utf-8-sig", newline="") as fh:
        csv.writer(fh, lineterminator="\r\n").writerows(positions)
    before = (sample / "roles/customer-service/property-assistant.yaml").read_text(encoding="utf-8")
    assert main(["import", str(out / "rolebook-positions.csv"), str(sample), "--overwrite", "--lang", "en"]) == 0
    printed = "".join(capsys.readouterr())
    assert "updated   roles/customer-service/property-assistant.yaml" in printed
    assert re.search(r"rolebook-positions\.csv:\d+:\d+: warning \[missing-translation\] 'title' has no English text", printed), printed
    after = (sample / "roles/customer-service/property-assistant.yaml").read_text(encoding="utf-8")
    assert after == before.replace("  en: Property Assistant\n", "  en: Property Services Assistant\n")
    result = check_handbook(sample, use_cache=False)
    en = result.handbook_in("en")
    assert en is not None
    assert en.role("property-assistant").title == "Property Services Assistant"
    assert en.role("guide").title == "解说员" and isinstance(en.role("guide").title, Fallback)
    assert en.role("guide").summary == check_handbook(bilingual_sample(tmp_path / "again"), use_cache=False).handbook_in("en").role("guide").summary  # type: ignore[union-attr]


def test_a_one_language_export_has_no_language_columns(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = make_handbook(tmp_path / "hb", minimal("zh"))
    out = tmp_path / "out"
    out.mkdir()
    assert main(["export", str(root), "--format", "csv", "-o", str(out) + "/"]) == 0
    assert not any("(en)" in h for h in _csv(out / "rolebook-positions.csv")[0])
    assert _csv(out / "rolebook-settings.csv")[0] == ["组织名称", "语言", "标志", "签字栏", "复审周期（月）", "版本", "纸张", "网站引擎"]


def test_an_export_of_one_language_imported_keeps_the_translations(sample: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The JSON export holds the main language only: importing it (edited) changes that language's text, never loses the English."""
    out = tmp_path / "hb.json"
    assert main(["export", str(sample), "--format", "json", "-o", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    assert text.count('"物业助理"') == 1
    out.write_text(text.replace('"物业助理"', '"物业服务助理"'), encoding="utf-8")
    before = {p: p.read_text(encoding="utf-8") for p in sorted(sample.rglob("*.y*ml"))}
    capsys.readouterr()
    assert main(["import", str(out), str(sample), "--overwrite"]) == 0
    after = {p: p.read_text(encoding="utf-8") for p in sorted(sample.rglob("*.y*ml"))}
    changed = [p.relative_to(sample).as_posix() for p in before if before[p] != after[p]]
    assert changed == ["roles/customer-service/property-assistant.yaml"]
    pa = sample / "roles/customer-service/property-assistant.yaml"
    assert after[pa] == before[pa].replace("  zh: 物业助理\n", "  zh: 物业服务助理\n")
    assert "languages: [zh, en]" in after[sample / "rolebook.yml"]


def test_new_scaffolds_every_text_in_both_languages(sample: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["new", "department", "front-office", "--name", "前厅部", "--parent", "property", str(sample)]) == 0
    assert main(["new", "role", "concierge", "--department", "front-office", "--title", "礼宾员", str(sample)]) == 0
    capsys.readouterr()
    role = (sample / "roles/front-office/concierge.yaml").read_text(encoding="utf-8")
    assert "title:\n  zh: 礼宾员\n  en: (to fill in)\n" in role
    assert "  - duty:\n      zh: （待填写）\n      en: (to fill in)\n    kpis:\n      - zh: （待填写）\n        en: (to fill in)\n" in role
    dept = (sample / "roles/front-office/_department.yaml").read_text(encoding="utf-8")
    assert "name:\n  zh: 前厅部\n  en: (to fill in)\n" in dept
    code, out = _check(sample, capsys, "--lang", "en")
    assert code == 0
    mine = [f for f in LINE.findall(out) if f[0].startswith("roles/front-office/")]
    assert mine and {f[4] for f in mine} == {"placeholder"}, "a new file only waits to be filled in, in each language"
    result = check_handbook(sample, use_cache=False)
    en = result.handbook_in("en")
    assert en is not None and en.role("concierge").title == "(to fill in)" and result.handbook.role("concierge").title == "礼宾员"  # type: ignore[union-attr]


def test_new_in_a_one_language_handbook_is_unchanged(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = make_handbook(tmp_path / "hb", minimal("zh"))
    assert main(["new", "role", "aide", "--department", "cs", "--title", "助理", str(root)]) == 0
    text = (root / "roles/cs/aide.yaml").read_text(encoding="utf-8")
    assert "title: 助理\n" in text and "zh:" not in text and "en:" not in text


def test_the_site_pages_of_the_english_model_are_english(sample: Path) -> None:
    """render/ is pure: the pages of the model in one language are that language's pages (what the
    site per language will publish under /en/)."""
    from rolebook.render.links import role_src
    from rolebook.render.pages import render_pages

    result = check_handbook(sample, use_cache=False)
    en = result.handbook_in("en")
    assert en is not None
    pages = {p.src_uri: p for p in render_pages(en)}
    role = pages[role_src("property-assistant")]
    assert role.title == "Property Assistant"
    assert "Resident concierge" in role.content and "Timeliness" in role.content
    translated = [pages[role_src(r.id)] for r in en.roles if r.department == "customer-service"]
    assert len(translated) == 8
    for page in translated:  # labels and content: no Chinese but the shared document number
        assert not re.search("[\u4e00-\u9fff]", page.content.replace("客-", "")), page.src_uri


def test_a_text_from_one_language_keeps_the_other_language() -> None:
    from rolebook.bilingual import keep_translations

    old = {"title": {"zh": "物业助理", "en": "Property Assistant"}, "duties": [{"duty": {"zh": "甲", "en": "A"}, "kpis": {"zh": ["乙"], "en": ["B"]}}]}
    new = {"title": "物业服务助理", "duties": [{"duty": "甲甲", "kpis": ["乙", "丙"]}]}
    assert keep_translations(new, old, "zh") == {
        "title": {"zh": "物业服务助理", "en": "Property Assistant"},
        "duties": [{"duty": {"zh": "甲甲", "en": "A"}, "kpis": {"zh": ["乙", "丙"], "en": ["B"]}}],
    }
    assert keep_translations({"title": "Property Services Assistant"}, old, "en") == {"title": {"zh": "物业助理", "en": "Property Services Assistant"}}
    assert keep_translations({"title": "x"}, {"title": "y"}, "zh") == {"title": "x"}
    # a list that changed length cannot be matched item by item: the new list as it is
    assert keep_translations({"kpis": ["a", "b"]}, {"kpis": [{"zh": "甲", "en": "A"}]}, "zh") == {"kpis": ["a", "b"]}


def test_the_switcher_opens_the_same_page_in_the_other_language() -> None:
    from rolebook.render.languages import language_links, language_pdf, language_src

    both: tuple[Lang, ...] = ("zh", "en")
    assert language_src("roles/guide.md", "zh", both) == "roles/guide.md"
    assert language_src("roles/guide.md", "en", both) == "en/roles/guide.md"
    assert language_pdf("pdf/roles/guide.pdf", "en", both) == "pdf/en/roles/guide.pdf"
    assert language_pdf("pdf/handbook.pdf", "zh", both) == "pdf/handbook.pdf"
    main_side = language_links("roles/guide.md", "zh", both)
    assert [(x.lang, x.name, x.href, x.current) for x in main_side] == [("zh", "中文", "guide.html", True), ("en", "English", "../en/roles/guide.html", False)]
    en_side = language_links("roles/guide.md", "en", both, directory_urls=True)
    assert [(x.name, x.href) for x in en_side] == [("中文", "../../../roles/guide/"), ("English", "./")]
    assert language_links("index.md", "en", both)[0].href == "../index.html"
    assert language_links("roles/guide.md", "zh", ("zh",)) == ()


@pytest.mark.slow
def test_build_makes_the_site_and_the_pdfs_of_each_language(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = tmp_path / "hb"
    shutil.copytree(Path(__file__).parent / "cases/valid/two-languages", root)
    (root / "README.md").unlink()
    assert main(["build", str(root)]) == 0
    capsys.readouterr()
    site = root / "site"
    assert "Manager" in (site / "roles/boss.html").read_text(encoding="utf-8")  # the main language's site (English)
    assert (site / "pdf/roles/boss.pdf").exists() and (site / "pdf/zh/roles/boss.pdf").exists()
    assert "经理" in _pdf_text(site / "pdf/zh/roles/boss.pdf")
    # built again: the language folder is the build's own, replaced as a whole
    assert main(["build", str(root)]) == 0
