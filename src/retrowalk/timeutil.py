"""The one place that reads the wall clock, and helpers for timezone-aware UTC."""

from __future__ import annotations

from datetime import UTC, datetime


def utcnow() -> datetime:
    """Return the current time as a timezone-aware UTC datetime."""
    return datetime.now(UTC)


def ensure_utc(value: datetime, field: str = "timestamp") -> datetime:
    """Return ``value`` converted to UTC; refuse naive datetimes.

    Raises
    ------
    retrowalk.errors.InvalidInputError
        If ``value`` has no timezone.
    """
    from retrowalk.errors import InvalidInputError

    if value.tzinfo is None or value.tzinfo.utcoffset(value) is None:
        raise InvalidInputError(
            field, value.isoformat(), "a timezone-aware time (e.g. ending in Z)"
        )
    return value.astimezone(UTC)
