"""The plan given back to watches and calendars: a planned session as a FIT workout, the plan as
an iCalendar file, and the private feed URL's token and settings.

The calendar feed's token is random (:func:`secrets.token_urlsafe`); only its SHA-256 is stored
(``settings`` key :data:`CALENDAR_KEY`), so a copy of the database does not reveal the URL. A
new token replaces the old one (the old URL stops working).
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import date, time
from typing import Any, Final

from sqlalchemy.orm import Session

from retrowalk.activities.calendar import REMIND_BEFORE_MIN_MAX, plan_calendar
from retrowalk.activities.workout import encode_workout
from retrowalk.errors import InvalidInputError, NotFoundError
from retrowalk.plans.model import PlannedSession
from retrowalk.services.logs import resolve_planned_session_id
from retrowalk.services.plans import require_plan
from retrowalk.store import models
from retrowalk.timeutil import utcnow

__all__ = [
    "CALENDAR_KEY",
    "DEFAULT_REMIND_BEFORE_MIN",
    "DEFAULT_SESSION_TIME",
    "CalendarSettings",
    "calendar_by_token",
    "calendar_settings",
    "new_calendar_token",
    "parse_time_of_day",
    "plan_ics",
    "save_calendar_settings",
    "workout_file",
]

#: ``settings`` key of the calendar feed (token hash, time of day, reminder lead).
CALENDAR_KEY: Final = "calendar_feed"
#: Time of day of the sessions in the calendar until the walker chooses one (a placeholder the
#: walker is asked to change, not advice).
DEFAULT_SESSION_TIME: Final = time(9, 0)
#: Reminder lead until the walker chooses one, minutes (a placeholder, not advice).
DEFAULT_REMIND_BEFORE_MIN: Final = 15
#: Random bytes in a feed token (256 bits).
TOKEN_BYTES: Final = 32
_TIME_RE: Final = re.compile(r"^\s*([01]?\d|2[0-3]):([0-5]\d)\s*$")


@dataclass(frozen=True, slots=True)
class CalendarSettings:
    """When sessions appear in the calendar and when it reminds."""

    at: time = DEFAULT_SESSION_TIME
    remind_before_min: int | None = DEFAULT_REMIND_BEFORE_MIN


def parse_time_of_day(text: str, field: str = "at") -> time:
    """``HH:MM`` (24-hour) as a time."""
    match = _TIME_RE.match(text) if isinstance(text, str) else None
    if match is None:
        raise InvalidInputError(field, text, "a time of day HH:MM, 00:00 to 23:59")
    return time(int(match.group(1)), int(match.group(2)))


def _check_remind(value: object) -> int | None:
    if value is None:
        return None
    if (
        isinstance(value, bool)
        or not isinstance(value, int)
        or not 0 <= value <= REMIND_BEFORE_MIN_MAX
    ):
        raise InvalidInputError(
            "remind_before_min",
            value,
            f"a whole number of minutes from 0 to {REMIND_BEFORE_MIN_MAX}",
        )
    return value


def _sessions(session: Session) -> list[tuple[str, PlannedSession]]:
    stored = require_plan(session)
    return list(zip(stored.session_ids, stored.plan.sessions, strict=True))


def workout_file(
    session: Session, *, planned_id: str | None = None, on: date | None = None
) -> tuple[str, bytes]:
    """A planned session (by id or prefix, else the one on ``on``) as a FIT workout: a file name
    and the bytes.

    Raises
    ------
    retrowalk.errors.NotFoundError
        No plan, or no planned session on that day.
    retrowalk.errors.InvalidInputError
        An id that matches no planned session.
    """
    sessions = _sessions(session)
    if planned_id is not None:
        full = resolve_planned_session_id(session, planned_id)
        found = [(i, p) for i, p in sessions if i == full]
    else:
        found = [(i, p) for i, p in sessions if p.scheduled_on == on]
    if not found:
        where = f"id {planned_id}" if planned_id is not None else f"{on}"
        raise NotFoundError(f"no planned session in the current plan for {where}")
    session_id, planned = found[0]
    data = encode_workout(planned.segments, name=f"RW {planned.title}", created=utcnow())
    name = f"retrowalk-{planned.scheduled_on.isoformat()}-{session_id[:8]}.fit"
    return name, data


def plan_ics(session: Session, settings: CalendarSettings | None = None) -> bytes:
    """The current plan as ``.ics`` bytes (every session, with its reminder)."""
    chosen = settings or calendar_settings(session)
    return plan_calendar(
        _sessions(session),
        at=chosen.at,
        remind_before_min=_check_remind(chosen.remind_before_min),
        stamp=utcnow(),
    )


def _stored(session: Session) -> dict[str, Any]:
    row = session.get(models.Setting, CALENDAR_KEY)
    return dict(row.value) if row is not None else {}


def _put(session: Session, value: dict[str, Any]) -> None:
    row = session.get(models.Setting, CALENDAR_KEY)
    if row is None:
        session.add(models.Setting(key=CALENDAR_KEY, value=value, updated_at=utcnow()))
    else:
        row.value = value
        row.updated_at = utcnow()
    session.flush()


def calendar_settings(session: Session) -> CalendarSettings:
    """The stored calendar settings, or the defaults."""
    value = _stored(session)
    at = DEFAULT_SESSION_TIME
    if isinstance(value.get("at"), str):
        try:
            at = parse_time_of_day(value["at"])
        except InvalidInputError:
            at = DEFAULT_SESSION_TIME
    remind = value.get("remind_before_min", DEFAULT_REMIND_BEFORE_MIN)
    try:
        remind = _check_remind(remind)
    except InvalidInputError:
        remind = DEFAULT_REMIND_BEFORE_MIN
    return CalendarSettings(at=at, remind_before_min=remind)


def save_calendar_settings(
    session: Session, *, at: time, remind_before_min: int | None
) -> CalendarSettings:
    """Store when sessions appear and when the calendar reminds (the token is kept)."""
    remind = _check_remind(remind_before_min)
    value = _stored(session)
    value.update({"at": at.strftime("%H:%M"), "remind_before_min": remind})
    _put(session, value)
    return CalendarSettings(at=at, remind_before_min=remind)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_calendar_token(session: Session) -> str:
    """A new private feed token (returned once; only its hash is stored). The old one stops
    working."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    value = _stored(session)
    value["token_sha256"] = _hash(token)
    _put(session, value)
    return token


def calendar_by_token(session: Session, token: str) -> bytes:
    """The feed for ``token``.

    Raises
    ------
    retrowalk.errors.NotFoundError
        Unknown token (the same answer whether or not a feed exists), or no plan.
    """
    expected = _stored(session).get("token_sha256")
    if not isinstance(expected, str) or not hmac.compare_digest(expected, _hash(token)):
        raise NotFoundError("no calendar at this address")
    return plan_ics(session)
