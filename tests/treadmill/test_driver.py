"""Guided sessions driving the simulated treadmill over a real (in-process) Bluetooth LE stack.

Every test connects the FTMS client to the bumble GATT server of the simulator through two
virtual controllers: GATT discovery, notifications, indications and writes are real.
"""

from __future__ import annotations

import asyncio

import pytest

from retrowalk.plans.rules import SPEED_STEP_M_S, mph
from retrowalk.sessions import RunStatus, SessionRun, StopReason
from retrowalk.treadmill.client import ControlError, TreadmillError
from retrowalk.treadmill.driver import TreadmillDriver
from retrowalk.treadmill.ftms import OpCode, ResultCode
from retrowalk.treadmill.safety import OVERSPEED_TOLERANCE_M_S, SpeedLimits, StopCause
from retrowalk.treadmill.simulator import simulated_session
from tests.treadmill.helpers import (
    LIMITS,
    in_segment,
    play,
    scaled_clock,
    sim_config,
    treadmill_timeline,
)


def run_async(coro):
    return asyncio.run(coro)


def starts_after_last_stop(sim) -> int:
    """Start commands the treadmill received after the last stop command."""
    ops = [op for op, _ in sim.belt.commands]
    last_stop = max((i for i, op in enumerate(ops) if op == OpCode.STOP_OR_PAUSE), default=-1)
    return sum(1 for op in ops[last_stop + 1 :] if op == OpCode.START_OR_RESUME)


def test_whole_session_every_command_within_limits():
    async def scenario():
        timeline = treadmill_timeline(target=mph(1.0), limit=mph(1.5))
        async with simulated_session(sim_config()) as (sim, client):
            driver = TreadmillDriver(client, timeline, LIMITS)
            await driver.take_control()
            run = SessionRun(timeline, scaled_clock())
            await play(run, driver)
            return sim, driver, run

    sim, driver, run = run_async(scenario())
    assert run.state is RunStatus.FINISHED
    assert driver.commands, "the belt was never commanded"
    for record in driver.commands:
        assert record.speed_m_s <= record.cap_m_s + 1e-9
        assert record.cap_m_s <= mph(1.5) + 1e-9
    # Ramp: each rise at most one step above the command before it (or the machine minimum).
    previous = 0.0
    for record in driver.commands:
        assert record.speed_m_s <= max(previous + SPEED_STEP_M_S, client_min()) + 1e-9
        previous = record.speed_m_s
    assert sim.max_target_m_s <= mph(1.0) + 1e-9
    assert sim.max_belt_m_s <= mph(1.0) + 1e-9
    assert not sim.belt.running
    assert sim.belt.target_m_s == 0
    speeds = driver.belt_speeds_m_s()
    assert all(s is not None for s in speeds)
    # After the first (ramping) segment the belt ran at the target.
    assert speeds[-1] == pytest.approx(mph(1.0), abs=0.03)
    assert "Session over" in driver.messages[-1]


def client_min() -> float:
    return sim_config().min_m_s


def test_plan_ceiling_below_the_segment_target_is_never_exceeded():
    async def scenario():
        timeline = treadmill_timeline("30s back", target=mph(1.5), limit=mph(1.5))
        limits = SpeedLimits(plan_max_m_s=mph(1.0), step_m_s=SPEED_STEP_M_S)
        async with simulated_session(sim_config()) as (sim, client):
            driver = TreadmillDriver(client, timeline, limits)
            await driver.take_control()
            await play(SessionRun(timeline, scaled_clock()), driver)
            # The treadmill itself refuses a speed outside its range (result code 0x03).
            with pytest.raises(ControlError) as refused:
                await client.set_target_speed(20 / 3.6)
            return sim, driver, refused.value

    sim, driver, refused = run_async(scenario())
    assert max(r.speed_m_s for r in driver.commands) <= mph(1.0) + 1e-9
    assert sim.max_target_m_s <= mph(1.0) + 1e-9
    assert refused.response is not None
    assert refused.response.result == ResultCode.INVALID_PARAMETER


def test_treadmill_refusing_control():
    async def scenario():
        timeline = treadmill_timeline()
        async with simulated_session(sim_config(refuse_control=True)) as (sim, client):
            driver = TreadmillDriver(client, timeline, LIMITS)
            with pytest.raises(TreadmillError, match="refused control"):
                await driver.take_control()
            # Without control the driver commands nothing; the session can still be played.
            await play(SessionRun(timeline, scaled_clock()), driver, max_real_s=1.0)
            return sim, driver

    sim, driver = run_async(scenario())
    assert driver.commands == []
    assert [op for op, _ in sim.belt.commands] == [OpCode.REQUEST_CONTROL]
    assert not sim.belt.running


