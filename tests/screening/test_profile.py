"""Profile parsing: bad input gives one clear error naming the field; valid input round-trips."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from pydantic import ValidationError

from retrowalk.errors import InvalidInputError
from retrowalk.profile import (
    DAYS_PER_WEEK_DEFAULT,
    MINUTES_PER_DAY_DEFAULT,
    PARQ_QUESTION_IDS,
    PARQ_QUESTIONS,
    PROFILE_FIELDS,
    Condition,
    Equipment,
    Profile,
    load_profile,
    parse_profile,
)
from tests.strategies import PERSONAS_DIR, profile_data, profiles


def valid() -> dict[str, Any]:
    return {
        "age_years": 40,
        "sex": "female",
        "mass_kg": 65.0,
        "height_m": 1.68,
        "conditions": [],
        "falls_past_year": 0,
        "fear_of_falling": False,
        "dizziness": False,
        "pain": {},
        "uses_walking_aid": False,
        "parq": {q.id: False for q in PARQ_QUESTIONS},
        "equipment": ["hallway_with_rail"],
    }


def test_minimal_profile_gets_documented_defaults() -> None:
    profile = parse_profile(valid())
    assert profile.goals == ()
    assert profile.days_per_week == DAYS_PER_WEEK_DEFAULT
    assert profile.minutes_per_day == MINUTES_PER_DAY_DEFAULT
    assert profile.baseline_3mbwt_s is None
    assert profile.equipment == frozenset({Equipment.HALLWAY_WITH_RAIL})


def test_parq_has_the_seven_page_one_questions() -> None:
    assert [q.number for q in PARQ_QUESTIONS] == list(range(1, 8))
    assert len(PARQ_QUESTION_IDS) == 7
    assert all(q.text.endswith("?") for q in PARQ_QUESTIONS)


@pytest.mark.parametrize(
    ("field", "value", "error_field", "accepted_words"),
    [
        ("age_years", 0, "age_years", "18 to 110"),
        ("age_years", 130, "age_years", "18 to 110"),
        ("age_years", 40.5, "age_years", "whole number"),
        ("mass_kg", 5, "mass_kg", "30 to 300"),
        ("height_m", 175, "height_m", "1 to 2.5"),
        ("pain", {"knee": 11}, "pain.knee", "0 to 10"),
        ("pain", {"knee": -1}, "pain.knee", "0 to 10"),
        ("pain", {"": 3}, "pain", "body location"),
        ("conditions", ["flu"], "conditions.0", "knee_osteoarthritis"),
        ("equipment", ["stairs"], "equipment.0", "treadmill_with_rails"),
        ("equipment", [], "equipment", "non-empty"),
        ("sex", "F", "sex", "female, male, other"),
        ("dizziness", "yes", "dizziness", "true or false"),
        ("falls_past_year", -1, "falls_past_year", "0 to"),
        ("days_per_week", 8, "days_per_week", "1 to 7"),
        ("minutes_per_day", 1, "minutes_per_day", "5 to 120"),
        ("baseline_3mbwt_s", 0.0, "baseline_3mbwt_s", "seconds"),
        ("baseline_3mbwt_s", float("nan"), "baseline_3mbwt_s", "seconds"),
    ],
)
def test_bad_values_name_the_field_and_the_accepted_values(
    field: str, value: object, error_field: str, accepted_words: str
) -> None:
    data = valid() | {field: value}
    with pytest.raises(InvalidInputError) as info:
        parse_profile(data)
    assert info.value.field == error_field
    assert accepted_words in info.value.accepted
    assert str(info.value).startswith(f"{error_field}: got ")


def test_unknown_condition_lists_every_accepted_condition() -> None:
    with pytest.raises(InvalidInputError) as info:
        parse_profile(valid() | {"conditions": ["diabetes"]})
    for condition in Condition:
        assert condition.value in info.value.accepted


def test_unknown_field_is_named_with_the_accepted_fields() -> None:
    with pytest.raises(InvalidInputError) as info:
        parse_profile(valid() | {"favourite_colour": "blue"})
    assert info.value.field == "favourite_colour"
    for name in PROFILE_FIELDS:
        assert name in info.value.accepted


@pytest.mark.parametrize(
    "missing", ["age_years", "falls_past_year", "dizziness", "parq", "equipment", "conditions"]
)
def test_missing_required_answers_are_errors_not_silent_no(missing: str) -> None:
    data = valid()
    del data[missing]
    with pytest.raises(InvalidInputError) as info:
        parse_profile(data)
    assert info.value.field == missing
    assert info.value.accepted.startswith("required")


def test_every_parq_question_must_be_answered() -> None:
    data = valid()
    del data["parq"]["chest_pain"]
    with pytest.raises(InvalidInputError) as info:
        parse_profile(data)
    assert info.value.field == "parq.chest_pain"


def test_unknown_parq_question_is_named() -> None:
    data = valid()
    data["parq"]["smoker"] = True
    with pytest.raises(InvalidInputError) as info:
        parse_profile(data)
    assert info.value.field == "parq.smoker"
    assert "heart_condition_or_high_bp" in info.value.accepted


def test_not_a_mapping_is_an_error() -> None:
    with pytest.raises(InvalidInputError):
        parse_profile([1, 2])  # type: ignore[arg-type]


def test_profile_is_frozen() -> None:
    profile = parse_profile(valid())
    with pytest.raises(ValidationError):
        profile.age_years = 50  # type: ignore[misc]


@given(profiles())
def test_round_trip_through_json(profile: Profile) -> None:
    dumped = profile.model_dump(mode="json")
    assert parse_profile(json.loads(json.dumps(dumped))) == profile


@given(profile_data())
def test_valid_data_always_parses(data: dict[str, Any]) -> None:
    profile = parse_profile(data)
    assert profile.age_years == data["age_years"]
    assert {c.value for c in profile.conditions} == set(data["conditions"])


def test_json_dump_sorts_sets_for_stable_output() -> None:
    profile = parse_profile(valid() | {"equipment": ["park", "open_room", "track"]})
    assert profile.model_dump(mode="json")["equipment"] == ["open_room", "park", "track"]


def test_load_profile_reads_a_persona_without_its_metadata(tmp_path: Path) -> None:
    raw = json.loads((PERSONAS_DIR / "runner_25_treadmill.json").read_text(encoding="utf-8"))
    path = tmp_path / "runner.json"
    path.write_text(json.dumps({k: v for k, v in raw.items() if not k.startswith("_")}))
    assert load_profile(path).age_years == 25
    # The metadata keys themselves are unknown profile fields.
    with pytest.raises(InvalidInputError) as info:
        load_profile(PERSONAS_DIR / "runner_25_treadmill.json")
    assert info.value.field.startswith("_")


def test_load_profile_file_errors_name_the_file(tmp_path: Path) -> None:
    missing = tmp_path / "nope.json"
    with pytest.raises(InvalidInputError) as info:
        load_profile(missing)
    assert info.value.field == str(missing)

    broken = tmp_path / "broken.json"
    broken.write_text("{not json", encoding="utf-8")
    with pytest.raises(InvalidInputError) as info:
        load_profile(broken)
    assert info.value.field == str(broken)

    array = tmp_path / "array.json"
    array.write_text("[]", encoding="utf-8")
    with pytest.raises(InvalidInputError) as info:
        load_profile(array)
    assert info.value.field == str(array)


def test_load_profile_validates_content(tmp_path: Path) -> None:
    path = tmp_path / "p.json"
    path.write_text(json.dumps(valid() | {"age_years": 130}), encoding="utf-8")
    with pytest.raises(InvalidInputError) as info:
        load_profile(path)
    assert info.value.field == "age_years"
    path.write_text(json.dumps(valid()), encoding="utf-8")
    assert load_profile(path).sex == "female"
