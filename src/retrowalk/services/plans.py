"""Plan use cases: make a plan from the stored profile, show it, say what is on today, and adapt
it after each logged session (storing every change with its reason)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from retrowalk.errors import NotFoundError
from retrowalk.plans import (
    BalanceRisk,
    Plan,
    PlanChange,
    PlannedSession,
    ProfessionalClearanceRequiredError,
    SessionOutcome,
    adapt,
    change_to_dict,
    generate_plan,
    plan_from_dict,
    plan_to_dict,
    replan,
    state_to_dict,
)
from retrowalk.screening import Clearance
from retrowalk.services.readiness import (
    StoredProfile,
    StoredScreening,
    balance_tests,
    require_profile,
    store_screening,
)
from retrowalk.store import models
from retrowalk.timeutil import utcnow

#: Session statuses whose logs count as a walked session for the plan.
COUNTED_LOG_STATUSES = ("completed", "stopped")


@dataclass(frozen=True)
class StoredPlan:
    """A stored plan and the database ids of its sessions (same order as ``plan.sessions``)."""

    id: str
    plan: Plan
    session_ids: tuple[str, ...]
    status: str

    def session_id(self, planned: PlannedSession) -> str:
        """The id of one of this plan's sessions."""
        return self.session_ids[self.plan.sessions.index(planned)]

    def to_dict(self) -> dict[str, Any]:
        """The plan JSON with ``id`` on the plan and on every session."""
        document = plan_to_dict(self.plan)
        ids = iter(self.session_ids)
        for week in document["weeks"]:
            for item in week["sessions"]:
                item["id"] = next(ids)
        return {"id": self.id, "status": self.status, **document}


@dataclass(frozen=True)
class TodayView:
    """What to do today (or next), and why."""

    plan_id: str
    on: date
    session: PlannedSession | None
    session_id: str | None
    is_today: bool
    reasons: tuple[str, ...]
    stopped: bool

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready view."""
        from retrowalk.plans.serialize import session_to_dict

        return {
            "plan_id": self.plan_id,
            "on": self.on.isoformat(),
            "is_today": self.is_today,
            "stopped": self.stopped,
            "session": None
            if self.session is None
            else {"id": self.session_id, **session_to_dict(self.session)},
            "reasons": list(self.reasons),
        }


def balance_risk_for(session: Session, profile: StoredProfile) -> BalanceRisk:
    """``higher`` when the latest 3MBWT is at or above the population cut-off, ``lower`` when
    below it, ``unknown`` without a test or a validated cut-off."""
    tests = balance_tests(session, profile)
    if tests:
        reading = tests[-1].interpretation
    elif profile.profile.baseline_3mbwt_s is not None:
        from retrowalk.assessments import interpret, population_for

        reading = interpret(profile.profile.baseline_3mbwt_s, population_for(profile.profile))
    else:
        return "unknown"
    if reading.cutoff_s is None:
        return "unknown"
    return "higher" if reading.slower_than_cutoff else "lower"


def create_plan(
    session: Session,
    *,
    start_on: date,
    weeks: int,
    acknowledgement: str | None = None,
) -> tuple[StoredPlan, StoredScreening]:
    """Screen the stored profile again and make a new active plan from it.

    Raises
    ------
    ProfessionalClearanceRequiredError
        When screening says ``see_professional_first`` and no acknowledgement was given; the
        caller's transaction then stores nothing.
    """
    profile = require_profile(session)
    screening = store_screening(session, profile, acknowledgement=acknowledgement)
    if screening.result.clearance is not Clearance.SEE_PROFESSIONAL_FIRST:
        acknowledged = False
    elif acknowledgement:
        acknowledged = True
    else:
        raise ProfessionalClearanceRequiredError(
            tuple(
                r.text for r in screening.result.reasons if r.outcome is screening.result.clearance
            )
        )
    plan = generate_plan(
        profile.profile,
        screening.result,
        start_on=start_on,
        weeks=weeks,
        balance_risk=balance_risk_for(session, profile),
        history=_outcomes(session, profile.id),
        acknowledged_risk=acknowledged,
    )
    for old in session.scalars(select(models.Plan).where(models.Plan.status == "active")):
        old.status = "superseded"
    row = models.Plan(
        profile_id=profile.id,
        screening_id=screening.id,
        status="stopped" if plan.stopped else "active",
        start_on=plan.start_on,
        weeks=len(plan.weeks) or weeks,
        acknowledged_risk=plan.acknowledged_risk,
        rules_version=plan.rules_version,
        state=state_to_dict(plan.state),
        document=plan_to_dict(plan),
    )
    session.add(row)
    session.flush()
    ids = _replace_sessions(session, row, plan, keep_before=None)
    return StoredPlan(id=row.id, plan=plan, session_ids=ids, status=row.status), screening


def _replace_sessions(
    session: Session, row: models.Plan, plan: Plan, *, keep_before: date | None
) -> tuple[str, ...]:
    """Store ``plan``'s sessions, keeping the rows of sessions before ``keep_before``."""
    kept: dict[tuple[int, int, date], str] = {}
    for old in list(row.sessions):
        if keep_before is not None and (old.scheduled_on < keep_before or old.status != "planned"):
            kept[(old.week, old.day, old.scheduled_on)] = old.id
        else:
            row.sessions.remove(old)
    session.flush()
    ids = []
    for position, planned in enumerate(plan.sessions):
        key = (planned.week, planned.day, planned.scheduled_on)
        if key in kept:
            ids.append(kept.pop(key))
            continue
        session_row = models.PlannedSession(
            position=position,
            week=planned.week,
            day=planned.day,
            scheduled_on=planned.scheduled_on,
            title=planned.title,
            rationale=planned.rationale,
        )
        for index, segment in enumerate(planned.segments):
            session_row.segments.append(
                models.PlannedSegmentRow(
                    position=index,
                    kind=segment.kind.value,
                    direction=segment.direction.value,
                    duration_s=segment.duration_s,
                    environment=segment.environment.value,
                    support=segment.support.value,
                    speed_target_m_s=segment.speed_target_m_s,
                    speed_limit_m_s=segment.speed_limit_m_s,
                    grade_pct=segment.grade_pct,
                    cues=list(segment.cues),
                )
            )
        row.sessions.append(session_row)
        session.flush()
        ids.append(session_row.id)
    return tuple(ids)


