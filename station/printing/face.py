"""What goes on a bib, decided before anything is drawn."""

from __future__ import annotations

from dataclasses import dataclass

from station.core.block_colours import DEFAULT_BLOCK_COLOURS, NO_BLOCK_COLOUR  # noqa: F401 (re-exported)
from station.core.errors import StationError
from station.core.event import EventSettings
from station.core.models import Category, Entrant
from station.core.nickname import NicknameCheck

# Start block colours: the event's own (EventSettings.block_colours), else the
# default palette A-Z in core/block_colours.py.
BLOCK_COLOURS = DEFAULT_BLOCK_COLOURS

CATEGORY_LABELS: dict[Category, tuple[str, str]] = {
    Category.ATHLETE: ("登録", "ATHLETE"),
    Category.GENERAL: ("一般", "GENERAL"),
    Category.CHARITY: ("チャリティ", "CHARITY"),
    Category.DISABILITY: ("視覚障がい等", "PARA"),
    Category.YOUTH: ("ユース", "YOUTH"),
    Category.FUN_RUN: ("ファンラン", "FUN RUN"),
}


@dataclass(frozen=True, slots=True)
class BibFace:
    event_name: str
    bib: str
    nickname: str  # already checked; "" prints no nickname line
    start_block: str
    block_colour: str  # "#rrggbb"
    category: str  # as printed, Japanese and English
    escorting_bib: str | None = None  # an escort's bib: the runner they guide
    code: str = ""  # what the QR code holds: the bib id

    @property
    def is_escort(self) -> bool:
        return self.escorting_bib is not None


def bib_face(
    entrant: Entrant,
    settings: EventSettings,
    nickname: NicknameCheck,
    *,
    runner: Entrant | None = None,
) -> BibFace:
    """The face of `entrant`'s bib; an escort's bib names `runner`'s bib
    (the entrant they guide, looked up in the event package by the caller).

    A nickname that is refused or waits for a supervisor prints nothing: the
    bib goes out without it rather than with a word nobody approved."""
    if entrant.is_escort and runner is None:
        raise StationError(
            f"Bib {entrant.bib} is an escort's: look up the runner ({entrant.escort_of}) "
            "in the event package so the bib can name the runner's number."
        )
    # An escort runs beside the runner: the escort's bib shows the runner's block.
    shown = runner if entrant.is_escort and runner is not None else entrant
    block = shown.start_block.strip().upper()
    ja, en = CATEGORY_LABELS.get(entrant.category, (entrant.category.value, entrant.category.value))
    return BibFace(
        event_name=settings.name,
        bib=entrant.bib,
        nickname=nickname.printed if nickname.printable else "",
        start_block=block,
        block_colour=settings.block_colour(block),
        category=f"{ja} {en}",
        escorting_bib=runner.bib if runner is not None and entrant.is_escort else None,
        code=f"{settings.event_id}:{entrant.bib}",
    )
