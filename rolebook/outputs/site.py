"""The handbook site: MkDocs + Material + the rolebook plugin, built into a folder.

A handbook with its own ``mkdocs.yml`` is built with it; one without uses rolebook's
default ``mkdocs.yml`` (shipped in the package, ``rolebook/templates/``), pointed at
the handbook's ``docs/`` folder (or an empty one).
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.exceptions import MkDocsException
from mkdocs.structure.files import File
from mkdocs.utils.yaml import yaml_load

from rolebook.app.pipeline import CheckResult
from rolebook.i18n import Lang
from rolebook.mkdocs_plugin import RolebookPlugin
from rolebook.render.links import HOME, role_src
from rolebook.resources import DEFAULT_MKDOCS_YML

CONFIG_NAME = "mkdocs.yml"


class SiteError(Exception):
    """The site could not be built; the message says why (MkDocs has logged the details)."""


class MissingPagesError(SiteError):
    """MkDocs finished, but the site lacks the page of some roles (``roles``: their ids) or, when ``roles``
    is empty, the home page — e.g. because a hook or another plugin in mkdocs.yml removed them."""

    def __init__(self, roles: tuple[str, ...]) -> None:
        super().__init__(f"missing pages: {', '.join(roles) or HOME}")
        self.roles = roles


@dataclass(frozen=True)
class ConfigFile:
    """The MkDocs config to build with: ``read`` is the file MkDocs reads; ``at`` is where MkDocs takes it to
    be, so that relative paths in it (``custom_dir``, ``hooks``, ``watch``, …) are relative to that file's
    folder — the handbook's own mkdocs.yml even when ``read`` is a temporary file that inherits from it."""

    read: Path
    at: Path


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
def mkdocs_config(root: Path, lang: Lang | None = None) -> Iterator[ConfigFile]:
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
        yield ConfigFile(own, own)
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
        yield ConfigFile(config_file, own if own.is_file() else config_file)


def build_site(result: CheckResult, out_dir: Path, *, pdf_links: bool = True) -> int:
    """Build the site of a checked handbook into ``out_dir`` (emptied first); return the number of HTML pages.
    ``pdf_links``: the PDFs go with the site (into ``out_dir/pdf``), so its pages link them.

    Raises SiteError when MkDocs, a plugin or Graphviz fails.
    """
    if result.handbook is None:
        raise ValueError("build_site needs a handbook that passed the check")
    with mkdocs_config(result.root) as config_file:
        try:
            config = load_config(config_file=str(config_file.read), config_file_path=str(config_file.at), site_dir=str(out_dir.absolute()))
            plugin = next((p for p in config.plugins.values() if isinstance(p, RolebookPlugin)), None)
            if plugin is None:
                raise SiteError(f"{config_file.at} does not enable the rolebook plugin (plugins: - rolebook)")
            plugin.use_result(result, pdf_links=pdf_links)
            mkdocs_build(config)
        except MkDocsException as e:
            raise SiteError(e.format_message().strip()) from e
    _require_pages(result, out_dir, directory_urls=config.use_directory_urls)
    return sum(1 for _ in out_dir.rglob("*.html"))


def _require_pages(result: CheckResult, out_dir: Path, *, directory_urls: bool) -> None:
    """Raise MissingPagesError unless ``out_dir`` holds the home page and a page for every role: a site
    without them must not replace the previous one (the number of pages alone says nothing)."""
    assert result.handbook is not None

    def built(src_uri: str) -> bool:
        return (out_dir / File(src_uri, None, "", directory_urls).dest_uri).is_file()

    missing = tuple(role.id for role in result.handbook.roles if not built(role_src(role.id)))
    if missing or not built(HOME):
        raise MissingPagesError(missing)
