"""``retrowalk session start|resume``: play a guided session in the terminal.

A crash, a kill or Ctrl-C loses at most one checkpoint interval (:mod:`.loop`); ``session resume``
continues or logs the part done.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated

import typer
from rich.prompt import Confirm, Prompt

from retrowalk.cli.app import app
from retrowalk.cli.logs import print_log_view
from retrowalk.cli.render import console, minutes
from retrowalk.cli.session.audio import ESPEAK, Announcer
from retrowalk.cli.session.keys import KeyReader
from retrowalk.cli.session.loop import Player, scaled_clock
from retrowalk.cli.session.prompts import ask_ratings
from retrowalk.errors import InvalidInputError, NotFoundError
from retrowalk.services.database import Database, open_database
from retrowalk.services.guided import (
    GuidedSession,
    abandon_or_log_partial,
    find_unfinished,
    finish_guided,
    restore_run,
    start_guided,
)
from retrowalk.services.logs import RatingsInput
from retrowalk.services.settings import display_units
from retrowalk.sessions import RunSnapshot, RunStatus
from retrowalk.timeutil import local_zone

session_app = typer.Typer(help="Guided sessions with spoken cues.", no_args_is_help=True)
app.add_typer(session_app, name="session")

UnitsOpt = Annotated[
    str | None,
    typer.Option(
        "--units", help="Spoken belt speeds in mph or km/h (default: your saved units setting)."
    ),
]
VoiceOpt = Annotated[
    bool,
    typer.Option(
        "--voice/--no-voice",
        help=f"Speak cues with {ESPEAK} when it is installed (else terminal bells).",
    ),
]
CheckpointOpt = Annotated[
    float,
    typer.Option(
        "--checkpoint-every", min=0.1, help="Seconds between checkpoints (session clock)."
    ),
]
NonInteractiveOpt = Annotated[
    bool,
    typer.Option(
        "--non-interactive",
        help="Testing aid and for scripts: no keys, no questions; cues are printed as lines and "
        "ratings are left unknown.",
    ),
]
TimeScaleOpt = Annotated[
    float,
    typer.Option(
        "--time-scale",
        min=0.01,
        hidden=True,
        help="Testing aid: play N session seconds per real second (schedule and checkpoints).",
    ),
]


@dataclass(frozen=True, slots=True)
class PlayOptions:
    """How the terminal player plays (the options of ``session start`` and ``resume``)."""

    voice: bool = True
    non_interactive: bool = False
    time_scale: float = 1.0
    checkpoint_every_s: float = 5.0


def play(
    db: Database,
    guided: GuidedSession,
    options: PlayOptions,
    make_player: Callable[..., Player] = Player,
) -> tuple[RunSnapshot, RatingsInput | None]:
    """Show the safety checks, start when the walker is ready, play the session to its end and
    ask the ratings after it (none when non-interactive). On Ctrl+C the run is paused and saved
    as in progress, and the interruption goes on to the caller.

    ``make_player`` builds the player (the treadmill's drives the belt as well)."""
    clock = scaled_clock(options.time_scale)
    run = restore_run(guided, clock)
    announcer = Announcer(console, voice=options.voice, bells=console.is_terminal)
    if not options.non_interactive:
        console.print(f"[bold]{guided.title}[/bold]")
        for item in guided.timeline.safety_checks:
            console.print(f"  - {item}", markup=False, highlight=False)
        if not announcer.speaks:
            console.print(f"(no {ESPEAK} found or --no-voice: cues ring the terminal bell)")
        if run.state is RunStatus.NOT_STARTED:
            Confirm.ask("Ready? Start now", default=True, console=console)
    try:
        with KeyReader(enabled=not options.non_interactive) as keys:
            player = make_player(
                db,
                guided,
                run,
                clock,
                scale=options.time_scale,
                checkpoint_every_s=options.checkpoint_every_s,
                announcer=announcer,
                keys=keys,
                live_display=not options.non_interactive and console.is_terminal,
            )
            try:
                player.play()
            except KeyboardInterrupt:
                if run.state is RunStatus.RUNNING:
                    run.pause()
                player.save()
                raise
    finally:
        announcer.close()
    snapshot = run.snapshot()
    return snapshot, None if options.non_interactive else ask_ratings(snapshot.stop_reason)


def _play_and_log(db: Database, guided: GuidedSession, options: PlayOptions) -> None:
    try:
        snapshot, ratings = play(db, guided, options)
    except KeyboardInterrupt:
        console.print(
            "Interrupted: the session is saved as in progress. Run 'retrowalk session resume' "
            "to continue it or log the part done."
        )
        raise typer.Exit(130) from None
    with db.transaction() as session:
        view = finish_guided(session, guided.log_id, snapshot, ratings)
    print_log_view(console, view)


@session_app.command("start")
def session_start(
    planned: Annotated[
        str | None,
        typer.Option("--planned", help="Id (or 6+ character prefix) of a planned session."),
    ] = None,
    quick: Annotated[
        str | None, typer.Option("--quick", help="A quick session, e.g. '5x(1m back, 1m fwd)'.")
    ] = None,
    units: UnitsOpt = None,
    voice: VoiceOpt = True,
    checkpoint_every: CheckpointOpt = 5.0,
    non_interactive: NonInteractiveOpt = False,
    time_scale: TimeScaleOpt = 1.0,
    treadmill: Annotated[
        str | None,
        typer.Option(
            "--treadmill",
            help="Drive a Bluetooth (FTMS) treadmill within the plan's limits: its address, "
            "'auto' (also '--treadmill' alone: the only one nearby) or 'simulated'.",
        ),
    ] = None,
) -> None:
    """Play a guided session (today's planned one by default) with spoken cues.

    Keys: p pause, r resume, s skip to the next segment, q stop (then say why).
    """
    from datetime import date

    opts = PlayOptions(voice, non_interactive, time_scale, checkpoint_every)
    if treadmill is not None:  # docs/treadmill.md
        from retrowalk.cli.treadmill import session_with_treadmill

        session_with_treadmill(treadmill, planned=planned, quick=quick, units=units, options=opts)
        return

    db = open_database()
    try:
        with db.transaction() as session:
            guided = start_guided(
                session,
                planned_session_id=planned,
                quick_spec=quick,
                units=display_units(session) if units is None else units,
                on=date.today(),  # noqa: DTZ011 - the user's local calendar day
            )
        _play_and_log(db, guided, opts)
    finally:
        db.dispose()


@session_app.command("resume")
def session_resume(
    continue_: Annotated[
        bool, typer.Option("--continue", help="Continue the session from its last checkpoint.")
    ] = False,
    log_partial: Annotated[
        bool, typer.Option("--log-partial", help="Log the part done and end the session.")
    ] = False,
    abandon: Annotated[
        bool, typer.Option("--abandon", help="Drop the session without logging it.")
    ] = False,
    voice: VoiceOpt = True,
    checkpoint_every: CheckpointOpt = 5.0,
    non_interactive: NonInteractiveOpt = False,
    time_scale: TimeScaleOpt = 1.0,
) -> None:
    """Pick up a session interrupted by a crash, a kill or Ctrl-C: continue it or log the part
    done."""
    chosen = [name for name, on in (("continue", continue_), ("log", log_partial)) if on]
    if abandon:
        chosen.append("abandon")
    if len(chosen) > 1:
        raise InvalidInputError("--continue/--log-partial/--abandon", chosen, "at most one of them")
    db = open_database()
    try:
        with db.transaction() as session:
            guided = find_unfinished(session)
        if guided is None:
            raise NotFoundError("no session in progress to resume")
        snapshot = guided.snapshot
        console.print(
            f"Session in progress: {guided.title}, started "
            f"{guided.started_at.astimezone(local_zone()):%Y-%m-%d %H:%M}; "
            f"{minutes(snapshot.elapsed_s)} done, {minutes(snapshot.session_left_s)} left "
            "at the last checkpoint.",
            markup=False,
            highlight=False,
        )
        if not chosen:
            if non_interactive:
                raise InvalidInputError(
                    "--continue/--log-partial/--abandon",
                    None,
                    "one of them with --non-interactive",
                )
            answer = Prompt.ask(
                "Continue it, log the part done, or abandon it",
                choices=["continue", "log", "abandon"],
                default="continue",
                console=console,
            )
            chosen = [answer]
        if chosen[0] == "continue":
            _play_and_log(
                db, guided, PlayOptions(voice, non_interactive, time_scale, checkpoint_every)
            )
            return
        log_part_done = chosen[0] == "log"
        ratings = None
        if log_part_done and not non_interactive:
            ratings = ask_ratings(snapshot.stop_reason)
        with db.transaction() as session:
            view = abandon_or_log_partial(
                session, guided.log_id, log_part_done=log_part_done, ratings=ratings
            )
        if view is None:
            console.print("The session was abandoned (kept for the record, not counted).")
        else:
            print_log_view(console, view)
    finally:
        db.dispose()
