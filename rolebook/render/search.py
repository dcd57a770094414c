"""The site search's entries for role pages, made from the model rather than from the HTML.

Material's search plugin indexes a page by parsing its HTML and segmenting its Chinese text
with jieba: at 10,000 roles that is over half of the site build. A role page's entry is
made here instead, from the model, with what finds a role — its title, number, department,
duties and KPIs — and not what every role page repeats (labels, dates, the usual
relationships and qualifications) nor the summary (it restates the duties, and at 10,000
roles every byte is downloaded and indexed by each visitor's browser). One entry per role
(not one per heading) keeps the index small.

The Chinese is segmented the way Material does it (jieba, words separated by U+200B, which
the site's search separator splits on), with one jieba tokenizer, in a worker process while
MkDocs renders the pages (``SearchEntries``), so it costs the build almost no time.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from multiprocessing import get_context
from typing import Any

from markupsafe import escape

from rolebook.model import Handbook, Role
from rolebook.workers import init_worker

# Han characters (CJK unified ideographs and their extensions, compatibility ideographs):
# what Material's \p{script: Han} selects for jieba.
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]+")
CHUNK = 500  # roles per piece of work for the worker

Entry = dict[str, str]


def role_text(handbook: Handbook, role: Role) -> str:
    """What search finds a role by (besides its title), as plain text."""
    parts = [role.number, handbook.department(role.department).name]
    for group in role.duties:
        if group.name:
            parts.append(group.name)
        for duty in group.duties:
            parts.append(duty.text)
            parts.extend(duty.kpis)
    return " ".join(" ".join(p.split()) for p in parts if p.strip())


def segment(text: str, cut: Any) -> str:
    """Chinese runs split into words by ``cut`` (jieba), with U+200B around and between them."""
    return _HAN.sub(lambda m: "\u200b" + "\u200b".join(cut(m.group())) + "\u200b", text).strip("\u200b")


def make_entries(items: list[tuple[str, str, str]]) -> list[Entry]:
    """(location, title, text) → search entries: HTML-escaped like Material's, Chinese segmented."""
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)  # not "Building prefix dict …" from every worker
    cut = jieba.dt.cut  # the one default tokenizer (its dictionary is loaded once per process)
    return [
        {"location": location, "title": segment(str(escape(" ".join(title.split()))), cut), "text": segment(str(escape(text)), cut)}
        for location, title, text in items
    ]


class SearchEntries:
    """Entries for many roles, made in a worker process while the caller does other work.

    ``start`` hands out the work; ``result`` returns the entries in the order given (made
    here if the worker could not run)."""

    def __init__(self, items: Iterable[tuple[str, str, str]], *, workers: int = 1) -> None:
        self._items = list(items)
        self._chunks = [self._items[i : i + CHUNK] for i in range(0, len(self._items), CHUNK)]
        self._pool: ProcessPoolExecutor | None = None
        self._futures: list[Future[list[Entry]]] = []
        if workers > 0 and len(self._items) > CHUNK:
            try:
                self._pool = ProcessPoolExecutor(max_workers=workers, mp_context=get_context("spawn"), initializer=init_worker, initargs=(os.getpid(),))
                self._futures = [self._pool.submit(make_entries, chunk) for chunk in self._chunks]
            except OSError:
                self._pool = None

    def result(self) -> list[Entry]:
        entries: list[Entry] = []
        try:
            for i, chunk in enumerate(self._chunks):
                if i < len(self._futures):
                    try:
                        entries.extend(self._futures[i].result())
                        continue
                    except BrokenProcessPool:
                        self._futures = []
                entries.extend(make_entries(chunk))
        finally:
            self.close()
        return entries

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
