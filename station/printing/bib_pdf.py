"""One entrant's bib as a PDF, as the counter would print it (`station selfcheck checkin`)."""

from __future__ import annotations

from pathlib import Path

from station.core.models import Entrant
from station.printing.confirmation_sheet import _ensure_gui_application
from station.printing.face import bib_face
from station.printing.layout import render_pdf
from station.printing.nicknames import nickname_checker
from station.store.event_package import EventPackage


def bib_pdf(entrant: Entrant, package: EventPackage, pdf_path: Path) -> Path:
    _ensure_gui_application()  # QPdfWriter and the bib font need one
    rules = package.settings
    face = bib_face(entrant, rules, nickname_checker(package).check(entrant))
    pdf_path.parent.mkdir(parents=True, exist_ok=True)
    return render_pdf(face, rules.bib_layout, pdf_path, title=f"Bib {face.bib}")
