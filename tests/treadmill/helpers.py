"""Sessions played against the simulated treadmill (bumble), sped up."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable

from retrowalk.plans.rules import SPEED_STEP_M_S, TREADMILL_BEGINNER_MAX_M_S, mph
from retrowalk.sessions import RunStatus, SessionRun, Timeline, build_timeline, parse_quick
from retrowalk.treadmill.driver import TreadmillDriver
from retrowalk.treadmill.safety import SpeedLimits
from retrowalk.treadmill.simulator import SimulatorConfig
from retrowalk.vocabulary import Environment

#: Session seconds per real second (the simulator's belt runs on the same scale).
SCALE = 20.0
LIMITS = SpeedLimits(plan_max_m_s=TREADMILL_BEGINNER_MAX_M_S, step_m_s=SPEED_STEP_M_S)


def sim_config(**faults) -> SimulatorConfig:
    return SimulatorConfig(time_scale=SCALE, tick_s=0.01, notify_period_s=0.02, **faults)


ONE_MPH = mph(1.0)
ONE_AND_A_HALF_MPH = mph(1.5)


def treadmill_timeline(
    spec: str = "2x(20s back, 20s fwd)", target=ONE_MPH, limit=ONE_AND_A_HALF_MPH
) -> Timeline:
    segments = parse_quick(
        spec, environment=Environment.TREADMILL, speed_target_m_s=target, speed_limit_m_s=limit
    )
    return build_timeline(segments, countdown_s=3, technique_interval_s=None)


def scaled_clock() -> Callable[[], float]:
    return lambda: time.monotonic() * SCALE


Hook = Callable[[SessionRun], Awaitable[bool]]


async def play(
    run: SessionRun,
    driver: TreadmillDriver,
    *,
    hook: Hook | None = None,
    resume_after_pause: bool = False,
    max_real_s: float = 15.0,
) -> None:
    """Play ``run`` to its end; pause it when the driver asks; ``hook`` runs every step until
    it returns True. A paused run stays paused (nobody resumes) unless ``resume_after_pause``;
    the loop then ends after ``max_real_s``."""
    if run.state is RunStatus.NOT_STARTED:
        run.start()
    deadline = time.monotonic() + max_real_s
    hooked = hook is None
    paused_at: float | None = None
    while run.state in (RunStatus.RUNNING, RunStatus.PAUSED) and time.monotonic() < deadline:
        run.poll()
        await driver.update(run.snapshot())
        if driver.pause_requested and run.state is RunStatus.RUNNING:
            run.pause()
            paused_at = time.monotonic()
        if (
            resume_after_pause
            and run.state is RunStatus.PAUSED
            and paused_at is not None
            and time.monotonic() - paused_at > 0.3
        ):
            run.resume()
            paused_at = None
        if not hooked and hook is not None:
            hooked = await hook(run)
        await asyncio.sleep(0.01)
    await driver.update(run.snapshot())


def in_segment(run: SessionRun, index: int, after_s: float) -> bool:
    snapshot = run.snapshot()
    if snapshot.current_segment_index != index:
        return False
    start = run.timeline.segments[index].start_s
    return snapshot.position_s >= start + after_s
