"""The questions after a session: every red flag the web asks about reaches the plan."""

from __future__ import annotations

import io
import typing

import pytest
from sqlalchemy import select

from retrowalk.cli.app import run
from retrowalk.cli.session.prompts import RED_FLAGS
from retrowalk.services.database import Database
from retrowalk.services.logs import RatingsInput
from retrowalk.store import models
from tests.services.helpers import store_plan


def test_every_symptom_of_the_ratings_is_asked() -> None:
    flags = {name for name, kind in typing.get_type_hints(RatingsInput).items() if kind is bool}
    assert [name for name, _question in RED_FLAGS] == [
        "dizziness",
        "near_fall",
        "fall",
        "chest_pain",
        "fainting",
    ]
    assert {name for name, _question in RED_FLAGS} == flags


def _answers(reported: str) -> str:
    """What the walker types: start, then Enter for the scale, RPE and pain, the red flags (only
    ``reported`` yes), Enter for form and notes."""
    flags = ["y" if name == reported else "n" for name, _question in RED_FLAGS]
    return "\n".join(["", "", "", "", *flags, "", ""]) + "\n"


@pytest.mark.parametrize(
    ("reported", "rule_id"),
    [("fall", "stop.fall"), ("chest_pain", "stop.chest_pain"), ("fainting", "stop.fainting")],
)
def test_a_red_flag_reported_in_the_terminal_stops_the_plan(
    db: Database,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    reported: str,
    rule_id: str,
) -> None:
    with db.transaction() as session:
        store_plan(session)
    monkeypatch.setattr("sys.stdin", io.StringIO(_answers(reported)))
    args = ["session", "start", "--quick", "1m back", "--no-voice", "--time-scale", "1000"]
    assert run(args) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert "Plan: stop" in out
    assert "see a health professional" in out
    with db.factory() as session:
        (report,) = session.scalars(select(models.SymptomReport)).all()
        assert [name for name, _question in RED_FLAGS if getattr(report, name)] == [reported]
        plan = session.scalars(select(models.Plan)).one()
        assert plan.status == "stopped"
        (change,) = session.scalars(select(models.PlanChange)).all()
        assert change.rule_id == rule_id
    # As after the same answer on the web: no further session until a professional is seen.
    assert run(["session", "start", "--quick", "1m back", "--non-interactive"]) == 2
    assert "your plan is stopped" in capsys.readouterr().err
