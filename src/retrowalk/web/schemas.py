"""Request and response schemas of the JSON API (one Create/Update/Public family per resource).

Documents built by the core (plans, timelines, logs, progress) are passed through as the core's
own JSON (``docs/schemas.md``, ``docs/sessions.md``); the schemas here cover what the web layer
accepts and the small documents it builds itself.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    StrictFloat,
    model_validator,
)

from retrowalk.assessments.protocol import TIMED_TRIALS, TRIAL_TIME_S_MAX, TRIAL_TIME_S_MIN
from retrowalk.energy.model import GRADE_PCT_MAX, GRADE_PCT_MIN, SPEED_M_S_MAX
from retrowalk.jsontypes import WHOLE_NUMBER
from retrowalk.limits import DATE_MAX, DATE_MIN, PAIN_MAX, PAIN_MIN
from retrowalk.plans.model import BORG_MAX, BORG_MIN, CR10_MAX, CR10_MIN
from retrowalk.plans.rules import PLAN_WEEKS_DEFAULT, PLAN_WEEKS_MAX, PLAN_WEEKS_MIN
from retrowalk.segments import MAX_SEGMENT_DURATION_S
from retrowalk.services.logs import NOTES_MAX_CHARS
from retrowalk.services.logs.inputs import ID_PREFIX_MIN_CHARS
from retrowalk.sessions import RunSnapshot, RunStatus, StopReason
from retrowalk.sessions.player import NOTE_MAX_CHARS
from retrowalk.sessions.quick import QUICK_GRAMMAR, QUICK_MAX_CHARS
from retrowalk.vocabulary import Direction, Environment, SegmentKind, Support
from retrowalk.web.player import QUICK_RANGES

#: Most segments in one log (a quick spec allows 200).
SEGMENTS_MAX = 200
#: Longest session length accepted (a typo guard; the services take any finite length, and a
#: huge one overflowed the end-time arithmetic).
SESSION_DURATION_S_MAX = 24 * 3600.0


def _years_pattern(first: int, last: int) -> str:
    """A regular expression matching the 4-digit years ``first`` to ``last``: whole decades as
    ``201[0-9]``, the years of a partial decade one by one."""
    parts: list[str] = []
    year = first
    while year <= last:
        if year % 10 == 0 and year + 9 <= last:
            parts.append(f"{year // 10}[0-9]")
            year += 10
        else:
            parts.append(str(year))
            year += 1
    return "|".join(parts)


_DAY = (
    f"(?:{_years_pattern(DATE_MIN.year, DATE_MAX.year)})"
    r"-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12][0-9]|3[01])"
)
#: A date within :data:`~retrowalk.limits.DATE_MIN`..:data:`~retrowalk.limits.DATE_MAX` as
#: YYYY-MM-DD, for the OpenAPI document (the limits are whole years, so the years say it all).
DATE_PATTERN = f"^{_DAY}$"
#: An RFC 3339 time with its UTC offset on a day within the accepted dates.
DATETIME_PATTERN = (
    f"^{_DAY}"
    r"T(?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](?:\.[0-9]{1,6})?"
    r"(?:Z|[+-](?:[01][0-9]|2[0-3]):[0-5][0-9])$"
)
_DATE_ACCEPTED = f"a date from {DATE_MIN.isoformat()} to {DATE_MAX.isoformat()} as YYYY-MM-DD"
_DATETIME_ACCEPTED = (
    f"a time from {DATE_MIN.isoformat()} to {DATE_MAX.isoformat()} as YYYY-MM-DDThh:mm:ss "
    "with its UTC offset (Z or +hh:mm)"
)


def _matching(pattern: str, accepted: str) -> Callable[[Any], Any]:
    compiled = re.compile(pattern)

    def check(value: Any) -> Any:
        # Only the written form the document states: pydantic alone would also take numbers
        # (Unix times), a space or a "t" for the "T", or a time where a date is asked.
        if isinstance(value, date):  # already typed (datetime is a date too): Python callers
            return value
        if not isinstance(value, str) or compiled.fullmatch(value) is None:
            raise ValueError(accepted)
        return value

    return check


def _within_range(value: datetime) -> datetime:
    if not DATE_MIN <= value.date() <= DATE_MAX:
        raise ValueError(_DATETIME_ACCEPTED)
    return value


#: An aware time within the dates RetroWalk accepts (year 1 with an offset overflows in UTC).
Moment = Annotated[
    AwareDatetime,
    BeforeValidator(_matching(DATETIME_PATTERN, _DATETIME_ACCEPTED)),
    AfterValidator(_within_range),
    Field(json_schema_extra={"pattern": DATETIME_PATTERN}),
]
#: A calendar day within the dates RetroWalk accepts, as YYYY-MM-DD.
Day = Annotated[
    date,
    BeforeValidator(_matching(DATE_PATTERN, _DATE_ACCEPTED)),
    Field(json_schema_extra={"pattern": DATE_PATTERN}),
]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


#: A stored record's id or a unique prefix of it (an id nothing has answers 404).
IdOrPrefix = Annotated[str, Field(min_length=ID_PREFIX_MIN_CHARS, max_length=36, pattern=r"^\S+$")]
#: The custom ``format`` of a quick spec in the OpenAPI document (its grammar is in the
#: description: a regular expression cannot state the limits).
QUICK_SPEC_FORMAT = "retrowalk-quick-spec"
QuickSpec = Annotated[
    str, Field(max_length=QUICK_MAX_CHARS, json_schema_extra={"format": QUICK_SPEC_FORMAT})
]
#: The custom ``format`` of an import file: a file written by RetroWalk's export.
EXPORT_FILE_FORMAT = "retrowalk-export"


# ------------------------------------------------------------------------------------ errors
class FieldError(BaseModel):
    """One problem with the input, naming the field and what it accepts."""

    field: str
    message: str
    accepted: str


class ValidationErrorBody(BaseModel):
    """HTTP 422 body."""

    detail: list[FieldError]


class MessageBody(BaseModel):
    """HTTP 404/409 body."""

    detail: str


class ClearanceRequiredBody(BaseModel):
    """HTTP 409 body when screening says to see a professional first."""

    detail: str
    reasons: list[str]


ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    422: {"model": ValidationErrorBody, "description": "Invalid input (field, message, accepted)"},
}
NOT_FOUND: dict[int | str, dict[str, Any]] = {
    404: {"model": MessageBody, "description": "Not found"}
}
INVALID_OR_MISSING = {**ERROR_RESPONSES, **NOT_FOUND}
CONFLICT: dict[int | str, dict[str, Any]] = {
    409: {"model": MessageBody, "description": "Does not fit what is stored (field: message)"}
}


# ------------------------------------------------------------------------------------ profile
class ProfilePublic(BaseModel):
    """The stored profile (fields as in ``docs/schemas.md``)."""

    id: str
    profile: dict[str, Any]


class ChoicePublic(BaseModel):
    """One choice of a multiple-choice question."""

    value: str
    label: str


class QuestionPublic(BaseModel):
    """One onboarding question (``retrowalk.screening.questions``)."""

    field: str
    text: str
    kind: str
    accepted: str
    choices: list[ChoicePublic]
    required: bool
    note: str


# ------------------------------------------------------------------------------------ screening
class ReasonPublic(BaseModel):
    """Why screening decided what it did."""

    rule_id: str
    outcome: str
    text: str
    source: str
    evidence: str


class ScreeningPublic(BaseModel):
    """A screening outcome with its reasons."""

    id: str | None = None
    clearance: Literal["go", "go_with_support", "see_professional_first"]
    headline: str
    reasons: list[ReasonPublic]
    requires_support: bool
    requires_supervision: bool
    recommend_3mbwt: bool
    rules_version: str


# ------------------------------------------------------------------------------------ 3MBWT
class BalanceTestCreate(_Strict):
    """Timed trials of one 3-metre backward walk test (practice walk excluded)."""

    trials_s: list[Annotated[StrictFloat, Field(ge=TRIAL_TIME_S_MIN, le=TRIAL_TIME_S_MAX)]] = Field(
        min_length=TIMED_TRIALS, max_length=TIMED_TRIALS
    )
    performed_at: Moment | None = None
    notes: str = Field(default="", max_length=500)


# ------------------------------------------------------------------------------------ plans
class PlanCreate(_Strict):
    """Make a new plan from the stored profile (it is screened again)."""

    start_on: Day | None = Field(default=None, description="First day (default: today).")
    weeks: Annotated[int, Field(ge=PLAN_WEEKS_MIN, le=PLAN_WEEKS_MAX), WHOLE_NUMBER] = (
        PLAN_WEEKS_DEFAULT
    )
    acknowledge_risk: StrictBool = Field(
        default=False,
        description="Make a plan although screening says to see a professional first "
        "(the acknowledgement is stored).",
    )


# ------------------------------------------------------------------------------------ settings
class PreferencesUpdate(_Strict):
    """New display preferences."""

    units: Literal["mph", "km/h"]
    voice: StrictBool


class PreferencesPublic(PreferencesUpdate):
    """Display preferences."""


# ------------------------------------------------------------------------------------ backup
class ImportPublic(BaseModel):
    """What an import stored."""

    inserted: dict[str, int]
    skipped: dict[str, int]


# ------------------------------------------------------------------------------------ logs
class SegmentCreate(_Strict):
    """One walked segment (SI units)."""

    direction: Direction
    duration_s: StrictFloat = Field(gt=0, le=MAX_SEGMENT_DURATION_S, allow_inf_nan=False)
    environment: Environment
    support: Support
    speed_m_s: StrictFloat | None = Field(default=None, gt=0, le=SPEED_M_S_MAX, allow_inf_nan=False)
    grade_pct: StrictFloat = Field(
        default=0.0, ge=GRADE_PCT_MIN, le=GRADE_PCT_MAX, allow_inf_nan=False
    )
    completed: StrictBool = True
    kind: SegmentKind | None = None


def _rpe(scale: Literal["borg6_20", "cr10"]) -> dict[str, Any]:
    number = (
        {"type": "integer", "minimum": BORG_MIN, "maximum": BORG_MAX}
        if scale == "borg6_20"
        else {"type": "number", "minimum": CR10_MIN, "maximum": CR10_MAX}
    )
    return {"properties": {"rpe": {"anyOf": [number, {"type": "null"}]}}}


class RatingsCreate(_Strict):
    """How the session felt (RPE on Borg 6-20 or CR10, pain 0-10, safety events)."""

    # The range of ``rpe`` depends on ``rpe_scale`` (checked by the services).
    model_config = ConfigDict(
        json_schema_extra={
            "if": {"properties": {"rpe_scale": {"const": "cr10"}}, "required": ["rpe_scale"]},
            "then": _rpe("cr10"),
            "else": _rpe("borg6_20"),
        }
    )

    rpe: StrictFloat | None = Field(default=None, allow_inf_nan=False)
    rpe_scale: Literal["borg6_20", "cr10"] = "borg6_20"
    pain_0_10: Annotated[int, Field(ge=PAIN_MIN, le=PAIN_MAX), WHOLE_NUMBER] | None = None
    pain_location: str | None = Field(default=None, max_length=100)
    dizziness: StrictBool = False
    near_fall: StrictBool = False
    fall: StrictBool = False
    chest_pain: StrictBool = False
    fainting: StrictBool = False
    form_steady: StrictBool | None = None
    notes: str = Field(default="", max_length=NOTES_MAX_CHARS)


class LogCreate(_Strict):
    """A walked session to log (``docs/sessions.md``, "Logging"). A stop reason goes only with
    ``status: stopped``; the segments must fit in ``duration_s`` when it is given."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "not": {
                "required": ["stop_reason"],
                "properties": {"stop_reason": {"not": {"type": "null"}}},
                "anyOf": [
                    {"not": {"required": ["status"]}},
                    {"properties": {"status": {"not": {"const": "stopped"}}}},
                ],
            }
        },
    )

    started_at: Moment
    segments: list[SegmentCreate] = Field(min_length=1, max_length=SEGMENTS_MAX)
    ratings: RatingsCreate | None = None
    source: Literal["manual", "guided", "quick"] = "manual"
    status: Literal["completed", "stopped"] = "completed"
    stop_reason: StopReason | None = None
    planned_session_id: str | None = Field(
        default=None,
        max_length=36,
        description="The id of the planned session walked; an unknown one answers 404.",
    )
    notes: str = Field(default="", max_length=NOTES_MAX_CHARS)
    duration_s: StrictFloat | None = Field(
        default=None, gt=0, le=SESSION_DURATION_S_MAX, allow_inf_nan=False
    )


