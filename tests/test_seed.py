"""The sample handbook and the as-written transcription of the source document."""

from __future__ import annotations

from pathlib import Path

from rolebook.app.pipeline import check_handbook

REPO = Path(__file__).resolve().parent.parent
AS_WRITTEN = REPO / "tests" / "fixtures" / "as-written"
CS = "roles/customer-service"


def _line_of(path: Path, needle: str) -> int:
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if needle in line:
            return n
    raise AssertionError(f"{needle!r} not in {path}")


def test_sample_handbook_is_clean_and_complete() -> None:
    result = check_handbook(REPO, use_cache=False)
    assert result.problems == ()
    hb = result.handbook
    assert hb is not None
    # every position of the source document (14) plus the general manager
    assert len(hb.roles) == 15
    numbers = {r.number for r in hb.roles}
    assert {f"客-00{i}" for i in range(1, 9)} <= numbers
    assert hb.role("property-assistant").duties[0].name == "前台"
    assert [g.name for g in hb.role("property-assistant").duties] == ["前台", "贴心管家"]
    # the staffing table is derived, not typed
    assert [(r.title, n) for r, n in hb.staffing("marketing-cs")] == [("客服主管", 1), ("客服专员", 3)]
    # no glyph errors from the PDF extraction survive
    text = repr(hb.roles) + repr(hb.departments)  # the data, not the comments that explain corrections
    for bad in "吅挃幵挄丏讣纨戒贩":
        assert bad not in text, bad
    # the complaint-handling tactics are not job descriptions
    for tactic in ("避免客户录音", "能补不换", "拖的方式"):
        assert tactic not in text


def test_as_written_reports_exactly_the_five_inconsistencies() -> None:
    result = check_handbook(AS_WRITTEN, "en", use_cache=False)
    got = {(p.code, p.path, p.line) for p in result.problems}
    f = AS_WRITTEN / CS
    expected = {
        # 1. 解说组长: 10 % + 95 % = 105 %
        ("percent-sum", f"{CS}/guide-leader.yaml", _line_of(f / "guide-leader.yaml", "percent: 95")),
        # 2. 客服部经理 lists only 客服部主管, but 中介组长 reports to 客服经理 (the same manager)
        ("subordinates-mismatch", f"{CS}/cs-manager.yaml", _line_of(f / "cs-manager.yaml", "subordinates:")),
        # 3. 客服主管 lists only 物业助理, but 前台组长 and 解说组长 report to it
        ("subordinates-mismatch", f"{CS}/cs-supervisor.yaml", _line_of(f / "cs-supervisor.yaml", "subordinates:")),
        # 4. 前台组长 lists 物业助理, who reports to 客服主管
        ("subordinates-mismatch", f"{CS}/front-desk-leader.yaml", _line_of(f / "front-desk-leader.yaml", "- property-assistant")),
        # 5. 中介业务员 reports to 客户主管 (no such position); 中介组长's subordinate 中介员 (no such position)
        ("unknown-superior", f"{CS}/agency-agent.yaml", _line_of(f / "agency-agent.yaml", "reports_to:")),
        ("unknown-subordinate", f"{CS}/agency-leader.yaml", _line_of(f / "agency-leader.yaml", "- agency-staff")),
    }
    assert got == expected
    by_code = {p.code: p.message for p in result.problems}
    assert "did you mean 'cs-supervisor (客服主管)'" in by_code["unknown-superior"]
    assert "did you mean 'agency-agent (中介业务员)'" in by_code["unknown-subordinate"]
    assert result.handbook is None
