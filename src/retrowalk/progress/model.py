"""Progress figures as frozen dataclasses: walked sessions, planned sessions, symptoms, weeks.

Every figure is defined in ``docs/progress.md``; the goal and the effort bands are cited in
``docs/evidence.md`` ("Progress").
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any, Final, NamedTuple

from retrowalk import __version__
from retrowalk.assessments.results import BalanceTest
from retrowalk.energy import Range
from retrowalk.errors import InvalidInputError
from retrowalk.plans import SessionOutcome
from retrowalk.plans.rules import WEEKLY_GOAL_MINUTES, EffortBand
from retrowalk.vocabulary import RpeScale, Symptom

#: Weekly goal, minutes of moderate-or-more activity (WHO 2020, Bull et al. [A]; HHS 2018 [S]).
GOAL_MINUTES: Final = WEEKLY_GOAL_MINUTES
#: Lowest gross METs of moderate activity: moderate 3.0-5.9 METs (HHS 2018 [S];
#: PMC10310950 table [S]; clinical notes 4.1-4.2). Used only when no RPE was logged.
MODERATE_METS_MIN: Final = 3.0
#: Weeks a report may cover (a typo guard; two years).
WEEKS_MIN: Final = 1
WEEKS_MAX: Final = 104
#: Planned-session statuses that are not counted as planned (the plan withdrew them).
NOT_PLANNED_STATUSES: Final = ("cancelled",)

_MOD_OR_MORE = (EffortBand.MODERATE, EffortBand.HIGH)


class EffortBasis(StrEnum):
    """What decided whether a session counts as moderate or more."""

    RPE = "rpe"
    METS = "mets"
    UNKNOWN = "unknown"


def effort_from_rpe(rpe: float | None, scale: str | None) -> EffortBand:
    """The plan's effort band for a logged RPE (``unknown`` without a usable rating).

    Reuses :attr:`retrowalk.plans.SessionOutcome.effort`, so progress and the adaptive plan read
    the same rating the same way (Borg 6-20 is rounded to a whole number, as the plan does). A
    rating without a scale, or outside its scale, is ``unknown``: it is never guessed.
    """
    if rpe is None or scale not in set(RpeScale) or not math.isfinite(rpe):
        return EffortBand.UNKNOWN
    try:
        if scale == RpeScale.CR10:
            outcome = SessionOutcome(performed_on=date.min, completed=True, rpe_cr10=rpe)
        else:
            outcome = SessionOutcome(performed_on=date.min, completed=True, rpe_borg=round(rpe))
    except InvalidInputError:
        return EffortBand.UNKNOWN
    return outcome.effort


def week_start(day: date) -> date:
    """The Monday on or before ``day``."""
    return day - timedelta(days=day.weekday())


@dataclass(frozen=True, slots=True)
class WalkedSession:
    """One walked session (status completed or stopped), as progress needs it.

    Attributes
    ----------
    day
        Local calendar day the session(s) started.
    walking_s, backward_s
        Seconds walked in all and backward (sums over the group).
    rpe_effort
        Effort band from the logged RPE (``unknown`` when none).
    mets_central
        Central gross METs from the stored energy estimate, or ``None``.
    energy_kcal
        Stored gross energy estimate, kcal (end-wise sum over the group), or ``None`` (never 0
        in its place).
    energy_assumed
        Whether that estimate was made from an assumed speed (no speed was known for some of
        its segments; ``retrowalk.energy.assumed``).
    """

    day: date
    walking_s: float
    backward_s: float
    rpe_effort: EffortBand = EffortBand.UNKNOWN
    mets_central: float | None = None
    energy_kcal: Range | None = None
    energy_assumed: bool = False

    def __post_init__(self) -> None:
        if not (math.isfinite(self.walking_s) and self.walking_s >= 0):
            raise InvalidInputError("walking_s", self.walking_s, "a duration of 0 s or more")
        if not (math.isfinite(self.backward_s) and 0 <= self.backward_s <= self.walking_s + 1e-9):
            raise InvalidInputError(
                "backward_s", self.backward_s, f"0 to walking_s ({self.walking_s:g} s)"
            )
        if self.mets_central is not None and not (
            math.isfinite(self.mets_central) and self.mets_central > 0
        ):
            raise InvalidInputError("mets_central", self.mets_central, "a MET value above 0")

    @property
    def effort_basis(self) -> EffortBasis:
        """``rpe`` when a rating was logged, else ``mets`` when METs are known, else ``unknown``."""
        if self.rpe_effort is not EffortBand.UNKNOWN:
            return EffortBasis.RPE
        if self.mets_central is not None:
            return EffortBasis.METS
        return EffortBasis.UNKNOWN

    @property
    def moderate_or_more(self) -> bool | None:
        """Whether the session counts toward the goal; ``None`` when its effort is unknown."""
        return moderate_or_more(self.rpe_effort, self.mets_central)


def moderate_or_more(rpe_effort: EffortBand, mets_central: float | None) -> bool | None:
    """Whether a session counts toward the goal: by the person's rating when there is one, else
    by the energy model's central METs; ``None`` when neither is known."""
    if rpe_effort is not EffortBand.UNKNOWN:
        return rpe_effort in _MOD_OR_MORE
    if mets_central is not None:
        return mets_central >= MODERATE_METS_MIN
    return None


