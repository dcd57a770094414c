"""The one date every reproducible output carries (PDF metadata, workbook and Word properties, zip
entries): ``SOURCE_DATE_EPOCH`` when it is set (https://reproducible-builds.org/specs/source-date-epoch/),
else one taken from the handbook's data — never the clock, so two builds of the same data are identical."""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime

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
