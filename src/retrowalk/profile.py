"""The user's profile: who is walking, their health answers, where they can walk and their goals.

A :class:`Profile` is what onboarding collects and what screening (:mod:`retrowalk.screening`),
the 3-metre backward walk test (:mod:`retrowalk.assessments`) and the plan engine read. It is
validated once, at the edge, by :func:`parse_profile` / :func:`load_profile`; every problem becomes
one :class:`~retrowalk.errors.InvalidInputError` naming the field and what it accepts, and nothing
is stored.

Required versus optional (see ``docs/schemas.md``):

* Required: the body values (``age_years``, ``sex``, ``mass_kg``, ``height_m``), every safety
  answer (``conditions``, ``falls_past_year``, ``fear_of_falling``, ``dizziness``, ``pain``,
  ``uses_walking_aid``, all seven ``parq`` answers) and ``equipment``. A missing safety answer must
  never silently become "no": an unanswered question is not a reassuring answer.
  Empty lists and maps are accepted (``"conditions": []``, ``"pain": {}``) because they are answers.
* Optional with defaults: ``goals`` (none), ``days_per_week`` (3), ``minutes_per_day`` (20),
  ``baseline_3mbwt_s`` (none: the test was not done).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, Final

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StrictFloat,
    StrictInt,
    StringConstraints,
    ValidationError,
    field_serializer,
    field_validator,
)

from retrowalk.errors import InvalidInputError, quote
from retrowalk.limits import (
    AGE_YEARS_MAX,
    AGE_YEARS_MIN,
    HEIGHT_M_MAX,
    HEIGHT_M_MIN,
    MASS_KG_MAX,
    MASS_KG_MIN,
    PAIN_MAX,
    PAIN_MIN,
)

__all__ = [
    "BASELINE_3MBWT_S_MAX",
    "BASELINE_3MBWT_S_MIN",
    "DAYS_PER_WEEK_DEFAULT",
    "DAYS_PER_WEEK_MAX",
    "DAYS_PER_WEEK_MIN",
    "FALLS_PAST_YEAR_MAX",
    "MINUTES_PER_DAY_DEFAULT",
    "MINUTES_PER_DAY_MAX",
    "MINUTES_PER_DAY_MIN",
    "PARQ_QUESTIONS",
    "PARQ_QUESTION_IDS",
    "PROFILE_FIELDS",
    "Condition",
    "Equipment",
    "ParqQuestion",
    "Profile",
    "Sex",
    "accepted_values",
    "load_profile",
    "parse_profile",
]


class Sex(StrEnum):
    """Sex as asked at onboarding.

    Only used to pick sex-specific 3MBWT norms (the Nigerian adult norms are given for men and
    women). ``other`` is accepted for anyone who does not want to answer or whom neither applies;
    then no sex-specific norm is used and the user is told so.
    """

    FEMALE = "female"
    MALE = "male"
    OTHER = "other"


class Condition(StrEnum):
    """Health conditions the user can declare; each is named in the issue and used by screening."""

    KNEE_OSTEOARTHRITIS = "knee_osteoarthritis"
    PARKINSONS = "parkinsons"
    STROKE = "stroke"
    MULTIPLE_SCLEROSIS = "multiple_sclerosis"
    VESTIBULAR_DISORDER = "vestibular_disorder"
    PREGNANCY = "pregnancy"
    RECENT_SURGERY = "recent_surgery"
    HEART_CONDITION = "heart_condition"
    LOW_VISION = "low_vision"


class Equipment(StrEnum):
    """Places and equipment the user has for walking (product brief, "Where")."""

    TREADMILL_WITH_RAILS = "treadmill_with_rails"
    HALLWAY_WITH_RAIL = "hallway_with_rail"
    OPEN_ROOM = "open_room"
    TRACK = "track"
    PARK = "park"


@dataclass(frozen=True)
class ParqQuestion:
    """One PAR-Q+ page-1 question, as data so any front end can ask it.

    Attributes
    ----------
    id
        The key used in ``Profile.parq``.
    number
        The question's number on PAR-Q+ page 1 (1-7).
    text
        The question as worded on the form (third-party reproductions of the 2020-2023 PAR-Q+).
    note
        The form's own clarifying note, or ``""``.
    """

    id: str
    number: int
    text: str
    note: str = ""


#: The seven PAR-Q+ page-1 questions (PAR-Q+ Collaboration, 2020-2023 versions, via
#: reproductions [S]; research notes section 3.1). Order is the form's order.
PARQ_QUESTIONS: Final[tuple[ParqQuestion, ...]] = (
    ParqQuestion(
        "heart_condition_or_high_bp",
        1,
        "Has your doctor ever said that you have a heart condition OR high blood pressure?",
    ),
    ParqQuestion(
        "chest_pain",
        2,
        "Do you feel pain in your chest at rest, during your daily activities of living, "
        "OR when you do physical activity?",
    ),
    ParqQuestion(
        "dizziness_or_lost_consciousness",
        3,
        "Do you lose balance because of dizziness OR have you lost consciousness in the last "
        "12 months?",
        "Please answer NO if your dizziness was associated with over-breathing (including during "
        "vigorous exercise).",
    ),
    ParqQuestion(
        "other_chronic_condition",
        4,
        "Have you ever been diagnosed with another chronic medical condition (other than heart "
        "disease or high blood pressure)?",
    ),
    ParqQuestion(
        "prescribed_medication",
        5,
        "Are you currently taking prescribed medications for a chronic medical condition?",
    ),
    ParqQuestion(
        "bone_joint_soft_tissue_problem",
        6,
        "Do you currently have (or have had within the past 12 months) a bone, joint, or soft "
        "tissue (muscle, ligament, or tendon) problem that could be made worse by becoming more "
        "physically active?",
        "Please answer NO if you had a problem in the past, but it does not limit your current "
        "ability to be physically active.",
    ),
    ParqQuestion(
        "medically_supervised_only",
        7,
        "Has your doctor ever said that you should only do medically supervised physical activity?",
    ),
)

PARQ_QUESTION_IDS: Final[frozenset[str]] = frozenset(q.id for q in PARQ_QUESTIONS)

#: Plausibility limits for input validation (typos, wrong units), not health advice.
FALLS_PAST_YEAR_MAX: Final = 365
DAYS_PER_WEEK_MIN: Final = 1
DAYS_PER_WEEK_MAX: Final = 7
#: "3 or more days a week" (WHO 2020 older adults [S]; HHS 2018 older adults [S]) and
#: "3 to 5 days per week" (PAR-Q+ [S]): the lower end is the default.
DAYS_PER_WEEK_DEFAULT: Final = 3
#: About 5 minutes in all is the product's first-session dose; 120 minutes is a plausibility cap.
MINUTES_PER_DAY_MIN: Final = 5
MINUTES_PER_DAY_MAX: Final = 120
#: "20 to 60 minutes of low to moderate intensity exercise" (PAR-Q+ [S]): the lower end.
MINUTES_PER_DAY_DEFAULT: Final = 20
#: Plausibility limits for a 3MBWT time in seconds (not cut-offs). The fastest time in the one
#: data set with a range is 1.41 s (children, Arora 2024); 1.0 s over 3 m is 3 m/s backward.
#: 60 s (0.05 m/s) is far beyond the slowest published cut-off (10.31 s, Kocer 2023).
BASELINE_3MBWT_S_MIN: Final = 1.0
BASELINE_3MBWT_S_MAX: Final = 60.0
PAIN_LOCATION_MAX_CHARS: Final = 40
GOAL_MAX_CHARS: Final = 200
GOALS_MAX: Final = 10

_Location = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=PAIN_LOCATION_MAX_CHARS)
]
_Goal = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=GOAL_MAX_CHARS)
]
_PainLevel = Annotated[StrictInt, Field(ge=PAIN_MIN, le=PAIN_MAX)]


class Profile(BaseModel):
    """A validated user profile (immutable).

    Attributes
    ----------
    age_years
        Whole years, ``AGE_YEARS_MIN``..``AGE_YEARS_MAX`` (adults only).
    sex
        See :class:`Sex`.
    mass_kg, height_m
        Body mass in kilograms and height in metres (limits in :mod:`retrowalk.limits`).
    conditions
        Declared conditions (a JSON list; duplicates collapse).
    falls_past_year
        Number of falls in the past 12 months (0..``FALLS_PAST_YEAR_MAX``).
    fear_of_falling, dizziness, uses_walking_aid
        Yes/no answers. ``dizziness``: dizziness, vertigo or unsteadiness now or recently.
    pain
        Current pain by body location, 0 (none) to 10 (worst imaginable).
    parq
        Answers to all seven PAR-Q+ page-1 questions, keyed by :data:`PARQ_QUESTION_IDS`.
    equipment
        At least one place to walk (:class:`Equipment`).
    goals
        Free-text goals, in the user's words (at most ``GOALS_MAX``).
    days_per_week, minutes_per_day
        The time the user offers; defaults ``DAYS_PER_WEEK_DEFAULT`` and
        ``MINUTES_PER_DAY_DEFAULT``.
    baseline_3mbwt_s
        A 3-metre backward walk test time in seconds, if done with RetroWalk's protocol.

    Notes
    -----
    ``frozen`` forbids reassignment; the ``pain`` and ``parq`` dicts are copies owned by the model
    and must not be mutated.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    age_years: Annotated[StrictInt, Field(ge=AGE_YEARS_MIN, le=AGE_YEARS_MAX)]
    sex: Sex
    mass_kg: Annotated[StrictFloat, Field(ge=MASS_KG_MIN, le=MASS_KG_MAX, allow_inf_nan=False)]
    height_m: Annotated[StrictFloat, Field(ge=HEIGHT_M_MIN, le=HEIGHT_M_MAX, allow_inf_nan=False)]
    conditions: frozenset[Condition]
    falls_past_year: Annotated[StrictInt, Field(ge=0, le=FALLS_PAST_YEAR_MAX)]
    fear_of_falling: StrictBool
    dizziness: StrictBool
    pain: dict[_Location, _PainLevel]
    uses_walking_aid: StrictBool
    parq: dict[str, StrictBool]
    equipment: Annotated[frozenset[Equipment], Field(min_length=1)]
    goals: Annotated[tuple[_Goal, ...], Field(max_length=GOALS_MAX)] = ()
    days_per_week: Annotated[StrictInt, Field(ge=DAYS_PER_WEEK_MIN, le=DAYS_PER_WEEK_MAX)] = (
        DAYS_PER_WEEK_DEFAULT
    )
    minutes_per_day: Annotated[StrictInt, Field(ge=MINUTES_PER_DAY_MIN, le=MINUTES_PER_DAY_MAX)] = (
        MINUTES_PER_DAY_DEFAULT
    )
    baseline_3mbwt_s: (
        Annotated[
            StrictFloat,
            Field(ge=BASELINE_3MBWT_S_MIN, le=BASELINE_3MBWT_S_MAX, allow_inf_nan=False),
        ]
        | None
    ) = None

    @field_validator("parq")
    @classmethod
    def _all_parq_questions(cls, value: dict[str, bool]) -> dict[str, bool]:
        unknown = sorted(set(value) - PARQ_QUESTION_IDS)
        if unknown:
            raise ValueError(f"unknown PAR-Q+ question id {quote(unknown[0])}")
        missing = [q.id for q in PARQ_QUESTIONS if q.id not in value]
        if missing:
            raise ValueError(f"missing answer to {quote(missing[0])}")
        return {q.id: value[q.id] for q in PARQ_QUESTIONS}

    @field_validator("pain")
    @classmethod
    def _sorted_locations(cls, value: dict[str, int]) -> dict[str, int]:
        return dict(sorted(value.items()))

    @field_serializer("conditions", "equipment", when_used="json")
    def _sorted_values(self, value: frozenset[StrEnum]) -> list[str]:
        return sorted(str(v) for v in value)

    @property
    def max_pain(self) -> int:
        """The highest pain level reported at any location (0 when none)."""
        return max(self.pain.values(), default=0)

    @property
    def parq_yes(self) -> tuple[str, ...]:
        """Ids of the PAR-Q+ page-1 questions answered YES, in form order."""
        return tuple(q.id for q in PARQ_QUESTIONS if self.parq.get(q.id, False))


