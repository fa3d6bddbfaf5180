"""Accepted ranges for body and input values, shared by every layer.

These are plausibility limits for input validation (typos, wrong units), not health advice.
"""

from __future__ import annotations

from datetime import date

#: Adults only: the guidelines RetroWalk follows (WHO 2020 adult and older-adult
#: recommendations, PAR-Q+, the Compendium) are written for adults.
AGE_YEARS_MIN = 18
AGE_YEARS_MAX = 110

MASS_KG_MIN = 30.0
MASS_KG_MAX = 300.0

HEIGHT_M_MIN = 1.0
HEIGHT_M_MAX = 2.5

PAIN_MIN = 0
PAIN_MAX = 10

#: Earliest and latest dates accepted for anything logged or planned (a typo guard: a session
#: walked in year 1 or planned for year 9999 is a typing slip; year 1 or 9999 also overflows
#: when converted between time zones). Policy, see docs/evidence.md.
DATE_MIN = date(2000, 1, 1)
DATE_MAX = date(2100, 12, 31)
