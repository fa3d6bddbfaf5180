"""JSON-ready dictionaries for plans, states, outcomes and changes, and their exact inverses.

The shape is documented in ``docs/schemas.md`` ("Plan"). Units are SI and in the key names;
dates are ISO ``YYYY-MM-DD``. Derived totals (``backward_minutes``, ``walking_minutes``,
``backward_s``, ``total_s``) are written for readers and ignored when reading back. Reading
validates every field and raises :class:`~retrowalk.errors.InvalidInputError` naming the first bad
field by its path (e.g. ``weeks[0].sessions[1].segments[2].duration_s``).
"""

from __future__ import annotations

import dataclasses
import functools
import math
import operator
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from enum import StrEnum
from typing import Any, Literal, TypeVar, cast, get_args, get_origin, get_type_hints

from retrowalk.errors import InvalidInputError
from retrowalk.plans.model import (
    Plan,
    PlanChange,
    PlanLimits,
    PlannedSession,
    PlanWeek,
    ProgressionState,
    SessionOutcome,
)

__all__ = [
    "change_from_dict",
    "change_to_dict",
    "outcome_from_dict",
    "outcome_to_dict",
    "plan_from_dict",
    "plan_to_dict",
    "state_from_dict",
    "state_to_dict",
]

_E = TypeVar("_E", bound=StrEnum)


# ---------------------------------------------------------------------------------------------
# Writing
# ---------------------------------------------------------------------------------------------


def _fields(value: Any) -> dict[str, Any]:
    """A flat frozen dataclass as a dict, field by field: enums as strings, dates ISO."""
    return {
        name: getattr(value, name) if write is None else write(getattr(value, name))
        for name, write in _writers(value.__class__)
    }


@functools.cache
def _writers(cls: type) -> tuple[tuple[str, Callable[[Any], object] | None], ...]:
    """Each field's name and how to write it (``None``: as it is)."""
    kinds = get_type_hints(cls)
    return tuple((f.name, _writer(kinds[f.name])) for f in dataclasses.fields(cls))


def _writer(kind: Any) -> Callable[[Any], object] | None:
    if type(None) in get_args(kind):
        inner = _writer(get_args(kind)[0])
        return None if inner is None else lambda value: None if value is None else inner(value)
    if kind is date:
        return date.isoformat
    if isinstance(kind, type) and issubclass(kind, StrEnum):
        return operator.attrgetter("value")
    return list if get_origin(kind) is tuple else None


def session_to_dict(session: PlannedSession) -> dict[str, Any]:
    return {
        "week": session.week,
        "day": session.day,
        "scheduled_on": session.scheduled_on.isoformat(),
        "title": session.title,
        "rationale": session.rationale,
        "backward_s": session.backward_s,
        "total_s": session.total_s,
        "segments": [_fields(s) for s in session.segments],
    }


def state_to_dict(state: ProgressionState) -> dict[str, Any]:
    """A progression state as a dict (every field, enums as strings, dates ISO)."""
    return _fields(state)


def plan_to_dict(plan: Plan) -> dict[str, Any]:
    """The plan's JSON shape: weeks -> sessions -> segments, limits, flags and explanation."""
    return {**plan_header_to_dict(plan), "weeks": weeks_to_list(plan.weeks)}


def weeks_to_list(weeks: Sequence[PlanWeek]) -> list[dict[str, Any]]:
    """The ``weeks`` part of :func:`plan_to_dict` (the bulk of a plan)."""
    return [
        {
            "number": week.number,
            "backward_minutes": week.backward_minutes,
            "walking_minutes": week.walking_minutes,
            "goal_minutes": week.goal_minutes,
            "note": week.note,
            "sessions": [session_to_dict(s) for s in week.sessions],
        }
        for week in weeks
    ]


def plan_header_to_dict(plan: Plan) -> dict[str, Any]:
    """:func:`plan_to_dict` without ``weeks``: what changes with every logged session."""
    return {
        "start_on": plan.start_on.isoformat(),
        "revised_on": None if plan.revised_on is None else plan.revised_on.isoformat(),
        "level": plan.state.level,
        "limits": _fields(plan.limits),
        "requires_support": plan.requires_support,
        "requires_supervision": plan.requires_supervision,
        "acknowledged_risk": plan.acknowledged_risk,
        "stopped": plan.stopped,
        "explanation": list(plan.explanation),
        "rules_version": plan.rules_version,
        "state": state_to_dict(plan.state),
    }


def outcome_to_dict(outcome: SessionOutcome) -> dict[str, Any]:
    """A logged session outcome as a dict."""
    return _fields(outcome)


def change_to_dict(change: PlanChange) -> dict[str, Any]:
    """A plan change as a dict (with both states)."""
    return {
        "action": change.action,
        "reason": change.reason,
        "rule_id": change.rule_id,
        "source": change.source,
        "performed_on": change.performed_on.isoformat(),
        "before": state_to_dict(change.before),
        "after": state_to_dict(change.after),
    }


# ---------------------------------------------------------------------------------------------
# Reading
# ---------------------------------------------------------------------------------------------


