"""``import FILE.docx | FOLDER``: Word job descriptions in the layouts real ones use, through the CLI."""

from __future__ import annotations

import shutil
from pathlib import Path

import docx
import pytest

from rolebook.app.pipeline import check_handbook
from rolebook.cli import main
from tests.docx_support import english_jd, heading_tables, numbered, paragraph_form, wps_form
from tests.scratch import ONE_LANGUAGE, make_handbook, minimal

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
    assert main(["export", "--format", "docx", "-o", str(out), str(ONE_LANGUAGE)]) == 0
    first = out.read_bytes()
    assert main(["export", "--format", "docx", "-o", str(out), str(ONE_LANGUAGE)]) == 0
    assert out.read_bytes() == first  # byte-identical on re-export
    capsys.readouterr()
    empty = tmp_path / "empty"
    code, stdout, err = run([str(out), str(empty)], capsys)
    assert (code, err) == (0, "")
    assert stdout.startswith("从 1 个文档读取了 15 份职位说明书。\n新建   rolebook.yml\n")
    assert stdout.endswith("已导入 hb.docx：新建 27 个、更新 0 个、未变 0 个文件。\n")  # 24 files and 3 schema copies
    result = check_handbook(empty, use_cache=False)
    assert result.problems == ()
    assert normalised(result.handbook, review=False) == normalised(check_handbook(ONE_LANGUAGE).handbook, review=False)
    # and the same document imported over the sample itself changes nothing
    sample = tmp_path / "sample"
    shutil.copytree(ONE_LANGUAGE / "roles", sample / "roles")
    shutil.copyfile(ONE_LANGUAGE / "rolebook.yml", sample / "rolebook.yml")
    before = tree(sample)
    code, stdout, err = run([str(out), str(sample)], capsys)
    assert (code, err) == (0, "")
    assert stdout.endswith("已导入 hb.docx：新建 0 个、更新 0 个、未变 23 个文件。\n")
    assert tree(sample) == before


