"""Plan use cases: make a plan from the stored profile, show it, say what is on today, and adapt
it after each logged session (storing every change with its reason)."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from retrowalk.errors import InvalidInputError, NotFoundError
from retrowalk.formatting import format_duration
from retrowalk.plans import (
    BalanceRisk,
    Plan,
    PlanChange,
    PlannedSession,
    ProfessionalClearanceRequiredError,
    ProgressionState,
    SessionOutcome,
    adapt,
    change_to_dict,
    generate_plan,
    plan_from_dict,
    plan_header_to_dict,
    plan_to_dict,
    replan,
    state_from_dict,
    state_to_dict,
    weeks_to_list,
)
from retrowalk.plans.replay import (
    CLEARANCE_RULE_ID,
    ClearanceEvent,
    describe_revision,
    replay,
    resume_change,
    start_plan,
)
from retrowalk.progress.completion import is_done
from retrowalk.screening import Clearance
from retrowalk.segments import PlannedSegment
from retrowalk.services.readiness import (
    StoredProfile,
    StoredScreening,
    balance_tests,
    require_profile,
    store_screening,
)
from retrowalk.store import models
from retrowalk.timeutil import utcnow
from retrowalk.vocabulary import (
    WALKED_STATUSES,
    Direction,
    Environment,
    RpeScale,
    SegmentKind,
    Support,
    Symptom,
)


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
    logged_today: dict[str, Any] | None = None

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
            "logged_today": self.logged_today,
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
        document=plan_header_to_dict(plan),
        schedule=weeks_to_list(plan.weeks),
    )
    session.add(row)
    session.flush()
    ids = _insert_sessions(session, row, plan)
    return StoredPlan(id=row.id, plan=plan, session_ids=ids, status=row.status), screening


def _segment_row(index: int, segment: PlannedSegment) -> models.PlannedSegmentRow:
    return models.PlannedSegmentRow(
        id=models.new_id(),
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


def _same_segments(rows: Sequence[models.PlannedSegmentRow], planned: PlannedSession) -> bool:
    if len(rows) != len(planned.segments):
        return False
    return all(
        (r.kind, r.direction, r.duration_s, r.environment, r.support)
        == (s.kind.value, s.direction.value, s.duration_s, s.environment.value, s.support.value)
        and (r.speed_target_m_s, r.speed_limit_m_s, r.grade_pct, list(r.cues))
        == (s.speed_target_m_s, s.speed_limit_m_s, s.grade_pct, list(s.cues))
        for r, s in zip(rows, planned.segments, strict=True)
    )


def _session_row(plan_id: str, position: int, planned: PlannedSession) -> models.PlannedSession:
    """A new planned-session row, with its segments and an id known before any flush."""
    row = models.PlannedSession(
        id=models.new_id(),
        plan_id=plan_id,
        week=planned.week,
        day=planned.day,
        scheduled_on=planned.scheduled_on,
        position=position,
        title=planned.title,
        rationale=planned.rationale,
        status="planned",
    )
    row.segments = [_segment_row(i, s) for i, s in enumerate(planned.segments)]
    return row


def _insert_sessions(session: Session, row: models.Plan, plan: Plan) -> tuple[str, ...]:
    """Store a new plan's sessions in one flush; return their ids in plan order."""
    rows = [_session_row(row.id, position, p) for position, p in enumerate(plan.sessions)]
    session.add_all(rows)
    session.flush()
    return tuple(r.id for r in rows)


def _stored(row: models.Plan) -> StoredPlan:
    plan = plan_of(row)
    by_key = {(s.week, s.day, s.scheduled_on): s.id for s in row.sessions}
    ids = tuple(by_key[(s.week, s.day, s.scheduled_on)] for s in plan.sessions)
    return StoredPlan(id=row.id, plan=plan, session_ids=ids, status=row.status)


def current_plan_row(session: Session) -> models.Plan | None:
    """The newest plan row that is active or stopped (a stopped plan must still be shown)."""
    return session.scalars(
        select(models.Plan)
        .where(models.Plan.status.in_(("active", "stopped")))
        .order_by(models.Plan.created_at.desc())
    ).first()


def current_plan(session: Session) -> StoredPlan | None:
    """The newest plan that is active or stopped (a stopped plan must still be shown)."""
    row = current_plan_row(session)
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