class LogUpdate(_Strict):
    """Fields to change in a stored log; fields not sent stay as they are. A stop reason with
    ``status: completed`` is refused (422); without ``status``, one for a log that is not stopped
    answers 409, as does a length or segments that do not fit the stored ones."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "not": {
                "required": ["stop_reason", "status"],
                "properties": {
                    "stop_reason": {"not": {"type": "null"}},
                    "status": {"const": "completed"},
                },
            }
        },
    )

    started_at: Moment | None = None
    segments: list[SegmentCreate] | None = Field(
        default=None, min_length=1, max_length=SEGMENTS_MAX
    )
    ratings: RatingsCreate | None = None
    status: Literal["completed", "stopped"] | None = None
    stop_reason: StopReason | None = None
    notes: str | None = Field(default=None, max_length=NOTES_MAX_CHARS)
    duration_s: StrictFloat | None = Field(
        default=None, gt=0, le=SESSION_DURATION_S_MAX, allow_inf_nan=False
    )


# ------------------------------------------------------------------------------------ guided
class GuidedCreate(_Strict):
    """Start a guided session: a planned session (default: today's; 409 when nothing is planned
    today) or a quick spec, not both."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"not": {"required": ["planned_session_id", "quick_spec"]}},
    )
    planned_session_id: IdOrPrefix | None = Field(
        default=None,
        description="A session of the current plan (id or unique prefix); an unknown one "
        "answers 404, one of an older plan 409. Not with quick_spec.",
    )
    quick_spec: QuickSpec | None = Field(
        default=None,
        description=f"A quick session (not with planned_session_id): {QUICK_GRAMMAR}. "
        f"{QUICK_RANGES} A spec outside this grammar or these limits answers 422.",
    )
    environment: Environment = Environment.HALLWAY
    support: Support | None = None

    @model_validator(mode="after")
    def _one_source(self) -> GuidedCreate:
        if {"planned_session_id", "quick_spec"} <= self.model_fields_set:
            raise ValueError("either planned_session_id or quick_spec, not both")
        return self


