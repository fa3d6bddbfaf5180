"""Laps to planned backward parts; the same walk recorded twice."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from retrowalk.activities.matching import (
    MATCH_TOLERANCE_S,
    best_plan_match,
    durations_match,
    match_laps,
    same_walk,
)
from retrowalk.activities.model import Lap
from retrowalk.segments import PlannedSegment
from retrowalk.vocabulary import Direction, Environment, SegmentKind, Support

START = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


def part(direction: Direction, duration_s: float) -> PlannedSegment:
    kind = SegmentKind.BACKWARD_INTERVAL if direction is Direction.BACKWARD else SegmentKind.FORWARD
    return PlannedSegment(kind, direction, duration_s, Environment.HALLWAY, Support.NONE)


F, B = Direction.FORWARD, Direction.BACKWARD
PLAN = (part(F, 300), part(B, 60), part(F, 60), part(B, 90), part(F, 300))


def laps(*durations: float) -> tuple[Lap, ...]:
    out, at = [], START
    for duration in durations:
        out.append(Lap(start=at, duration_s=duration))
        at += timedelta(seconds=duration)
    return tuple(out)


def test_one_lap_per_part_takes_every_direction_from_the_plan() -> None:
    found = match_laps(laps(305, 58, 64, 92, 290), PLAN)
    assert [m.direction for m in found] == [F, B, F, B, F]
    assert [m.planned_position for m in found] == [0, 1, 2, 3, 4]
    assert {m.source for m in found} == {"plan"}


def test_backward_parts_find_their_laps_in_order_when_laps_differ() -> None:
    # The walker pressed lap only around the backward parts, and once more by mistake.
    found = match_laps(laps(300, 61, 20, 40, 88, 300), PLAN)
    assert [m.direction for m in found] == [F, B, F, F, B, F]
    assert [m.planned_position for m in found] == [None, 1, None, None, 3, None]
    assert [m.source for m in found].count("default") == 4


def test_a_lap_far_from_every_part_stays_forward() -> None:
    found = match_laps(laps(600, 200), PLAN)
    assert all(m.direction is F and m.source == "default" for m in found)


def test_tolerance_is_seconds_or_a_share() -> None:
    assert durations_match(60 + MATCH_TOLERANCE_S, 60)
    assert not durations_match(60 + MATCH_TOLERANCE_S + 0.5, 60)
    assert durations_match(1000 + 99, 1000)
    assert not durations_match(1000 + 101, 1000)


def test_the_best_planned_session_wins_and_none_when_nothing_matches() -> None:
    other = (part(F, 300), part(B, 240), part(F, 300))
    recorded = laps(300, 240, 300)
    best = best_plan_match(recorded, [("a", PLAN), ("b", other)])
    assert best.planned_session_id == "b"
    assert best.backward_matched == 1
    none = best_plan_match(laps(1000), [("a", PLAN)])
    assert none.planned_session_id is None


def test_same_walk_across_time_zones() -> None:
    paris = timezone(timedelta(hours=1))
    a_start = datetime(2026, 11, 2, 10, 0, tzinfo=paris)  # 09:00 UTC
    assert same_walk(a_start, a_start + timedelta(minutes=30), START, START + timedelta(minutes=29))
    later = START + timedelta(hours=1)
    assert not same_walk(START, START + timedelta(minutes=30), later, later + timedelta(minutes=30))


@given(
    offset_s=st.floats(-7200, 7200),
    a_s=st.floats(1, 7200),
    b_s=st.floats(1, 7200),
)
def test_same_walk_is_symmetric_and_needs_overlap(offset_s: float, a_s: float, b_s: float) -> None:
    a_end = START + timedelta(seconds=a_s)
    b_start = START + timedelta(seconds=offset_s)
    b_end = b_start + timedelta(seconds=b_s)
    assert same_walk(START, a_end, b_start, b_end) == same_walk(b_start, b_end, START, a_end)
    if b_start >= a_end or b_end <= START:
        assert not same_walk(START, a_end, b_start, b_end)


@given(st.lists(st.floats(1, 3600), min_size=1, max_size=12))
def test_matches_keep_the_plans_order(durations: list[float]) -> None:
    found = match_laps(laps(*durations), PLAN)
    assert len(found) == len(durations)
    positions = [m.planned_position for m in found if m.planned_position is not None]
    assert positions == sorted(set(positions))
    for lap, m in zip(laps(*durations), found, strict=True):
        if m.planned_position is not None:
            assert durations_match(lap.duration_s, PLAN[m.planned_position].duration_s)
            assert m.direction is PLAN[m.planned_position].direction
        else:
            assert m.direction is F


@pytest.mark.parametrize("count", [0, 1])
def test_short_recordings(count: int) -> None:
    assert len(match_laps(laps(*([60.0] * count)), PLAN)) == count
