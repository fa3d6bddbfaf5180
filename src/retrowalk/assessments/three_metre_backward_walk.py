"""3-metre backward walk test: population presets, interpretation and change over time.

Cut-offs differ by population, setting and start convention (3.0 s to 10.31 s), and most come from
**retrospective** fall histories, so there is no single global threshold: each population is a
named preset with its source (research notes 1.2-1.4). Where no validated cut-off or minimal
detectable change (MDC) exists, the functions say so instead of guessing.

Notes
-----
* Whether a time equal to a cut-off counts as above or below it was not stated in the sources;
  RetroWalk counts a time **at or above** a cut-off as slower than it (the safer reading).
* Where a population has two published cut-offs, the lower (the one that flags more people) is the
  primary cut-off and the other is reported as a note.
* The times from RetroWalk's protocol (standing start, mean of two timed trials) may differ from
  the protocols behind each cut-off, which were mostly not obtained.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Final

from retrowalk.assessments.protocol import validate_trial_time
from retrowalk.formatting import format_test_time as _secs
from retrowalk.profile import Condition, Profile, Sex

__all__ = [
    "CARTER_2019_HIGH_RISK_S",
    "CARTER_2019_LOW_RISK_S",
    "CARTER_2020_PD_S",
    "KAPAN_2025_NURSING_HOME_PROSPECTIVE_S",
    "KAPAN_2025_NURSING_HOME_RETROSPECTIVE_S",
    "KOCER_2023_PD_MDC_S",
    "KOCER_2023_PD_S",
    "NIGERIAN_FEMALE_AVERAGE_UPPER_S",
    "NIGERIAN_FEMALE_LOW_UPPER_S",
    "NIGERIAN_MALE_AVERAGE_UPPER_S",
    "NIGERIAN_MALE_LOW_UPPER_S",
    "OLDER_ADULT_AGE_YEARS",
    "OZDEN_THA_MDC95_S",
    "POLO_FERRERO_2025_S",
    "PRESETS",
    "SOKE_2022_MS_MDC_S",
    "SOKE_2022_MS_S",
    "UNVER_2020_TKA_SRD95_S",
    "Change",
    "ChangeVerdict",
    "Cutoff",
    "Interpretation",
    "Mdc",
    "Population",
    "PopulationPreset",
    "Verdict",
    "compare",
    "interpret",
    "population_for",
]

# --- Cut-offs (seconds) -------------------------------------------------------------------------
#: Community older adults, "low risk of falls score" (Carter 2019, as quoted by Carter 2020) [S].
CARTER_2019_LOW_RISK_S: Final = 3.0
#: Community older adults, "high risk of falls score" (Carter 2019, as quoted by Carter 2020) [S].
CARTER_2019_HIGH_RISK_S: Final = 4.5
#: Community older adults, optimal cut-off for past-year falls; sens 59.5%, spec 68.6%, AUC 0.655
#: (Polo-Ferrero et al. 2025) [A].
POLO_FERRERO_2025_S: Final = 5.5
#: Nursing-home residents, retrospective falls (Kapan et al. JAMDA 2025) [A].
KAPAN_2025_NURSING_HOME_RETROSPECTIVE_S: Final = 9.31
#: Nursing-home residents, prospective falls over 4 months (Kapan et al. JAMDA 2025) [A].
KAPAN_2025_NURSING_HOME_PROSPECTIVE_S: Final = 8.15
#: Parkinson's disease, retrospective falls, AUC 0.699 (Carter et al. 2020, n = 175) [A].
CARTER_2020_PD_S: Final = 4.2
#: Parkinson's disease (Kocer et al. 2023, n = 36) [A].
KOCER_2023_PD_S: Final = 10.31
#: Multiple sclerosis (Söke et al. 2022, n = 49) [A].
SOKE_2022_MS_S: Final = 7.86
#: Healthy Nigerian adults (n = 1601), percentile bands: men < 2.23 s "low", 2.23-3.00 s
#: "average", > 3.00 s "high"; women < 2.60 s, 2.60-3.50 s, > 3.50 s [A].
NIGERIAN_MALE_LOW_UPPER_S: Final = 2.23
NIGERIAN_MALE_AVERAGE_UPPER_S: Final = 3.00
NIGERIAN_FEMALE_LOW_UPPER_S: Final = 2.60
NIGERIAN_FEMALE_AVERAGE_UPPER_S: Final = 3.50

# --- Minimal detectable change (seconds) --------------------------------------------------------
#: Multiple sclerosis, MDC (Söke et al. 2022) [A].
SOKE_2022_MS_MDC_S: Final = 1.69
#: Parkinson's disease, MDC (Kocer et al. 2023) [A].
KOCER_2023_PD_MDC_S: Final = 2.13
#: Total hip arthroplasty, MDC95 (Özden, Coşkun, Bakırhan; units as in the abstract) [A].
OZDEN_THA_MDC95_S: Final = 4.33
#: Total knee arthroplasty, SRD95 (Unver et al. 2020; units not stated, presumably s) [A].
UNVER_2020_TKA_SRD95_S: Final = 2.94

#: Age from which the community older-adult preset applies: WHO 2020 older adults (>= 65) [A];
#: the Carter 2019 sample's age range was not obtained (Özden 2021 sample: 68.9 ± 3.7 y).
OLDER_ADULT_AGE_YEARS: Final = 65

_RETRO_CAVEAT = (
    "This cut-off comes from people's past falls (a retrospective study), so it describes, "
    "rather than predicts, fall risk."
)
_CONVENTION_CAVEAT = (
    "Cut-offs depend on how the test was started and timed; RetroWalk uses a standing start with "
    "heels on the line, and the original protocol behind this cut-off was not fully available."
)


class Population(StrEnum):
    """Populations with 3MBWT presets. ``unspecified``: no validated cut-off applies."""

    COMMUNITY_OLDER_ADULTS = "community_older_adults"
    NURSING_HOME_RESIDENTS = "nursing_home_residents"
    PARKINSONS = "parkinsons"
    MULTIPLE_SCLEROSIS = "multiple_sclerosis"
    STROKE = "stroke"
    ADULT_MEN = "adult_men"
    ADULT_WOMEN = "adult_women"
    TOTAL_HIP_ARTHROPLASTY = "total_hip_arthroplasty"
    TOTAL_KNEE_ARTHROPLASTY = "total_knee_arthroplasty"
    UNSPECIFIED = "unspecified"


@dataclass(frozen=True)
class Cutoff:
    """A published 3MBWT threshold.

    Attributes
    ----------
    name
        The constant's name in this module (as in ``docs/evidence.md``).
    time_s
        The threshold in seconds; a time at or above it counts as slower.
    meaning
        What being at or above it means, in plain words.
    source, evidence
        Citation and evidence label.
    """

    name: str
    time_s: float
    meaning: str
    source: str
    evidence: str


@dataclass(frozen=True)
class Mdc:
    """A minimal detectable change (or smallest real difference) in seconds."""

    name: str
    value_s: float
    source: str
    evidence: str


@dataclass(frozen=True)
class PopulationPreset:
    """Everything RetroWalk knows about one population's 3MBWT.

    Attributes
    ----------
    population, description
        Which population and who it covers.
    cutoff
        The primary cut-off used for the verdict, or ``None`` when none was validated.
    faster_band_s
        For three-band presets, the upper end of the fastest ("low risk" / "faster than
        average") band; ``None`` otherwise.
    other_cutoffs
        Further published cut-offs, reported but not used for the verdict.
    is_norm
        ``True`` when the thresholds are population norms (percentile bands), not fall cut-offs.
    mdc
        Minimal detectable change, or ``None`` when none was obtained.
    notes
        Plain-words caveats shown with every interpretation.
    """

    population: Population
    description: str
    cutoff: Cutoff | None
    faster_band_s: Cutoff | None
    other_cutoffs: tuple[Cutoff, ...]
    is_norm: bool
    mdc: Mdc | None
    notes: tuple[str, ...]


_CARTER_2019 = (
    "Carter et al. J Geriatr Phys Ther 2019;42(4):249-255, as reported by Carter et al. 2020 "
    "(original not consulted)"
)
_NIGERIAN = (
    "Normative study of 1601 healthy Nigerian adults (Safetylit record of the abstract; "
    "authors and journal not shown)"
)
_KOCER = "Kocer et al. Ir J Med Sci 2023;192(6):3063-3071"
_SOKE = "Söke et al. Int J Rehabil Res 2022;45(3):209-214"

PRESETS: Final[dict[Population, PopulationPreset]] = {
    Population.COMMUNITY_OLDER_ADULTS: PopulationPreset(
        Population.COMMUNITY_OLDER_ADULTS,
        "Community-dwelling older adults who walk without an aid and have no neurological "
        "diagnosis",
        Cutoff(
            "CARTER_2019_HIGH_RISK_S",
            CARTER_2019_HIGH_RISK_S,
            "in the range Carter 2019 called a 'high risk of falls score'",
            _CARTER_2019,
            "[S]",
        ),
        Cutoff(
            "CARTER_2019_LOW_RISK_S",
            CARTER_2019_LOW_RISK_S,
            "Carter 2019 called this time a 'low risk of falls score'",
            _CARTER_2019,
            "[S]",
        ),
        (
            Cutoff(
                "POLO_FERRERO_2025_S",
                POLO_FERRERO_2025_S,
                "optimal cut-off for past-year falls in 483 Spanish older adults (sensitivity "
                "59.5%, specificity 68.6%)",
                "Polo-Ferrero et al. J Funct Morphol Kinesiol 2025;10(2):154",
                "[A]",
            ),
        ),
        False,
        None,
        (
            _RETRO_CAVEAT,
            _CONVENTION_CAVEAT,
            "No minimal detectable change was obtained for older adults (Özden 2021 reports one, "
            "but its value was not available), so RetroWalk cannot tell a real change from "
            "measurement noise for this group.",
        ),
    ),
    Population.NURSING_HOME_RESIDENTS: PopulationPreset(
        Population.NURSING_HOME_RESIDENTS,
        "Nursing-home residents (median age 80)",
        Cutoff(
            "KAPAN_2025_NURSING_HOME_PROSPECTIVE_S",
            KAPAN_2025_NURSING_HOME_PROSPECTIVE_S,
            "linked with 27% more falls over the next 4 months",
            "Kapan et al. JAMDA 2025",
            "[A]",
        ),
        None,
        (
            Cutoff(
                "KAPAN_2025_NURSING_HOME_RETROSPECTIVE_S",
                KAPAN_2025_NURSING_HOME_RETROSPECTIVE_S,
                "linked with 32% more past falls",
                "Kapan et al. JAMDA 2025",
                "[A]",
            ),
        ),
        False,
        None,
        ("No minimal detectable change was obtained for nursing-home residents.",),
    ),
    Population.PARKINSONS: PopulationPreset(
        Population.PARKINSONS,
        "People with Parkinson's disease",
        Cutoff(
            "CARTER_2020_PD_S",
            CARTER_2020_PD_S,
            "linked with past falls in people with Parkinson's (AUC 0.699)",
            "Carter et al. Top Geriatr Rehabil 2020;36(3):140-145",
            "[A]",
        ),
        None,
        (
            Cutoff(
                "KOCER_2023_PD_S",
                KOCER_2023_PD_S,
                "a second, much higher cut-off from a small study (36 people)",
                _KOCER,
                "[A]",
            ),
        ),
        False,
        Mdc("KOCER_2023_PD_MDC_S", KOCER_2023_PD_MDC_S, _KOCER, "[A]"),
        (
            _RETRO_CAVEAT,
            "Two studies disagree (4.2 s and 10.31 s); RetroWalk uses the lower, more cautious "
            "one, from the larger study.",
        ),
    ),
    Population.MULTIPLE_SCLEROSIS: PopulationPreset(
        Population.MULTIPLE_SCLEROSIS,
        "People with multiple sclerosis",
        Cutoff(
            "SOKE_2022_MS_S",
            SOKE_2022_MS_S,
            "the cut-off reported for people with MS",
            _SOKE,
            "[A]",
        ),
        None,
        (),
        False,
        Mdc("SOKE_2022_MS_MDC_S", SOKE_2022_MS_MDC_S, _SOKE, "[A]"),
        ("Accuracy figures for this cut-off were not obtained (limited evidence).",),
    ),
    Population.STROKE: PopulationPreset(
        Population.STROKE,
        "People after a stroke",
        None,
        None,
        (),
        False,
        None,
        (
            "No validated cut-off: in early stroke, 3MBWT times showed no marked differences by "
            "fall history (Kapan et al. Healthcare 2023) [A].",
            "No minimal detectable change for the timed 3MBWT after stroke was obtained (the "
            "published ones are for a different, comfortable-speed version).",
        ),
    ),
    Population.ADULT_MEN: PopulationPreset(
        Population.ADULT_MEN,
        "Healthy adult men (norms from 1601 Nigerian adults)",
        Cutoff(
            "NIGERIAN_MALE_AVERAGE_UPPER_S",
            NIGERIAN_MALE_AVERAGE_UPPER_S,
            "slower than the average band for healthy men",
            _NIGERIAN,
            "[A]",
        ),
        Cutoff(
            "NIGERIAN_MALE_LOW_UPPER_S",
            NIGERIAN_MALE_LOW_UPPER_S,
            "faster than the average band for healthy men",
            _NIGERIAN,
            "[A]",
        ),
        (),
        True,
        None,
        (
            "These are norms from one country's healthy adults, not a fall-risk cut-off; the "
            "ages covered were not available.",
            "No minimal detectable change was obtained for healthy adults.",
        ),
    ),
    Population.ADULT_WOMEN: PopulationPreset(
        Population.ADULT_WOMEN,
        "Healthy adult women (norms from 1601 Nigerian adults)",
        Cutoff(
            "NIGERIAN_FEMALE_AVERAGE_UPPER_S",
            NIGERIAN_FEMALE_AVERAGE_UPPER_S,
            "slower than the average band for healthy women",
            _NIGERIAN,
            "[A]",
        ),
        Cutoff(
            "NIGERIAN_FEMALE_LOW_UPPER_S",
            NIGERIAN_FEMALE_LOW_UPPER_S,
            "faster than the average band for healthy women",
            _NIGERIAN,
            "[A]",
        ),
        (),
        True,
        None,
        (
            "These are norms from one country's healthy adults, not a fall-risk cut-off; the "
            "ages covered were not available, and the abstract gives the upper band two ways.",
            "No minimal detectable change was obtained for healthy adults.",
        ),
    ),
    Population.TOTAL_HIP_ARTHROPLASTY: PopulationPreset(
        Population.TOTAL_HIP_ARTHROPLASTY,
        "People after a total hip replacement",
        None,
        None,
        (),
        False,
        Mdc(
            "OZDEN_THA_MDC95_S",
            OZDEN_THA_MDC95_S,
            "Özden, Coşkun, Bakırhan, doi:10.1016/j.jajs.2020.11.002",
            "[A]",
        ),
        ("No fall-risk cut-off was found after hip replacement.",),
    ),
    Population.TOTAL_KNEE_ARTHROPLASTY: PopulationPreset(
        Population.TOTAL_KNEE_ARTHROPLASTY,
        "People after a total knee replacement",
        None,
        None,
        (),
        False,
        Mdc(
            "UNVER_2020_TKA_SRD95_S",
            UNVER_2020_TKA_SRD95_S,
            "Unver et al. J Knee Surg 2020;33(6):589-592 (smallest real difference)",
            "[A]",
        ),
        ("No fall-risk cut-off was found after knee replacement.",),
    ),
    Population.UNSPECIFIED: PopulationPreset(
        Population.UNSPECIFIED,
        "No population with a validated 3MBWT cut-off matches this profile",
        None,
        None,
        (),
        False,
        None,
        (
            "No validated cut-off for this population: RetroWalk records your time so you can "
            "repeat the test, but cannot say what it means for fall risk.",
        ),
    ),
}

#: Conditions for which no study matching the community older-adult or adult norm samples was
#: found (Carter's sample excluded walking aids and neurological diagnoses).
_NO_CUTOFF_CONDITIONS: Final = frozenset(
    {
        Condition.VESTIBULAR_DISORDER,
        Condition.PREGNANCY,
        Condition.RECENT_SURGERY,
    }
)
_NEURO_POPULATIONS: Final = {
    Condition.PARKINSONS: Population.PARKINSONS,
    Condition.MULTIPLE_SCLEROSIS: Population.MULTIPLE_SCLEROSIS,
    Condition.STROKE: Population.STROKE,
}


def population_for(profile: Profile) -> Population:
    """Choose the 3MBWT population preset for a profile.

    Rules, in order:

    1. Exactly one of Parkinson's, MS or stroke: that population. More than one: ``unspecified``
       (no study covers the combination).
    2. A vestibular disorder, pregnancy, recent surgery or a walking aid: ``unspecified`` (the
       samples excluded or did not cover them; the type of surgery is not known).
    3. Age 65 or more: community older adults.
    4. Otherwise the adult norms for the person's sex; ``unspecified`` for sex ``other``.

    Nursing-home and arthroplasty presets are never chosen automatically (the profile does not
    record where someone lives or which operation they had); pass them to :func:`interpret`
    explicitly.
    """
    neuro = [_NEURO_POPULATIONS[c] for c in sorted(profile.conditions) if c in _NEURO_POPULATIONS]
    if len(neuro) == 1:
        return neuro[0]
    if neuro or profile.conditions & _NO_CUTOFF_CONDITIONS or profile.uses_walking_aid:
        return Population.UNSPECIFIED
    if profile.age_years >= OLDER_ADULT_AGE_YEARS:
        return Population.COMMUNITY_OLDER_ADULTS
    if profile.sex is Sex.MALE:
        return Population.ADULT_MEN
    if profile.sex is Sex.FEMALE:
        return Population.ADULT_WOMEN
    return Population.UNSPECIFIED


class Verdict(StrEnum):
    """Where a time falls against the population's thresholds."""

    FASTER_THAN_CUTOFF = "faster_than_cutoff"
    BETWEEN_CUTOFFS = "between_cutoffs"
    SLOWER_THAN_CUTOFF = "slower_than_cutoff"
    NO_VALIDATED_CUTOFF = "no_validated_cutoff"


@dataclass(frozen=True)
class Interpretation:
    """A 3MBWT time read against one population preset.

    Attributes
    ----------
    time_s, population
        The time read and the preset used.
    verdict
        See :class:`Verdict`.
    text
        Plain words for the user (never a diagnosis).
    cutoff_s, source, evidence
        The primary cut-off used, with its source and label (``None`` / ``""`` when none).
    notes
        Caveats to show with the verdict.
    """

    time_s: float
    population: Population
    verdict: Verdict
    text: str
    cutoff_s: float | None
    source: str
    evidence: str
    notes: tuple[str, ...]

    @property
    def slower_than_cutoff(self) -> bool:
        """Whether the time is at or above the population's primary cut-off."""
        return self.verdict is Verdict.SLOWER_THAN_CUTOFF


def interpret(time_s: float, population: Population) -> Interpretation:
    """Read a 3MBWT time (seconds) against a population's cut-off.

    Raises
    ------
    InvalidInputError
        If ``time_s`` is not a plausible trial time (see :mod:`retrowalk.assessments.protocol`).
    """
    value = validate_trial_time(time_s)
    preset = PRESETS[population]
    notes = preset.notes + tuple(
        f"Another published cut-off: {c.time_s:g} s, {c.meaning} ({c.source}) {c.evidence}."
        for c in preset.other_cutoffs
    )
    cutoff = preset.cutoff
    if cutoff is None:
        return Interpretation(
            value,
            population,
            Verdict.NO_VALIDATED_CUTOFF,
            f"Your time was {_secs(value)}. There is no validated cut-off for "
            f"{preset.description.lower()}, so RetroWalk cannot say what this time means; "
            "it is recorded so you can compare with later tests.",
            None,
            "",
            "",
            notes,
        )
    band = preset.faster_band_s
    group = preset.description.split(" (")[0].lower()
    if value >= cutoff.time_s:
        verdict = Verdict.SLOWER_THAN_CUTOFF
        if preset.is_norm:
            text = (
                f"Your time of {_secs(value)} is slower than the average range for {group} "
                f"(above {cutoff.time_s:g} s). It is worth training balance with support."
            )
        else:
            text = (
                f"Your time of {_secs(value)} is at or above {cutoff.time_s:g} s, "
                f"{cutoff.meaning}. "
                "This is not a diagnosis; it means training with support and a helper is the "
                "safer choice, and it is worth mentioning to your doctor or physiotherapist."
            )
    elif band is not None and value >= band.time_s:
        verdict = Verdict.BETWEEN_CUTOFFS
        if preset.is_norm:
            text = f"Your time of {_secs(value)} is in the average range for {group}."
        else:
            text = (
                f"Your time of {_secs(value)} is between {band.time_s:g} s ({band.meaning}) and "
                f"{cutoff.time_s:g} s ({cutoff.meaning})."
            )
    else:
        verdict = Verdict.FASTER_THAN_CUTOFF
        if preset.is_norm and band is not None:
            text = f"Your time of {_secs(value)} is faster than the average range for {group}."
        else:
            text = (
                f"Your time of {_secs(value)} is faster than {cutoff.time_s:g} s, the cut-off for "
                f"{group}. Keep starting slowly: a fast test does not rule out falls."
            )
    return Interpretation(
        value,
        population,
        verdict,
        text,
        cutoff.time_s,
        cutoff.source,
        cutoff.evidence,
        notes,
    )


class ChangeVerdict(StrEnum):
    """Whether a change between two tests is beyond measurement noise."""

    IMPROVED = "improved"
    WORSE = "worse"
    NO_REAL_CHANGE = "no_real_change"
    CANNOT_TELL = "cannot_tell"


@dataclass(frozen=True)
class Change:
    """The change between two 3MBWT times.

    Attributes
    ----------
    previous_s, current_s
        The two times in seconds.
    difference_s
        ``current_s - previous_s`` (negative = faster = better).
    verdict
        See :class:`ChangeVerdict`; ``cannot_tell`` when no MDC exists for the population.
    mdc_s, source, evidence
        The minimal detectable change used, with its source (``None`` / ``""`` when none).
    text
        Plain words for the user.
    """

    previous_s: float
    current_s: float
    difference_s: float
    verdict: ChangeVerdict
    mdc_s: float | None
    source: str
    evidence: str
    text: str


def compare(previous_s: float, current_s: float, population: Population) -> Change:
    """Tell a real change from noise using the population's minimal detectable change.

    A change counts as real only when it is strictly larger than the MDC.

    Raises
    ------
    InvalidInputError
        If either time is implausible (fields ``previous_s`` / ``current_s``).
    """
    prev = validate_trial_time(previous_s, "previous_s")
    cur = validate_trial_time(current_s, "current_s")
    diff = cur - prev
    preset = PRESETS[population]
    mdc = preset.mdc
    direction = "faster" if diff < 0 else "slower"
    moved = (
        f"Your time went from {_secs(prev)} to {_secs(cur)} ({_secs(abs(diff))} {direction})."
        if _secs(prev) != _secs(cur)
        else f"Your time was the same as last time ({_secs(cur)})."
    )
    if mdc is None:
        return Change(
            prev,
            cur,
            diff,
            ChangeVerdict.CANNOT_TELL,
            None,
            "",
            "",
            f"{moved} No minimal detectable change has been published for "
            f"{preset.description.split(' (')[0].lower()} (limited evidence), so RetroWalk cannot "
            "tell whether this is a real change or measurement noise.",
        )
    if abs(diff) > mdc.value_s:
        verdict = ChangeVerdict.IMPROVED if diff < 0 else ChangeVerdict.WORSE
        meaning = (
            "That is more than the smallest change the test can detect "
            f"({mdc.value_s:g} s), so it is likely a real change."
        )
    else:
        verdict = ChangeVerdict.NO_REAL_CHANGE
        meaning = (
            f"That is within the test's measurement noise ({mdc.value_s:g} s), so it is not a "
            "real change yet."
        )
    return Change(
        prev, cur, diff, verdict, mdc.value_s, mdc.source, mdc.evidence, f"{moved} {meaning}"
    )
