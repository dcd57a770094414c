#!/usr/bin/env python3
"""Thin entry point: ``python build.py COMMAND [HANDBOOK_DIR]`` (see ``--help``)."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from rolebook.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
