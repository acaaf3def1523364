"""Property (issue 11): one bib, one right person, whatever happens in between.

Hypothesis interleaves roster re-imports at the organizer (bib swaps, escorts
added and cancelled, entries cancelled and reinstated, a runner listed as their
own escort), pickups at three online counters (each through CheckinDesk.complete
with the hub claim), sync in random orders, cases sent to the supervisor and
decided, at moments inside the check-in hours, after them and on race day.
Afterwards, over every pickup the hub holds:

- no bib number went to two entries;
- no person collected two runner bibs, and no escort bib went to the runner;
- every escort pickup has its runner's pickup at the same counter;
- nothing was handed over on race day or outside the check-in hours.

Real parts, small and fast: a 6-runner event, SQLite files copied from
templates made once, the central-SQLite hub in a temporary folder.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from station.core.errors import StationError
from station.core.event import kyoto_defaults
from station.core.evidence import DocumentType, EscortEvidence, FoundBy, IdCheck, Match
from station.core.models import FactKind
from station.core.roster import check_roster
from station.core.supervision import Decision, Ground, Resolution
from station.store.checkin import CheckinDesk
from station.store.event_package import EventPackage
from station.store.exceptions import ExceptionQueue
from station.store.roster_import import import_roster
from station.store.station_log import StationLog
from station.sync.hub_store import HUB_FILE, HubStore
from station.sync.sqlite_hub import SqliteHub
from station.sync.worker import ClaimDecision, SyncWorker, claim_before_pickup
from tests.factories import csv_bytes, row

# In memory where the machine has it: the files are real SQLite, only fsync costs nothing.
MEMORY = "/dev/shm" if Path("/dev/shm").is_dir() else None
TOKYO = ZoneInfo("Asia/Tokyo")
SETTINGS = kyoto_defaults("kyoto-test-2027", "Property", dt.date(2027, 2, 21))
INSIDE = dt.datetime(2027, 2, 19, 12, 0, tzinfo=TOKYO)
MOMENTS = (INSIDE, dt.datetime(2027, 2, 20, 11, 0, tzinfo=TOKYO),  # Friday and Saturday, open
           dt.datetime(2027, 2, 19, 21, 0, tzinfo=TOKYO),  # after Friday's last entry
           dt.datetime(2027, 2, 21, 7, 0, tzinfo=TOKYO))  # race morning
COUNTERS = ("counter-a", "counter-b", "counter-c")
RUNNERS = tuple(f"{1000 + n}" for n in range(1, 4))  # few runners: steps meet on the same ones
# Escort rows the organizer may add for runner 1001: two guides, and 1001 themself.
ESCORTS = {
    "2001": row(101, entry_no="2001", bib="101", escort_of="1001", family_kanji="佐藤", given_kanji="花子"),
    "2002": row(102, entry_no="2002", bib="102", escort_of="1001", family_kanji="鈴木", given_kanji="一郎"),
    "2003": dict(row(1), entry_no="2003", bib="103", escort_of="1001"),  # the runner as own escort
}
PERSON = {**{no: no for no in RUNNERS}, "2001": "sato", "2002": "suzuki", "2003": "1001"}


@functools.cache
def templates() -> Path:
    """The organizer's first package, an empty hub and empty counter logs, made once."""
    root = Path(tempfile.mkdtemp(prefix="one-bib-", dir=MEMORY))
    package = EventPackage.create(root / "event.sqlite", SETTINGS)
    import_roster(package, check_roster(csv_bytes(_rows({no: i for i, no in enumerate(RUNNERS, 1)}, set(), set())),
                                        max_escorts=1))
    package.close()
    HubStore.open(root / HUB_FILE, shared=True).close()
    for name in COUNTERS:
        StationLog.open(root / f"{name}.sqlite", station_id=name, event_id=SETTINGS.event_id).close()
    return root


def _rows(bibs: dict[str, int], escorts: set[str], cancelled: set[str]) -> list[dict[str, str]]:
    rows = [row(int(no) - 1000, bib=str(bib), disability="1" if no == "1001" else "0")
            for no, bib in bibs.items() if no not in cancelled]
    # A runner no step touches: an organizer's export is never empty (the importer refuses one).
    rows.append(row(50, bib="950"))
    return rows + [ESCORTS[no] for no in sorted(escorts)]