#: A number of seconds within a session's longest length.
_Seconds = Annotated[StrictFloat, Field(ge=0, le=SESSION_DURATION_S_MAX, allow_inf_nan=False)]
#: An index into the timeline's segments or cues.
_Index = Annotated[int, Field(ge=0), WHOLE_NUMBER]


class RunSnapshotBody(_Strict):
    """The player's run at one moment (``docs/sessions.md``, "Snapshot JSON";
    :class:`retrowalk.sessions.RunSnapshot`). One that does not fit the session's timeline
    (another timeline's id, indices beyond it) answers 409."""

    snapshot_schema: Literal["retrowalk.run_snapshot"] = Field(alias="schema")
    version: Literal[1]
    timeline_id: str = Field(min_length=1, max_length=64)
    status: RunStatus
    elapsed_s: _Seconds
    position_s: _Seconds
    paused_s: _Seconds
    next_event_index: _Index
    current_segment_index: _Index | None
    segment_left_s: _Seconds | None
    session_left_s: _Seconds
    next_segment_index: _Index | None
    segment_done_s: list[_Seconds] = Field(max_length=SEGMENTS_MAX)
    skipped_segments: list[_Index] = Field(max_length=SEGMENTS_MAX)
    stop_reason: StopReason | None
    stop_note: str | None = Field(max_length=NOTE_MAX_CHARS)

    def to_snapshot(self) -> RunSnapshot:
        """The core's snapshot."""
        return RunSnapshot.from_dict(self.model_dump(mode="json", by_alias=True))


