"""The Bluetooth Fitness Machine Service (FTMS) as a treadmill needs it: bytes <-> values, pure.

Every behaviour here follows the *Fitness Machine Service* specification (Bluetooth SIG, v1.0 of
2017; section and table numbers as in v1.0.1, its corrected edition), cited as "FTMS §x.y". The
byte layout of each field (size, resolution) is the one the specification delegates to the
Bluetooth SIG *GATT Specification Supplement* ("GSS"); UUIDs are the 16-bit assigned numbers of
the Bluetooth SIG *Assigned Numbers* document. Multi-byte values are little-endian (least
significant octet first, FTMS Tables 4.2 and 4.14). Speeds on the wire are in units of
0.01 km/h; inside RetroWalk they are m/s.

Nothing here does I/O. The decoders are *tolerant*: real treadmills send short, padded or odd
packets, so a decoder returns what it could read and says what was wrong (``problems``) instead
of raising, and a value that cannot be read is ``None``, never a guess.
"""

from __future__ import annotations

import math
import struct
from dataclasses import dataclass
from enum import IntEnum, IntFlag
from typing import Final

__all__ = [
    "CONTROL_POINT_UUID",
    "FEATURE_UUID",
    "FTMS_SERVICE_UUID",
    "KMH_IN_M_S",
    "MACHINE_STATUS_UUID",
    "SPEED_RANGE_UUID",
    "SPEED_UNIT_KMH",
    "TRAINING_STATUS_UUID",
    "TREADMILL_DATA_UUID",
    "ControlResponse",
    "MachineFeatures",
    "MachineStatus",
    "OpCode",
    "ResultCode",
    "SpeedRange",
    "StatusOpCode",
    "StopKind",
    "TargetFeatures",
    "TreadmillData",
    "TreadmillFlags",
    "decode_control_response",
    "decode_features",
    "decode_machine_status",
    "decode_speed_range",
    "decode_treadmill_data",
    "encode_control_response",
    "encode_features",
    "encode_machine_status",
    "encode_request_control",
    "encode_set_target_speed",
    "encode_speed_range",
    "encode_start",
    "encode_stop",
    "encode_treadmill_data",
    "full_uuid",
    "kmh_units_to_m_s",
    "m_s_to_kmh_units_floor",
]


def full_uuid(short: int) -> str:
    """The 128-bit form of a 16-bit SIG UUID (Core Specification Vol 3 Part B §2.5.1)."""
    return f"0000{short:04x}-0000-1000-8000-00805f9b34fb"


#: Fitness Machine service (Assigned Numbers, GATT Services: 0x1826).
FTMS_SERVICE_UUID: Final = 0x1826
#: Fitness Machine Feature, read (FTMS §4.3).
FEATURE_UUID: Final = 0x2ACC
#: Treadmill Data, notify (FTMS §4.4).
TREADMILL_DATA_UUID: Final = 0x2ACD
#: Training Status, read/notify (FTMS §4.10); not used beyond discovery.
TRAINING_STATUS_UUID: Final = 0x2AD3
#: Supported Speed Range, read (FTMS §4.11; layout in the GSS).
SPEED_RANGE_UUID: Final = 0x2AD4
#: Fitness Machine Control Point, write + indicate (FTMS §4.16).
CONTROL_POINT_UUID: Final = 0x2AD9
#: Fitness Machine Status, notify (FTMS §4.17).
MACHINE_STATUS_UUID: Final = 0x2ADA

#: Resolution of every FTMS speed field: 0.01 km/h (GSS Treadmill Data and Supported Speed Range;
#: FTMS §4.16.1 Table 4.15 for Set Target Speed).
SPEED_UNIT_KMH: Final = 0.01
#: 1 km/h in m/s, exact.
KMH_IN_M_S: Final = 1000.0 / 3600.0
_SPEED_UNIT_M_S: Final = SPEED_UNIT_KMH * KMH_IN_M_S
_UINT16_MAX: Final = 0xFFFF


def kmh_units_to_m_s(units: int) -> float:
    """A wire speed (units of 0.01 km/h) in m/s."""
    return units * _SPEED_UNIT_M_S