class GoalMinutes(NamedTuple):
    """What the streak of weeks meeting the goal needs of one walked session (a
    :class:`WalkedSession` has the same fields)."""

    day: date
    walking_s: float
    moderate_or_more: bool | None


@dataclass(frozen=True, slots=True)
class PlannedEntry:
    """One planned session: its date and whether it was done."""

    scheduled_on: date
    done: bool


@dataclass(frozen=True, slots=True)
class SymptomEntry:
    """Symptoms of one session (all its reports merged) or of one report made on its own.

    Attributes
    ----------
    day
        Local day of the session (or of the report, when it has no session).
    pain_0_10
        Worst pain reported, 0-10, or ``None`` when not asked.
    pain_location
        Where it hurt, or ``None``.
    dizziness, near_fall, fall, chest_pain, fainting
        Events reported (or the session was stopped for dizziness / a near-fall).
    stopped_for_pain
        The session was stopped for pain.
    """

    day: date
    pain_0_10: int | None = None
    pain_location: str | None = None
    dizziness: bool = False
    near_fall: bool = False
    fall: bool = False
    chest_pain: bool = False
    fainting: bool = False
    stopped_for_pain: bool = False

    @classmethod
    def of_log(
        cls,
        day: date,
        *,
        pain_0_10: int | None,
        pain_location: str | None,
        events: frozenset[str],
        stop_reason: str | None,
    ) -> SymptomEntry:
        """The entry of a session (or of a report made alone, ``stop_reason`` ``None``).

        ``events`` names the events reported in any of its reports (``dizziness``,
        ``near_fall``, ``fall``, ``chest_pain``, ``fainting``); a session stopped for dizziness or
        a near-fall counts as that event too.
        """
        return cls(
            day=day,
            pain_0_10=pain_0_10,
            pain_location=pain_location or None,
            dizziness=Symptom.DIZZINESS in events or stop_reason == Symptom.DIZZINESS,
            near_fall=Symptom.NEAR_FALL in events or stop_reason == Symptom.NEAR_FALL,
            fall=Symptom.FALL in events,
            chest_pain=Symptom.CHEST_PAIN in events,
            fainting=Symptom.FAINTING in events,
            stopped_for_pain=stop_reason == "pain",
        )

    @property
    def any(self) -> bool:
        """Whether anything was reported (pain, a location, an event or a stop for pain)."""
        return (
            self.pain_0_10 is not None
            or bool(self.pain_location)
            or self.dizziness
            or self.near_fall
            or self.fall
            or self.chest_pain
            or self.fainting
            or self.stopped_for_pain
        )


