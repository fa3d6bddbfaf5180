"""The one place that reads the wall clock, and helpers for timezone-aware UTC."""

from __future__ import annotations

from datetime import UTC, datetime, tzinfo


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


def parse_zone(value: str | None, field: str = "--tz") -> tzinfo:
    """An IANA time zone name (``None``: the computer's current local zone)."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    from retrowalk.errors import InvalidInputError

    if value is None:
        from tzlocal import get_localzone

        try:
            return get_localzone()
        except Exception:  # an unreadable system zone: the current offset
            local = datetime.now(UTC).astimezone().tzinfo
            return local if local is not None else UTC
    if value.strip().upper() == "UTC":
        return UTC
    try:
        return ZoneInfo(value.strip())
    except (ZoneInfoNotFoundError, ValueError):
        raise InvalidInputError(
            field, value, "a time zone name such as Europe/Paris or UTC"
        ) from None


def local_zone(override: str | None = None) -> tzinfo:
    """The walker's time zone: ``override`` (e.g. ``--tz``), else the ``RETROWALK_TIME_ZONE``
    setting, else the computer's. Times are shown and days counted in it (issue 13)."""
    if override is not None:
        return parse_zone(override)
    from retrowalk.config import get_settings

    setting = get_settings().time_zone
    return parse_zone(setting, "RETROWALK_TIME_ZONE") if setting else parse_zone(None)
