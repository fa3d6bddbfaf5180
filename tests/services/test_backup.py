"""Export and import: lossless round trips, refusal to mix, merge without duplicates, bad files."""

from __future__ import annotations

import csv
import io
import json
import uuid
import zipfile
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from sqlalchemy import delete, insert

from retrowalk.errors import ImportFileError, NotEmptyError
from retrowalk.services.backup import (
    EXPORT_FORMAT,
    EXPORT_SCHEMA_VERSION,
    export_to,
    import_from,
    snapshot,
)
from retrowalk.services.database import Database, open_database
from retrowalk.services.plans import create_plan, current_plan
from retrowalk.services.readiness import save_profile
from retrowalk.store import models
from tests.store.factories import datasets
from tests.strategies import load_personas

TABLES = {model.__table__.name: model.__table__ for model in models.TABLES_IN_ORDER}


def load(db: Database, data: dict[str, list[dict[str, Any]]]) -> None:
    with db.transaction() as session:
        for name, table in TABLES.items():
            if data[name]:
                session.execute(insert(table), data[name])


def dump(db: Database) -> dict[str, list[dict[str, Any]]]:
    with db.factory() as session:
        return snapshot(session)


def empty(db: Database) -> None:
    with db.transaction() as session:
        for table in reversed(TABLES.values()):
            session.execute(delete(table))


@pytest.fixture
def source_and_target(
    backend: str, make_db_url: Callable[[str], str]
) -> Iterator[tuple[Database, Database]]:
    """Two migrated databases for a whole property test (migrating is most of an example's time);
    each example starts by emptying them."""
    source = open_database(make_db_url(backend))
    target = open_database(make_db_url(backend))
    yield source, target
    source.dispose()
    target.dispose()


@pytest.mark.parametrize("fmt", ["json", "csv"])
@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=datasets())
def test_round_trip_is_lossless(
    data: dict[str, list[dict[str, Any]]],
    fmt: str,
    source_and_target: tuple[Database, Database],
    tmp_path: Path,
) -> None:
    source, target = source_and_target
    empty(source)
    empty(target)
    load(source, data)
    before = dump(source)
    assert sum(len(rows) for rows in before.values()) == sum(len(r) for r in data.values())
    path = tmp_path / f"export.{fmt}"
    export_to(source, path, fmt)  # type: ignore[arg-type]
    summary = import_from(target, path)
    assert summary.inserted == {name: len(rows) for name, rows in before.items()}
    assert dump(target) == before


def test_export_records_schema_and_version(db: Database, tmp_path: Path) -> None:
    from retrowalk import __version__

    path = tmp_path / "e.json"
    export_to(db, path, "json")
    document = json.loads(path.read_text())
    assert document["format"] == EXPORT_FORMAT
    assert document["schema_version"] == EXPORT_SCHEMA_VERSION
    assert document["package_version"] == __version__
    assert set(document["tables"]) == set(TABLES)


def _one_session(profile_id: str, session_id: str, started: str) -> dict[str, list[dict[str, Any]]]:
    from datetime import datetime

    when = datetime.fromisoformat(started)
    data: dict[str, list[dict[str, Any]]] = {name: [] for name in TABLES}
    data["profiles"].append(
        {"id": profile_id, "created_at": when, "updated_at": when, "schema_version": 1, "data": {}}
    )
    data["session_logs"].append(
        {
            "id": session_id,
            "profile_id": profile_id,
            "planned_session_id": None,
            "source": "manual",
            "status": "completed",
            "started_at": when,
            "ended_at": None,
            "stop_reason": None,
            "notes": "",
            "energy": None,
            "checkpoint": None,
            "checkpoint_at": None,
            "created_at": when,
            "updated_at": when,
        }
    )
    data["session_segments"].append(
        {
            "id": str(uuid.uuid5(uuid.NAMESPACE_OID, session_id)),
            "session_log_id": session_id,
            "position": 0,
            "kind": None,
            "direction": "backward",
            "duration_s": 60.0,
            "speed_m_s": None,
            "grade_pct": 0.0,
            "environment": "hallway",
            "support": "wall_or_rail",
            "completed": True,
            "energy": None,
        }
    )
    return data


P1 = "00000000-0000-4000-8000-000000000001"
S1 = "00000000-0000-4000-8000-00000000a001"
S2 = "00000000-0000-4000-8000-00000000b001"


