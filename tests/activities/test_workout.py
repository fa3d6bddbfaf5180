"""Plan -> FIT workout -> decoded steps equal the plan."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from retrowalk.activities.readers import read_activities
from retrowalk.activities.workout import decode_workout, encode_workout, step_name
from retrowalk.errors import ImportFileError
from retrowalk.plans import Plan
from retrowalk.segments import PlannedSegment
from retrowalk.vocabulary import Direction, Environment, SegmentKind, Support
from tests.activities.builders import ACTIVITY_FILES

CREATED = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)


def assert_steps_equal_plan(segments: tuple[PlannedSegment, ...], data: bytes) -> None:
    steps = decode_workout(data)
    assert len(steps) == len(segments)
    for step, part in zip(steps, segments, strict=True):
        assert step.kind is part.kind
        assert step.direction is part.direction
        assert step.duration_s == pytest.approx(part.duration_s, abs=1e-3)
        assert step.name == step_name(part)


def test_every_session_of_a_real_plan_round_trips(
    stored_plan: tuple[Plan, tuple[str, ...]],
) -> None:
    plan, _ = stored_plan
    for planned in plan.sessions:
        data = encode_workout(planned.segments, name=planned.title, created=CREATED)
        assert_steps_equal_plan(planned.segments, data)


def test_treadmill_steps_carry_speed_targets_from_the_plan() -> None:
    segments = (
        PlannedSegment(SegmentKind.WARM_UP, Direction.FORWARD, 300, Environment.TREADMILL,
                       Support.TREADMILL_RAILS, 1.0, 1.3),
        PlannedSegment(SegmentKind.BACKWARD_INTERVAL, Direction.BACKWARD, 60, Environment.TREADMILL,
                       Support.TREADMILL_RAILS, 0.45, 0.6),
        PlannedSegment(SegmentKind.COOL_DOWN, Direction.FORWARD, 120, Environment.HALLWAY,
                       Support.NONE),
    )  # fmt: skip
    steps = decode_workout(encode_workout(segments, name="Treadmill", created=CREATED))
    assert (steps[0].speed_low_m_s, steps[0].speed_high_m_s) == pytest.approx((1.0, 1.3))
    assert (steps[1].speed_low_m_s, steps[1].speed_high_m_s) == pytest.approx((0.45, 0.6))
    assert steps[2].speed_low_m_s is None


def test_a_workout_file_is_not_an_activity_to_import(tmp_path) -> None:  # type: ignore[no-untyped-def]
    segments = (PlannedSegment(SegmentKind.FORWARD, Direction.FORWARD, 60, Environment.HALLWAY,
                               Support.NONE),)  # fmt: skip
    path = tmp_path / "w.fit"
    path.write_bytes(encode_workout(segments, name="x", created=CREATED))
    with pytest.raises(ImportFileError, match="not an activity: a FIT workout file"):
        read_activities(path)


def test_decoding_refuses_an_activity_file() -> None:
    data = (ACTIVITY_FILES / "fit" / "garmin-fenix-5-walk.fit").read_bytes()
    with pytest.raises(ImportFileError, match="not a FIT workout file"):
        decode_workout(data)


def test_real_garmin_workout_decodes() -> None:
    steps = decode_workout((ACTIVITY_FILES / "fit" / "WorkoutRepeatSteps.fit").read_bytes())
    assert len(steps) == 5


parts = st.builds(
    lambda kind, seconds: PlannedSegment(
        kind,
        Direction.BACKWARD if kind is SegmentKind.BACKWARD_INTERVAL else Direction.FORWARD,
        seconds,
        Environment.HALLWAY,
        Support.WALL_OR_RAIL,
    ),
    st.sampled_from(list(SegmentKind)),
    st.integers(1, 4 * 3600 * 1000).map(lambda ms: ms / 1000),
)


@given(st.lists(parts, min_size=1, max_size=30).map(tuple))
def test_any_session_round_trips(segments: tuple[PlannedSegment, ...]) -> None:
    assert_steps_equal_plan(segments, encode_workout(segments, name="Any", created=CREATED))
