"""Importing walks as logs: plan matching, energy by direction, duplicates, errors, exports."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from retrowalk.activities.calendar import parse_calendar
from retrowalk.activities.workout import decode_workout
from retrowalk.errors import ImportFileError, NotFoundError
from retrowalk.plans import Plan
from retrowalk.services.activities import (
    ImportOptions,
    find_duplicates,
    get_imported,
    import_file,
    set_lap_directions,
)
from retrowalk.services.database import Database
from retrowalk.services.logs import LogInput, add_log, list_logs
from retrowalk.services.plan_exports import (
    CalendarSettings,
    calendar_by_token,
    new_calendar_token,
    plan_ics,
    save_calendar_settings,
    workout_file,
)
from retrowalk.store import models
from tests.activities.builders import ACTIVITY_FILES, LapSpec, fit_activity, gpx_track
from tests.services.helpers import backward, forward, store_plan

UTC_OPTIONS = ImportOptions(tz=UTC)


@pytest.fixture
def stored_plan(sqlite_db: Database) -> tuple[Plan, tuple[str, ...]]:
    """A real 4-week plan (healthy walker persona) that started 14 days ago."""
    with sqlite_db.transaction() as session:
        stored = store_plan(session, start_on=datetime.now(UTC).date() - timedelta(days=14))
    return stored.plan, stored.session_ids


def first_session(plan: tuple[Plan, tuple[str, ...]]):  # type: ignore[no-untyped-def]
    sessions, ids = plan[0].sessions, plan[1]
    return ids[0], sessions[0]


def walked_as_planned(
    tmp_path: Path, stored_plan: tuple[Plan, tuple[str, ...]], *, late_s: float = 3.0
) -> tuple[Path, str, datetime]:
    """A FIT recording of the first planned session, one lap per planned part."""
    planned_id, planned = first_session(stored_plan)
    start = datetime.combine(planned.scheduled_on, time(9), tzinfo=UTC)
    laps = [
        LapSpec(p.duration_s + late_s, 0.7 if p.direction == "backward" else 1.2, calories_kcal=5)
        for p in planned.segments
    ]
    path = tmp_path / "walk.fit"
    path.write_bytes(fit_activity(start, laps, total_calories=5 * len(laps)))
    return path, planned_id, start


def count_logs(db: Database) -> int:
    with db.transaction() as session:
        return int(session.scalar(select(func.count()).select_from(models.SessionLog)) or 0)


def test_walk_matched_to_its_plan_costed_by_direction(
    sqlite_db: Database, stored_plan: tuple[Plan, tuple[str, ...]], tmp_path: Path
) -> None:
    path, planned_id, start = walked_as_planned(tmp_path, stored_plan)
    planned = first_session(stored_plan)[1]
    with sqlite_db.transaction() as session:
        (result,) = import_file(session, path, options=UTC_OPTIONS)
    assert result.status == "imported"
    assert result.log is not None
    log = result.log
    assert log.source == "import"
    assert log.planned_session_id == planned_id
    assert log.started_at == start
    assert [s.direction for s in log.segments] == [p.direction.value for p in planned.segments]
    assert log.backward_s == pytest.approx(planned.backward_s + 3 * sum(
        1 for p in planned.segments if p.direction == "backward"))  # fmt: skip
    with sqlite_db.transaction() as session:
        view = get_imported(session, log.id)
    assert view.device_energy_kcal == 5 * len(planned.segments)
    assert view.device_energy_kind == "total"
    assert view.energy_kcal is not None
    assert view.difference_kcal == pytest.approx(view.energy_kcal - view.device_energy_kcal)
    assert {lap.direction_source for lap in view.laps} == {"plan"}
    # Same speed, one backward and one forward lap: backward costs more.
    back = next(lap for lap in view.laps if lap.direction == "backward")
    assert back.energy_kcal is not None


def test_the_walker_corrects_a_lap_and_energy_follows(
    sqlite_db: Database, stored_plan: tuple[Plan, tuple[str, ...]], tmp_path: Path
) -> None:
    path, _, _ = walked_as_planned(tmp_path, stored_plan)
    with sqlite_db.transaction() as session:
        (result,) = import_file(session, path, options=UTC_OPTIONS)
        assert result.log is not None
        before = get_imported(session, result.log.id)
        after = set_lap_directions(session, result.log.id, {1: "backward"})
    assert after.laps[0].direction == "backward"
    assert after.laps[0].direction_source == "walker"
    assert after.log.segments[0].kind == "backward_interval"
    assert after.laps[0].energy_kcal is not None
    assert before.laps[0].energy_kcal is not None
    assert after.laps[0].energy_kcal > before.laps[0].energy_kcal
    assert after.energy_kcal is not None
    assert before.energy_kcal is not None
    assert after.energy_kcal > before.energy_kcal


def test_same_file_twice_is_counted_once(
    sqlite_db: Database, stored_plan: tuple[Plan, tuple[str, ...]], tmp_path: Path
) -> None:
    path, _, _ = walked_as_planned(tmp_path, stored_plan)
    with sqlite_db.transaction() as session:
        (first,) = import_file(session, path, options=UTC_OPTIONS)
    with sqlite_db.transaction() as session:
        (again,) = import_file(session, path, display_name="copy.fit", options=UTC_OPTIONS)
    assert again.status == "same_file"
    assert first.log is not None
    assert again.other_log_id == first.log.id
    assert count_logs(sqlite_db) == 1


def test_walk_logged_by_the_player_and_imported_in_another_zone(
    sqlite_db: Database, stored_plan: tuple[Plan, tuple[str, ...]], tmp_path: Path
) -> None:
    start = datetime.combine(datetime.now(UTC).date() - timedelta(days=3), time(9), tzinfo=UTC)
    with sqlite_db.transaction() as session:
        logged = add_log(
            session,
            LogInput(started_at=start, segments=(forward(300), backward(60), forward(300))),
        )
    laps = [LapSpec(300, 1.2), LapSpec(60, 0.6), LapSpec(300, 1.2)]
    path = tmp_path / "phone.gpx"
    path.write_text(gpx_track(start + timedelta(seconds=20), laps, zone="+09:00"))
    with sqlite_db.transaction() as session:
        (kept,) = import_file(session, path, options=UTC_OPTIONS)
    assert kept.status == "overlap"
    assert kept.other_log_id == logged.id
    assert "kept that one and stored nothing" in kept.message
    assert count_logs(sqlite_db) == 1
    with sqlite_db.transaction() as session:
        (replaced,) = import_file(
            session, path, options=ImportOptions(on_duplicate="replace", tz=UTC)
        )
    assert replaced.status == "replaced"
    with sqlite_db.transaction() as session:
        logs = list_logs(session)
    assert [log.source for log in logs] == ["import"]


def test_duplicates_logged_after_an_import_are_listed(
    sqlite_db: Database, stored_plan: tuple[Plan, tuple[str, ...]], tmp_path: Path
) -> None:
    path, _, start = walked_as_planned(tmp_path, stored_plan)
    with sqlite_db.transaction() as session:
        import_file(session, path, options=UTC_OPTIONS)
        add_log(
            session,
            LogInput(started_at=start + timedelta(minutes=1), segments=(forward(600),)),
        )
        pairs = find_duplicates(session)
    assert len(pairs) == 1
    assert {pairs[0].first_source, pairs[0].second_source} == {"import", "manual"}


def test_bad_file_stores_nothing(sqlite_db: Database) -> None:
    path = ACTIVITY_FILES / "fit" / "invalid" / "activity-filecrc.fit"
    with pytest.raises(ImportFileError, match="bad CRC"), sqlite_db.transaction() as session:
        import_file(session, path)
    assert count_logs(sqlite_db) == 0


def test_real_walk_without_a_plan(sqlite_db: Database) -> None:
    with sqlite_db.transaction() as session:
        (result,) = import_file(session, ACTIVITY_FILES / "fit" / "garmin-fenix-5-walk.fit")
    assert result.log is not None
    assert result.log.planned_session_id is None
    assert [s.direction for s in result.log.segments] == ["forward"]
    assert result.log.segments[0].speed_m_s == pytest.approx(1.495)
    assert result.log.segments[0].environment == "park"


def test_exported_workout_walked_and_imported_comes_back_matched(
    sqlite_db: Database, stored_plan: tuple[Plan, tuple[str, ...]], tmp_path: Path
) -> None:
    planned_id, planned = first_session(stored_plan)
    with sqlite_db.transaction() as session:
        name, data = workout_file(session, planned_id=planned_id[:8])
    assert name.endswith(".fit")
    steps = decode_workout(data)
    # The watch makes one lap per step, each as long as the step.
    start = datetime.combine(planned.scheduled_on, time(17), tzinfo=UTC)
    laps = [LapSpec(step.duration_s, 0.8) for step in steps]
    path = tmp_path / "walked.fit"
    path.write_bytes(fit_activity(start, laps))
    with sqlite_db.transaction() as session:
        (result,) = import_file(session, path, options=UTC_OPTIONS)
    assert result.log is not None
    assert result.log.planned_session_id == planned_id
    assert [s.kind for s in result.log.segments] == [p.kind.value for p in planned.segments]


def test_workout_for_a_day_without_a_session(
    sqlite_db: Database, stored_plan: tuple[Plan, tuple[str, ...]]
) -> None:
    with pytest.raises(NotFoundError), sqlite_db.transaction() as session:
        workout_file(session, on=date(1999, 1, 1))


def test_calendar_feed_by_private_token(
    sqlite_db: Database, stored_plan: tuple[Plan, tuple[str, ...]]
) -> None:
    plan, ids = stored_plan
    with sqlite_db.transaction() as session:
        save_calendar_settings(session, at=time(18, 30), remind_before_min=45)
        token = new_calendar_token(session)
        feed = calendar_by_token(session, token)
        stored = session.get(models.Setting, "calendar_feed")
        assert stored is not None
        assert token not in str(stored.value)
        with pytest.raises(NotFoundError):
            calendar_by_token(session, token + "x")
        newer = new_calendar_token(session)
        with pytest.raises(NotFoundError):
            calendar_by_token(session, token)
        assert calendar_by_token(session, newer)
        direct = plan_ics(session, CalendarSettings(time(18, 30), 45))
    events = parse_calendar(feed)
    assert [e.uid.split("@")[0] for e in events] == list(ids)
    assert {(e.starts, e.remind_before_min) for e in events} == {(time(18, 30), 45)}
    assert [e.on for e in events] == [s.scheduled_on for s in plan.sessions]
    assert len(parse_calendar(direct)) == len(events)


def test_many_laps_without_elevation_keep_notes_within_bounds() -> None:
    from retrowalk.services.activities import _notes
    from retrowalk.services.logs import NOTES_MAX_CHARS

    many = [f"lap {n}: no usable elevation; level ground assumed" for n in range(1, 60)]
    text = _notes("Imported from walk.gpx", many)
    assert len(text) == NOTES_MAX_CHARS
    assert text.startswith("Imported from walk.gpx; lap 1:")


def test_apple_health_active_energy_is_compared_with_net(
    sqlite_db: Database, stored_plan: tuple[Plan, tuple[str, ...]], tmp_path: Path
) -> None:
    from tests.activities.builders import apple_export_xml, apple_export_zip, apple_workout

    start = datetime.combine(datetime.now(UTC).date() - timedelta(days=2), time(7), tzinfo=UTC)
    path = tmp_path / "export.zip"
    path.write_bytes(
        apple_export_zip(apple_export_xml([apple_workout(start, [LapSpec(900, 1.3)])]))
    )
    with sqlite_db.transaction() as session:
        (result,) = import_file(session, path, options=UTC_OPTIONS)
        assert result.log is not None
        view = get_imported(session, result.log.id)
    assert view.file_format == "apple_health"
    assert view.device_energy_kind == "active"
    assert view.device_energy_kcal == pytest.approx(60.0)  # 4 kcal a minute in the builder
    net = view.log.energy["energy_net_kcal"]["central"]
    assert view.energy_kcal == pytest.approx(net)
    assert view.difference_kcal == pytest.approx(net - 60.0)
    assert view.laps[0].distance_m == pytest.approx(900 * 1.3)
