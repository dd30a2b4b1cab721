"""Conversions between datetimes, stored milliseconds and study days."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, tzinfo

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


#: The planner's exam hour: a morning exam, local time.
EXAM_HOUR = 9


def exam_time(day: date) -> datetime:
    """The planner's exam moment: ``EXAM_HOUR`` local time on ``day``, in UTC."""
    local = datetime(day.year, day.month, day.day, EXAM_HOUR).astimezone()
    return local.astimezone(UTC)


def to_ms(moment: datetime) -> int:
    """Milliseconds since the epoch for an aware datetime."""
    if moment.tzinfo is None:
        raise ValueError("naive datetime; pass a timezone-aware UTC time")
    return (moment - EPOCH) // timedelta(milliseconds=1)


def from_ms(ms: int) -> datetime:
    """The UTC datetime for milliseconds since the epoch."""
    return EPOCH + timedelta(milliseconds=ms)


def truncate_ms(moment: datetime) -> datetime:
    """Drop sub-millisecond precision so a time survives storage unchanged."""
    return moment.replace(microsecond=moment.microsecond // 1000 * 1000)


def day_start(now: datetime, rollover_hour: int, tz: tzinfo | None = None) -> datetime:
    """Start of the study day containing ``now``, in UTC.

    The study day begins at ``rollover_hour`` local time (``tz``, or the
    machine's zone), so a late-night session counts towards the day before.
    """
    local = now.astimezone(tz)
    start = local.replace(hour=rollover_hour, minute=0, second=0, microsecond=0)
    if local < start:
        start -= timedelta(days=1)
    return start.astimezone(UTC)
