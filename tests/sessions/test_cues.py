"""Cue texts: sources, speeds in the user's unit, durations, segment starts and ends."""

from __future__ import annotations

import pytest

from retrowalk.errors import InvalidInputError
from retrowalk.segments import PlannedSegment
from retrowalk.sessions import cues
from retrowalk.sessions.player import StopReason
from retrowalk.vocabulary import Direction, Environment, SegmentKind, Support

MPH = 0.44704


def seg(
    direction: Direction = Direction.BACKWARD,
    duration_s: float = 120.0,
    *,
    kind: SegmentKind | None = None,
    environment: Environment = Environment.HALLWAY,
    support: Support = Support.WALL_OR_RAIL,
    speed_m_s: float | None = None,
    grade_pct: float = 0.0,
) -> PlannedSegment:
    if kind is None:
        kind = (
            SegmentKind.BACKWARD_INTERVAL
            if direction is Direction.BACKWARD
            else SegmentKind.FORWARD_RECOVERY
        )
    limit = 2.0 if environment.is_treadmill else None
    return PlannedSegment(
        kind, direction, duration_s, environment, support, speed_m_s, limit, grade_pct
    )


def test_every_fixed_text_has_a_source() -> None:
    items = [
        *cues.TECHNIQUE_CUES,
        *cues.SAFETY_CHECKS.values(),
        *cues.STOP_TEXTS.values(),
        cues.SAFETY_REMINDER,
    ]
    for item in items:
        assert item.text.strip(), item.key
        assert item.source.strip(), item.key


def test_technique_cues_cover_eyes_steps_posture() -> None:
    assert [c.key for c in cues.TECHNIQUE_CUES] == ["eyes_forward", "small_steps", "tall_posture"]


@pytest.mark.parametrize(
    ("speed_m_s", "units", "expected"),
    [
        (1.2 * MPH, "mph", "1.2 mph"),
        (1.0 * MPH, "mph", "1 mph"),
        (1.2 * MPH, "km/h", "1.9 km/h"),
        (0.5, "km/h", "1.8 km/h"),
        (2.5 * MPH, "mph", "2.5 mph"),
    ],
)
def test_spoken_speed_in_the_users_unit(speed_m_s: float, units: cues.Units, expected: str) -> None:
    assert cues.spoken_speed(speed_m_s, units) == expected


def test_mph_conversion_is_exact() -> None:
    assert cues.M_S_PER_MPH == 0.44704


def test_unknown_unit_is_refused() -> None:
    with pytest.raises(InvalidInputError) as info:
        cues.check_units("knots")
    assert info.value.field == "units"


@pytest.mark.parametrize(
    ("seconds", "expected"),
    [
        (1, "1 second"),
        (45, "45 seconds"),
        (60, "1 minute"),
        (90, "90 seconds"),
        (120, "2 minutes"),
        (150, "2 minutes 30 seconds"),
        (181, "3 minutes 1 second"),
        (59.6, "1 minute"),
    ],
)
def test_spoken_duration(seconds: float, expected: str) -> None:
    assert cues.spoken_duration(seconds) == expected


def test_issue_example_texts() -> None:
    # The issue's example, on a treadmill: the turn is made straddling the belt (clinical §3.6).
    treadmill_back = seg(
        environment=Environment.TREADMILL, support=Support.TREADMILL_RAILS, speed_m_s=1.2 * MPH
    )
    text = cues.segment_start_text(treadmill_back, seg(Direction.FORWARD), "mph")
    assert text == (
        "Straddle the belt and turn around. Walk backward at 1.2 mph, one hand on the rail, "
        "for 2 minutes."
    )
    hallway_back = seg()
    text = cues.segment_start_text(hallway_back, None, "mph")
    assert text == "Turn around. Walk backward, one hand on the wall or rail, for 2 minutes."
    forward = seg(Direction.FORWARD, 60.0, support=Support.WALL_OR_RAIL)
    text = cues.segment_start_text(forward, hallway_back, "mph")
    assert text == "Turn to face forward. Walk forward for 1 minute."