def m_s_to_kmh_units_floor(speed_m_s: float) -> int:
    """A speed in m/s as wire units of 0.01 km/h, rounded **down** (a command never exceeds the
    speed it was computed from). Clamped to 0..65535 (uint16)."""
    if not math.isfinite(speed_m_s) or speed_m_s <= 0:
        return 0
    # The small epsilon keeps exact products (e.g. 1.0 km/h = 100 units) from flooring to 99.
    units = math.floor(speed_m_s / _SPEED_UNIT_M_S + 1e-6)
    return min(units, _UINT16_MAX)


# -- Fitness Machine Feature (FTMS §4.3) -----------------------------------------------------------


class MachineFeatures(IntFlag):
    """Fitness Machine Features field, first uint32 of the characteristic (FTMS §4.3.1.1)."""

    AVERAGE_SPEED = 1 << 0
    CADENCE = 1 << 1
    TOTAL_DISTANCE = 1 << 2
    INCLINATION = 1 << 3
    ELEVATION_GAIN = 1 << 4
    PACE = 1 << 5
    STEP_COUNT = 1 << 6
    RESISTANCE_LEVEL = 1 << 7
    STRIDE_COUNT = 1 << 8
    EXPENDED_ENERGY = 1 << 9
    HEART_RATE = 1 << 10
    METABOLIC_EQUIVALENT = 1 << 11
    ELAPSED_TIME = 1 << 12
    REMAINING_TIME = 1 << 13
    POWER_MEASUREMENT = 1 << 14
    FORCE_ON_BELT_AND_POWER = 1 << 15
    USER_DATA_RETENTION = 1 << 16


class TargetFeatures(IntFlag):
    """Target Setting Features field, second uint32 of the characteristic (FTMS §4.3.1.2)."""

    SPEED = 1 << 0
    INCLINATION = 1 << 1
    RESISTANCE = 1 << 2
    POWER = 1 << 3
    HEART_RATE = 1 << 4


def decode_features(data: bytes) -> tuple[MachineFeatures, TargetFeatures] | None:
    """Both feature fields (two uint32, FTMS §4.3.1), or ``None`` if shorter than 8 bytes."""
    if len(data) < 8:
        return None
    machine, target = struct.unpack_from("<II", data)
    return MachineFeatures(machine & 0x1FFFF), TargetFeatures(target & 0x1F)


def encode_features(machine: MachineFeatures, target: TargetFeatures) -> bytes:
    """The Fitness Machine Feature value (FTMS §4.3.1)."""
    return struct.pack("<II", int(machine), int(target))


# -- Supported Speed Range (FTMS §4.11) ------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SpeedRange:
    """The belt speeds a machine accepts (FTMS §4.11; GSS: three uint16 of 0.01 km/h).

    Attributes
    ----------
    min_m_s, max_m_s
        Slowest and fastest target speed the machine accepts, m/s.
    increment_m_s
        Smallest change of target speed, m/s (0 when the machine reports 0).
    """

    min_m_s: float
    max_m_s: float
    increment_m_s: float


def decode_speed_range(data: bytes) -> SpeedRange | None:
    """The supported speed range, or ``None`` when the value is short or inconsistent
    (minimum above maximum, or a maximum of 0): the caller must then refuse to drive the belt."""
    if len(data) < 6:
        return None
    low, high, step = struct.unpack_from("<HHH", data)
    if high == 0 or low > high:
        return None
    return SpeedRange(kmh_units_to_m_s(low), kmh_units_to_m_s(high), kmh_units_to_m_s(step))


def encode_speed_range(low_m_s: float, high_m_s: float, step_m_s: float) -> bytes:
    """The Supported Speed Range value (FTMS §4.11, GSS layout)."""
    return struct.pack(
        "<HHH",
        m_s_to_kmh_units_floor(low_m_s),
        m_s_to_kmh_units_floor(high_m_s),
        m_s_to_kmh_units_floor(step_m_s),
    )


# -- Treadmill Data (FTMS §4.4) --------------------------------------------------------------------


