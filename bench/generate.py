#!/usr/bin/env python3
"""Write a realistic synthetic handbook of N roles, deterministic from a seed.

    python3 bench/generate.py N OUT_DIR [--seed S]

Mixed Chinese/English text, 5–10 duties with KPIs each, departments of ~50
roles under a group → company → department tree, reporting trees several
levels deep. Each role file is about 2 KB, like a real job description.
"""

from __future__ import annotations

import argparse
import random
import shutil
from pathlib import Path

WORDS_ZH = [
    "负责",
    "组织",
    "协调",
    "客户",
    "服务",
    "质量",
    "投诉",
    "处理",
    "培训",
    "员工",
    "数据",
    "分析",
    "报告",
    "流程",
    "优化",
    "管理",
    "制度",
    "落实",
    "检查",
    "监督",
    "样板房",
    "满意度",
    "业主",
    "回访",
    "记录",
    "档案",
    "安全",
    "成本",
    "预算",
    "计划",
]
WORDS_EN = [
    "coordinate",
    "customer",
    "service",
    "quality",
    "complaint",
    "training",
    "staff",
    "data",
    "report",
    "process",
    "improve",
    "manage",
    "policy",
    "review",
    "schedule",
    "budget",
    "plan",
]


def sentence(rng: random.Random, n: int) -> str:
    parts = [rng.choice(WORDS_ZH) for _ in range(n)]
    if rng.random() < 0.3:
        parts.insert(rng.randrange(len(parts)), rng.choice(WORDS_EN))
    return "".join(parts) + "。"


def role_yaml(rng: random.Random, i: int, sup: str | None, prefix: str) -> str:
    lines = [
        "# yaml-language-server: $schema=../../schema/role.schema.json",
        f"number: {prefix}-{i:05d}",
        f"title: {rng.choice(WORDS_ZH)}{rng.choice(['专员', '主管', '经理', '助理', '组长'])}{i}",
    ]
    if sup:
        lines.append(f"reports_to: {sup}")
    lines += [
        f"headcount: {rng.randint(1, 5)}",
        "status: approved",
        'effective_date: "2024-01-01"',
        "approver: 总经理",
        'approval_date: "2023-12-20"',
        "summary:",
    ]
    lines += [f"  - {sentence(rng, 8)}" for _ in range(3)]
    internal = rng.randint(5, 95)
    lines += [
        "relationships:",
        "  internal:",
        f"    percent: {internal}",
        "    parties: [各部门, 财务部]",
        "  external:",
        f"    percent: {100 - internal}",
        "    parties: [客户, 供应商]",
        "qualifications:",
        "  education: 大专以上",
        "  experience: 三年以上相关工作经验",
        f"  abilities: {sentence(rng, 6)}",
        "duties:",
    ]
    for _ in range(rng.randint(5, 10)):
        lines.append(f"  - duty: {sentence(rng, 10)}")
        lines.append(f"    kpis: [{sentence(rng, 3)}, {sentence(rng, 2)}]")
    return "\n".join(lines) + "\n"


def generate(n: int, out: Path, seed: int = 1) -> None:
    rng = random.Random(seed)
    if out.exists():
        shutil.rmtree(out)
    (out / "roles").mkdir(parents=True)
    (out / "rolebook.yml").write_text("organisation: 基准测试集团\nlanguage: zh\n", encoding="utf-8")
    for name, parent in (("group", None), ("company", "group")):
        d = out / "roles" / name
        d.mkdir()
        (d / "_department.yaml").write_text(f"name: {name}\n" + (f"parent: {parent}\n" if parent else ""), encoding="utf-8")
    per_dept = 50
    ceo = "ceo"
    (out / "roles" / "company" / "ceo.yaml").write_text(role_yaml(rng, 0, None, "G"), encoding="utf-8")
    made = 1
    dept_no = 0
    while made < n:
        dept_no += 1
        dept = f"dept-{dept_no:04d}"
        d = out / "roles" / dept
        d.mkdir()
        (d / "_department.yaml").write_text(f"name: 部门{dept_no}\nparent: company\nduties: [{sentence(rng, 6)}]\n", encoding="utf-8")
        ids: list[str] = []
        for _ in range(min(per_dept, n - made)):
            rid = f"r{made:05d}"
            # a tree several levels deep: the head reports to the CEO, others to an earlier role
            sup = ceo if not ids else ids[(len(ids) - 1) // 3]
            (d / f"{rid}.yaml").write_text(role_yaml(rng, made, sup, f"D{dept_no}"), encoding="utf-8")
            ids.append(rid)
            made += 1


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("n", type=int)
    ap.add_argument("out", type=Path)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    generate(a.n, a.out, a.seed)


if __name__ == "__main__":
    main()
