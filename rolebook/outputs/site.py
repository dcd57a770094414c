"""The handbook site: MkDocs + Material + the rolebook plugin, built into a folder.

A handbook with its own ``mkdocs.yml`` is built with it; one without uses rolebook's
default ``mkdocs.yml`` (shipped in the package, ``rolebook/templates/``), pointed at
the handbook's ``docs/`` folder (or an empty one).
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import yaml
from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.exceptions import MkDocsException
from mkdocs.utils.yaml import yaml_load

from rolebook.i18n import Lang
from rolebook.mkdocs_plugin import RolebookPlugin
from rolebook.pipeline import CheckResult
from rolebook.resources import DEFAULT_MKDOCS_YML

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
def mkdocs_config(root: Path, lang: Lang | None = None) -> Iterator[Path]:
    """The MkDocs config file to build the handbook at ``root`` with.

    The handbook's own ``mkdocs.yml`` when it has one; otherwise (or to override the language)
    a temporary file that inherits (MkDocs ``INHERIT``) from it or from rolebook's default and
    names the handbook folder and its docs folder with absolute paths. A file rather than
    ``load_config`` overrides, because ``mkdocs serve`` reloads the config on every rebuild and
    MkDocs consumes the ``plugins`` entries it is given.
    """
    root = root.resolve()
    own = root / CONFIG_NAME
    if own.is_file() and lang is None:
        yield own
        return
    parent = own if own.is_file() else DEFAULT_MKDOCS_YML
    with tempfile.TemporaryDirectory(prefix="rolebook-mkdocs-") as tmp:
        if own.is_file():
            with open(own, encoding="utf-8") as fh:
                docs = root / str((yaml_load(fh) or {}).get("docs_dir") or "docs")
        else:
            docs = root / "docs"
            if not docs.is_dir():
                docs = Path(tmp) / "docs"  # no hand-written pages: an empty docs folder
                docs.mkdir()
        options = {"handbook": str(root), **({"lang": lang} if lang else {})}
        child = {"INHERIT": str(parent), "docs_dir": str(docs), "plugins": _plugins_with(parent, options)}
        config_file = Path(tmp) / CONFIG_NAME
        config_file.write_text(yaml.safe_dump(child, allow_unicode=True, sort_keys=False), encoding="utf-8")
        yield config_file


def build_site(result: CheckResult, out_dir: Path, *, pdf_links: bool = True) -> int:
    """Build the site of a checked handbook into ``out_dir`` (emptied first); return the number of HTML pages.
    ``pdf_links``: the PDFs go with the site (into ``out_dir/pdf``), so its pages link them.

    Raises SiteError when MkDocs, a plugin or Graphviz fails.
    """
    if result.handbook is None:
        raise ValueError("build_site needs a handbook that passed the check")
    with mkdocs_config(result.root) as config_file:
        try:
            config = load_config(config_file=str(config_file), site_dir=str(out_dir))
            plugin = next((p for p in config.plugins.values() if isinstance(p, RolebookPlugin)), None)
            if plugin is None:
                raise SiteError(f"{config_file} does not enable the rolebook plugin (plugins: - rolebook)")
            plugin.use_result(result, pdf_links=pdf_links)
            mkdocs_build(config)
        except MkDocsException as e:
            raise SiteError(e.format_message().strip()) from e
    return sum(1 for _ in out_dir.rglob("*.html"))
