"""The handbook site: MkDocs + Material + the rolebook plugin, built into a folder.

A handbook with its own ``mkdocs.yml`` is built with it; one without uses rolebook's
``mkdocs.yml`` (the sample handbook's, at the root of the rolebook checkout), pointed at
the handbook's ``docs/`` folder (or an empty one).
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.exceptions import MkDocsException
from mkdocs.utils.yaml import yaml_load

from rolebook.i18n import Lang
from rolebook.mkdocs_plugin import RolebookPlugin
from rolebook.pipeline import CheckResult

DEFAULT_MKDOCS_YML = Path(__file__).resolve().parent.parent.parent / "mkdocs.yml"
CONFIG_NAME = "mkdocs.yml"


class SiteError(Exception):
    """The site could not be built; the message says why (MkDocs has logged the details)."""


def _plugins_with(config_file: Path, options: dict[str, str]) -> list[Any]:
    """The ``plugins`` list of ``config_file`` with the rolebook plugin's options set."""
    with open(config_file, encoding="utf-8") as fh:
        raw = yaml_load(fh) or {}
    plugins = raw.get("plugins") or ["rolebook", "search"]
    if isinstance(plugins, dict):
        plugins = [{k: v} for k, v in plugins.items()]
    out: list[Any] = []
    found = False
    for item in plugins:
        name = item if isinstance(item, str) else next(iter(item))
        if name == "rolebook":
            found = True
            current = {} if isinstance(item, str) else dict(item[name] or {})
            out.append({"rolebook": {**current, **options}})
        else:
            out.append(item)
    if not found:
        out.insert(0, {"rolebook": options})
    return out


@contextmanager
def mkdocs_options(root: Path, lang: Lang | None = None) -> Iterator[tuple[Path, dict[str, Any]]]:
    """The MkDocs config file for the handbook at ``root`` and the overrides ``load_config`` needs."""
    root = root.resolve()
    own = root / CONFIG_NAME
    with ExitStack() as stack:
        if own.is_file():
            overrides: dict[str, Any] = {}
            config_file = own
            if lang is not None:
                overrides["plugins"] = _plugins_with(own, {"lang": lang})
        else:
            config_file = DEFAULT_MKDOCS_YML
            docs = root / "docs"
            if not docs.is_dir():
                docs = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="rolebook-docs-")))
            options = {"handbook": str(root), **({"lang": lang} if lang else {})}
            overrides = {"docs_dir": str(docs), "plugins": _plugins_with(DEFAULT_MKDOCS_YML, options)}
        yield config_file, overrides


def build_site(result: CheckResult, out_dir: Path) -> int:
    """Build the site of a checked handbook into ``out_dir`` (emptied first); return the number of HTML pages.

    Raises SiteError when MkDocs, a plugin or Graphviz fails.
    """
    if result.handbook is None:
        raise ValueError("build_site needs a handbook that passed the check")
    with mkdocs_options(result.root) as (config_file, overrides):
        try:
            config = load_config(config_file=str(config_file), site_dir=str(out_dir), **overrides)
            plugin = next((p for p in config.plugins.values() if isinstance(p, RolebookPlugin)), None)
            if plugin is None:
                raise SiteError(f"{config_file} does not enable the rolebook plugin (plugins: - rolebook)")
            plugin.use_result(result)
            mkdocs_build(config)
        except MkDocsException as e:
            raise SiteError(e.format_message().strip()) from e
    return sum(1 for _ in out_dir.rglob("*.html"))