def _stored(row: models.Plan) -> StoredPlan:
    plan = plan_from_dict(row.document)
    by_key = {(s.week, s.day, s.scheduled_on): s.id for s in row.sessions}
    ids = tuple(by_key[(s.week, s.day, s.scheduled_on)] for s in plan.sessions)
    return StoredPlan(id=row.id, plan=plan, session_ids=ids, status=row.status)


def current_plan(session: Session) -> StoredPlan | None:
    """The newest plan that is active or stopped (a stopped plan must still be shown)."""
    row = session.scalars(
        select(models.Plan)
        .where(models.Plan.status.in_(("active", "stopped")))
        .order_by(models.Plan.created_at.desc())
    ).first()
    return None if row is None else _stored(row)


def require_plan(session: Session) -> StoredPlan:
    """The current plan; a clear error when there is none."""
    stored = current_plan(session)
    if stored is None:
        raise NotFoundError("no plan yet: run 'retrowalk start' or 'retrowalk plan new'")
    return stored


def plan_changes(session: Session, plan_id: str) -> list[dict[str, Any]]:
    """Every change made to a plan, oldest first, as JSON-ready dicts."""
    rows = session.scalars(
        select(models.PlanChange)
        .where(models.PlanChange.plan_id == plan_id)
        .order_by(models.PlanChange.created_at)
    ).all()
    return [
        {
            "id": r.id,
            "created_at": r.created_at.isoformat(),
            "action": r.action,
            "rule_id": r.rule_id,
            "reason": r.reason,
            "source": r.source,
            "session_log_id": r.session_log_id,
        }
        for r in rows
    ]


