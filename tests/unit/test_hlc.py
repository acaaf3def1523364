from __future__ import annotations

from station.core.hlc import HybridClock, Stamp


class FakeWall:
    """The laptop's clock, which tests move backwards and forwards."""

    def __init__(self, ms: int) -> None:
        self.ms = ms

    def __call__(self) -> int:
        return self.ms


def test_stamps_increase_even_when_the_wall_clock_goes_back():
    wall = FakeWall(1_000_000)
    clock = HybridClock("counter-1", wall=wall)
    first = clock.now()
    wall.ms = 500_000  # NTP stepped the clock back
    second = clock.now()
    third = clock.now()
    assert first < second < third
    assert second.wall_ms == first.wall_ms and second.counter == first.counter + 1


def test_observing_a_later_remote_stamp_moves_past_it():
    wall = FakeWall(1_000)
    clock = HybridClock("counter-1", wall=wall)
    remote = Stamp(9_000, 4, "counter-2")
    clock.observe(remote)
    assert clock.now() > remote


def test_restart_continues_after_the_last_stamp():
    last = Stamp(5_000, 7, "counter-1")
    clock = HybridClock("counter-1", last, wall=FakeWall(1_000))
    assert clock.now() > last


def test_encoding_sorts_like_the_stamps():
    stamps = [Stamp(2, 0, "b"), Stamp(10, 0, "a"), Stamp(2, 11, "a"), Stamp(2, 2, "z"), Stamp(123456789012, 0, "a")]
    assert sorted(s.encode() for s in stamps) == [s.encode() for s in sorted(stamps)]
    assert all(Stamp.decode(s.encode()) == s for s in stamps)


def test_station_ids_with_dashes_round_trip():
    stamp = Stamp(42, 1, "counter-12-b")
    assert Stamp.decode(stamp.encode()) == stamp