class CheckpointCreate(_Strict):
    """The player's state now."""

    snapshot: RunSnapshotBody


class GuidedFinish(_Strict):
    """The final state of the run and how it felt."""

    snapshot: RunSnapshotBody
    ratings: RatingsCreate | None = None
    notes: str = Field(default="", max_length=NOTES_MAX_CHARS)


class GuidedPartial(_Strict):
    """Log the part done up to the last checkpoint."""

    ratings: RatingsCreate | None = None
    notes: str = Field(default="", max_length=NOTES_MAX_CHARS)


class CheckpointPublic(BaseModel):
    """When the checkpoint was stored."""

    checkpoint_at: datetime


# ------------------------------------------------------------------------------------ documents
#: Documents the core builds are declared field by field at the top level; deeper parts are the
#: core's own JSON (docs/schemas.md, docs/sessions.md, docs/progress.md).
Document = dict[str, Any]


class BalanceTestPublic(BaseModel):
    """A stored 3MBWT result, its reading and the change since the test before."""

    id: str
    performed_at: str
    trials_s: list[float]
    score_s: float
    protocol: str
    population: str
    verdict: str
    text: str
    cutoff_s: float | None
    source: str
    notes: list[str]
    change: Document | None


class PlanPublic(BaseModel):
    """A stored plan (``docs/schemas.md``, "Plan"), with an ``id`` on every session."""

    id: str
    status: str
    start_on: str
    revised_on: str | None
    level: str
    limits: Document
    requires_support: bool
    requires_supervision: bool
    acknowledged_risk: bool
    stopped: bool
    explanation: list[str]
    rules_version: str
    state: Document
    weeks: list[Document]


