"""Single keypresses in the terminal, without Enter."""

from __future__ import annotations

import os
import select
import sys
import time
from typing import Any


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