@dataclass(frozen=True, slots=True)
class SymptomSummary:
    """Symptoms in one week: counts are of sessions (and stand-alone reports) with the event."""

    entries: int = 0
    max_pain: int | None = None
    pain_locations: tuple[str, ...] = ()
    dizziness: int = 0
    near_falls: int = 0
    falls: int = 0
    chest_pain: int = 0
    fainting: int = 0
    stopped_for_pain: int = 0

    @classmethod
    def of(cls, entries: Sequence[SymptomEntry]) -> SymptomSummary:
        """Summarise ``entries``."""
        pains = [e.pain_0_10 for e in entries if e.pain_0_10 is not None]
        locations = sorted({e.pain_location.strip() for e in entries if e.pain_location} - {""})
        return cls(
            entries=len(entries),
            max_pain=max(pains) if pains else None,
            pain_locations=tuple(locations),
            dizziness=sum(1 for e in entries if e.dizziness),
            near_falls=sum(1 for e in entries if e.near_fall),
            falls=sum(1 for e in entries if e.fall),
            chest_pain=sum(1 for e in entries if e.chest_pain),
            fainting=sum(1 for e in entries if e.fainting),
            stopped_for_pain=sum(1 for e in entries if e.stopped_for_pain),
        )

    @property
    def any_safety_event(self) -> bool:
        """Whether any dizziness, near-fall, fall, chest pain or fainting was reported."""
        return bool(
            self.dizziness or self.near_falls or self.falls or self.chest_pain or self.fainting
        )

    def counts(self) -> tuple[tuple[Symptom, int], ...]:
        """Each red flag reported this week with its count, in :class:`Symptom` order."""
        by_symptom = {
            Symptom.DIZZINESS: self.dizziness,
            Symptom.NEAR_FALL: self.near_falls,
            Symptom.FALL: self.falls,
            Symptom.CHEST_PAIN: self.chest_pain,
            Symptom.FAINTING: self.fainting,
        }
        return tuple((symptom, by_symptom[symptom]) for symptom in Symptom if by_symptom[symptom])

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready view (``events``: each red flag reported, with its label and count)."""
        return {
            "events": [
                {"id": symptom.value, "label": symptom.label, "count": count}
                for symptom, count in self.counts()
            ],
            "reports": self.entries,
            "max_pain": self.max_pain,
            "pain_locations": list(self.pain_locations),
            "dizziness": self.dizziness,
            "near_falls": self.near_falls,
            "falls": self.falls,
            "chest_pain": self.chest_pain,
            "fainting": self.fainting,
            "stopped_for_pain": self.stopped_for_pain,
        }


def minutes(seconds: float) -> float:
    return round(seconds / 60.0, 1)


@dataclass(frozen=True, slots=True)
class WeekSummary:
    """One calendar week (Monday to Sunday).

    Attributes
    ----------
    week_start
        The Monday.
    complete
        Whether the week ended before the report's day (``False``: week in progress).
    walking_s
        Seconds walked (completed and stopped sessions; forward and backward).
    moderate_by_rpe_s, moderate_by_mets_s
        Seconds of sessions counted as moderate or more, by RPE and (without RPE) by METs.
    light_s
        Seconds of sessions whose effort was below moderate.
    unknown_effort_s
        Seconds of sessions with no RPE and no METs: never counted toward the goal.
    backward_s
        Seconds walked backward.
    sessions_walked, days_walked
        Sessions walked and distinct days with a walked session.
    sessions_planned
        Planned sessions scheduled this week, up to the report's day (not cancelled).
    sessions_done
        Of those, the ones done (status ``done`` or a walked log linked to them).
    sessions_upcoming
        Planned sessions later this week (after the report's day): not yet due.
    energy_kcal
        End-wise sums of the stored low, central and high gross kcal; ``None`` when no session
        has an estimate.
    sessions_without_energy
        Walked sessions without a stored estimate (their energy is not in ``energy_kcal``).
    energy_assumed_kcal
        The part of ``energy_kcal`` estimated from an assumed speed (end-wise sum), or ``None``
        when no session's estimate used one.
    sessions_energy_assumed
        Walked sessions whose estimate used an assumed speed.
    symptoms
        See :class:`SymptomSummary`.
    goal_minutes
        :data:`GOAL_MINUTES`.
    """

    week_start: date
    complete: bool
    walking_s: float
    moderate_by_rpe_s: float
    moderate_by_mets_s: float
    light_s: float
    unknown_effort_s: float
    backward_s: float
    sessions_walked: int
    days_walked: int
    sessions_planned: int
    sessions_done: int
    sessions_upcoming: int
    energy_kcal: Range | None
    sessions_without_energy: int
    symptoms: SymptomSummary
    goal_minutes: int = GOAL_MINUTES
    energy_assumed_kcal: Range | None = None
    sessions_energy_assumed: int = 0

    @property
    def moderate_or_more_s(self) -> float:
        """Seconds counted toward the goal."""
        return self.moderate_by_rpe_s + self.moderate_by_mets_s

    @property
    def goal_met(self) -> bool:
        """Whether the moderate-or-more minutes reach the goal."""
        return self.moderate_or_more_s >= self.goal_minutes * 60.0 - 1e-6

    @property
    def adherence(self) -> float | None:
        """``sessions_done / sessions_planned``; ``None`` when nothing was due."""
        if self.sessions_planned == 0:
            return None
        return self.sessions_done / self.sessions_planned

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready view (minutes rounded to 0.1, kcal to 1)."""
        adherence = self.adherence
        return {
            "week_start": self.week_start.isoformat(),
            "week_end": (self.week_start + timedelta(days=6)).isoformat(),
            "complete": self.complete,
            "walking_minutes": minutes(self.walking_s),
            "moderate_or_more_minutes": minutes(self.moderate_or_more_s),
            "moderate_by_rpe_minutes": minutes(self.moderate_by_rpe_s),
            "moderate_by_mets_minutes": minutes(self.moderate_by_mets_s),
            "light_minutes": minutes(self.light_s),
            "unknown_effort_minutes": minutes(self.unknown_effort_s),
            "goal_minutes": self.goal_minutes,
            "goal_met": self.goal_met,
            "backward_minutes": minutes(self.backward_s),
            "sessions_walked": self.sessions_walked,
            "days_walked": self.days_walked,
            "sessions_done": self.sessions_done,
            "sessions_planned": self.sessions_planned,
            "sessions_upcoming": self.sessions_upcoming,
            "adherence": None if adherence is None else round(adherence, 3),
            "energy_kcal": None
            if self.energy_kcal is None
            else self.energy_kcal.rounded(0).as_dict(),
            "sessions_without_energy": self.sessions_without_energy,
            "energy_assumed_kcal": None
            if self.energy_assumed_kcal is None
            else self.energy_assumed_kcal.rounded(0).as_dict(),
            "sessions_energy_assumed": self.sessions_energy_assumed,
            "symptoms": self.symptoms.to_dict(),
        }


@dataclass(frozen=True, slots=True)
class Streaks:
    """Runs of planned sessions done and of weeks meeting the goal.

    Attributes
    ----------
    planned_sessions_current, planned_sessions_longest
        Consecutive due planned sessions done (in scheduled order, over the whole history):
        the run ending with the latest due session, and the longest run. A session scheduled
        today and not yet done is not due yet, so it does not break the run.
    goal_weeks_current, goal_weeks_longest
        Consecutive calendar weeks meeting the goal (moderate-or-more minutes >= 150): the run
        ending with the last complete week (or with this week once it meets the goal), and the
        longest run, over the whole history.
    """

    planned_sessions_current: int
    planned_sessions_longest: int
    goal_weeks_current: int
    goal_weeks_longest: int

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready view."""
        return {
            "planned_sessions": {
                "current": self.planned_sessions_current,
                "longest": self.planned_sessions_longest,
            },
            "goal_weeks": {
                "current": self.goal_weeks_current,
                "longest": self.goal_weeks_longest,
            },
        }


@dataclass(frozen=True)
class ProgressReport:
    """Weekly progress with balance tests, streaks and caveats.

    Attributes
    ----------
    generated_at
        When the report was made (UTC).
    as_of
        The report's local day ("today").
    time_zone
        Name of the zone that decided the calendar days.
    weeks
        The weeks shown, oldest first; the last contains ``as_of``.
    balance_tests
        Every stored 3MBWT result, oldest first, each compared with the one before.
    streaks
        See :class:`Streaks`.
    notes
        Honest caveats that apply to these figures.
    """

    generated_at: datetime
    as_of: date
    time_zone: str
    weeks: tuple[WeekSummary, ...]
    balance_tests: tuple[BalanceTest, ...]
    streaks: Streaks
    notes: tuple[str, ...] = field(default=())

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready view (documented in ``docs/progress.md``)."""
        return {
            "generated_at": self.generated_at.isoformat(),
            "as_of": self.as_of.isoformat(),
            "time_zone": self.time_zone,
            "goal_minutes": GOAL_MINUTES,
            "weeks": [w.to_dict() for w in self.weeks],
            "balance_tests": [_balance_test_dict(t) for t in self.balance_tests],
            "streaks": self.streaks.to_dict(),
            "notes": list(self.notes),
            "retrowalk_version": __version__,
        }


def _balance_test_dict(test: BalanceTest) -> dict[str, Any]:
    data = test.to_dict()
    return {
        "performed_at": data["performed_at"],
        "score_s": data["score_s"],
        "trials_s": data["trials_s"],
        "population": data["population"],
        "verdict": data["verdict"],
        "cutoff_s": data["cutoff_s"],
        "source": data["source"],
        "text": data["text"],
        "change": data["change"],
    }


# ---------------------------------------------------------------------------------------------
# Pure summaries
# ---------------------------------------------------------------------------------------------
