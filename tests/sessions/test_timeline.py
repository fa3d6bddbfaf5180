"""Timeline: cue order, presence rules, texts, JSON round trip and properties."""

from __future__ import annotations

import json
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from retrowalk.errors import InvalidInputError
from retrowalk.segments import PlannedSegment
from retrowalk.sessions.quick import parse_quick
from retrowalk.sessions.timeline import (
    COUNTDOWN_S,
    CUE_KINDS,
    CUE_MIN_GAP_S,
    SOUND_FOR_KIND,
    TECHNIQUE_FIRST_S,
    Timeline,
    build_timeline,
)
from retrowalk.vocabulary import Direction, Environment, SegmentKind, Support


def kinds_of(timeline: Timeline, index: int) -> list[str]:
    return [e.kind for e in timeline.events if e.segment_index == index]


def test_time_axis_starts_at_start_and_includes_the_countdown() -> None:
    timeline = build_timeline(parse_quick("1m back, 1m fwd"))
    assert timeline.countdown_s == COUNTDOWN_S
    assert [(s.start_s, s.end_s) for s in timeline.segments] == [(10.0, 70.0), (70.0, 130.0)]
    assert timeline.total_s == 130.0
    assert timeline.events[0].at_s == 0.0
    assert timeline.events[-1].kind == "end"
    assert timeline.events[-1].at_s == timeline.total_s


def test_opening_cues() -> None:
    timeline = build_timeline(parse_quick("1m back"))
    opening = [(e.at_s, e.kind, e.text) for e in timeline.events[:6]]
    assert opening == [
        (0.0, "safety", "Stop at once if you feel pain, dizziness or unsteady."),
        (0.0, "countdown", "Starting in 10 seconds."),
        (7.0, "countdown", "3"),
        (8.0, "countdown", "2"),
        (9.0, "countdown", "1"),
        (
            10.0,
            "segment_start",
            "Turn around. Walk backward, one hand on the wall or rail, for 1 minute.",
        ),
    ]


@pytest.mark.parametrize(
    ("countdown_s", "expected"),
    [
        (0, []),
        (2, ["2", "1"]),
        (3, ["3", "2", "1"]),
        (5, ["Starting in 5 seconds.", "3", "2", "1"]),
    ],
)
def test_countdown_lengths(countdown_s: int, expected: list[str]) -> None:
    timeline = build_timeline(parse_quick("1m back"), countdown_s=countdown_s)
    assert [e.text for e in timeline.events if e.kind == "countdown"] == expected
    assert timeline.segments[0].start_s == countdown_s


def test_boundary_order_end_before_start() -> None:
    timeline = build_timeline(parse_quick("2x(1m back, 1m fwd)"))
    at_70 = [(e.kind, e.segment_index) for e in timeline.events if e.at_s == 70.0]
    assert at_70 == [("segment_end", 0), ("segment_start", 1)]
    at_end = [e.kind for e in timeline.events if e.at_s == timeline.total_s]
    assert at_end == ["segment_end", "end"]


def test_one_minute_segments_get_halfway_but_no_thirty_seconds() -> None:
    timeline = build_timeline(parse_quick("1m back"))
    assert kinds_of(timeline, 0) == ["segment_start", "technique", "halfway", "segment_end"]
    halfway = next(e for e in timeline.events if e.kind == "halfway")
    assert (halfway.at_s, halfway.text) == (40.0, "Halfway. 30 seconds to go.")


def test_short_segments_get_only_start_and_end() -> None:
    timeline = build_timeline(parse_quick("30s back, 59s fwd"))
    assert kinds_of(timeline, 0) == ["segment_start", "technique", "segment_end"]
    assert kinds_of(timeline, 1) == ["cool_down", "segment_end"]


def test_halfway_dropped_when_it_would_crowd_thirty_seconds_left() -> None:
    # 70 s: halfway at 35 s, thirty-left at 40 s: 5 s apart, less than the gap.
    timeline = build_timeline(parse_quick("70s fwd"))
    assert "halfway" not in kinds_of(timeline, 0)
    assert "thirty_seconds_left" in kinds_of(timeline, 0)
    # 76 s: 38 s and 46 s, 8 s apart: both.
    timeline = build_timeline(parse_quick("76s fwd"))
    assert {"halfway", "thirty_seconds_left"} <= set(kinds_of(timeline, 0))


