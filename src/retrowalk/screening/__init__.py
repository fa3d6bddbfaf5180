"""Readiness screening: PAR-Q+ page 1 plus risks specific to walking backward.

``screen(profile)`` returns a :class:`ScreeningResult` whose clearance is the most cautious
outcome of every rule that fired, each with plain-words reasons and its source. Never a diagnosis.
"""

from __future__ import annotations

from retrowalk.screening.engine import fired_rules, screen
from retrowalk.screening.model import Clearance, Reason, ScreeningResult
from retrowalk.screening.rules import RULES, RULES_VERSION, Rule

__all__ = [
    "RULES",
    "RULES_VERSION",
    "Clearance",
    "Reason",
    "Rule",
    "ScreeningResult",
    "fired_rules",
    "screen",
]
