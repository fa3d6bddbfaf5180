"""Per-log facts for progress: stored with every write, derived for rows that lack them."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from sqlalchemy import select, update
from sqlalchemy.orm import selectinload

from retrowalk.services.backup import export_to, import_from
from retrowalk.services.database import Database, open_database
from retrowalk.services.guided import start_guided
from retrowalk.services.logfacts import FACTS_VERSION, derive_facts
from retrowalk.services.logs import RatingsInput, add_log, edit_log
from retrowalk.store import models
from tests.services.helpers import a_log, backward, forward, hours_ago, store_plan


def stored_facts(db: Database) -> dict[str, dict[str, object]]:
    """Every log's fact columns, and the facts derived afresh from its rows."""
    out: dict[str, dict[str, object]] = {}
    with db.factory() as session:
        logs = session.scalars(
            select(models.SessionLog).options(
                selectinload(models.SessionLog.segments), selectinload(models.SessionLog.symptoms)
            )
        ).all()
        for log in logs:
            fresh = derive_facts(log).columns()
            out[log.id] = {name: getattr(log, name) for name in fresh}
            assert out[log.id] == fresh, "stored facts differ from the log's rows"
    return out


def test_every_write_stores_the_facts_of_what_it_wrote(db: Database) -> None:
    with db.transaction() as session:
        store_plan(session)
        first = add_log(session, a_log(started_at=hours_ago(5)))
        second = add_log(
            session,
            a_log(
                started_at=hours_ago(3),
                segments=(
                    backward(90, speed_m_s=0.6, environment="treadmill", support="treadmill_rails"),
                    forward(30, speed_m_s=1.0, environment="treadmill", support="treadmill_rails"),
                ),
                ratings=RatingsInput(
                    rpe=4, rpe_scale="cr10", pain_0_10=3, pain_location="knee", dizziness=True
                ),
                status="stopped",
                stop_reason="dizziness",
            ),
        )
    facts = stored_facts(db)
    assert facts[first.id]["walked_s"] == 420.0
    assert facts[first.id]["backward_s"] == 120.0
    assert facts[second.id]["rpe_scale"] == "cr10"
    assert facts[second.id]["pain_location"] == "knee"
    assert facts[second.id]["events"] == 1  # dizziness
    assert facts[second.id]["kcal_central"] is not None
    with db.transaction() as session:
        edit_log(
            session,
            first.id,
            ratings=RatingsInput(rpe=15, pain_0_10=1, near_fall=True),
            segments=(backward(200),),
        )
        guided = start_guided(session, quick_spec="2x(1m back, 1m fwd)")
    facts = stored_facts(db)
    assert facts[first.id]["walked_s"] == 200.0
    assert facts[first.id]["rpe"] == 15.0
    assert facts[first.id]["events"] == 2  # near-fall
    assert facts[guided.log_id]["walked_s"] == 0.0
    assert all(f["facts_version"] == FACTS_VERSION for f in facts.values())


def test_logs_without_facts_get_them_when_the_database_is_opened(
    db: Database, tmp_path: Path
) -> None:
    with db.transaction() as session:
        store_plan(session)
        for hours in (30, 20, 10):
            add_log(session, a_log(started_at=hours_ago(hours)))
    expected = stored_facts(db)
    with db.transaction() as session:  # as a database written before migration 0005
        session.execute(update(models.SessionLog).values(facts_version=None, walked_s=None))
    reopened = open_database(db.engine.url.render_as_string(hide_password=False))
    try:
        assert stored_facts(reopened) == expected
    finally:
        reopened.dispose()


def test_exports_leave_facts_out_and_imports_derive_them(
    db: Database, make_db_url: Callable[[str], str], backend: str, tmp_path: Path
) -> None:
    with db.transaction() as session:
        store_plan(session)
        for hours in (30, 20):
            add_log(session, a_log(started_at=hours_ago(hours)))
    expected = stored_facts(db)
    path = tmp_path / "backup.json"
    export_to(db, path)
    assert "walked_s" not in path.read_text()
    target = open_database(make_db_url(backend))
    try:
        import_from(target, path)
        assert stored_facts(target) == expected
    finally:
        target.dispose()
