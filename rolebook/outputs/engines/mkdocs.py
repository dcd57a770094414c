"""MkDocs + Material: builds the staged config in this process, through the rolebook plugin's staged mode.

A large site of rolebook's own stack is built by this process and a forked helper together
(``rolebook.outputs.engines.shards``)."""

from __future__ import annotations

import json
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Protocol, runtime_checkable

from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.exceptions import MkDocsException

from rolebook.outputs.engines import shards
from rolebook.outputs.site import SiteError
from rolebook.outputs.staging import Staged


@runtime_checkable
class TakesPages(Protocol):
    """The rolebook plugin's side: it builds the pages given here as if staged in docs/."""

    def take_pages(self, pages: Mapping[str, str]) -> None: ...


class MkDocs:
    name = "mkdocs"
    package = "mkdocs"
    module = "mkdocs"
    in_memory = True  # the role and department pages' sources come from Staged.pages

    def build(self, staged: Staged, out_dir: Path) -> None:
        try:
            config = load_config(config_file=str(staged.config.read), config_file_path=str(staged.config.at), site_dir=str(out_dir.absolute()))
            if "rolebook" not in config.plugins:
                raise SiteError(f"{staged.config.at} does not enable the rolebook plugin (plugins: - rolebook)")
            plugin = config.plugins["rolebook"]
            if staged.pages:
                if not isinstance(plugin, TakesPages):
                    raise SiteError("the rolebook plugin in this build cannot take pages from memory")
                plugin.take_pages(staged.pages)
            pages = json.loads(staged.manifest.read_text(encoding="utf-8"))["search_pages"]
            if shards.splittable(config, pages):
                with tempfile.TemporaryDirectory(prefix="rolebook-shard-", dir=staged.folder) as scratch:
                    shards.build_split(config, pages, Path(scratch), mkdocs_build)
            else:
                mkdocs_build(config)
        except MkDocsException as e:
            raise SiteError(e.format_message().strip()) from e