def test_link_dropped_mid_segment_stops_the_belt_and_pauses():
    async def scenario():
        timeline = treadmill_timeline()
        async with simulated_session(sim_config()) as (sim, client):
            driver = TreadmillDriver(client, timeline, LIMITS)
            await driver.take_control()
            run = SessionRun(timeline, scaled_clock())

            async def drop(run):
                if in_segment(run, 1, 5.0):
                    await sim.drop_link()
                    return True
                return False

            await play(run, driver, hook=drop, max_real_s=3.0)
            await asyncio.sleep(0.3)
            return sim, driver, run

    sim, driver, run = run_async(scenario())
    assert StopCause.CONNECTION_LOST in driver.stops
    assert run.state is RunStatus.PAUSED
    assert any("Lost the connection" in m for m in driver.messages)
    assert not sim.belt.running
    assert sim.belt.speed_m_s == 0


def test_belt_faster_than_allowed_is_stopped_and_not_restarted():
    async def scenario():
        timeline = treadmill_timeline(target=mph(1.5), limit=mph(1.5))
        over = OVERSPEED_TOLERANCE_M_S + 0.1
        async with simulated_session(sim_config(overspeed_m_s=over)) as (sim, client):
            driver = TreadmillDriver(client, timeline, LIMITS)
            await driver.take_control()
            run = SessionRun(timeline, scaled_clock())
            await play(run, driver, max_real_s=3.0)
            return sim, driver, run

    sim, driver, run = run_async(scenario())
    assert StopCause.OVERSPEED in driver.stops
    assert run.state is RunStatus.PAUSED  # waits for the walker
    assert starts_after_last_stop(sim) == 0  # never resumed by itself
    assert not sim.belt.running
    assert any("faster than your limit" in m for m in driver.messages)


def test_malformed_and_truncated_notifications_are_survived():
    async def scenario():
        timeline = treadmill_timeline("40s back")
        async with simulated_session(sim_config(malformed_every=3)) as (sim, client):
            driver = TreadmillDriver(client, timeline, LIMITS)
            await driver.take_control()
            run = SessionRun(timeline, scaled_clock())
            await play(run, driver)
            return sim, client, driver, run

    _sim, client, driver, run = run_async(scenario())
    assert run.state is RunStatus.FINISHED
    assert client.odd_packets > 3
    assert all(r.speed_m_s <= r.cap_m_s + 1e-9 for r in driver.commands)
    assert driver.belt_speeds_m_s()[0] == pytest.approx(mph(1.0), abs=0.05)


def test_walker_changing_speed_by_hand_is_followed():
    async def scenario():
        timeline = treadmill_timeline("40s back, 20s back", target=mph(1.2), limit=mph(1.5))
        async with simulated_session(sim_config()) as (sim, client):
            driver = TreadmillDriver(client, timeline, LIMITS)
            await driver.take_control()
            run = SessionRun(timeline, scaled_clock())

            async def slower(run):
                if in_segment(run, 0, 15.0):
                    sim.press_speed(mph(0.8))
                    pressed_at.append(len(driver.commands))
                    return True
                return False

            await play(run, driver, hook=slower)
            return sim, driver, run

    pressed_at: list[int] = []
    _sim, driver, run = run_async(scenario())
    assert run.state is RunStatus.FINISHED
    assert any("Following your speed, 0.8 mph" in m for m in driver.messages)
    after_press = driver.commands[pressed_at[0] :]
    assert after_press, "the next segment was commanded"
    assert all(r.segment_index == 1 for r in after_press)  # nothing fought the hand change
    first, second = driver.belt_speeds_m_s()
    assert first is not None
    assert second is not None
    assert first < mph(1.2) - 0.03  # the hand-set part ran slower, and the log says so
    assert second == pytest.approx(mph(1.2), abs=0.05)  # the next part goes back to the plan