class Online:
    """The counter's hub link with the hub always up: claim, and push at once."""

    def __init__(self, hub: SqliteHub, worker: SyncWorker) -> None:
        self.hub, self.worker = hub, worker

    def claim_before_pickup(self, counter_log: StationLog, entries: tuple[str, ...], timeout: float = 0.8,
                            bibs: tuple[str, ...] = ()) -> ClaimDecision:
        return claim_before_pickup(self.hub, counter_log, entries, timeout, bibs)

    def nudge(self) -> None:
        self.worker.push_once()


@dataclass
class Expo:
    root: Path
    bibs: dict[str, int] = field(default_factory=lambda: {no: i for i, no in enumerate(RUNNERS, 1)})
    escorts: set[str] = field(default_factory=set)
    cancelled: set[str] = field(default_factory=set)
    closed_handouts: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        src = templates()
        for name in ("event.sqlite", HUB_FILE, *(f"{c}.sqlite" for c in COUNTERS)):
            shutil.copy(src / name, self.root / name)
        self.organizer = EventPackage.open(self.root / "event.sqlite")
        shutil.copy(src / "event.sqlite", self.root / "counter-package.sqlite")  # the counters' older copy
        self.package = EventPackage.open(self.root / "counter-package.sqlite")
        utc = INSIDE.astimezone(dt.UTC)
        self.logs = [StationLog.open(self.root / f"{c}.sqlite", station_id=c, event_id=SETTINGS.event_id,
                                     utcnow=lambda: utc) for c in COUNTERS]
        self.hubs = [SqliteHub(self.root / HUB_FILE, c, busy_timeout_ms=2000) for c in COUNTERS]
        self.workers = [SyncWorker(log, hub) for log, hub in zip(self.logs, self.hubs, strict=True)]
        self.desks = [CheckinDesk(self.package, log, hub=Online(hub, worker))
                      for log, hub, worker in zip(self.logs, self.hubs, self.workers, strict=True)]

    def close(self) -> None:
        for worker in self.workers:
            worker.close()
        for log in self.logs:
            log.close()
        self.package.close()
        self.organizer.close()

    # -- the organizer ----------------------------------------------------------------

    def reimport(self) -> None:
        check = check_roster(csv_bytes(_rows(self.bibs, self.escorts, self.cancelled)), max_escorts=1)
        import_roster(self.organizer, check, cancel_missing=True)
        with HubStore.open(self.root / HUB_FILE, shared=True, create=False) as store:
            store.take_roster_facts(self.organizer)

    def run(self, step: tuple) -> None:
        kind = step[0]
        if kind == "swap":
            a, b = RUNNERS[step[1]], RUNNERS[step[2]]
            self.bibs[a], self.bibs[b] = self.bibs[b], self.bibs[a]
            self.reimport()
        elif kind == "escort":
            _, no, add = step
            (self.escorts.add if add else self.escorts.discard)(no)
            self.reimport()
        elif kind == "cancel":
            _, i, cancel = step
            (self.cancelled.add if cancel else self.cancelled.discard)(RUNNERS[i])
            self.reimport()
        elif kind == "sync":
            self.workers[step[1]].sync_once()
        elif kind == "pickup":
            self.pickup(*step[1:])
        elif kind == "send":
            desk = self.desks[step[1]]
            case = desk.open_case(RUNNERS[step[2]], FoundBy.SEARCH)
            if case is not None:
                desk.send_to_supervisor(case, "name_mismatch", "V", codes=["name_mismatch"])
        elif kind == "decide":
            _, c, approve = step
            queue = ExceptionQueue(self.logs[c], self.package)
            items = queue.queue(INSIDE).items
            if items:
                married = Ground.NAME_CHANGED_BY_MARRIAGE
                resolution = (Resolution(Decision.APPROVE_OVERRIDE, "married name", "S", ground=married)
                              if approve else Resolution(Decision.REFUSE, "not the runner", "S"))
                # refused by the rules or held by another supervisor: nothing recorded
                with contextlib.suppress(StationError):
                    queue.resolve(items[0].exception_id, resolution)
                self.workers[c].push_once()

    def pickup(self, c: int, i: int, with_escorts: bool, moment: int, mismatch: bool) -> None:
        desk = self.desks[c]
        case = desk.open_case(RUNNERS[i], FoundBy.SEARCH)
        if case is None:
            return

        def shown(no: str) -> IdCheck:
            return IdCheck(DocumentType.PASSPORT, Match.MISMATCH if mismatch and no == RUNNERS[i] else Match.CONFIRMED,
                           Match.CONFIRMED, document_hash=f"doc-{PERSON.get(no, no)}")

        escorts = tuple(EscortEvidence(e.entrant.entry_no, shown(e.entrant.entry_no))
                        for e in case.escorts) if with_escorts else ()
        evidence = desk.evidence(case, id_check=shown(RUNNERS[i]), escorts=escorts, certificate_seen=True,
                                 handed_over=("bib",))
        _, facts = desk.complete(case, evidence, "V", MOMENTS[moment])
        if facts and moment >= 2:
            self.closed_handouts.append(f"{RUNNERS[i]} at {MOMENTS[moment]}")