def test_treadmill_turn_is_done_straddling_the_belt() -> None:
    back = seg(environment=Environment.TREADMILL, support=Support.TREADMILL_RAILS, speed_m_s=0.5)
    text = cues.segment_start_text(back, None, "km/h")
    assert text == (
        "Straddle the belt and turn around. Walk backward at 1.8 km/h, one hand on the rail, "
        "for 2 minutes."
    )


def test_start_text_variants() -> None:
    back = seg(support=Support.NONE)
    assert cues.segment_start_text(back, back, "mph") == "Keep walking backward for 2 minutes."
    spotter = seg(support=Support.SPOTTER, grade_pct=-2)
    assert cues.segment_start_text(spotter, None, "mph") == (
        "Turn around. Walk backward, decline 2 percent, your spotter beside you, for 2 minutes."
    )
    warm = seg(Direction.FORWARD, kind=SegmentKind.WARM_UP)
    assert cues.segment_start_text(warm, None, "mph") == "Warm-up. Walk forward for 2 minutes."
    cool = seg(Direction.FORWARD, kind=SegmentKind.COOL_DOWN, speed_m_s=MPH)
    assert cues.segment_start_text(cool, back, "mph") == (
        "Cool-down. Turn to face forward. Walk forward at 1 mph for 2 minutes."
    )


def test_halfway_and_thirty_seconds_texts() -> None:
    assert cues.halfway_text(60.0) == "Halfway. 1 minute to go."
    back, fwd = seg(), seg(Direction.FORWARD)
    cool = seg(Direction.FORWARD, kind=SegmentKind.COOL_DOWN)
    assert cues.thirty_seconds_left_text(back, fwd) == (
        "Thirty seconds left. Next: turn and walk forward."
    )
    assert cues.thirty_seconds_left_text(back, back) == "Thirty seconds left."
    assert cues.thirty_seconds_left_text(back, cool) == "Thirty seconds left. Next: cool-down."
    assert cues.thirty_seconds_left_text(back, None) == (
        "Thirty seconds left. Then the session ends."
    )


def test_segment_end_texts() -> None:
    assert cues.segment_end_text(seg(), 3, 30) == "Backward interval 3 of 30 done."
    warm = seg(Direction.FORWARD, kind=SegmentKind.WARM_UP)
    assert cues.segment_end_text(warm, 1, 1) == "Warm-up done."


def test_safety_checks_depend_on_the_session() -> None:
    hallway = cues.safety_checks_for([seg(), seg(Direction.FORWARD)])
    keys = [c.key for c in hallway]
    assert keys == ["clear_space", "shoes", "support_wall_or_rail", "stop_signs"]

    treadmill = seg(environment=Environment.TREADMILL, support=Support.TREADMILL_RAILS)
    keys = [c.key for c in cues.safety_checks_for([treadmill])]
    assert keys == [
        "treadmill_clearance",
        "safety_key",
        "straddle_belt",
        "shoes",
        "support_treadmill_rails",
        "stop_signs",
    ]
    park = seg(environment=Environment.PARK, support=Support.SPOTTER)
    keys = [c.key for c in cues.safety_checks_for([park])]
    assert "outdoors" in keys
    assert "support_spotter" in keys


def test_treadmill_clearance_numbers() -> None:
    text = cues.SAFETY_CHECKS["treadmill_clearance"].text
    assert "2 ft (0.6 m)" in text
    assert "6 ft (1.8 m)" in text


@pytest.mark.parametrize("reason", list(StopReason))
def test_every_stop_reason_has_a_text(reason: StopReason) -> None:
    assert cues.stop_text(reason).startswith("Session stopped.")


def test_unknown_stop_reason_is_refused() -> None:
    with pytest.raises(InvalidInputError):
        cues.stop_text("bored")
