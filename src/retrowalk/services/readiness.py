"""Profile, screening and balance-test use cases: validate, decide, store, read back."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from retrowalk.assessments import (
    compare,
    interpret,
    population_for,
    score_trials,
    validate_trial_time,
)
from retrowalk.assessments.results import PROTOCOL_ID, BalanceTest
from retrowalk.errors import InvalidInputError, NotFoundError
from retrowalk.profile import Profile, parse_profile
from retrowalk.screening import ScreeningResult, screen
from retrowalk.store import models
from retrowalk.timeutil import ensure_utc, utcnow

ASSESSMENT_3MBWT = "3mbwt"


@dataclass(frozen=True)
class StoredProfile:
    """The person's profile with its database id."""

    id: str
    profile: Profile


@dataclass(frozen=True)
class StoredScreening:
    """A stored screening outcome."""

    id: str
    result: ScreeningResult
    created_at: datetime
    acknowledged_at: datetime | None


def save_profile(session: Session, profile: Profile) -> StoredProfile:
    """Store ``profile`` as the person's profile (RetroWalk keeps one person per database)."""
    data = profile.model_dump(mode="json")
    row = session.scalars(select(models.Profile).order_by(models.Profile.created_at)).first()
    if row is None:
        row = models.Profile(data=data)
        session.add(row)
    else:
        row.data = data
        row.updated_at = utcnow()
    session.flush()
    return StoredProfile(id=row.id, profile=profile)


def load_profile_data(data: Mapping[str, object]) -> Profile:
    """Validate profile JSON (raises :class:`InvalidInputError` naming the field)."""
    return parse_profile(data)


def current_profile(session: Session) -> StoredProfile | None:
    """The stored profile, or ``None`` before onboarding."""
    row = session.scalars(select(models.Profile).order_by(models.Profile.created_at)).first()
    if row is None:
        return None
    return StoredProfile(id=row.id, profile=parse_profile(row.data))


def require_profile(session: Session) -> StoredProfile:
    """The stored profile; a clear error before onboarding."""
    stored = current_profile(session)
    if stored is None:
        raise NotFoundError(
            "no profile yet: run 'retrowalk start' or 'retrowalk plan new --profile FILE'"
        )
    return stored


def store_screening(
    session: Session, profile: StoredProfile, *, acknowledgement: str | None = None
) -> StoredScreening:
    """Screen ``profile``, store the outcome (and an acknowledgement if one was given)."""
    result = screen(profile.profile)
    now = utcnow()
    row = models.ScreeningResult(
        profile_id=profile.id,
        clearance=result.clearance.value,
        reasons=[reason.to_dict() for reason in result.reasons],
        answers=profile.profile.model_dump(mode="json"),
        rules_version=result.rules_version,
        acknowledged_at=now if acknowledgement else None,
        acknowledgement_text=acknowledgement,
        created_at=now,
    )
    session.add(row)
    session.flush()
    return StoredScreening(
        id=row.id, result=result, created_at=row.created_at, acknowledged_at=row.acknowledged_at
    )


def latest_screening(session: Session, profile_id: str) -> models.ScreeningResult | None:
    """The newest stored screening row for the profile."""
    return session.scalars(
        select(models.ScreeningResult)
        .where(models.ScreeningResult.profile_id == profile_id)
        .order_by(models.ScreeningResult.created_at.desc())
    ).first()


def record_balance_test(
    session: Session,
    profile: StoredProfile,
    trials_s: Sequence[float],
    *,
    performed_at: datetime | None = None,
    notes: str = "",
) -> BalanceTest:
    """Store a 3MBWT result (timed trials, practice excluded) with its reading."""
    if not trials_s:
        raise InvalidInputError("trials_s", [], "at least one timed trial in seconds")
    trials = tuple(validate_trial_time(t, field=f"trials_s[{i}]") for i, t in enumerate(trials_s))
    when = ensure_utc(performed_at, "performed_at") if performed_at is not None else utcnow()
    if when > utcnow():
        raise InvalidInputError(
            "performed_at", when.isoformat(), "a time that is not in the future"
        )
    previous = balance_tests(session, profile)
    score = score_trials(trials)
    row = models.AssessmentResult(
        profile_id=profile.id,
        kind=ASSESSMENT_3MBWT,
        protocol=PROTOCOL_ID,
        values={"trials_s": list(trials), "score_s": score},
        performed_at=when,
        notes=notes,
    )
    session.add(row)
    session.flush()
    population = population_for(profile.profile)
    earlier = [t for t in previous if t.performed_at <= when]
    change = compare(earlier[-1].score_s, score, population) if earlier else None
    return BalanceTest(
        id=row.id,
        performed_at=when,
        trials_s=trials,
        score_s=score,
        interpretation=interpret(score, population),
        change=change,
    )


def balance_tests(session: Session, profile: StoredProfile) -> list[BalanceTest]:
    """Every stored 3MBWT result, oldest first, each compared with the one before."""
    rows = session.scalars(
        select(models.AssessmentResult)
        .where(models.AssessmentResult.kind == ASSESSMENT_3MBWT)
        .order_by(models.AssessmentResult.performed_at)
    ).all()
    population = population_for(profile.profile)
    out: list[BalanceTest] = []
    for row in rows:
        score = float(row.values["score_s"])
        change = compare(out[-1].score_s, score, population) if out else None
        out.append(
            BalanceTest(
                id=row.id,
                performed_at=row.performed_at,
                trials_s=tuple(float(t) for t in row.values.get("trials_s", [score])),
                score_s=score,
                interpretation=interpret(score, population),
                change=change,
            )
        )
    return out
