"""Document control: approval_date on every page and export, review_every and its review-due warning,
the reference date it counts to (SOURCE_DATE_EPOCH, the last commit, today), the positions page marks."""

from __future__ import annotations

import datetime
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from rolebook.app.pipeline import check_handbook
from rolebook.cli import main
from rolebook.dates import add_months, reference_date, review_due
from rolebook.model import Handbook
from rolebook.outputs.pdf import print_documents
from rolebook.render.pages import Renderer
from tests.scratch import BOSS, CLERK, SETTINGS_EN, SETTINGS_ZH, make_handbook, minimal

GIT = shutil.which("git")


def epoch(day: str) -> str:
    return str(int(datetime.datetime.fromisoformat(day + "T12:00:00+00:00").timestamp()))


def reviewed(lang: str = "en", months: int = 12, **roles: str) -> dict[str, str]:
    """The minimal handbook (both roles approved on 2020-01-01) with review_every, and roles changed."""
    files = minimal(lang)
    files["rolebook.yml"] = (SETTINGS_EN if lang == "en" else SETTINGS_ZH) + f"review_every: {months}\n"
    files.update({f"roles/cs/{name}.yaml": text for name, text in roles.items()})
    return files


def check(root: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> tuple[int, str]:
    capsys.readouterr()
    code = main(["check", str(root), *extra])
    out, err = capsys.readouterr()
    assert err == "" and "Traceback" not in out
    return code, out


def handbook(root: Path) -> Handbook:
    result = check_handbook(root)
    assert result.handbook is not None, result.problems
    return result.handbook


# --- the rules of the dates ----------------------------------------------------------------------


def test_months_are_calendar_months_and_a_missing_day_is_the_last() -> None:
    assert add_months(datetime.date(2024, 1, 31), 1) == datetime.date(2024, 2, 29)
    assert add_months(datetime.date(2023, 1, 31), 1) == datetime.date(2023, 2, 28)
    assert add_months(datetime.date(2023, 11, 15), 14) == datetime.date(2025, 1, 15)
    assert add_months(datetime.date(9999, 6, 1), 1200) == datetime.date.max
    assert review_due("2020-01-01", 12, datetime.date(2020, 12, 31)) is None
    assert review_due("2020-01-01", 12, datetime.date(2021, 1, 1)) == datetime.date(2021, 1, 1)  # due on the day
    assert review_due("2020-01-01", None, datetime.date(2030, 1, 1)) is None
    assert review_due(None, 12, datetime.date(2030, 1, 1)) is None


def test_the_reference_date_is_the_epoch_then_the_commit_then_today() -> None:
    today = datetime.date(2026, 5, 5)
    commit = int(datetime.datetime(2025, 3, 1, tzinfo=datetime.UTC).timestamp())
    assert reference_date(epoch("2024-07-01"), commit, today) == reference_date(epoch("2024-07-01"), None, today)
    assert reference_date(epoch("2024-07-01"), commit, today).day == datetime.date(2024, 7, 1)
    assert reference_date(None, commit, today).day == datetime.date(2025, 3, 1)
    assert reference_date("not a number", commit, today).source == "commit"
    assert reference_date(None, None, today).source == "today"


# --- review-due through the CLI --------------------------------------------------------------------


def test_review_due_warns_at_approval_date_and_names_the_date_compared(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_handbook(tmp_path / "hb", reviewed())
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch("2020-12-31"))
    assert check(root, capsys) == (0, "Checked 4 files: no problems found.\n")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch("2021-01-01"))
    code, out = check(root, capsys)
    assert code == 0
    line = (
        "roles/cs/{}.yaml:{}:16: warning [review-due] last approved on 2020-01-01; with review_every: 12 the review "
        "was due on 2021-01-01, and it is 2021-01-01 (the date of SOURCE_DATE_EPOCH)"
    )
    assert line.format("boss", BOSS.count("\n")) in out.splitlines()
    assert line.format("clerk", CLERK.count("\n")) in out.splitlines()
    assert out.endswith("Checked 4 files: 0 errors, 2 warnings.\n")
    # --strict: warnings fail check and build
    assert check(root, capsys, "--strict")[0] == 1
    capsys.readouterr()
    assert main(["build", "--strict", "--no-pdf", str(root)]) == 1
    assert not (root / "site").exists()
    # Chinese, and a longer review period
    (root / "rolebook.yml").write_text(SETTINGS_ZH + "review_every: 13\n", encoding="utf-8")
    assert check(root, capsys) == (0, "检查了 4 个文件，没有发现问题。\n")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch("2021-02-01"))
    _, out = check(root, capsys)
    assert "warning [review-due] 最近一次审核是 2020-01-01；按 review_every: 13（个月）应在 2021-02-01 复审，现在是 2021-02-01（取自 SOURCE_DATE_EPOCH）" in out


