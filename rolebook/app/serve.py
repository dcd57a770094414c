"""The live preview's rebuild: after an edit, only the pages it changes are written again.

``serve`` builds the whole site once (MkDocs), then keeps it (``rolebook.outputs.live``). After
each save the handbook is checked again (the parse cache makes that a read and a hash of each
file); when nothing but role files changed, ``rolebook.render.incremental`` names the generated
pages the edit can affect, they are rendered again, and those whose Markdown source really
changed go through MkDocs again — the page, its department, the pages that list or link it, the
search entries. Anything else (settings, a department, a position added, removed or moved,
hand-written pages, mkdocs.yml, rolebook's templates) needs a full build, which ``update``
says by answering ``None``.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from rolebook.model import Handbook
from rolebook.outputs.live import LivePages
from rolebook.render.incremental import PageRenderer, affected_pages

Snapshot = frozenset[tuple[str, int, int]]


def snapshot(paths: Iterable[Path], *, skip: Iterable[Path] = ()) -> Snapshot:
    """Every file under ``paths`` (and the files among them) with its modification time and size,
    leaving out the folders in ``skip``: what must be unchanged for a partial rebuild."""
    skipped = {os.path.abspath(p) for p in skip}
    out: set[tuple[str, int, int]] = set()
    for path in paths:
        top = os.path.abspath(path)
        if top in skipped:
            continue
        if os.path.isfile(top):
            st = os.stat(top)
            out.add((top, st.st_mtime_ns, st.st_size))
            continue
        for folder, dirs, names in os.walk(top):
            dirs[:] = [d for d in dirs if os.path.join(folder, d) not in skipped]
            for name in names:
                full = os.path.join(folder, name)
                try:
                    st = os.stat(full)
                except OSError:
                    continue
                out.add((full, st.st_mtime_ns, st.st_size))
    return frozenset(out)


@dataclass
class LiveSite:
    """The last site built in full (``built``) and what was rendered into it since."""

    handbook: Handbook | None = None
    pages: LivePages | None = None
    renderer: PageRenderer | None = None
    inputs: Snapshot = frozenset()
    digests: dict[str, bytes] = field(default_factory=dict)  # page source -> digest of its Markdown as last written

    def built(self, handbook: Handbook, pages: LivePages, renderer: PageRenderer, inputs: Snapshot) -> None:
        self.handbook, self.pages, self.renderer, self.inputs = handbook, pages, renderer, inputs
        self.digests = {}

    def update(self, handbook: Handbook, inputs: Snapshot) -> int | None:
        """Write the pages of ``handbook`` that differ from the site's; the number written, or ``None``
        when the edit needs a full build (then nothing was written)."""
        if self.handbook is None or self.pages is None or self.renderer is None or inputs != self.inputs:
            return None
        srcs = affected_pages(self.handbook, handbook)
        if srcs is None or not all(self.pages.has(s) for s in srcs):
            return None
        generated = self.renderer.render(handbook, srcs)
        digests = {p.src_uri: hashlib.blake2b(p.content.encode("utf-8"), digest_size=16).digest() for p in generated}
        changed = [p for p in generated if self.digests.get(p.src_uri) != digests[p.src_uri]]
        self.pages.write(changed)
        self.digests.update(digests)
        self.handbook = handbook
        return len(changed)
