"""Per-log facts for progress, derived when a log is written and stored on its row.

A progress report sums minutes, effort, energy and symptoms over every log. Deriving those from
each log's segments, symptom reports and energy JSON on every report is work in proportion to the
whole history; the facts are derived once here, in Python, by the rules of ``docs/progress.md``,
and the report groups these plain columns in the database.

Facts carry :data:`FACTS_VERSION`. Rows without facts (or with older ones) are derived again when
the database is opened (:func:`derive_missing_facts`) and, until then, read the slow way.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, Final

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, selectinload

from retrowalk.energy import Range
from retrowalk.store import models
from retrowalk.vocabulary import Symptom

#: Bump when the derivation changes: stored facts of an older version are derived again.
FACTS_VERSION: Final = 1

#: Bits of :attr:`LogFacts.events`, lowest first (the order of :class:`Symptom`; stored: never
#: reorder).
EVENT_BITS: Final = tuple(Symptom)

#: Logs derived per transaction by :func:`derive_missing_facts`.
_BATCH: Final = 500


# Reading the stored energy JSON (defensively: a missing value is never 0)

#: Keys under which a per-session gross kcal range may be stored, most specific first.
_KCAL_KEYS: Final = ("energy_kcal", "kcal", "gross_kcal")
_METS_KEYS: Final = ("mets", "mets_central")


def _range_from(value: object) -> Range | None:
    if not isinstance(value, Mapping):
        return None
    ends: list[float] = []
    for key in ("low", "central", "high"):
        end = value.get(key)
        if not isinstance(end, int | float) or isinstance(end, bool):
            return None
        ends.append(float(end))
    try:
        result = Range(*ends)
    except ValueError:
        return None
    return result if result.low >= 0 else None


def energy_range(document: Mapping[str, Any] | None) -> Range | None:
    """The gross kcal range in a stored energy JSON, or ``None`` when there is none."""
    if not isinstance(document, Mapping):
        return None
    for key in _KCAL_KEYS:
        if key in document:
            return _range_from(document[key])
    return _range_from(document)


def mets_central(document: Mapping[str, Any] | None) -> float | None:
    """The central gross METs in a stored energy JSON, or ``None``."""
    if not isinstance(document, Mapping):
        return None
    for key in _METS_KEYS:
        value = document.get(key)
        if isinstance(value, Mapping):
            value = value.get("central")
        if isinstance(value, int | float) and not isinstance(value, bool):
            number = float(value)
            return number if math.isfinite(number) and number > 0 else None
    return None


@dataclass(frozen=True, slots=True)
class LogFacts:
    """What progress needs from one log.

    Attributes
    ----------
    walked_s, backward_s
        Seconds walked, and backward (at most ``walked_s``).
    kcal
        Gross energy range: the session's, else the sum of its segments' when every segment has
        one; ``None`` when unknown.
    mets_central
        The session's central METs, else the time-weighted mean of its segments'; or ``None``.
    rpe, rpe_scale
        The rating of effort of the latest report that has one.
    pain_0_10, pain_location
        The worst pain reported (the first report with it) and its location, or else the first
        location given.
    events
        Dizziness, near-fall, fall, chest pain and fainting reported in any report, as bits
        (:data:`EVENT_BITS`, lowest first).
    """

    walked_s: float
    backward_s: float
    kcal: Range | None
    mets_central: float | None
    rpe: float | None
    rpe_scale: str | None
    pain_0_10: int | None
    pain_location: str | None
    events: int

    #: The log row's columns that hold the facts (besides ``facts_version``).
    COLUMNS: ClassVar[tuple[str, ...]] = (
        "walked_s",
        "backward_s",
        "kcal_low",
        "kcal_central",
        "kcal_high",
        "mets_central",
        "rpe",
        "rpe_scale",
        "pain_0_10",
        "pain_location",
        "events",
    )

    @classmethod
    def of_row(cls, row: Any) -> LogFacts:
        """The facts stored on a log row (or a result row with :attr:`COLUMNS`)."""
        kcal = None
        if row.kcal_low is not None and row.kcal_central is not None and row.kcal_high is not None:
            kcal = Range(row.kcal_low, row.kcal_central, row.kcal_high)
        return cls(
            walked_s=row.walked_s,
            backward_s=row.backward_s,
            kcal=kcal,
            mets_central=row.mets_central,
            rpe=row.rpe,
            rpe_scale=row.rpe_scale,
            pain_0_10=row.pain_0_10,
            pain_location=row.pain_location,
            events=row.events,
        )

    @property
    def event_names(self) -> frozenset[str]:
        """The events reported, by name (:data:`EVENT_BITS`)."""
        return frozenset(name for bit, name in enumerate(EVENT_BITS) if self.events >> bit & 1)

    def columns(self) -> dict[str, Any]:
        """The values of the log row's fact columns."""
        return {
            "facts_version": FACTS_VERSION,
            "walked_s": self.walked_s,
            "backward_s": self.backward_s,
            "kcal_low": None if self.kcal is None else self.kcal.low,
            "kcal_central": None if self.kcal is None else self.kcal.central,
            "kcal_high": None if self.kcal is None else self.kcal.high,
            "mets_central": self.mets_central,
            "rpe": self.rpe,
            "rpe_scale": self.rpe_scale,
            "pain_0_10": self.pain_0_10,
            "pain_location": self.pain_location,
            "events": self.events,
        }


