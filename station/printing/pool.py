"""A counter's printer pool: the printers it may use, in order, and which are out.

No Qt and no threads here; the print worker owns one pool and asks it, for
every job, which printers to try and in what order. A printer seen failing
is taken out until it answers again (its health says it can print); where
nothing can be asked about a printer's health, a printer that is out is
tried again only after every printer still in the pool has failed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from station.core.errors import StationError
from station.core.payloads import PrinterPoolPayload
from station.printing.health import HealthSource, PrinterHealth


class PoolChangeKind(StrEnum):
    MOVED = "moved"  # a job left one printer for the next
    OUT = "out"  # a printer was taken out of the pool
    BACK = "back"  # a printer that was out answers again


@dataclass(frozen=True, slots=True)
class PoolChange:
    """One change of the pool; the print worker records each as a PRINTER_POOL fact."""

    change: PoolChangeKind
    printer: str
    to: str | None = None  # MOVED: the next printer tried
    problem: str = ""  # why (a PrinterProblem value)
    detail: str = ""
    job_id: str = ""
    entry_no: str | None = None
    bib: str = ""

    def payload(self) -> dict[str, Any]:
        """The PRINTER_POOL fact's payload (empty texts left out)."""
        return PrinterPoolPayload(change=self.change.value, printer=self.printer, to=self.to,
                                  problem=self.problem or None, detail=self.detail or None,
                                  job_id=self.job_id or None, bib=self.bib or None).to_payload()


@dataclass(slots=True)
class PrinterPool:
    printers: tuple[str, ...]
    health: HealthSource | None = None  # None: nothing can be asked; a job tells
    places: Mapping[str, str] = field(default_factory=dict)  # printer -> where to collect ("table 3")
    out: dict[str, str] = field(default_factory=dict)  # printer -> the problem it was taken out for

    def __post_init__(self) -> None:
        self.printers = tuple(dict.fromkeys(name.strip() for name in self.printers if name.strip()))
        if not self.printers:
            raise StationError("The printer pool is empty: set `printer_pool` (or `printer`) in the settings.")

    @classmethod
    def of(cls, printers: Iterable[str], *, health: HealthSource | None = None,
           places: Mapping[str, str] | None = None) -> PrinterPool:
        return cls(tuple(printers), health, dict(places or {}))

    def place(self, printer: str) -> str:
        return self.places.get(printer, "")

    def readmit(self) -> list[PrinterHealth]:
        """Ask the printers that are out; those that can print again are back in."""
        if self.health is None:
            return []
        back: list[PrinterHealth] = []
        for printer in [p for p in self.printers if p in self.out]:
            state = self.health(printer)
            if state.can_print:
                del self.out[printer]
                back.append(state)
        return back

    def take_out(self, printer: str, problem: str) -> bool:
        """True when the printer was in the pool until now."""
        was_in = printer not in self.out
        self.out[printer] = problem
        return was_in

    def bring_back(self, printer: str) -> bool:
        return self.out.pop(printer, None) is not None

    def bring_all_back(self) -> list[str]:
        """A volunteer's "print again": they say the printers are fixed."""
        back = [p for p in self.printers if p in self.out]
        self.out.clear()
        return back

    def order(self, prefer: str | None = None) -> list[str]:
        """The printers to try for one job, in turn."""
        inside = [p for p in self.printers if p not in self.out]
        if prefer and prefer in inside:
            inside.remove(prefer)
            inside.insert(0, prefer)
        if self.health is None:  # nobody can tell us they are back: last resort
            inside += [p for p in self.printers if p in self.out]
        return inside
