"""The files a purge must reach beyond the event package, the logs and the hub:
counters' copies of the package, leftovers of downloads, the station's own log
files, and printed bib PDFs left in temporary and PDF-printer folders.

`sweep` removes (or, for package copies, purges in place) what it finds and
says what it removed and what it could not reach; nothing is silently skipped.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from station.core.ids import check_event_id

# The job titles our printing uses ("Bib A1001"), as CUPS-PDF and Qt name their files.
CUPS_PDF_ROOT = Path("/var/spool/cups-pdf")
MAX_DEPTH = 2  # folders below a swept folder (a print job's own temp folder)
_BIB_PDF = re.compile(r"^(job_\d+-)?Bib[ _-].*\.pdf$", re.IGNORECASE)


@dataclass
class Swept:
    removed: list[str] = field(default_factory=list)
    purged: list[str] = field(default_factory=list)
    unreachable: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        out = [f"removed {p}" for p in self.removed]
        out += [f"purged {p}" for p in self.purged]
        out += [f"COULD NOT REACH {p}" for p in self.unreachable]
        return out


def pdf_folders(extra: Iterable[Path] = ()) -> list[Path]:
    """Where printed bibs may lie: the temp folder, CUPS-PDF's usual outputs, and any given.
    A station run with BIB_STATION_HOME (a portable install, the tests) keeps to that folder."""
    from station.settings import HOME_VARIABLE

    own_home = os.environ.get(HOME_VARIABLE)
    if own_home:
        inside = [Path(own_home) / "tmp", Path(own_home) / "PDF", *extra]
        return [c for c in dict.fromkeys(inside) if c.is_dir()]
    home = Path.home()
    user = os.environ.get("USER", "")
    candidates = [Path(tempfile.gettempdir()), home / "PDF", CUPS_PDF_ROOT / user,
                  CUPS_PDF_ROOT / "ANONYMOUS", *extra]
    return [c for c in dict.fromkeys(candidates) if c.is_dir()]


def sweep(event_id: str, data: Path, logs: Path, pdf_dirs: Iterable[Path],
          purge_package: Callable[[Path], int], skip: Iterable[Path] = ()) -> Swept:
    check_event_id(event_id)
    done = Swept()
    skipped = {p.resolve() for p in skip}
    events = data / "events"
    for copy in sorted(events.glob("*.sqlite")) if events.is_dir() else []:
        if copy.resolve() in skipped or not _is_event(copy, event_id):
            continue
        try:
            purge_package(copy)
            done.purged.append(str(copy))
        except Exception as exc:  # one unreadable copy must not stop the rest; it is reported
            done.unreachable.append(f"{copy} ({exc})")
    leftovers = [*events.glob("*.partial"), *events.glob("from-hub.sqlite*")] if events.is_dir() else []
    logfiles = sorted(p for p in logs.iterdir() if p.is_file()) if logs.is_dir() else []
    pdfs = [p for folder in pdf_folders(pdf_dirs) for p in _walk(folder) if _BIB_PDF.match(p.name)]
    for path in dict.fromkeys([*leftovers, *logfiles, *pdfs]):
        _remove(path, done)
    return done


def _is_event(path: Path, event_id: str) -> bool:
    from station.store.event_package import EventPackage

    try:
        package = EventPackage.open(path)
    except Exception:
        return path.stem == event_id
    try:
        return package.settings.event_id == event_id
    finally:
        package.close()


def _walk(folder: Path) -> Iterable[Path]:
    base = len(folder.parts)
    try:
        for root, dirs, files in os.walk(folder):
            if len(Path(root).parts) - base >= MAX_DEPTH:
                dirs[:] = []
            for name in files:
                yield Path(root) / name
    except OSError:
        return


def _remove(path: Path, done: Swept) -> None:
    try:
        size = path.stat().st_size
        with path.open("r+b") as fh:  # overwrite first: a deleted file's blocks are not gone
            fh.write(b"\0" * size)
        path.unlink()
        done.removed.append(str(path))
    except OSError as exc:
        done.unreachable.append(f"{path} ({exc.strerror or exc})")
