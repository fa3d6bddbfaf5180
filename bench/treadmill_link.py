"""Treadmill link benchmark: how fast a command reaches the simulated treadmill and is answered.

Connects the FTMS client to the simulated treadmill over bumble's virtual link (the same stack
the tests use), takes control and then times ``--commands`` Control Point procedures (alternately
Set Target Speed and Stop or Pause): each is a GATT write with response plus the indication
carrying the result, i.e. the full path a safety stop takes. Also reports the time to connect
and set up (discovery, reads, three subscriptions), and the Treadmill Data notifications
received per second at the simulator's default period (0.1 s).

Baseline: the simulator's notification period (100 ms); a real treadmill notifies about once a
second (FTMS §4.4.1) and answers over a radio link, so these figures are the software's floor,
not a hardware latency. Target: p99 of a command under 100 ms (one notification period), so the
stack never delays a stop by more than one belt report.

Usage: ``python bench/treadmill_link.py [--commands 200]``
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time

from retrowalk.treadmill.ftms import StopKind
from retrowalk.treadmill.simulator import SimulatorConfig, simulated_session

TARGET_P99_MS = 100.0


async def run(commands: int) -> int:
    started = time.perf_counter()
    async with simulated_session(SimulatorConfig()) as (_sim, client):
        setup_ms = (time.perf_counter() - started) * 1000
        await client.request_control()
        await client.start()
        times: list[float] = []
        for i in range(commands):
            t0 = time.perf_counter()
            if i % 2:
                await client.stop(StopKind.PAUSE)
            else:
                await client.set_target_speed(0.5)
            times.append((time.perf_counter() - t0) * 1000)
        before = client.data_count
        await asyncio.sleep(2.0)
        per_s = (client.data_count - before) / 2.0
    times.sort()
    p50 = statistics.median(times)
    p99 = times[min(len(times) - 1, int(len(times) * 0.99))]
    print("baseline: simulator notification period 100 ms (real treadmills: about 1000 ms)")
    print(f"connect + setup: {setup_ms:.0f} ms (includes importing bumble on first use)")
    print(
        f"control point round trip over {commands} commands: p50 {p50:.1f} ms, "
        f"p99 {p99:.1f} ms, max {times[-1]:.1f} ms"
    )
    print(f"treadmill data notifications: {per_s:.1f} per s")
    ok = p99 < TARGET_P99_MS
    print(f"target p99 < {TARGET_P99_MS:.0f} ms: {'met' if ok else 'MISSED'}")
    return 0 if ok else 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--commands", type=int, default=200)
    args = parser.parse_args()
    sys.exit(asyncio.run(run(args.commands)))


if __name__ == "__main__":
    main()
