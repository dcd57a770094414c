"""The files rolebook ships inside its package (schemas, templates, vendored scripts, the default
MkDocs config, the pages `init` writes), found with importlib.resources, so an installed wheel
works without this checkout."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path


def resource(*parts: str) -> Path:
    """The path of a file or folder shipped in the ``rolebook`` package (e.g. ``resource("schema", "role.schema.json")``).

    rolebook is installed as plain files (a wheel or an editable install), never run from a zip,
    so every resource is a real path: Jinja's loaders, MkDocs' ``INHERIT`` and WeasyPrint need one.
    """
    found = files("rolebook").joinpath(*parts)
    if not isinstance(found, Path):  # pragma: no cover - a zipped installation
        raise RuntimeError(f"rolebook must be installed as files, not zipped: cannot open {'/'.join(parts)}")
    return found


SCHEMA_DIR = resource("schema")
TEMPLATES_DIR = resource("templates")
DEFAULT_MKDOCS_YML = TEMPLATES_DIR / "mkdocs.yml"