def today(session: Session, on: date, *, tz: tzinfo = UTC) -> TodayView:
    """Today's planned session, or the next one, with the reasons it is what it is.

    A session already logged (done or partly done, :mod:`retrowalk.services.completion`) is not
    offered again: today's logged session is reported in ``logged_today`` and the view moves on
    to the next one. ``tz`` is the walker's time zone (logs count on their local day).
    """
    from retrowalk.progress.completion import SessionState
    from retrowalk.services.completion import planned_session_statuses

    stored = require_plan(session)
    plan = stored.plan
    states = {
        s.session_id: s
        for s in planned_session_statuses(session, today=on, tz=tz, plan_id=stored.id)
    }

    def logged(planned: PlannedSession) -> bool:
        state = states.get(stored.session_id(planned))
        return state is not None and state.state in (SessionState.DONE, SessionState.PARTLY_DONE)

    reasons: list[str] = []
    planned = plan.session_on(on)
    logged_today = None
    if planned is not None and logged(planned):
        logged_today = states[stored.session_id(planned)]
        planned = None
    upcoming = planned or next(
        (s for s in plan.sessions if s.scheduled_on > on and not logged(s)), None
    )
    if upcoming is not None:
        reasons.insert(0, upcoming.rationale)
    if logged_today is not None:
        reasons.insert(
            0,
            f"Today's session is logged: {logged_today.state.label.lower()} "
            f"({format_duration(logged_today.walked_backward_s)} of "
            f"{format_duration(logged_today.planned_backward_s)} backward).",
        )
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
        logged_today=None if logged_today is None else logged_today.to_dict(),
    )


def outcome_for_log(log: models.SessionLog) -> SessionOutcome:
    """What the plan needs to know about a stored session log."""
    report = log.symptoms[-1] if log.symptoms else None
    rpe_borg: int | None = None
    rpe_cr10: float | None = None
    if report is not None and report.rpe is not None:
        if report.rpe_scale == RpeScale.CR10:
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
    session: Session,
    profile_id: str,
    *,
    before: models.SessionLog | None = None,
    since: date | None = None,
) -> Sequence[SessionOutcome]:
    query = (
        select(models.SessionLog)
        .where(models.SessionLog.profile_id == profile_id)
        .where(models.SessionLog.status.in_(WALKED_STATUSES))
        .order_by(models.SessionLog.started_at)
        .options(selectinload(models.SessionLog.segments), selectinload(models.SessionLog.symptoms))
    )
    if since is not None:
        # A day's margin either side: performed_on is the UTC date of started_at.
        query = query.where(
            models.SessionLog.started_at
            >= datetime.combine(since, time.min, UTC) - timedelta(days=1)
        )
    if before is not None:
        query = query.where(models.SessionLog.started_at < before.started_at)
    return [outcome_for_log(log) for log in session.scalars(query)]


def _history(
    session: Session, log: models.SessionLog, outcome: SessionOutcome, since: date
) -> list[SessionOutcome]:
    """What :func:`~retrowalk.plans.adapt` needs from the plan's earlier sessions.

    ``adapt`` reads two things from history: the most recent earlier pain rating, and, only when
    this session had dizziness, whether dizziness happened before. Two small queries give both,
    instead of loading every log.
    """
    log_, report = models.SessionLog, models.SymptomReport
    earlier = (
        (log_.profile_id == log.profile_id)
        & log_.status.in_(WALKED_STATUSES)
        & (log_.started_at < log.started_at)
        & (log_.started_at >= datetime.combine(since, time.min, UTC))
        & (log_.id != log.id)
    )
    history: list[SessionOutcome] = []
    if outcome.dizziness:
        dizzy = session.scalars(
            select(log_.started_at)
            .outerjoin(report)
            .where(earlier)
            .where(report.dizziness.is_(True) | (log_.stop_reason == Symptom.DIZZINESS))
            .limit(1)
        ).first()
        if dizzy is not None:
            history.append(
                SessionOutcome(performed_on=dizzy.date(), completed=False, dizziness=True)
            )
    pain = session.execute(
        select(log_.started_at, report.pain_0_10)
        .join(report)
        .where(earlier)
        .where(report.pain_0_10.is_not(None))
        .order_by(log_.started_at.desc(), report.recorded_at.desc())
        .limit(1)
    ).first()
    if pain is not None:
        history.append(
            SessionOutcome(
                performed_on=pain.started_at.date(), completed=True, pain_0_10=pain.pain_0_10
            )
        )
    return history


