"""Logging use cases: validation names the field and stores nothing; energy; plan feedback."""

from __future__ import annotations

import dataclasses
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from retrowalk.errors import InvalidInputError, NotFoundError
from retrowalk.services.database import Database
from retrowalk.services.logs import (
    UNSET,
    LogInput,
    RatingsInput,
    add_log,
    check_log_input,
    delete_log,
    edit_log,
    get_log,
    list_logs,
)
from retrowalk.store import models
from tests.services.helpers import (
    a_log,
    backward,
    forward,
    hours_ago,
    store_plan,
    store_profile,
)


def counts(db: Database) -> dict[str, int]:
    with db.factory() as session:
        return {
            model.__tablename__: int(session.scalar(select(func.count()).select_from(model)) or 0)
            for model in (
                models.SessionLog,
                models.SessionSegment,
                models.SymptomReport,
                models.PlanChange,
            )
        }


INVALID: list[Any] = [
    pytest.param({"ratings": RatingsInput(rpe=25)}, "rpe", "6 to 20", id="rpe-25"),
    pytest.param({"ratings": RatingsInput(rpe=12.5)}, "rpe", "whole number", id="rpe-half"),
    pytest.param({"ratings": RatingsInput(rpe=11, rpe_scale="cr10")}, "rpe", "CR10", id="cr10-11"),
    pytest.param({"ratings": RatingsInput(rpe_scale="rate")}, "rpe_scale", "cr10", id="scale"),
    pytest.param({"ratings": RatingsInput(pain_0_10=-1)}, "pain_0_10", "0 to 10", id="pain-1"),
    pytest.param({"ratings": RatingsInput(pain_0_10=11)}, "pain_0_10", "0 to 10", id="pain11"),
    pytest.param(
        {"duration_s": 300.0, "segments": (backward(60), backward(400))},
        "segments[1].duration_s",
        "session's length",
        id="segment-longer-than-session",
    ),
    pytest.param(
        {"duration_s": 300.0, "segments": (backward(200), forward(200))},
        "segments",
        "at most the session's length",
        id="segments-add-up-to-more",
    ),
    pytest.param(
        {"started_at": hours_ago(-1)}, "started_at", "not in the future", id="future-date"
    ),
    pytest.param({"segments": ()}, "segments", "at least one", id="no-segments"),
    pytest.param({"segments": (backward(-5),)}, "segments[0].duration_s", "above 0", id="negative"),
    pytest.param(
        {"segments": (backward(60, direction="sideways"),)},
        "segments[0].direction",
        "backward",
        id="direction",
    ),
    pytest.param(
        {"segments": (backward(60, speed_m_s=9.0),)},
        "segments[0].speed_m_s",
        "3.5 m/s",
        id="speed",
    ),
    pytest.param({"status": "done"}, "status", "stopped", id="status"),
    pytest.param({"stop_reason": "pain"}, "stop_reason", "stopped", id="reason-not-stopped"),
    pytest.param(
        {"status": "stopped", "stop_reason": "bored"}, "stop_reason", "tired", id="reason"
    ),
    pytest.param({"planned_session_id": "nope"}, "planned_session_id", "planned", id="plan-id"),
]


@pytest.mark.parametrize(("changes", "field", "words"), INVALID)
def test_invalid_input_names_the_field_and_stores_nothing(
    db: Database, changes: dict[str, Any], field: str, words: str
) -> None:
    with db.transaction() as session:
        store_plan(session)
    before = counts(db)
    with pytest.raises(InvalidInputError) as caught, db.transaction() as session:
        add_log(session, a_log(**changes))
    assert caught.value.field == field
    assert words in caught.value.accepted
    assert counts(db) == before


def test_naive_start_is_refused() -> None:
    with pytest.raises(InvalidInputError, match="started_at"):
        check_log_input(a_log(started_at=hours_ago(1).replace(tzinfo=None)))


