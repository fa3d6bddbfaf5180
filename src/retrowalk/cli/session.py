"""``retrowalk session start|resume``: play a guided session in the terminal.

The player schedules from a monotonic clock and sleeps until the next due cue, the next key, the
next display refresh or the next checkpoint, whichever comes first. Every few seconds the run's
snapshot is checkpointed in its own short transaction, so a crash, a kill or Ctrl-C loses at most
one checkpoint interval; ``session resume`` continues or logs the part done.
"""

from __future__ import annotations

import contextlib
import math
import os
import select
import shutil
import subprocess
import sys
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Annotated, Any

import typer
from rich.console import Console, Group
from rich.live import Live
from rich.panel import Panel
from rich.prompt import Confirm, Prompt
from rich.table import Table
from rich.text import Text
from sqlalchemy.exc import SQLAlchemyError

from retrowalk.cli.app import app, console
from retrowalk.cli.logs import print_log_view
from retrowalk.cli.render import describe_segment, minutes
from retrowalk.errors import InvalidInputError, NotFoundError
from retrowalk.services.database import Database, open_database
from retrowalk.services.guided import (
    GuidedSession,
    abandon_or_log_partial,
    checkpoint,
    find_unfinished,
    finish_guided,
    restore_run,
    start_guided,
)
from retrowalk.services.logs import RatingsInput, check_ratings
from retrowalk.sessions import CueEvent, RunStatus, SessionRun, StopReason
from retrowalk.sessions.cues import stop_text
from retrowalk.sessions.timeline import BELLS_FOR_SOUND, Sound

session_app = typer.Typer(help="Guided sessions with spoken cues.", no_args_is_help=True)
app.add_typer(session_app, name="session")

#: Display refresh period in real seconds (the clock shown moves in whole seconds).
REFRESH_S = 0.25
#: Gap between the bells of one pattern, real seconds.
BELL_GAP_S = 0.3
ESPEAK = "espeak-ng"
_STOP_KEYS = {
    "1": StopReason.PAIN,
    "2": StopReason.DIZZINESS,
    "3": StopReason.NEAR_FALL,
    "4": StopReason.TIRED,
    "5": StopReason.OTHER,
}


# -- sound -----------------------------------------------------------------------------------------


