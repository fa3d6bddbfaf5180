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
class PreferencesPublic(BaseModel):
    """Display preferences."""

    units: Literal["mph", "km/h"]
    voice: bool


class PreferencesUpdate(_Strict):
    """New display preferences."""

    units: Literal["mph", "km/h"]
    voice: bool


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