class _Reader:
    """Typed access to one JSON object, with the path for error messages."""

    def __init__(self, data: object, path: str) -> None:
        if not isinstance(data, Mapping):
            raise InvalidInputError(path or "plan", type(data).__name__, "a JSON object")
        self.data = data
        self.path = path

    def _field(self, key: str) -> str:
        return f"{self.path}.{key}" if self.path else key

    def raw(self, key: str) -> object:
        if key not in self.data:
            raise InvalidInputError(self._field(key), None, "required")
        return self.data[key]

    def boolean(self, key: str) -> bool:
        value = self.raw(key)
        if not isinstance(value, bool):
            raise InvalidInputError(self._field(key), value, "true or false")
        return value

    def integer(self, key: str) -> int:
        value = self.raw(key)
        if isinstance(value, bool) or not isinstance(value, int):
            raise InvalidInputError(self._field(key), value, "a whole number")
        return value

    def number(self, key: str) -> float:
        value = self.raw(key)
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise InvalidInputError(self._field(key), value, "a number")
        if not math.isfinite(value):
            raise InvalidInputError(self._field(key), value, "a finite number")
        return float(value)

    def text(self, key: str) -> str:
        value = self.raw(key)
        if not isinstance(value, str):
            raise InvalidInputError(self._field(key), value, "a text")
        return value

    def texts(self, key: str) -> tuple[str, ...]:
        value = self.raw(key)
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise InvalidInputError(self._field(key), value, "a list of texts")
        return tuple(cast(list[str], value))

    def day(self, key: str) -> date:
        value = self.text(key)
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise InvalidInputError(self._field(key), value, "a date YYYY-MM-DD") from None

    def enum(self, key: str, kind: type[_E]) -> _E:
        value = self.text(key)
        try:
            return kind(value)
        except ValueError:
            accepted = ", ".join(v.value for v in kind)
            raise InvalidInputError(self._field(key), value, f"one of {accepted}") from None

    def literal(self, key: str, accepted: tuple[str, ...]) -> str:
        value = self.text(key)
        if value not in accepted:
            raise InvalidInputError(self._field(key), value, "one of " + ", ".join(accepted))
        return value

    def items(self, key: str) -> list[_Reader]:
        value = self.raw(key)
        if not isinstance(value, list):
            raise InvalidInputError(self._field(key), value, "a list")
        return [_Reader(v, f"{self._field(key)}[{i}]") for i, v in enumerate(value)]

    def child(self, key: str) -> _Reader:
        return _Reader(self.raw(key), self._field(key))


@functools.cache
def _reader(kind: Any) -> Callable[[_Reader, str], Any]:
    """How to read a value of type ``kind``: a number, whole number, truth value, text, date,
    text enum, literal text, tuple of texts, flat dataclass or tuple of them, or ``kind | None``
    (missing or null: ``None``)."""
    args = get_args(kind)
    if type(None) in args:
        inner = _reader(args[0])
        return lambda r, key: None if r.data.get(key) is None else inner(r, key)
    if kind == tuple[str, ...]:
        return _Reader.texts
    if get_origin(kind) is tuple:  # of flat dataclasses
        return lambda r, key: tuple(_read(args[0], item) for item in r.items(key))
    if get_origin(kind) is Literal:
        return lambda r, key: r.literal(key, args)
    if isinstance(kind, type) and dataclasses.is_dataclass(kind):
        return lambda r, key: _read(kind, r.child(key))
    if issubclass(kind, StrEnum):
        return lambda r, key: r.enum(key, kind)
    scalars = {bool: _Reader.boolean, int: _Reader.integer, float: _Reader.number}
    return {**scalars, str: _Reader.text, date: _Reader.day}[kind]


@functools.cache
def _fields_of(cls: type) -> tuple[tuple[str, Any, Callable[[_Reader, str], Any]], ...]:
    """Each field's name, default and reader, in order."""
    kinds = get_type_hints(cls)
    return tuple((f.name, f.default, _reader(kinds[f.name])) for f in dataclasses.fields(cls))


def _read(cls: type, r: _Reader, *, defaults: bool = False, **given: Any) -> Any:
    """Read a flat frozen dataclass from ``r`` field by field, in order, as each field's type,
    and build it (validated). With ``defaults`` a field that has one may be missing or null."""
    for name, default, read in _fields_of(cls):
        if name in given:
            continue
        if defaults and default is not dataclasses.MISSING and r.data.get(name) is None:
            given[name] = default
        else:
            given[name] = read(r, name)
    return _rebuild(r.path, cls, **given)


def _rebuild(path: str, build: Any, **kwargs: Any) -> Any:
    """Call a validating constructor; re-raise its error with the object's path."""
    try:
        return build(**kwargs)
    except InvalidInputError as exc:
        field = f"{path}.{exc.field}" if path else exc.field
        raise InvalidInputError(field, exc.value, exc.accepted) from None


def state_from_dict(data: object, path: str = "state") -> ProgressionState:
    """Inverse of :func:`state_to_dict` (validated)."""
    return cast(ProgressionState, _read(ProgressionState, _Reader(data, path)))


def plan_from_dict(data: object) -> Plan:
    """Inverse of :func:`plan_to_dict`: ``plan_from_dict(plan_to_dict(p)) == p``.

    Raises
    ------
    InvalidInputError
        Naming the first missing or invalid field by its path.
    """
    r = _Reader(data, "")
    # The weeks and the limits first, then the rest in field order (as ever).
    weeks = _reader(tuple[PlanWeek, ...])(r, "weeks")
    limits = _reader(PlanLimits)(r, "limits")
    return cast(Plan, _read(Plan, r, weeks=weeks, limits=limits))


def outcome_from_dict(data: object, path: str = "outcome") -> SessionOutcome:
    """Inverse of :func:`outcome_to_dict` (validated); symptom flags default to false."""
    return cast(SessionOutcome, _read(SessionOutcome, _Reader(data, path), defaults=True))


def change_from_dict(data: object, path: str = "change") -> PlanChange:
    """Inverse of :func:`change_to_dict` (validated)."""
    return cast(PlanChange, _read(PlanChange, _Reader(data, path)))
