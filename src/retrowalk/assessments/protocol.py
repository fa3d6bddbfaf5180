"""The guided protocol of the 3-metre backward walk test (3MBWT), as data.

RetroWalk uses one start convention only: a **standing start with the heels on the start line**.
Scores are never compared with scores taken with a flying start.

Notes
-----
Why a standing start: it is the start position reported for Carter et al. 2019 (heels aligned
with the tape, via the north49therapy summary [S]), whose community older-adult cut-offs
(3.0 s / 4.5 s) are RetroWalk's primary cut-offs for older adults; and it can be timed at home by
one helper who says "go" and starts the timer at the same moment, without having to see when the
walker crosses a line that is behind them. The flying start (1-2 ft before the line, timing from
crossing it) comes from a student presentation citing the Shirley Ryan AbilityLab [S]. The two
conventions are not interchangeable (one includes the initial acceleration); no study comparing
them was found (research notes 1.1).

Where we deviate from, or go beyond, the sources:

* The end of timing ("when either heel crosses the 3-metre line") is RetroWalk's wording; the
  sources only say "stop when the distance of 3 m is reached" [S]. Carter 2019's exact wording was
  not obtained.
* One practice trial, then ``TIMED_TRIALS`` timed trials, scored as their mean: the learning effect
  is real (second test 2.41 s faster in hip arthroplasty, Özden et al. [A]); the reliability studies
  in arthroplasty ran two trials (Unver 2020; Özden [A]); the one backward-walk procedure with a
  scoring rule averages its trials (Hackney & Earhart 2009, via RehabMeasures [S]). The mean is
  less flattering than the best trial, which is the safer reading for fall risk. Carter 2019's
  number of trials and scoring were not obtained.
* Rest: seated between trials (Hackney & Earhart 2009 [S]; Unver 2020 [A] "to prevent fatigue").
  No rest duration was published for the 3MBWT, so RetroWalk sets none: rest until recovered.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Final

from retrowalk.errors import InvalidInputError
from retrowalk.profile import BASELINE_3MBWT_S_MAX, BASELINE_3MBWT_S_MIN

__all__ = [
    "COURSE_LENGTH_M",
    "PRACTICE_TRIALS",
    "PROTOCOL",
    "TIMED_TRIALS",
    "TRIAL_TIME_S_MAX",
    "TRIAL_TIME_S_MIN",
    "Protocol",
    "ProtocolStep",
    "StartConvention",
    "score_trials",
    "validate_trial_time",
]

#: Course length in metres (the test's definition).
COURSE_LENGTH_M: Final = 3.0
#: Practice trials before timing (learning effect: Özden et al., THA [A]).
PRACTICE_TRIALS: Final = 1
#: Timed trials whose mean is the score (Unver 2020 [A]; Hackney & Earhart 2009 averaging [S]).
TIMED_TRIALS: Final = 2
#: Plausibility limits of one trial time (typos, a forgotten timer), not cut-offs; see
#: :data:`retrowalk.profile.BASELINE_3MBWT_S_MIN`.
TRIAL_TIME_S_MIN: Final = BASELINE_3MBWT_S_MIN
TRIAL_TIME_S_MAX: Final = BASELINE_3MBWT_S_MAX


class StartConvention(StrEnum):
    """How the walker starts. RetroWalk only ever uses :attr:`STANDING_HEELS_ON_LINE`."""

    STANDING_HEELS_ON_LINE = "standing_heels_on_line"
    FLYING_START = "flying_start"


@dataclass(frozen=True)
class ProtocolStep:
    """One step of the guided test, in order.

    Attributes
    ----------
    id
        Stable identifier (``"setup"``, ``"practice"``, ``"trial_1"``...).
    title
        Short label.
    text
        What to do, addressed to the walker and their helper.
    timed
        Whether the helper records a time in this step.
    source
        Where the step comes from.
    """

    id: str
    title: str
    text: str
    timed: bool
    source: str


@dataclass(frozen=True)
class Protocol:
    """The whole guided 3MBWT protocol.

    Attributes
    ----------
    start_convention
        Always :attr:`StartConvention.STANDING_HEELS_ON_LINE`.
    course_length_m, practice_trials, timed_trials
        See the module constants.
    instruction
        The words the helper says before each trial.
    spotter_advice, footwear_note, safety_notes
        Advice shown before the test.
    steps
        The steps in order.
    scoring
        How the score is formed, in plain words.
    """

    start_convention: StartConvention
    course_length_m: float
    practice_trials: int
    timed_trials: int
    instruction: str
    spotter_advice: str
    footwear_note: str
    safety_notes: tuple[str, ...]
    steps: tuple[ProtocolStep, ...]
    scoring: str


_INSTRUCTION = (
    "Stand with your back to the course and your heels on the start line. When I say 'go', "
    "walk backwards as quickly, but safely, as possible, and stop when you have passed the "
    "3-metre line."
)
_SOURCE_COURSE = "Carter et al. 2019 as summarised by north49therapy [S]"
_SOURCE_REST = "Hackney & Earhart 2009 via RehabMeasures [S]; Unver et al. 2020 [A]"

_STEPS: Final[tuple[ProtocolStep, ...]] = (
    ProtocolStep(
        "setup",
        "Set up the course",
        "Mark a start line and a line 3 metres behind it with tape on a smooth, flat floor "
        "(not carpet or grass). Clear the space around and beyond the 3-metre line of furniture, "
        "rugs, pets and people, so there is room to slow down after the line. Put a chair nearby "
        "for resting.",
        False,
        _SOURCE_COURSE,
    ),
    ProtocolStep(
        "spotter",
        "Your helper",
        "Your helper stands close behind you (on the course side) and walks backwards with you, "
        "ready to steady you. The helper also times: start the timer on 'go', stop it when either "
        "of your heels crosses the 3-metre line.",
        False,
        "Sawle in-service presentation citing the Shirley Ryan AbilityLab [S]",
    ),
    ProtocolStep(
        "practice",
        "Practice walk (not timed)",
        "Do one practice walk the same way, at a speed you feel safe with, to learn the test. "
        "It is not timed. Then sit down and rest until you feel fully recovered.",
        False,
        "Özden, Coşkun, Bakırhan (learning effect of 2.41 s in hip arthroplasty) [A]",
    ),
    ProtocolStep(
        "trial_1",
        "Timed walk 1",
        _INSTRUCTION,
        True,
        _SOURCE_COURSE,
    ),
    ProtocolStep(
        "rest",
        "Rest",
        "Sit down and rest until your breathing and legs feel back to normal.",
        False,
        _SOURCE_REST,
    ),
    ProtocolStep(
        "trial_2",
        "Timed walk 2",
        _INSTRUCTION,
        True,
        _SOURCE_COURSE,
    ),
)

#: The protocol RetroWalk guides (see the module notes for choices and sources).
PROTOCOL: Final = Protocol(
    start_convention=StartConvention.STANDING_HEELS_ON_LINE,
    course_length_m=COURSE_LENGTH_M,
    practice_trials=PRACTICE_TRIALS,
    timed_trials=TIMED_TRIALS,
    instruction=_INSTRUCTION,
    spotter_advice=(
        "Always do this test with a helper standing close behind you, ready to steady you. "
        "If you cannot have a helper, do not do the test."
    ),
    footwear_note=(
        "Wear your usual comfortable walking shoes with good grip, and the same shoes every time "
        "you repeat the test: footwear changes the time (Arora 2024: median 3.11 s with shoes vs "
        "2.79 s without, in children)."
    ),
    safety_notes=(
        "Stop the test at once if you feel pain, dizziness or unsteadiness; a stopped test has "
        "no score.",
        "Only compare results taken the same way: standing start with heels on the line.",
        "Look ahead, not over your shoulder; your helper watches the course for you.",
    ),
    steps=_STEPS,
    scoring=(
        "Your score is the average of the two timed walks, in seconds. The practice walk does "
        "not count."
    ),
)


def validate_trial_time(time_s: float, field: str = "time_s") -> float:
    """Check one trial time (seconds) and return it as a float.

    Raises
    ------
    InvalidInputError
        If the time is not a finite number from ``TRIAL_TIME_S_MIN`` to ``TRIAL_TIME_S_MAX``.
    """
    accepted = f"a number of seconds from {TRIAL_TIME_S_MIN:g} to {TRIAL_TIME_S_MAX:g}"
    if isinstance(time_s, bool) or not isinstance(time_s, int | float):
        raise InvalidInputError(field, time_s, accepted)
    value = float(time_s)
    if not math.isfinite(value) or not TRIAL_TIME_S_MIN <= value <= TRIAL_TIME_S_MAX:
        raise InvalidInputError(field, time_s, accepted)
    return value


def score_trials(times_s: Sequence[float]) -> float:
    """The 3MBWT score: the mean of the ``TIMED_TRIALS`` timed trials, in seconds.

    Parameters
    ----------
    times_s
        Exactly ``TIMED_TRIALS`` trial times in seconds (practice trial excluded).

    Raises
    ------
    InvalidInputError
        If the count is wrong (field ``times_s``) or a time is implausible (``times_s[i]``).
    """
    if len(times_s) != TIMED_TRIALS:
        raise InvalidInputError(
            "times_s", list(times_s), f"exactly {TIMED_TRIALS} timed trial times in seconds"
        )
    values = [validate_trial_time(t, f"times_s[{i}]") for i, t in enumerate(times_s)]
    return sum(values) / len(values)
