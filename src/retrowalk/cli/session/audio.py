"""Cues out loud: espeak-ng speech, one utterance at a time, or terminal bells."""

from __future__ import annotations

import contextlib
import shutil
import subprocess
import time
from collections import deque

from rich.console import Console

from retrowalk.cli.session.loop import REFRESH_S
from retrowalk.sessions.timeline import BELLS_FOR_SOUND, Sound

#: Gap between the bells of one pattern, real seconds.
BELL_GAP_S = 0.3
ESPEAK = "espeak-ng"


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
