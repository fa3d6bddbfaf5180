"""The player's loop: cues, display, keys and checkpoints of one guided session.

The player schedules from a monotonic clock and sleeps until the next due cue, the next key, the
next display refresh or the next checkpoint, whichever comes first. Every few seconds the run's
snapshot is checkpointed in its own short transaction, so a crash, a kill or Ctrl-C loses at most
one checkpoint interval.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from rich.console import Group
from rich.live import Live
from rich.panel import Panel
from rich.table import Table
from rich.text import Text
from sqlalchemy.exc import SQLAlchemyError

from retrowalk.cli.render import console, describe_segment, minutes
from retrowalk.services.database import Database
from retrowalk.services.guided import GuidedSession, checkpoint
from retrowalk.sessions import CueEvent, RunStatus, SessionRun, StopReason
from retrowalk.sessions.cues import stop_text
from retrowalk.vocabulary import SpeedUnit

if TYPE_CHECKING:
    from retrowalk.cli.session.audio import Announcer
    from retrowalk.cli.session.keys import KeyReader

#: Display refresh period in real seconds (the clock shown moves in whole seconds).
REFRESH_S = 0.25
_STOP_KEYS = {
    "1": StopReason.PAIN,
    "2": StopReason.DIZZINESS,
    "3": StopReason.NEAR_FALL,
    "4": StopReason.TIRED,
    "5": StopReason.OTHER,
}


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
            "end"
            if nxt is None
            else describe_segment(timeline.segments[nxt].planned, SpeedUnit(timeline.units)),
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