class PlanCreatedPublic(PlanPublic):
    """A new plan and the screening it was made after."""

    screening: ScreeningPublic


class CurrentPlanPublic(PlanPublic):
    """The current plan and every change made to it, with its reason."""

    changes: list[Document]


class TodayPublic(BaseModel):
    """Today's session (or the next one) and why it is what it is."""

    plan_id: str
    on: str
    is_today: bool
    stopped: bool
    session: Document | None
    reasons: list[str]


class TimelinePublic(BaseModel):
    """A session's cue schedule (``docs/sessions.md``, "Timeline JSON")."""

    model_config = ConfigDict(populate_by_name=True)

    schema_: str = Field(alias="schema")
    version: int
    total_s: float
    countdown_s: int
    units: str
    technique_interval_s: float
    safety_checks: list[str]
    segments: list[Document]
    events: list[Document]


class LogPublic(BaseModel):
    """A walked session (``docs/sessions.md``, "Logging")."""

    id: str
    started_at: str
    ended_at: str | None
    source: str
    status: str
    stop_reason: str | None
    planned_session_id: str | None
    duration_s: float
    backward_s: float
    segments: list[Document]
    energy: Document
    ratings: Document | None
    notes: str
    plan_change: Document | None
    plan_note: str | None
    symptoms: list[Document] = Field(description="Every red flag recorded: id and label.")
    symptoms_text: str = Field(description="The red flags and pain in plain words.")


class GuidedPublic(BaseModel):
    """A guided session in progress: its schedule and the last checkpointed state of the run."""

    timeline_id: str
    log_id: str
    started_at: str
    checkpoint_at: str | None
    source: Literal["guided", "quick"]
    planned_session_id: str | None
    title: str
    timeline: TimelinePublic
    snapshot: Document


class UnfinishedPublic(BaseModel):
    """The session still in progress, if any."""

    session: GuidedPublic | None


class ProgressPublic(BaseModel):
    """The progress report (``docs/progress.md``)."""

    generated_at: str
    as_of: str
    time_zone: str
    goal_minutes: int
    weeks: list[Document]
    balance_tests: list[Document]
    streaks: Document
    notes: list[str]
    retrowalk_version: str
