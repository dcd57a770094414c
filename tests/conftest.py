from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from hypothesis import settings

# Property tests draw the same examples on every run, so a test run (and CI) gives the same verdict for the same
# code; `HYPOTHESIS_PROFILE=explore` draws new random examples each run, to look for bugs.
settings.register_profile("repeatable", derandomize=True, print_blob=True)
settings.register_profile("explore", print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "repeatable"))

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


@pytest.fixture
def repo() -> Path:
    return REPO


# The site tests' session-wide builds (the sample handbook and a hostile scratch one), built once.
from tests.site_support import hostile_site, sample_site  # noqa: E402, F401
