"""The plan as an iCalendar (RFC 5545) feed, written and read with ``icalendar``.

One event per planned session, at the walker's chosen time of day, lasting the session, with
a reminder a chosen number of minutes before. Times are *floating* local times (RFC 5545
§3.3.5: no zone), so "09:00" stays 09:00 wherever the walker is. Each event's UID is the planned
session's id: when the plan adapts, a calendar that subscribed to the feed updates the same
events instead of adding copies.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Final

from retrowalk.errors import InvalidInputError
from retrowalk.plans.model import PlannedSession

__all__ = [
    "REMIND_BEFORE_MIN_MAX",
    "UID_DOMAIN",
    "CalendarEvent",
    "parse_calendar",
    "plan_calendar",
]

#: The domain part of every event's UID (RFC 5545 §3.8.4.7 recommends one).
UID_DOMAIN: Final = "retrowalk.invalid"
#: Longest reminder lead accepted, minutes (a day).
REMIND_BEFORE_MIN_MAX: Final = 24 * 60
_PRODID: Final = "-//RetroWalk//Plan calendar//EN"


@dataclass(frozen=True, slots=True)
class CalendarEvent:
    """A planned session as an event (written by :func:`plan_calendar`, read back by
    :func:`parse_calendar`)."""

    uid: str
    on: date
    starts: time
    duration_s: float
    title: str
    backward_s: float
    remind_before_min: int | None


def _describe(planned: PlannedSession) -> str:
    lines = [planned.rationale, ""] if planned.rationale else []
    for part in planned.segments:
        whole = round(part.duration_s)
        lines.append(
            f"{part.kind.value.replace('_', ' ')}: {part.direction.value} "
            f"{whole // 60}:{whole % 60:02d}, {part.environment.value.replace('_', ' ')}"
        )
    return "\n".join(lines)


def plan_calendar(
    sessions: Sequence[tuple[str, PlannedSession]],
    *,
    at: time,
    remind_before_min: int | None,
    stamp: datetime,
    name: str = "RetroWalk plan",
) -> bytes:
    """The ``.ics`` bytes of planned sessions.

    Parameters
    ----------
    sessions
        (planned session id, session) pairs.
    at
        Time of day of every session (local, floating).
    remind_before_min
        Reminder lead in minutes (0: at the start), or ``None`` for no reminder.
    stamp
        DTSTAMP of every event (aware; usually the plan's last change).
    name
        The calendar's name.

    Raises
    ------
    InvalidInputError
        ``remind_before_min`` outside 0..:data:`REMIND_BEFORE_MIN_MAX`.
    """
    from icalendar import Alarm, Calendar, Event

    if remind_before_min is not None and not (
        isinstance(remind_before_min, int) and 0 <= remind_before_min <= REMIND_BEFORE_MIN_MAX
    ):
        raise InvalidInputError(
            "remind_before_min",
            remind_before_min,
            f"a whole number of minutes from 0 to {REMIND_BEFORE_MIN_MAX}",
        )
    calendar = Calendar()
    calendar.add("prodid", _PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    for planned_id, planned in sessions:
        start = datetime.combine(planned.scheduled_on, at.replace(tzinfo=None))
        event = Event()
        event.add("uid", f"{planned_id}@{UID_DOMAIN}")
        event.add("dtstamp", stamp)
        event.add("dtstart", start)
        event.add("dtend", start + timedelta(seconds=planned.total_s))
        event.add("summary", planned.title)
        event.add("description", _describe(planned))
        event.add("categories", ["RetroWalk"])
        event.add("x-retrowalk-backward-s", str(round(planned.backward_s, 3)))
        if remind_before_min is not None:
            alarm = Alarm()
            alarm.add("action", "DISPLAY")
            alarm.add("description", f"RetroWalk: {planned.title}")
            alarm.add("trigger", timedelta(minutes=-remind_before_min))
            event.add_component(alarm)
        calendar.add_component(event)
    return bytes(calendar.to_ical())


def parse_calendar(data: bytes) -> tuple[CalendarEvent, ...]:
    """The events of a calendar written by :func:`plan_calendar`."""
    from icalendar import Calendar

    calendar = Calendar.from_ical(data)
    events = []
    for event in calendar.walk("VEVENT"):
        start = event.decoded("dtstart")
        end = event.decoded("dtend")
        alarms = [c for c in event.subcomponents if c.name == "VALARM"]
        remind = None
        if alarms:
            trigger = alarms[0].decoded("trigger")
            remind = round(-trigger.total_seconds() / 60)
        events.append(
            CalendarEvent(
                uid=str(event["uid"]),
                on=start.date(),
                starts=start.time(),
                duration_s=(end - start).total_seconds(),
                title=str(event["summary"]),
                backward_s=float(str(event.get("x-retrowalk-backward-s", "0"))),
                remind_before_min=remind,
            )
        )
    return tuple(events)
