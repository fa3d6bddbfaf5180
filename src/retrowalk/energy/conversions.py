"""Physiological unit conventions shared by the energy models.

Every constant is sourced in ``docs/evidence.md`` (section "Energy").

References
----------
.. [1] Bushman B. "Metabolic Calculations in Action", ACSM's Health & Fitness Journal 2020,
   Parts 1-2 (doi 10.1249/FIT.0000000000000562, 10.1249/FIT.0000000000000577), reproducing
   ACSM GETP 10th ed. Table 6.3: 1 MET = 3.5 mL O2/kg/min; kcal/min = MET x 3.5 x kg / 200.
.. [2] RetroWalk research notes, ``energy_notes.md`` section 2: about 20.1 kJ per litre of O2
   at a mixed fuel; 4.7-5.05 kcal per litre of O2 depending on the respiratory exchange ratio.
"""

from __future__ import annotations

from typing import Final

from retrowalk.energy.ranges import Range

__all__ = [
    "KCAL_PER_L_O2",
    "KJ_PER_L_O2",
    "ML_O2_KG_MIN_PER_MET",
    "REST_VO2_ML_KG_MIN",
    "W_KG_TO_ML_KG_MIN",
    "energy_kcal",
    "vo2_to_mets",
]

#: Oxygen uptake of one MET, mL O2/kg/min (convention) [1]_. [S]
ML_O2_KG_MIN_PER_MET: Final = 3.5
#: Resting oxygen uptake subtracted for "net" energy: 1 MET by convention [1]_. [S]
REST_VO2_ML_KG_MIN: Final = ML_O2_KG_MIN_PER_MET
#: Energy per litre of O2 at a mixed fuel, kJ/L, used to turn W/kg into mL O2/kg/min [2]_. [S]
KJ_PER_L_O2: Final = 20.1
#: W/kg -> mL O2/kg/min: 1 W/kg = 60 J/kg/min; / 20.1 kJ/L = 60/20.1 mL/kg/min. [derived]
W_KG_TO_ML_KG_MIN: Final = 60.0 / KJ_PER_L_O2
#: kcal per litre of O2: central 5.0 (the ACSM kcal/min = MET x 3.5 x kg / 200 convention [1]_),
#: low 4.7 and high 5.05 (range with the respiratory exchange ratio [2]_). [S]
KCAL_PER_L_O2: Final = Range(low=4.7, central=5.0, high=5.05)


def vo2_to_mets(vo2_ml_kg_min: Range) -> Range:
    """Gross METs from oxygen uptake (divide by 3.5 mL/kg/min)."""
    return vo2_ml_kg_min.scaled(1.0 / ML_O2_KG_MIN_PER_MET)


def energy_kcal(vo2_ml_kg_min: Range, mass_kg: float, duration_s: float) -> Range:
    """Energy in kcal from oxygen uptake, body mass and duration.

    The low end pairs the low oxygen uptake with the low kcal per litre, the high end the high
    ones, so the range widens rather than narrows.
    """
    litres_o2 = vo2_ml_kg_min.scaled(mass_kg * duration_s / 60.0 / 1000.0)
    return Range(
        litres_o2.low * KCAL_PER_L_O2.low,
        litres_o2.central * KCAL_PER_L_O2.central,
        litres_o2.high * KCAL_PER_L_O2.high,
    )
