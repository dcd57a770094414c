"""A realistic English handbook as a ``{path: text}`` dict, deterministic, of any size.

What real English readers bring: long titles ("Business Teachers, Postsecondary"), party names
that contain commas, a department with 100+ positions where one manager has 100+ direct
reports, drafts, empty sections, 23 departments.

    python3 -m tests.en_handbook OUT_DIR [--roles 900]   # write one to look at
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from tests.scratch import make_handbook

ORGANISATION = "Northwind Health & Education Services"

DEPARTMENTS = [
    "Executive Office",
    "Finance and Accounting",
    "Human Resources and Talent Development",
    "Information Technology Infrastructure",
    "Legal, Risk and Compliance",
    "Facilities Management",
    "Nursing and Patient Care Services",
    "Postsecondary Education",
    "Special Education Services",
    "Engineering and Computer-Aided Design",
    "Procurement and Supply Chain",
    "Marketing and Communications",
    "Customer Experience",
    "Research and Development",
    "Quality Assurance",
    "Occupational Health and Safety",
    "Transportation and Logistics",
    "Food Services",
    "Security Operations",
    "Community Outreach",
    "Grants Administration",
    "Internal Audit",
    "Data and Analytics",
]

TITLES = [
    "Business Teachers, Postsecondary",
    "Registered Nurse, Critical Care",
    "Licensed Practical and Licensed Vocational Nurses",
    "Computer-Aided Design (CAD) Technician",
    "Special Education Teacher (IEP Coordinator)",
    "Senior Occupational Health and Safety Specialist",
    "Heating, Ventilation and Air Conditioning Mechanic",
    "Accounts Payable and Receivable Clerk",
    "Welding, Soldering and Brazing Machine Setter",
    "General Educational Development (GED) Instructor",
    "Management Analyst",
    "Executive Administrative Assistant",
]

PARTIES = [
    "Business Teachers, Postsecondary",
    "Faculty, Department of Nursing",
    "Students, Parents and Guardians",
    "Vendors, Contractors and Suppliers",
    "Regulators (State Board of Nursing)",
    "Finance and Accounting",
]


def _q(text: str) -> str:
    return json.dumps(text)  # a JSON string is a YAML double-quoted scalar


def _role(i: int, title: str, reports_to: str | None, *, draft: bool, sparse: bool, share: tuple[int, int]) -> str:
    lines = [f"number: NW-{i:04d}", f"title: {_q(title)}"]
    if reports_to:
        lines.append(f"reports_to: {reports_to}")
    lines += [f"headcount: {1 + i % 4}", f"status: {'draft' if draft else 'approved'}", 'effective_date: "2024-03-15"']
    if not draft:
        lines.append(f"approver: {_q('Director of Human Resources, Talent and Culture')}")
        lines.append('approval_date: "2024-03-01"')
    if not sparse:
        lines += [
            "summary:",
            "  - Plans, coordinates and evaluates the work of the unit so that services meet the standards set by the board.",
            "  - Keeps records, reports and budgets accurate and on time.",
            "relationships:",
            "  internal:",
            f"    percent: {share[0]}",
            f"    parties: [{', '.join(_q(p) for p in PARTIES[:4])}]",
            "  external:",
            f"    percent: {share[1]}",
            f"    parties: [{', '.join(_q(p) for p in PARTIES[2:])}]",
            "qualifications:",
            "  education: Bachelor's degree in a related field; master's degree preferred",
            "  experience: Five years of progressively responsible experience, two of them supervising staff",
            "  abilities: Clear written and spoken English; sound judgement; working knowledge of spreadsheets",
        ]
    lines.append("duties:")
    for k in range(1 if sparse else 3):
        lines += [
            f"  - duty: {_q(f'Develops, implements and reviews departmental procedures and performance standards (area {k + 1}), consulting the people affected.')}",
            f"    kpis: [{_q('On-time completion rate of 95% or more')}, {_q('Audit findings closed within 30 days')}]",
        ]
    return "\n".join(lines) + "\n"


def english_handbook(roles: int = 900, departments: int = len(DEPARTMENTS), big: int = 110) -> dict[str, str | bytes]:
    """``roles`` positions over ``departments`` departments; the second holds ``big`` positions whose head has ``big - 1`` direct reports."""
    files: dict[str, str | bytes] = {"rolebook.yml": f"organisation: {_q(ORGANISATION)}\nlanguage: en\n"}
    names = DEPARTMENTS[:departments]
    ids = [f"d{n:02d}" for n in range(len(names))]
    for n, (dept, name) in enumerate(zip(ids, names, strict=True)):
        parent = "" if n == 0 else f"parent: {ids[0] if n < 8 else ids[1 + n % 7]}\n"
        files[f"roles/{dept}/_department.yaml"] = f"name: {_q(name)}\n{parent}description: {_q(f'The {name} department of {ORGANISATION}.')}\n"
    sizes = [big if n == 1 else 0 for n in range(len(ids))]
    rest = max(0, roles - big)
    others = [n for n in range(len(ids)) if n != 1]
    for k, n in enumerate(others):
        sizes[n] = rest // len(others) + (1 if k < rest % len(others) else 0)
    i = 0
    for n, dept in enumerate(ids):
        head = None
        for k in range(sizes[n]):
            i += 1
            rid = f"r{i:04d}"
            title = f"Chief Executive Officer and President of {ORGANISATION}" if i == 1 else f"{TITLES[i % len(TITLES)]} {i}"
            if k == 0:
                sup = None if i == 1 else "r0001"
                head = rid
            elif n == 1:
                sup = head  # one manager with 100+ direct reports
            else:
                sup = head if k < 4 else f"r{i - 3:04d}"
            share = (90, 10) if i == 2 else (60, 40)
            files[f"roles/{dept}/{rid}.yaml"] = _role(i, title, sup, draft=i % 9 == 0, sparse=i % 7 == 0, share=share)
    return files


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out", type=Path)
    ap.add_argument("--roles", type=int, default=900)
    a = ap.parse_args()
    make_handbook(a.out, english_handbook(a.roles))


if __name__ == "__main__":
    main()