def test_import_into_non_empty_database_refuses_and_changes_nothing(
    db: Database, tmp_path: Path
) -> None:
    load(db, _one_session(P1, S1, "2026-01-01T10:00:00+00:00"))
    before = dump(db)
    path = tmp_path / "e.json"
    export_to(db, path)
    with pytest.raises(NotEmptyError, match="--merge"):
        import_from(db, path)
    assert dump(db) == before


def test_merge_never_duplicates_a_session(
    db: Database, make_db_url: Callable[[str], str], backend: str, tmp_path: Path
) -> None:
    load(db, _one_session(P1, S1, "2026-01-01T10:00:00+00:00"))
    other = open_database(make_db_url(backend))
    try:
        # The same session under another id (same person, same start) plus one new session.
        same = _one_session(P1, S2, "2026-01-01T10:00:00+00:00")
        load(other, same)
        with other.transaction() as session:
            extra = _one_session(
                P1, "00000000-0000-4000-8000-00000000c001", "2026-01-02T10:00:00+00:00"
            )
            for name in ("session_logs", "session_segments"):
                session.execute(insert(TABLES[name]), extra[name])
        path = tmp_path / "other.json"
        export_to(other, path)
    finally:
        other.dispose()
    first = import_from(db, path, merge=True)
    assert first.inserted["session_logs"] == 1
    assert first.skipped["session_logs"] == 1
    assert first.skipped["session_segments"] == 1
    after_first = dump(db)
    second = import_from(db, path, merge=True)
    assert sum(second.inserted.values()) == 0
    assert dump(db) == after_first
    assert len(after_first["session_logs"]) == 2
    assert len(after_first["session_segments"]) == 2


def _corruptions(good: Path, tmp_path: Path) -> list[Path]:
    text = good.read_text()
    document = json.loads(text)
    cases: dict[str, str | bytes] = {
        "truncated.json": text[: len(text) // 2],
        "garbage.json": b"\x00\xffnot json at all",
        "foreign.json": json.dumps({"format": "something-else", "tables": {}}),
        "newer.json": json.dumps({**document, "schema_version": EXPORT_SCHEMA_VERSION + 1}),
        "unknown_table.json": json.dumps({**document, "tables": {**document["tables"], "x": []}}),
    }
    bad_value = json.loads(text)
    bad_value["tables"]["session_segments"][0]["duration_s"] = "long"
    cases["bad_value.json"] = json.dumps(bad_value)
    naive = json.loads(text)
    naive["tables"]["session_logs"][0]["started_at"] = "2026-03-01T10:00:00"
    cases["naive_time.json"] = json.dumps(naive)
    dangling = json.loads(text)
    dangling["tables"]["session_segments"][0]["id"] = "00000000-0000-4000-8000-00000000d001"
    dangling["tables"]["session_segments"][0]["session_log_id"] = (
        "00000000-0000-4000-8000-0000000dead0"
    )
    cases["dangling_reference.json"] = json.dumps(dangling)
    broken_check = json.loads(text)
    broken_check["tables"]["session_segments"][0]["direction"] = "sideways"
    broken_check["tables"]["session_segments"][0]["id"] = "00000000-0000-4000-8000-00000000e001"
    cases["violates_check.json"] = json.dumps(broken_check)
    paths = []
    for name, content in cases.items():
        path = tmp_path / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content)
        paths.append(path)
    zipped = tmp_path / "good.zip"
    return [*paths, zipped]


