"""Progress reporting for long-running commands."""

from __future__ import annotations

import sys
import time
from typing import TextIO


class Progress:
    """Prints ``step: done/total`` lines, at most a few per second."""

    def __init__(self, stream: TextIO | None = None, *, quiet: bool = False) -> None:
        self.stream = stream or sys.stderr
        self.quiet = quiet
        self._last = 0.0

    def step(self, label: str, done: int, total: int | None = None, *, force: bool = False) -> None:
        if self.quiet:
            return
        now = time.monotonic()
        if not force and now - self._last < 0.25 and (total is None or done < total):
            return
        self._last = now
        suffix = f"{done}/{total}" if total else str(done)
        self.stream.write(f"  {label}: {suffix}\n")
        self.stream.flush()

    def note(self, message: str) -> None:
        if not self.quiet:
            self.stream.write(message + "\n")
            self.stream.flush()