class Announcer:
    """Speaks cues with espeak-ng (one utterance at a time, queued) or rings terminal bells.

    Nothing here blocks: :meth:`pump` starts the next utterance or bell when it is due.
    """

    def __init__(self, out: Console, *, voice: bool, bells: bool) -> None:
        self._out = out
        self._espeak = shutil.which(ESPEAK) if voice else None
        self._bells = bells
        self._speech: deque[str] = deque()
        self._process: subprocess.Popen[bytes] | None = None
        self._bell_times: deque[float] = deque()

    @property
    def speaks(self) -> bool:
        """Whether cues are spoken."""
        return self._espeak is not None

    def say(self, text: str, sound: Sound) -> None:
        """Queue one cue: its text when speaking, else its bell pattern."""
        if self._espeak is not None:
            self._speech.append(text)
        elif self._bells:
            now = time.monotonic()
            start = max(now, self._bell_times[-1] + BELL_GAP_S) if self._bell_times else now
            count = BELLS_FOR_SOUND[sound]
            self._bell_times.extend(start + i * BELL_GAP_S for i in range(count))
        self.pump()

    def pump(self) -> float | None:
        """Start what is due; return real seconds until the next bell (``None``: nothing)."""
        idle = self._process is None or self._process.poll() is not None
        if self._espeak is not None and self._speech and idle:
            text = self._speech.popleft()
            with contextlib.suppress(OSError):
                self._process = subprocess.Popen(
                    [self._espeak, text],
                    stdin=subprocess.DEVNULL,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
        now = time.monotonic()
        rang = False
        while self._bell_times and self._bell_times[0] <= now:
            self._bell_times.popleft()
            rang = True
        if rang:
            self._out.bell()
        if self._speech:
            return REFRESH_S
        return None if not self._bell_times else max(0.0, self._bell_times[0] - now)

    def close(self) -> None:
        """Let the last utterance finish on its own; drop what is still queued."""
        self._speech.clear()
        self._bell_times.clear()


# -- keys ------------------------------------------------------------------------------------------


class KeyReader:
    """Single keypresses without Enter (POSIX terminals); restores the terminal on exit.

    Without a terminal (or on a system without ``termios``) it reads nothing and :meth:`wait`
    just sleeps.
    """

    def __init__(self, enabled: bool) -> None:
        self._fd: int | None = None
        self._saved: Any = None
        self._enabled = enabled and sys.stdin.isatty()

    def __enter__(self) -> KeyReader:
        if self._enabled:
            try:
                import termios
                import tty

                fd = sys.stdin.fileno()
                self._saved = termios.tcgetattr(fd)
                tty.setcbreak(fd)
                self._fd = fd
            except (ImportError, OSError, ValueError):
                self._fd = None
        return self

    def __exit__(self, *exc: object) -> None:
        self.restore()

    def restore(self) -> None:
        """Put the terminal back as it was (safe to call twice)."""
        if self._fd is not None and self._saved is not None:
            import termios

            termios.tcsetattr(self._fd, termios.TCSADRAIN, self._saved)
            self._fd = None

    def wait(self, timeout_s: float) -> str | None:
        """Wait up to ``timeout_s`` real seconds for a key; return it or ``None``."""
        timeout_s = max(0.0, timeout_s)
        if self._fd is None:
            time.sleep(timeout_s)
            return None
        ready, _, _ = select.select([self._fd], [], [], timeout_s)
        if not ready:
            return None
        data = os.read(self._fd, 1)
        return data.decode(errors="ignore").lower() or None


# -- the player ------------------------------------------------------------------------------------


@dataclass
class PlayerState:
    """What the display shows."""

    instruction: str = "Get ready."
    reminder: str = ""
    message: str = ""
    asking_stop: bool = False
    checkpoint_error: str = ""
    checkpoints: int = 0
    log: list[str] = field(default_factory=list)


def scaled_clock(scale: float) -> Callable[[], float]:
    """``time.monotonic`` sped up ``scale`` times (a testing aid; 1 in real use)."""
    return lambda: time.monotonic() * scale


class Player:
    """Plays one guided session: cues, display, keys and checkpoints."""

    def __init__(
        self,
        db: Database,
        guided: GuidedSession,
        run: SessionRun,
        clock: Callable[[], float],
        *,
        scale: float,
        checkpoint_every_s: float,
        announcer: Announcer,
        keys: KeyReader,
        live_display: bool,
    ) -> None:
        self.db = db
        self.guided = guided
        self.run = run
        self.clock = clock
        self.scale = scale
        self.checkpoint_every_s = checkpoint_every_s
        self.announcer = announcer
        self.keys = keys
        self.live_display = live_display
        self.state = PlayerState()
        self._next_checkpoint = clock() + checkpoint_every_s

    # checkpoints
    def save(self) -> None:
        """Checkpoint the run now in its own short transaction; report (not raise) failures."""
        try:
            with self.db.transaction() as session:
                checkpoint(session, self.guided.log_id, self.run.snapshot())
            self.state.checkpoints += 1
            self.state.checkpoint_error = ""
        except (SQLAlchemyError, OSError) as exc:
            self.state.checkpoint_error = f"checkpoint failed ({type(exc).__name__}); retrying"
        self._next_checkpoint = self.clock() + self.checkpoint_every_s

    # cues
    def deliver(self, cues: list[CueEvent]) -> None:
        for cue in cues:
            if cue.kind == "technique":
                self.state.reminder = cue.text
            else:
                self.state.instruction = cue.text
                self.state.reminder = ""
            self.announcer.say(cue.text, cue.sound)
            if not self.live_display:
                at = minutes(cue.at_s)
                console.print(f"[{at}] {cue.text}", markup=False, highlight=False)

    # keys
    def handle(self, key: str) -> None:
        run = self.run
        if self.state.asking_stop:
            self.state.asking_stop = False
            reason = _STOP_KEYS.get(key)
            if reason is None:
                self.state.message = "Not stopped. Press r to resume."
                return
            run.stop(reason)
            self.state.message = ""
            text = stop_text(reason.value)
            self.state.instruction = text
            self.announcer.say(text, "stop")
            if not self.live_display:
                console.print(text, markup=False, highlight=False)
            self.save()
            return
        if key == "p" and run.state is RunStatus.RUNNING:
            run.pause()
            self.state.message = "Paused. Press r to resume."
        elif key == "r" and run.state is RunStatus.PAUSED:
            run.resume()
            self.state.message = ""
        elif key == "s" and run.state in (RunStatus.RUNNING, RunStatus.PAUSED):
            with contextlib.suppress(Exception):
                run.skip()
            self.state.message = "Skipped to the next segment."
        elif key == "q":
            if run.state is RunStatus.RUNNING:
                run.pause()
            self.state.asking_stop = True
            self.state.message = (
                "Stop: why? 1 pain, 2 dizziness, 3 near-fall, 4 tired, 5 other; "
                "any other key keeps the session (paused)."
            )
        self.save()

    # display
    def render(self) -> Group:
        snapshot = self.run.snapshot()
        timeline = self.run.timeline
        instruction = Text(self.state.instruction, style="bold", justify="center")
        body: list[Any] = [
            Panel(instruction, title=self.guided.title, padding=(1, 2), border_style="cyan")
        ]
        if self.state.reminder:
            body.append(Text(self.state.reminder, style="italic", justify="center"))
        grid = Table.grid(padding=(0, 2))
        grid.add_column(style="dim")
        grid.add_column()
        segment_left = snapshot.segment_left_s
        grid.add_row("segment left", "-" if segment_left is None else minutes(segment_left))
        grid.add_row("session left", minutes(snapshot.session_left_s))
        nxt = snapshot.next_segment_index
        grid.add_row(
            "next",
            "end" if nxt is None else describe_segment(timeline.segments[nxt].planned),
        )
        grid.add_row("status", snapshot.status.value.replace("_", " "))
        grid.add_row("keys", "p pause  r resume  s skip  q stop")
        body.append(grid)
        for line in (self.state.message, self.state.checkpoint_error):
            if line:
                body.append(Text(line, style="yellow"))
        return Group(*body)

    # loop
    def _step(self, live: Live | None) -> None:
        self.deliver(self.run.poll())
        now = self.clock()
        if now >= self._next_checkpoint:
            self.save()
        if live is not None:
            live.update(self.render())
        waits = [REFRESH_S, (self._next_checkpoint - self.clock()) / self.scale]
        to_cue = self.run.seconds_to_next_cue()
        if to_cue is not None:
            waits.append(to_cue / self.scale)
        bell = self.announcer.pump()
        if bell is not None:
            waits.append(bell)
        key = self.keys.wait(max(0.0, min(waits)))
        if key:
            self.handle(key)

    def play(self) -> None:
        """Run until the session finishes or is stopped, then checkpoint the final state."""
        if self.run.state is RunStatus.NOT_STARTED:
            self.run.start()
        elif self.run.state is RunStatus.PAUSED and not self.keys_enabled:
            self.run.resume()
        elif self.run.state is RunStatus.PAUSED:
            self.state.message = "Resumed from the last checkpoint, paused. Press r to resume."
        self.save()
        active = (RunStatus.RUNNING, RunStatus.PAUSED)
        if self.live_display:
            with Live(
                self.render(), console=console, refresh_per_second=8, transient=False
            ) as live:
                while self.run.state in active:
                    self._step(live)
                live.update(self.render())
        else:
            while self.run.state in active:
                self._step(None)
        self.save()

    @property
    def keys_enabled(self) -> bool:
        """Whether the walker can press keys (else the run is resumed automatically)."""
        return self.keys._fd is not None


# -- ratings ---------------------------------------------------------------------------------------


def _ask_checked(ask: Callable[[], Any], check: Callable[[Any], object]) -> Any:
    while True:
        value = ask()
        try:
            check(value)
        except InvalidInputError as exc:
            console.print(f"[red]{exc}[/red]", highlight=False)
            continue
        return value


def ask_ratings(stop_reason: StopReason | None) -> RatingsInput:
    """Ask RPE (with its scale), pain and where, symptoms, form and notes; check each answer."""
    console.print("[bold]How did it go?[/bold] (press Enter to skip a question)")
    scale = Prompt.ask("RPE scale", choices=["borg", "cr10"], default="borg", console=console)
    rpe_scale = "borg6_20" if scale == "borg" else "cr10"
    hint = "6-20" if rpe_scale == "borg6_20" else "0-10"

    def number(text: str) -> float | None:
        return None if not text.strip() else float(text)

    def ask_number(question: str) -> Callable[[], float | None]:
        def ask() -> float | None:
            answer = Prompt.ask(question, default="", show_default=False, console=console)
            try:
                return number(answer)
            except ValueError:
                return math.nan

        return ask

    rpe = _ask_checked(
        ask_number(f"Exertion (RPE {hint})"),
        lambda v: check_ratings(RatingsInput(rpe=v, rpe_scale=rpe_scale)),
    )
    pain = _ask_checked(
        ask_number("Worst pain (0-10)"), lambda v: check_ratings(RatingsInput(pain_0_10=v))
    )
    location = None
    if pain:
        location = Prompt.ask("Where did it hurt", default="", console=console) or None
    dizzy = Confirm.ask("Dizziness", default=stop_reason is StopReason.DIZZINESS, console=console)
    near_fall = Confirm.ask(
        "A near-fall", default=stop_reason is StopReason.NEAR_FALL, console=console
    )
    form = Confirm.ask(
        "Did your form feel steady (eyes forward, small even steps)", default=True, console=console
    )
    notes = Prompt.ask("Notes", default="", console=console)
    return RatingsInput(
        rpe=rpe,
        rpe_scale=rpe_scale,
        pain_0_10=None if pain is None else int(pain),
        pain_location=location,
        dizziness=dizzy,
        near_fall=near_fall,
        form_steady=form,
        notes=notes,
    )


# -- commands --------------------------------------------------------------------------------------

UnitsOpt = Annotated[str, typer.Option("--units", help="Spoken belt speeds in mph or km/h.")]
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


def _play_and_log(
    db: Database,
    guided: GuidedSession,
    *,
    voice: bool,
    non_interactive: bool,
    time_scale: float,
    checkpoint_every: float,
) -> None:
    clock = scaled_clock(time_scale)
    run = restore_run(guided, clock)
    live_display = not non_interactive and console.is_terminal
    announcer = Announcer(console, voice=voice, bells=console.is_terminal)
    if not non_interactive:
        console.print(f"[bold]{guided.title}[/bold]")
        for item in guided.timeline.safety_checks:
            console.print(f"  - {item}", markup=False, highlight=False)
        if not announcer.speaks:
            console.print(f"(no {ESPEAK} found or --no-voice: cues ring the terminal bell)")
        if run.state is RunStatus.NOT_STARTED:
            Confirm.ask("Ready? Start now", default=True, console=console)
    with KeyReader(enabled=not non_interactive) as keys:
        player = Player(
            db,
            guided,
            run,
            clock,
            scale=time_scale,
            checkpoint_every_s=checkpoint_every,
            announcer=announcer,
            keys=keys,
            live_display=live_display,
        )
        try:
            player.play()
        except KeyboardInterrupt:
            if run.state is RunStatus.RUNNING:
                run.pause()
            player.save()
            keys.restore()
            announcer.close()
            console.print(
                "Interrupted: the session is saved as in progress. Run 'retrowalk session resume' "
                "to continue it or log the part done."
            )
            raise typer.Exit(130) from None
    announcer.close()
    snapshot = run.snapshot()
    ratings = None if non_interactive else ask_ratings(snapshot.stop_reason)
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
    units: UnitsOpt = "mph",
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

    if treadmill is not None:  # docs/treadmill.md
        from retrowalk.cli.treadmill import session_with_treadmill

        session_with_treadmill(
            treadmill,
            planned=planned,
            quick=quick,
            units=units,
            voice=voice,
            non_interactive=non_interactive,
            time_scale=time_scale,
            checkpoint_every=checkpoint_every,
        )
        return

    db = open_database()
    try:
        with db.transaction() as session:
            guided = start_guided(
                session,
                planned_session_id=planned,
                quick_spec=quick,
                units=units,
                on=date.today(),  # noqa: DTZ011 - the user's local calendar day
            )
        _play_and_log(
            db,
            guided,
            voice=voice,
            non_interactive=non_interactive,
            time_scale=time_scale,
            checkpoint_every=checkpoint_every,
        )
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
            f"{guided.started_at.astimezone():%Y-%m-%d %H:%M}; "
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
                db,
                guided,
                voice=voice,
                non_interactive=non_interactive,
                time_scale=time_scale,
                checkpoint_every=checkpoint_every,
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
