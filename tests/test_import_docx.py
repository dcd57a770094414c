"""``import FILE.docx | FOLDER``: Word job descriptions in the layouts real ones use, through the CLI."""

from __future__ import annotations

from pathlib import Path

import pytest

from rolebook.cli import main
from rolebook.pipeline import check_handbook
from tests.docx_support import wps_form

PROPERTY_ASSISTANT = {
    "title": "物业助理",
    "number": "客-004",
    "department": "客服部",
    "date": "2006年6月1日",
    "superior": "客服主管",
    "summary": ["负责接待业主来访，办理前台各项服务项目。", "各项业务资料、业主资料的记录、整理、更新、存档案。"],
    "relationships": [(15, "公司各部门、地产工程部"), (85, "业主（如政府部门、人才市场、业主等）")],
    "qualifications": ["高中及同等学历", "1年以上物业或房地产工作经验", "良好的工作责任心、耐心、沟通与应变能力", ""],
    "duties": [("处理业主来访、服务的效率", "及时性"), ("熟悉业务知识", "业务知识的了解")],
}


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(["import", *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_wps_form_one_big_table_becomes_a_draft_role_that_passes_check(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    doc = wps_form(tmp_path / "物业助理.docx", PROPERTY_ASSISTANT)
    hb = tmp_path / "hb"
    code, out, err = run([str(doc), str(hb)], capsys)
    assert (code, err) == (0, "")
    assert out.splitlines()[:4] == [
        "从 1 个文档读取了 1 份职位说明书。",
        "请核对（2 项）：在文件里逐项核对后，把 status 改为 approved。",
        "  物业助理.docx: 表格 1，第 2 行，第 1 格: roles/ke-fu-bu/wu-ye-zhu-li.yaml: 没有找到人数（人数 / 定员）：暂按 1 人，请核对",
        "  物业助理.docx: 表格 1，第 4 行，第 1 格: roles/ke-fu-bu/wu-ye-zhu-li.yaml: "
        "直接上级“客服主管”：文档和手册里都没有这个岗位；未写入——请添加该岗位，或在 reports_to 填写它的标识",
    ]
    result = check_handbook(hb, use_cache=False)
    assert result.problems == (), result.problems
    assert result.handbook is not None
    role = result.handbook.role("wu-ye-zhu-li")
    assert (role.number, role.title, role.department, role.status, role.effective_date) == ("客-004", "物业助理", "ke-fu-bu", "draft", "2006-06-01")
    assert [d.text for g in role.duties for d in g.duties] == ["处理业主来访、服务的效率", "熟悉业务知识"]
    assert [d.kpis for g in role.duties for d in g.duties] == [("及时性",), ("业务知识的了解",)]
    assert role.internal is not None and role.external is not None
    assert (role.internal.percent, role.internal.parties, role.external.percent, role.external.parties) == (15, ("公司各部门", "地产工程部"), 85, ("业主",))
    assert role.qualifications is not None and role.qualifications.education == "高中及同等学历" and role.qualifications.other == ""
    text = (hb / "roles/ke-fu-bu/wu-ye-zhu-li.yaml").read_text(encoding="utf-8")
    assert "# 没有找到人数（人数 / 定员）：暂按 1 人，请核对\nheadcount: 1\n" in text
    assert result.handbook.department("ke-fu-bu").name == "客服部"


REPO = Path(__file__).resolve().parent.parent


@pytest.mark.slow
def test_sample_handbook_exported_to_word_imports_back_unchanged(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from tests.test_import import normalised

    out = tmp_path / "hb.docx"
    assert main(["export", "--format", "docx", "-o", str(out), str(REPO)]) == 0
    first = out.read_bytes()
    assert main(["export", "--format", "docx", "-o", str(out), str(REPO)]) == 0
    assert out.read_bytes() == first  # byte-identical on re-export
    capsys.readouterr()
    empty = tmp_path / "empty"
    code, stdout, err = run([str(out), str(empty)], capsys)
    assert (code, err) == (0, "")
    assert stdout.startswith("从 1 个文档读取了 15 份职位说明书。\n新建   rolebook.yml\n")
    assert stdout.endswith("已导入 hb.docx：新建 24 个、更新 0 个、未变 0 个文件。\n")
    result = check_handbook(empty, use_cache=False)
    assert result.problems == ()
    assert normalised(result.handbook) == normalised(check_handbook(REPO).handbook)
