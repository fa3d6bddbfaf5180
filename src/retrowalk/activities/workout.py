"""A planned session as a FIT workout file that a watch runs step by step.

Each planned part is one timed step: the watch counts it down and buzzes at the change, so the
walker's eyes stay forward. The step's intensity carries its role (warm-up, backward interval,
forward recovery, cool-down) and its name starts with the direction. On a treadmill a step with a
belt speed gets a speed target from the planned speed up to the person's limit (both from the
plan). Encoding uses ``fit-tool``; :func:`decode_workout` reads a workout back with ``fitdecode``
(the decoder the importer uses), so a round trip checks both.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Final

from retrowalk.errors import ImportFileError
from retrowalk.segments import PlannedSegment
from retrowalk.vocabulary import Direction, SegmentKind

__all__ = [
    "INTENSITY_OF_KIND",
    "WORKOUT_NAME_MAX_CHARS",
    "WorkoutStep",
    "decode_workout",
    "encode_workout",
    "step_name",
]

#: FIT ``intensity`` of each segment kind (FIT SDK Profile, type ``intensity``); one to one, so a
#: decoded step gives back its kind.
INTENSITY_OF_KIND: Final = {
    SegmentKind.WARM_UP: "warmup",
    SegmentKind.BACKWARD_INTERVAL: "interval",
    SegmentKind.FORWARD_RECOVERY: "recovery",
    SegmentKind.FORWARD: "active",
    SegmentKind.COOL_DOWN: "cooldown",
}
_KIND_OF_INTENSITY: Final = {value: kind for kind, value in INTENSITY_OF_KIND.items()}
#: Longest workout name written (watches show about this many characters).
WORKOUT_NAME_MAX_CHARS: Final = 40
_FIT_EPOCH_OFFSET_S: Final = 631065600  # 1989-12-31T00:00:00Z, the FIT epoch, in Unix time


@dataclass(frozen=True, slots=True)
class WorkoutStep:
    """One step of a FIT workout as decoded.

    Attributes
    ----------
    name
        The step's name (starts with ``Backward`` or ``Forward``).
    kind
        The segment kind read from the step's intensity.
    direction
        The direction read from the name.
    duration_s
        The step's time, s.
    speed_low_m_s, speed_high_m_s
        The speed target, m/s, or ``None`` (open target).
    """

    name: str
    kind: SegmentKind
    direction: Direction
    duration_s: float
    speed_low_m_s: float | None = None
    speed_high_m_s: float | None = None


def step_name(segment: PlannedSegment) -> str:
    """``Backward 1:00`` / ``Forward 5:00``: what the watch shows during the step."""
    whole = round(segment.duration_s)
    return f"{segment.direction.value.capitalize()} {whole // 60}:{whole % 60:02d}"


def encode_workout(segments: Sequence[PlannedSegment], *, name: str, created: datetime) -> bytes:
    """The FIT workout file of a planned session's parts.

    Parameters
    ----------
    segments
        The planned parts, in order (at least one).
    name
        The workout's name on the watch (cut to :data:`WORKOUT_NAME_MAX_CHARS`).
    created
        The file's creation time (aware).
    """
    from fit_tool.fit_file_builder import FitFileBuilder
    from fit_tool.profile.messages.file_id_message import FileIdMessage
    from fit_tool.profile.messages.workout_message import WorkoutMessage
    from fit_tool.profile.messages.workout_step_message import WorkoutStepMessage
    from fit_tool.profile.profile_type import (
        FileType,
        Intensity,
        Manufacturer,
        Sport,
        SubSport,
        WorkoutStepDuration,
        WorkoutStepTarget,
    )

    if not segments:
        raise ValueError("a workout needs at least one segment")
    builder = FitFileBuilder(auto_define=True, min_string_size=16)
    file_id = FileIdMessage()
    file_id.type = FileType.WORKOUT
    file_id.manufacturer = Manufacturer.DEVELOPMENT.value
    file_id.product = 0
    file_id.serial_number = 1
    file_id.time_created = round(created.timestamp() * 1000)
    builder.add(file_id)

    workout = WorkoutMessage()
    workout.workout_name = name[:WORKOUT_NAME_MAX_CHARS]
    workout.sport = Sport.WALKING
    treadmill = all(s.environment.is_treadmill for s in segments)
    workout.sub_sport = SubSport.TREADMILL if treadmill else SubSport.GENERIC
    workout.num_valid_steps = len(segments)
    builder.add(workout)

    for index, segment in enumerate(segments):
        step = WorkoutStepMessage()
        step.message_index = index
        step.workout_step_name = step_name(segment)
        step.intensity = Intensity[INTENSITY_OF_KIND[segment.kind].upper()]
        step.duration_type = WorkoutStepDuration.TIME
        step.duration_time = float(segment.duration_s)
        if segment.environment.is_treadmill and segment.speed_target_m_s is not None:
            step.target_type = WorkoutStepTarget.SPEED
            step.target_value = 0  # 0 = a custom range (FIT SDK, workout_step.target_value)
            step.custom_target_speed_low = segment.speed_target_m_s
            step.custom_target_speed_high = segment.speed_limit_m_s or segment.speed_target_m_s
        else:
            step.target_type = WorkoutStepTarget.OPEN
        builder.add(step)
    return bytes(builder.build().to_bytes())


def decode_workout(data: bytes, *, name: str = "workout.fit") -> tuple[WorkoutStep, ...]:
    """The steps of a FIT workout file (CRC checked).

    Raises
    ------
    ImportFileError
        Not a valid FIT workout file.
    """
    import fitdecode

    steps: list[WorkoutStep] = []
    file_type = None
    try:
        with fitdecode.FitReader(io.BytesIO(data), check_crc=fitdecode.CrcCheck.ENABLED) as reader:
            for frame in reader:
                if frame.frame_type != fitdecode.FIT_FRAME_DATA:
                    continue
                if frame.name == "file_id":
                    file_type = frame.get_value("type", fallback=None)
                elif frame.name == "workout_step":
                    steps.append(_step(frame))
    except fitdecode.FitError as exc:
        raise ImportFileError(name, f"not a valid FIT file ({exc})") from None
    if file_type != "workout":
        raise ImportFileError(name, f"not a FIT workout file (type {file_type})")
    return tuple(steps)


def _step(frame: object) -> WorkoutStep:
    get = frame.get_value  # type: ignore[attr-defined]
    title = str(get("wkt_step_name", fallback="") or "")
    direction = Direction.BACKWARD if title.lower().startswith("backward") else Direction.FORWARD
    intensity = str(get("intensity", fallback="active"))
    duration = get("duration_time", fallback=None)
    if duration is None:
        duration = get("duration_value", fallback=0) / 1000
    low = high = None
    if get("target_type", fallback=None) == "speed":
        low = get("custom_target_speed_low", fallback=None)
        high = get("custom_target_speed_high", fallback=None)
        if low is None:  # decoders without the sub-field give the raw value, mm/s
            raw = get("custom_target_value_low", fallback=None)
            low = None if raw is None else raw / 1000
        if high is None:
            raw = get("custom_target_value_high", fallback=None)
            high = None if raw is None else raw / 1000
    return WorkoutStep(
        name=title,
        kind=_KIND_OF_INTENSITY.get(intensity, SegmentKind.FORWARD),
        direction=direction,
        duration_s=float(duration),
        speed_low_m_s=None if low is None else float(low),
        speed_high_m_s=None if high is None else float(high),
    )
