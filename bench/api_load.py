"""API load benchmark: 50 concurrent clients log sessions and read progress on SQLite.

Starts ``retrowalk serve`` in a subprocess on a free port with a fresh SQLite database, stores a
profile and a plan, then opens ``--clients`` clients (each makes its HTTP client and connection
first: building 50 clients costs the load generator about a second of CPU, which would otherwise
be counted as server latency), runs them for ``--warmup-s`` seconds of warm-up (the server's
caches fill; reported, not counted) and then for ``--seconds`` measured seconds: each client
alternates
``POST /api/logs`` (a new session, unique start time) and ``GET /api/progress``, pausing
``--think-s`` seconds on average between requests (uniformly 0.5x-1.5x), as a person's browser
would. With ``--think-s 0`` the clients send back to back: by Little's law the latency then only
measures queueing at saturation (50 clients / throughput), so it gauges capacity, not latency.
Prints the baseline (one client's ``GET /api/health``, the server's floor), throughput,
p50/p95/p99 latency per request kind and in all, errors, the machine's busy and stolen CPU and
the server process's CPU per request; then checks that every session the API acknowledged is in
the database and that SQLite's integrity check passes.

Target (product brief, "Web"): p99 under 50 ms, no errors, nothing lost. Exit status 1 when a
target is missed.

Usage: ``python bench/api_load.py [--seconds 60] [--clients 50] [--think-s 1.0] [--warmup-s 5]
[--no-plan]``
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx

from retrowalk.profile import example_profile_data

P99_TARGET_MS = 50.0
#: Default mean pause between a client's requests (see the module notes).
THINK_S = 1.0
#: Default warm-up before measuring, s.
WARMUP_S = 5.0
#: Length of the windows whose p99 is printed (shows when the machine was disturbed), s.
WINDOW_S = 10.0
PROFILE = {
    **example_profile_data(),
    "age_years": 45,
    "mass_kg": 70.0,
    "height_m": 1.7,
    "equipment": ["treadmill_with_rails", "hallway_with_rail"],
}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(database_url: str, log: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    env = {**os.environ, "RETROWALK_DATABASE_URL": database_url}
    process = subprocess.Popen(
        [sys.executable, "-m", "retrowalk", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=log.open("wb"),
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(
                f"server exited: {process.stderr.read().decode() if process.stderr else ''}"
            )
        try:
            if httpx.get(f"{url}/api/health", timeout=1).status_code == 200:
                return process, url
        except httpx.HTTPError:
            time.sleep(0.1)
    process.kill()
    raise SystemExit("server did not start")


def log_body(started: datetime) -> dict[str, object]:
    segment = {"environment": "treadmill", "support": "treadmill_rails"}
    return {
        "started_at": started.isoformat(),
        "segments": [
            {**segment, "direction": "forward", "duration_s": 120.0, "speed_m_s": 1.0},
            {**segment, "direction": "backward", "duration_s": 60.0, "speed_m_s": 0.5},
            {**segment, "direction": "forward", "duration_s": 120.0, "speed_m_s": 1.0},
        ],
        "ratings": {"rpe": 12, "pain_0_10": 0},
        "source": "quick",
    }


async def client_loop(
    index: int,
    client: httpx.AsyncClient,
    measure_from: float,
    stop_at: float,
    base: datetime,
    latencies: dict[str, list[float]],
    windows: dict[int, list[float]],
    errors: list[str],
    acknowledged: list[str],
    think_s: float,
) -> None:
    pause = random.Random(index)
    n = 0
    if think_s > 0:  # clients do not all start in the same instant
        await asyncio.sleep(pause.uniform(0, think_s))
    while time.perf_counter() < stop_at:
        started = base + timedelta(seconds=index * 100_000 + n)
        n += 1
        for kind in ("log", "progress"):
            began = time.perf_counter()
            try:
                if kind == "log":
                    response = await client.post("/api/logs", json=log_body(started))
                else:
                    response = await client.get("/api/progress", params={"weeks": 8})
            except httpx.HTTPError as exc:
                errors.append(f"{kind}: {type(exc).__name__}: {exc}")
                continue
            latency_ms = (time.perf_counter() - began) * 1000
            latencies[kind if began >= measure_from else "warm-up"].append(latency_ms)
            if measure_from <= began < stop_at:
                windows.setdefault(int((began - measure_from) // WINDOW_S), []).append(latency_ms)
            if response.status_code >= 400:
                errors.append(f"{kind}: HTTP {response.status_code} {response.text[:200]}")
            elif kind == "log":
                acknowledged.append(response.json()["id"])
            if think_s > 0:
                await asyncio.sleep(pause.uniform(0.5 * think_s, 1.5 * think_s))


def cpu_times() -> list[int]:
    """The machine's CPU time counters (Linux ``/proc/stat``; empty elsewhere)."""
    try:
        with open("/proc/stat") as stat:
            return [int(field) for field in stat.readline().split()[1:]]
    except OSError:
        return []


