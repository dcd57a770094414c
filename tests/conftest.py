from __future__ import annotations

import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


@pytest.fixture
def repo() -> Path:
    return REPO


# The site tests' session-wide builds (the sample handbook and a hostile scratch one), built once.
from tests.site_support import hostile_site, sample_site  # noqa: E402, F401
