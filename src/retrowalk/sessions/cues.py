"""What a guided session says: cue texts as data (each with its source) and the text builders.

Texts are plain English sentences for the screen and for speech. Speeds are spoken in the user's
unit ("mph" or "km/h"), converted from m/s only here, at the edge; 1 mph = 0.44704 m/s exactly.
Every number a text tells the user is listed in ``docs/evidence.md`` ("Sessions and cues").
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from retrowalk.errors import InvalidInputError
from retrowalk.segments import PlannedSegment
from retrowalk.units import KMH_IN_M_S, MPH_IN_M_S
from retrowalk.vocabulary import Direction, SegmentKind, SpeedUnit, Support

__all__ = [
    "M_S_PER_KM_H",
    "M_S_PER_MPH",
    "SAFETY_CHECKS",
    "SAFETY_REMINDER",
    "STOP_TEXTS",
    "TECHNIQUE_CUES",
    "SourcedText",
    "Units",
    "check_units",
    "continues",
    "countdown_announcement_text",
    "countdown_tick_text",
    "end_text",
    "halfway_text",
    "safety_checks_for",
    "segment_end_text",
    "segment_start_text",
    "spoken_duration",
    "spoken_speed",
    "stop_text",
    "thirty_seconds_left_text",
]

#: A speed unit for spoken text; the user's preference, an input.
Units = SpeedUnit

#: m/s in one mph and in one km/h (exact; defined once, in :mod:`retrowalk.units`).
M_S_PER_MPH = MPH_IN_M_S
M_S_PER_KM_H = KMH_IN_M_S

_PRODUCT = "product brief (docs/product.md) §1, 'How people are told to do it'"
_CLINICAL_36 = "clinical notes §3.6: Consumer Reports, 'How to stay safe on a treadmill' [S]"


@dataclass(frozen=True, slots=True)
class SourcedText:
    """A fixed text RetroWalk shows or speaks, with where its content comes from.

    Parameters
    ----------
    key
        Stable identifier (for translations and tests).
    text
        The sentence shown and spoken.
    source
        Where the advice comes from, with its evidence label.
    """

    key: str
    text: str
    source: str


#: Technique reminders spoken during backward segments, in rotation.
TECHNIQUE_CUES: tuple[SourcedText, ...] = (
    SourcedText("eyes_forward", "Eyes forward on a fixed point. Don't turn to look.", _PRODUCT),
    SourcedText("small_steps", "Small steps, feet close to the ground.", _PRODUCT),
    SourcedText("tall_posture", "Stand tall: back straight, shoulders relaxed.", _PRODUCT),
)

#: Every pre-session check item; :func:`safety_checks_for` picks those that apply.
SAFETY_CHECKS: dict[str, SourcedText] = {
    item.key: item
    for item in (
        SourcedText(
            "clear_space",
            "Clear space behind you: flat, no obstacles, away from stairs, roads, water, edges "
            "and crowds.",
            _PRODUCT,
        ),
        SourcedText(
            "treadmill_clearance",
            "Treadmill space: at least 2 ft (0.6 m) clear at each side and 6 ft (1.8 m) behind.",
            _CLINICAL_36,
        ),
        SourcedText("safety_key", "Treadmill safety key clipped to your clothing.", _CLINICAL_36),
        SourcedText(
            "straddle_belt",
            "Start the belt while straddling it, and never step off a moving belt.",
            _CLINICAL_36,
        ),
        SourcedText("shoes", "Comfortable shoes with good grip.", _PRODUCT),
        SourcedText("support_wall_or_rail", "A wall or rail within reach of one hand.", _PRODUCT),
        SourcedText("support_treadmill_rails", "The treadmill rails within reach.", _PRODUCT),
        SourcedText("support_spotter", "Your spotter beside you.", _PRODUCT),
        SourcedText(
            "outdoors",
            "Outdoors: no phone distractions; keep one earbud out or the volume low.",
            _PRODUCT + "; peers §2.1, SilverSneakers guided walks [S]",
        ),
        SourcedText(
            "stop_signs",
            "You will stop at once on pain, dizziness, chest discomfort, breathlessness that "
            "makes talking hard, or if you feel unsteady.",
            "clinical notes §3.3: patient-education lists (Allina Health, Geisinger) and LIFE "
            "400 m walk stopping criteria [S]",
        ),
    )
}

#: Spoken at the very start of the run, like SilverSneakers' "stop if dizzy" prompt.
SAFETY_REMINDER = SourcedText(
    "stop_reminder",
    "Stop at once if you feel pain, dizziness or unsteady.",
    "clinical notes §3.3 [S]; peers §2.1, SilverSneakers safety prompts [S]",
)

#: What the player says when the walker stops a session, by stop reason.
STOP_TEXTS: dict[str, SourcedText] = {
    item.key: item
    for item in (
        SourcedText(
            "pain",
            "Session stopped. Stand still and hold your support. For chest pain, or pain that "
            "does not go away within a few minutes of stopping, call emergency services.",
            "clinical notes §3.3: Geisinger patient education [S]",
        ),
        SourcedText(
            "dizziness",
            "Session stopped. Hold your support or sit down. If the dizziness does not go away "
            "within a few minutes of stopping, call emergency services.",
            "clinical notes §3.3: Geisinger patient education [S]",
        ),
        SourcedText(
            "near_fall",
            "Session stopped. Hold your support and stand still until you feel steady.",
            _PRODUCT + " (support until balance improves)",
        ),
        SourcedText(
            "tired",
            "Session stopped. Walk forward slowly to cool down.",
            _PRODUCT,
        ),
        SourcedText("other", "Session stopped.", "no advice given"),
    )
}

_SUPPORT_CHECK = {
    Support.WALL_OR_RAIL: "support_wall_or_rail",
    Support.TREADMILL_RAILS: "support_treadmill_rails",
    Support.SPOTTER: "support_spotter",
}

_SUPPORT_PHRASE = {
    Support.NONE: "",
    Support.WALL_OR_RAIL: ", one hand on the wall or rail",
    Support.TREADMILL_RAILS: ", one hand on the rail",
    Support.SPOTTER: ", your spotter beside you",
}

_KIND_PREFIX = {
    SegmentKind.WARM_UP: "Warm-up. ",
    SegmentKind.COOL_DOWN: "Cool-down. ",
}

_KIND_LABEL = {
    SegmentKind.WARM_UP: "Warm-up",
    SegmentKind.BACKWARD_INTERVAL: "Backward interval",
    SegmentKind.FORWARD_RECOVERY: "Recovery",
    SegmentKind.FORWARD: "Forward walk",
    SegmentKind.COOL_DOWN: "Cool-down",
}


def continues(segment: PlannedSegment, previous: PlannedSegment | None) -> bool:
    """Whether ``segment`` just carries on ``previous`` (same kind and direction)."""
    return (
        previous is not None
        and previous.kind is segment.kind
        and previous.direction is segment.direction
    )


def check_units(units: str) -> Units:
    """Return ``units`` if it is a speed unit RetroWalk speaks, else raise.

    Raises
    ------
    retrowalk.errors.InvalidInputError
        ``field="units"`` unless ``units`` is ``"mph"`` or ``"km/h"``.
    """
    try:
        return SpeedUnit(units)
    except ValueError:
        accepted = " or ".join(f'"{unit}"' for unit in SpeedUnit)
        raise InvalidInputError("units", units, accepted) from None


def safety_checks_for(segments: Sequence[PlannedSegment]) -> tuple[SourcedText, ...]:
    """The pre-session check items that apply to these segments, in the order to ask them.

    Overground backward walking needs clear space behind; a treadmill needs its clearance, the
    safety key and a straddled start; each kind of support used must be in reach; outdoors, no
    distractions. Shoes and the stop signs apply always.

    Parameters
    ----------
    segments
        The segments of the session.

    Returns
    -------
    tuple of SourcedText
        The items, without repeats.
    """
    keys: list[str] = []
    if any(not s.environment.is_treadmill and s.direction is Direction.BACKWARD for s in segments):
        keys.append("clear_space")
    if any(s.environment.is_treadmill for s in segments):
        keys += ["treadmill_clearance", "safety_key", "straddle_belt"]
    keys.append("shoes")
    for support in Support:
        if support in _SUPPORT_CHECK and any(s.support is support for s in segments):
            keys.append(_SUPPORT_CHECK[support])
    if any(s.environment.is_outdoor for s in segments):
        keys.append("outdoors")
    keys.append("stop_signs")
    return tuple(SAFETY_CHECKS[key] for key in keys)


def _number(value: float) -> str:
    """A number rounded to 0.1, without a trailing ``.0``."""
    text = f"{value:.1f}"
    return text.removesuffix(".0")


def spoken_speed(speed_m_s: float, units: Units) -> str:
    """A speed in the user's unit, to 0.1, e.g. ``"1.2 mph"`` or ``"1.9 km/h"``.

    Parameters
    ----------
    speed_m_s
        Speed in m/s.
    units
        ``"mph"`` or ``"km/h"``.
    """
    factor = M_S_PER_MPH if check_units(units) is SpeedUnit.MPH else M_S_PER_KM_H
    return f"{_number(speed_m_s / factor)} {units}"


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def spoken_duration(duration_s: float) -> str:
    """A duration to the nearest second, e.g. ``"2 minutes"``, ``"90 seconds"``.

    Whole minutes are said in minutes; under two minutes, other durations in seconds; longer ones
    as minutes and seconds ("2 minutes 30 seconds").
    """
    seconds = round(duration_s)
    minutes, rest = divmod(seconds, 60)
    if rest == 0 and minutes > 0:
        return _plural(minutes, "minute")
    if seconds < 120:
        return _plural(seconds, "second")
    return f"{_plural(minutes, 'minute')} {_plural(rest, 'second')}"


def _turn_phrase(segment: PlannedSegment, previous: PlannedSegment | None) -> str:
    turning_back = segment.direction is Direction.BACKWARD and (
        previous is None or previous.direction is Direction.FORWARD
    )
    turning_forward = (
        segment.direction is Direction.FORWARD
        and previous is not None
        and previous.direction is Direction.BACKWARD
    )
    if not (turning_back or turning_forward):
        return ""
    turn = "turn around" if turning_back else "turn to face forward"
    if segment.environment.is_treadmill:
        return f"Straddle the belt and {turn}. "
    return f"{turn.capitalize()}. "


def segment_start_text(
    segment: PlannedSegment, previous: PlannedSegment | None, units: Units
) -> str:
    """What to say as a segment starts.

    E.g. ``"Turn around. Walk backward at 1.2 mph, one hand on the rail, for 2 minutes."`` or
    ``"Turn to face forward. Walk forward for 1 minute."``.

    Parameters
    ----------
    segment
        The segment starting.
    previous
        The segment before it, or ``None`` for the first: a change of direction is announced
        ("Turn around." / "Turn to face forward."; on a treadmill, "Straddle the belt and ...");
        a segment of the same kind and direction as the previous one says "Keep walking ...".
    units
        Unit for the belt speed, if the segment has one.

    Notes
    -----
    The support phrase is said for backward segments only: forward walking is what the walker
    already does without help, and the shorter sentence keeps the switch quick.
    """
    carry_on = continues(segment, previous)
    verb = "Keep walking" if carry_on else "Walk"
    parts = [f"{verb} {segment.direction.value}"]
    if segment.speed_target_m_s is not None:
        parts.append(f" at {spoken_speed(segment.speed_target_m_s, units)}")
    if segment.grade_pct != 0:
        word = "incline" if segment.grade_pct > 0 else "decline"
        parts.append(f", {word} {_number(abs(segment.grade_pct))} percent")
    if segment.direction is Direction.BACKWARD:
        parts.append(_SUPPORT_PHRASE[segment.support])
    separator = "," if any(part.startswith(",") for part in parts) else ""
    parts.append(f"{separator} for {spoken_duration(segment.duration_s)}.")
    prefix = "" if carry_on else _KIND_PREFIX.get(segment.kind, "")
    return prefix + _turn_phrase(segment, previous) + "".join(parts)


def halfway_text(left_s: float) -> str:
    """The halfway cue, e.g. ``"Halfway. 1 minute to go."``."""
    return f"Halfway. {spoken_duration(left_s)} to go."


def thirty_seconds_left_text(segment: PlannedSegment, following: PlannedSegment | None) -> str:
    """The "thirty seconds left" cue, with a word on what comes next.

    Parameters
    ----------
    segment
        The segment ending in 30 s.
    following
        The next segment, or ``None`` if the session ends with this one.
    """
    text = "Thirty seconds left."
    if following is None:
        return text + " Then the session ends."
    if following.kind is SegmentKind.COOL_DOWN:
        return text + " Next: cool-down."
    if following.direction is not segment.direction:
        return text + f" Next: turn and walk {following.direction.value}."
    return text


def segment_end_text(segment: PlannedSegment, ordinal: int, count: int) -> str:
    """What to say as a segment ends, e.g. ``"Backward interval 3 of 30 done."``.

    Parameters
    ----------
    segment
        The segment ending.
    ordinal
        Its 1-based number among the session's segments of the same kind.
    count
        How many segments of that kind the session has; with one, no number is said
        ("Warm-up done.").
    """
    label = _KIND_LABEL[segment.kind]
    if count > 1:
        return f"{label} {ordinal} of {count} done."
    return f"{label} done."


def countdown_announcement_text(countdown_s: int) -> str:
    """Said as the countdown begins, e.g. ``"Starting in 10 seconds."``."""
    return f"Starting in {_plural(countdown_s, 'second')}."


def countdown_tick_text(seconds_left: int) -> str:
    """A countdown number: ``"3"``, ``"2"``, ``"1"``."""
    return str(seconds_left)


def end_text() -> str:
    """Said when the last segment ends."""
    return (
        "Session complete. Well done. Note in your log how it felt, and any pain, dizziness "
        "or near-fall."
    )


def stop_text(reason: str) -> str:
    """What to say when the walker stops the session early.

    Parameters
    ----------
    reason
        A :class:`~retrowalk.sessions.player.StopReason` value.

    Raises
    ------
    retrowalk.errors.InvalidInputError
        ``field="reason"`` for an unknown reason.
    """
    if reason not in STOP_TEXTS:
        raise InvalidInputError("reason", reason, ", ".join(STOP_TEXTS))
    return STOP_TEXTS[reason].text