def test_stop_at_the_machine_pauses_and_only_the_walker_restarts():
    async def scenario():
        timeline = treadmill_timeline("40s back")
        async with simulated_session(sim_config()) as (sim, client):
            driver = TreadmillDriver(client, timeline, LIMITS)
            await driver.take_control()
            run = SessionRun(timeline, scaled_clock())

            async def press(run):
                if in_segment(run, 0, 10.0):
                    sim.press_stop()
                    pressed_at.append(len(sim.belt.commands))
                    return True
                return False

            await play(run, driver, hook=press, max_real_s=1.5)
            stopped_state = run.state
            ops = [op for op, _ in sim.belt.commands[pressed_at[0] :]]
            starts_while_paused = ops.count(OpCode.START_OR_RESUME)
            run.resume()  # the walker
            await play(run, driver)
            return sim, driver, run, stopped_state, starts_while_paused

    pressed_at: list[int] = []
    sim, driver, run, stopped_state, starts_while_paused = run_async(scenario())
    assert stopped_state is RunStatus.PAUSED
    assert StopCause.STOPPED_AT_MACHINE in driver.stops
    assert starts_while_paused == 0
    assert run.state is RunStatus.FINISHED
    assert [op for op, _ in sim.belt.commands].count(OpCode.START_OR_RESUME) == 2


def test_control_taken_back_stops_the_belt():
    async def scenario():
        timeline = treadmill_timeline("40s back")
        async with simulated_session(sim_config()) as (sim, client):
            driver = TreadmillDriver(client, timeline, LIMITS)
            await driver.take_control()
            run = SessionRun(timeline, scaled_clock())

            async def revoke(run):
                if in_segment(run, 0, 10.0):
                    sim.take_back_control()
                    return True
                return False

            await play(run, driver, hook=revoke, max_real_s=1.5)
            return driver, run

    driver, run = run_async(scenario())
    assert StopCause.CONTROL_LOST in driver.stops
    assert run.state is RunStatus.PAUSED
    assert any("took back control" in m for m in driver.messages)


def test_pause_stops_the_belt_and_resume_ramps_again():
    async def scenario():
        timeline = treadmill_timeline("40s back", target=mph(1.5))
        async with simulated_session(sim_config()) as (sim, client):
            driver = TreadmillDriver(client, timeline, LIMITS)
            await driver.take_control()
            run = SessionRun(timeline, scaled_clock())

            async def pause(run):
                if in_segment(run, 0, 15.0):
                    run.pause()
                    return True
                return False

            await play(run, driver, hook=pause, max_real_s=1.5)
            paused_running = sim.belt.running
            run.resume()
            await play(run, driver)
            return driver, paused_running

    driver, paused_running = run_async(scenario())
    assert not paused_running
    assert StopCause.PAUSED in driver.stops
    after_resume = driver.commands[
        [r.speed_m_s for r in driver.commands].index(max(r.speed_m_s for r in driver.commands))
        + 1 :
    ]
    assert after_resume
    assert after_resume[0].speed_m_s <= SPEED_STEP_M_S + 1e-9


def test_watchdog_stops_the_belt_when_the_player_goes_silent():
    async def scenario():
        timeline = treadmill_timeline("60s back")
        async with simulated_session(sim_config()) as (sim, client):
            driver = TreadmillDriver(client, timeline, LIMITS)
            await driver.take_control()
            watchdog = asyncio.get_running_loop().create_task(driver.watch(silence_s=0.5))
            run = SessionRun(timeline, scaled_clock())

            async def freeze(run):
                return in_segment(run, 0, 10.0)

            # Play until 10 s into the segment, then the player stops calling update().
            run.start()
            while not await freeze(run):
                run.poll()
                await driver.update(run.snapshot())
                await asyncio.sleep(0.01)
            running_before = sim.belt.running
            await asyncio.sleep(1.2)
            watchdog.cancel()
            return sim, driver, running_before

    sim, driver, running_before = run_async(scenario())
    assert running_before
    assert driver.stops == [StopCause.PLAYER_SILENT]
    assert driver.pause_requested
    assert not sim.belt.running


def test_stopping_the_session_stops_the_belt():
    async def scenario():
        timeline = treadmill_timeline("60s back")
        async with simulated_session(sim_config()) as (sim, client):
            driver = TreadmillDriver(client, timeline, LIMITS)
            await driver.take_control()
            run = SessionRun(timeline, scaled_clock())

            async def stop(run):
                if in_segment(run, 0, 15.0):
                    run.stop(StopReason.TIRED)
                    return True
                return False

            await play(run, driver, hook=stop)
            await asyncio.sleep(0.5)
            return sim, driver, run

    sim, driver, run = run_async(scenario())
    assert run.state is RunStatus.STOPPED
    assert driver.stops == [StopCause.STOPPED]
    assert "Session stopped: the belt is stopping. Hold the rails." in driver.messages
    assert not sim.belt.running
    assert sim.belt.speed_m_s == 0
