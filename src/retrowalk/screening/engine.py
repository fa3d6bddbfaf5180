"""Apply the screening rules to a profile."""

from __future__ import annotations

from retrowalk.profile import Profile
from retrowalk.screening.model import Clearance, Reason, ScreeningResult
from retrowalk.screening.rules import (
    AGE_OLDER_ADULT_YEARS,
    DEFAULT_RULE,
    RULES,
    RULES_VERSION,
    Rule,
)

__all__ = ["fired_rules", "screen"]


def fired_rules(profile: Profile) -> tuple[Rule, ...]:
    """Every rule of :data:`~retrowalk.screening.rules.RULES` whose condition holds, in order."""
    return tuple(rule for rule in RULES if rule.applies(profile))


def _reason(rule: Rule) -> Reason:
    return Reason(rule.id, rule.outcome, rule.reason, rule.source, rule.evidence)


def screen(profile: Profile) -> ScreeningResult:
    """Screen a profile for backward walking.

    The clearance is the most cautious outcome of all fired rules; every fired rule is a reason,
    most cautious first. When nothing above ``go`` fires, :data:`DEFAULT_RULE` is added so the
    user always sees why.

    ``requires_support`` and ``requires_supervision`` are true whenever the clearance is not
    ``go`` (issue 4: nobody flagged for support gets unsupported, outdoor or unsupervised backward
    walking). ``recommend_3mbwt`` is true from age 65 or whenever the clearance is not ``go``
    (for ``see_professional_first``: after talking to the professional).
    """
    fired = list(fired_rules(profile))
    clearance = Clearance.most_cautious(tuple(rule.outcome for rule in fired))
    if clearance is Clearance.GO:
        fired.append(DEFAULT_RULE)
    # Stable sort: most cautious first, rule-table order within an outcome.
    fired.sort(key=lambda rule: -rule.outcome.rank)
    flagged = clearance is not Clearance.GO
    return ScreeningResult(
        clearance=clearance,
        reasons=tuple(_reason(rule) for rule in fired),
        requires_support=flagged,
        requires_supervision=flagged,
        recommend_3mbwt=flagged or profile.age_years >= AGE_OLDER_ADULT_YEARS,
        rules_version=RULES_VERSION,
    )
