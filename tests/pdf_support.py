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
