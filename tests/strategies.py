"""Shared test helpers: a hypothesis strategy for valid profiles and the persona fixtures.

The plan engine's tests import these too::

    from tests.strategies import load_personas, profiles
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hypothesis import strategies as st

from retrowalk.limits import (
    AGE_YEARS_MAX,
    AGE_YEARS_MIN,
    HEIGHT_M_MAX,
    HEIGHT_M_MIN,
    MASS_KG_MAX,
    MASS_KG_MIN,
    PAIN_MAX,
    PAIN_MIN,
)
from retrowalk.profile import (
    BASELINE_3MBWT_S_MAX,
    BASELINE_3MBWT_S_MIN,
    DAYS_PER_WEEK_MAX,
    DAYS_PER_WEEK_MIN,
    MINUTES_PER_DAY_MAX,
    MINUTES_PER_DAY_MIN,
    PARQ_QUESTIONS,
    Condition,
    Equipment,
    Profile,
    Sex,
    parse_profile,
)

PERSONAS_DIR = Path(__file__).parent / "fixtures" / "personas"

_LOCATIONS = st.sampled_from(
    ["left_knee", "right_knee", "lower_back", "hip", "ankle", "neck", "shoulder", "foot"]
)


def profile_data(*, healthy: bool = False) -> st.SearchStrategy[dict[str, Any]]:
    """Raw JSON-like data for a valid profile (``healthy``: no risk answers at all)."""
    if healthy:
        conditions: st.SearchStrategy[list[str]] = st.just([])
        falls = st.just(0)
        flags = st.just(False)
        pain: st.SearchStrategy[dict[str, int]] = st.just({})
        parq = st.just({q.id: False for q in PARQ_QUESTIONS})
        age = st.integers(AGE_YEARS_MIN, 64)
        baseline: st.SearchStrategy[float | None] = st.none()
    else:
        conditions = st.lists(st.sampled_from([c.value for c in Condition]), unique=True)
        falls = st.integers(0, 12) | st.just(0)
        flags = st.booleans()
        pain = st.dictionaries(_LOCATIONS, st.integers(PAIN_MIN, PAIN_MAX), max_size=3)
        parq = st.fixed_dictionaries({q.id: st.booleans() for q in PARQ_QUESTIONS})
        age = st.integers(AGE_YEARS_MIN, AGE_YEARS_MAX)
        baseline = st.none() | st.floats(
            BASELINE_3MBWT_S_MIN, BASELINE_3MBWT_S_MAX, allow_nan=False, allow_infinity=False
        )
    return st.fixed_dictionaries(
        {
            "age_years": age,
            "sex": st.sampled_from([s.value for s in Sex]),
            "mass_kg": st.floats(MASS_KG_MIN, MASS_KG_MAX, allow_nan=False, allow_infinity=False),
            "height_m": st.floats(
                HEIGHT_M_MIN, HEIGHT_M_MAX, allow_nan=False, allow_infinity=False
            ),
            "conditions": conditions,
            "falls_past_year": falls,
            "fear_of_falling": flags,
            "dizziness": flags,
            "pain": pain,
            "uses_walking_aid": flags,
            "parq": parq,
            "equipment": st.lists(
                st.sampled_from([e.value for e in Equipment]), min_size=1, unique=True
            ),
            "goals": st.lists(st.sampled_from(["balance", "knee pain", "fitness"]), max_size=3),
            "days_per_week": st.integers(DAYS_PER_WEEK_MIN, DAYS_PER_WEEK_MAX),
            "minutes_per_day": st.integers(MINUTES_PER_DAY_MIN, MINUTES_PER_DAY_MAX),
            "baseline_3mbwt_s": baseline,
        }
    )


def profiles(*, healthy: bool = False) -> st.SearchStrategy[Profile]:
    """Valid :class:`Profile` objects, from healthy to many risks at once."""
    return profile_data(healthy=healthy).map(parse_profile)


@dataclass(frozen=True)
class Persona:
    """A persona fixture: its name, description, profile and expected screening outcome."""

    name: str
    description: str
    profile: Profile
    expected_clearance: str
    expected_rules: tuple[str, ...]


def load_personas() -> list[Persona]:
    """Every ``tests/fixtures/personas/*.json``; keys starting with ``_`` are metadata."""
    personas = []
    for path in sorted(PERSONAS_DIR.glob("*.json")):
        raw = json.loads(path.read_text(encoding="utf-8"))
        expected = raw["_expected"]
        data = {k: v for k, v in raw.items() if not k.startswith("_")}
        personas.append(
            Persona(
                path.stem,
                raw.get("_description", ""),
                parse_profile(data),
                expected["clearance"],
                tuple(expected.get("rules", ())),
            )
        )
    return personas
