"""Where the files we ship (migrations, assets) are, in a checkout, a wheel or a bundle."""

from __future__ import annotations

import sys
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def resource_root() -> Path:
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:  # PyInstaller one-folder build: station.spec puts db/ and assets/ here
        return Path(frozen)
    installed = _PACKAGE / "_resources"
    if installed.is_dir():  # a wheel (pyproject force-include)
        return installed
    return _PACKAGE.parent  # a checkout or an editable install


def migrations_dir(kind: str) -> Path:
    return resource_root() / "db" / kind


def asset(*parts: str) -> Path:
    return resource_root().joinpath("assets", *parts)


def samples_dir() -> Path:
    return resource_root() / "samples"
