"""Scratch handbooks built from ``{path: text}`` dicts, for tests of every stage."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

SETTINGS_ZH = "organisation: 测试集团\nlanguage: zh\n"
SETTINGS_EN = "organisation: Test Group\nlanguage: en\n"

DEPT = "name: 客服部\n"

BOSS = textwrap.dedent(
    """\
    number: T-001
    title: 经理
    headcount: 1
    status: approved
    effective_date: "2020-01-01"
    summary:
      - 负责部门的全面管理。
    relationships:
      internal:
        percent: 40
        parties: [各部门]
      external:
        percent: 60
        parties: [客户]
    qualifications:
      education: 大专以上
      experience: 三年以上
    duties:
      - duty: 部门管理
        kpis: [满意度]
    approver: 总经理
    approval_date: "2020-01-01"
    """
)

CLERK = textwrap.dedent(
    """\
    number: T-002
    title: 专员
    reports_to: boss
    headcount: 2
    status: approved
    duties:
      - duty: 接听电话
        kpis: [及时性]
    approver: 经理
    approval_date: "2020-01-01"
    """
)


def minimal(lang: str = "zh") -> dict[str, str]:
    """A valid two-role handbook; tests change or add files to make their case."""
    return {
        "rolebook.yml": SETTINGS_ZH if lang == "zh" else SETTINGS_EN,
        "roles/cs/_department.yaml": DEPT,
        "roles/cs/boss.yaml": BOSS,
        "roles/cs/clerk.yaml": CLERK,
    }


def make_handbook(root: Path, files: dict[str, str | bytes]) -> Path:
    """Write ``files`` under ``root`` (creating folders) and return ``root``."""
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return root


CASES = Path(__file__).parent / "cases"
CASE_META = {"expected.txt", "DELETE", "README.md"}


def materialise_case(case: Path, dest: Path) -> Path:
    """A case folder (tests/cases/valid|invalid/<case>) overlaid on the minimal English handbook at ``dest``.

    A ``DELETE`` file in the case lists base files to remove; ``expected.txt`` and ``README.md`` are not copied."""
    make_handbook(dest, dict(minimal("en")))
    delete = case / "DELETE"
    if delete.exists():
        for name in delete.read_text(encoding="utf-8").split():
            (dest / name).unlink()
    for src in sorted(case.rglob("*")):
        rel = src.relative_to(case)
        if src.is_file() and str(rel) not in CASE_META:
            target = dest / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(src, target)
    return dest


REPO = Path(__file__).resolve().parent.parent
# The sample handbook as it was in one language (Chinese only): what tests of a one-language handbook's
# files, exports, imports and diffs read, line for line. The repository's sample is in two languages.
ONE_LANGUAGE = Path(__file__).parent / "fixtures" / "one-language"


def bilingual_sample(dest: Path) -> Path:
    """A copy of the sample handbook (``languages: [zh, en]``; every text in both languages)."""
    dest.mkdir(parents=True)
    shutil.copy(REPO / "rolebook.yml", dest / "rolebook.yml")
    for folder in ("roles", "schema"):
        shutil.copytree(REPO / folder, dest / folder)
    return dest


def one_language_sample(dest: Path) -> Path:
    """A copy of the sample handbook in Chinese only (tests/fixtures/one-language), with its schema copies."""
    dest.mkdir(parents=True)
    shutil.copy(ONE_LANGUAGE / "rolebook.yml", dest / "rolebook.yml")
    shutil.copytree(ONE_LANGUAGE / "roles", dest / "roles")
    shutil.copytree(REPO / "schema", dest / "schema")
    return dest