def test_log_stores_energy_with_range_and_ratings(db: Database) -> None:
    with db.transaction() as session:
        store_profile(session)
        view = add_log(
            session,
            a_log(
                segments=(backward(120, speed_m_s=0.6, environment="treadmill"), forward(60)),
                ratings=RatingsInput(rpe=13, pain_0_10=2, pain_location="left knee"),
            ),
        )
    with db.factory() as session:
        row = session.get(models.SessionLog, view.id)
        assert row is not None
        assert row.status == "completed"
        assert row.symptoms[0].pain_location == "left knee"
        costed, uncosted = row.segments
        assert costed.energy is not None
        kcal = costed.energy["energy_kcal"]
        assert 0 < kcal["low"] < kcal["central"] < kcal["high"]
        # Overground without a speed (issue 13): costed over an assumed speed range, marked so,
        # with a wider range than the same segment at a known speed, and never 0.
        assert uncosted.energy is not None
        assert uncosted.energy["speed_source"] == "assumed"
        assumed = uncosted.energy["energy_kcal"]
        assert 0 < assumed["low"] < assumed["central"] < assumed["high"]
        assert uncosted.energy["mets"] is None  # effort is not judged from an assumed speed
        assert row.energy is not None
        assert row.energy["energy_kcal"]["low"] > 0
        assert row.energy["speed_source"] == "assumed"
        assert "Assumed speed" in row.energy["speed_note"]
        assert "limited evidence" in row.energy["speed_note"]
        assert row.energy["reason"] is None
        assert row.energy["mass_kg"] == 76.0
    data = view.to_dict()
    assert data["ratings"]["rpe"] == 13
    assert data["segments"][0]["energy"]["energy_kcal"]["central"] > 0
    assert data["duration_s"] == 180


def test_session_total_when_every_segment_has_a_speed(db: Database) -> None:
    with db.transaction() as session:
        store_profile(session)
        view = add_log(
            session,
            a_log(
                segments=(
                    forward(60, speed_m_s=1.0, environment="treadmill", support="treadmill_rails"),
                    backward(60, speed_m_s=0.5, environment="treadmill", support="treadmill_rails"),
                )
            ),
        )
    total = view.energy["energy_kcal"]
    parts = [s.energy["energy_kcal"] for s in view.segments if s.energy]
    assert total["central"] == pytest.approx(sum(p["central"] for p in parts))
    assert total["low"] < total["central"] < total["high"]


def test_without_profile_no_energy_and_says_why(db: Database) -> None:
    with db.transaction() as session:
        view = add_log(session, a_log())
    assert view.energy["energy_kcal"] is None
    assert "no profile" in view.energy["reason"]
    assert view.plan_change is None


def test_duplicate_start_is_refused(db: Database) -> None:
    data = a_log()
    with db.transaction() as session:
        store_profile(session)
        add_log(session, data)
    with pytest.raises(InvalidInputError) as caught, db.transaction() as session:
        add_log(session, data)
    assert caught.value.field == "started_at"
    assert "already logged" in caught.value.accepted


def test_log_with_pain_5_regresses_the_plan_with_its_reason(db: Database) -> None:
    with db.transaction() as session:
        plan = store_plan(session)
        view = add_log(
            session,
            a_log(
                planned_session_id=plan.session_ids[0],
                ratings=RatingsInput(rpe=12, pain_0_10=5, pain_location="right knee"),
            ),
        )
    assert view.plan_change is not None
    assert view.plan_change.action == "regress"
    assert "5/10" in view.plan_change.reason
    with db.factory() as session:
        change = session.scalars(select(models.PlanChange)).one()
        assert change.session_log_id == view.id
        assert change.action == "regress"
        assert change.reason == view.plan_change.reason
        planned = session.get(models.PlannedSession, plan.session_ids[0])
        assert planned is not None
        # 2 min backward of more planned: not "mostly walked", so not marked done (issue 13)
        assert plan.plan.sessions[0].backward_s > 120 / 0.8
        assert planned.status == "planned"


def test_good_log_feeds_the_plan(db: Database) -> None:
    with db.transaction() as session:
        store_plan(session)
        view = add_log(session, a_log())
    assert view.plan_change is not None
    assert view.plan_change.action in ("progress", "hold")
    assert view.plan_change.reason


