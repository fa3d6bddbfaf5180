"""Drive a treadmill through a guided session: the governor's decisions, carried out.

A player (CLI or web) calls :meth:`TreadmillDriver.update` often (every 0.1-0.5 s) with the
snapshot of the :class:`~retrowalk.sessions.SessionRun` it plays. The driver

- reads what the machine said (statuses, the link going down) and the belt speed reported;
- asks :func:`retrowalk.treadmill.safety.next_command` what to command for the current segment
  and sends it, or stops the belt (:func:`retrowalk.treadmill.safety.stop_for`);
- records the speed the belt actually ran in each segment (time-weighted mean of the reported
  speeds over the session time spent in it), for the log and the energy estimate;
- never starts the belt by itself: after any stop it waits for the walker's resume, which the
  driver sees as the run going from paused to running.

When it stops the belt for safety it sets :attr:`TreadmillDriver.pause_requested`: the player
must pause the run (or stop it when nobody can resume it) and show/speak :attr:`messages`.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Final

from retrowalk.plans.rules import TREADMILL_START_M_S
from retrowalk.sessions import RunSnapshot, RunStatus, Timeline
from retrowalk.sessions.cues import Units, spoken_speed
from retrowalk.treadmill.client import ControlError, FtmsClient, TreadmillError
from retrowalk.treadmill.ftms import KMH_IN_M_S, SPEED_UNIT_KMH, StatusOpCode, StopKind
from retrowalk.treadmill.safety import (
    PLAYER_SILENCE_S,
    Hold,
    SetSpeed,
    SpeedLimits,
    StopBelt,
    StopCause,
    next_command,
    speed_cap_m_s,
    stop_for,
)
from retrowalk.vocabulary import SpeedUnit

__all__ = ["CommandRecord", "TreadmillDriver"]

#: A Target Speed Changed status further than this from the last command was set by hand (S6):
#: two wire units (0.02 km/h), above the rounding of one command.
_HAND_CHANGE_M_S: Final = 2 * SPEED_UNIT_KMH * KMH_IN_M_S


@dataclass(frozen=True, slots=True)
class CommandRecord:
    """One target speed sent, with the cap in force (for the log of the run and the tests)."""

    segment_index: int
    speed_m_s: float
    cap_m_s: float
    belt_m_s: float | None


class TreadmillDriver:
    """Drives one treadmill through one session timeline (see the module docstring)."""

    def __init__(
        self,
        client: FtmsClient,
        timeline: Timeline,
        limits: SpeedLimits,
        *,
        units: Units = SpeedUnit.MPH,
        say: Callable[[str], None] | None = None,
        default_speed_m_s: float = TREADMILL_START_M_S,
    ) -> None:
        self.client = client
        self.timeline = timeline
        self.limits = limits
        self.units = units
        self._say = say
        self.default_speed_m_s = default_speed_m_s
        self.commands: list[CommandRecord] = []
        self.messages: list[str] = []
        self.stops: list[StopCause] = []
        self.latched: StopCause | None = None
        self.pause_requested = False
        self.belt_started = False
        self.has_control = False
        self.override_segment: int | None = None
        self._last_command: float | None = None
        self._last_status: RunStatus | None = None
        self._last_elapsed: float | None = None
        self._updated_at: float | None = None
        self._lock = asyncio.Lock()
        count = len(timeline.segments)
        self._speed_time = [0.0] * count
        self._time = [0.0] * count

    # -- messages -----------------------------------------------------------------------------
    def tell(self, text: str) -> None:
        """Show and speak ``text`` (through the player's ``say``)."""
        self.messages.append(text)
        if self._say is not None:
            self._say(text)

    # -- connection ---------------------------------------------------------------------------
    async def take_control(self) -> None:
        """Request control of the machine.

        Raises
        ------
        TreadmillError
            When the treadmill refuses control or reports no usable speed range (nothing is
            then commanded; the walker may still play the session and set the belt by hand).
        """
        if self.client.speed_range is None:
            raise TreadmillError(
                "the treadmill reports no usable speed range (FTMS 0x2AD4): RetroWalk will not "
                "drive it; set the speed with its own buttons"
            )
        try:
            await self.client.request_control()
        except ControlError as exc:
            raise TreadmillError(
                f"the treadmill refused control ({exc}); set the speed with its own buttons"
            ) from exc
        self.has_control = True

    # -- per-segment belt speeds --------------------------------------------------------------
    def belt_speeds_m_s(self) -> tuple[float | None, ...]:
        """Mean belt speed the machine reported in each segment, m/s; ``None`` where no report
        came while the segment was walked."""
        return tuple(
            None if t <= 0 or st <= 0 else st / t
            for st, t in zip(self._speed_time, self._time, strict=True)
        )

    def _record(self, snapshot: RunSnapshot) -> None:
        elapsed = snapshot.elapsed_s
        previous, self._last_elapsed = self._last_elapsed, elapsed
        index = snapshot.current_segment_index
        belt = self.client.belt_m_s
        if previous is None or index is None or belt is None or not self.client.connected:
            return
        dt = elapsed - previous
        if snapshot.status is RunStatus.RUNNING and dt > 0:
            self._time[index] += dt
            self._speed_time[index] += belt * dt

    # -- stopping -----------------------------------------------------------------------------
    async def _stop_belt(self, stop: StopBelt, *, latch: bool) -> None:
        self.stops.append(stop.cause)
        if latch:
            self.latched = stop.cause
            self.pause_requested = True
        self.tell(stop.message)
        kind = StopKind.PAUSE if stop.cause is StopCause.PAUSED else StopKind.STOP
        was_started = self.belt_started
        self.belt_started = False
        self._last_command = None
        if not self.client.connected:
            return
        if not was_started and stop.cause in (StopCause.PAUSED, StopCause.STOPPED, StopCause.ENDED):
            return
        try:
            await self.client.stop(kind)
        except ControlError:
            if stop.cause is not StopCause.CONTROL_LOST:
                self.tell(
                    "The treadmill did not confirm the stop. Press its stop button or pull the "
                    "safety key now."
                )

    async def shutdown(self) -> None:
        """Stop the belt at the end (or on an error) if it may still run."""
        if self.belt_started and self.client.connected:
            await self._stop_belt(stop_for(StopCause.ENDED, self.units), latch=False)

    # -- events -------------------------------------------------------------------------------
    async def _events(self, index: int | None) -> None:
        while not self.client.events.empty():
            event = self.client.events.get_nowait()
            if event.disconnected:
                self.has_control = False
                if self.latched is not StopCause.CONNECTION_LOST:
                    await self._stop_belt(stop_for(StopCause.CONNECTION_LOST), latch=True)
                continue
            status = event.status
            if status is None:
                continue
            if status.op == StatusOpCode.CONTROL_PERMISSION_LOST:
                self.has_control = False
                await self._stop_belt(stop_for(StopCause.CONTROL_LOST), latch=True)
            elif status.op in (
                StatusOpCode.STOPPED_OR_PAUSED_BY_USER,
                StatusOpCode.STOPPED_BY_SAFETY_KEY,
            ):
                self.belt_started = False
                self._last_command = None
                self.stops.append(StopCause.STOPPED_AT_MACHINE)
                self.latched = StopCause.STOPPED_AT_MACHINE
                self.pause_requested = True
                self.tell(stop_for(StopCause.STOPPED_AT_MACHINE).message)
            elif status.op == StatusOpCode.TARGET_SPEED_CHANGED and status.speed_m_s is not None:
                last = self._last_command
                if (
                    index is not None
                    and (last is None or abs(status.speed_m_s - last) > _HAND_CHANGE_M_S)
                    and self.belt_started
                    and self.override_segment != index
                ):
                    self.override_segment = index
                    # The machine's target is now the walker's: ramps start from it.
                    self._last_command = status.speed_m_s
                    self.tell(
                        f"Following your speed, {spoken_speed(status.speed_m_s, self.units)}, "
                        "for this part."
                    )

    # -- watchdog (S8) ------------------------------------------------------------------------
    async def watch(self, silence_s: float = PLAYER_SILENCE_S, period_s: float = 0.1) -> None:
        """Run alongside the player (a task on the Bluetooth loop): stop the belt when no
        :meth:`update` came for ``silence_s`` real seconds while it runs. Runs until cancelled."""
        loop = asyncio.get_running_loop()
        while True:
            await asyncio.sleep(period_s)
            # The lock: an update still waiting on the treadmill finishes first (every Control
            # Point procedure has a timeout), so the two never interleave their commands.
            async with self._lock:
                last = self._updated_at
                if self.belt_started and last is not None and loop.time() - last > silence_s:
                    await self._stop_belt(stop_for(StopCause.PLAYER_SILENT), latch=True)

    # -- the step -----------------------------------------------------------------------------
    async def update(self, snapshot: RunSnapshot) -> None:
        """Follow the run one step (``run.snapshot()``): events, belt speed record, then
        command or stop."""
        async with self._lock:
            self._updated_at = asyncio.get_running_loop().time()
            await self._update(snapshot)

    async def _update(self, snapshot: RunSnapshot) -> None:
        status = snapshot.status
        index = snapshot.current_segment_index
        previous_status, self._last_status = self._last_status, status
        self._record(snapshot)
        await self._events(index)
        if status is RunStatus.RUNNING and previous_status is RunStatus.PAUSED:
            await self._walker_resumed()
        if status is RunStatus.PAUSED:
            if self.belt_started:
                await self._stop_belt(stop_for(StopCause.PAUSED), latch=False)
            return
        if status in (RunStatus.STOPPED, RunStatus.FINISHED):
            if self.belt_started:
                cause = StopCause.ENDED if status is RunStatus.FINISHED else StopCause.STOPPED
                await self._stop_belt(stop_for(cause), latch=False)
            return
        if status is not RunStatus.RUNNING or index is None:
            return
        if self.latched is not None or not self.has_control or not self.client.connected:
            return
        segment = self.timeline.segments[index].planned
        if not segment.environment.is_treadmill:
            if self.belt_started:
                await self._stop_belt(stop_for(StopCause.STOPPED), latch=False)
            return
        if self.override_segment is not None and self.override_segment != index:
            self.override_segment = None
        wanted: float | None
        if self.override_segment == index:
            wanted = None
        else:
            wanted = segment.speed_target_m_s or min(
                self.default_speed_m_s, segment.speed_limit_m_s or self.default_speed_m_s
            )
        belt = self.client.belt_m_s
        decision = next_command(
            wanted_m_s=wanted,
            segment_limit_m_s=segment.speed_limit_m_s,
            limits=self.limits,
            machine=self.client.speed_range,
            last_command_m_s=self._last_command if self.belt_started else None,
            belt_m_s=belt,
            units=self.units,
        )
        if isinstance(decision, StopBelt):
            await self._stop_belt(decision, latch=True)
        elif isinstance(decision, SetSpeed):
            await self._command(index, decision.speed_m_s, segment.speed_limit_m_s)
        else:
            assert isinstance(decision, Hold)

    async def _command(self, index: int, speed_m_s: float, limit_m_s: float | None) -> None:
        machine = self.client.speed_range
        assert machine is not None  # next_command refuses without one
        cap = speed_cap_m_s(limit_m_s, self.limits, machine)
        self.commands.append(CommandRecord(index, speed_m_s, cap, self.client.belt_m_s))
        try:
            await self.client.set_target_speed(speed_m_s)
            self._last_command = speed_m_s
            if not self.belt_started:
                await self.client.start()
                self.belt_started = True
                self.tell(f"Belt starting at {spoken_speed(speed_m_s, self.units)}.")
        except ControlError as exc:
            if not self.client.connected:
                await self._events(index)
                return
            stop = stop_for(StopCause.COMMAND_REFUSED, self.units)
            await self._stop_belt(StopBelt(stop.cause, f"{stop.message} ({exc})"), latch=True)

    async def _walker_resumed(self) -> None:
        """The walker resumed the run: clear a latched stop (never done without the walker)."""
        self.pause_requested = False
        if self.latched is StopCause.CONNECTION_LOST or not self.client.connected:
            self.tell("The treadmill is not connected: set the speed with its own buttons.")
            return
        self.latched = None
        if not self.has_control:
            with contextlib.suppress(TreadmillError):
                await self.take_control()
            if not self.has_control:
                self.tell("The treadmill refused control: set the speed with its own buttons.")
