"""A figure with its uncertainty: ``Range(low, central, high)``."""

from __future__ import annotations

import math
from dataclasses import dataclass

__all__ = ["Range"]


@dataclass(frozen=True, slots=True)
class Range:
    """A central figure with the low and high ends of its plausible range.

    Parameters
    ----------
    low
        Low end of the range (same unit as ``central``).
    central
        Best estimate.
    high
        High end of the range.

    Notes
    -----
    The range reflects the published spread of the evidence (equation standard errors,
    disagreement between equations and between studies), not a statistical confidence interval.
    """

    low: float
    central: float
    high: float

    def __post_init__(self) -> None:
        values = (self.low, self.central, self.high)
        if not all(math.isfinite(v) for v in values):
            raise ValueError(f"Range values must be finite, got {values}")
        if not self.low <= self.central <= self.high:
            raise ValueError(f"Range must satisfy low <= central <= high, got {values}")

    @classmethod
    def point(cls, value: float) -> Range:
        """A range with no spread (low = central = high)."""
        return cls(value, value, value)

    @property
    def width(self) -> float:
        """``high - low``."""
        return self.high - self.low

    def contains(self, value: float) -> bool:
        """Whether ``value`` lies inside ``[low, high]`` (ends included)."""
        return self.low <= value <= self.high

    def scaled(self, factor: float) -> Range:
        """Multiply every end by a non-negative ``factor``."""
        if not (math.isfinite(factor) and factor >= 0):
            raise ValueError(f"scale factor must be finite and >= 0, got {factor}")
        return Range(self.low * factor, self.central * factor, self.high * factor)

    def shifted(self, offset: float) -> Range:
        """Add ``offset`` to every end."""
        return Range(self.low + offset, self.central + offset, self.high + offset)

    def __add__(self, other: Range) -> Range:
        """End-wise sum: the ranges of systematic model errors add, they do not average out."""
        return Range(self.low + other.low, self.central + other.central, self.high + other.high)

    def as_dict(self) -> dict[str, float]:
        """``{"low": ..., "central": ..., "high": ...}``."""
        return {"low": self.low, "central": self.central, "high": self.high}

    def rounded(self, ndigits: int) -> Range:
        """A copy rounded for display (ordering is preserved by rounding)."""
        return Range(
            round(self.low, ndigits), round(self.central, ndigits), round(self.high, ndigits)
        )
