"""The request schemas state the rules the app applies: the document's patterns and the models
accept and refuse the same values."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import BaseModel, ValidationError

from retrowalk.errors import InvalidInputError
from retrowalk.limits import DATE_MAX, DATE_MIN
from retrowalk.profile import (
    PAIN_LOCATION_MAX_CHARS,
    example_profile_data,
    parse_profile,
    profile_json_schema,
)
from retrowalk.web.schemas import DATE_PATTERN, DATETIME_PATTERN, Day, Moment, PlanCreate


class _Dated(BaseModel):
    on: Day
    at: Moment


@given(st.dates(min_value=date(1, 1, 2), max_value=date(9999, 12, 30)))
def test_the_date_pattern_is_the_accepted_date_range(day: date) -> None:
    inside = DATE_MIN <= day <= DATE_MAX
    assert (re.fullmatch(DATE_PATTERN, day.isoformat()) is not None) == inside
    moment = f"{day.isoformat()}T12:00:00+01:00"
    assert (re.fullmatch(DATETIME_PATTERN, moment) is not None) == inside
    if inside:
        _Dated(on=day.isoformat(), at=moment)  # type: ignore[arg-type]
    else:
        with pytest.raises(ValidationError):
            _Dated(on=day.isoformat(), at=moment)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("on", "at"),
    [
        (DATE_MIN.isoformat(), "946684800"),  # a Unix time
        (DATE_MIN.isoformat(), "2000-01-01 00:00:00Z"),  # a space for the T
        (DATE_MIN.isoformat(), "2000-01-01T00:00:00"),  # no UTC offset
        ("2000-01-01T00:00:00", "2000-01-01T00:00:00Z"),  # a time for a day
        ((DATE_MIN - timedelta(days=1)).isoformat(), "2000-01-01T00:00:00Z"),
    ],
)
def test_other_spellings_of_times_are_refused(on: str, at: str) -> None:
    with pytest.raises(ValidationError):
        _Dated(on=on, at=at)  # type: ignore[arg-type]


@pytest.mark.parametrize(("weeks", "ok"), [(2, True), (2.0, True), ("2", False), (True, False)])
def test_a_whole_number_is_an_integer_in_json_terms(weeks: object, ok: bool) -> None:
    if ok:
        assert PlanCreate(weeks=weeks).weeks == 2  # type: ignore[arg-type]
    else:
        with pytest.raises(ValidationError):
            PlanCreate(weeks=weeks)  # type: ignore[arg-type]


@given(st.text(max_size=PAIN_LOCATION_MAX_CHARS + 5))
def test_the_pain_location_pattern_is_what_the_profile_accepts(location: str) -> None:
    pattern = profile_json_schema()["properties"]["pain"]["propertyNames"]["pattern"]
    stated = re.fullmatch(pattern, location) is not None
    profile = {**example_profile_data(), "pain": {location: 3}}
    try:
        parse_profile(profile)
    except InvalidInputError:
        accepted = False
    else:
        accepted = True
    assert stated == accepted