#: Field names accepted in profile JSON, in schema order.
PROFILE_FIELDS: Final[tuple[str, ...]] = tuple(Profile.model_fields)


def example_profile_data() -> dict[str, Any]:
    """A complete, valid profile document (a 67-year-old with a hallway rail and no risk
    answered yes), for API examples, answer checks and tests. A new copy on every call."""
    return {
        "age_years": 67,
        "sex": "female",
        "mass_kg": 64.0,
        "height_m": 1.62,
        "conditions": [],
        "falls_past_year": 0,
        "fear_of_falling": False,
        "dizziness": False,
        "pain": {},
        "uses_walking_aid": False,
        "parq": {q.id: False for q in PARQ_QUESTIONS},
        "equipment": ["hallway_with_rail"],
    }


def _one_of(values: type[StrEnum]) -> str:
    return "one of " + ", ".join(v.value for v in values)


_ACCEPTED: Final[dict[str, str]] = {
    "age_years": f"a whole number of years from {AGE_YEARS_MIN} to {AGE_YEARS_MAX}",
    "sex": _one_of(Sex),
    "mass_kg": f"a number of kilograms from {MASS_KG_MIN:g} to {MASS_KG_MAX:g}",
    "height_m": f"a number of metres from {HEIGHT_M_MIN:g} to {HEIGHT_M_MAX:g}",
    "conditions": "a list (possibly empty) of: " + ", ".join(c.value for c in Condition),
    "falls_past_year": f"a whole number of falls from 0 to {FALLS_PAST_YEAR_MAX}",
    "fear_of_falling": "true or false",
    "dizziness": "true or false",
    "pain": (
        f"a map (possibly empty) of body location (1 to {PAIN_LOCATION_MAX_CHARS} characters) "
        f"to a whole number from {PAIN_MIN} to {PAIN_MAX}"
    ),
    "uses_walking_aid": "true or false",
    "parq": (
        "a map answering every PAR-Q+ question with true or false; question ids: "
        + ", ".join(q.id for q in PARQ_QUESTIONS)
    ),
    "equipment": "a non-empty list of: " + ", ".join(e.value for e in Equipment),
    "goals": f"a list of at most {GOALS_MAX} texts of 1 to {GOAL_MAX_CHARS} characters",
    "days_per_week": f"a whole number from {DAYS_PER_WEEK_MIN} to {DAYS_PER_WEEK_MAX}",
    "minutes_per_day": f"a whole number from {MINUTES_PER_DAY_MIN} to {MINUTES_PER_DAY_MAX}",
    "baseline_3mbwt_s": (
        f"null or a number of seconds from {BASELINE_3MBWT_S_MIN:g} to {BASELINE_3MBWT_S_MAX:g}"
    ),
}


