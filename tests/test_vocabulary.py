"""One vocabulary: every list of red flags, walked statuses and RPE scales comes from
``retrowalk.vocabulary`` (or is checked against it here), so a new symptom cannot be forgotten
anywhere a walker reports one."""

from __future__ import annotations

import dataclasses
import typing

from retrowalk.cli.session.prompts import RED_FLAGS
from retrowalk.plans import SessionOutcome
from retrowalk.progress import SymptomEntry
from retrowalk.services.logfacts import EVENT_BITS
from retrowalk.services.logs import RatingsInput
from retrowalk.store import models
from retrowalk.vocabulary import WALKED_STATUSES, LogStatus, RpeScale, Symptom
from retrowalk.web.schemas import LogCreate, RatingsCreate

SYMPTOMS = {symptom.value for symptom in Symptom}


def _bool_fields(names: typing.Iterable[str]) -> set[str]:
    return set(names) & (SYMPTOMS | {"form_steady", "stopped_for_pain"})


def test_every_symptom_list_is_the_vocabulary() -> None:
    assert [name for name, _question in RED_FLAGS] == [s.value for s in Symptom]
    assert tuple(EVENT_BITS) == tuple(Symptom)
    assert _bool_fields(f.name for f in dataclasses.fields(RatingsInput)) - {"form_steady"} == (
        SYMPTOMS
    )
    assert (
        _bool_fields(f.name for f in dataclasses.fields(SessionOutcome)) - {"form_steady"}
        == SYMPTOMS
    )
    assert (
        _bool_fields(f.name for f in dataclasses.fields(SymptomEntry)) - {"stopped_for_pain"}
        == SYMPTOMS
    )
    assert _bool_fields(RatingsCreate.model_fields) - {"form_steady"} == SYMPTOMS
    assert set(models.SymptomReport.__table__.columns.keys()) >= SYMPTOMS


def test_every_symptom_has_plain_words() -> None:
    for symptom in Symptom:
        assert symptom.label[:1].isupper()
        assert symptom.question.endswith("?")


def test_walked_statuses_and_rpe_scales_are_the_vocabulary() -> None:
    assert set(WALKED_STATUSES) == {LogStatus.COMPLETED, LogStatus.STOPPED}
    assert set(typing.get_args(LogCreate.model_fields["status"].annotation)) == set(WALKED_STATUSES)
    assert set(typing.get_args(RatingsCreate.model_fields["rpe_scale"].annotation)) == set(RpeScale)