def test_corrupt_truncated_or_foreign_files_change_nothing(db: Database, tmp_path: Path) -> None:
    load(db, _one_session(P1, S1, "2026-01-01T10:00:00+00:00"))
    good = tmp_path / "good.json"
    export_to(db, good)
    export_to(db, tmp_path / "good.zip", "csv")
    raw = (tmp_path / "good.zip").read_bytes()
    truncated_zip = tmp_path / "truncated.zip"
    truncated_zip.write_bytes(raw[: len(raw) // 2])
    before = dump(db)
    bad_files = [*_corruptions(good, tmp_path)[:-1], truncated_zip, tmp_path / "missing.json"]
    for path in bad_files:
        with pytest.raises(ImportFileError) as excinfo:
            import_from(db, path, merge=True)
        assert str(path) in str(excinfo.value)
        assert dump(db) == before, path.name


def test_csv_archive_with_tampered_rows_is_refused(db: Database, tmp_path: Path) -> None:
    load(db, _one_session(P1, S1, "2026-01-01T10:00:00+00:00"))
    path = tmp_path / "e.zip"
    export_to(db, path, "csv")
    tampered = tmp_path / "tampered.zip"
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(tampered, "w") as dst:
        for item in src.namelist():
            content = src.read(item)
            if item == "session_segments.csv":
                content = content + content.splitlines(keepends=True)[-1]
            dst.writestr(item, content)
    before = dump(db)
    with pytest.raises(ImportFileError, match="rows"):
        import_from(db, tampered, merge=True)
    assert dump(db) == before


def test_csv_keeps_null_empty_and_backslash_strings_apart(
    db: Database, tmp_path: Path, make_db_url: Callable[[str], str], backend: str
) -> None:
    data = _one_session(P1, S1, "2026-01-01T10:00:00+00:00")
    data["session_logs"][0]["notes"] = "\\N"
    flags = dict.fromkeys(("dizziness", "near_fall", "fall", "chest_pain", "fainting"), False)
    data["symptom_reports"].append(
        {"id": S1[::-1], "session_log_id": S1, "recorded_at": data["session_logs"][0]["started_at"],
         "rpe": None, "rpe_scale": None, "pain_0_10": 1, "pain_location": "", **flags,
         "form_steady": None, "notes": ""}
    )  # fmt: skip
    data["session_logs"][0]["energy"] = {"a": None, "text": 'line\nbreak, "quoted"'}
    load(db, data)
    path = tmp_path / "e.zip"
    export_to(db, path, "csv")
    target = open_database(make_db_url(backend))
    try:
        import_from(target, path)
        assert dump(target) == dump(db)
        log = dump(target)["session_logs"][0]
        assert log["notes"] == "\\N"
        assert dump(target)["symptom_reports"][0]["pain_location"] == ""
        assert log["ended_at"] is None
    finally:
        target.dispose()


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_an_export_from_before_migration_0004_is_imported_with_its_plan(
    db: Database, make_db_url: Callable[[str], str], backend: str, tmp_path: Path, fmt: str
) -> None:
    """Files written before ``plans.revision`` (0003) and ``plans.schedule`` (0004) lack them."""
    with db.transaction() as session:
        save_profile(session, load_personas()[0].profile)
        stored, _ = create_plan(session, start_on=date(2026, 11, 23), weeks=2)
    path = tmp_path / f"plan.{fmt if fmt == 'json' else 'zip'}"
    export_to(db, path, fmt)  # type: ignore[arg-type]
    old = tmp_path / f"old.{fmt if fmt == 'json' else 'zip'}"
    if fmt == "json":
        document = json.loads(path.read_text())
        for plan in document["tables"]["plans"]:
            plan["document"]["weeks"] = plan.pop("schedule")
            del plan["revision"]
        old.write_text(json.dumps(document))
    else:
        with zipfile.ZipFile(path) as source, zipfile.ZipFile(old, "w") as target:
            for name in source.namelist():
                data = source.read(name).decode()
                if name == "plans.csv":
                    data = _drop_plan_columns(data)
                target.writestr(name, data)
    target_db = open_database(make_db_url(backend))
    try:
        import_from(target_db, old)
        with target_db.factory() as session:
            imported = current_plan(session)
            assert imported is not None
            assert imported.plan == stored.plan
            assert imported.session_ids == stored.session_ids
    finally:
        target_db.dispose()


def _drop_plan_columns(text: str) -> str:
    """plans.csv as written before 0003/0004: no revision, weeks inside the document."""
    rows = list(csv.reader(io.StringIO(text, newline="")))
    header = rows[0]
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    keep = [i for i, name in enumerate(header) if name not in ("revision", "schedule")]
    writer.writerow([header[i] for i in keep])
    for cells in rows[1:]:
        values = dict(zip(header, cells, strict=True))
        document = json.loads(values["document"])
        document["weeks"] = json.loads(values["schedule"])
        values["document"] = json.dumps(document)
        writer.writerow([values[header[i]] for i in keep])
    return out.getvalue()
