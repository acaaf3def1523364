"""A printer's health before a job: ready, paused, offline, out of paper, door open.

One type for every platform: `PrinterHealth`, told by a `HealthSource`. Where
CUPS runs (Linux, macOS) `CupsHealth` reads `lpstat -l -p`: the queue's state
line, the reason the queue was stopped and the printer's alerts (IPP
printer-state-reasons). The Windows spooler adapter
(printing/windows_spooler.py) implements the same `HealthSource` protocol.

No Qt here: the print worker, `station selfcheck` and the Station tab all ask
the same question the same way.
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

from station.system_env import system_env


class PrinterCondition(StrEnum):
    READY = "ready"
    UNKNOWN = "unknown"  # nothing can be asked here (no CUPS, no spooler): try and see
    NOT_INSTALLED = "not_installed"
    PAUSED = "paused"  # the queue was stopped by hand (cupsdisable, "Pause printing")
    OFFLINE = "offline"
    OUT_OF_PAPER = "out_of_paper"
    DOOR_OPEN = "door_open"
    PAPER_JAM = "paper_jam"

    @property
    def can_print(self) -> bool:
        return self in (PrinterCondition.READY, PrinterCondition.UNKNOWN)


_TEXTS: dict[PrinterCondition, tuple[str, str]] = {
    PrinterCondition.READY: ("準備完了", "ready"),
    PrinterCondition.UNKNOWN: ("状態不明（印刷して確認）", "state unknown (tried when printing)"),
    PrinterCondition.NOT_INSTALLED: ("未インストール", "not installed"),
    PrinterCondition.PAUSED: ("一時停止中", "paused"),
    PrinterCondition.OFFLINE: ("オフライン", "offline"),
    PrinterCondition.OUT_OF_PAPER: ("用紙切れ", "out of paper"),
    PrinterCondition.DOOR_OPEN: ("カバーが開いています", "door open"),
    PrinterCondition.PAPER_JAM: ("紙詰まり", "paper jam"),
}


def condition_text(condition: PrinterCondition, language: str = "en") -> str:
    ja, en = _TEXTS[condition]
    return ja if language == "ja" else en


@dataclass(frozen=True, slots=True)
class PrinterHealth:
    printer: str
    condition: PrinterCondition
    detail: str = ""  # what the spooler said, for the supervisor

    @property
    def can_print(self) -> bool:
        return self.condition.can_print

    def text(self, language: str = "en") -> str:
        said = condition_text(self.condition, language)
        return f"{self.printer}: {said}" + (f" ({self.detail})" if self.detail else "")


class HealthSource(Protocol):
    """Tells one printer's health; must not take longer than a few seconds."""

    def __call__(self, printer: str) -> PrinterHealth: ...


# IPP printer-state-reasons and the words drivers put in a stop reason, most
# specific first (a printer out of paper is often also "stopped").
_REASONS: tuple[tuple[tuple[str, ...], PrinterCondition], ...] = (
    (("media-empty", "media-needed", "out of paper", "paper out", "media-low-error"), PrinterCondition.OUT_OF_PAPER),
    (("media-jam", "paper jam", "jam"), PrinterCondition.PAPER_JAM),
    (("door-open", "cover-open", "door open", "cover open", "interlock-open"), PrinterCondition.DOOR_OPEN),
    (("offline", "unable to connect", "connecting-to-device", "not responding", "shutdown",
      "timed-out", "unreachable"), PrinterCondition.OFFLINE),
)


def parse_lpstat(printer: str, output: str, returncode: int = 0) -> PrinterHealth:
    """The health `lpstat -l -p PRINTER` describes (its stdout and stderr together)."""
    text = output.lower()
    if returncode != 0 or "invalid destination" in text or "unknown destination" in text \
            or "no destinations added" in text:
        return PrinterHealth(printer, PrinterCondition.NOT_INSTALLED, output.strip()[:200])
    lines = [line.strip() for line in output.splitlines()]
    state = next((line for line in lines if line.lower().startswith("printer ")), "")
    alerts = next((line.split(":", 1)[1].strip() for line in lines if line.lower().startswith("alerts:")), "")
    disabled = " disabled since " in f" {state.lower()} "
    # The stop reason is the line right after a disabled queue's state line.
    reason = ""
    if disabled and state in lines:
        after = lines.index(state) + 1
        if after < len(lines) and not lines[after].lower().startswith(("form mounted", "alerts:")):
            reason = lines[after]
    said = f"{alerts} {reason}".lower()
    for words, condition in _REASONS:
        if any(word in said for word in words):
            return PrinterHealth(printer, condition, (reason or alerts)[:200])
    if disabled:
        return PrinterHealth(printer, PrinterCondition.PAUSED, (reason or "paused")[:200])
    if "not accepting" in text:
        return PrinterHealth(printer, PrinterCondition.PAUSED, "not accepting jobs")
    return PrinterHealth(printer, PrinterCondition.READY)


@dataclass(frozen=True, slots=True)
class CupsHealth:
    """Health from `lpstat`; UNKNOWN where CUPS is not installed."""

    timeout_s: float = 5.0

    def __call__(self, printer: str) -> PrinterHealth:
        lpstat = shutil.which("lpstat")
        if lpstat is None:
            return PrinterHealth(printer, PrinterCondition.UNKNOWN, "no CUPS here")
        try:
            run = subprocess.run([lpstat, "-l", "-p", printer], capture_output=True, text=True,
                                 timeout=self.timeout_s, check=False, env=system_env())
        except (OSError, subprocess.TimeoutExpired) as exc:
            return PrinterHealth(printer, PrinterCondition.UNKNOWN, str(exc))
        health = parse_lpstat(printer, run.stdout + run.stderr, run.returncode)
        if health.condition is PrinterCondition.READY:
            accepting = subprocess.run([lpstat, "-a", printer], capture_output=True, text=True,
                                       timeout=self.timeout_s, check=False, env=system_env())
            if "not accepting" in accepting.stdout.lower():
                return PrinterHealth(printer, PrinterCondition.PAUSED, "not accepting jobs (cupsreject)")
        return health


def cups_health(printer: str) -> PrinterHealth:
    return CupsHealth()(printer)


def always_unknown(printer: str) -> PrinterHealth:
    """For a printer nothing can be asked about: the job itself tells."""
    return PrinterHealth(printer, PrinterCondition.UNKNOWN)


def default_health() -> HealthSource:
    """CUPS where it runs; else the Windows spooler adapter's `spooler_health`
    (printing/windows_spooler.py) when it is there; else nothing to ask."""
    if shutil.which("lpstat") is not None:
        return cups_health
    try:
        from station.printing import windows_spooler  # type: ignore[attr-defined]
    except ImportError:
        return always_unknown
    source: HealthSource = getattr(windows_spooler, "spooler_health", always_unknown)
    return source
