"""The guided 3MBWT protocol: one start convention, practice, timed trials, rest, spotter."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from retrowalk.assessments import PROTOCOL, StartConvention, score_trials, validate_trial_time
from retrowalk.assessments.protocol import TIMED_TRIALS, TRIAL_TIME_S_MAX, TRIAL_TIME_S_MIN
from retrowalk.errors import InvalidInputError


def test_protocol_uses_one_start_convention_everywhere() -> None:
    assert PROTOCOL.start_convention is StartConvention.STANDING_HEELS_ON_LINE
    assert "heels on the start line" in PROTOCOL.instruction
    assert all("flying" not in step.text.lower() for step in PROTOCOL.steps)


def test_protocol_has_practice_then_timed_trials_with_rest() -> None:
    ids = [s.id for s in PROTOCOL.steps]
    assert ids.index("practice") < ids.index("trial_1") < ids.index("rest") < ids.index("trial_2")
    assert sum(s.timed for s in PROTOCOL.steps) == PROTOCOL.timed_trials == TIMED_TRIALS
    assert PROTOCOL.practice_trials == 1
    assert not next(s for s in PROTOCOL.steps if s.id == "practice").timed
    assert all(s.source for s in PROTOCOL.steps)


def test_protocol_gives_spotter_and_footwear_advice() -> None:
    assert "helper" in PROTOCOL.spotter_advice
    assert "same shoes" in PROTOCOL.footwear_note
    assert PROTOCOL.course_length_m == 3.0


def test_score_is_the_mean_of_the_timed_trials() -> None:
    assert score_trials([4.0, 5.0]) == pytest.approx(4.5)


@given(
    st.lists(
        st.floats(TRIAL_TIME_S_MIN, TRIAL_TIME_S_MAX), min_size=TIMED_TRIALS, max_size=TIMED_TRIALS
    )
)
def test_score_lies_between_the_trials(times: list[float]) -> None:
    score = score_trials(times)
    assert min(times) - 1e-9 <= score <= max(times) + 1e-9


@pytest.mark.parametrize("bad", [0.0, -3.0, 0.5, 61.0, math.nan, math.inf, True, "4.0"])
def test_implausible_trial_times_are_rejected(bad: object) -> None:
    with pytest.raises(InvalidInputError) as info:
        validate_trial_time(bad)  # type: ignore[arg-type]
    assert info.value.field == "time_s"
    assert "seconds" in info.value.accepted


def test_wrong_number_of_trials_is_rejected() -> None:
    with pytest.raises(InvalidInputError) as info:
        score_trials([4.0])
    assert info.value.field == "times_s"
    with pytest.raises(InvalidInputError) as info:
        score_trials([4.0, -1.0])
    assert info.value.field == "times_s[1]"