def test_two_minute_backward_segment_full_schedule() -> None:
    timeline = build_timeline(parse_quick("2m back"), countdown_s=0)
    got = [(e.at_s, e.kind) for e in timeline.events if e.segment_index == 0]
    assert got == [
        (0.0, "segment_start"),
        (15.0, "technique"),
        (60.0, "halfway"),
        (75.0, "technique"),
        (90.0, "thirty_seconds_left"),
        (120.0, "segment_end"),
    ]


def test_technique_rotation_and_no_reminders_when_forward() -> None:
    timeline = build_timeline(parse_quick("3x(1m back, 1m fwd)"))
    reminders = [e for e in timeline.events if e.kind == "technique"]
    assert [timeline.segments[e.segment_index].direction for e in reminders] == [
        Direction.BACKWARD
    ] * 3
    assert [e.text for e in reminders] == [
        "Eyes forward on a fixed point. Don't turn to look.",
        "Small steps, feet close to the ground.",
        "Stand tall: back straight, shoulders relaxed.",
    ]
    assert all(
        e.at_s == timeline.segments[e.segment_index].start_s + TECHNIQUE_FIRST_S for e in reminders
    )


def test_plan_cues_are_used_in_order() -> None:
    segment = PlannedSegment(
        SegmentKind.FORWARD,
        Direction.FORWARD,
        300.0,
        Environment.TRACK,
        Support.NONE,
        cues=("Arms swing.", "Breathe."),
    )
    timeline = build_timeline([segment], technique_interval_s=60)
    texts = [e.text for e in timeline.events if e.kind == "technique"]
    assert texts[:3] == ["Arms swing.", "Breathe.", "Arms swing."]


def test_technique_reminders_can_be_switched_off() -> None:
    timeline = build_timeline(parse_quick("5m back"), technique_interval_s=None)
    assert "technique" not in {e.kind for e in timeline.events}
    assert timeline.technique_interval_s is None


def test_cool_down_cue_and_interval_numbers() -> None:
    timeline = build_timeline(parse_quick("2m fwd, 2x(90s back, 60s fwd), 2m fwd"))
    starts = [(e.kind, e.text) for e in timeline.events if e.kind in ("segment_start", "cool_down")]
    assert starts[-1] == ("cool_down", "Cool-down. Walk forward for 2 minutes.")
    ends = [e.text for e in timeline.events if e.kind == "segment_end"]
    assert ends == [
        "Warm-up done.",
        "Backward interval 1 of 2 done.",
        "Recovery 1 of 2 done.",
        "Backward interval 2 of 2 done.",
        "Recovery 2 of 2 done.",
        "Cool-down done.",
    ]


def test_speed_spoken_in_the_users_unit() -> None:
    segments = parse_quick(
        "2m back", environment=Environment.TREADMILL, speed_target_m_s=0.536448, speed_limit_m_s=1
    )
    mph = build_timeline(segments, units="mph").events
    kmh = build_timeline(segments, units="km/h").events
    assert "at 1.2 mph" in next(e.text for e in mph if e.kind == "segment_start")
    assert "at 1.9 km/h" in next(e.text for e in kmh if e.kind == "segment_start")


def test_safety_checks_of_a_treadmill_session() -> None:
    segments = parse_quick(
        "1m back", environment=Environment.TREADMILL, speed_target_m_s=0.4, speed_limit_m_s=0.5
    )
    checks = build_timeline(segments).safety_checks
    assert "Treadmill safety key clipped to your clothing." in checks
    assert any("6 ft (1.8 m) behind" in c for c in checks)


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"countdown_s": -1}, "countdown_s"),
        ({"countdown_s": 61}, "countdown_s"),
        ({"countdown_s": 2.5}, "countdown_s"),
        ({"units": "knots"}, "units"),
        ({"technique_interval_s": 5}, "technique_interval_s"),
        ({"technique_interval_s": 601}, "technique_interval_s"),
    ],
)
def test_bad_options_are_refused(kwargs: dict, field: str) -> None:
    with pytest.raises(InvalidInputError) as info:
        build_timeline(parse_quick("1m back"), **kwargs)
    assert info.value.field == field


def test_no_segments_is_refused() -> None:
    with pytest.raises(InvalidInputError) as info:
        build_timeline([])
    assert info.value.field == "segments"


def test_sounds_follow_kinds() -> None:
    timeline = build_timeline(parse_quick("2m fwd, 2x(2m back, 1m fwd), 2m fwd"))
    assert {e.kind for e in timeline.events} == set(CUE_KINDS)
    assert all(e.sound == SOUND_FOR_KIND[e.kind] for e in timeline.events)


