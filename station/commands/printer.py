"""`station printer status` and `station printer loaded NAME`: the counter's printer pool.

`status` prints each printer of the pool, in the order the counter tries
them, with its health and the pages left; `loaded` says a full tray or a new
roll went into a printer (the page counter starts again).
"""

from __future__ import annotations

import click

from station.core.errors import StationError


def _pool() -> tuple[list[str], dict[str, str]]:
    from station import settings as settings_module

    settings = settings_module.load()
    pool = [p for p in dict.fromkeys(settings.printer_pool or [settings.printer, settings.backup_printer]) if p]
    return pool, dict(settings.printer_places)


@click.group()
def printer() -> None:
    """The counter's printers: health, pages left, a new roll or tray."""


@printer.command()
def status() -> None:
    """Each printer of the pool: health and pages left (exit 1 when none can print)."""
    from station import settings as settings_module
    from station.printing.health import default_health
    from station.printing.media import MediaCounter, counter_file

    settings = settings_module.load()
    pool, places = _pool()
    if not pool:
        raise StationError("No printer is set: set `printer_pool` (or `printer`) in the settings.")
    counter = MediaCounter(counter_file(settings_module.Folders.current().data), settings.media_pages)
    usable = 0
    ask = default_health()
    for n, name in enumerate(pool, start=1):
        health = ask(name)
        usable += health.can_print
        place = f" — {places[name]}" if name in places else ""
        click.echo(f"{n}. {health.text('en')}{place}")
        click.echo(f"   {counter.status(name).text('en', named=False)}")
    if not usable:
        raise StationError("No printer of the pool can print; see above.")


@printer.command()
@click.argument("name")
def loaded(name: str) -> None:
    """NAME got a full tray or a new roll: its page counter starts again."""
    from station import settings as settings_module
    from station.printing.media import MediaCounter, counter_file

    settings = settings_module.load()
    pool, _ = _pool()
    if name not in pool:
        raise StationError(f"{name!r} is not one of this counter's printers ({', '.join(pool) or 'none'}); "
                           "check the name with `station printer status`.")
    counter = MediaCounter(counter_file(settings_module.Folders.current().data), settings.media_pages)
    click.echo(counter.loaded(name).text("en"))
