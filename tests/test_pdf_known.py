"""Job descriptions whose template reads the same as at the last build are not rendered to HTML again
(rolebook.outputs.pdf.known), and the PDFs stay byte for byte a cold build's."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from rolebook.app.pipeline import check_handbook
from rolebook.model import Handbook
from rolebook.outputs import pdf
from rolebook.outputs.pdf import plan
from tests.pdf_support import six_departments
from tests.scratch import make_handbook


def _handbook(root: Path) -> Handbook:
    hb = check_handbook(root, use_cache=False).handbook
    assert hb is not None
    return hb


def _text(path: Path) -> str:
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout


@pytest.fixture
def rendered(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The ids of the roles whose print HTML is rendered."""
    seen: list[str] = []
    real = plan.role_document

    def counting(ctx, role, timestamp=None):  # type: ignore[no-untyped-def]
        seen.append(role.id)
        return real(ctx, role, timestamp)

    monkeypatch.setattr(plan, "role_document", counting)
    return seen


def _same_as_cold(hb: Handbook, tmp_path: Path, name: str, report: pdf.PdfReport) -> None:
    cold = pdf.write_pdfs(hb, tmp_path / f"{name}-cold", cache_dir=tmp_path / f"{name}-cache", jobs=1, progress=False)
    assert cold.files == report.files
    for out in cold.files:
        assert (tmp_path / name / out).read_bytes() == (tmp_path / f"{name}-cold" / out).read_bytes(), out


def test_a_role_read_by_another_renders_both_again_and_the_bytes_are_a_cold_builds(tmp_path: Path, rendered: list[str]) -> None:
    root = make_handbook(tmp_path / "hb", six_departments())
    cache = tmp_path / "cache"
    pdf.write_pdfs(_handbook(root), tmp_path / "first", cache_dir=cache, jobs=1, progress=False)
    assert sorted(rendered) == ["boss", "clerk", "r1", "r2", "r3", "r4", "r5"]

    rendered.clear()
    again = pdf.write_pdfs(_handbook(root), tmp_path / "again", cache_dir=cache, jobs=1, progress=False)
    assert rendered == [] and again.roles_rendered == 0

    # the clerk's form shows its superior's title: the boss's new title renders the clerk's HTML again
    boss = root / "roles/cs/boss.yaml"
    boss.write_text(boss.read_text(encoding="utf-8").replace("title: 经理", "title: 总监"), encoding="utf-8")
    rendered.clear()
    hb = _handbook(root)
    edited = pdf.write_pdfs(hb, tmp_path / "edited", cache_dir=cache, jobs=1, progress=False)
    assert sorted(set(rendered)) == ["boss", "clerk"], rendered
    assert "总监" in _text(tmp_path / "edited" / "roles/clerk.pdf")
    _same_as_cold(hb, tmp_path, "edited", edited)


def test_an_edit_renders_its_part_with_the_html_of_its_neighbours(tmp_path: Path, rendered: list[str]) -> None:
    root = make_handbook(tmp_path / "hb", six_departments())
    cache = tmp_path / "cache"
    pdf.write_pdfs(_handbook(root), tmp_path / "first", cache_dir=cache, jobs=1, progress=False)
    clerk = root / "roles/cs/clerk.yaml"
    clerk.write_text(clerk.read_text(encoding="utf-8").replace("接听电话", "接听来电"), encoding="utf-8")
    rendered.clear()
    hb = _handbook(root)
    edited = pdf.write_pdfs(hb, tmp_path / "edited", cache_dir=cache, jobs=1, progress=False)
    # the clerk's part (its department's overview, the boss and the clerk) is laid out again: the boss's
    # HTML is rendered for it, though its own PDF is reused
    assert sorted(set(rendered)) == ["boss", "clerk"] and edited.rendered.count("roles/clerk.pdf") == 1
    assert "roles/boss.pdf" in edited.reused
    assert "接听来电" in _text(tmp_path / "edited" / "departments/cs.pdf")
    _same_as_cold(hb, tmp_path, "edited", edited)


def test_a_spoilt_index_renders_every_role_again(tmp_path: Path, rendered: list[str]) -> None:
    root = make_handbook(tmp_path / "hb", six_departments())
    cache = tmp_path / "cache"
    pdf.write_pdfs(_handbook(root), tmp_path / "first", cache_dir=cache, jobs=1, progress=False)
    (index,) = cache.glob("*.index.json")
    index.write_text("{not json", encoding="utf-8")
    rendered.clear()
    again = pdf.write_pdfs(_handbook(root), tmp_path / "again", cache_dir=cache, jobs=1, progress=False)
    assert len(rendered) == 7 and again.roles_rendered == 0
    assert index.read_text(encoding="utf-8").startswith("{")
    assert pdf.write_pdfs(_handbook(root), tmp_path / "third", cache_dir=cache, jobs=1, progress=False).reused


def test_a_job_description_is_laid_out_again_in_the_form_it_took(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A form that fits only tightened (rolebook.outputs.pdf.engine.fitted) is laid out tightened at once when
    its part is laid out again, and the PDFs are still a cold build's."""
    from rolebook.outputs.pdf import engine
    from tests.scratch import CLERK, ONE_LANGUAGE, minimal

    files = dict(minimal())
    files["rolebook.yml"] = (ONE_LANGUAGE / "rolebook.yml").read_text(encoding="utf-8")  # (signatures: the form is longer)
    files["roles/mall/_department.yaml"] = (ONE_LANGUAGE / "roles/lighting-mall/_department.yaml").read_text(encoding="utf-8").replace("parent: group\n", "")
    files["roles/mall/mall-cs.yaml"] = (ONE_LANGUAGE / "roles/lighting-mall/mall-cs.yaml").read_text(encoding="utf-8")
    files["roles/mall/helper.yaml"] = CLERK.replace("T-002", "T-900").replace("reports_to: boss\n", "")
    root = make_handbook(tmp_path / "hb", files)
    layouts: list[str] = []  # the forms 灯-001 is laid out in
    real_parse, real_render = engine._parse, engine._render
    targets: list[object] = []  # its parsed documents (kept, so that none is mistaken for another)

    def parse(html_text):  # type: ignore[no-untyped-def]
        parsed = real_parse(html_text)
        if "<title>灯-001 " in html_text:  # its job description (not the overview or contents that list it)
            targets.append(parsed)
        return parsed

    def render(parsed, stylesheets, fonts, extra=""):  # type: ignore[no-untyped-def]
        if any(parsed is t for t in targets):
            layouts.append("tight" if extra else "plain")
        return real_render(parsed, stylesheets, fonts, extra)

    monkeypatch.setattr(engine, "_parse", parse)
    monkeypatch.setattr(engine, "_render", render)
    cache = tmp_path / "cache"
    pdf.write_pdfs(_handbook(root), tmp_path / "first", cache_dir=cache, jobs=1, progress=False)
    assert layouts == ["plain", "tight"], layouts  # it spills over a little: tightened, and kept
    helper = root / "roles/mall/helper.yaml"
    helper.write_text(helper.read_text(encoding="utf-8").replace("接听电话", "接听来电"), encoding="utf-8")
    layouts.clear()
    hb = _handbook(root)
    edited = pdf.write_pdfs(hb, tmp_path / "edited", cache_dir=cache, jobs=1, progress=False)
    assert layouts == ["tight"], layouts  # its part again: in its form at once
    assert "roles/mall-cs.pdf" in edited.reused
    _same_as_cold(hb, tmp_path, "edited", edited)
