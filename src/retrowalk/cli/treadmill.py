"""``retrowalk treadmill scan|status|test`` and guided sessions that drive a treadmill.

``retrowalk session start --treadmill ADDRESS`` calls :func:`session_with_treadmill`: the terminal
player of :mod:`retrowalk.cli.session.loop` plays the session while a
:class:`~retrowalk.treadmill.driver.TreadmillDriver` sets the belt for each segment within the
plan's limits (rules in ``docs/treadmill.md``). ADDRESS is a Bluetooth address, ``auto`` (the
only treadmill nearby) or ``simulated`` (RetroWalk's simulated treadmill on an in-process
Bluetooth stack; no hardware).

Bluetooth libraries are imported only inside the commands (the CLI starts fast).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import time
from datetime import date
from typing import TYPE_CHECKING, Annotated, Any, cast

import typer
from rich.console import Group
from rich.table import Table
from rich.text import Text

from retrowalk.cli.app import app
from retrowalk.cli.render import console, minutes
from retrowalk.errors import InvalidInputError
from retrowalk.sessions.cues import Units, check_units, spoken_speed

if TYPE_CHECKING:
    from rich.live import Live

    from retrowalk.cli.session.commands import PlayOptions
    from retrowalk.services.database import Database
    from retrowalk.services.guided import GuidedSession
    from retrowalk.treadmill.connect import BluetoothThread, OpenTreadmill
    from retrowalk.treadmill.driver import TreadmillDriver

treadmill_app = typer.Typer(
    help="Bluetooth (FTMS) treadmills: find, check and test one.", no_args_is_help=True
)
app.add_typer(treadmill_app, name="treadmill")

AddressArg = Annotated[
    str | None,
    typer.Argument(help="Bluetooth address, 'auto' (the only one nearby) or 'simulated'."),
]
SimulatedOpt = Annotated[
    bool, typer.Option("--simulated", help="Use RetroWalk's simulated treadmill (no hardware).")
]
UnitsOpt = Annotated[str, typer.Option("--units", help="Show speeds in mph or km/h.")]


def _address(address: str | None, simulated: bool) -> str:
    from retrowalk.treadmill.connect import AUTO
    from retrowalk.treadmill.simulator import SIMULATED

    if simulated:
        if address is not None and not address.startswith(SIMULATED):
            raise InvalidInputError("--simulated", address, "no address with --simulated")
        return address or SIMULATED
    return address or AUTO


def _speed(speed_m_s: float | None, units: Units) -> str:
    if speed_m_s is None:
        return "-"
    return f"{spoken_speed(speed_m_s, units)} ({speed_m_s:.2f} m/s)"


@treadmill_app.command("scan")
def scan_command(
    simulated: SimulatedOpt = False,
    timeout: Annotated[float, typer.Option("--timeout", min=0.5, max=60.0)] = 5.0,
) -> None:
    """List treadmills advertising the Fitness Machine Service (FTMS)."""
    from retrowalk.treadmill.connect import scan

    found = asyncio.run(scan(simulated=simulated, timeout_s=timeout))
    if not found:
        console.print("No FTMS treadmill found. Is it on, and not connected to another app?")
        return
    table = Table("address", "name", "signal")
    for result in found:
        signal = "-" if result.rssi is None else f"{result.rssi} dBm"
        table.add_row(result.address, result.name or "-", signal)
    console.print(table)


@treadmill_app.command("status")
def status_command(
    address: AddressArg = None,
    simulated: SimulatedOpt = False,
    units: UnitsOpt = "mph",
) -> None:
    """Connect (without taking control) and show the speed range and what the belt reports."""
    from retrowalk.treadmill.connect import open_treadmill

    spoken = check_units(units)

    async def read() -> list[tuple[str, str]]:
        opened = await open_treadmill(_address(address, simulated))
        try:
            await asyncio.sleep(1.5)  # a few Treadmill Data notifications
            client = opened.client
            rows = [("treadmill", opened.label)]
            machine = client.speed_range
            if machine is None:
                rows.append(("speed range", "not reported: RetroWalk will not drive this belt"))
            else:
                rows.append(
                    (
                        "speed range",
                        f"{_speed(machine.min_m_s, spoken)} to {_speed(machine.max_m_s, spoken)}, "
                        f"step {machine.increment_m_s * 3.6:.2f} km/h",
                    )
                )
            if client.features is not None:
                rows.append(("target setting", str(client.features[1].name or "none")))
            data = client.latest
            rows.append(("belt speed", _speed(None if data is None else data.speed_m_s, spoken)))
            if data is not None:
                rows.append(
                    ("distance", "-" if data.distance_m is None else f"{data.distance_m} m")
                )
                rows.append(
                    ("incline", "-" if data.incline_pct is None else f"{data.incline_pct:g} %")
                )
                rows.append(
                    ("elapsed", "-" if data.elapsed_s is None else minutes(float(data.elapsed_s)))
                )
            rows.append(("notifications", f"{client.data_count} ({client.odd_packets} odd)"))
            return rows
        finally:
            await opened.close()

    table = Table.grid(padding=(0, 2))
    table.add_column(style="dim")
    table.add_column()
    for name, value in asyncio.run(read()):
        table.add_row(name, value)
    console.print(table)


@treadmill_app.command("test")
def treadmill_test_command(
    address: AddressArg = None,
    simulated: SimulatedOpt = False,
    units: UnitsOpt = "mph",
    seconds: Annotated[float, typer.Option("--seconds", min=2.0, max=60.0)] = 6.0,
    yes: Annotated[
        bool, typer.Option("--yes", help="Do not ask before moving the belt (scripts).")
    ] = False,
) -> None:
    """Take control, run the belt at its slowest allowed speed for a few seconds, then stop.

    Stand beside the belt (feet on the side rails), not on it.
    """
    from retrowalk.plans.rules import SPEED_STEP_M_S, TREADMILL_CONSERVATIVE_MAX_M_S
    from retrowalk.treadmill.connect import open_treadmill
    from retrowalk.treadmill.safety import SetSpeed, SpeedLimits, StopBelt, next_command

    spoken = check_units(units)
    target = _address(address, simulated)
    if not yes and not typer.confirm(
        "The belt will move slowly for a few seconds. Stand beside it, feet on the side rails, "
        "safety key clipped on. Go ahead?",
        default=False,
    ):
        raise typer.Exit(1)
    limits = SpeedLimits(plan_max_m_s=TREADMILL_CONSERVATIVE_MAX_M_S, step_m_s=SPEED_STEP_M_S)

    async def run() -> bool:
        opened = await open_treadmill(target)
        client = opened.client
        ok = True
        try:
            console.print(f"Connected to the {opened.label}.")
            decision = next_command(
                wanted_m_s=0.0,
                segment_limit_m_s=None,
                limits=limits,
                machine=client.speed_range,
                last_command_m_s=None,
                belt_m_s=client.belt_m_s,
                units=spoken,
            )
            if isinstance(decision, StopBelt):
                console.print(decision.message, markup=False)
                return False
            await client.request_control()
            console.print("Control granted.")
            speed = decision.speed_m_s if isinstance(decision, SetSpeed) else 0.0
            await client.set_target_speed(speed)
            await client.start()
            console.print(f"Belt commanded to {_speed(speed, spoken)} (its slowest allowed).")
            started = time.monotonic()
            while time.monotonic() - started < seconds:
                await asyncio.sleep(1.0)
                check = next_command(
                    wanted_m_s=None,
                    segment_limit_m_s=None,
                    limits=limits,
                    machine=client.speed_range,
                    last_command_m_s=speed,
                    belt_m_s=client.belt_m_s,
                    units=spoken,
                )
                console.print(f"  belt reports {_speed(client.belt_m_s, spoken)}")
                if isinstance(check, StopBelt):
                    console.print(check.message, markup=False)
                    ok = False
                    break
                if not client.connected:
                    console.print("Connection lost.")
                    return False
            await client.stop()
            for _ in range(20):
                await asyncio.sleep(0.5)
                if (client.belt_m_s or 0.0) == 0.0:
                    break
            console.print(f"Stopped; belt reports {_speed(client.belt_m_s, spoken)}.")
            return ok and (client.belt_m_s or 0.0) == 0.0
        finally:
            with contextlib.suppress(Exception):
                if client.connected:
                    await client.stop()
            await opened.close()

    if asyncio.run(run()):
        console.print("[green]Treadmill test passed.[/green]")
    else:
        console.print("[red]Treadmill test failed: do not use it with RetroWalk.[/red]")
        raise typer.Exit(1)


# -- guided sessions -------------------------------------------------------------------------------


def _make_player_class() -> type[Any]:
    from retrowalk.cli.session.loop import Player
    from retrowalk.sessions import RunStatus, StopReason
    from retrowalk.treadmill.client import TreadmillError

    class TreadmillPlayer(Player):
        """The terminal player, with a treadmill driver stepped before every player step."""

        bt: BluetoothThread
        driver: TreadmillDriver
        opened: OpenTreadmill
        non_interactive: bool
        _said = 0
        _shown = 0

        def play(self) -> None:
            super().play()
            self.drive()  # the final stop

        def drive(self) -> None:
            try:
                self.bt.call(self.driver.update(self.run.snapshot()), timeout_s=15.0)
            except TreadmillError as exc:
                self.driver.tell(str(exc))
            self._report()
            if self.driver.pause_requested and self.run.state is RunStatus.RUNNING:
                cause = self.driver.latched.value if self.driver.latched else "safety"
                if self.non_interactive:
                    self.run.stop(StopReason.OTHER, f"treadmill: {cause.replace('_', ' ')}")
                else:
                    self.run.pause()
                    self.state.message = "Paused for safety. Press r to resume when ready."
                self.save()

        def _report(self) -> None:
            driver = self.driver
            for text in driver.messages[self._said :]:
                self.state.instruction = text
                self.announcer.say(text, "warn")
                if not self.live_display:
                    at = minutes(self.run.position_s())
                    console.print(f"[{at}] treadmill: {text}", markup=False, highlight=False)
            self._said = len(driver.messages)
            if not self.live_display:
                units = self.run.timeline.units
                for record in driver.commands[self._shown :]:
                    console.print(
                        f"[{minutes(self.run.position_s())}] treadmill: segment "
                        f"{record.segment_index + 1} target {spoken_speed(record.speed_m_s, units)}"
                        f" (cap {spoken_speed(record.cap_m_s, units)})",
                        markup=False,
                        highlight=False,
                    )
            self._shown = len(driver.commands)

        def handle(self, key: str) -> None:
            super().handle(key)
            self.drive()  # a pause or a stop reaches the belt at once

        def _step(self, live: Live | None) -> None:
            self.drive()
            super()._step(live)

        def render(self) -> Group:
            base = super().render()
            units = self.run.timeline.units
            belt = self.opened.client.belt_m_s
            link = "connected" if self.opened.client.connected else "NOT CONNECTED"
            line = (
                f"treadmill ({self.opened.label}, {link}): belt "
                f"{'-' if belt is None else spoken_speed(belt, units)}"
            )
            return Group(base, Text(line, style="magenta"))

    return TreadmillPlayer


def _belt_table(guided: GuidedSession, speeds: tuple[float | None, ...]) -> Table:
    units = guided.timeline.units
    table = Table("segment", "planned", "belt ran (mean reported)", title="Treadmill")
    for segment, speed in zip(guided.timeline.segments, speeds, strict=True):
        planned = segment.planned.speed_target_m_s
        table.add_row(
            f"{segment.index + 1} {segment.direction.value}",
            "-" if planned is None else spoken_speed(planned, units),
            "-" if speed is None else spoken_speed(speed, units),
        )
    return table


def session_with_treadmill(
    address: str,
    *,
    planned: str | None,
    quick: str | None,
    units: str | None,
    options: PlayOptions,
) -> None:
    """``retrowalk session start --treadmill ADDRESS``: play a guided session driving the belt."""
    from retrowalk.cli.logs import print_log_view
    from retrowalk.cli.session.commands import play
    from retrowalk.cli.session.loop import Player
    from retrowalk.services.database import open_database
    from retrowalk.services.guided import abandon_guided, finish_guided, start_guided
    from retrowalk.services.settings import display_units
    from retrowalk.services.treadmill import quick_treadmill_speeds, treadmill_limits
    from retrowalk.treadmill.client import TreadmillError
    from retrowalk.treadmill.connect import BluetoothThread, open_treadmill
    from retrowalk.treadmill.driver import TreadmillDriver
    from retrowalk.vocabulary import Environment

    db: Database = open_database()
    if units is None:  # the walker's setting
        with db.transaction() as session:
            units = display_units(session)
    check_units(units)
    bt = BluetoothThread()
    opened: OpenTreadmill | None = None
    driver: TreadmillDriver | None = None
    watchdog: concurrent.futures.Future[None] | None = None
    try:
        opened = bt.call(open_treadmill(address, time_scale=options.time_scale))
        console.print(f"Connected to the {opened.label}.", highlight=False)
        with db.transaction() as session:
            limits = treadmill_limits(session)
            extra: dict[str, Any] = {}
            if quick is not None:
                target, limit = quick_treadmill_speeds(session)
                extra = {
                    "environment": Environment.TREADMILL,
                    "speed_target_m_s": target,
                    "speed_limit_m_s": limit,
                }
            segments_on_belt = None
            guided = start_guided(
                session,
                planned_session_id=planned,
                quick_spec=quick,
                units=units,
                on=date.today(),  # noqa: DTZ011 - the user's local calendar day
                **extra,
            )
            segments_on_belt = [
                s for s in guided.timeline.segments if s.planned.environment.is_treadmill
            ]
        if not segments_on_belt:
            console.print(
                "This session is not on a treadmill: the belt will not be driven.",
                style="yellow",
            )
        driver = TreadmillDriver(
            opened.client, guided.timeline, limits, units=guided.timeline.units
        )
        try:
            bt.call(driver.take_control())
        except TreadmillError:
            with db.transaction() as session:
                abandon_guided(session, guided.log_id)  # nothing was walked: no session left open
            driver = None
            raise
        watchdog = asyncio.run_coroutine_threadsafe(driver.watch(), bt.loop)
        cap = spoken_speed(limits.plan_max_m_s, guided.timeline.units)
        console.print(
            f"Control granted. Your plan's belt limit: {cap}; steps of at most "
            f"{spoken_speed(limits.step_m_s, guided.timeline.units)}. The treadmill's own stop "
            "button and safety key always work.",
            highlight=False,
        )
        player_class = _make_player_class()

        def make_player(*args: Any, **kwargs: Any) -> Player:
            player = player_class(*args, **kwargs)
            player.bt, player.driver, player.opened = bt, driver, opened
            player.non_interactive = options.non_interactive
            return cast(Player, player)

        snapshot, ratings = play(db, guided, options, make_player)
        speeds = driver.belt_speeds_m_s()
        with db.transaction() as session:
            view = finish_guided(session, guided.log_id, snapshot, ratings, belt_speeds_m_s=speeds)
        console.print(_belt_table(guided, speeds))
        print_log_view(console, view)
    except KeyboardInterrupt:
        console.print(
            "Interrupted: the belt was stopped and the session saved as in progress. Run "
            "'retrowalk session resume' to continue it or log the part done."
        )
        raise typer.Exit(130) from None
    finally:
        if watchdog is not None:
            watchdog.cancel()
        if driver is not None:
            with contextlib.suppress(Exception):
                bt.call(driver.shutdown(), timeout_s=10.0)
        if opened is not None:
            with contextlib.suppress(Exception):
                bt.call(opened.close(), timeout_s=10.0)
        bt.close()
        db.dispose()
