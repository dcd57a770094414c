"""Helpers shared by the PDF tests."""

from __future__ import annotations

import shutil
import subprocess

import pytest

# Private Use Area code points: no standard font draws them.
CANDIDATES = ("\ue000", "\U0010fffd", "\uf8fe")


def tofu_char() -> str:
    """A character no installed font has (asked of fontconfig), so WeasyPrint must draw it as .notdef."""
    if shutil.which("fc-list") is None:
        return CANDIDATES[0]
    for char in CANDIDATES:
        found = subprocess.run(["fc-list", f":charset={ord(char):x}", "family"], capture_output=True, text=True, timeout=60).stdout
        if not found.strip():
            return char
    pytest.skip("every candidate character has an installed font")


def six_departments() -> dict[str, str]:
    """The minimal handbook and five more departments of one position each: enough pieces to join in groups."""
    from tests.scratch import CLERK, minimal

    files = dict(minimal("en"))
    for i in range(1, 6):
        files[f"roles/d{i}/_department.yaml"] = f"name: Department {i}\n"
        files[f"roles/d{i}/r{i}.yaml"] = CLERK.replace("T-002", f"T-3{i:02d}").replace("title: 专员", f"title: Role {i}").replace("reports_to: boss\n", "")
    return files
