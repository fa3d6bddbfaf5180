"""3MBWT: population choice, interpretation against cut-offs, and change beyond the MDC."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from retrowalk.assessments import (
    PRESETS,
    ChangeVerdict,
    Population,
    Verdict,
    compare,
    interpret,
    population_for,
)
from retrowalk.assessments import three_metre_backward_walk as m
from retrowalk.assessments.protocol import TRIAL_TIME_S_MAX, TRIAL_TIME_S_MIN
from retrowalk.errors import InvalidInputError
from retrowalk.profile import Condition, Profile, Sex
from tests.strategies import load_personas, profiles

TIMES = st.floats(TRIAL_TIME_S_MIN, TRIAL_TIME_S_MAX)


def base() -> Profile:
    return next(p.profile for p in load_personas() if p.name == "runner_25_treadmill")


def with_(profile: Profile, **changes: object) -> Profile:
    return profile.model_copy(update=changes)


def test_preset_values_match_the_research_notes() -> None:
    assert (m.CARTER_2019_LOW_RISK_S, m.CARTER_2019_HIGH_RISK_S) == (3.0, 4.5)
    assert m.POLO_FERRERO_2025_S == 5.5
    assert (m.KAPAN_2025_NURSING_HOME_RETROSPECTIVE_S, m.KAPAN_2025_NURSING_HOME_PROSPECTIVE_S) == (
        9.31,
        8.15,
    )
    assert (m.CARTER_2020_PD_S, m.KOCER_2023_PD_S, m.SOKE_2022_MS_S) == (4.2, 10.31, 7.86)
    assert (m.SOKE_2022_MS_MDC_S, m.KOCER_2023_PD_MDC_S) == (1.69, 2.13)
    assert (m.OZDEN_THA_MDC95_S, m.UNVER_2020_TKA_SRD95_S) == (4.33, 2.94)
    assert PRESETS[Population.COMMUNITY_OLDER_ADULTS].mdc is None
    assert PRESETS[Population.STROKE].cutoff is None


def test_every_population_has_a_preset_with_notes_and_sources() -> None:
    assert set(PRESETS) == set(Population)
    for population, preset in PRESETS.items():
        assert preset.population is population
        if preset.cutoff is not None:
            assert preset.cutoff.source
            assert getattr(m, preset.cutoff.name) == preset.cutoff.time_s
        if preset.mdc is not None:
            assert getattr(m, preset.mdc.name) == preset.mdc.value_s
        if preset.cutoff is None or preset.mdc is None:
            assert preset.notes, "missing evidence must be said"


@pytest.mark.parametrize(
    ("changes", "population"),
    [
        ({}, Population.ADULT_MEN),
        ({"sex": Sex.FEMALE}, Population.ADULT_WOMEN),
        ({"sex": Sex.OTHER}, Population.UNSPECIFIED),
        ({"age_years": 65}, Population.COMMUNITY_OLDER_ADULTS),
        ({"conditions": frozenset({Condition.PARKINSONS})}, Population.PARKINSONS),
        ({"conditions": frozenset({Condition.MULTIPLE_SCLEROSIS})}, Population.MULTIPLE_SCLEROSIS),
        ({"conditions": frozenset({Condition.STROKE})}, Population.STROKE),
        (
            {"conditions": frozenset({Condition.STROKE, Condition.PARKINSONS})},
            Population.UNSPECIFIED,
        ),
        ({"conditions": frozenset({Condition.PREGNANCY})}, Population.UNSPECIFIED),
        ({"conditions": frozenset({Condition.VESTIBULAR_DISORDER})}, Population.UNSPECIFIED),
        ({"age_years": 75, "uses_walking_aid": True}, Population.UNSPECIFIED),
        (
            {"age_years": 75, "conditions": frozenset({Condition.KNEE_OSTEOARTHRITIS})},
            Population.COMMUNITY_OLDER_ADULTS,
        ),
    ],
)
def test_population_for(changes: dict[str, object], population: Population) -> None:
    assert population_for(with_(base(), **changes)) is population


@given(profiles())
def test_population_for_always_returns_a_preset(profile: Profile) -> None:
    assert population_for(profile) in PRESETS


@pytest.mark.parametrize(
    ("time_s", "verdict"),
    [
        (2.5, Verdict.FASTER_THAN_CUTOFF),
        (3.0, Verdict.BETWEEN_CUTOFFS),
        (4.49, Verdict.BETWEEN_CUTOFFS),
        (4.5, Verdict.SLOWER_THAN_CUTOFF),
        (7.0, Verdict.SLOWER_THAN_CUTOFF),
    ],
)
def test_community_older_adults_bands(time_s: float, verdict: Verdict) -> None:
    result = interpret(time_s, Population.COMMUNITY_OLDER_ADULTS)
    assert result.verdict is verdict
    assert result.cutoff_s == 4.5
    assert "Carter" in result.source
    assert any("retrospective" in n for n in result.notes)
    assert any("5.5 s" in n for n in result.notes), "Polo-Ferrero is reported too"


def test_parkinsons_uses_the_lower_cutoff_and_reports_the_other() -> None:
    result = interpret(5.0, Population.PARKINSONS)
    assert result.slower_than_cutoff
    assert result.cutoff_s == 4.2
    assert any("10.31" in n for n in result.notes)
    assert not interpret(4.1, Population.PARKINSONS).slower_than_cutoff


def test_ms_cutoff() -> None:
    assert interpret(7.86, Population.MULTIPLE_SCLEROSIS).slower_than_cutoff
    assert interpret(7.0, Population.MULTIPLE_SCLEROSIS).verdict is Verdict.FASTER_THAN_CUTOFF


def test_norms_are_not_called_fall_risk() -> None:
    slow = interpret(3.6, Population.ADULT_WOMEN)
    assert slow.verdict is Verdict.SLOWER_THAN_CUTOFF
    assert "average range" in slow.text
    assert interpret(3.2, Population.ADULT_WOMEN).verdict is Verdict.BETWEEN_CUTOFFS
    assert interpret(3.2, Population.ADULT_MEN).verdict is Verdict.SLOWER_THAN_CUTOFF
    assert interpret(2.0, Population.ADULT_MEN).verdict is Verdict.FASTER_THAN_CUTOFF


@pytest.mark.parametrize("population", [Population.STROKE, Population.UNSPECIFIED])
def test_no_cutoff_is_said_honestly(population: Population) -> None:
    result = interpret(6.0, population)
    assert result.verdict is Verdict.NO_VALIDATED_CUTOFF
    assert result.cutoff_s is None
    assert "no validated cut-off" in result.text.lower()
    assert not result.slower_than_cutoff


@given(TIMES, st.sampled_from(list(Population)))
def test_interpretation_is_monotonic(time_s: float, population: Population) -> None:
    result = interpret(time_s, population)
    if result.cutoff_s is not None:
        assert result.slower_than_cutoff == (time_s >= result.cutoff_s)
    assert result.text


def test_bad_time_is_rejected() -> None:
    with pytest.raises(InvalidInputError) as info:
        interpret(-1.0, Population.PARKINSONS)
    assert info.value.field == "time_s"
    with pytest.raises(InvalidInputError) as info:
        compare(5.0, 500.0, Population.PARKINSONS)
    assert info.value.field == "current_s"


@pytest.mark.parametrize(
    ("previous", "current", "verdict"),
    [
        (8.0, 6.0, ChangeVerdict.NO_REAL_CHANGE),  # 2.0 s < 2.13 s
        (8.0, 5.8, ChangeVerdict.IMPROVED),  # 2.2 s > 2.13 s
        (5.0, 7.5, ChangeVerdict.WORSE),
        (5.0, 5.0, ChangeVerdict.NO_REAL_CHANGE),
    ],
)
def test_parkinsons_change_against_the_mdc(
    previous: float, current: float, verdict: ChangeVerdict
) -> None:
    change = compare(previous, current, Population.PARKINSONS)
    assert change.verdict is verdict
    assert change.mdc_s == 2.13
    assert change.difference_s == pytest.approx(current - previous)


def test_ms_and_arthroplasty_mdcs() -> None:
    assert compare(9.0, 7.2, Population.MULTIPLE_SCLEROSIS).verdict is ChangeVerdict.IMPROVED
    assert compare(9.0, 7.4, Population.MULTIPLE_SCLEROSIS).verdict is ChangeVerdict.NO_REAL_CHANGE
    assert compare(12.0, 8.0, Population.TOTAL_HIP_ARTHROPLASTY).verdict is (
        ChangeVerdict.NO_REAL_CHANGE
    )
    assert compare(12.0, 9.0, Population.TOTAL_KNEE_ARTHROPLASTY).verdict is (
        ChangeVerdict.IMPROVED
    )


def test_older_adults_change_cannot_be_told_from_noise() -> None:
    change = compare(6.0, 4.0, Population.COMMUNITY_OLDER_ADULTS)
    assert change.verdict is ChangeVerdict.CANNOT_TELL
    assert change.mdc_s is None
    assert "limited evidence" in change.text


@given(TIMES, TIMES, st.sampled_from(list(Population)))
def test_change_is_consistent(previous: float, current: float, population: Population) -> None:
    change = compare(previous, current, population)
    if change.mdc_s is None:
        assert change.verdict is ChangeVerdict.CANNOT_TELL
    elif abs(current - previous) <= change.mdc_s:
        assert change.verdict is ChangeVerdict.NO_REAL_CHANGE
    else:
        assert change.verdict is (
            ChangeVerdict.IMPROVED if current < previous else ChangeVerdict.WORSE
        )
