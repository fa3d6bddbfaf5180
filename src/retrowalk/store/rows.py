"""Inserting rows without the ORM's unit of work (for the writes made on every log).

Building objects and inserting them with Core costs several times less than adding them to a
session and flushing (``bench/api_load.py``); the objects are never added to a session and are
only read afterwards. Columns an object leaves unset get their column defaults, as in a flush.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import Any

from sqlalchemy import Connection, Insert, insert
from sqlalchemy import inspect as sa_inspect

from retrowalk.store.models import Base


def insert_rows(connection: Connection, objects: Sequence[Base], **extra: Any) -> None:
    """Insert ``objects`` (all of one model, each with the same columns set) in one statement,
    with the columns in ``extra`` set on every row."""
    if objects:
        values = [{**set_columns(obj), **extra} for obj in objects]
        connection.execute(_insert(type(objects[0])), values)


@cache
def _insert(model: type[Base]) -> Insert:
    return insert(model.__table__)  # type: ignore[arg-type]


def set_columns(obj: Base) -> dict[str, Any]:
    """The column values set on ``obj``, by column key."""
    state = obj.__dict__
    return {
        prop.columns[0].key: state[prop.key]
        for prop in sa_inspect(type(obj)).column_attrs
        if prop.key in state
    }