# -- JSON --------------------------------------------------------------------------------------


def test_json_round_trip() -> None:
    segments = parse_quick(
        "2m fwd, 3x(90s back, 60s fwd), 2m fwd",
        environment=Environment.TREADMILL,
        speed_target_m_s=0.536448,
        speed_limit_m_s=0.7,
    )
    timeline = build_timeline(segments, units="km/h")
    text = json.dumps(timeline.to_dict())
    again = Timeline.from_dict(json.loads(text))
    assert again == timeline
    assert again.fingerprint() == timeline.fingerprint()


def test_json_shape() -> None:
    data = build_timeline(parse_quick("1m back")).to_dict()
    assert set(data) == {
        "schema",
        "version",
        "total_s",
        "countdown_s",
        "units",
        "technique_interval_s",
        "safety_checks",
        "segments",
        "events",
    }
    assert data["schema"] == "retrowalk.timeline"
    assert data["version"] == 1
    assert set(data["events"][0]) == {"at_s", "kind", "text", "segment_index", "sound"}
    assert data["segments"][0]["direction"] == "backward"
    assert data["segments"][0]["start_s"] == 10.0


def test_fingerprint_changes_with_content() -> None:
    a = build_timeline(parse_quick("1m back"))
    b = build_timeline(parse_quick("1m back"), units="km/h")
    assert a.fingerprint() != b.fingerprint()


@pytest.mark.parametrize(
    "mutate",
    [
        lambda d: d.update(version=2),
        lambda d: d.pop("events"),
        lambda d: d["events"][0].update(kind="shout"),
        lambda d: d["events"][0].update(at_s="0"),
        lambda d: d["events"].reverse(),
        lambda d: d["segments"][0].update(direction="sideways"),
        lambda d: d["segments"][0].update(start_s=3.0),
        lambda d: d.update(total_s=1.0),
        lambda d: d.update(units="knots"),
        lambda d: d.update(countdown_s=True),
        lambda d: d["events"][1].update(segment_index=9),
    ],
)
def test_bad_json_is_refused_with_invalid_input(mutate: object) -> None:
    data = json.loads(json.dumps(build_timeline(parse_quick("1m back, 1m fwd")).to_dict()))
    mutate(data)  # type: ignore[operator]
    with pytest.raises(InvalidInputError):
        Timeline.from_dict(data)


# -- properties --------------------------------------------------------------------------------

segment_strategy = st.builds(
    PlannedSegment,
    kind=st.sampled_from(SegmentKind),
    direction=st.sampled_from(Direction),
    duration_s=st.floats(1.0, 900.0, allow_nan=False),
    environment=st.sampled_from([Environment.HALLWAY, Environment.PARK]),
    support=st.sampled_from(Support),
)


@settings(max_examples=200)
@given(
    segments=st.lists(segment_strategy, min_size=1, max_size=12),
    countdown_s=st.integers(0, 60),
    interval=st.one_of(st.none(), st.floats(16.0, 600.0)),
)
def test_schedule_invariants(
    segments: list[PlannedSegment], countdown_s: int, interval: float | None
) -> None:
    timeline = build_timeline(segments, countdown_s=countdown_s, technique_interval_s=interval)
    times = [e.at_s for e in timeline.events]
    assert times == sorted(times)
    assert all(0.0 <= t <= timeline.total_s for t in times)
    assert timeline.total_s == pytest.approx(countdown_s + sum(s.duration_s for s in segments))
    starts = Counter(
        e.segment_index for e in timeline.events if e.kind in ("segment_start", "cool_down")
    )
    ends = Counter(e.segment_index for e in timeline.events if e.kind == "segment_end")
    assert starts == ends == Counter(range(len(segments)))
    assert [e.kind for e in timeline.events].count("end") == 1
    others = [e.at_s for e in timeline.events if e.kind != "technique"]
    for event in timeline.events:
        segment = (
            timeline.segments[event.segment_index] if event.segment_index is not None else None
        )
        if segment is not None:
            assert segment.start_s <= event.at_s <= segment.end_s
        if event.kind == "technique":
            assert min(abs(event.at_s - t) for t in others) >= CUE_MIN_GAP_S
        if event.kind == "halfway":
            assert segment is not None
            assert segment.duration_s >= 60.0
        if event.kind == "thirty_seconds_left":
            assert segment is not None
            assert segment.duration_s > 60.0
    assert Timeline.from_dict(json.loads(json.dumps(timeline.to_dict()))) == timeline