class TreadmillFlags(IntFlag):
    """Flags field of Treadmill Data (uint16, FTMS §4.4.1.1, Table 4.5).

    ``MORE_DATA`` is inverted: when it is **0** the Instantaneous Speed field is present; when 1
    the record continues in further notifications and carries no speed (FTMS §4.4.1.2, §4.19).
    Bits 13-15 are reserved for future use and "shall be set to 0" (§4.4.1.1); some machines set
    them anyway.
    """

    MORE_DATA = 1 << 0
    AVERAGE_SPEED = 1 << 1
    TOTAL_DISTANCE = 1 << 2
    INCLINATION_AND_RAMP = 1 << 3
    ELEVATION_GAIN = 1 << 4
    INSTANTANEOUS_PACE = 1 << 5
    AVERAGE_PACE = 1 << 6
    EXPENDED_ENERGY = 1 << 7
    HEART_RATE = 1 << 8
    METABOLIC_EQUIVALENT = 1 << 9
    ELAPSED_TIME = 1 << 10
    REMAINING_TIME = 1 << 11
    FORCE_AND_POWER = 1 << 12


_RESERVED_TREADMILL_FLAGS: Final = 0xE000

#: Optional Treadmill Data fields after the speed, in wire order: (flag, struct format, names).
#: Meanings from FTMS §4.4.1.3-§4.4.1.18; sizes and resolutions from the GSS.
_TREADMILL_FIELDS: Final[tuple[tuple[TreadmillFlags, str, tuple[str, ...]], ...]] = (
    (TreadmillFlags.AVERAGE_SPEED, "<H", ("average_speed",)),  # §4.4.1.3 uint16 0.01 km/h
    (TreadmillFlags.TOTAL_DISTANCE, "<I3", ("total_distance",)),  # §4.4.1.4 uint24 1 m
    # §4.4.1.5-6: Inclination sint16 0.1 %, Ramp Angle Setting sint16 0.1 degree
    (TreadmillFlags.INCLINATION_AND_RAMP, "<hh", ("inclination", "ramp_angle")),
    # §4.4.1.7: Positive and Negative Elevation Gain, uint16 0.1 m each
    (TreadmillFlags.ELEVATION_GAIN, "<HH", ("elevation_up", "elevation_down")),
    (TreadmillFlags.INSTANTANEOUS_PACE, "<B", ("pace",)),  # §4.4.1.8 uint8 0.1 km/min
    (TreadmillFlags.AVERAGE_PACE, "<B", ("average_pace",)),  # §4.4.1.9 uint8 0.1 km/min
    # §4.4.1.10-12: Total Energy uint16 kcal, Energy per Hour uint16, per Minute uint8
    (TreadmillFlags.EXPENDED_ENERGY, "<HHB", ("energy", "energy_h", "energy_min")),
    (TreadmillFlags.HEART_RATE, "<B", ("heart_rate",)),  # §4.4.1.13 uint8 bpm
    (TreadmillFlags.METABOLIC_EQUIVALENT, "<B", ("met",)),  # §4.4.1.14 uint8 0.1 MET
    (TreadmillFlags.ELAPSED_TIME, "<H", ("elapsed",)),  # §4.4.1.15 uint16 s
    (TreadmillFlags.REMAINING_TIME, "<H", ("remaining",)),  # §4.4.1.16 uint16 s
    # §4.4.1.17-18: Force on Belt sint16 N, Power Output sint16 W
    (TreadmillFlags.FORCE_AND_POWER, "<hh", ("force", "power")),
)


def _field_size(fmt: str) -> int:
    return 3 if fmt == "<I3" else struct.calcsize(fmt)


@dataclass(frozen=True, slots=True)
class TreadmillData:
    """One decoded Treadmill Data notification. Absent fields are ``None``.

    Attributes
    ----------
    speed_m_s
        Instantaneous belt speed, m/s (absent when the More Data flag is set, FTMS §4.4.1.2).
    average_speed_m_s
        Average speed since the machine's session started, m/s.
    distance_m
        Total distance, m (uint24, FTMS §4.4.1.4).
    incline_pct
        Inclination, percent (FTMS §4.4.1.5); ``None`` also when the machine reports
        0x7FFF, "Data Not Available".
    elapsed_s
        Elapsed time of the machine's training session, s (FTMS §4.4.1.15).
    heart_rate_bpm
        Heart rate from the machine's own sensor, if any.
    problems
        What was odd about the packet (truncated, reserved flags, trailing bytes); empty for a
        well-formed one. Fields after a truncation point are ``None``.
    """

    speed_m_s: float | None = None
    average_speed_m_s: float | None = None
    distance_m: int | None = None
    incline_pct: float | None = None
    elapsed_s: int | None = None
    heart_rate_bpm: int | None = None
    problems: tuple[str, ...] = ()