def today(session: Session, on: date) -> TodayView:
    """Today's planned session, or the next one, with the reasons it is what it is."""
    stored = require_plan(session)
    plan = stored.plan
    reasons: list[str] = []
    changes = plan_changes(session, stored.id)
    if changes:
        reasons.append(f"Last change ({changes[-1]['action']}): {changes[-1]['reason']}")
    planned = plan.session_on(on)
    upcoming = planned or next((s for s in plan.sessions if s.scheduled_on > on), None)
    if upcoming is not None:
        reasons.insert(0, upcoming.rationale)
    reasons.extend(plan.explanation)
    if plan.stopped:
        reasons.insert(
            0,
            "Your plan is stopped: please see a health professional before walking backward again.",
        )
    return TodayView(
        plan_id=stored.id,
        on=on,
        session=upcoming,
        session_id=None if upcoming is None else stored.session_id(upcoming),
        is_today=planned is not None,
        reasons=tuple(dict.fromkeys(r for r in reasons if r)),
        stopped=plan.stopped,
    )


def outcome_for_log(log: models.SessionLog) -> SessionOutcome:
    """What the plan needs to know about a stored session log."""
    report = log.symptoms[-1] if log.symptoms else None
    rpe_borg: int | None = None
    rpe_cr10: float | None = None
    if report is not None and report.rpe is not None:
        if report.rpe_scale == "cr10":
            rpe_cr10 = report.rpe
        else:
            rpe_borg = round(report.rpe)
    completed = log.status == "completed" and all(s.completed for s in log.segments)
    return SessionOutcome(
        performed_on=log.started_at.date(),
        completed=completed,
        rpe_borg=rpe_borg,
        rpe_cr10=rpe_cr10,
        pain_0_10=None if report is None else report.pain_0_10,
        dizziness=bool(report and report.dizziness) or log.stop_reason == "dizziness",
        near_fall=bool(report and report.near_fall) or log.stop_reason == "near_fall",
        fall=bool(report and report.fall),
        chest_pain=bool(report and report.chest_pain),
        fainting=bool(report and report.fainting),
        form_steady=None if report is None else report.form_steady,
    )


def _outcomes(
    session: Session, profile_id: str, *, before: models.SessionLog | None = None
) -> Sequence[SessionOutcome]:
    query = (
        select(models.SessionLog)
        .where(models.SessionLog.profile_id == profile_id)
        .where(models.SessionLog.status.in_(COUNTED_LOG_STATUSES))
        .order_by(models.SessionLog.started_at)
    )
    if before is not None:
        query = query.where(models.SessionLog.started_at < before.started_at)
    return [outcome_for_log(log) for log in session.scalars(query)]


def record_outcome(session: Session, log: models.SessionLog) -> PlanChange | None:
    """Adapt the current plan after ``log`` and store the change with its reason.

    Returns ``None`` when there is no active plan or the log is not a walked session.
    """
    if log.status not in COUNTED_LOG_STATUSES or log.profile_id is None:
        return None
    row = session.scalars(
        select(models.Plan)
        .where(models.Plan.status == "active")
        .order_by(models.Plan.created_at.desc())
    ).first()
    if row is None:
        return None
    plan = plan_from_dict(row.document)
    outcome = outcome_for_log(log)
    history = [
        o for o in _outcomes(session, log.profile_id, before=log) if o.performed_on >= plan.start_on
    ]
    change = adapt(plan.state, outcome, history)
    new_plan = replan(plan, change, outcome.performed_on + timedelta(days=1))
    session.add(
        models.PlanChange(
            plan_id=row.id,
            session_log_id=log.id,
            action=change.action,
            rule_id=change.rule_id,
            reason=change.reason,
            source=change.source,
            details=change_to_dict(change),
            created_at=utcnow(),
        )
    )
    if log.planned_session_id is not None:
        planned = session.get(models.PlannedSession, log.planned_session_id)
        if planned is not None:
            planned.status = "done"
    row.document = plan_to_dict(new_plan)
    row.state = state_to_dict(new_plan.state)
    if new_plan.stopped:
        row.status = "stopped"
    session.flush()
    _replace_sessions(session, row, new_plan, keep_before=outcome.performed_on + timedelta(days=1))
    return change