def test_edit_recomputes_and_validates(db: Database) -> None:
    with db.transaction() as session:
        store_profile(session)
        view = add_log(session, a_log())
    with db.transaction() as session:
        edited = edit_log(
            session,
            view.id[:8],
            segments=(backward(300, speed_m_s=0.5, environment="treadmill"),),
            notes="treadmill after all",
        )
    assert edited.notes == "treadmill after all"
    assert edited.duration_s == 300
    assert edited.energy["energy_kcal"]["central"] > 0
    assert edited.ratings == view.ratings
    with pytest.raises(InvalidInputError) as caught, db.transaction() as session:
        edit_log(session, view.id, ratings=RatingsInput(rpe=25))
    assert caught.value.field == "rpe"
    with db.factory() as session:
        assert get_log(session, view.id).notes == "treadmill after all"


def test_edit_adding_pain_regresses_but_plain_edits_do_not_adapt_again(db: Database) -> None:
    with db.transaction() as session:
        store_plan(session)
        view = add_log(session, a_log())
    with db.transaction() as session:
        plain = edit_log(session, view.id, notes="nice")
    assert plain.plan_note is not None
    assert counts(db)["plan_changes"] == 1
    with db.transaction() as session:
        painful = edit_log(session, view.id, ratings=RatingsInput(rpe=12, pain_0_10=6))
    assert painful.plan_change is not None
    assert painful.plan_change.action == "regress"
    assert painful.plan_note is not None  # what the replay changed, in plain words
    # the replayed change for this log, and the record of the revision
    assert counts(db)["plan_changes"] == 3


def test_edit_keeps_unset_fields(db: Database) -> None:
    with db.transaction() as session:
        view = add_log(session, a_log(notes="first"))
        edited = edit_log(session, view.id, ratings=UNSET, started_at=view.started_at)
    assert edited.notes == "first"
    assert edited.started_at == view.started_at


def test_delete_and_prefixes(db: Database) -> None:
    with db.transaction() as session:
        store_plan(session)
        first = add_log(session, a_log(started_at=hours_ago(30)))
        second = add_log(session, a_log(started_at=hours_ago(3)))
    with db.factory() as session:
        assert [v.id for v in list_logs(session)] == [second.id, first.id]
        assert [v.id for v in list_logs(session, limit=1)] == [second.id]
        assert get_log(session, first.id[:6]).id == first.id
        with pytest.raises(NotFoundError, match="at least 6"):
            get_log(session, first.id[:5])
        with pytest.raises(NotFoundError, match="matches nothing"):
            get_log(session, "ffffffffff")
    with db.transaction() as session:
        delete_log(session, first.id[:8])
    with db.factory() as session:
        assert [v.id for v in list_logs(session)] == [second.id]
        changes = session.scalars(select(models.PlanChange)).all()
        assert len(changes) >= 2  # the plan's history stays (with the revision's record)
    assert counts(db)["session_segments"] == len(second.segments)
    with pytest.raises(NotFoundError), db.transaction() as session:
        delete_log(session, first.id)


def test_stopped_log_with_reason(db: Database) -> None:
    with db.transaction() as session:
        store_plan(session)
        view = add_log(
            session,
            a_log(
                status="stopped",
                stop_reason="dizziness",
                segments=(backward(40, completed=False),),
                ratings=None,
            ),
        )
    assert view.status == "stopped"
    assert view.stop_reason == "dizziness"
    assert view.plan_change is not None
    assert view.plan_change.action in ("regress", "stop")


def test_check_log_input_normalises() -> None:
    data = check_log_input(
        dataclasses.replace(a_log(), started_at=hours_ago(1).astimezone()), now=None
    )
    assert data.started_at.utcoffset() == timedelta(0)
    assert isinstance(data, LogInput)


def test_symptoms_are_every_flag_and_the_stop_reason() -> None:
    from retrowalk.services.logs import reported_symptoms, symptoms_text
    from retrowalk.vocabulary import Symptom

    assert reported_symptoms(None, "dizziness") == (Symptom.DIZZINESS,)
    ratings = RatingsInput(pain_0_10=5, pain_location="right knee", fall=True, fainting=True)
    assert reported_symptoms(ratings, "near_fall") == (
        Symptom.NEAR_FALL,
        Symptom.FALL,
        Symptom.FAINTING,
    )
    assert symptoms_text(ratings) == "A fall, Fainting or nearly fainting; pain 5/10 (right knee)"
    assert symptoms_text(RatingsInput(pain_0_10=0)) == "pain 0/10"
    assert symptoms_text(None) == "none reported"