_INCLINE_NOT_AVAILABLE: Final = 0x7FFF


def decode_treadmill_data(data: bytes) -> TreadmillData:
    """Decode a Treadmill Data notification (FTMS §4.4.1) without ever raising.

    Reading stops at the first field that does not fit: that field and all after it are
    ``None`` and ``problems`` says so. Reserved flag bits (13-15) and trailing bytes are reported
    and ignored.
    """
    problems: list[str] = []
    if len(data) < 2:
        return TreadmillData(problems=(f"packet of {len(data)} byte(s): no flags field",))
    (raw_flags,) = struct.unpack_from("<H", data)
    if raw_flags & _RESERVED_TREADMILL_FLAGS:
        problems.append(f"reserved flag bits set (0x{raw_flags & _RESERVED_TREADMILL_FLAGS:04x})")
    flags = TreadmillFlags(raw_flags & ~_RESERVED_TREADMILL_FLAGS & 0xFFFF)
    offset = 2
    values: dict[str, int] = {}
    truncated = False
    if not flags & TreadmillFlags.MORE_DATA:  # §4.4.1.2: speed present when bit 0 is 0
        if len(data) < offset + 2:
            truncated = True
            problems.append("truncated before instantaneous speed")
        else:
            (values["speed"],) = struct.unpack_from("<H", data, offset)
            offset += 2
    for flag, fmt, names in _TREADMILL_FIELDS:
        if truncated or not flags & flag:
            continue
        size = _field_size(fmt)
        if len(data) < offset + size:
            truncated = True
            problems.append(f"truncated before {names[0].replace('_', ' ')}")
            break
        if fmt == "<I3":
            values[names[0]] = int.from_bytes(data[offset : offset + 3], "little")
        else:
            for name, value in zip(names, struct.unpack_from(fmt, data, offset), strict=True):
                values[name] = value
        offset += size
    if not truncated and len(data) > offset:
        problems.append(f"{len(data) - offset} trailing byte(s) ignored")
    incline = values.get("inclination")
    return TreadmillData(
        speed_m_s=None if "speed" not in values else kmh_units_to_m_s(values["speed"]),
        average_speed_m_s=(
            None if "average_speed" not in values else kmh_units_to_m_s(values["average_speed"])
        ),
        distance_m=values.get("total_distance"),
        incline_pct=None if incline is None or incline == _INCLINE_NOT_AVAILABLE else incline / 10,
        elapsed_s=values.get("elapsed"),
        heart_rate_bpm=values.get("heart_rate"),
        problems=tuple(problems),
    )


def encode_treadmill_data(
    *,
    speed_m_s: float | None,
    distance_m: int | None = None,
    incline_pct: float | None = None,
    elapsed_s: int | None = None,
) -> bytes:
    """A Treadmill Data value (FTMS §4.4.1) with the fields the simulator sends.

    ``speed_m_s=None`` sets the More Data flag (no speed field).
    """
    flags = TreadmillFlags(0)
    body = b""
    if speed_m_s is None:
        flags |= TreadmillFlags.MORE_DATA
    else:
        body += struct.pack("<H", m_s_to_kmh_units_floor(speed_m_s))
    if distance_m is not None:
        flags |= TreadmillFlags.TOTAL_DISTANCE
        body += max(0, min(distance_m, 0xFFFFFF)).to_bytes(3, "little")
    if incline_pct is not None:
        flags |= TreadmillFlags.INCLINATION_AND_RAMP
        body += struct.pack("<hh", round(incline_pct * 10), 0)
    if elapsed_s is not None:
        flags |= TreadmillFlags.ELAPSED_TIME
        body += struct.pack("<H", max(0, min(elapsed_s, _UINT16_MAX)))
    return struct.pack("<H", int(flags)) + body


# -- Fitness Machine Control Point (FTMS §4.16) ----------------------------------------------------


