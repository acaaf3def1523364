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


@dataclass(frozen=True, order=True, slots=True)
class Stamp:
    wall_ms: int
    counter: int
    node: str

    def encode(self) -> str:
        # Fixed-width digits so that string order is clock order in SQLite.
        return f"{self.wall_ms:015d}-{self.counter:06d}-{self.node}"

    @classmethod
    def decode(cls, text: str) -> Stamp:
        parts = text.split("-", 2)
        if len(parts) != 3 or len(parts[0]) != 15 or len(parts[1]) != 6 or not parts[2]:
            raise ValueError(f"not a clock stamp: {text!r}")
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
        self._ms = last.wall_ms if last else 0
        self._counter = last.counter if last else 0
        self._lock = threading.Lock()

    def now(self) -> Stamp:
        with self._lock:
            wall = self._wall()
            if wall > self._ms:
                self._ms, self._counter = wall, 0
            else:
                self._counter += 1
            return Stamp(self._ms, self._counter, self.node)

    def observe(self, remote: Stamp) -> None:
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
