"""A comparison of two snapshots as Markdown: one section per department, one bullet per change."""

from __future__ import annotations

from rolebook.i18n import Messages
from rolebook.render.escape import md_inline
from rolebook.revisions.compare import Diff
from rolebook.revisions.report import change_line, headcount_line


def _dept_name(diff: Diff, dept: str) -> str:
    for hb in (diff.new, diff.old):
        try:
            return hb.department(dept).name
        except KeyError:
            continue
    return dept


def diff_markdown(diff: Diff, msgs: Messages) -> str:
    """Markdown text, every value escaped; "no differences" when there are none."""
    if not diff:
        return md_inline(msgs.text("diff/none")) + "\n"
    out: list[str | None] = []
    current = None
    for c in diff.changes:
        if c.department != current:
            current = c.department
            out += ["" if out else None, f"## {md_inline(_dept_name(diff, current))}", ""]
        out.append(f"- {md_inline(change_line(c, diff, msgs))}")
    if diff.headcount:
        out += ["" if out else None, f"## {md_inline(msgs.text('diff/field/headcount'))}", ""]
        out += [f"- {md_inline(headcount_line(h, msgs))}" for h in diff.headcount]
    return "\n".join(line for line in out if line is not None) + "\n"
