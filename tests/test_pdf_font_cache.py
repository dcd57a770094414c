"""A damaged font in the PDF cache is noticed and made again: the PDFs keep their subset fonts
(and their size) instead of falling back silently to the installed ones."""

from __future__ import annotations

import os
import random
import subprocess
import sys
from pathlib import Path

import pikepdf
import pytest

from tests.scratch import CLERK, make_handbook, minimal

REPO = Path(__file__).resolve().parent.parent


def _pdf(root: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    done = subprocess.run([sys.executable, str(REPO / "build.py"), "pdf", str(root)], capture_output=True, text=True, timeout=600, env=env)
    assert done.returncode == 0 and done.stderr == "", done.stderr


def _fonts(pdf_path: Path) -> set[str]:
    """The base names of the fonts a PDF's pages use, without the subset prefix (ABCDEF+)."""
    names: set[str] = set()
    with pikepdf.open(pdf_path) as pdf:
        for page in pdf.pages:
            for font in page.obj.Resources.get("/Font", {}).values():
                names.add(str(font.get("/BaseFont", "")).lstrip("/").split("+", 1)[-1])
    return names


@pytest.mark.slow
def test_a_corrupted_cached_font_is_made_again(tmp_path: Path) -> None:
    root = make_handbook(tmp_path / "hb", minimal("zh"))
    _pdf(root)
    clerk_pdf = root / "site" / "pdf" / "roles" / "clerk.pdf"
    normal_size = clerk_pdf.stat().st_size
    assert {"Rolebook-Noto-Sans-CJK-SC", "Rolebook-Noto-Sans-CJK-SC-Bold"} <= _fonts(clerk_pdf)
    cached = sorted((root / ".rolebook-cache" / "pdf" / "fonts").glob("*.otf"))
    assert len(cached) == 4
    good = {p: p.read_bytes() for p in cached}

    rng = random.Random(11)
    for p, data in good.items():
        p.write_bytes(rng.randbytes(len(data)))  # same size, garbage inside
    (root / "roles/cs/clerk.yaml").write_text(CLERK.replace("接听电话", "接听并转接电话"), encoding="utf-8")  # a PDF to render again
    _pdf(root)

    assert {"Rolebook-Noto-Sans-CJK-SC", "Rolebook-Noto-Sans-CJK-SC-Bold"} <= _fonts(clerk_pdf)
    assert not any(name.startswith("Noto") for name in _fonts(clerk_pdf))  # no fallback to the installed fonts
    assert abs(clerk_pdf.stat().st_size - normal_size) < normal_size * 0.2, (clerk_pdf.stat().st_size, normal_size)
    assert {p: p.read_bytes() for p in cached} == good  # the cache holds the faces again
