"""Word export → import gives back the handbook: the examples `init` writes, handbooks built to be awkward,
and random ones (hypothesis) with the texts that trip readers — brackets, 、，; inside names, "3 年" and "1st"
at the start, label words, Markdown characters, long texts."""

from __future__ import annotations

import itertools
import json
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rolebook.app.pipeline import check_handbook
from rolebook.cli import main
from tests.scratch import make_handbook
from tests.test_import import normalised


def as_yaml(data: dict[str, Any]) -> str:
    """YAML text for ``data`` (JSON is YAML; every string quoted, so nothing is read as a number or a date)."""
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def round_trip(hb: Path, work: Path, capsys: pytest.CaptureFixture[str]) -> tuple[str, str]:
    """Export ``hb`` to Word, import the document into an empty folder; assert that folder passes check and
    holds the same handbook. The import's output and errors."""
    word = work / "hb.docx"
    assert main(["export", "--format", "docx", "-o", str(word), str(hb)]) == 0, capsys.readouterr()
    capsys.readouterr()
    empty = work / "empty"
    code = main(["import", str(word), str(empty)])
    out = capsys.readouterr()
    assert code == 0, out
    result = check_handbook(empty, use_cache=False)
    assert [p for p in result.problems if p.severity == "error"] == [], result.problems
    assert normalised(result.handbook) == normalised(check_handbook(hb, use_cache=False).handbook)
    return out.out, out.err


