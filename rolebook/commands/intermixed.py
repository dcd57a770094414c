"""An argument parser that lets positionals and options mix freely (``import a.xlsx --overwrite hb``).

Plain argparse refuses a second positional that comes after an option when a command has two of
them (ROLE_ID … HANDBOOK_DIR, FILE … HANDBOOK_DIR); ``parse_known_intermixed_args`` accepts it.
"""

from __future__ import annotations

import argparse
from typing import Any


class Intermixed(argparse.ArgumentParser):
    _inner = False

    def parse_known_args(self, args: Any = None, namespace: Any = None) -> Any:
        if self._inner:
            return super().parse_known_args(args, namespace)
        self._inner = True
        try:
            return self.parse_known_intermixed_args(args, namespace)
        finally:
            self._inner = False


def intermixed(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    """Make a parser made by ``subparsers.add_parser`` parse intermixed (it has no subparsers of its own)."""
    parser.__class__ = Intermixed
    return parser
