"""Plans: rules as data, a pure plan engine and adaptive progression.

``generate_plan(profile, screening, start_on=...)`` makes an immutable :class:`Plan`;
``adapt(plan.state, outcome, history)`` decides what a logged session changes and
``replan(plan, change, from_date)`` rebuilds the rest; ``plan_to_dict`` / ``plan_from_dict`` give
the JSON shape documented in ``docs/schemas.md`` ("Plan"). Every number comes from
:mod:`retrowalk.plans.rules`, each with its source (``docs/evidence.md``).
"""

from __future__ import annotations

from retrowalk.plans.model import (
    Plan,
    PlanChange,
    PlanLimits,
    PlannedSession,
    PlanWeek,
    ProfessionalClearanceRequiredError,
    ProgressionState,
    SessionOutcome,
)
from retrowalk.plans.progression import adapt, replan
from retrowalk.plans.rules import RULES_VERSION
from retrowalk.plans.serialize import (
    change_from_dict,
    change_to_dict,
    outcome_from_dict,
    outcome_to_dict,
    plan_from_dict,
    plan_header_to_dict,
    plan_to_dict,
    state_from_dict,
    state_to_dict,
    weeks_to_list,
)
from retrowalk.plans.start import BalanceRisk, generate_plan

__all__ = [
    "RULES_VERSION",
    "BalanceRisk",
    "Plan",
    "PlanChange",
    "PlanLimits",
    "PlanWeek",
    "PlannedSession",
    "ProfessionalClearanceRequiredError",
    "ProgressionState",
    "SessionOutcome",
    "adapt",
    "change_from_dict",
    "change_to_dict",
    "generate_plan",
    "outcome_from_dict",
    "outcome_to_dict",
    "plan_from_dict",
    "plan_header_to_dict",
    "plan_to_dict",
    "replan",
    "state_from_dict",
    "state_to_dict",
    "weeks_to_list",
]
