"""A stored 3-metre backward walk test result, read against its population."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from retrowalk.assessments.protocol import PROTOCOL
from retrowalk.assessments.three_metre_backward_walk import Change, Interpretation

#: Stored with each result: results from another start convention must never be compared.
PROTOCOL_ID = f"3mbwt-{PROTOCOL.start_convention.value}-v1"


@dataclass(frozen=True)
class BalanceTest:
    """A stored 3MBWT result with its reading and the change since the previous test."""

    id: str
    performed_at: datetime
    trials_s: tuple[float, ...]
    score_s: float
    interpretation: Interpretation
    change: Change | None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready view."""
        return {
            "id": self.id,
            "performed_at": self.performed_at.isoformat(),
            "trials_s": list(self.trials_s),
            "score_s": self.score_s,
            "protocol": PROTOCOL_ID,
            "population": self.interpretation.population.value,
            "verdict": self.interpretation.verdict.value,
            "text": self.interpretation.text,
            "cutoff_s": self.interpretation.cutoff_s,
            "source": self.interpretation.source,
            "notes": list(self.interpretation.notes),
            "change": None
            if self.change is None
            else {
                "previous_s": self.change.previous_s,
                "difference_s": self.change.difference_s,
                "verdict": self.change.verdict.value,
                "mdc_s": self.change.mdc_s,
                "text": self.change.text,
                "source": self.change.source,
            },
        }