def process_cpu_s(pid: int) -> float | None:
    """CPU seconds (user and system) process ``pid`` has used (Linux ``/proc``; else None)."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


async def run(
    url: str, clients: int, seconds: float, think_s: float, warmup_s: float
) -> tuple[dict[str, list[float]], dict[int, list[float]], list[str], list[str]]:
    """Latencies per kind ("log", "progress"; "warm-up" for requests not counted) and per
    measured window of ``WINDOW_S``, errors and the ids of the sessions the API acknowledged."""
    latencies: dict[str, list[float]] = {"log": [], "progress": [], "warm-up": []}
    windows: dict[int, list[float]] = {}
    errors: list[str] = []
    acknowledged: list[str] = []
    base = datetime.now(UTC).replace(microsecond=0) - timedelta(days=60)
    pool = [httpx.AsyncClient(base_url=url, timeout=30) for _ in range(clients)]
    try:
        for response in await asyncio.gather(*(c.get("/api/health") for c in pool)):
            response.raise_for_status()
        measure_from = time.perf_counter() + warmup_s
        stop_at = measure_from + seconds
        await asyncio.gather(
            *(
                client_loop(
                    i,
                    c,
                    measure_from,
                    stop_at,
                    base,
                    latencies,
                    windows,
                    errors,
                    acknowledged,
                    think_s,
                )
                for i, c in enumerate(pool)
            )
        )
    finally:
        await asyncio.gather(*(c.aclose() for c in pool))
    return latencies, windows, errors, acknowledged


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument(
        "--think-s",
        type=float,
        default=THINK_S,
        help="Mean pause of each client between two requests (uniform in 0.5x-1.5x); "
        "0 = back-to-back requests, which measures capacity, not latency.",
    )
    parser.add_argument(
        "--warmup-s",
        type=float,
        default=WARMUP_S,
        help="Seconds of the same load before measuring (reported, not counted).",
    )
    parser.add_argument(
        "--no-plan",
        action="store_true",
        help="Store no plan, so logging does not adapt a plan (isolates the plan's cost).",
    )
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="retrowalk-bench-"))
    path = folder / "bench.sqlite3"
    process, url = start_server(f"sqlite:///{path}", folder / "server.log")
    try:
        with httpx.Client(base_url=url, timeout=30) as client:
            client.put("/api/profile", json=PROFILE).raise_for_status()
            if not args.no_plan:
                client.post("/api/plans", json={"weeks": 8}).raise_for_status()
        floor = []
        with httpx.Client(base_url=url, timeout=30) as client:
            for _ in range(200):
                began = time.perf_counter()
                client.get("/api/health").raise_for_status()
                floor.append((time.perf_counter() - began) * 1000)
        cpu_before = cpu_times()
        server_before = process_cpu_s(process.pid)
        began = time.perf_counter()
        latencies, windows, errors, acknowledged = asyncio.run(
            run(url, args.clients, args.seconds, args.think_s, args.warmup_s)
        )
        wall_s = time.perf_counter() - began
        server_after = process_cpu_s(process.pid)
        cpu_after = cpu_times()
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    with sqlite3.connect(path) as conn:
        stored = {row[0] for row in conn.execute("SELECT id FROM session_logs")}
        integrity = conn.execute("PRAGMA integrity_check").fetchone()[0]
    lost = [i for i in acknowledged if i not in stored]
    warm = latencies.pop("warm-up")
    everything = latencies["log"] + latencies["progress"]
    elapsed = args.seconds
    plan = "no plan" if args.no_plan else "an active 8-week plan adapting after every log"
    pacing = f"mean pause {args.think_s:g} s between requests" if args.think_s else "no pause"
    print(
        f"RetroWalk API load: {args.clients} clients ({pacing}), {elapsed:g} s measured after "
        f"{args.warmup_s:g} s of warm-up, SQLite, {plan}"
    )
    print(
        f"baseline: one client, GET /api/health (the server's floor): "
        f"p50 {percentile(floor, 50):.1f} ms, p99 {percentile(floor, 99):.1f} ms"
    )
    print(
        f"warm-up (not counted): {len(warm)} requests, p50 {percentile(warm, 50):.1f} ms, "
        f"p99 {percentile(warm, 99):.1f} ms"
    )
    print(f"requests: {len(everything)} ({len(everything) / elapsed:.0f}/s); errors: {len(errors)}")
    print(f"{'kind':<10}{'count':>8}{'p50 ms':>10}{'p95 ms':>10}{'p99 ms':>10}{'max ms':>10}")
    for kind, values in (*latencies.items(), ("all", everything)):
        p50, p95, p99 = (percentile(values, q) for q in (50, 95, 99))
        worst = max(values, default=float("nan"))
        print(f"{kind:<10}{len(values):>8}{p50:>10.1f}{p95:>10.1f}{p99:>10.1f}{worst:>10.1f}")
    print(
        f"p99 per {WINDOW_S:g} s: "
        + " ".join(f"{percentile(windows[k], 99):.0f}" for k in sorted(windows))
        + " ms"
    )
    if cpu_before and cpu_after:
        spent = [after - before for before, after in zip(cpu_before, cpu_after, strict=True)]
        # /proc/stat: user nice system idle iowait irq softirq steal ...
        print(
            f"machine CPU during the run: busy {100 * (1 - spent[3] / sum(spent)):.0f}%, "
            f"stolen by the hypervisor {100 * spent[7] / sum(spent):.1f}% "
            "(a shared machine: steal above a few % inflates every latency)"
        )
    if server_before is not None and server_after is not None:
        served = len(everything) + len(warm)
        server_s = server_after - server_before
        print(
            f"server CPU (warm-up included): {1000 * server_s / max(1, served):.1f} ms per "
            f"request, {100 * server_s / wall_s:.0f}% of one core"
        )
    print(f"sessions acknowledged: {len(acknowledged)}; stored: {len(stored)}; lost: {len(lost)}")
    print(f"integrity_check: {integrity}")
    for error in errors[:5]:
        print("error:", error)
    p99 = percentile(everything, 99)
    print(f"target: p99 < {P99_TARGET_MS:.0f} ms, no errors, nothing lost -> ", end="")
    ok = p99 < P99_TARGET_MS and not errors and not lost and integrity == "ok"
    print("met" if ok else "MISSED")
    print(f"(mean latency {statistics.fmean(everything):.1f} ms)" if everything else "")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
