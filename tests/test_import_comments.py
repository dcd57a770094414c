"""Comments HR wrote survive every import: clearing any set of values in the workbook removes those
values and keeps every comment line of the file (those above, inside and after each value)."""

from __future__ import annotations

import collections
import io
import re
import tempfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rolebook.cli import main
from rolebook.i18n import Messages
from rolebook.load.yamlstrict import parse_yaml
from rolebook.sheets.layout import POSITIONS
from tests.scratch import make_handbook, minimal

BOSS = """\
# the manager's file
# about number
number: T-001
# about title
title: 经理
# about subordinates
subordinates:
  # about the first subordinate
  - clerk  # end of the subordinate line
# about headcount
headcount: 1
# about status
status: approved
# about effective_date
effective_date: "2020-01-01"
# about approver
approver: 总经理  # end of the approver line
# about approval_date
approval_date: "2020-01-01"
# about revision
revision: A
# about summary
summary:
  # about the first summary item
  - 负责部门的全面管理。
  # about the second summary item
  - 第二条。
# about relationships
relationships:
  # about internal
  internal:
    # about the internal percent
    percent: 40
    # about the internal parties
    parties:
      - 各部门  # end of the party line
  # about external
  external:
    # about the external percent
    percent: 60
    # about the external parties
    parties: [客户]
# about qualifications
qualifications:
  # about education
  education: 大专以上
  # about experience
  experience: 三年以上
  # about abilities
  abilities: 沟通  # end of the abilities line
  # about other
  other: 形象
# about duties
duties:
  # about the first duty
  - duty: 部门管理
    # about the kpis
    kpis:
      - 满意度  # end of the kpi line
  # about the second duty
  - duty: 团队建设
    kpis: [凝聚力]
# the end of the file
"""

# what HR can clear for the manager without making the file invalid: column key -> the file's key path
CLEARABLE = {
    "subordinates": ("subordinates",),
    "effective_date": ("effective_date",),
    "approver": ("approver",),
    "approval_date": ("approval_date",),
    "revision": ("revision",),
    "internal.parties": ("relationships", "internal", "parties"),
    "external.parties": ("relationships", "external", "parties"),
    "abilities": ("qualifications", "abilities"),
    "other": ("qualifications", "other"),
    "summary": ("summary",),  # every row of the manager in 职责综述
    "kpis": ("duties", 0, "kpis"),  # the first duty's KPIs in 职责
}


def comments(text: str) -> collections.Counter[str]:
    return collections.Counter(m.group().strip() for m in re.finditer(r"#.*", text))


def lookup(data: Any, path: tuple[str | int, ...]) -> Any:
    for part in path:
        if isinstance(part, int):
            data = data[part] if isinstance(data, list) and len(data) > part else None
        else:
            data = data.get(part) if isinstance(data, dict) else None
    return data


def cleared(xlsx: bytes, fields: set[str]) -> bytes:
    wb = openpyxl.load_workbook(io.BytesIO(xlsx))
    keys = [c.key for c in POSITIONS.columns]
    row = next(r for r in wb["岗位"].iter_rows(min_row=2) if r[1].value == "boss")
    for key in fields & set(keys):
        row[keys.index(key)].value = None
    if "summary" in fields:
        ws = wb["职责综述"]
        for i in reversed([r[0].row for r in ws.iter_rows(min_row=2) if r[0].value == "boss"]):
            ws.delete_rows(i)
    if "kpis" in fields:
        first = next(r for r in wb["职责"].iter_rows(min_row=2) if r[0].value == "boss")
        first[4].value = None
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


@pytest.mark.slow
def test_clearing_any_values_keeps_every_comment() -> None:
    boss = BOSS.replace("status: approved", "status: draft")  # a draft: clearing its approver is allowed
    with tempfile.TemporaryDirectory() as tmp:
        src = make_handbook(Path(tmp) / "src", {**minimal("zh"), "roles/cs/boss.yaml": boss})
        assert main(["export", "-o", str(Path(tmp) / "hb.xlsx"), str(src)]) == 0
        exported = (Path(tmp) / "hb.xlsx").read_bytes()

    @settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(st.sets(st.sampled_from(sorted(CLEARABLE)), min_size=1))
    def clear(fields: set[str]) -> None:
        with tempfile.TemporaryDirectory() as tmp:
            root = make_handbook(Path(tmp) / "hb", {**minimal("zh"), "roles/cs/boss.yaml": boss})
            xlsx = Path(tmp) / "edited.xlsx"
            xlsx.write_bytes(cleared(exported, fields))
            assert main(["import", str(xlsx), str(root), "--overwrite"]) == 0
            text = (root / "roles/cs/boss.yaml").read_text(encoding="utf-8")
            assert comments(text) == comments(boss), (sorted(fields), text)
            doc = parse_yaml(text, "boss.yaml", Messages("en"))
            data = getattr(doc, "data", None)
            assert isinstance(data, dict), text
            for key, path in CLEARABLE.items():
                assert (lookup(data, path) is None) == (key in fields), (key, text)

    clear()


def test_clearing_one_ability_keeps_the_comment_above_the_next_key(tmp_path: Path) -> None:
    """The case HR met: 能力 cleared in Excel took the comment above 其它 with it."""
    root = make_handbook(tmp_path / "hb", {**minimal("zh"), "roles/cs/boss.yaml": BOSS})
    xlsx = tmp_path / "hb.xlsx"
    assert main(["export", "-o", str(xlsx), str(root)]) == 0
    xlsx.write_bytes(cleared(xlsx.read_bytes(), {"abilities"}))
    assert main(["import", str(xlsx), str(root), "--overwrite"]) == 0
    text = (root / "roles/cs/boss.yaml").read_text(encoding="utf-8")
    assert "  # about abilities\n  # end of the abilities line\n  # about other\n  other: 形象\n" in text
    assert text.replace("  # end of the abilities line\n", "") == BOSS.replace("  abilities: 沟通  # end of the abilities line\n", "")
