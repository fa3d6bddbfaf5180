"""Dates as the API routers and the pages take them (no domain rules)."""

from __future__ import annotations

from datetime import date

from retrowalk.errors import InvalidInputError
from retrowalk.limits import DATE_MAX, DATE_MIN


def local_today() -> date:
    """The user's calendar day (the server runs on the user's own machine)."""
    return date.today()  # noqa: DTZ011 - the user's local calendar day, as in the CLI


def check_date(value: date | None, field: str) -> date:
    """A date within the range RetroWalk accepts (default: today)."""
    if value is None:
        return local_today()
    if not DATE_MIN <= value <= DATE_MAX:
        raise InvalidInputError(
            field, value.isoformat(), f"a date from {DATE_MIN.isoformat()} to {DATE_MAX}"
        )
    return value


def parse_form_date(value: str | None, field: str) -> date:
    """A YYYY-MM-DD date typed in a form (empty: today)."""
    if not value:
        return local_today()
    try:
        parsed = date.fromisoformat(value)
    except ValueError:
        raise InvalidInputError(field, value, "a date as YYYY-MM-DD") from None
    return check_date(parsed, field)
