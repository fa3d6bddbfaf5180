"""Export and import of everything RetroWalk stores.

Two formats carry the same content:

- ``json``: one JSON document ``{"format", "schema_version", "package_version", "exported_at",
  "tables": {table: [row, ...]}}``.
- ``csv``: a zip archive with ``manifest.json`` (the same header, plus the column list of each
  table) and one ``<table>.csv`` per table. In CSV cells, ``\\N`` is null, a string that starts
  with a backslash gets one more, JSON columns hold JSON text and booleans are ``true``/``false``.

Import checks the whole file before writing anything and writes in one transaction, so a corrupt,
truncated or foreign file leaves the database exactly as it was.
"""

from __future__ import annotations

import base64
import binascii
import csv
import io
import json
import math
import os
import zipfile
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from types import SimpleNamespace
from typing import Any, Final, Literal, cast

from sqlalchemy import Boolean, Date, Float, Integer, LargeBinary, String, Text, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.sql.schema import Column, Table
from sqlalchemy.types import JSON

from retrowalk import __version__
from retrowalk.errors import ImportFileError, InvalidInputError, NotEmptyError, quote
from retrowalk.services.bounds import IMPORT_MAX_BYTES, check_zip, loads_bounded, read_zip_member
from retrowalk.services.database import Database
from retrowalk.services.logfacts import derive_missing_facts
from retrowalk.services.logs import (
    LogInput,
    SegmentInput,
    check_log_input,
    check_moment,
    check_notes,
    check_ratings,
)
from retrowalk.services.logs.views import ratings_of
from retrowalk.store import models
from retrowalk.store.engine import PRIVATE_FILE_MODE
from retrowalk.store.types import UTCDateTime
from retrowalk.timeutil import utcnow
from retrowalk.vocabulary import WALKED_STATUSES

EXPORT_FORMAT = "retrowalk-export"
#: Version of the export layout; bumped whenever a table or column changes meaning.
EXPORT_SCHEMA_VERSION = 1
CSV_NULL = "\\N"
#: Largest CSV cell read (characters): a motion recording's base64 text (24 h at 200 Hz, the
#: storage limit, is under 200 MB compressed).
CSV_CELL_MAX_CHARS = 256 * 1024 * 1024

ExportFormat = Literal["json", "csv"]
EXPORT_FORMATS: tuple[ExportFormat, ...] = ("json", "csv")

#: Session logs are also the same session when (profile, start time) match: ``--merge`` keeps one.
_NATURAL_KEYS: dict[str, tuple[str, ...]] = {"session_logs": ("profile_id", "started_at")}
#: Rows that belong to a session log and are skipped with it when it is a duplicate.
_COMPONENT_OF: dict[str, tuple[str, str]] = {
    "session_segments": ("session_log_id", "session_logs"),
    "symptom_reports": ("session_log_id", "session_logs"),
    "activity_imports": ("session_log_id", "session_logs"),
    "motion_recordings": ("session_log_id", "session_logs"),
}


def _tables() -> list[Table]:
    return [model.__table__ for model in models.TABLES_IN_ORDER]  # type: ignore[misc]


def _columns(table: Table) -> list[Column[Any]]:
    """The columns a backup holds: not those derived from the others (derived on import)."""
    return [c for c in table.columns if not c.info.get("derived")]


def _pk(table: Table) -> str:
    (column,) = table.primary_key.columns
    return str(column.name)


# --------------------------------------------------------------------------- encoding


def _encode(column: Column[Any], value: Any) -> Any:
    """A stored value as JSON-ready data."""
    if value is None:
        return None
    if isinstance(column.type, UTCDateTime):
        assert isinstance(value, datetime)
        return value.isoformat()
    if isinstance(column.type, Date):
        assert isinstance(value, date)
        return value.isoformat()
    if isinstance(column.type, LargeBinary) and isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    return value


def _problem(table: str, index: int, column: str, message: str) -> str:
    return f"table {table}, row {index + 1}, column {column}: {message}"


