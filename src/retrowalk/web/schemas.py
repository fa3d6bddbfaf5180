"""Request and response schemas of the JSON API (one Create/Update/Public family per resource).

Documents built by the core (plans, timelines, logs, progress) are passed through as the core's
own JSON (``docs/schemas.md``, ``docs/sessions.md``); the schemas here cover what the web layer
accepts and the small documents it builds itself.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, AwareDatetime, BaseModel, ConfigDict, Field

from retrowalk.assessments.protocol import TIMED_TRIALS
from retrowalk.energy.model import GRADE_PCT_MAX, GRADE_PCT_MIN, SPEED_M_S_MAX
from retrowalk.limits import DATE_MAX, DATE_MIN
from retrowalk.plans.rules import PLAN_WEEKS_DEFAULT, PLAN_WEEKS_MAX, PLAN_WEEKS_MIN
from retrowalk.segments import MAX_SEGMENT_DURATION_S
from retrowalk.services.logs import NOTES_MAX_CHARS
from retrowalk.sessions import StopReason
from retrowalk.vocabulary import Direction, Environment, SegmentKind, Support

#: Most segments in one log (a quick spec allows 200).
SEGMENTS_MAX = 200
#: Longest session length accepted (a typo guard; the services take any finite length, and a
#: huge one overflowed the end-time arithmetic).
SESSION_DURATION_S_MAX = 24 * 3600.0


def _within_range(value: datetime) -> datetime:
    if not DATE_MIN <= value.date() <= DATE_MAX:
        raise ValueError(f"a time from {DATE_MIN.isoformat()} to {DATE_MAX.isoformat()}")
    return value


#: An aware time within the dates RetroWalk accepts (year 1 with an offset overflows in UTC).
Moment = Annotated[AwareDatetime, AfterValidator(_within_range)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


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

    trials_s: list[float] = Field(min_length=1, max_length=TIMED_TRIALS + 3)
    performed_at: Moment | None = None
    notes: str = Field(default="", max_length=500)


# ------------------------------------------------------------------------------------ plans
class PlanCreate(_Strict):
    """Make a new plan from the stored profile (it is screened again)."""

    start_on: date | None = Field(default=None, description="First day (default: today).")
    weeks: int = Field(default=PLAN_WEEKS_DEFAULT, ge=PLAN_WEEKS_MIN, le=PLAN_WEEKS_MAX)
    acknowledge_risk: bool = Field(
        default=False,
        description="Make a plan although screening says to see a professional first "
        "(the acknowledgement is stored).",
    )


# ------------------------------------------------------------------------------------ settings
class PreferencesUpdate(_Strict):
    """New display preferences."""

    units: Literal["mph", "km/h"]
    voice: bool


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
    duration_s: float = Field(gt=0, le=MAX_SEGMENT_DURATION_S, allow_inf_nan=False)
    environment: Environment
    support: Support
    speed_m_s: float | None = Field(default=None, gt=0, le=SPEED_M_S_MAX, allow_inf_nan=False)
    grade_pct: float = Field(default=0.0, ge=GRADE_PCT_MIN, le=GRADE_PCT_MAX, allow_inf_nan=False)
    completed: bool = True
    kind: SegmentKind | None = None


class RatingsCreate(_Strict):
    """How the session felt (RPE on Borg 6-20 or CR10, pain 0-10, safety events)."""

    rpe: float | None = Field(default=None, allow_inf_nan=False)
    rpe_scale: Literal["borg6_20", "cr10"] = "borg6_20"
    pain_0_10: int | None = Field(default=None, ge=0, le=10)
    pain_location: str | None = Field(default=None, max_length=100)
    dizziness: bool = False
    near_fall: bool = False
    fall: bool = False
    chest_pain: bool = False
    fainting: bool = False
    form_steady: bool | None = None
    notes: str = Field(default="", max_length=NOTES_MAX_CHARS)


class LogCreate(_Strict):
    """A walked session to log (``docs/sessions.md``, "Logging")."""

    started_at: Moment
    segments: list[SegmentCreate] = Field(max_length=SEGMENTS_MAX)
    ratings: RatingsCreate | None = None
    source: Literal["manual", "guided", "quick"] = "manual"
    status: Literal["completed", "stopped"] = "completed"
    stop_reason: StopReason | None = None
    planned_session_id: str | None = Field(default=None, max_length=36)
    notes: str = Field(default="", max_length=NOTES_MAX_CHARS)
    duration_s: float | None = Field(
        default=None, gt=0, le=SESSION_DURATION_S_MAX, allow_inf_nan=False
    )


class LogUpdate(_Strict):
    """Fields to change in a stored log; fields not sent stay as they are."""

    started_at: Moment | None = None
    segments: list[SegmentCreate] | None = Field(default=None, max_length=SEGMENTS_MAX)
    ratings: RatingsCreate | None = None
    status: Literal["completed", "stopped"] | None = None
    stop_reason: StopReason | None = None
    notes: str | None = Field(default=None, max_length=NOTES_MAX_CHARS)
    duration_s: float | None = Field(
        default=None, gt=0, le=SESSION_DURATION_S_MAX, allow_inf_nan=False
    )


# ------------------------------------------------------------------------------------ guided
class GuidedCreate(_Strict):
    """Start a guided session: a planned session (default: today's) or a quick spec."""

    planned_session_id: str | None = Field(default=None, max_length=36)
    quick_spec: str | None = Field(default=None, max_length=500)
    environment: Environment = Environment.HALLWAY
    support: Support | None = None


class CheckpointCreate(_Strict):
    """The player's state now (``docs/sessions.md``, "Snapshot JSON")."""

    snapshot: dict[str, Any]


class GuidedFinish(_Strict):
    """The final state of the run and how it felt."""

    snapshot: dict[str, Any]
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
