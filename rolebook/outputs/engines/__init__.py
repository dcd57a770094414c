"""The site engines: each builds a staged site (rolebook.outputs.staging) into a folder.

An engine is a small adapter behind one interface (``Engine``): its name, the Python package
that provides it, and ``build(staged, out_dir)``. rolebook generates every page, chart, asset
and the navigation itself, so switching engines changes only who turns the staged Markdown
into HTML and draws the theme:

* ``mkdocs`` — MkDocs 1.6 + Material for MkDocs (the default), in this process;
* ``properdocs`` — ProperDocs, the maintained MkDocs 1.6 fork, with Material and the rolebook
  plugin, in a process of its own (it takes over the ``mkdocs`` module name where it runs);
* ``zensical`` — Zensical, from Material's authors: reads the staged ``mkdocs.yml``, runs no
  plugins, brings its own search.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from typing import Literal, Protocol

from rolebook.outputs.staging import Staged

EngineName = Literal["mkdocs", "properdocs", "zensical"]
ENGINE_NAMES: tuple[EngineName, ...] = ("mkdocs", "properdocs", "zensical")


class Engine(Protocol):
    @property
    def name(self) -> str: ...  # one of ENGINE_NAMES
    @property
    def package(self) -> str: ...  # what `pip install` installs
    @property
    def module(self) -> str: ...  # the module that must be importable
    @property
    def in_memory(self) -> bool: ...  # builds in this process: takes the generated pages from Staged.pages

    def build(self, staged: Staged, out_dir: Path) -> None:
        """Build ``staged`` into ``out_dir`` (emptied first); raises rolebook.outputs.site.SiteError."""
        ...


class EngineMissing(Exception):
    """The engine's package is not installed."""

    def __init__(self, engine: Engine) -> None:
        super().__init__(engine.package)
        self.engine = engine


def installed(engine: Engine) -> bool:
    """Whether the engine's module can be imported (without importing it: ProperDocs takes over ``mkdocs``)."""
    if engine.module in sys.modules:
        return sys.modules[engine.module] is not None  # None: imports of it are blocked
    try:
        return importlib.util.find_spec(engine.module) is not None
    except (ImportError, ValueError):
        return False


def engine(name: str) -> Engine:
    """The engine called ``name``; raises EngineMissing when its package is not installed."""
    if name == "properdocs":
        from rolebook.outputs.engines.properdocs import ProperDocs

        found: Engine = ProperDocs()
    elif name == "zensical":
        from rolebook.outputs.engines.zensical import Zensical

        found = Zensical()
    elif name == "mkdocs":
        from rolebook.outputs.engines.mkdocs import MkDocs

        found = MkDocs()
    else:
        raise ValueError(f"unknown site engine {name!r} (one of {', '.join(ENGINE_NAMES)})")
    if not installed(found):
        raise EngineMissing(found)
    return found
