"""The fields a Word document keeps in its page headers and footers (编号, 版本, 生效日期, 审核 …), given to the
job descriptions of the section (Word's 节) whose pages show them.

A header is read as any text is (docx_parse), on its own; the fields it names fill in what the job
descriptions of its section do not say themselves. What the body says wins; a header that says
otherwise is reported as a field found twice. A header's number (编号) is a document's number, so it
goes to a job description only when that job description is the only one in its section. A title
from a heading in a header ("某某公司岗位说明书") names the document, not a position: not used.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace

from rolebook.load import docx_labels as L
from rolebook.load.docx_parse import _Parser
from rolebook.load.docx_reader import Line
from rolebook.load.docx_records import Found, Parsed

ONE_JOB_ONLY = ("number", "role_id", "title")
# what a footer adds after a value: the page number ("第 1 页 共 3 页", "Page 1 of 3", "- 1 -")
PAGE_NUMBER = re.compile(r"[\s　|｜/]*(?:第\s*[0-9]+\s*页|共\s*[0-9]+\s*页|page\s+[0-9]+|-\s*[0-9]+\s*-)(?:.*)$", re.IGNORECASE)


def margin_fields(margins: Iterable[Line]) -> dict[int, dict[str, Found]]:
    """Section -> the fields its headers and footers name (the first of each)."""
    by_section: dict[int, list[Line]] = {}
    for line in margins:
        by_section.setdefault(line.where.section, []).append(line)
    out: dict[int, dict[str, Found]] = {}
    for section, lines in sorted(by_section.items()):
        parser = _Parser()
        for line in lines:
            parser.line(line)
        fields: dict[str, Found] = {}
        for job in parser.out.jobs:
            for name, found in job.fields.items():
                if name == "title" and job.title_from_heading:
                    continue
                text = PAGE_NUMBER.sub("", found.text).strip()
                if text:
                    fields.setdefault(name, replace(found, text=text))
        out[section] = fields
    return out


def apply_margins(parsed: Parsed, margins: Iterable[Line]) -> Parsed:
    """``parsed`` with each job description's missing fields filled in from its section's headers and footers."""
    fields = margin_fields(margins)
    if not fields:
        return parsed
    per_section: dict[int, int] = {}
    for job in parsed.jobs:
        per_section[job.start.section] = per_section.get(job.start.section, 0) + 1
    for job in parsed.jobs:
        for name, found in fields.get(job.start.section, {}).items():
            if name in ONE_JOB_ONLY and per_section[job.start.section] > 1:
                continue
            old = job.fields.get(name)
            if old is None:
                job.fields[name] = found
            elif L.key(old.text) != L.key(found.text):
                job.twice.append((name, old, found))
    return parsed