class OpCode(IntEnum):
    """Control Point op codes used here (FTMS §4.16.1, Table 4.15)."""

    REQUEST_CONTROL = 0x00
    RESET = 0x01
    SET_TARGET_SPEED = 0x02  # parameter uint16, 0.01 km/h (Table 4.15, §4.16.2.3)
    SET_TARGET_INCLINATION = 0x03
    START_OR_RESUME = 0x07
    STOP_OR_PAUSE = 0x08  # parameter uint8: 0x01 stop, 0x02 pause (§4.16.2.9, Table 4.16)
    RESPONSE_CODE = 0x80


class StopKind(IntEnum):
    """Parameter of Stop or Pause (FTMS §4.16.2.9, Table 4.16)."""

    STOP = 0x01
    PAUSE = 0x02


class ResultCode(IntEnum):
    """Result codes of a Control Point response (FTMS §4.16.2.22); other values are reserved."""

    SUCCESS = 0x01
    NOT_SUPPORTED = 0x02
    INVALID_PARAMETER = 0x03
    OPERATION_FAILED = 0x04
    CONTROL_NOT_PERMITTED = 0x05


_RESULT_WORDS: Final = {
    ResultCode.SUCCESS: "success",
    ResultCode.NOT_SUPPORTED: "op code not supported",
    ResultCode.INVALID_PARAMETER: "invalid parameter",
    ResultCode.OPERATION_FAILED: "operation failed",
    ResultCode.CONTROL_NOT_PERMITTED: "control not permitted",
}


def encode_request_control() -> bytes:
    """Request Control (FTMS §4.16.2.1): must succeed before any other command."""
    return bytes([OpCode.REQUEST_CONTROL])


def encode_set_target_speed(speed_m_s: float) -> bytes:
    """Set Target Speed (FTMS §4.16.2.3), rounded down to 0.01 km/h."""
    return struct.pack("<BH", OpCode.SET_TARGET_SPEED, m_s_to_kmh_units_floor(speed_m_s))


def encode_start() -> bytes:
    """Start or Resume (FTMS §4.16.2.8)."""
    return bytes([OpCode.START_OR_RESUME])


def encode_stop(kind: StopKind = StopKind.STOP) -> bytes:
    """Stop or Pause (FTMS §4.16.2.9)."""
    return bytes([OpCode.STOP_OR_PAUSE, kind])


@dataclass(frozen=True, slots=True)
class ControlResponse:
    """A Control Point indication: ``0x80``, the request op code, the result (FTMS §4.16.2.22).

    Attributes
    ----------
    request
        The op code answered (an int: unknown op codes are kept as numbers).
    result
        The result code as a number (reserved values are kept, and are not success).
    """

    request: int
    result: int

    @property
    def ok(self) -> bool:
        """Whether the machine accepted the command."""
        return self.result == ResultCode.SUCCESS

    @property
    def words(self) -> str:
        """The result in plain words (``"result code 0x..."`` for a reserved value)."""
        try:
            return _RESULT_WORDS[ResultCode(self.result)]
        except ValueError:
            return f"reserved result code 0x{self.result:02x}"


def decode_control_response(data: bytes) -> ControlResponse | None:
    """A Control Point response, or ``None`` when the indication is not one (too short or not
    starting with the Response Code op code 0x80)."""
    if len(data) < 3 or data[0] != OpCode.RESPONSE_CODE:
        return None
    return ControlResponse(request=data[1], result=data[2])


def encode_control_response(request: int, result: int) -> bytes:
    """A Control Point response indication (FTMS §4.16.2.22)."""
    return bytes([OpCode.RESPONSE_CODE, request & 0xFF, result & 0xFF])


# -- Fitness Machine Status (FTMS §4.17) -----------------------------------------------------------


class StatusOpCode(IntEnum):
    """Fitness Machine Status op codes used here (FTMS §4.17; 0xFF: §4.16.2.1)."""

    RESET = 0x01
    STOPPED_OR_PAUSED_BY_USER = 0x02  # parameter uint8: 0x01 stop, 0x02 pause
    STOPPED_BY_SAFETY_KEY = 0x03
    STARTED_OR_RESUMED_BY_USER = 0x04
    TARGET_SPEED_CHANGED = 0x05  # parameter uint16, 0.01 km/h
    CONTROL_PERMISSION_LOST = 0xFF


