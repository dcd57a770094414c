"""The handbook site's MkDocs config, and what a built site must hold.

A handbook with its own ``mkdocs.yml`` is built with it; one without uses rolebook's
default ``mkdocs.yml`` (shipped in the package, ``rolebook/templates/``), pointed at
the handbook's ``docs/`` folder (or an empty one). ``build`` stages the site
(``rolebook.outputs.staging``) and hands it to an engine (``rolebook.outputs.engines``);
``serve`` and plain ``mkdocs`` run the rolebook plugin on the config made here.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from mkdocs.structure.files import File
from mkdocs.utils.yaml import get_yaml_loader, yaml_load

from rolebook.i18n import Lang
from rolebook.model import Handbook
from rolebook.render.links import HOME, role_src
from rolebook.resources import DEFAULT_MKDOCS_YML

CONFIG_NAME = "mkdocs.yml"


class SiteError(Exception):
    """The site could not be built; the message says why (the engine has logged the details)."""


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


def _read(fh: Any) -> dict[str, Any]:
    """A mkdocs.yml as MkDocs reads it (with the files it inherits from), for its plain keys; ``!relative``
    paths, which need MkDocs' config object, are read as nothing (only ``plugins`` and ``docs_dir`` are used)."""

    class Loader(get_yaml_loader()):  # type: ignore[misc]
        pass

    Loader.add_constructor("!relative", lambda loader, node: None)
    return yaml_load(fh, Loader) or {}


def plugins_with(config_file: Path, options: dict[str, str]) -> list[Any]:
    """The ``plugins`` list of ``config_file`` with the rolebook plugin's options set."""
    with open(config_file, encoding="utf-8") as fh:
        raw = _read(fh)
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
    parent = config_parent(root)
    with tempfile.TemporaryDirectory(prefix="rolebook-mkdocs-") as tmp:
        if own.is_file():
            with open(own, encoding="utf-8") as fh:
                docs = root / str(_read(fh).get("docs_dir") or "docs")
        else:
            docs = root / "docs"
            if not docs.is_dir():
                docs = Path(tmp) / "docs"  # no hand-written pages: an empty docs folder
                docs.mkdir()
        options = {"handbook": str(root), **({"lang": lang} if lang else {})}
        child = {"INHERIT": str(parent), "docs_dir": str(docs), "plugins": plugins_with(parent, options)}
        config_file = Path(tmp) / CONFIG_NAME
        config_file.write_text(yaml.safe_dump(child, allow_unicode=True, sort_keys=False), encoding="utf-8")
        yield ConfigFile(config_file, own if own.is_file() else config_file)


def config_parent(root: Path) -> Path:
    """The config a handbook's site is built from: its own mkdocs.yml, or rolebook's default."""
    own = root / CONFIG_NAME
    return own if own.is_file() else DEFAULT_MKDOCS_YML


def require_pages(handbook: Handbook, out_dir: Path, *, directory_urls: bool) -> int:
    """Raise MissingPagesError unless ``out_dir`` holds the home page and a page for every role: a site
    without them must not replace the previous one (the number of pages alone says nothing).
    Returns the number of HTML pages."""

    def built(src_uri: str) -> bool:
        return (out_dir / File(src_uri, None, "", directory_urls).dest_uri).is_file()

    missing = tuple(role.id for role in handbook.roles if not built(role_src(role.id)))
    if missing or not built(HOME):
        raise MissingPagesError(missing)
    return sum(1 for _ in out_dir.rglob("*.html"))
