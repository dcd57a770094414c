"""Comparisons as pages: ``diff --format markdown`` and the site's "What's new" page, one section per department."""

from __future__ import annotations

from markupsafe import escape

from rolebook.i18n import Messages
from rolebook.labels import date_text, label
from rolebook.render.escape import md_inline
from rolebook.render.links import Links, department_src, role_src
from rolebook.revisions.compare import Change, Diff
from rolebook.revisions.news import News
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


WHATS_NEW = "whats-new.md"


def _has_role(diff: Diff, role_id: str) -> bool:
    try:
        diff.new.role(role_id)
    except KeyError:
        return False
    return True


def whats_new_markdown(news: News, links: Links) -> str:
    """The "What's new" page: one section per department, each change a link to its position (or department)."""
    diff, base, lang = news.diff, news.base, news.diff.new.settings.language
    msgs = Messages(lang)
    when = date_text(lang, base.date)
    since = label(lang, "whats_new_since_tag", tag=base.tag, date=when) if base.tag else label(lang, "whats_new_since", n=base.revisions, date=when)
    out = [f"# {md_inline(label(lang, 'whats_new'))}", "", f'<p class="rbs-news-since">{escape(since)}</p>', ""]
    if not diff:
        return "\n".join([*out, f"<p>{escape(label(lang, 'whats_new_none'))}</p>", ""])
    by_dept: dict[str, list[Change]] = {}
    for c in diff.changes:
        by_dept.setdefault(c.department, []).append(c)
    for dept, changes in by_dept.items():
        out += [f"## {md_inline(_dept_name(diff, dept))}", "", '<ul class="rbs-news">']
        for c in changes:
            text = escape(change_line(c, diff, msgs))
            target = role_src(c.subject) if c.scope == "role" and _has_role(diff, c.subject) else None
            if c.scope == "department" and c.kind != "removed":
                target = department_src(c.subject)
            out.append(f'<li><a href="{escape(links.page(target))}">{text}</a></li>' if target else f"<li>{text}</li>")
        out += ["</ul>", ""]
    if diff.headcount:
        out += [f"## {md_inline(msgs.text('diff/field/headcount'))}", "", '<ul class="rbs-news">']
        out += [f"<li>{escape(headcount_line(h, msgs))}</li>" for h in diff.headcount]
        out += ["</ul>", ""]
    return "\n".join(out)