def accepted_values(field: str) -> str:
    """Plain words for what a profile field accepts (used in error messages and docs)."""
    return _ACCEPTED[field]


def parse_profile(data: Mapping[str, object]) -> Profile:
    """Validate raw profile data (e.g. decoded JSON) into a :class:`Profile`.

    Parameters
    ----------
    data
        A mapping of field name to JSON-like value.

    Returns
    -------
    Profile

    Raises
    ------
    InvalidInputError
        For the first problem found: an unknown field (named, with the accepted fields listed),
        a missing required field, or a value out of range (named, e.g. ``pain.knee``, with the
        accepted values).
    """
    if not isinstance(data, Mapping):
        raise InvalidInputError("profile", type(data).__name__, "a JSON object of profile fields")
    for key in data:
        if key not in Profile.model_fields:
            raise InvalidInputError(
                str(key), data[key], "one of the profile fields: " + ", ".join(PROFILE_FIELDS)
            )
    parq = data.get("parq")
    if isinstance(parq, Mapping):
        for key in parq:
            if key not in PARQ_QUESTION_IDS:
                raise InvalidInputError(f"parq.{key}", parq[key], _ACCEPTED["parq"])
        for question in PARQ_QUESTIONS:
            if question.id not in parq:
                raise InvalidInputError(
                    f"parq.{question.id}", None, "required: true or false (" + question.text + ")"
                )
    try:
        return Profile.model_validate(dict(data))
    except ValidationError as exc:
        error = exc.errors()[0]
        loc = error["loc"]
        top = str(loc[0]) if loc else "profile"
        value: Any = error.get("input")
        # A bad map key (e.g. an empty pain location) names the map and shows the key.
        field = top if "[key]" in loc else ".".join(str(part) for part in loc)
        if error["type"] == "missing":
            raise InvalidInputError(field, None, "required: " + _ACCEPTED[top]) from None
        raise InvalidInputError(field, value, _ACCEPTED.get(top, "a valid value")) from None


def load_profile(path: Path) -> Profile:
    """Read and validate a profile JSON file.

    Raises
    ------
    InvalidInputError
        With ``field=str(path)`` if the file cannot be read or is not a JSON object; otherwise as
        :func:`parse_profile`.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidInputError(str(path), type(exc).__name__, "a readable UTF-8 file") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidInputError(
            str(path), f"invalid JSON at line {exc.lineno}", "a JSON object of profile fields"
        ) from None
    if not isinstance(data, dict):
        raise InvalidInputError(str(path), type(data).__name__, "a JSON object of profile fields")
    return parse_profile(data)