def _decode(table: str, index: int, column: Column[Any], value: Any) -> Any:
    """A JSON-ready value back to the stored type, refusing anything the schema would not hold."""
    name = str(column.name)
    if value is None:
        if not column.nullable:
            raise ValueError(_problem(table, index, name, "is empty but required"))
        return None
    kind = column.type
    if isinstance(kind, UTCDateTime):
        if not isinstance(value, str):
            raise ValueError(_problem(table, index, name, "expected an ISO 8601 time"))
        try:
            parsed = datetime.fromisoformat(value)
        except ValueError:
            raise ValueError(
                _problem(table, index, name, f"{quote(value)} is not a time")
            ) from None
        if parsed.tzinfo is None:
            raise ValueError(_problem(table, index, name, f"{quote(value)} has no timezone"))
        return parsed
    if isinstance(kind, Date):
        if not isinstance(value, str):
            raise ValueError(_problem(table, index, name, "expected an ISO 8601 date"))
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise ValueError(
                _problem(table, index, name, f"{quote(value)} is not a date")
            ) from None
    if isinstance(kind, Boolean):
        if not isinstance(value, bool):
            raise ValueError(_problem(table, index, name, "expected true or false"))
        return value
    if isinstance(kind, Integer):
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError(_problem(table, index, name, "expected a whole number"))
        return value
    if isinstance(kind, Float):
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ValueError(_problem(table, index, name, "expected a number"))
        if not math.isfinite(value):
            raise ValueError(_problem(table, index, name, "expected a finite number"))
        return float(value)
    if isinstance(kind, String | Text):
        if not isinstance(value, str):
            raise ValueError(_problem(table, index, name, "expected text"))
        length = getattr(kind, "length", None)
        if length is not None and len(value) > length:
            raise ValueError(_problem(table, index, name, f"longer than {length} characters"))
        return value
    if isinstance(kind, JSON):
        return value
    if isinstance(kind, LargeBinary):
        if not isinstance(value, str):
            raise ValueError(_problem(table, index, name, "expected base64 text"))
        try:
            blob = base64.b64decode(value, validate=True)
        except (binascii.Error, ValueError):
            raise ValueError(_problem(table, index, name, "is not valid base64")) from None
        if table == "motion_recordings":
            from retrowalk.motion.storage import decode  # NumPy only when recordings are read

            try:
                decode(blob)
            except ImportFileError as exc:
                raise ValueError(_problem(table, index, name, exc.problem)) from None
        return blob
    raise AssertionError(f"unhandled column type {kind!r}")  # pragma: no cover


def _csv_cell(column: Column[Any], value: Any) -> str:
    value = _encode(column, value)
    if value is None:
        return CSV_NULL
    if isinstance(column.type, JSON):
        return json.dumps(value, sort_keys=True, ensure_ascii=False)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    text = str(value)
    return "\\" + text if text.startswith("\\") else text


def _csv_value(table: str, index: int, column: Column[Any], cell: str) -> Any:
    """A CSV cell back to its JSON-ready value."""
    if cell == CSV_NULL:
        return None
    if cell.startswith("\\"):
        cell = cell[1:]
    kind = column.type
    name = str(column.name)
    try:
        if isinstance(kind, JSON):
            return loads_bounded(cell, name)
        if isinstance(kind, Boolean):
            if cell not in ("true", "false"):
                raise ValueError
            return cell == "true"
        if isinstance(kind, Integer):
            return int(cell)
        if isinstance(kind, Float):
            return float(cell)
    except ValueError:
        raise ValueError(_problem(table, index, name, f"{quote(cell)} is not valid here")) from None
    return cell


# --------------------------------------------------------------------------- export


def snapshot(session: Session) -> dict[str, list[dict[str, Any]]]:
    """Every row of every table as JSON-ready dicts, ordered by primary key."""
    tables: dict[str, list[dict[str, Any]]] = {}
    for table in _tables():
        rows = session.execute(select(table).order_by(table.c[_pk(table)])).mappings()
        tables[table.name] = [
            {str(col.name): _encode(col, row[col.name]) for col in _columns(table)} for row in rows
        ]
    return tables


def _header() -> dict[str, Any]:
    return {
        "format": EXPORT_FORMAT,
        "schema_version": EXPORT_SCHEMA_VERSION,
        "package_version": __version__,
        "exported_at": utcnow().isoformat(),
    }


@dataclass(frozen=True)
class ExportSummary:
    """What an export wrote."""

    path: Path
    format: ExportFormat
    rows: dict[str, int]


