"""FTMS codec: known packets, tolerance to malformed ones, round trips (hypothesis)."""

from __future__ import annotations

import struct

import pytest
from hypothesis import given
from hypothesis import strategies as st

from retrowalk.treadmill import ftms
from retrowalk.treadmill.ftms import (
    ResultCode,
    StatusOpCode,
    TreadmillFlags,
    decode_control_response,
    decode_machine_status,
    decode_speed_range,
    decode_treadmill_data,
    encode_set_target_speed,
    encode_treadmill_data,
    kmh_units_to_m_s,
    m_s_to_kmh_units_floor,
)


def test_speed_only_packet():
    # Flags 0x0000: More Data clear, so Instantaneous Speed (uint16, 0.01 km/h) follows.
    data = decode_treadmill_data(b"\x00\x00" + struct.pack("<H", 360))
    assert data.speed_m_s == pytest.approx(1.0)
    assert data.problems == ()


def test_full_packet_fields_in_spec_order():
    flags = (
        TreadmillFlags.AVERAGE_SPEED
        | TreadmillFlags.TOTAL_DISTANCE
        | TreadmillFlags.INCLINATION_AND_RAMP
        | TreadmillFlags.ELEVATION_GAIN
        | TreadmillFlags.INSTANTANEOUS_PACE
        | TreadmillFlags.AVERAGE_PACE
        | TreadmillFlags.EXPENDED_ENERGY
        | TreadmillFlags.HEART_RATE
        | TreadmillFlags.METABOLIC_EQUIVALENT
        | TreadmillFlags.ELAPSED_TIME
        | TreadmillFlags.REMAINING_TIME
        | TreadmillFlags.FORCE_AND_POWER
    )
    body = (
        struct.pack("<HH", int(flags), 250)  # speed 2.50 km/h
        + struct.pack("<H", 200)  # average speed
        + (1234).to_bytes(3, "little")  # distance
        + struct.pack("<hh", -15, 0)  # incline -1.5 %
        + struct.pack("<HH", 10, 0)  # elevation gain
        + bytes([5, 6])  # paces
        + struct.pack("<HHB", 50, 300, 5)  # energy
        + bytes([96])  # heart rate
        + bytes([30])  # MET
        + struct.pack("<HH", 600, 300)  # elapsed, remaining
        + struct.pack("<hh", 10, 100)  # force, power
    )
    data = decode_treadmill_data(body)
    assert data.problems == ()
    assert data.speed_m_s == pytest.approx(2.5 / 3.6)
    assert data.average_speed_m_s == pytest.approx(2.0 / 3.6)
    assert data.distance_m == 1234
    assert data.incline_pct == pytest.approx(-1.5)
    assert data.heart_rate_bpm == 96
    assert data.elapsed_s == 600


def test_more_data_flag_means_no_speed():
    data = decode_treadmill_data(struct.pack("<H", 0x0401) + struct.pack("<H", 42))
    assert data.speed_m_s is None
    assert data.elapsed_s == 42


@pytest.mark.parametrize(
    ("packet", "problem"),
    [
        (b"", "no flags field"),
        (b"\x00", "no flags field"),
        (b"\x00\x00\x10", "truncated before instantaneous speed"),
        (struct.pack("<HH", 0x0400, 100) + b"\x05", "truncated before elapsed"),
        (struct.pack("<HH", 0x0004, 100) + b"\x01\x02", "truncated before total distance"),
        (struct.pack("<HH", 0, 100) + b"\xff\xff", "trailing"),
        (struct.pack("<HH", 0xE000, 100), "reserved flag bits"),
    ],
)
def test_malformed_packets_are_reported_not_raised(packet, problem):
    data = decode_treadmill_data(packet)
    assert any(problem in p for p in data.problems)


def test_truncated_field_keeps_the_fields_before_it():
    data = decode_treadmill_data(struct.pack("<HH", 0x0400, 100) + b"\x05")
    assert data.speed_m_s == pytest.approx(1.0 / 3.6)
    assert data.elapsed_s is None


def test_incline_not_available_is_none():
    flags = TreadmillFlags.INCLINATION_AND_RAMP
    data = decode_treadmill_data(struct.pack("<HHhh", int(flags), 100, 0x7FFF, 0))
    assert data.incline_pct is None


