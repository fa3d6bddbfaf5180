"""Screening outcome types: the clearance, its reasons, and what the plan must respect."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Final

__all__ = ["Clearance", "Reason", "ScreeningResult"]


class Clearance(StrEnum):
    """Readiness outcome, from least to most cautious.

    Never a diagnosis: ``see_professional_first`` means "talk to a health professional (or
    complete the ePARmed-X+) before starting", nothing more.
    """

    GO = "go"
    GO_WITH_SUPPORT = "go_with_support"
    SEE_PROFESSIONAL_FIRST = "see_professional_first"

    @property
    def rank(self) -> int:
        """0 for ``go``, 1 for ``go_with_support``, 2 for ``see_professional_first``."""
        return _RANK[self]

    @classmethod
    def most_cautious(cls, outcomes: tuple[Clearance, ...]) -> Clearance:
        """The most cautious of ``outcomes`` (``go`` when empty)."""
        return max(outcomes, key=lambda c: c.rank, default=cls.GO)


_RANK = {
    Clearance.GO: 0,
    Clearance.GO_WITH_SUPPORT: 1,
    Clearance.SEE_PROFESSIONAL_FIRST: 2,
}


@dataclass(frozen=True)
class Reason:
    """Why a screening rule fired.

    Attributes
    ----------
    rule_id
        The id of the rule in :mod:`retrowalk.screening.rules` (and in ``docs/evidence.md``).
    outcome
        The clearance this rule asks for on its own.
    text
        Plain words, addressed to the user.
    source
        Citation of the source behind the rule.
    evidence
        Evidence label: ``[A]`` abstract, ``[S]`` secondary, ``[A]/[S]`` both, or
        ``limited evidence`` when the rule is the project's conservative choice without a source
        that addresses it directly.
    """

    rule_id: str
    outcome: Clearance
    text: str
    source: str
    evidence: str

    def to_dict(self) -> dict[str, str]:
        """JSON-ready form."""
        return {
            "rule_id": self.rule_id,
            "outcome": self.outcome.value,
            "text": self.text,
            "source": self.source,
            "evidence": self.evidence,
        }


@dataclass(frozen=True)
class ScreeningResult:
    """The outcome of screening one profile.

    Attributes
    ----------
    clearance
        The most cautious outcome among all fired rules.
    reasons
        Every fired rule, most cautious first (never empty).
    requires_support
        The plan must keep every backward segment supported (rail, wall, treadmill rails or a
        spotter) and indoors. True whenever ``clearance`` is not ``go``.
    requires_supervision
        A spotter or walking buddy must be present for backward segments.
    recommend_3mbwt
        Strongly recommend the 3-metre backward walk test (over 65 or ``go_with_support``).
    rules_version
        Version of the rule set that produced this result (stored with the result).
    """

    clearance: Clearance
    reasons: tuple[Reason, ...]
    requires_support: bool
    requires_supervision: bool
    recommend_3mbwt: bool
    rules_version: str

    def to_dict(self) -> dict[str, object]:
        """JSON-ready form (keys as documented in ``docs/schemas.md``)."""
        return {
            "clearance": self.clearance.value,
            "reasons": [r.to_dict() for r in self.reasons],
            "requires_support": self.requires_support,
            "requires_supervision": self.requires_supervision,
            "recommend_3mbwt": self.recommend_3mbwt,
            "rules_version": self.rules_version,
        }


#: One-line headline per outcome, shown above the reasons (CLI and web).
HEADLINES: Final[dict[Clearance, str]] = {
    Clearance.GO: "Go: you can start backward walking, slowly.",
    Clearance.GO_WITH_SUPPORT: (
        "Go with support: walk backward only indoors, holding a rail, wall or treadmill rails, "
        "with a helper present."
    ),
    Clearance.SEE_PROFESSIONAL_FIRST: (
        "See a professional first: talk to your doctor or a qualified exercise professional "
        "before starting backward walking."
    ),
}