counter = st.integers(0, len(COUNTERS) - 1)
runner = st.integers(0, len(RUNNERS) - 1)
step = st.one_of(
    st.tuples(st.just("swap"), runner, runner),
    st.tuples(st.just("escort"), st.sampled_from(sorted(ESCORTS)), st.booleans()),
    st.tuples(st.just("cancel"), runner, st.booleans()),
    st.tuples(st.just("sync"), counter),
    st.tuples(st.just("pickup"), counter, runner, st.booleans(), st.sampled_from((0, 0, 0, 1, 2, 3)),
              st.sampled_from((False, False, False, True))),
    st.tuples(st.just("send"), counter, runner),
    st.tuples(st.just("decide"), counter, st.booleans()),
)


# 550: hypothesis counts a few generated duplicates in max_examples; at least 500 distinct pass.
@settings(max_examples=550, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(steps=st.lists(step, min_size=1, max_size=14), final=st.permutations(range(len(COUNTERS))))
# Found by this test: bib 1 handed to 1001 at counter a, then the organizer swaps bibs 1 and 2; counter b,
# which never synced, learns of the swap only from its pickup claim's news and then must not print a second
# "1" for 1002 (fixed in CheckinDesk.complete, station/store/checkin.py: claim again for the new numbers).
@example(steps=[("pickup", 0, 0, False, 0, False), ("swap", 0, 1), ("pickup", 1, 1, False, 0, False)],
         final=[0, 1, 2])
def test_one_bib_one_right_person(steps: list[tuple], final: list[int]) -> None:
    with tempfile.TemporaryDirectory(dir=MEMORY) as folder:
        expo = Expo(Path(folder))
        try:
            for action in steps:
                expo.run(action)
            for c in final:
                expo.workers[c].sync_once()
            with HubStore.open(expo.root / HUB_FILE, shared=True, create=False) as store:
                pickups = [f for e in (*RUNNERS, *ESCORTS) for f in store.entry(e).facts
                           if f.kind is FactKind.PICKUP]
                conflicts = store.conflicts()
        finally:
            expo.close()

    assert expo.closed_handouts == []  # nothing on race day or outside the hours
    holders: dict[str, set[str]] = {}
    for f in pickups:
        holders.setdefault(str(f.payload["bib"]), set()).add(str(f.entry_no))
    assert all(len(entries) == 1 for entries in holders.values()), holders
    runner_bibs: dict[str, set[str]] = {}
    for f in pickups:
        if f.payload.get("role") == "runner":
            runner_bibs.setdefault(PERSON[str(f.entry_no)], set()).add(str(f.entry_no))
    assert all(len(entries) == 1 for entries in runner_bibs.values()), runner_bibs
    for f in pickups:
        if f.payload.get("role") == "escort":
            runner_no = str(f.payload["runner"])
            assert PERSON[str(f.entry_no)] != PERSON[runner_no], f  # an escort is another person
            assert any(p.entry_no == runner_no and p.payload.get("role") == "runner"
                       and p.station_id == f.station_id for p in pickups), f
    assert conflicts == []  # online, the hub let one counter hand each entry out