@dataclass(frozen=True, slots=True)
class MachineStatus:
    """A Fitness Machine Status notification.

    Attributes
    ----------
    op
        The status op code as a number (unknown ones are kept and ignored by the driver).
    speed_m_s
        The new target speed for ``TARGET_SPEED_CHANGED``, else ``None``.
    """

    op: int
    speed_m_s: float | None = None


def decode_machine_status(data: bytes) -> MachineStatus | None:
    """A Fitness Machine Status notification, or ``None`` for an empty packet. A Target Speed
    Changed status without its 2-byte parameter keeps ``speed_m_s=None``."""
    if not data:
        return None
    speed = None
    if data[0] == StatusOpCode.TARGET_SPEED_CHANGED and len(data) >= 3:
        speed = kmh_units_to_m_s(struct.unpack_from("<H", data, 1)[0])
    return MachineStatus(op=data[0], speed_m_s=speed)


def encode_machine_status(op: StatusOpCode, speed_m_s: float | None = None) -> bytes:
    """A Fitness Machine Status value (FTMS §4.17)."""
    if op is StatusOpCode.TARGET_SPEED_CHANGED:
        return struct.pack("<BH", op, m_s_to_kmh_units_floor(speed_m_s or 0.0))
    if op is StatusOpCode.STOPPED_OR_PAUSED_BY_USER:
        return bytes([op, StopKind.STOP])
    return bytes([op])


# -- advertising (Core Specification Supplement Part A §1.1, §1.3, §1.11) ---------------------

#: Advertising data types used here (Assigned Numbers, Common Data Types).
AD_FLAGS: Final = 0x01
AD_INCOMPLETE_UUID16: Final = 0x02
AD_COMPLETE_UUID16: Final = 0x03
AD_COMPLETE_NAME: Final = 0x09
AD_SERVICE_DATA_UUID16: Final = 0x16


def ad_structures(data: bytes) -> list[tuple[int, bytes]]:
    """The (type, value) pairs of advertising data; stops quietly at a malformed length."""
    out: list[tuple[int, bytes]] = []
    offset = 0
    while offset < len(data):
        length = data[offset]
        if length == 0 or offset + 1 + length > len(data):
            break
        out.append((data[offset + 1], bytes(data[offset + 2 : offset + 1 + length])))
        offset += 1 + length
    return out


def advertises_ftms(data: bytes) -> bool:
    """Whether advertising data lists the Fitness Machine service (by UUID or service data)."""
    for kind, value in ad_structures(data):
        if kind in (AD_INCOMPLETE_UUID16, AD_COMPLETE_UUID16):
            uuids = {int.from_bytes(value[i : i + 2], "little") for i in range(0, len(value), 2)}
            if FTMS_SERVICE_UUID in uuids:
                return True
        if kind == AD_SERVICE_DATA_UUID16 and value[:2] == FTMS_SERVICE_UUID.to_bytes(2, "little"):
            return True
    return False


def ad_name(data: bytes) -> str | None:
    """The complete local name in advertising data, if any."""
    for kind, value in ad_structures(data):
        if kind == AD_COMPLETE_NAME:
            return value.decode("utf-8", errors="replace")
    return None


def encode_treadmill_advertising(name: str) -> bytes:
    """Advertising data of an available treadmill: LE general discoverable flags, the service
    UUID, FTMS service data (Flags bit 0 "Fitness Machine Available", Fitness Machine Type bit 0
    "Treadmill Supported"; FTMS chapter 3, section number not re-checked) and the name (cut to
    fit 31 bytes)."""

    def ad(kind: int, value: bytes) -> bytes:
        return bytes([len(value) + 1, kind]) + value

    uuid = FTMS_SERVICE_UUID.to_bytes(2, "little")
    body = (
        ad(AD_FLAGS, b"\x06")
        + ad(AD_COMPLETE_UUID16, uuid)
        + ad(AD_SERVICE_DATA_UUID16, uuid + b"\x01" + (1).to_bytes(2, "little"))
    )
    room = 31 - len(body) - 2
    return body + ad(AD_COMPLETE_NAME, name.encode("utf-8")[:room])
