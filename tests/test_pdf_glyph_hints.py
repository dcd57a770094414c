"""A character no installed font has fails the PDFs with a hint that fits the character: the
package that has it (an emoji is not in the Chinese fonts), or that it cannot be printed at all."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.scratch import CLERK, make_handbook, minimal

REPO = Path(__file__).resolve().parent.parent


def _no_font_has(char: str) -> None:
    if shutil.which("fc-list") is None:
        return
    found = subprocess.run(["fc-list", f":charset={ord(char):x}", "family"], capture_output=True, text=True, timeout=60).stdout
    if found.strip():
        pytest.skip(f"a font for U+{ord(char):04X} is installed here ({found.splitlines()[0]})")


@pytest.mark.parametrize(
    ("char", "written", "where", "hint"),
    [
        (
            "🙂",
            '"客服🙂"',
            "roles/cs/clerk.yaml:2:11",
            "It is an emoji: install the emoji font, sudo apt-get install fonts-noto-color-emoji (the Chinese fonts have none), or write it in words.",
        ),
        (
            "\x7f",
            '"客服\\x7f"',
            "roles/cs/clerk.yaml",
            "It is a control or invisible character (often pasted along with text from elsewhere) and cannot be printed: delete it.",
        ),
    ],
    ids=["emoji", "control"],
)
def test_the_hint_names_the_right_package_or_says_it_cannot_be_printed(tmp_path: Path, char: str, written: str, where: str, hint: str) -> None:
    _no_font_has(char)
    files = minimal("en")
    files["roles/cs/clerk.yaml"] = CLERK.replace("title: 专员", f"title: {written}")
    root = make_handbook(tmp_path / "hb", files)
    done = subprocess.run([sys.executable, str(REPO / "build.py"), "pdf", str(root)], capture_output=True, text=True, timeout=300)
    assert done.returncode == 1 and done.stdout == ""
    lines = done.stderr.splitlines()
    assert lines[0].startswith(f"{where}: error [missing-glyph] no installed font has the character ")
    assert f"(U+{ord(char):04X})" in lines[0]
    assert lines[1] == "    " + hint
    assert "fonts-noto-cjk" not in done.stderr
    assert not (root / "site").exists()
