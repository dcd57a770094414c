"""The handbook PDF after an edit: only the groups of departments that changed are joined again,
and the result is byte for byte what a cold build of the edited handbook makes."""

from __future__ import annotations

from pathlib import Path

import pytest

from rolebook.app.pipeline import check_handbook
from rolebook.model import Handbook
from rolebook.outputs import pdf
from rolebook.outputs.pdf import join
from tests.pdf_support import six_departments
from tests.scratch import make_handbook


def _handbook(root: Path) -> Handbook:
    hb = check_handbook(root, use_cache=False).handbook
    assert hb is not None
    return hb


def test_an_edit_joins_only_its_group_again_and_gives_the_bytes_of_a_cold_build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_handbook(tmp_path / "hb", six_departments())
    monkeypatch.setattr(join, "JOIN_GROUP", 2)  # 6 departments: 3 groups after the front matter
    monkeypatch.setattr(join, "HANDBOOK_IN_PROCESS_PAGES", 0)  # joined into a file, as a large handbook is
    monkeypatch.setattr(join, "JOIN_IN_WORKER", False)  # here, so that the settings above hold
    joined: list[int] = []
    real = join.join_group

    def counting(pieces, stamps, start, target):  # type: ignore[no-untyped-def]
        joined.append(start)
        real(pieces, stamps, start, target)

    monkeypatch.setattr(join, "join_group", counting)
    first = pdf.write_pdfs(_handbook(root), tmp_path / "first", cache_dir=tmp_path / "cache", jobs=1, progress=False)
    assert len(joined) == 3 and first.warnings == (), joined

    def edit_and_compare(rel: str, old: str, new: str, name: str) -> list[int]:
        role = root / rel
        role.write_text(role.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
        joined.clear()
        hb = _handbook(root)
        again = pdf.write_pdfs(hb, tmp_path / name, cache_dir=tmp_path / "cache", jobs=1, progress=False)
        assert "handbook.pdf" in again.rendered
        regrouped = list(joined)
        cold = pdf.write_pdfs(hb, tmp_path / f"{name}-cold", cache_dir=tmp_path / f"{name}-cache", jobs=1, progress=False)
        assert cold.files == again.files
        for out in cold.files:
            assert (tmp_path / name / out).read_bytes() == (tmp_path / f"{name}-cold" / out).read_bytes(), out
        assert not list((tmp_path / "cache").glob(".tmp-*"))
        return regrouped

    # the last department's text changes, not its length: only the last group is joined again
    assert len(edit_and_compare("roles/d5/r5.yaml", "kpis: [及时性]", "kpis: [准确性]", "same-length")) == 1
    # the first department (by name) grows by pages: every group after it starts on another page
    duties = "".join(f"  - duty: 第{n}项职责，内容很长很长很长很长很长很长很长很长很长很长很长很长很长很长\n    kpis: [及时性]\n" for n in range(60))
    assert len(edit_and_compare("roles/d1/r1.yaml", "duties:\n", "duties:\n" + duties, "longer")) == 3


def test_org_charts_are_drawn_again_only_when_their_source_changes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from rolebook.outputs.pdf import plan

    root = make_handbook(tmp_path / "hb", six_departments())
    drawn: list[int] = []
    real = plan.render_svgs

    def counting(sources):  # type: ignore[no-untyped-def]
        drawn.append(len(sources))
        return real(sources)

    monkeypatch.setattr(plan, "render_svgs", counting)
    pdf.write_pdfs(_handbook(root), tmp_path / "first", cache_dir=tmp_path / "cache", jobs=1, progress=False)
    assert drawn == [6]
    drawn.clear()
    pdf.write_pdfs(_handbook(root), tmp_path / "again", cache_dir=tmp_path / "cache", jobs=1, progress=False)
    assert drawn == [0]
    # a title is in its department's chart: that chart alone is drawn again, and the PDFs are a cold build's
    role = root / "roles/d3/r3.yaml"
    role.write_text(role.read_text(encoding="utf-8").replace("title: Role 3", "title: Role Three"), encoding="utf-8")
    drawn.clear()
    hb = _handbook(root)
    edited = pdf.write_pdfs(hb, tmp_path / "edited", cache_dir=tmp_path / "cache", jobs=1, progress=False)
    assert drawn == [1]
    (svg,) = [p for p in (tmp_path / "cache").glob("*.svg") if b"Role 1<" in p.read_bytes()]
    svg.write_bytes(svg.read_bytes().replace(b"Role 1<", b"Role 9<"))  # a spoilt entry is drawn again
    drawn.clear()
    spoilt = pdf.write_pdfs(hb, tmp_path / "spoilt", cache_dir=tmp_path / "cache", jobs=1, progress=False)
    assert drawn == [1]
    drawn.clear()
    cold = pdf.write_pdfs(hb, tmp_path / "cold", cache_dir=tmp_path / "cold-cache", jobs=1, progress=False)
    assert drawn == [6] and cold.files == edited.files == spoilt.files
    for out in cold.files:
        assert (tmp_path / "edited" / out).read_bytes() == (tmp_path / "cold" / out).read_bytes(), out
        assert (tmp_path / "spoilt" / out).read_bytes() == (tmp_path / "cold" / out).read_bytes(), out
    assert "Role Three" in _text(tmp_path / "edited" / "departments/d3.pdf")


def _text(path: Path) -> str:
    import subprocess

    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