SUPERVISOR = dict(PROPERTY_ASSISTANT, title="客服主管", number="客-002", superior="客服经理", subordinates="物业助理")
MANAGER = dict(
    PROPERTY_ASSISTANT, title="客服部经理", number="客-001", superior="公司总经理", subordinates="客服部主管", relationships=[(10, "各部门"), (95, "业主")]
)


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_several_job_descriptions_in_paragraphs_resolve_superiors_by_title(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    doc = paragraph_form(tmp_path / "客服部.docx", [MANAGER, SUPERVISOR, PROPERTY_ASSISTANT])
    hb = tmp_path / "hb"
    code, out, err = run([str(doc), str(hb)], capsys)
    assert (code, err) == (0, "")
    review = [line for line in out.splitlines() if line.startswith("  ")]
    assert review == [
        "  客服部.docx: 第 1 段: roles/ke-fu-bu/ke-fu-bu-jing-li.yaml: 没有找到人数（人数 / 定员）：暂按 1 人，请核对",
        "  客服部.docx: 第 3 段: roles/ke-fu-bu/ke-fu-bu-jing-li.yaml: 直接上级“公司总经理”：文档和手册里都没有这个岗位；未写入——请添加该岗位，或在 reports_to 填写它的标识",
        "  客服部.docx: 第 3 段: roles/ke-fu-bu/ke-fu-bu-jing-li.yaml: 直接下级“客服部主管”不是已有的职位名称；按 客服主管 理解",
        "  客服部.docx: 第 8 段: roles/ke-fu-bu/ke-fu-bu-jing-li.yaml: 工作联系：对内 10% + 对外 95% 不等于 100%；未写入（保留在下面）——请改正后填写",
        "  客服部.docx: 第 16 段: roles/ke-fu-bu/ke-fu-zhu-guan.yaml: 没有找到人数（人数 / 定员）：暂按 1 人，请核对",
        "  客服部.docx: 第 18 段: roles/ke-fu-bu/ke-fu-zhu-guan.yaml: 直接上级“客服经理”不是已有的职位名称；猜测为 客服部经理（ke-fu-bu-jing-li）——是这个吗？",
        "  客服部.docx: 第 31 段: roles/ke-fu-bu/wu-ye-zhu-li.yaml: 没有找到人数（人数 / 定员）：暂按 1 人，请核对",
    ]
    result = check_handbook(hb, use_cache=False)
    assert result.problems == () and result.handbook is not None
    assert {r.id: r.reports_to for r in result.handbook.roles} == {
        "ke-fu-bu-jing-li": None,
        "ke-fu-zhu-guan": "ke-fu-bu-jing-li",
        "wu-ye-zhu-li": "ke-fu-zhu-guan",
    }
    manager = (hb / "roles/ke-fu-bu/ke-fu-bu-jing-li.yaml").read_text(encoding="utf-8")
    assert "# 对内（集团以内）: 10% 各部门; 对外（集团以外）: 95% 业主\n" in manager  # kept, not written as data
    assert "relationships:" not in manager
    supervisor = (hb / "roles/ke-fu-bu/ke-fu-zhu-guan.yaml").read_text(encoding="utf-8")
    assert "# 直接上级“客服经理”不是已有的职位名称；猜测为 客服部经理（ke-fu-bu-jing-li）——是这个吗？\nreports_to: ke-fu-bu-jing-li\n" in supervisor


def test_word_numbering_and_a_folder_of_documents(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "说明书"
    folder.mkdir()
    paragraph_form(folder / "a-经理.docx", [MANAGER], numbering=True)
    wps_form(folder / "b-助理.docx", PROPERTY_ASSISTANT)
    paragraph_form(folder / "c-主管.docx", [SUPERVISOR])
    (folder / "~$b-助理.docx").write_bytes(b"lock file of Word")
    hb = tmp_path / "hb"
    code, out, err = run([str(folder), str(hb), "--department", "customer-service"], capsys)
    assert (code, err) == (0, "")
    assert out.startswith("从 3 个文档读取了 3 份职位说明书。\n")
    result = check_handbook(hb, use_cache=False)
    assert result.problems == () and result.handbook is not None
    hbk = result.handbook
    assert [r.id for r in hbk.roles] == ["ke-fu-bu-jing-li", "ke-fu-zhu-guan", "wu-ye-zhu-li"]
    assert {r.department for r in hbk.roles} == {"customer-service"}
    assert hbk.role("wu-ye-zhu-li").reports_to == "ke-fu-zhu-guan"  # across documents
    assert hbk.role("ke-fu-bu-jing-li").summary[0].items == tuple(MANAGER["summary"])  # Word's own numbering
    assert (
        "  c-主管.docx: 第 3 段: roles/customer-service/ke-fu-zhu-guan.yaml: 直接上级“客服经理”不是已有的职位名称；猜测为 客服部经理（ke-fu-bu-jing-li）——是这个吗？"
        in out
    )


def test_heading_per_part_with_tables_merged_group_column_and_unknown_fields(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    hb = tmp_path / "hb"
    code, out, err = run([str(heading_tables(tmp_path / "h.docx")), str(hb)], capsys)
    assert (code, err) == (0, "")
    assert "  h.docx: 表格 1，第 3 行，第 3 格: roles/ke-fu-zhong-xin/ke-fu-zhuan-yuan.yaml: “职级”不是表格里的栏目，保留在“职责综述”中" in out
    assert "  h.docx: 表格 5，第 4 行，第 1 格: roles/ke-fu-zhong-xin/ke-fu-zhuan-yuan.yaml: “年龄”不是表格里的栏目，保留在“其它要求”中" in out
    result = check_handbook(hb, use_cache=False)
    assert result.problems == () and result.handbook is not None
    role = result.handbook.role("ke-fu-zhuan-yuan")
    assert (role.number, role.headcount, role.department) == ("KF-003", 3, "ke-fu-zhong-xin")
    assert [(g.name, [(d.text, d.kpis) for d in g.duties]) for g in role.duties] == [
        ("日常服务", [("接听客户电话", ("接通率",)), ("处理客户投诉", ("投诉处理及时率",))]),
        ("客户资料", [("维护客户档案", ("档案完整率",))]),
    ]
    assert role.summary[0].items == ("接听客户来电，解答咨询。", "回访客户，记录意见。", "职级：P2")
    assert role.qualifications is not None
    assert (role.qualifications.education, role.qualifications.other) == ("大专及以上；市场营销、中文", "年龄：22-35岁")
    assert role.internal is not None and role.internal.parties == ("销售部", "技术部")


def test_english_job_description_into_an_english_handbook(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    hb = make_handbook(tmp_path / "hb", minimal("en"))
    code, out, err = run([str(english_jd(tmp_path / "jd.docx")), str(hb), "--department", "cs"], capsys)
    assert (code, err) == (0, "")
    assert out.splitlines()[:8] == [
        "Read 1 job descriptions from 1 documents.",
        "Review (6 items): check these in the files, then set status: approved.",
        "  jd.docx: paragraph 1: roles/cs/front-desk-officer.yaml: no headcount (人数 / 定员) found: 1 is written; correct it",
        "  jd.docx: paragraph 4: roles/cs/front-desk-officer.yaml: superior 'Customer Service Supervisor': no such position in the documents or the handbook; not written — add that position, or write its id in reports_to",
        "  jd.docx: paragraph 6: roles/cs/front-desk-officer.yaml: 'Location' is not a field of the form; kept in summary",
        "  jd.docx: paragraph 10: roles/cs/front-desk-officer.yaml: duty 1: the KPI was split off the duty's text; check it",
        "  jd.docx: paragraph 11: roles/cs/front-desk-officer.yaml: duty 2: the KPI was split off the duty's text; check it",
        "  jd.docx: paragraph 12: roles/cs/front-desk-officer.yaml: no KPI (考核指标) for duty 3: add them before approving the position",
    ]
    assert out.endswith("created   roles/cs/front-desk-officer.yaml\ncreated   schema/role.schema.json\nImported jd.docx: 2 new, 0 updated, 0 unchanged.\n")
    result = check_handbook(hb, use_cache=False)
    assert result.problems == () and result.handbook is not None
    role = result.handbook.role("front-desk-officer")
    assert [(d.text, d.kpis) for g in role.duties for d in g.duties] == [
        ("Receive visitors and answer enquiries", ("response time",)),
        ("Keep owner records up to date", ("accuracy of records",)),
        ("Handle complaints", ()),
    ]
    assert role.qualifications is not None and role.qualifications.abilities == "clear spoken English and Chinese"
    assert role.external is not None and (role.external.percent, role.external.parties) == (80, ("owners", "visitors"))


def test_a_superior_already_in_the_handbook_and_dry_run_then_overwrite(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    hb = make_handbook(tmp_path / "hb", minimal("zh"))  # boss: 经理, clerk: 专员 in cs (客服部)
    doc = wps_form(tmp_path / "jd.docx", dict(PROPERTY_ASSISTANT, title="专员", number="T-002", superior="经理", department="客服部"))
    before = tree(hb)
    code, out, err = run([str(doc), str(hb), "--dry-run"], capsys)
    assert (code, err) == (0, "")
    assert "--- a/roles/cs/clerk.yaml\n+++ b/roles/cs/clerk.yaml\n" in out  # same title, same department: the same role
    assert out.endswith("试运行：没有写入任何文件（将新建 0 个、修改 1 个，0 个不变）。\n")
    assert tree(hb) == before
    code, out, err = run([str(doc), str(hb)], capsys)
    assert code == 1 and "roles/cs/clerk.yaml" in err and tree(hb) == before
    code, out, err = run([str(doc), str(hb), "--overwrite"], capsys)
    assert (code, err) == (0, "")
    assert (hb / ".rolebook-backup/1/roles/cs/clerk.yaml").read_bytes() == before["roles/cs/clerk.yaml"]
    result = check_handbook(hb, use_cache=False)
    assert result.problems == () and result.handbook is not None
    assert result.handbook.role("clerk").reports_to == "boss" and result.handbook.role("clerk").status == "draft"


def test_a_blank_template_and_a_department_duty_list_are_not_job_descriptions(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    blank = wps_form(
        tmp_path / "模板.docx", {**PROPERTY_ASSISTANT, "title": "", "number": "", "department": "", "date": "", "superior": "", "summary": [], "duties": []}
    )
    code, out, err = run([str(blank), str(tmp_path / "hb")], capsys)
    assert (code, out) == (1, "从 1 个文档读取了 0 份职位说明书。\n")
    assert err == "模板.docx: 没有找到职位说明书：表格栏目都在，但都是空的——这看起来是一份空白模板\n没有读到任何职位说明书，未导入。\n"
    d = docx.Document()
    d.add_paragraph("客服部部门职责")
    d.add_paragraph("岗位职责：")
    for duty in ("接听客户电话", "回访客户"):
        numbered(d.add_paragraph(duty))
    d.save(str(tmp_path / "部门.docx"))
    code, out, err = run([str(tmp_path / "部门.docx"), str(tmp_path / "hb")], capsys)
    assert code == 1 and "部门.docx: 没有找到职位说明书：有职责但没有职位名称——这看起来是部门职责清单" in err
    assert not (tmp_path / "hb").exists()


SEED = Path("/work/shared/seed/000_f7dbca0952796ba2.txt")


@pytest.mark.skipif(not SEED.is_file(), reason="the sample's source document is not on this machine")
def test_the_sample_source_text_pasted_into_word_reads_its_eight_job_descriptions(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    d = docx.Document()
    for line in SEED.read_text(encoding="utf-8").splitlines():
        if line.strip():
            d.add_paragraph(line)
    d.save(str(tmp_path / "source.docx"))
    hb = tmp_path / "hb"
    code, out, err = run([str(tmp_path / "source.docx"), str(hb)], capsys)
    assert code == 0, err
    result = check_handbook(hb, use_cache=False)
    assert not result.failed() and result.handbook is not None
    titles = {r.title for r in result.handbook.roles if r.department == "ke-fu-bu"}
    assert titles == {"客服部经理", "客服主管", "前台组长", "物业助理", "解说组长", "解说员", "中介组长", "中介业务员"}
    assert result.handbook.role("zhong-jie-ye-wu-yuan").reports_to == "ke-fu-zhu-guan"  # 客户主管: did you mean 客服主管?
    assert "直接上级“客户主管”不是已有的职位名称；猜测为 客服主管（ke-fu-zhu-guan）——是这个吗？" in out


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_new_handbook_exported_to_word_imports_back_unchanged(tmp_path: Path, capsys: pytest.CaptureFixture[str], lang: str) -> None:
    """The example `init` writes: parties with 、 inside brackets, "3 年以上" in a qualification, English part titles."""
    hb = tmp_path / "hb"
    assert main(["init", str(hb), "--lang", lang, "--name", "Acme"]) == 0

    def files() -> dict[str, bytes]:  # the handbook's own files (the parse cache aside)
        return {p.relative_to(hb).as_posix(): p.read_bytes() for p in sorted(hb.rglob("*")) if p.is_file() and ".rolebook-cache" not in p.parts}

    before = files()
    word = tmp_path / "hb.docx"
    assert main(["export", "--format", "docx", "-o", str(word), str(hb)]) == 0
    capsys.readouterr()
    assert main(["import", str(word), str(hb), "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "---" not in out, out  # no diff: every file unchanged
    assert files() == before
