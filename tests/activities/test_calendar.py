"""Plan -> ICS -> parsed events equal the planned sessions."""

from __future__ import annotations

from datetime import UTC, datetime, time

import pytest

from retrowalk.activities.calendar import UID_DOMAIN, parse_calendar, plan_calendar
from retrowalk.errors import InvalidInputError
from retrowalk.plans import Plan

STAMP = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)


def test_events_equal_the_planned_sessions(stored_plan: tuple[Plan, tuple[str, ...]]) -> None:
    plan, ids = stored_plan
    data = plan_calendar(
        list(zip(ids, plan.sessions, strict=True)), at=time(7, 45), remind_before_min=30,
        stamp=STAMP,
    )  # fmt: skip
    events = parse_calendar(data)
    assert len(events) == len(plan.sessions)
    for event, planned_id, planned in zip(events, ids, plan.sessions, strict=True):
        assert event.uid == f"{planned_id}@{UID_DOMAIN}"
        assert event.on == planned.scheduled_on
        assert event.starts == time(7, 45)
        assert event.duration_s == pytest.approx(planned.total_s, abs=1.0)  # DTEND in whole s
        assert event.backward_s == pytest.approx(planned.backward_s)
        assert event.title == planned.title
        assert event.remind_before_min == 30


def test_same_plan_same_uids_and_no_reminder(stored_plan: tuple[Plan, tuple[str, ...]]) -> None:
    plan, ids = stored_plan
    pairs = list(zip(ids, plan.sessions, strict=True))
    first = parse_calendar(plan_calendar(pairs, at=time(9), remind_before_min=None, stamp=STAMP))
    again = parse_calendar(plan_calendar(pairs, at=time(18), remind_before_min=0, stamp=STAMP))
    assert [e.uid for e in first] == [e.uid for e in again]
    assert all(e.remind_before_min is None for e in first)
    assert all(e.remind_before_min == 0 for e in again)


@pytest.mark.parametrize("remind", [-1, 24 * 60 + 1])
def test_reminder_out_of_range(remind: int) -> None:
    with pytest.raises(InvalidInputError, match="remind_before_min"):
        plan_calendar([], at=time(9), remind_before_min=remind, stamp=STAMP)
