"""Assumed walking speeds for segments logged without one (issue 13, "energy without a speed").

A walker never types a speed in a hallway. Rather than no energy figure at all, a segment without
a speed is costed over a *range* of speeds people choose in that direction, and the energy range
is widened to match: its low end is the cost at the slowest assumed speed (with the model's own
low end), its high end the cost at the fastest (with the model's high end). Every figure so made
is marked ``speed_source="assumed"`` and says so in plain words. Sources: ``docs/evidence.md``
("Assumed speeds").

The evidence is thin (no study measured the speeds people choose for backward *training* in a
hallway, and the energy data stop at ~0.9 m/s backward), so the ranges are wide on purpose and the
words say "limited evidence".
"""

from __future__ import annotations

from typing import Final

from retrowalk.energy.ranges import Range
from retrowalk.vocabulary import Direction, Environment

__all__ = [
    "ASSUMED_BACKWARD_SPEED_M_S",
    "ASSUMED_FORWARD_SPEED_M_S",
    "ASSUMED_SPEED_NOTE",
    "assumed_speed_m_s",
]

#: Backward speeds people choose, m/s: 3 m over 9.31 s (nursing-home fall-risk cut-off, Kapan
#: 2025) = 0.32; 3 m over 5.1 s (community older non-fallers' mean 3MBWT, Polo-Ferrero 2025) =
#: 0.59; 3 m over 3.0 s (the "low risk" 3MBWT score, Carter 2019; healthy adult men's average band
#: 2.23-3.00 s) = 1.0. Derived from 3-metre test times: limited evidence.
ASSUMED_BACKWARD_SPEED_M_S: Final = Range(3.0 / 9.31, 3.0 / 5.1, 3.0 / 3.0)

#: Forward (warm-up, recovery, cool-down) speeds, m/s: 1.5 mph (0.67, product rule: easy indoor
#: walking with turns, slower than any Compendium level-walking code) to 3.2 mph (1.43, top of the
#: Compendium's "moderate pace" code 17190, 2011), central 2.5 mph (1.12, Compendium 17170).
ASSUMED_FORWARD_SPEED_M_S: Final = Range(0.67056, 1.1176, 1.43053)

#: Plain words shown with any energy figure made from an assumed speed.
ASSUMED_SPEED_NOTE: Final = (
    "Assumed speed: no speed was given, so this estimate uses the range of speeds people "
    "usually walk in this direction (limited evidence), which makes the range wider. Give your "
    "speed or pace for a closer figure."
)

#: The assumed speed range per setting and direction. The evidence does not separate settings
#: (hallway, open room, track, park, a treadmill logged without its belt speed), so every setting
#: has the same ranges; the table is here so a setting can get its own when evidence appears.
_BY_SETTING: Final[dict[Environment, dict[Direction, Range]]] = {
    environment: {
        Direction.BACKWARD: ASSUMED_BACKWARD_SPEED_M_S,
        Direction.FORWARD: ASSUMED_FORWARD_SPEED_M_S,
    }
    for environment in Environment
}


def assumed_speed_m_s(environment: Environment | str, direction: Direction | str) -> Range:
    """The speed range to assume for a segment in ``environment`` walked in ``direction``."""
    return _BY_SETTING[Environment(environment)][Direction(direction)]
