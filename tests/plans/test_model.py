"""The plan types: outcomes, effort bands and finding a day's session (plans/model.py)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from retrowalk.errors import InvalidInputError
from retrowalk.plans import SessionOutcome, generate_plan
from retrowalk.plans.rules import EffortBand
from tests.plans.helpers import START, profile, screening


def test_today_finds_the_scheduled_session() -> None:
    plan = generate_plan(profile(), screening(), start_on=START)
    assert plan.session_on(START) is plan.weeks[0].sessions[0]
    assert plan.session_on(START + timedelta(days=1)) is None


@pytest.mark.parametrize(
    ("borg", "cr10", "band"),
    [
        (11, None, EffortBand.LIGHT),
        (12, None, EffortBand.MODERATE),
        (13, None, EffortBand.MODERATE),
        (14, None, EffortBand.HIGH),
        (None, 2.5, EffortBand.LIGHT),
        (None, 3, EffortBand.MODERATE),
        (None, 4, EffortBand.MODERATE),
        (None, 4.5, EffortBand.HIGH),
        (12, 5, EffortBand.HIGH),
        (None, None, EffortBand.UNKNOWN),
    ],
)
def test_effort_bands(borg: int | None, cr10: float | None, band: EffortBand) -> None:
    outcome = SessionOutcome(START, True, rpe_borg=borg, rpe_cr10=cr10)
    assert outcome.effort is band


@pytest.mark.parametrize(
    "kwargs", [{"rpe_borg": 5}, {"rpe_borg": 21}, {"rpe_cr10": 11.0}, {"pain_0_10": 11}]
)
def test_outcome_values_are_validated(kwargs: dict[str, object]) -> None:
    with pytest.raises(InvalidInputError):
        SessionOutcome(START, True, **kwargs)
