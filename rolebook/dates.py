"""The one date every reproducible output carries (PDF metadata, workbook and Word properties, zip
entries): ``SOURCE_DATE_EPOCH`` when it is set (https://reproducible-builds.org/specs/source-date-epoch/),
else one taken from the handbook's data — never the clock, so two builds of the same data are identical.

Also the day reviews are counted to (``review_every``): ``SOURCE_DATE_EPOCH``, else the handbook's last
commit, else — the one place the clock is used, for a folder without history — the day it is given."""

from __future__ import annotations

import calendar
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Literal

DEFAULT_TIME = datetime(2000, 1, 1)


def source_date_epoch(environ: Mapping[str, str] | os._Environ[str]) -> tuple[int | None, str | None]:
    """``SOURCE_DATE_EPOCH`` as an int, or (None, why it was ignored)."""
    raw = environ.get("SOURCE_DATE_EPOCH")
    if raw is None or raw.strip() == "":
        return None, None
    try:
        value = int(raw.strip())
        datetime.fromtimestamp(value, UTC)
    except (ValueError, OverflowError, OSError):
        return None, f"SOURCE_DATE_EPOCH={raw!r} is not a number of seconds; ignored"
    return value, None


def fixed_time(effective_dates: Iterable[str | None], epoch: str | None) -> datetime:
    """``epoch`` (the value of SOURCE_DATE_EPOCH) when it is a number of seconds, else the latest of the
    effective dates that is a real date, else 2000-01-01; naive, in UTC."""
    seconds, _ = source_date_epoch({"SOURCE_DATE_EPOCH": epoch} if epoch else {})
    if seconds is not None:
        return datetime.fromtimestamp(seconds, tz=UTC).replace(tzinfo=None)
    for d in sorted((d for d in effective_dates if d), reverse=True):
        try:
            return datetime.strptime(d, "%Y-%m-%d")
        except ValueError:  # 2006-02-31 passes the schema's pattern
            continue
    return DEFAULT_TIME


@dataclass(frozen=True)
class ReferenceDate:
    """The day reviews are counted to, and where it came from: ``epoch`` (SOURCE_DATE_EPOCH), ``commit``
    (the handbook's last git commit) or ``today`` (the clock, the last resort: a folder without history)."""

    day: date
    source: Literal["epoch", "commit", "today"]


def reference_date(epoch: str | None, commit_time: int | None, today: date) -> ReferenceDate:
    """SOURCE_DATE_EPOCH when it is a number of seconds, else the last commit's time, else ``today``; in UTC.

    The first two keep a check and a build reproducible: the same commit gives the same warnings and
    the same "due for review" marks on any day, on any machine."""
    seconds, _ = source_date_epoch({"SOURCE_DATE_EPOCH": epoch} if epoch else {})
    if seconds is not None:
        return ReferenceDate(datetime.fromtimestamp(seconds, tz=UTC).date(), "epoch")
    if commit_time is not None:
        try:
            return ReferenceDate(datetime.fromtimestamp(commit_time, tz=UTC).date(), "commit")
        except (OverflowError, OSError, ValueError):
            pass
    return ReferenceDate(today, "today")


def add_months(day: date, months: int) -> date:
    """``day`` plus whole months; a day the month lacks becomes its last (2024-01-31 + 1 → 2024-02-29)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    if year > 9999:
        return date.max
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def review_due(last_approval: str | None, months: int | None, reference: date | None) -> date | None:
    """The date a review fell due, when ``reference`` has reached it; None when not due (or nothing to count from).

    ``last_approval`` is an approved role's approval_date (YYYY-MM-DD); the review is due ``months`` later."""
    if not last_approval or months is None or reference is None:
        return None
    try:
        approved = date.fromisoformat(last_approval)
    except ValueError:
        return None
    due = add_months(approved, months)
    return due if reference >= due else None
