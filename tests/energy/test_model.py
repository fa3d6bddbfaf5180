import math

import pytest

from retrowalk.energy import (
    ACSM_WALKING,
    BACKWARD_RATIO_2024_NOTES,
    LCDA_2019,
    LCDA_2019_INNER_BASE_1_11,
    Range,
    estimate,
)
from retrowalk.errors import InvalidInputError
from retrowalk.vocabulary import Direction


def test_lcda_level_anchor_by_hand():
    # Looney et al. 2019 (LCDA), S in m/s: M = 1.44 + 1.94*S^0.43 + 0.24*S^4 W/kg.
    # energy_notes.md: at 1.341 m/s level LCDA gives 4.42 W/kg, about 13.2 mL/kg/min.
    s = 1.341
    by_hand_w_kg = 1.44 + 1.94 * s**0.43 + 0.24 * s**4
    assert LCDA_2019.metabolic_rate_w_kg(s, 0) == pytest.approx(by_hand_w_kg)
    assert by_hand_w_kg == pytest.approx(4.42, abs=0.005)
    # W/kg -> mL/kg/min: x 60 / 20.1 (20.1 kJ per L O2)
    assert LCDA_2019.vo2_ml_kg_min(s, 0) == pytest.approx(by_hand_w_kg * 60 / 20.1)
    assert LCDA_2019.vo2_ml_kg_min(s, 0) == pytest.approx(13.2, abs=0.05)


def test_acsm_walking_anchor_by_hand():
    # ACSM GETP Table 6.3 (via Bushman 2020): VO2 = 3.5 + 0.1*S + 1.8*S*G, S in m/min.
    # Williford 1998 speed 80.45 m/min level: 3.5 + 8.045 = 11.545 (notes: 11.54).
    assert ACSM_WALKING.vo2_ml_kg_min(80.45 / 60, 0) == pytest.approx(11.545)
    # 3.5 mph (93.88 m/min) at 5 %: notes give 21.3 mL/kg/min.
    s = 3.5 * 0.44704 * 60
    assert ACSM_WALKING.vo2_ml_kg_min(s / 60, 5) == pytest.approx(3.5 + 0.1 * s + 1.8 * s * 0.05)
    assert ACSM_WALKING.vo2_ml_kg_min(s / 60, 5) == pytest.approx(21.3, abs=0.1)


def test_grade_term_variants_differ_only_on_grades():
    assert LCDA_2019.vo2_ml_kg_min(1.3, 0) == LCDA_2019_INNER_BASE_1_11.vo2_ml_kg_min(1.3, 0)
    # At 5 %: 1 - 1.05**(1 - 1.1**37) = 0.800 vs 0.896 with 1.11.
    shape_11 = 1 - 1.05 ** (1 - 1.1**37)
    shape_111 = 1 - 1.05 ** (1 - 1.11**37)
    assert shape_11 == pytest.approx(0.800, abs=0.001)
    assert shape_111 == pytest.approx(0.896, abs=0.001)
    assert LCDA_2019_INNER_BASE_1_11.vo2_ml_kg_min(1.3, 5) > LCDA_2019.vo2_ml_kg_min(1.3, 5)


def test_forward_range_spans_both_transcriptions():
    result = estimate("forward", 1.5, 5, 70, 600)
    for preset in (LCDA_2019, LCDA_2019_INNER_BASE_1_11):
        assert result.vo2_ml_kg_min.contains(preset.vo2_ml_kg_min(1.5, 5))


def test_backward_central_is_ratio_on_forward():
    fw = estimate("forward", 1.3, 0, 70, 600)
    bw = estimate("backward", 1.3, 0, 70, 600)
    assert bw.backward_ratio == BACKWARD_RATIO_2024_NOTES.ratio
    assert bw.vo2_ml_kg_min.central == pytest.approx(1.30 * fw.vo2_ml_kg_min.central)
    assert fw.backward_ratio is None


def test_units_of_outputs():
    result = estimate(Direction.BACKWARD, 1.2, 0, 80, 1200)
    vo2 = result.vo2_ml_kg_min
    assert result.mets.central == pytest.approx(vo2.central / 3.5)
    # kcal = VO2 (mL/kg/min) x kg x min / 1000 x 5 kcal/L (ACSM: MET x 3.5 x kg / 200 per min)
    assert result.energy_kcal.central == pytest.approx(vo2.central * 80 * 20 / 1000 * 5.0)
    assert result.energy_kcal.central == pytest.approx(result.mets.central * 3.5 * 80 / 200 * 20)
    assert result.energy_net_kcal.central == pytest.approx((vo2.central - 3.5) * 80 * 20 / 200)
    assert result.energy_kcal.low == pytest.approx(vo2.low * 80 * 20 / 1000 * 4.7)
    assert result.energy_kcal.high == pytest.approx(vo2.high * 80 * 20 / 1000 * 5.05)
    assert result.inputs_si["speed_m_s"] == 1.2