def _sync_sessions(
    session: Session, plan_id: str, old: Plan, new: Plan, *, keep_before: date
) -> None:
    """Write only the planned sessions that ``new`` changed (by week, day and date)."""
    before = set(old.sessions)
    changed = [s for s in new.sessions if s not in before]
    new_keys = {(s.week, s.day, s.scheduled_on) for s in new.sessions}
    gone = [s for s in old.sessions if (s.week, s.day, s.scheduled_on) not in new_keys]
    if not changed and not gone:
        return
    dates = {s.scheduled_on for s in (*changed, *gone)}
    rows = session.scalars(
        select(models.PlannedSession)
        .where(models.PlannedSession.plan_id == plan_id)
        .where(models.PlannedSession.scheduled_on.in_(dates))
        .options(selectinload(models.PlannedSession.segments))
    ).all()
    by_key = {(r.week, r.day, r.scheduled_on): r for r in rows}
    positions = {(s.week, s.day, s.scheduled_on): i for i, s in enumerate(new.sessions)}

    def frozen(existing: models.PlannedSession) -> bool:
        return existing.scheduled_on < keep_before or existing.status != "planned"

    for planned in changed:
        key = (planned.week, planned.day, planned.scheduled_on)
        existing = by_key.get(key)
        if existing is None:
            session.add(_session_row(plan_id, positions[key], planned))
        elif not frozen(existing):
            existing.position = positions[key]
            existing.title = planned.title
            existing.rationale = planned.rationale
            if not _same_segments(existing.segments, planned):
                existing.segments = [_segment_row(i, s) for i, s in enumerate(planned.segments)]
    for planned in gone:
        existing = by_key.get((planned.week, planned.day, planned.scheduled_on))
        if existing is not None and not frozen(existing):
            session.delete(existing)


def plan_of(row: models.Plan) -> Plan:
    """The plan of a stored row."""
    document = row.document
    if row.schedule is not None:  # rows written before migration 0004 hold their weeks
        document = {**document, "weeks": row.schedule}
    return plan_from_dict(document)


def record_outcome(session: Session, log: models.SessionLog) -> PlanChange | None:
    """Adapt the current plan after ``log`` and store the change with its reason.

    Returns ``None`` when there is no active plan or the log is not a walked session.
    """
    if log.status not in WALKED_STATUSES or log.profile_id is None:
        return None
    row = session.scalars(
        select(models.Plan)
        .where(models.Plan.status == "active")
        .order_by(models.Plan.created_at.desc())
    ).first()
    if row is None:
        return None
    plan = plan_of(row)
    outcome = outcome_for_log(log)
    change = adapt(plan.state, outcome, _history(session, log, outcome, plan.start_on))
    keep_before = outcome.performed_on + timedelta(days=1)
    new_plan = replan(plan, change, keep_before)
    session.add(_change_row(row.id, log.id, change))
    if log.planned_session_id is not None:
        planned = session.get(models.PlannedSession, log.planned_session_id)
        walked_s = sum(s.duration_s for s in log.segments if s.direction == "backward")
        planned_s = (
            0.0
            if planned is None
            else sum(s.duration_s for s in planned.segments if s.direction == "backward")
        )
        if planned is not None and is_done(planned_s, walked_s):  # mostly walked (issue 13)
            planned.status = "done"
    if new_plan != plan:  # a hold that changes nothing leaves the plan (and its token) alone
        row.document = plan_header_to_dict(new_plan)
        row.state = state_to_dict(new_plan.state)
        row.revision = models.new_id()
        row.schedule = weeks_to_list(new_plan.weeks)
        if new_plan.stopped:
            row.status = "stopped"
        _sync_sessions(session, row.id, plan, new_plan, keep_before=keep_before)
    session.flush()
    return change


# -- revising the plan after an edit or deletion, and resuming after a stop ---------------------

#: Rule ids of the records a revision stores (not adaptations to a session: never replayed).
REVISION_RULE_ID = "replay.logs_changed"
#: What the walker agrees to with ``retrowalk plan resume --seen-professional``.
SEEN_PROFESSIONAL_TEXT = (
    "I have seen a health professional about what stopped my plan, and they agreed that I can "
    "go on walking backward."
)


