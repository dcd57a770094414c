"""``rolebook diff``, run as a user would on scratch git repositories: exact output and exit codes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import jsonschema

from tests.git_support import commit_all, edit, git, sample_repo, scratch_repo
from tests.scratch import BOSS, CLERK, make_handbook, minimal

REPO = Path(__file__).resolve().parent.parent
PA = "roles/customer-service/property-assistant.yaml"
SUP = "roles/customer-service/cs-supervisor.yaml"
FDL = "roles/customer-service/front-desk-leader.yaml"
NIGHT = """\
number: 客-009
title: 夜班专员
reports_to: cs-supervisor
headcount: 2
status: draft
duties:
  - duty: 夜间值班
    kpis: [及时性]
"""


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(REPO / "build.py"), "diff", *args], cwd=cwd, capture_output=True, text=True, timeout=120)


def three_changes(root: Path) -> None:
    """Two commits: one KPI edited and one position moved to a new superior, then one position added."""
    edit(root, PA, "        kpis:\n          - 及时性\n", "        kpis:\n          - 及时性\n          - 准确性\n")
    edit(root, PA, "reports_to: front-desk-leader", "reports_to: cs-supervisor")
    edit(root, SUP, "  - guide-leader\n", "  - guide-leader\n  - property-assistant\n")
    edit(root, FDL, "subordinates:\n  - property-assistant\n", "")
    commit_all(root, "物业助理改由客服主管领导", date="2024-04-01T09:00:00+08:00")
    (root / "roles/customer-service/night-clerk.yaml").write_text(NIGHT, encoding="utf-8")
    edit(root, SUP, "  - property-assistant\n", "  - property-assistant\n  - night-clerk\n")
    commit_all(root, "新增夜班专员", date="2024-05-01T09:00:00+08:00")


def test_two_commits_show_exactly_their_three_changes(tmp_path: Path) -> None:
    root = sample_repo(tmp_path / "hb")
    three_changes(root)
    r = run("HEAD~2", "HEAD", cwd=root)
    assert (r.returncode, r.stderr) == (0, "")
    assert r.stdout == (
        "物业助理 改为向 客服主管 汇报，原为 前台组长\n物业助理 · 岗位职责 1 · 考核指标: 及时性 → 及时性、准确性\n新增岗位 夜班专员（客服部，2 人）\n"
    )
    en = run("HEAD~2", "HEAD", str(root), "--lang", "en", "--exit-code", cwd=tmp_path)
    assert en.returncode == 1
    assert en.stdout == (
        "物业助理 now reports to 客服主管, was 前台组长\n物业助理 · Duty 1 · KPIs: 及时性 → 及时性, 准确性\nNew position 夜班专员 (客服部, headcount 2)\n"
    )
    assert run("HEAD~1", cwd=root).stdout == "新增岗位 夜班专员（客服部，2 人）\n"  # and the work tree
    md = run("HEAD~2", "HEAD", "--format", "markdown", cwd=root)
    assert md.stdout == (
        "## 客服部\n\n"
        "- 物业助理 改为向 客服主管 汇报，原为 前台组长\n"
        "- 物业助理 · 岗位职责 1 · 考核指标: 及时性 → 及时性、准确性\n"
        "- 新增岗位 夜班专员（客服部，2 人）\n"
    )


def test_default_is_last_commit_against_work_tree(tmp_path: Path) -> None:
    root = sample_repo(tmp_path / "hb")
    clean = run(cwd=root)
    assert (clean.returncode, clean.stdout, clean.stderr) == (0, "没有差异。\n", "")
    assert run("--exit-code", cwd=root).returncode == 0
    edit(root, PA, "title: 物业助理", "title: 物业管家")
    r = run("--exit-code", cwd=root)
    assert (r.returncode, r.stdout) == (1, "物业助理 改名为 物业管家\n")
    assert run(cwd=root).returncode == 0  # without --exit-code, differences are not a failure


def test_comments_and_formatting_are_not_changes(tmp_path: Path) -> None:
    root = sample_repo(tmp_path / "hb")
    text = (root / PA).read_text(encoding="utf-8")
    reformatted = text.replace("# 原文未写人数，暂按 1 人。\n", "").replace("title: 物业助理", "title: '物业助理'  # 新注释")
    reformatted = reformatted.replace("        kpis:\n          - 服务态度\n", "        kpis: [服务态度]\n")
    reformatted = reformatted.replace("number: 客-004\ntitle: '物业助理'  # 新注释\n", 'title: "物业助理"\nnumber: 客-004\n')
    assert reformatted != text
    (root / PA).write_text(reformatted, encoding="utf-8")
    commit_all(root, "格式")
    assert run("HEAD~1", "HEAD", cwd=root).stdout == "没有差异。\n"


def test_reordered_duties_read_as_one_move_and_an_edit_as_one_edit(tmp_path: Path) -> None:
    root = sample_repo(tmp_path / "hb")
    edit(
        root,
        PA,
        "      - duty: 处理业主来访、服务的效率\n        kpis:\n          - 及时性\n      - duty: 保持为业主良好的服务态度、礼仪和礼节\n        kpis:\n          - 服务态度\n",
        "      - duty: 保持为业主良好的服务态度、礼仪和礼节\n        kpis:\n          - 服务态度\n      - duty: 处理业主来访、服务的效率\n        kpis:\n          - 及时性\n",
    )
    edit(root, PA, "- duty: 熟悉业务知识\n", "- duty: 熟悉业务知识和收费标准\n")
    r = run("--lang", "en", cwd=root)
    assert r.stdout == ("物业助理 · Duty 2 moved from 1: 处理业主来访、服务的效率\n物业助理 · Duty 3: 熟悉业务知识 → 熟悉业务知识和收费标准\n")


def test_removed_duty_is_one_removal(tmp_path: Path) -> None:
    root = sample_repo(tmp_path / "hb")
    edit(root, PA, "      - duty: 熟悉业务知识\n        kpis:\n          - 业务知识的了解\n", "")
    assert run(cwd=root).stdout == "物业助理 · 岗位职责 3 删除: 熟悉业务知识\n"


def test_renamed_file_and_move_to_another_department(tmp_path: Path) -> None:
    files = minimal("en")
    files["roles/sales/_department.yaml"] = "name: Sales\n"
    files["roles/sales/rep.yaml"] = CLERK.replace("T-002", "T-003").replace("专员", "Rep")
    root = scratch_repo(tmp_path / "hb", files)
    (root / "roles/cs/clerk.yaml").rename(root / "roles/cs/phone-clerk.yaml")
    (root / "roles/sales/rep.yaml").rename(root / "roles/cs/rep.yaml")
    r = run(cwd=root)
    assert (r.returncode, r.stderr) == (0, "")
    assert r.stdout == ("专员: file renamed from clerk to phone-clerk\nRep moved to 客服部, was in Sales\n")


def test_two_folders_without_git(tmp_path: Path) -> None:
    a = make_handbook(tmp_path / "a", minimal("en"))
    files = minimal("en")
    files["roles/cs/boss.yaml"] = BOSS.replace("headcount: 1", "headcount: 3").replace(
        "  - 负责部门的全面管理。\n", "  - 负责部门的全面管理。\n  - 负责预算。\n"
    )
    del files["roles/cs/clerk.yaml"]
    make_handbook(tmp_path / "b", files)
    r = run("a", "b", cwd=tmp_path)
    assert (r.returncode, r.stderr) == (0, "")
    assert r.stdout == (
        "经理 · Headcount: 1 → 3\n经理 · Summary 2 added: 负责预算。\nPosition 专员 removed (was in 客服部, headcount 2)\n"  # 3 → 3
    )
    assert a.is_dir()


def test_an_edited_headcount_shows_the_department_total(tmp_path: Path) -> None:
    """A position's headcount edited: its line, and the department's total (which the new position's line does not explain)."""
    root = scratch_repo(tmp_path / "hb", minimal("en"))
    edit(root, "roles/cs/clerk.yaml", "headcount: 2", "headcount: 4")
    (root / "roles/cs/night.yaml").write_text(CLERK.replace("T-002", "T-009").replace("专员", "夜班"), encoding="utf-8")
    r = run(cwd=root)
    assert (r.returncode, r.stderr) == (0, "")
    assert r.stdout == "专员 · Headcount: 2 → 4\nNew position 夜班 (客服部, headcount 2)\n客服部 · headcount: 3 → 7\n"
    zh = run("--lang", "zh", cwd=root)
    assert zh.stdout == "专员 · 人数: 2 → 4\n新增岗位 夜班（客服部，2 人）\n客服部 · 人数: 3 → 7\n"
    data = json.loads(run("--format", "json", cwd=root).stdout)
    assert [(h["old"], h["new"], h["text"]) for h in data["headcount"]] == [(3, 7, "客服部 · headcount: 3 → 7")]


def test_json_validates_against_the_published_schema(tmp_path: Path) -> None:
    root = sample_repo(tmp_path / "hb")
    three_changes(root)
    r = run("HEAD~2", "--format", "json", cwd=root)
    assert r.returncode == 0
    data = json.loads(r.stdout)
    schema = json.loads((REPO / "schema" / "diff.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(schema).validate(data)
    assert data["from"]["revision"] == "HEAD~2" and data["to"]["revision"] is None
    assert data["differences"] is True
    kpi = [c for c in data["changes"] if c["field"] == "duties.kpis"]
    assert kpi == [
        {
            "scope": "role",
            "id": "property-assistant",
            "name": "物业助理",
            "department": "customer-service",
            "kind": "changed",
            "field": "duties.kpis",
            "index": 1,
            "old_index": 1,
            "old": ["及时性"],
            "new": ["及时性", "准确性"],
            "headcount": None,
            "text": "物业助理 · 岗位职责 1 · 考核指标: 及时性 → 及时性、准确性",
        }
    ]
    assert data["headcount"] == []  # the new position's line says its headcount
    added = [c for c in data["changes"] if c["kind"] == "added"]
    assert [(c["id"], c["headcount"], c["text"]) for c in added] == [("night-clerk", 2, "新增岗位 夜班专员（客服部，2 人）")]
    assert {c["headcount"] for c in data["changes"] if c["kind"] != "added"} == {None}
    same = json.loads(run("HEAD", "HEAD", "--format", "json", cwd=root).stdout)
    jsonschema.Draft202012Validator(schema).validate(same)
    assert (same["differences"], same["changes"], same["headcount"]) == (False, [], [])


def test_markdown_escapes_what_users_typed(tmp_path: Path) -> None:
    root = scratch_repo(tmp_path / "hb", minimal("en"))
    edit(root, "roles/cs/clerk.yaml", "title: 专员", "title: '<script>alert(1)</script> **x** {{ y }}'")
    r = run("--format", "markdown", cwd=root)
    assert r.returncode == 0
    assert "<script>" not in r.stdout
    assert r.stdout == "## 客服部\n\n- 专员 renamed &lt;script&gt;alert\\(1\\)&lt;/script&gt; \\*\\*x\\*\\* \\{\\{ y \\}\\}\n"


def test_usage_errors_are_clear(tmp_path: Path) -> None:
    root = sample_repo(tmp_path / "hb")
    r = run("no-such-rev", cwd=root)
    assert (r.returncode, r.stdout, r.stderr) == (2, "", "rolebook diff: 找不到版本“no-such-rev”\n")
    r = run("HEAD", "--", "--output=/tmp/x", cwd=root)
    assert r.returncode == 2 and "Traceback" not in r.stderr
    r = run("a", "b", "c", "d", cwd=root)
    assert (r.returncode, r.stderr) == (2, "rolebook diff: 参数太多：最多是 REV_A REV_B HANDBOOK_DIR\n")
    plain = make_handbook(tmp_path / "plain", minimal("en"))
    r = run(cwd=plain)
    assert (r.returncode, r.stdout) == (2, "")
    assert r.stderr == f"rolebook diff: '{plain}' is not in a git repository; name two handbook folders to compare them\n"


def test_a_revision_that_fails_check_says_so(tmp_path: Path) -> None:
    root = scratch_repo(tmp_path / "hb", minimal("en"))
    edit(root, "roles/cs/clerk.yaml", "headcount: 2", "headcount: two")
    commit_all(root, "broken")
    r = run("HEAD", cwd=root)
    assert r.returncode == 1
    assert r.stderr.startswith("rolebook diff: the handbook at HEAD does not pass check (errors: 1); fix it or compare another revision. The first: ")
    assert "roles/cs/clerk.yaml:4:12:" in r.stderr and "Traceback" not in r.stderr


def test_handbook_in_a_subfolder_and_before_it_existed(tmp_path: Path) -> None:
    top = tmp_path / "repo"
    top.mkdir()
    git(top, "init", "-q")
    (top / "README").write_text("x\n", encoding="utf-8")
    commit_all(top, "start")
    make_handbook(top / "hr", minimal("en"))
    commit_all(top, "handbook")
    r = run("HEAD~1", "HEAD", "hr", cwd=top)
    assert r.stdout == "New department 客服部\nNew position 经理 (客服部, headcount 1)\nNew position 专员 (客服部, headcount 2)\n"


def test_the_repository_cannot_run_its_commands(tmp_path: Path) -> None:
    """A handbook repository's .git/config names commands for every hook git offers; none runs."""
    root = scratch_repo(tmp_path / "hb", minimal("en"))
    marker = tmp_path / "ran"
    script = tmp_path / "evil.sh"
    script.write_text(f'#!/bin/sh\necho "$0 $*" >> {marker}\n', encoding="utf-8")
    script.chmod(0o755)
    for key in ("core.pager", "core.fsmonitor", "diff.external", "gpg.program", "core.sshCommand", "core.askPass", "credential.helper"):
        git(root, "config", key, str(script))
    git(root, "config", "core.hooksPath", str(tmp_path))
    git(root, "config", "log.showSignature", "true")
    git(root, "config", "diff.yaml.textconv", str(script))
    (root / ".gitattributes").write_text("*.yaml diff=yaml filter=evil\n", encoding="utf-8")
    git(root, "config", "filter.evil.smudge", str(script))
    git(root, "config", "filter.evil.clean", "cat")
    for hook in ("post-checkout", "pre-commit", "reference-transaction"):
        (tmp_path / hook).symlink_to(script)
    edit(root, "roles/cs/clerk.yaml", "headcount: 2", "headcount: 3")
    git(root, "-c", "core.hooksPath=/dev/null", "-c", "core.fsmonitor=false", "add", "-A")
    git(root, "-c", "core.hooksPath=/dev/null", "-c", "core.fsmonitor=false", "commit", "-qm", "more")
    (root / "roles/cs/outside.yaml").symlink_to(tmp_path / "secret.yaml")
    (tmp_path / "secret.yaml").write_text(CLERK.replace("T-002", "T-099").replace("专员", "SECRET"), encoding="utf-8")
    git(root, "-c", "core.hooksPath=/dev/null", "-c", "core.fsmonitor=false", "add", "-A")
    git(root, "-c", "core.hooksPath=/dev/null", "-c", "core.fsmonitor=false", "commit", "-qm", "link")
    for args in (["HEAD~2", "HEAD"], ["HEAD~2", "HEAD", "--format", "json"]):
        r = run(*args, "--lang", "en", cwd=root)
        assert r.returncode == 0, r.stderr
        assert "SECRET" not in r.stdout
        assert r.stdout.startswith("专员 · Headcount: 2 → 3\n") or '"headcount"' in r.stdout
    assert not marker.exists(), marker.read_text()


def test_a_folder_that_is_not_a_handbook_is_named_as_such(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    git(empty, "init", "-q")
    r = run("HEAD", "empty", "--lang", "en", cwd=tmp_path)
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert r.stderr == "rolebook diff: unknown revision 'HEAD'\n"  # a repository with no commit yet


def test_the_callers_git_environment_is_not_used(tmp_path: Path) -> None:
    """GIT_DIR and friends in the environment (a hook, a CI step) do not redirect what is read."""
    root = scratch_repo(tmp_path / "hb", minimal("en"))
    other = scratch_repo(tmp_path / "other", {**minimal("en"), "roles/cs/extra.yaml": CLERK.replace("T-002", "T-009")})
    env = {**os.environ, "GIT_DIR": str(other / ".git"), "GIT_WORK_TREE": str(other), "GIT_INDEX_FILE": str(other / ".git/index")}
    r = subprocess.run([sys.executable, str(REPO / "build.py"), "diff", "HEAD", "--lang", "en"], cwd=root, env=env, capture_output=True, text=True, timeout=120)
    assert (r.returncode, r.stdout, r.stderr) == (0, "No differences.\n", "")


def test_a_revision_from_before_a_new_rule_still_compares(tmp_path: Path) -> None:
    """An old revision, well-formed but approved without approver (a rule it predates), is compared, not refused."""
    root = sample_repo(tmp_path / "hb")
    edit(root, PA, "status: draft", "status: approved")
    commit_all(root, "旧版：已审核但没有写审核人", date="2024-04-01T09:00:00+08:00")
    edit(root, PA, "status: approved", "status: draft")
    edit(root, PA, "title: 物业助理", "title: 物业管家")
    commit_all(root, "改名", date="2024-05-01T09:00:00+08:00")
    r = run("HEAD~1", "HEAD", cwd=root)
    assert (r.returncode, r.stderr) == (0, "")
    assert r.stdout.splitlines()[0] == "物业助理 改名为 物业管家"
    assert any(line.startswith("物业管家 · 状态: ") for line in r.stdout.splitlines()), r.stdout
