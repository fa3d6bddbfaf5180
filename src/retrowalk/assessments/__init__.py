"""Balance assessments: the 3-metre backward walk test (3MBWT).

:mod:`~retrowalk.assessments.protocol` holds the guided protocol as data;
:mod:`~retrowalk.assessments.three_metre_backward_walk` holds population presets (cut-offs and
minimal detectable changes with their sources), :func:`interpret` and :func:`compare`.
"""

from __future__ import annotations

from retrowalk.assessments.protocol import (
    PROTOCOL,
    Protocol,
    ProtocolStep,
    StartConvention,
    score_trials,
    validate_trial_time,
)
from retrowalk.assessments.three_metre_backward_walk import (
    PRESETS,
    Change,
    ChangeVerdict,
    Cutoff,
    Interpretation,
    Mdc,
    Population,
    PopulationPreset,
    Verdict,
    compare,
    interpret,
    population_for,
)

__all__ = [
    "PRESETS",
    "PROTOCOL",
    "Change",
    "ChangeVerdict",
    "Cutoff",
    "Interpretation",
    "Mdc",
    "Population",
    "PopulationPreset",
    "Protocol",
    "ProtocolStep",
    "StartConvention",
    "Verdict",
    "compare",
    "interpret",
    "population_for",
    "score_trials",
    "validate_trial_time",
]
