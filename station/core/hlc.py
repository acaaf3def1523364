"""Hybrid logical clock.

Each station stamps its facts with (wall milliseconds, counter, station id).
The stamp never goes backwards even when the laptop's clock does, and a
station that has seen a later stamp from elsewhere moves past it, so logs from
many stations merge into one order that respects cause and effect and is the
same on every machine.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

# The encoding's widths. The clock never produces more: when the counter would
# pass MAX_COUNTER it moves to the next millisecond instead (and a received
# stamp beyond either bound is refused at the door, station/core/fact_check.py).
MAX_COUNTER = 999_999
MAX_WALL_MS = 10**15 - 1


@dataclass(frozen=True, order=True, slots=True)
class Stamp:
    wall_ms: int
    counter: int
    node: str

    def encode(self) -> str:
        # Fixed-width digits so that string order is clock order in SQLite.
        if not (0 <= self.counter <= MAX_COUNTER and 0 <= self.wall_ms <= MAX_WALL_MS):
            raise ValueError(f"clock stamp out of range: {self.wall_ms}/{self.counter}")
        return f"{self.wall_ms:015d}-{self.counter:06d}-{self.node}"

    @classmethod
    def decode(cls, text: str) -> Stamp:
        parts = text.split("-", 2)
        if len(parts) != 3 or len(parts[0]) != 15 or len(parts[1]) != 6 or not parts[2]:
            raise ValueError(f"not a clock stamp: {text!r}")
        if not (parts[0].isdigit() and parts[1].isdigit() and parts[0].isascii() and parts[1].isascii()):
            raise ValueError(f"not a clock stamp: {text[:80]!r}")
        try:
            return cls(int(parts[0]), int(parts[1]), parts[2])
        except ValueError:
            raise ValueError(f"not a clock stamp: {text!r}") from None


class HybridClock:
    """Thread-safe; `now()` for local facts, `observe()` for facts received."""

    def __init__(self, node: str, last: Stamp | None = None, wall: Callable[[], int] | None = None) -> None:
        if not node or any(c.isspace() for c in node):
            raise ValueError(f"unusable station id for the clock: {node!r}")
        self.node = node
        self._wall = wall or (lambda: int(time.time() * 1000))
        self._ms = min(last.wall_ms, MAX_WALL_MS) if last else 0
        self._counter = min(last.counter, MAX_COUNTER) if last else 0
        self._lock = threading.Lock()

    def wall_ms(self) -> int:
        """The laptop's clock as this HybridClock reads it (the receiver's time at a door)."""
        return self._wall()

    def now(self) -> Stamp:
        with self._lock:
            wall = self._wall()
            if wall > self._ms:
                self._ms, self._counter = wall, 0
            else:
                self._counter += 1
            self._carry()
            return Stamp(self._ms, self._counter, self.node)

    def _carry(self) -> None:
        # Never past the encoding: a full counter moves on to the next millisecond
        # (still after every stamp seen, so the order is kept).
        if self._counter > MAX_COUNTER:
            self._ms, self._counter = self._ms + 1, 0

    def observe(self, remote: Stamp) -> None:
        if not (0 <= remote.counter <= MAX_COUNTER and 0 <= remote.wall_ms <= MAX_WALL_MS):
            return  # not a stamp this clock could have made; the door refuses its fact
        with self._lock:
            wall = self._wall()
            top = max(wall, self._ms, remote.wall_ms)
            if top == self._ms == remote.wall_ms:
                self._counter = max(self._counter, remote.counter) + 1
            elif top == self._ms:
                self._counter += 1
            elif top == remote.wall_ms:
                self._counter = remote.counter + 1
            else:
                self._counter = 0
            self._ms = top
            self._carry()
