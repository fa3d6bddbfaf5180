"""Property: for any plan and any sequence of events, no commanded speed exceeds a limit.

Hypothesis needs hundreds of runs, too many for the Bluetooth stack, so the FTMS client talks here
to an in-memory GATT link that answers like the simulator (same codec, same result codes). The
same driver, client and governor code runs as over bumble (test_driver.py covers the real stack).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from retrowalk.segments import PlannedSegment
from retrowalk.sessions import RunStatus, SessionRun, build_timeline
from retrowalk.treadmill import ftms
from retrowalk.treadmill.client import FtmsClient
from retrowalk.treadmill.driver import TreadmillDriver
from retrowalk.treadmill.ftms import OpCode, ResultCode, StatusOpCode
from retrowalk.treadmill.safety import SpeedLimits, speed_cap_m_s
from retrowalk.vocabulary import Direction, Environment, SegmentKind, Support


class MemoryTreadmill:
    """A GattLink whose peer is an FTMS treadmill held in memory (belt moves when told)."""

    def __init__(self, low: float, high: float, step: float) -> None:
        self.range = ftms.encode_speed_range(low, high, step)
        reported = ftms.decode_speed_range(self.range)
        assert reported is not None
        self.low, self.high = reported.min_m_s, reported.max_m_s
        self.subscribers: dict[int, Callable[[bytes], None]] = {}
        self.connected = True
        self.controlled = False
        self.running = False
        self.target = 0.0
        self.belt = 0.0
        self.targets: list[float] = []
        self._on_down: list[Callable[[], None]] = []

    def has(self, uuid16: int) -> bool:
        return True

    async def read(self, uuid16: int) -> bytes:
        if uuid16 == ftms.SPEED_RANGE_UUID:
            return self.range
        return ftms.encode_features(ftms.MachineFeatures(0), ftms.TargetFeatures.SPEED)

    async def write(self, uuid16: int, data: bytes) -> None:
        op = data[0]
        result = ResultCode.SUCCESS
        if op == OpCode.REQUEST_CONTROL:
            self.controlled = True
        elif not self.controlled:
            result = ResultCode.CONTROL_NOT_PERMITTED
        elif op == OpCode.SET_TARGET_SPEED:
            speed = ftms.kmh_units_to_m_s(int.from_bytes(data[1:3], "little"))
            if not self.low - 1e-9 <= speed <= self.high + 1e-9:
                result = ResultCode.INVALID_PARAMETER
            else:
                self.target = speed
                self.targets.append(speed)
        elif op == OpCode.START_OR_RESUME:
            self.running = True
        elif op == OpCode.STOP_OR_PAUSE:
            self.running = False
        self.subscribers[ftms.CONTROL_POINT_UUID](ftms.encode_control_response(op, result))

    async def subscribe(self, uuid16: int, callback: Callable[[bytes], None]) -> None:
        self.subscribers[uuid16] = callback

    def on_disconnect(self, callback: Callable[[], None]) -> None:
        self._on_down.append(callback)

    async def disconnect(self) -> None:
        self.drop()

    # what the machine or the walker does
    def report(self, extra: float = 0.0, raw: bytes | None = None) -> None:
        self.belt = (self.target + extra) if self.running else 0.0
        packet = raw if raw is not None else ftms.encode_treadmill_data(speed_m_s=self.belt)
        self.subscribers[ftms.TREADMILL_DATA_UUID](packet)

    def status(self, value: bytes) -> None:
        self.subscribers[ftms.MACHINE_STATUS_UUID](value)

    def drop(self) -> None:
        if self.connected:
            self.connected = False
            for callback in self._on_down:
                callback()


EVENTS = st.sampled_from(
    [
        "tick",
        "tick",
        "tick",
        "belt",
        "belt",
        "belt",
        "belt",
        "belt_fast",
        "garbage",
        "hand_faster",
        "hand_slower",
        "hand_stop",
        "pause",
        "resume",
        "skip",
        "control_lost",
        "drop",
    ]
)
speeds = st.floats(0.1, 2.5, allow_nan=False)


@st.composite
def plans(draw):
    count = draw(st.integers(1, 5))
    segments = []
    for _ in range(count):
        limit = draw(speeds)
        fraction = draw(st.one_of(st.none(), st.floats(0.05, 1.0)))
        target = None if fraction is None else fraction * limit
        segments.append(
            PlannedSegment(
                kind=SegmentKind.BACKWARD_INTERVAL,
                direction=draw(st.sampled_from(list(Direction))),
                duration_s=draw(st.floats(5, 120)),
                environment=Environment.TREADMILL,
                support=Support.TREADMILL_RAILS,
                speed_target_m_s=target,
                speed_limit_m_s=limit,
            )
        )
    return segments


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(
    segments=plans(),
    plan_max=speeds,
    step=st.floats(0.05, 0.5),
    machine=st.tuples(st.floats(0.0, 0.3), st.floats(0.5, 5.0), st.sampled_from([0.0, 0.1 / 3.6])),
    events=st.lists(st.tuples(EVENTS, st.floats(0.1, 30.0)), min_size=3, max_size=60),
)
def test_no_commanded_speed_ever_exceeds_a_limit(segments, plan_max, step, machine, events):
    low, high, increment = machine
    timeline = build_timeline(segments, countdown_s=2, technique_interval_s=None)
    limits = SpeedLimits(plan_max_m_s=plan_max, step_m_s=step)

    async def scenario():
        now = [0.0]
        link = MemoryTreadmill(low, high, increment)
        client = FtmsClient(link, control_timeout_s=0.5)
        await client.setup()
        driver = TreadmillDriver(client, timeline, limits)
        await driver.take_control()
        run = SessionRun(timeline, lambda: now[0])
        run.start()
        for action, amount in [("tick", 2.5), *events]:
            if run.state not in (RunStatus.RUNNING, RunStatus.PAUSED):
                break
            if action == "tick":
                now[0] += amount
            elif action == "belt":
                link.report()
            elif action == "belt_fast":
                link.report(extra=amount / 30)
            elif action == "garbage":
                link.report(raw=bytes([0x00, 0x00, int(amount) % 256]))
            elif action in ("hand_faster", "hand_slower"):
                factor = 1.5 if action == "hand_faster" else 0.5
                link.target = min(link.high, link.target * factor)
                link.status(
                    ftms.encode_machine_status(StatusOpCode.TARGET_SPEED_CHANGED, link.target)
                )
            elif action == "hand_stop":
                link.running = False
                link.status(ftms.encode_machine_status(StatusOpCode.STOPPED_OR_PAUSED_BY_USER))
            elif action == "pause" and run.state is RunStatus.RUNNING:
                run.pause()
            elif action == "resume" and run.state is RunStatus.PAUSED:
                run.resume()
            elif action == "skip" and run.state in (RunStatus.RUNNING, RunStatus.PAUSED):
                run.skip()
            elif action == "control_lost":
                link.controlled = False
                link.status(ftms.encode_machine_status(StatusOpCode.CONTROL_PERMISSION_LOST))
            elif action == "drop":
                link.drop()
            run.poll()
            started_before = driver.belt_started
            paused_before = run.state is RunStatus.PAUSED
            await driver.update(run.snapshot())
            if paused_before and run.state is RunStatus.PAUSED:
                # S5: no start while the walker has not resumed
                assert driver.belt_started is False or started_before
            if driver.pause_requested and run.state is RunStatus.RUNNING:
                run.pause()
        return driver, link

    driver, link = asyncio.run(scenario())
    event(f"commands: {min(len(driver.commands), 3)}")
    # The driver only sends what the machine accepts: a refusal here would be a driver bug.
    assert "command_refused" not in {s.value for s in driver.stops}, driver.messages
    event(f"stops: {sorted({s.value for s in driver.stops})[:2]}")
    machine_range = ftms.decode_speed_range(link.range)
    for record in driver.commands:
        segment = timeline.segments[record.segment_index].planned
        assert machine_range is not None
        cap = speed_cap_m_s(segment.speed_limit_m_s, limits, machine_range)
        assert record.speed_m_s <= cap + 1e-9
        assert record.speed_m_s <= plan_max + 1e-9
        assert segment.speed_limit_m_s is not None
        assert record.speed_m_s <= segment.speed_limit_m_s + 1e-9
        assert record.speed_m_s <= machine_range.max_m_s + 1e-9
    # Every target the machine accepted came from those commands.
    assert all(t <= plan_max + 1e-9 for t in link.targets)