def _document(value: object) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _mets(log: models.SessionLog) -> float | None:
    stored = mets_central({"mets": _document(log.energy).get("mets")})
    if stored is not None:
        return stored
    weighted = total_s = 0.0
    for segment in log.segments:
        if segment.duration_s <= 0:
            continue
        value = mets_central(segment.energy)
        if value is None:
            return None
        weighted += value * segment.duration_s
        total_s += segment.duration_s
    return weighted / total_s if total_s > 0 else None


def _kcal(log: models.SessionLog) -> Range | None:
    stored = energy_range({"energy_kcal": _document(log.energy).get("energy_kcal")})
    if stored is not None or not log.segments:
        return stored
    total: Range | None = None
    for segment in log.segments:
        one = energy_range(segment.energy)
        if one is None:
            return None
        total = one if total is None else total + one
    return total


def derive_facts(log: models.SessionLog) -> LogFacts:
    """The facts of ``log`` (with its segments and reports loaded)."""
    reports: Sequence[models.SymptomReport] = sorted(
        log.symptoms, key=lambda r: (r.recorded_at, r.id or "")
    )
    walked_s = sum(s.duration_s for s in log.segments)
    backward_s = sum(s.duration_s for s in log.segments if s.direction == "backward")
    rated = [r for r in reports if r.rpe is not None]
    pains = [r for r in reports if r.pain_0_10 is not None]
    worst = max(pains, key=lambda r: r.pain_0_10 or 0) if pains else None
    first_location = next((r.pain_location for r in reports if r.pain_location), None)
    events = 0
    for bit, name in enumerate(EVENT_BITS):
        if any(getattr(r, name) for r in reports):
            events |= 1 << bit
    return LogFacts(
        walked_s=walked_s,
        backward_s=min(walked_s, backward_s),
        kcal=_kcal(log),
        mets_central=_mets(log),
        rpe=rated[-1].rpe if rated else None,
        rpe_scale=rated[-1].rpe_scale if rated else None,
        pain_0_10=None if worst is None else worst.pain_0_10,
        pain_location=worst.pain_location
        if worst is not None and worst.pain_location
        else first_location,
        events=events,
    )


def store_facts(log: models.SessionLog) -> None:
    """Derive ``log``'s facts and set them on its row (after every change to it)."""
    for name, value in derive_facts(log).columns().items():
        setattr(log, name, value)


def needs_facts() -> Any:
    """SQL condition: the log's facts are missing or from an older derivation."""
    version = models.SessionLog.facts_version
    return or_(version.is_(None), version < FACTS_VERSION)


def derive_missing_facts(session: Session) -> int:
    """Derive and store the facts of every log that lacks them; return how many were derived."""
    done = 0
    while True:
        batch = session.scalars(
            select(models.SessionLog)
            .where(needs_facts())
            .order_by(models.SessionLog.id)
            .limit(_BATCH)
            .options(
                selectinload(models.SessionLog.segments), selectinload(models.SessionLog.symptoms)
            )
        ).all()
        for log in batch:
            store_facts(log)
        session.flush()
        done += len(batch)
        if len(batch) < _BATCH:
            return done
