"""Two small rules between the camera and the counter.

`LatestFrame`: the decoder takes only the newest frame. A frame that arrives
while decoding is still busy replaces the one waiting, so nothing queues up
and the counter never reacts to a picture from seconds ago.

`HoldFilter`: a runner holds the confirmation up for a second or two, thirty
frames; the counter must get the code once. A code is submitted again only
after it has been out of view for a while (missed by the decoder in at least
`release_frames` decoded frames in a row and for `release_s` seconds: one
blurred frame is not the runner taking the sheet away).
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from typing import Generic, TypeVar

Item = TypeVar("Item")


class LatestFrame(Generic[Item]):
    def __init__(self) -> None:
        self._ready = threading.Condition()
        self._item: Item | None = None
        self._closed = False
        self.offered = 0
        self.dropped = 0

    def offer(self, item: Item) -> None:
        with self._ready:
            self.offered += 1
            if self._item is not None:
                self.dropped += 1
            self._item = item
            self._ready.notify()

    def take(self, timeout: float | None = None) -> Item | None:
        """The newest item, or None after `timeout` or once closed."""
        with self._ready:
            if self._item is None and not self._closed:
                self._ready.wait(timeout)
            item, self._item = self._item, None
            return item

    @property
    def closed(self) -> bool:
        return self._closed

    def close(self) -> None:
        with self._ready:
            self._closed = True
            self._ready.notify_all()


class HoldFilter:
    def __init__(self, *, release_frames: int = 5, release_s: float = 1.0) -> None:
        self.release_frames = release_frames
        self.release_s = release_s
        self._held: dict[bytes, tuple[float, int]] = {}  # code -> (last seen, frames missed)

    def feed(self, codes: Iterable[bytes], now: float) -> list[bytes]:
        """The codes in one decoded frame -> the ones to submit now."""
        seen = list(dict.fromkeys(codes))
        fresh = [code for code in seen if code not in self._held]
        for code in seen:
            self._held[code] = (now, 0)
        for code, (last_seen, missed) in list(self._held.items()):
            if code in seen:
                continue
            missed += 1
            if missed >= self.release_frames and now - last_seen >= self.release_s:
                del self._held[code]
            else:
                self._held[code] = (last_seen, missed)
        return fresh

    @property
    def held(self) -> frozenset[bytes]:
        return frozenset(self._held)
