"""ProperDocs (the maintained MkDocs 1.6 fork) + Material, through the rolebook plugin's staged mode.

ProperDocs answers for the ``mkdocs`` module wherever it is imported (``properdocs.replacement``),
so it runs in a Python process of its own, started here on the staged config; what it logs goes
to stderr as MkDocs' messages do.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from rolebook.outputs.site import SiteError
from rolebook.outputs.staging import Staged

# Run as `python -c LAUNCH CONFIG CONFIG_PATH SITE_DIR`.
LAUNCH = """
import logging, sys
import properdocs.replacement  # noqa: F401  (from here on, mkdocs.* is properdocs.*)
from properdocs.commands.build import build
from properdocs.config import load_config
from properdocs.exceptions import ProperDocsException

handler = logging.StreamHandler(sys.stderr)
handler.setFormatter(logging.Formatter("%(levelname)s: %(message)s"))
for name in ("properdocs", "mkdocs"):
    logger = logging.getLogger(name)
    logger.addHandler(handler)
    logger.setLevel(logging.WARNING)
    logger.propagate = False
logging.getLogger("jieba").setLevel(logging.WARNING)
try:
    build(load_config(config_file=sys.argv[1], config_file_path=sys.argv[2], site_dir=sys.argv[3]))
except ProperDocsException as e:
    sys.stderr.write("ERROR: " + e.format_message().strip() + "\\n")
    sys.exit(1)
"""


class ProperDocs:
    name = "properdocs"
    package = "properdocs"
    module = "properdocs"
    in_memory = False  # another process: every page is a file

    def build(self, staged: Staged, out_dir: Path) -> None:
        args = [sys.executable, "-c", LAUNCH, str(staged.config.read), str(staged.config.at), str(out_dir.absolute())]
        done = subprocess.run(args, stdin=subprocess.DEVNULL, capture_output=True, text=True, check=False)
        if done.stderr:
            sys.stderr.write(done.stderr)
        if done.returncode != 0:
            errors = [line.removeprefix("ERROR: ") for line in done.stderr.splitlines() if line.startswith("ERROR: ")]
            raise SiteError(errors[-1] if errors else f"properdocs exited with status {done.returncode}")