@dataclass(frozen=True)
class PlanRevision:
    """What editing, deleting or a clearance did to the plan (for the CLI and the web).

    Attributes
    ----------
    plan_id
        The plan revised.
    changed
        Whether the plan's state or sessions changed.
    was_stopped, stopped
        Whether the plan was stopped before, and is now.
    message
        One plain sentence for the walker.
    """

    plan_id: str
    changed: bool
    was_stopped: bool
    stopped: bool
    message: str

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready."""
        return dataclasses.asdict(self)


def _change_rows(session: Session, plan_id: str) -> list[models.PlanChange]:
    return list(
        session.scalars(
            select(models.PlanChange)
            .where(models.PlanChange.plan_id == plan_id)
            .order_by(models.PlanChange.created_at)
        )
    )


def _start_state(row: models.Plan, changes: Sequence[models.PlanChange]) -> ProgressionState:
    """The state the plan was made with: the oldest change's ``before`` (or the row's state)."""
    for change in changes:
        details = change.details or {}
        if "start_state" in details:
            return state_from_dict(details["start_state"])
        if "before" in details:
            return state_from_dict(details["before"])
    return state_from_dict(row.state)


def _is_clearance(change: models.PlanChange) -> bool:
    return change.rule_id == CLEARANCE_RULE_ID


def _events(
    session: Session, changes: Sequence[models.PlanChange], extra_log_id: str | None
) -> list[tuple[str | None, SessionOutcome | ClearanceEvent]]:
    """The plan's remaining logged sessions (with their log ids) and recorded clearances, in
    time order."""
    log_ids = {
        c.session_log_id
        for c in changes
        if c.session_log_id is not None and not c.rule_id.startswith("replay.")
    }
    if extra_log_id is not None:
        log_ids.add(extra_log_id)
    logs = session.scalars(
        select(models.SessionLog)
        .where(models.SessionLog.id.in_(log_ids))
        .where(models.SessionLog.status.in_(WALKED_STATUSES))
        .options(selectinload(models.SessionLog.segments), selectinload(models.SessionLog.symptoms))
    ).all()
    timed: list[tuple[datetime, str | None, SessionOutcome | ClearanceEvent]] = [
        (log.started_at, log.id, outcome_for_log(log)) for log in logs
    ]
    for change in changes:
        if _is_clearance(change):
            details = change.details or {}
            clearance = ClearanceEvent(
                on=date.fromisoformat(details["performed_on"]),
                text=str(details.get("acknowledgement_text", "")),
            )
            timed.append((change.created_at, None, clearance))
    timed.sort(key=lambda item: _aware(item[0]))
    return [(log_id, event) for _, log_id, event in timed]


def _latest_by_log(changes: Sequence[models.PlanChange]) -> dict[str, models.PlanChange]:
    latest: dict[str, models.PlanChange] = {}
    for change in changes:  # oldest first
        if change.session_log_id is not None and not change.rule_id.startswith("replay."):
            latest[change.session_log_id] = change
    return latest


def _change_row(
    plan_id: str,
    log_id: str | None,
    change: PlanChange,
    *,
    extra: dict[str, Any] | None = None,
    created_at: datetime | None = None,
) -> models.PlanChange:
    """A stored plan change (``extra``: more details, e.g. a clearance's acknowledgement)."""
    return models.PlanChange(
        plan_id=plan_id,
        session_log_id=log_id,
        action=change.action,
        rule_id=change.rule_id,
        reason=change.reason,
        source=change.source,
        details={**change_to_dict(change), **(extra or {})},
        created_at=created_at or utcnow(),
    )


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _store_plan(
    session: Session, row: models.Plan, old: Plan, new: Plan, keep_before: date
) -> None:
    row.document = plan_header_to_dict(new)
    row.state = state_to_dict(new.state)
    row.revision = models.new_id()
    row.schedule = weeks_to_list(new.weeks)
    row.status = "stopped" if new.stopped else "active"
    _sync_sessions(session, row.id, old, new, keep_before=keep_before)


def revise_plan(session: Session, *, log_id: str | None = None, cause: str) -> PlanRevision | None:
    """Make the current plan what its remaining logged sessions give, and say what changed.

    Replays the plan's adaptation from its start state over every walked session it adapted to
    (that still exists, as it is now) and every recorded clearance, in time order. Call it after
    a log was edited or deleted, in the same unit of work.

    Parameters
    ----------
    log_id
        A log to include even if the plan never adapted to it (the edited log).
    cause
        Plain words for the stored record, e.g. ``"a session was deleted"``.

    Returns
    -------
    PlanRevision | None
        ``None`` when there is no current plan.
    """
    row = current_plan_row(session)
    if row is None:
        return None
    old = plan_of(row)
    changes = _change_rows(session, row.id)
    start = _start_state(row, changes)
    events = _events(session, changes, log_id)
    new, made = replay(start_plan(old, start), [event for _, event in events])
    changed = new.state != old.state or new.weeks != old.weeks or new.stopped != old.stopped
    message = describe_revision(old, new)
    if changed:
        today_ = utcnow().date()
        _store_plan(session, row, old, new, keep_before=today_)
        # Each session whose adaptation now differs gets its new change (shown with the log).
        latest = _latest_by_log(changes)
        for (event_log_id, _event), change in zip(events, made, strict=True):
            if event_log_id is None or change is None:
                continue
            stored = latest.get(event_log_id)
            if stored is None or stored.details != change_to_dict(change):
                session.add(_change_row(row.id, event_log_id, change))
        session.add(
            models.PlanChange(
                plan_id=row.id,
                action="hold",  # the stored actions are progress/hold/regress/stop
                rule_id=REVISION_RULE_ID,
                reason=f"Revised because {cause}: {message}",
                source="The plan's adaptation replayed over the sessions still logged.",
                details={
                    "start_state": state_to_dict(start),
                    "before": state_to_dict(old.state),
                    "after": state_to_dict(new.state),
                    "performed_on": today_.isoformat(),
                },
                created_at=utcnow(),
            )
        )
    session.flush()
    return PlanRevision(
        plan_id=row.id,
        changed=changed,
        was_stopped=old.stopped,
        stopped=new.stopped,
        message=message,
    )


def resume_plan(session: Session, *, acknowledgement: str = SEEN_PROFESSIONAL_TEXT) -> PlanRevision:
    """Record "I have seen a health professional" and let a stopped plan continue, regressed.

    The acknowledgement is stored with its time (a plan change with rule id
    :data:`~retrowalk.plans.replay.CLEARANCE_RULE_ID`); the plan continues from today at the
    supported start (support and someone with you required, indoors).

    Raises
    ------
    retrowalk.errors.NotFoundError
        When there is no plan.
    retrowalk.errors.InvalidInputError
        When the plan is not stopped, or the acknowledgement is empty.
    """
    row = current_plan_row(session)
    if row is None:
        raise NotFoundError("no plan yet: run 'retrowalk start' or 'retrowalk plan new'")
    if not acknowledgement.strip():
        raise InvalidInputError("acknowledgement", acknowledgement, "the words you agree to")
    old = plan_of(row)
    if not old.stopped:
        raise InvalidInputError(
            "plan", "not stopped", "a stopped plan: yours is not stopped, nothing to resume"
        )
    changes = _change_rows(session, row.id)
    now = utcnow()
    change = resume_change(old.state, now.date())
    new = replan(old, change, now.date())
    _store_plan(session, row, old, new, keep_before=now.date())
    extra = {
        "start_state": state_to_dict(_start_state(row, changes)),
        "acknowledgement_text": acknowledgement,
        "acknowledged_at": now.isoformat(),
    }
    session.add(_change_row(row.id, None, change, extra=extra, created_at=now))
    session.flush()
    return PlanRevision(
        plan_id=row.id,
        changed=True,
        was_stopped=True,
        stopped=False,
        message=(
            "Recorded that a health professional has seen you. Your plan continues from the "
            f"supported start: {format_duration(new.state.backward_total_s)} of backward walking "
            "per session, with support and someone with you, indoors."
        ),
    )


def planned_segments(row: models.PlannedSession) -> tuple[PlannedSegment, ...]:
    """A stored planned session's parts, in order."""
    return tuple(
        PlannedSegment(
            kind=SegmentKind(s.kind),
            direction=Direction(s.direction),
            duration_s=s.duration_s,
            environment=Environment(s.environment),
            support=Support(s.support),
            speed_target_m_s=s.speed_target_m_s,
            speed_limit_m_s=s.speed_limit_m_s,
            grade_pct=s.grade_pct,
            cues=tuple(str(c) for c in s.cues),
        )
        for s in row.segments
    )