def test_practice_lowers_backward_cost_but_never_below_forward():
    novice = estimate("backward", 1.4, 0, 70, 600)
    some = estimate("backward", 1.4, 0, 70, 600, backward_practice_sessions=6)
    practised = estimate("backward", 1.4, 0, 70, 600, backward_practice_sessions=12)
    beyond = estimate("backward", 1.4, 0, 70, 600, backward_practice_sessions=40)
    forward = estimate("forward", 1.4, 0, 70, 600)
    assert novice.vo2_ml_kg_min.central > some.vo2_ml_kg_min.central
    assert some.vo2_ml_kg_min.central > practised.vo2_ml_kg_min.central
    assert practised.vo2_ml_kg_min == beyond.vo2_ml_kg_min
    # Heath 2001: -19 % at most; half of it in the central figure (derived midpoint).
    reduction = 1 - 1.66 / 2.05
    assert practised.backward_ratio is not None
    assert practised.backward_ratio.central == pytest.approx(1.30 * (1 - reduction / 2))
    assert practised.backward_ratio.low == 1.0  # 1.15 x 0.81 < 1: floored
    assert practised.backward_ratio.high == 1.45  # no-effect case kept
    assert practised.vo2_ml_kg_min.low >= forward.vo2_ml_kg_min.low
    assert any("limited evidence" in w for w in practised.warnings)
    assert any("beyond 12 sessions" in w for w in beyond.warnings)
    assert not any("practice" in w for w in novice.warnings)


@pytest.mark.parametrize(
    ("speed", "grade", "fragment"),
    [
        (0.5, 0, "no backward energy data below 0.89"),
        (1.0, 0, "limited evidence"),
        (1.7, 0, "running backward near 1.63"),
        (1.3, -5, "downhill backward"),
        (1.3, 15, "up to 10% grade"),
        (2.5, 0, "running speed"),
    ],
)
def test_warnings_outside_evidence(speed, grade, fragment):
    result = estimate("backward", speed, grade, 70, 600)
    assert any(fragment in w for w in result.warnings), result.warnings


def test_no_warnings_in_the_heart_of_the_evidence():
    assert estimate("backward", 1.34, 0, 70, 600).warnings == ()
    assert estimate("forward", 1.34, 0, 70, 600).warnings == ()


def test_no_data_widens_rather_than_narrows():
    inside = estimate("backward", 1.2, 0, 70, 600).backward_ratio
    downhill = estimate("backward", 1.2, -3, 70, 600).backward_ratio
    slow = estimate("backward", 0.6, 0, 70, 600).backward_ratio
    assert inside is not None
    assert downhill is not None
    assert slow is not None
    assert downhill.width > inside.width
    assert slow.width > inside.width
    assert downhill.low == slow.low == 1.0


def test_running_speed_uses_running_equation_and_wide_range():
    result = estimate("forward", 2.235, 0, 70, 600)
    assert result.regime == "running_speed"
    assert result.forward_equation == "ACSM running"
    # ACSM running: 3.5 + 0.2 x 134.1 m/min
    assert result.vo2_ml_kg_min.central == pytest.approx(3.5 + 0.2 * 2.235 * 60)
    assert result.vo2_ml_kg_min.low == pytest.approx(3.5 + 0.1 * 2.235 * 60)


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"speed_m_s": -1.0}, "speed_m_s"),
        ({"speed_m_s": 0.0}, "speed_m_s"),
        ({"speed_m_s": math.nan}, "speed_m_s"),
        ({"speed_m_s": 10.0}, "speed_m_s"),
        ({"grade_pct": math.inf}, "grade_pct"),
        ({"grade_pct": 60.0}, "grade_pct"),
        ({"grade_pct": -50.0}, "grade_pct"),
        ({"mass_kg": -70.0}, "mass_kg"),
        ({"mass_kg": 1000.0}, "mass_kg"),
        ({"mass_kg": math.nan}, "mass_kg"),
        ({"duration_s": 0.0}, "duration_s"),
        ({"duration_s": -60.0}, "duration_s"),
        ({"duration_s": 1e9}, "duration_s"),
        ({"direction": "sideways"}, "direction"),
        ({"backward_practice_sessions": -1}, "backward_practice_sessions"),
        ({"backward_practice_sessions": 1.5}, "backward_practice_sessions"),
    ],
)
def test_bad_input_names_field_and_range(kwargs, field):
    args = {
        "direction": "backward",
        "speed_m_s": 1.2,
        "grade_pct": 0.0,
        "mass_kg": 70.0,
        "duration_s": 600.0,
        "backward_practice_sessions": 0,
    } | kwargs
    with pytest.raises(ValueError, match=field) as info:
        estimate(
            args.pop("direction"),
            args.pop("speed_m_s"),
            args.pop("grade_pct"),
            args.pop("mass_kg"),
            args.pop("duration_s"),
            **args,
        )
    assert isinstance(info.value, InvalidInputError)
    assert info.value.field == field
    assert "expected" in str(info.value)


def test_range_rejects_disorder_and_nan():
    with pytest.raises(ValueError, match="low <= central"):
        Range(2, 1, 3)
    with pytest.raises(ValueError, match="finite"):
        Range(math.nan, 1, 3)
    assert Range(1, 2, 3) + Range(1, 1, 1) == Range(2, 3, 4)
    assert Range(1, 2, 3).as_dict() == {"low": 1, "central": 2, "high": 3}