def test_drafts_recent_approvals_and_handbooks_without_review_every_give_no_warning(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch("2030-01-01"))
    draft = CLERK.replace("status: approved", "status: draft")
    recent = BOSS.replace('approval_date: "2020-01-01"', 'approval_date: "2029-06-01"')
    root = make_handbook(tmp_path / "hb", reviewed(boss=recent, clerk=draft))
    assert check(root, capsys) == (0, "Checked 4 files: no problems found.\n")
    off = make_handbook(tmp_path / "off", minimal("en"))
    assert check(off, capsys) == (0, "Checked 4 files: no problems found.\n")


def test_review_every_must_be_a_whole_number_of_months(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for bad in ("0", "twelve", "1.5"):
        root = make_handbook(tmp_path / bad, reviewed() | {"rolebook.yml": SETTINGS_EN + f"review_every: {bad}\n"})
        code, out = check(root, capsys)
        assert code == 1 and out.startswith("rolebook.yml:3:15: error ["), out


def _git(root: Path, *args: str, date: str = "2023-04-05T10:00:00+00:00") -> None:
    env = {**os.environ, "GIT_COMMITTER_DATE": date, "GIT_AUTHOR_DATE": date, "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull}
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid", *args], cwd=root, env=env, check=True, capture_output=True)


@pytest.mark.skipif(GIT is None, reason="git is not installed")
def test_without_epoch_the_last_commit_counts_and_the_repository_runs_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    root = make_handbook(tmp_path / "hb", reviewed())
    _git(root, "init", "-q")
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "-m", "first")
    # a hostile repository: its config names programs git would run for a pager, fsmonitor, hooks, signatures
    marker = tmp_path / "ran"
    script = tmp_path / "evil.sh"
    script.write_text(f"#!/bin/sh\ntouch {marker}\ncat\n", encoding="utf-8")
    script.chmod(0o755)
    hooks = root / ".git" / "hooks"
    for hook in ("post-checkout", "reference-transaction", "pre-auto-gc"):
        shutil.copyfile(script, hooks / hook)
        (hooks / hook).chmod(0o755)
    with (root / ".git" / "config").open("a", encoding="utf-8") as config:
        config.write(f"[core]\n\tpager = {script}\n\tfsmonitor = {script}\n[log]\n\tshowSignature = true\n[gpg]\n\tprogram = {script}\n")
    code, out = check(root, capsys)
    assert code == 0
    assert "and it is 2023-04-05 (the date of the handbook's last git commit)" in out
    assert not marker.exists()
    # the positions page says what it counted to
    page = Renderer(handbook(root)).positions_page().content
    assert "2 positions due on 5 April 2023 (the date of the handbook&#39;s last commit)" in page


@pytest.mark.skipif(GIT is None, reason="git is not installed")
def test_a_repository_above_the_handbook_or_a_linked_git_folder_is_not_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    outer = make_handbook(tmp_path / "outer", {"README": "x\n"})
    _git(outer, "init", "-q")
    _git(outer, "add", "-A")
    _git(outer, "commit", "-q", "-m", "outer")
    root = make_handbook(outer / "hb", reviewed())
    today = datetime.datetime.now(datetime.UTC).date().isoformat()
    _, out = check(root, capsys)
    assert f"and it is {today} (today's date)" in out, out
    (root / ".git").symlink_to(outer / ".git")
    _, out = check(root, capsys)
    assert f"and it is {today} (today's date)" in out, out


# --- where the approval date is shown --------------------------------------------------------------


def test_role_page_pdf_and_positions_page_show_approval_and_review(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch("2021-06-01"))
    recent = BOSS.replace('approval_date: "2020-01-01"', 'approval_date: "2021-05-20"')
    hb = handbook(make_handbook(tmp_path / "hb", reviewed(boss=recent)))
    assert [(r.id, r.review_due) for r in hb.roles] == [("boss", None), ("clerk", "2021-01-01")]
    r = Renderer(hb)
    boss = r.role_page(hb.role("boss")).content
    assert '<th>Approval date</th><td><time datetime="2021-05-20">20 May 2021</time></td>' in boss
    assert "Due for review" not in boss
    clerk = r.role_page(hb.role("clerk")).content
    assert '<span class="rbs-badge rbs-badge-review">Due for review since 1 January 2021</span>' in clerk
    positions = r.positions_page().content
    rows = re.findall(r"<tr(?: data-rbs-due=\"([0-9-]+)\")?><td data-sort", positions)
    assert rows == ["", "2021-01-01"]  # boss (T-001) is current, clerk (T-002) is due
    assert 'data-rbs-review="Due for review only (1)"' in positions
    assert positions.count('class="rbs-badge rbs-badge-review"') == 1
    assert "1 position due on 1 June 2021 (the fixed date of this build, SOURCE_DATE_EPOCH)" in positions
    content = "".join(reviewed(boss=recent).values())
    for page in (boss, clerk, positions):  # Chinese only where the handbook's own text is Chinese
        assert [w for w in re.findall(r"[\u2e80-\u9fff\u3000-\u303f\uf900-\ufaff\uff00-\uffef]+", page) if w not in content] == []
    docs = {d.ident: d.html for d in print_documents(hb)}
    assert "<th>Approval date</th><td>2021-05-20</td>" in docs["boss"]
    assert "<th>Approved by</th><td>总经理</td>" in docs["boss"]


def test_without_review_every_the_positions_page_has_no_review_filter(tmp_path: Path) -> None:
    hb = handbook(make_handbook(tmp_path / "hb", minimal("zh")))
    assert hb.review_reference is None and all(r.review_due is None for r in hb.roles)
    page = Renderer(hb).positions_page().content
    assert "data-rbs-review" not in page and "data-rbs-due" not in page and "待复审" not in page


def test_chinese_positions_page_words(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch("2021-06-01"))
    hb = handbook(make_handbook(tmp_path / "hb", reviewed("zh")))
    page = Renderer(hb).positions_page().content
    assert 'data-rbs-review="只看待复审（2）"' in page
    assert "已审核的职位说明书从审核日期起每 12 个月复审一次；截至 2021 年 6 月 1 日（本次生成设定的日期 SOURCE_DATE_EPOCH）待复审：2 个岗位。" in page
    assert page.count(">待复审</span>") == 2


def test_spreadsheet_and_json_exports_carry_approval_date_and_review_every(tmp_path: Path) -> None:
    import json

    import openpyxl

    root = make_handbook(tmp_path / "hb", reviewed())
    xlsx = tmp_path / "hb.xlsx"
    assert main(["export", "-o", str(xlsx), str(root)]) == 0
    wb = openpyxl.load_workbook(xlsx)
    heading = [c.value for c in wb["Positions"][1]]
    assert heading[heading.index("Approved by") + 1] == "Approval date"
    rows = list(wb["Positions"].iter_rows(min_row=2, values_only=True))
    assert [row[heading.index("Approval date")] for row in rows] == ["2020-01-01", "2020-01-01"]
    settings = [c.value for c in wb["Settings"][1]]
    assert next(wb["Settings"].iter_rows(min_row=2, values_only=True))[settings.index("Review every (months)")] == 12
    out = tmp_path / "hb.json"
    assert main(["export", "--format", "json", "-o", str(out), str(root)]) == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["settings"]["review_every"] == 12
    assert {r["approval_date"] for r in data["roles"]} == {"2020-01-01"}
    # back in: an empty folder gets the same handbook
    empty = tmp_path / "empty"
    empty.mkdir()
    assert main(["import", str(xlsx), str(empty)]) == 0
    assert 'approval_date: "2020-01-01"' in (empty / "roles/cs/clerk.yaml").read_text(encoding="utf-8")
    assert "review_every: 12" in (empty / "rolebook.yml").read_text(encoding="utf-8")


def test_an_approver_cleared_in_the_workbook_is_refused_at_the_status_cell(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import openpyxl

    root = make_handbook(tmp_path / "hb", minimal("en"))
    xlsx = tmp_path / "hb.xlsx"
    assert main(["export", "-o", str(xlsx), str(root)]) == 0
    wb = openpyxl.load_workbook(xlsx)
    heading = [c.value for c in wb["Positions"][1]]
    wb["Positions"].cell(2, heading.index("Approved by") + 1).value = None
    wb.save(xlsx)
    before = (root / "roles/cs/boss.yaml").read_bytes()
    capsys.readouterr()
    assert main(["import", str(xlsx), str(root), "--overwrite"]) == 1
    err = capsys.readouterr().err
    assert f"hb.xlsx[Positions]:2:{heading.index('Status') + 1}: error [approval-missing] the status is approved, but approver" in err, err
    assert (root / "roles/cs/boss.yaml").read_bytes() == before


def test_word_export_and_import_keep_the_approval_date(tmp_path: Path) -> None:
    root = make_handbook(tmp_path / "hb", minimal("zh"))
    docx = tmp_path / "hb.docx"
    assert main(["export", "--format", "docx", "-o", str(docx), str(root)]) == 0
    back = tmp_path / "back"
    back.mkdir()
    assert main(["import", str(docx), str(back)]) == 0
    text = (back / "roles/cs/clerk.yaml").read_text(encoding="utf-8")
    assert "status: approved" in text and 'approval_date: "2020-01-01"' in text and "approver: 经理" in text


# --- the positions page in a browser ---------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.browser
def test_due_for_review_switch_filters_the_positions_table_in_a_browser(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    sync_api = pytest.importorskip("playwright.sync_api")
    from tests.site_support import CHROMIUM, CHROMIUM_ARGS

    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is not installed (scripts/setup.sh --test)")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch("2021-06-01"))
    files = reviewed(boss=BOSS.replace('approval_date: "2020-01-01"', 'approval_date: "2021-05-20"'))
    for i in range(3, 7):  # T-003 and T-005 are due, T-004 is current, T-006 a draft
        approved = {3: "2019-03-01", 4: "2021-03-01", 5: "2020-05-31"}.get(i)
        control = f'status: approved\napprover: HR\napproval_date: "{approved}"\n' if approved else "status: draft\n"
        files[f"roles/cs/r{i}.yaml"] = (
            f"number: T-00{i}\ntitle: Agent {i}\nreports_to: boss\nheadcount: 1\n{control}duties:\n  - duty: Calls\n    kpis: [Speed]\n"
        )
    root = make_handbook(tmp_path / "hb", files)
    assert main(["build", "--no-pdf", str(root)]) == 0
    url = (root / "site" / "positions.html").as_uri()
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.goto(url)
        page.wait_for_load_state("networkidle")
        shown = "() => Array.from(document.querySelectorAll('#rbs-positions tbody tr')).filter(r => !r.hidden).map(r => r.cells[0].textContent)"
        assert page.evaluate(shown) == ["T-001", "T-002", "T-003", "T-004", "T-005", "T-006"]
        switch = page.locator(".rbs-review-filter")
        assert switch.inner_text().strip() == "Due for review only (3)"
        assert page.locator(".rbs-badge-review").count() == 3  # the marks show without the switch
        switch.locator("input").check()
        assert page.evaluate(shown) == ["T-002", "T-003", "T-005"]
        page.fill(".rbs-filter", "agent")  # both filters at once
        assert page.evaluate(shown) == ["T-003", "T-005"]
        page.fill(".rbs-filter", "T-004")
        assert page.evaluate(shown) == [] and page.locator(".rbs-nomatch").is_visible()
        switch.locator("input").uncheck()
        assert page.evaluate(shown) == ["T-004"]
        page.fill(".rbs-filter", "due for review")  # the mark's words are searchable too
        assert page.evaluate(shown) == ["T-002", "T-003", "T-005"]
        assert page.locator(".rbs-review-note").inner_text().startswith("Approved descriptions are reviewed every 12 months")
        browser.close()