def same_handbook_unchanged(hb: Path, work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The export imported over the handbook it came from: nothing to change."""
    word = work / "again.docx"
    assert main(["export", "--format", "docx", "-o", str(word), str(hb)]) == 0
    capsys.readouterr()
    assert main(["import", str(word), str(hb), "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "---" not in out, out


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_init_example_round_trips_into_an_empty_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str], lang: str) -> None:
    hb = tmp_path / "hb"
    assert main(["init", str(hb), "--lang", lang, "--name", "Acme"]) == 0
    out, err = round_trip(hb, tmp_path, capsys)
    assert err == ""
    assert out.startswith("从 1 个文档读取了 1 份职位说明书。\n" if lang == "zh" else "Read 1 job descriptions from 1 documents.\n")


AWKWARD_ZH = {
    "rolebook.yml": "organisation: 测试集团（华东）有限公司\nlanguage: zh\nsignatures: true\n",
    "roles/ops/_department.yaml": as_yaml({"name": "运营部", "order": 2, "description": "负责：运营、客服；以及 3 个门店。"}),
    "roles/ops-east/_department.yaml": as_yaml({"name": "运营部", "parent": "ops", "workflows": [{"name": "无步骤的流程"}]}),
    "roles/ops/chief.yaml": as_yaml(
        {
            "number": "运-001",
            "title": "总监（运营、客服）",
            "headcount": 1,
            "status": "approved",
            "approver": "总经理",
            "approval_date": "2024-05-20",
            "summary": [
                "3 年内把门店做到 10 家",
                {"group": "对内：管理", "items": ["1、带团队", "编号：不是编号"]},
                "第二部分 不是标题",
                {"group": "岗位职责", "items": ["职责综述"]},
            ],
            "relationships": {"internal": {"percent": 100}, "external": {"percent": 0, "parties": ["政府部门（工商、税务）", "2024"]}},
            "qualifications": {"education": "本科；MBA 优先", "experience": "3 年以上", "other": "部门：不是部门"},
            "duties": [
                {"duty": "① 不是编号", "kpis": ["100%"]},
                {"group": "直接上级：不是上级", "duties": [{"duty": "审核", "kpis": ["状态", "编号"]}]},
                {"duty": "组后的职责——不是考核指标"},
            ],
        }
    ),
    "roles/ops/clerk.yaml": as_yaml(
        {"number": "运-002", "title": "专员", "reports_to": "chief", "headcount": 3, "status": "draft", "duties": [{"duty": "接听电话"}]}
    ),
    "roles/ops-east/clerk-2.yaml": as_yaml(
        {"number": "运-003", "title": "专员", "reports_to": "chief", "headcount": 2, "status": "draft", "duties": [{"duty": "接听电话"}]}
    ),
}


def test_an_awkward_chinese_handbook_round_trips(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Two departments of the same name, two positions of the same title, label words and numbering inside
    texts, items after a group that belong to none, one side of the relationships without parties."""
    hb = make_handbook(tmp_path / "hb", dict(AWKWARD_ZH))
    round_trip(hb, tmp_path, capsys)
    same_handbook_unchanged(hb, tmp_path, capsys)


AWKWARD_EN = {
    "rolebook.yml": "organisation: 'Acme & Sons, Ltd.'\nlanguage: en\n",
    "roles/a/_department.yaml": as_yaml({"name": "Summary", "duties": ["Part 2 — Summary", "**bold** and `code`"], "requirements": ["N/A"]}),
    "roles/a/boss.yaml": as_yaml(
        {
            "number": "N/A",
            "title": "Reports to",
            "headcount": 12,
            "status": "draft",
            "effective_date": "2024-02-29",
            "approver": "—",
            "revision": "1st",
            "summary": [{"group": "Education:", "items": ["Education: a degree", "1st of all; 2nd, 3rd"]}, "Duties"],
            "relationships": {"internal": {"percent": 55, "parties": ["Finance, Legal and HR", "A/B testing team"]}, "external": {"percent": 45}},
            "qualifications": {
                "education": "Section 3. is text",
                "experience": "3 years; 2.5 years preferred",
                "abilities": "- dash",
                "other": "Location: anywhere",
            },
            "duties": [{"duty": "x" * 600, "kpis": ["KPI: none", "Weight 20%"]}, {"duty": "Key Responsibilities"}],
        }
    ),
    "roles/a/sub.yaml": as_yaml(
        {
            "number": "A-2",
            "title": "Job Title",
            "reports_to": "boss",
            "headcount": 1,
            "status": "approved",
            "approver": "Jo",
            "approval_date": "2024-01-31",
            "qualifications": {"education": "Education:", "experience": "Experience"},  # a value that reads as its label
            "duties": [{"duty": "Title"}],
        }
    ),
    # a department and a position named like others but for their punctuation: two names, not one
    "roles/a2/_department.yaml": as_yaml({"name": "Summary/"}),
    "roles/a2/peer.yaml": as_yaml(
        {"number": "A-3", "title": "Reports to.", "reports_to": "boss", "headcount": 2, "status": "draft", "duties": [{"duty": "Title"}]}
    ),
    "roles/a2/peer-2.yaml": as_yaml(
        {"number": "A-4", "title": "Job Title", "reports_to": "peer", "headcount": 1, "status": "draft", "duties": [{"duty": "Title"}]}
    ),
}


def test_an_awkward_english_handbook_round_trips(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Titles and texts that are label words or part titles, numbering-like starts, Markdown characters, a long duty;
    names that differ only in punctuation."""
    hb = make_handbook(tmp_path / "hb", dict(AWKWARD_EN))
    round_trip(hb, tmp_path, capsys)
    same_handbook_unchanged(hb, tmp_path, capsys)


# -- random handbooks ---------------------------------------------------------------------------------

WORDS = (
    "财务部", "（预算、报销）", "3 年以上", "负责", "客户", "1、", "①", "第二部分", "职责综述", "编号：", "部门", "岗位职责",
    "——", "；", "，", "、", "：", "2006年6月1日", "100%", "审核", "（一）", "对内", "任职资格", "物业助理",
    "Summary", "Duties", "Education:", "1st", "3 years", "Part 2", "Reports to", "e.g.", "(a)", "- ", "**bold**", "#",
    "[link](x)", "`code`", "50%", "A/B", "Q&A", "co-ordinate", "KPI:", "Job Title", "I.", "2.", "Grade", "<b>", "&amp;",
    "manage", "the", "team", "budget", "Working Conditions", "a) ", "•", "|", "_x_", "{x}", "'", '"', "\\",
)  # fmt: skip


@st.composite
def texts(draw: st.DrawFn, max_words: int = 6) -> str:
    words = draw(
        st.lists(
            st.sampled_from(WORDS) | st.text(st.characters(codec="utf-8", categories=("L", "N", "P", "S")), min_size=1, max_size=8),
            min_size=1,
            max_size=max_words,
        )
    )
    seps = draw(st.lists(st.sampled_from(["", " ", "、", ", ", "；", "/"]), min_size=len(words), max_size=len(words)))
    text = "".join(w + s for w, s in zip(words, seps, strict=True)).strip()
    return text if text and text not in {"—", "-", "–"} else "x"


@st.composite
def duties(draw: st.DrawFn) -> list[Any]:
    def duty() -> dict[str, Any]:
        kpis = draw(st.lists(texts(), max_size=3))
        return {"duty": draw(texts(12)), **({"kpis": kpis} if kpis else {})}

    items: list[Any] = []
    for _ in range(draw(st.integers(1, 4))):
        if draw(st.booleans()):
            items.append({"group": draw(texts(3)), "duties": [duty() for _ in range(draw(st.integers(1, 3)))]})
        else:
            items.append(duty())
    return items


@st.composite
def summaries(draw: st.DrawFn) -> list[Any]:
    items: list[Any] = []
    for _ in range(draw(st.integers(1, 3))):
        if draw(st.booleans()):
            items.append({"group": draw(texts(3)), "items": draw(st.lists(texts(10), min_size=1, max_size=3))})
        else:
            items.append(draw(texts(10)))
    return items


@st.composite
def roles(draw: st.DrawFn, n: int, ident: str, superiors: list[str]) -> dict[str, Any]:
    data: dict[str, Any] = {"number": f"{draw(texts(2))}-{n}", "title": draw(texts(3))}
    if superiors and draw(st.booleans()):
        data["reports_to"] = draw(st.sampled_from(superiors))
    data["headcount"] = draw(st.integers(1, 500))
    data["status"] = draw(st.sampled_from(["draft", "approved"]))
    if draw(st.booleans()):
        data["effective_date"] = draw(st.dates()).isoformat()
    for key in ("approver", "revision"):
        if draw(st.booleans()) or (key == "approver" and data["status"] == "approved"):
            data[key] = draw(texts(2))
    if data["status"] == "approved" or draw(st.booleans()):
        data["approval_date"] = draw(st.dates()).isoformat()
    if draw(st.booleans()):
        data["summary"] = draw(summaries())
    if draw(st.booleans()):
        inside = draw(st.integers(0, 100))
        sides = {}
        for side, pct in (("internal", inside), ("external", 100 - inside)):
            parties = draw(st.lists(texts(4), max_size=3))
            sides[side] = {"percent": pct, **({"parties": parties} if parties else {})}
        data["relationships"] = sides
    if draw(st.booleans()):
        q = {"education": draw(texts()), "experience": draw(texts())}
        q.update({k: draw(texts()) for k in ("abilities", "other") if draw(st.booleans())})
        data["qualifications"] = q
    data["duties"] = draw(duties())
    return data


@st.composite
def handbooks(draw: st.DrawFn) -> dict[str, str]:
    lang = draw(st.sampled_from(["zh", "en"]))
    files = {"rolebook.yml": as_yaml({"organisation": draw(texts(3)), "language": lang, "signatures": draw(st.booleans())})}
    depts = [f"d{i}" for i in range(draw(st.integers(1, 3)))]
    for i, dept in enumerate(depts):
        data: dict[str, Any] = {"name": draw(texts(3))}
        if i and draw(st.booleans()):
            data["parent"] = depts[i - 1]
        if draw(st.booleans()):
            data["order"] = draw(st.integers(1, 9))
        if draw(st.booleans()):
            data["description"] = draw(texts(12))
        for key in ("duties", "requirements"):
            items = draw(st.lists(texts(8), max_size=3))
            if items:
                data[key] = items
        flows = draw(st.lists(st.tuples(texts(3), st.lists(texts(8), max_size=3)), max_size=2))
        if flows:
            data["workflows"] = [{"name": name, **({"steps": steps} if steps else {})} for name, steps in flows]
        files[f"roles/{dept}/_department.yaml"] = as_yaml(data)
    placed: list[str] = []
    for n in range(draw(st.integers(1, 4))):
        ident = f"r{n}"
        files[f"roles/{draw(st.sampled_from(depts))}/{ident}.yaml"] = as_yaml(draw(roles(n, ident, list(placed))))
        placed.append(ident)
    return files


_RUNS = itertools.count()


@pytest.mark.slow
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large])
@given(files=handbooks())
def test_random_handbooks_round_trip_through_word(files: dict[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    work = Path(tempfile.mkdtemp(prefix=f"rt{next(_RUNS)}-", dir=tmp_path))
    hb = make_handbook(work / "hb", dict(files))
    result = check_handbook(hb, use_cache=False)
    assert not result.failed(), (result.problems, files)  # the generator makes valid handbooks only
    round_trip(hb, work, capsys)