@given(st.binary(max_size=64))
def test_decoder_never_raises(packet):
    data = decode_treadmill_data(packet)
    assert data.speed_m_s is None or data.speed_m_s >= 0


@given(
    speed=st.one_of(st.none(), st.integers(0, 0xFFFF).map(kmh_units_to_m_s)),
    distance=st.one_of(st.none(), st.integers(0, 0xFFFFFF)),
    elapsed=st.one_of(st.none(), st.integers(0, 0xFFFF)),
    incline=st.one_of(st.none(), st.integers(-500, 500).map(lambda v: v / 10)),
)
def test_round_trip(speed, distance, elapsed, incline):
    packet = encode_treadmill_data(
        speed_m_s=speed, distance_m=distance, elapsed_s=elapsed, incline_pct=incline
    )
    data = decode_treadmill_data(packet)
    assert data.problems == ()
    if speed is None:
        assert data.speed_m_s is None
    else:
        assert data.speed_m_s == pytest.approx(speed)
    assert data.distance_m == distance
    assert data.elapsed_s == elapsed
    assert data.incline_pct == (None if incline is None else pytest.approx(incline))


@given(st.floats(0, 180, allow_nan=False))
def test_speed_encoding_never_rounds_up(speed_m_s):
    units = m_s_to_kmh_units_floor(speed_m_s)
    assert kmh_units_to_m_s(units) <= speed_m_s + 1e-9
    assert units == 0xFFFF or speed_m_s - kmh_units_to_m_s(units) < kmh_units_to_m_s(1) + 1e-9


def test_exact_speeds_do_not_lose_a_unit():
    assert m_s_to_kmh_units_floor(1.0 / 3.6) == 100
    assert encode_set_target_speed(0.44704) == bytes([0x02]) + struct.pack("<H", 160)


def test_speed_range():
    value = decode_speed_range(struct.pack("<HHH", 80, 1600, 10))
    assert value is not None
    assert value.min_m_s == pytest.approx(0.8 / 3.6)
    assert value.max_m_s == pytest.approx(16 / 3.6)
    assert value.increment_m_s == pytest.approx(0.1 / 3.6)
    assert decode_speed_range(b"\x01\x02") is None
    assert decode_speed_range(struct.pack("<HHH", 500, 100, 10)) is None  # min above max
    assert decode_speed_range(struct.pack("<HHH", 0, 0, 10)) is None


def test_control_responses():
    ok = decode_control_response(bytes([0x80, 0x00, 0x01]))
    assert ok is not None
    assert ok.ok
    assert ok.words == "success"
    for code in ResultCode:
        response = decode_control_response(bytes([0x80, 0x02, code]))
        assert response is not None
        assert response.ok is (code is ResultCode.SUCCESS)
    reserved = decode_control_response(bytes([0x80, 0x02, 0x09]))
    assert reserved is not None
    assert not reserved.ok
    assert "reserved" in reserved.words
    assert decode_control_response(bytes([0x80, 0x02])) is None
    assert decode_control_response(bytes([0x02, 0x02, 0x01])) is None


def test_machine_status():
    changed = decode_machine_status(bytes([StatusOpCode.TARGET_SPEED_CHANGED]) + b"\x64\x00")
    assert changed is not None
    assert changed.speed_m_s == pytest.approx(1 / 3.6)
    short = decode_machine_status(bytes([StatusOpCode.TARGET_SPEED_CHANGED]))
    assert short is not None
    assert short.speed_m_s is None
    assert decode_machine_status(b"") is None


def test_advertising():
    data = ftms.encode_treadmill_advertising("Sim treadmill")
    assert len(data) <= 31
    assert ftms.advertises_ftms(data)
    assert ftms.ad_name(data) == "Sim treadmill"
    assert not ftms.advertises_ftms(b"\x02\x01\x06\x03\x03\x0d\x18")  # heart rate only
    assert ftms.ad_structures(b"\x05\x09ab") == []  # length past the end


def test_features():
    value = ftms.encode_features(ftms.MachineFeatures.ELAPSED_TIME, ftms.TargetFeatures.SPEED)
    assert ftms.decode_features(value) == (
        ftms.MachineFeatures.ELAPSED_TIME,
        ftms.TargetFeatures.SPEED,
    )
    assert ftms.decode_features(b"\x00") is None
