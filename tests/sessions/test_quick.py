"""Quick-session specs: valid, invalid, round trip and fuzz."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from retrowalk.errors import InvalidInputError
from retrowalk.sessions.quick import (
    QUICK_GRAMMAR,
    QUICK_MAX_REPEATS,
    QUICK_MAX_SEGMENTS,
    QUICK_MAX_TOTAL_S,
    format_quick,
    parse_quick,
)
from retrowalk.vocabulary import Direction, Environment, SegmentKind, Support

B, F = Direction.BACKWARD, Direction.FORWARD


def shape(spec: str) -> list[tuple[float, Direction]]:
    return [(s.duration_s, s.direction) for s in parse_quick(spec)]


def test_issue_example_expands_repeats() -> None:
    assert shape("5x(1m back, 1m fwd)") == [(60.0, B), (60.0, F)] * 5


def test_mixed_spec_with_kinds() -> None:
    segments = parse_quick("2m fwd, 3x(90s back, 60s fwd), 2m fwd")
    assert [(s.duration_s, s.direction) for s in segments] == [
        (120.0, F),
        *[(90.0, B), (60.0, F)] * 3,
        (120.0, F),
    ]
    assert [s.kind for s in segments] == [
        SegmentKind.WARM_UP,
        *[SegmentKind.BACKWARD_INTERVAL, SegmentKind.FORWARD_RECOVERY] * 3,
        SegmentKind.COOL_DOWN,
    ]


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        ("30s backward", [(30.0, B)]),
        ("30 sec bwd", [(30.0, B)]),
        ("2 min forward", [(120.0, F)]),
        ("1.5m BACK", [(90.0, B)]),
        ("  2X( 1m Backwards ,1m Forwards )  ", [(60.0, B), (60.0, F)] * 2),
        ("1x(10s back)", [(10.0, B)]),
        ("0.25m fwd", [(15.0, F)]),
    ],
)
def test_spellings(spec: str, expected: list[tuple[float, Direction]]) -> None:
    assert shape(spec) == expected


def test_defaults_are_hallway_with_wall_or_rail() -> None:
    (segment,) = parse_quick("1m back")
    assert segment.environment is Environment.HALLWAY
    assert segment.support is Support.WALL_OR_RAIL
    assert segment.speed_target_m_s is None


def test_treadmill_defaults_to_rails_and_needs_a_limit() -> None:
    segments = parse_quick(
        "1m back", environment=Environment.TREADMILL, speed_target_m_s=0.5, speed_limit_m_s=0.6
    )
    assert segments[0].support is Support.TREADMILL_RAILS
    assert segments[0].speed_target_m_s == 0.5
    with pytest.raises(InvalidInputError) as info:
        parse_quick("1m back", environment=Environment.TREADMILL)
    assert info.value.field == "speed_limit_m_s"


def test_kinds_without_backward_are_plain_forward() -> None:
    assert {s.kind for s in parse_quick("2m fwd, 1m fwd")} == {SegmentKind.FORWARD}


def test_trailing_forward_inside_a_backward_group_is_recovery() -> None:
    kinds = [s.kind for s in parse_quick("2x(1m back, 1m fwd)")]
    assert kinds[-1] is SegmentKind.FORWARD_RECOVERY
    kinds = [s.kind for s in parse_quick("1m back, 1m fwd")]
    assert kinds[-1] is SegmentKind.COOL_DOWN


@pytest.mark.parametrize(
    "spec",
    [
        "",
        "   ",
        "1m",
        "back",
        "1m sideways",
        "1 hour back",
        "1m back,",
        ",1m back",
        "1m back 1m fwd",
        "5x(1m back",
        "5x 1m back",
        "5x()",
        "2x(2x(1m back))",
        "1.5x(1m back)",
        "1mback",
        "1m back; 1m fwd",
        "-1m back",
        "1e3s back",
        "１m back",
    ],
)
def test_syntax_errors_name_the_grammar(spec: str) -> None:
    with pytest.raises(InvalidInputError) as info:
        parse_quick(spec)
    assert info.value.field == "quick"
    assert info.value.value == spec
    assert info.value.accepted == QUICK_GRAMMAR
    assert str(info.value) == f"quick: got {spec!r}; expected {QUICK_GRAMMAR}"


@pytest.mark.parametrize(
    ("spec", "accepted"),
    [
        ("0x(1m back)", f"repeat counts from 1 to {QUICK_MAX_REPEATS}"),
        (f"{QUICK_MAX_REPEATS + 1}x(5s back)", f"repeat counts from 1 to {QUICK_MAX_REPEATS}"),
        ("4s back", "segments of 5 s to 120 min"),
        ("0m back", "segments of 5 s to 120 min"),
        ("121m fwd", "segments of 5 s to 120 min"),
        ("50x(1m back, 1m fwd, 1m fwd)", "a total of at most 120 minutes"),
        ("50x(5s back, 5s fwd, 5s back, 5s fwd, 5s back)", "at most 200 segments in all"),
    ],
)
def test_bounds_have_their_own_message(spec: str, accepted: str) -> None:
    with pytest.raises(InvalidInputError) as info:
        parse_quick(spec)
    assert (info.value.field, info.value.value, info.value.accepted) == ("quick", spec, accepted)


def test_bounds_are_inclusive() -> None:
    assert len(parse_quick(f"{QUICK_MAX_REPEATS}x(5s back)")) == QUICK_MAX_REPEATS
    assert parse_quick("120m fwd")[0].duration_s == QUICK_MAX_TOTAL_S
    assert len(parse_quick("40x(5s back, 5s fwd, 5s back, 5s fwd, 5s back)")) == QUICK_MAX_SEGMENTS


def test_overlong_spec_is_refused() -> None:
    spec = ", ".join(["5s back"] * 100)
    with pytest.raises(InvalidInputError) as info:
        parse_quick(spec)
    assert info.value.field == "quick"


def test_format_compresses_repeats() -> None:
    assert format_quick(parse_quick("5x(1m back, 1m fwd)")) == "5x(1m back, 1m fwd)"
    assert (
        format_quick(parse_quick("2m fwd, 3x(90s back, 60s fwd), 2m fwd"))
        == "2m fwd, 3x(90s back, 1m fwd), 2m fwd"
    )
    assert format_quick(parse_quick("12.5s back")) == "12.5s back"


def test_format_keeps_trailing_recovery_grouped() -> None:
    segments = parse_quick("1m back, 2x(1m back, 1m fwd)")
    text = format_quick(segments)
    assert parse_quick(text) == segments


def test_format_refuses_nothing() -> None:
    with pytest.raises(InvalidInputError):
        format_quick(())


# -- property tests ----------------------------------------------------------------------------

_BACK_WORDS = ["back", "backward", "backwards", "bwd"]
_FWD_WORDS = ["fwd", "forward", "forwards"]


@st.composite
def written_segment(draw: st.DrawFn) -> tuple[str, float, Direction]:
    """A segment written in one of the accepted spellings, with its meaning."""
    direction = draw(st.sampled_from([B, F]))
    word = draw(st.sampled_from(_BACK_WORDS if direction is B else _FWD_WORDS))
    style = draw(st.sampled_from(["s", "m", "decimal"]))
    if style == "s":
        seconds = draw(st.integers(5, 600))
        number = f"{seconds}{draw(st.sampled_from(['s', 'sec', ' s']))}"
    elif style == "m":
        minutes = draw(st.integers(1, 10))
        seconds = minutes * 60
        number = f"{minutes}{draw(st.sampled_from(['m', 'min', ' min']))}"
    else:
        quarters = draw(st.integers(1, 40))
        seconds = quarters * 15
        number = f"{quarters / 4}m"
    space = draw(st.sampled_from([" ", "  ", "\t"]))
    text = f"{number}{space}{word}"
    if draw(st.booleans()):
        text = text.upper()
    return text, float(seconds), direction


@st.composite
def written_spec(draw: st.DrawFn) -> tuple[str, list[tuple[float, Direction]]]:
    """A valid spec (single segments and repeat groups) and the segments it means."""
    items: list[str] = []
    meaning: list[tuple[float, Direction]] = []
    for _ in range(draw(st.integers(1, 5))):
        if draw(st.booleans()):
            text, seconds, direction = draw(written_segment())
            items.append(text)
            meaning.append((seconds, direction))
        else:
            group = draw(st.lists(written_segment(), min_size=1, max_size=3))
            count = draw(st.integers(1, 6))
            inner = ", ".join(g[0] for g in group)
            items.append(f"{count}x({inner})")
            meaning += [(g[1], g[2]) for g in group] * count
    separator = draw(st.sampled_from([", ", ",", " , "]))
    return separator.join(items), meaning


@settings(max_examples=300)
@given(written_spec())
def test_written_specs_parse_to_their_meaning(case: tuple[str, list]) -> None:
    spec, meaning = case
    total = sum(seconds for seconds, _ in meaning)
    if total > QUICK_MAX_TOTAL_S or len(meaning) > QUICK_MAX_SEGMENTS:
        with pytest.raises(InvalidInputError):
            parse_quick(spec)
        return
    segments = parse_quick(spec)
    assert [(s.duration_s, s.direction) for s in segments] == meaning


@settings(max_examples=300)
@given(written_spec())
def test_format_then_parse_round_trip(case: tuple[str, list]) -> None:
    spec, meaning = case
    if sum(s for s, _ in meaning) > QUICK_MAX_TOTAL_S or len(meaning) > QUICK_MAX_SEGMENTS:
        return
    segments = parse_quick(spec)
    canonical = format_quick(segments)
    assert parse_quick(canonical) == segments
    assert format_quick(parse_quick(canonical)) == canonical


def _parse_or_refuse(spec: str) -> None:
    """Parse; the only acceptable failure is an InvalidInputError about this spec."""
    error: InvalidInputError | None = None
    try:
        parse_quick(spec)
    except InvalidInputError as caught:
        error = caught
    if error is not None:
        assert error.field == "quick"
        assert error.value == spec


@settings(max_examples=500)
@given(st.text(max_size=80))
def test_garbage_only_ever_raises_invalid_input(spec: str) -> None:
    _parse_or_refuse(spec)


@settings(max_examples=500)
@given(
    st.lists(
        st.sampled_from(
            [
                "1",
                "5",
                "0",
                "60",
                "1.5",
                ".",
                "x",
                "(",
                ")",
                ",",
                " ",
                "m",
                "s",
                "min",
                "back",
                "fwd",
                "bwd",
                "sec",
                "9" * 30,
                "-",
                "é",
            ]
        ),
        max_size=25,
    ).map("".join)
)
def test_near_miss_garbage_only_ever_raises_invalid_input(spec: str) -> None:
    _parse_or_refuse(spec)