def export_to(db: Database, path: Path, fmt: ExportFormat = "json") -> ExportSummary:
    """Write everything in ``db`` to ``path`` (written to a temporary file, then renamed)."""
    if fmt not in EXPORT_FORMATS:
        raise InvalidInputError("--format", fmt, "json or csv")
    with db.factory() as session:
        tables = snapshot(session)
    tmp = path.with_name(path.name + ".partial")
    try:
        tmp.unlink(missing_ok=True)  # created anew below, readable by its owner only
        os.close(os.open(tmp, os.O_CREAT | os.O_WRONLY | os.O_EXCL, PRIVATE_FILE_MODE))
        if fmt == "json":
            document = {**_header(), "tables": tables}
            tmp.write_text(json.dumps(document, indent=1, ensure_ascii=False), encoding="utf-8")
        else:
            _write_csv_zip(tmp, tables)
        tmp.replace(path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise InvalidInputError(
            "PATH", str(path), f"a writable file path ({exc.strerror})"
        ) from exc
    return ExportSummary(path=path, format=fmt, rows={k: len(v) for k, v in tables.items()})


def _write_csv_zip(path: Path, tables: Mapping[str, list[dict[str, Any]]]) -> None:
    by_name = {table.name: table for table in _tables()}
    manifest = {
        **_header(),
        "tables": {
            name: {"columns": [str(c.name) for c in _columns(by_name[name])], "rows": len(rows)}
            for name, rows in tables.items()
        },
    }
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("manifest.json", json.dumps(manifest, indent=1))
        for name, rows in tables.items():
            table = by_name[name]
            buffer = io.StringIO()
            writer = csv.writer(buffer, lineterminator="\r\n")
            writer.writerow([str(c.name) for c in _columns(table)])
            for row in rows:
                writer.writerow([_csv_cell(c, _raw(c, row[str(c.name)])) for c in _columns(table)])
            archive.writestr(f"{name}.csv", buffer.getvalue())


def _raw(column: Column[Any], value: Any) -> Any:
    """Undo :func:`_encode` for the CSV writer (it encodes again, cell by cell)."""
    if value is None:
        return None
    if isinstance(column.type, UTCDateTime):
        return datetime.fromisoformat(value)
    if isinstance(column.type, Date):
        return date.fromisoformat(value)
    return value


# --------------------------------------------------------------------------- import


def read_export(path: Path) -> dict[str, list[dict[str, Any]]]:
    """Read and fully validate an export file; return decoded rows per table.

    Raises
    ------
    retrowalk.errors.ImportFileError
        If the file is missing, unreadable, truncated, corrupt, foreign, from a newer schema,
        or holds a value the schema would not store.
    """
    name = str(path)
    if not path.is_file():
        raise ImportFileError(name, "no such file")
    try:
        with path.open("rb") as file:
            raw = file.read(IMPORT_MAX_BYTES + 1)
    except OSError as exc:
        raise ImportFileError(name, f"cannot read it ({exc.strerror})") from exc
    if len(raw) > IMPORT_MAX_BYTES:
        raise ImportFileError(
            name, f"larger than {IMPORT_MAX_BYTES // 2**20} MB: not an export RetroWalk imports"
        )
    tables: Any
    if raw[:4] == b"PK\x03\x04":
        header, tables = _read_csv_zip(name, raw)
    else:
        try:
            document = loads_bounded(raw, "file")
        except InvalidInputError as exc:
            raise ImportFileError(name, f"refused: {exc.accepted}") from exc
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise ImportFileError(
                name, f"not a RetroWalk export: not valid JSON or zip ({exc}); truncated?"
            ) from exc
        if not isinstance(document, dict):
            raise ImportFileError(name, "not a RetroWalk export (expected a JSON object)")
        header = document
        tables = document.get("tables")
    _check_header(name, header)
    if not isinstance(tables, dict):
        raise ImportFileError(name, "not a RetroWalk export: 'tables' is missing")
    try:
        decoded = _decode_tables(tables)
        _check_logs(decoded)
    except ValueError as exc:
        raise ImportFileError(name, str(exc)) from exc
    return decoded


def _check_header(name: str, header: Mapping[str, Any]) -> None:
    if header.get("format") != EXPORT_FORMAT:
        raise ImportFileError(
            name, f"not a RetroWalk export (format is {quote(header.get('format'))})"
        )
    version = header.get("schema_version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise ImportFileError(name, f"schema_version {quote(version)} is not valid")
    if version > EXPORT_SCHEMA_VERSION:
        raise ImportFileError(
            name,
            f"written by a newer RetroWalk (schema {version}); this version "
            f"({__version__}) reads schema {EXPORT_SCHEMA_VERSION} or older",
        )


def _read_csv_zip(name: str, raw: bytes) -> tuple[dict[str, Any], dict[str, Any]]:
    by_name = {table.name: table for table in _tables()}
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            check_zip(archive, "file")
            budget = [IMPORT_MAX_BYTES]
            manifest = loads_bounded(
                read_zip_member(archive, "manifest.json", "file", budget), "file"
            )
            if not isinstance(manifest, dict):
                raise ImportFileError(name, "manifest.json is not an object")
            _check_header(name, manifest)
            listed = manifest.get("tables")
            if not isinstance(listed, dict):
                raise ImportFileError(name, "manifest.json lists no tables")
            tables: dict[str, Any] = {}
            for table_name, info in listed.items():
                table = by_name.get(table_name)
                if table is None:
                    raise ImportFileError(name, f"unknown table {quote(table_name)}")
                text = read_zip_member(archive, f"{table_name}.csv", "file", budget).decode()
                # motion recordings are one base64 cell each: raise the csv module's cell limit
                csv.field_size_limit(max(csv.field_size_limit(), CSV_CELL_MAX_CHARS))
                reader = csv.reader(io.StringIO(text, newline=""))
                header = next(reader, None)
                expected = [str(c.name) for c in _columns(table)]
                later = _ADDED_LATER.get(table_name, ())
                present = [c for c in _columns(table) if header is None or str(c.name) in header]
                if header != [str(c.name) for c in present] or any(
                    str(c.name) not in later for c in _columns(table) if c not in present
                ):
                    raise ImportFileError(
                        name, f"{table_name}.csv columns {header} differ from {expected}"
                    )
                rows = []
                for index, cells in enumerate(reader):
                    if len(cells) != len(present):
                        raise ImportFileError(
                            name, f"{table_name}.csv row {index + 1} has {len(cells)} cells"
                        )
                    rows.append(
                        {
                            str(col.name): _csv_value(table_name, index, col, cell)
                            for col, cell in zip(present, cells, strict=True)
                        }
                    )
                if isinstance(info, dict) and info.get("rows") != len(rows):
                    raise ImportFileError(
                        name, f"{table_name}.csv has {len(rows)} rows, manifest says {info}"
                    )
                tables[table_name] = rows
    except ImportFileError:
        raise
    except InvalidInputError as exc:  # a bound of retrowalk.services.bounds
        raise ImportFileError(name, f"refused: {exc.accepted}") from exc
    except ValueError as exc:
        raise ImportFileError(name, str(exc)) from exc
    except (zipfile.BadZipFile, KeyError, UnicodeDecodeError, EOFError, csv.Error) as exc:
        raise ImportFileError(name, f"corrupt or truncated archive ({exc})") from exc
    return manifest, tables


#: Columns added after export schema 1, by table: files written before them lack them, and they
#: get the value a new row gets (``None`` for the plan ``schedule``: its weeks are then read
#: from its ``document``, as stored before migration 0004).
_ADDED_LATER: Final[Mapping[str, tuple[str, ...]]] = {
    "plans": ("revision", "schedule"),
    "session_logs": ("duplicate_of",),
}


def _added_default(column: Column[Any]) -> Any:
    default = column.default
    if default is None:
        return None
    arg = getattr(default, "arg", None)
    return arg(None) if callable(arg) else arg


def _decode_tables(tables: Mapping[str, Any]) -> dict[str, list[dict[str, Any]]]:
    by_name = {table.name: table for table in _tables()}
    unknown = sorted(set(tables) - set(by_name))
    if unknown:
        raise ValueError(f"unknown tables {quote(unknown)}; expected some of {sorted(by_name)}")
    decoded: dict[str, list[dict[str, Any]]] = {}
    for table in _tables():
        rows = tables.get(table.name, [])
        if not isinstance(rows, list):
            raise ValueError(f"table {table.name}: expected a list of rows")
        columns = {str(c.name): c for c in _columns(table)}
        out = []
        for index, row in enumerate(rows):
            if not isinstance(row, dict):
                raise ValueError(f"table {table.name}, row {index + 1}: expected an object")
            missing = sorted(set(columns) - set(row) - set(_ADDED_LATER.get(table.name, ())))
            extra = sorted(set(row) - set(columns))
            if missing or extra:
                raise ValueError(
                    f"table {table.name}, row {index + 1}: missing {missing}, unexpected {extra}"
                )
            out.append(
                {
                    n: _decode(table.name, index, c, row[n]) if n in row else _added_default(c)
                    for n, c in columns.items()
                }
            )
        ids = [r[_pk(table)] for r in out]
        if len(ids) != len(set(ids)):
            raise ValueError(f"table {table.name}: the same {_pk(table)} appears twice")
        decoded[table.name] = out
    return decoded


def _check_logs(tables: Mapping[str, list[dict[str, Any]]]) -> None:
    """Session logs, their segments and their ratings pass the checks the API, the page forms
    and the CLI apply (``retrowalk.services.logs``): an import is one more entry path.

    Raises
    ------
    ValueError
        Naming the table, the row and the field.
    """
    segments: dict[str, list[SegmentInput]] = defaultdict(list)
    for row in sorted(tables.get("session_segments", []), key=lambda r: r["position"]):
        segments[row["session_log_id"]].append(SegmentInput.of(SimpleNamespace(**row)))
    where = ("symptom_reports", 0)
    try:
        for index, row in enumerate(tables.get("symptom_reports", [])):
            where = ("symptom_reports", index)
            check_ratings(ratings_of(cast(models.SymptomReport, SimpleNamespace(**row))))
        for index, row in enumerate(tables.get("session_logs", [])):
            where = ("session_logs", index)
            data = LogInput(
                started_at=row["started_at"],
                segments=tuple(segments[row["id"]]),
                source=row["source"],
                status=row["status"],
                stop_reason=row["stop_reason"],
                planned_session_id=row["planned_session_id"],
                notes=row["notes"],
                ended_at=row["ended_at"],
            )
            if row["status"] in WALKED_STATUSES:
                check_log_input(data)
            else:  # a session still in progress, or abandoned: not a walked log yet
                check_moment(data.started_at, "started_at")
                check_notes(data.notes)
    except InvalidInputError as exc:
        raise ValueError(f"table {where[0]}, row {where[1] + 1}: {exc}") from None


@dataclass(frozen=True)
class ImportSummary:
    """What an import stored and what it left out as already present."""

    inserted: dict[str, int] = field(default_factory=dict)
    skipped: dict[str, int] = field(default_factory=dict)


def import_from(db: Database, path: Path, *, merge: bool = False) -> ImportSummary:
    """Restore an export into ``db``.

    Into an empty database everything is restored as it was. Into a non-empty database this
    refuses unless ``merge`` is true; merging adds only rows that are not there yet, and never a
    second copy of a session (same id, or same person and start time).
    """
    tables = read_export(path)
    try:
        with db.transaction() as session:
            if not merge and not _is_empty(session):
                raise NotEmptyError(
                    "the database already holds data: import refuses to mix; use --merge to add "
                    "only what is missing, or import into a new database"
                )
            summary = _insert_all(session, tables, merge=merge)
            derive_missing_facts(session)
            return summary
    except IntegrityError as exc:
        reason = str(exc.orig).splitlines()[0] if exc.orig else str(exc)
        raise ImportFileError(str(path), f"inconsistent data, nothing imported ({reason})") from exc


def _is_empty(session: Session) -> bool:
    return all(session.execute(select(t).limit(1)).first() is None for t in _tables())


def _insert_all(
    session: Session, tables: Mapping[str, list[dict[str, Any]]], *, merge: bool
) -> ImportSummary:
    inserted: dict[str, int] = {}
    skipped: dict[str, int] = {}
    duplicates: dict[str, dict[Any, Any]] = {}
    for table in _tables():
        rows = list(tables.get(table.name, []))
        keep = _new_rows(session, table, rows, duplicates) if merge else rows
        if keep:
            session.execute(insert(table), keep)
        inserted[table.name] = len(keep)
        skipped[table.name] = len(rows) - len(keep)
    session.flush()
    return ImportSummary(inserted=inserted, skipped=skipped)


def _new_rows(
    session: Session,
    table: Table,
    rows: Iterable[dict[str, Any]],
    duplicates: dict[str, dict[Any, Any]],
) -> list[dict[str, Any]]:
    pk = _pk(table)
    existing = set(session.scalars(select(table.c[pk])))
    natural = _NATURAL_KEYS.get(table.name)
    existing_natural: dict[tuple[Any, ...], Any] = {}
    if natural:
        cols = [table.c[c] for c in natural]
        for found in session.execute(select(table.c[pk], *cols)):
            existing_natural[tuple(found[1:])] = found[0]
    component = _COMPONENT_OF.get(table.name)
    mapping = duplicates.setdefault(table.name, {})
    keep = []
    for original in rows:
        if component and original[component[0]] in duplicates.get(component[1], {}):
            continue
        row = _remap(table, original, duplicates)
        if row[pk] in existing:
            mapping[row[pk]] = row[pk]
            continue
        if natural:
            key = tuple(row[c] for c in natural)
            if key in existing_natural:
                mapping[row[pk]] = existing_natural[key]
                continue
            existing_natural[key] = row[pk]
        keep.append(row)
    # Rows already present under the same id are not duplicates of something else.
    duplicates[table.name] = {k: v for k, v in mapping.items() if k != v}
    return keep


def _remap(
    table: Table, row: dict[str, Any], duplicates: dict[str, dict[Any, Any]]
) -> dict[str, Any]:
    """Point references to a skipped duplicate at the row that was kept instead."""
    out = dict(row)
    for fk in table.foreign_keys:
        target = duplicates.get(fk.column.table.name)
        name = str(fk.parent.name)
        if target and out.get(name) in target:
            out[name] = target[out[name]]
    return out
