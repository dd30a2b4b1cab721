"""Conversions between datetimes, stored milliseconds and study days."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, tzinfo

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


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


def format_interval(seconds: float) -> str:
    """A short human interval: 45s, 10m, 3h, 4d, 2.5mo, 1.2y."""
    if seconds < 60:
        return f"{seconds:.0f}s"
    if seconds < 3600:
        return f"{seconds / 60:.0f}m"
    if seconds < 86_400:
        return f"{seconds / 3600:.0f}h"
    days = seconds / 86_400
    if days < 30:
        return f"{days:.0f}d"
    if days < 365:
        return f"{days / 30:.1f}mo"
    return f"{days / 365:.1f}y"
