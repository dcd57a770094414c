"""Document control: who approved a description and when, and whether it is due for review."""

from __future__ import annotations

from collections.abc import Iterator

from rolebook.check.context import CheckContext, ParsedFile, located
from rolebook.check.registry import check
from rolebook.dates import review_due
from rolebook.i18n import Messages
from rolebook.problems import Problem

APPROVAL_FIELDS = ("approver", "approval_date")


@check(("approval-missing", "error"))
def approvals(f: ParsedFile, msgs: Messages) -> Iterator[Problem]:
    """A role with `status: approved` names who approved it (`approver`) and when (`approval_date`,
    YYYY-MM-DD). The problem points at `status:` and names what is missing. A draft needs neither.
    The approval date may come before the effective date (approved on 20 May, in force from 1 June)
    or after it (the description was reviewed and confirmed later, unchanged): both are fine.

    状态为已审核（`status: approved`）的岗位必须写明审核人（`approver`）和审核日期（`approval_date`，YYYY-MM-DD）；
    问题指向 `status:` 这一行，并说出缺了哪一项。草稿两项都可以不写。审核日期可以早于制定时间（先审核、后生效），
    也可以晚于它（后来复审确认、内容未变）。"""
    if f.source.kind != "role" or f.get("status") != "approved":
        return
    data = f.data if isinstance(f.data, dict) else {}
    missing = [k for k in APPROVAL_FIELDS if not _given(data.get(k))]
    if not missing:
        return
    hint = msgs.hint("approval-missing", example=msgs.join([msgs.text(f"approval-missing/example-{k}") for k in missing]))
    if len(missing) == 2:
        names = {k: msgs.text(f"approval-missing/{k}") for k in missing}
        yield located(f, msgs, ("status",), "error", "approval-missing", "approval-missing/both", key=True, hint=hint, **names)
    else:
        field = msgs.text(f"approval-missing/{missing[0]}")
        yield located(f, msgs, ("status",), "error", "approval-missing", "approval-missing", key=True, hint=hint, field=field)


def _given(value: object) -> bool:
    """Written at all: a wrong type or shape is the schema's error, not a missing field."""
    return value is not None and not (isinstance(value, str) and not value.strip())


@check(("review-due", "warning"))
def reviews(ctx: CheckContext) -> Iterator[Problem]:
    """With `review_every: N` in `rolebook.yml`, an approved role whose `approval_date` is N months
    old or older is due for review. It is counted to a fixed day, so the same commit gives the same
    result on any day: `SOURCE_DATE_EPOCH` when set, else the date of the handbook's last git
    commit, else today; the message says which. Drafts are not counted (they are not approved yet).
    After the review, set `approval_date` to its date. A warning; `--strict` makes it fail.

    在 `rolebook.yml` 里写了 `review_every: N`（个月）时，已审核岗位的审核日期（`approval_date`）满 N 个月就该复审。
    计算到一个固定的日期，同一次提交哪天检查结果都一样：设了 `SOURCE_DATE_EPOCH` 就用它，否则用手册最近一次 git 提交的日期，
    都没有才用今天；信息里会说明用的是哪一个。草稿不计（还没有审核）。复审后把 `approval_date` 改成复审的日期。
    这是警告；`--strict` 时算作失败。"""
    if ctx.review_every is None or ctx.reference is None:
        return
    today = ctx.reference.day.isoformat()
    source = ctx.msgs.text(f"review-due/source-{ctx.reference.source}")
    hint = ctx.msgs.hint("review-due")
    for f in ctx.roles.values():
        if f.get("status") != "approved":
            continue
        approved = f.get("approval_date")
        due = review_due(approved, ctx.review_every, ctx.reference.day)
        if due is None:
            continue
        yield ctx.problem(
            f,
            ("approval_date",),
            "warning",
            "review-due",
            "review-due",
            hint=hint,
            approved=approved,
            months=ctx.review_every,
            due=due.isoformat(),
            today=today,
            source=source,
        )
