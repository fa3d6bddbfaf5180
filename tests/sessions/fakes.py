"""A fake monotonic clock for driving :class:`~retrowalk.sessions.player.SessionRun`."""

from __future__ import annotations


class FakeClock:
    """Monotonic seconds that only move when told to.

    Starts far from 0 like a real monotonic clock, so tests catch code that assumes an origin.
    """

    def __init__(self, start: float = 12_345.678) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        assert seconds >= 0
        self.now += seconds
