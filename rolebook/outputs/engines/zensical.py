"""Zensical: builds the staged pages with its own theme and search; it runs no plugins.

Zensical reads MkDocs' config format, so it gets a config of its own beside the staged one
(``zensical.yml``): the handbook's ``mkdocs.yml`` (or rolebook's default) by ``INHERIT``, with
what the rolebook plugin would have set under MkDocs written out — the organisation's name, the
theme's language (Zensical's search then segments Chinese in the browser with
``Intl.Segmenter``), the theme overrides, rolebook's CSS and scripts, directory URLs off, the
navigation — and the search and offline plugins, which Zensical has built in. Zensical wants
``docs_dir`` and ``site_dir`` inside its config's folder, so it builds into the staging folder
and the result is moved into place. It runs in a process of its own, on the staged files only.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml
from markupsafe import escape

from rolebook.labels import label
from rolebook.outputs.site import SiteError, config_parent
from rolebook.outputs.staging import Staged
from rolebook.render.site import EXTRA_CSS, EXTRA_JS, IFRAME_WORKER, site_name
from rolebook.render.theme import THEME_DIR, THEME_LABELS

CONFIG = "zensical.yml"
SITE = "site"
OVERRIDES = "overrides"
LAUNCH = "import sys; from zensical.main import cli; sys.exit(cli())"


def zensical_config(staged: Staged) -> dict[str, Any]:
    """The config Zensical builds the staged site with (relative paths: from the staging folder)."""
    lang = staged.language
    config: dict[str, Any] = {
        "INHERIT": str(config_parent(staged.handbook_root)),
        "site_name": site_name(staged.organisation),
        "docs_dir": staged.docs.name,
        "site_dir": SITE,
        "use_directory_urls": False,
        "theme": {"name": "material", "language": lang, "custom_dir": OVERRIDES},
        # the vendored iframe-worker shim: the offline plugin would load it from the internet
        "extra": {"generator": False, "polyfills": [IFRAME_WORKER], "rolebook": {key: str(escape(label(lang, key))) for key in THEME_LABELS}},
        "extra_css": list(EXTRA_CSS),
        "extra_javascript": list(EXTRA_JS),
        "plugins": ["search", "offline"],
    }
    if staged.own_nav:
        config["nav"] = staged.nav
    return config


class Zensical:
    name = "zensical"
    package = "zensical"
    module = "zensical"
    in_memory = False

    def build(self, staged: Staged, out_dir: Path) -> None:
        shutil.copytree(THEME_DIR, staged.folder / OVERRIDES)
        config_file = staged.folder / CONFIG
        config_file.write_text(yaml.safe_dump(zensical_config(staged), allow_unicode=True, sort_keys=False), encoding="utf-8")
        env = {**os.environ, "NO_COLOR": "1"}
        args = [sys.executable, "-c", LAUNCH, "build", "--clean", "-f", str(config_file)]
        done = subprocess.run(args, cwd=staged.folder, stdin=subprocess.DEVNULL, capture_output=True, text=True, env=env, check=False)
        built = staged.folder / SITE
        if done.returncode != 0 or not (built / "index.html").is_file():
            sys.stderr.write(done.stdout + done.stderr)
            lines = [line for line in (done.stderr or done.stdout).splitlines() if line.strip()]
            raise SiteError(lines[-1] if lines else f"zensical exited with status {done.returncode}")
        for leftover in list(out_dir.iterdir()):
            shutil.rmtree(leftover) if leftover.is_dir() else leftover.unlink()
        for entry in sorted(built.iterdir()):
            shutil.move(str(entry), str(out_dir / entry.name))
