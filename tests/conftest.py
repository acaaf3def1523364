"""Shared fixtures: every test gets its own settings/data/log folders, never the user's."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # as station/__init__.py, whichever loads NumPy first


@pytest.fixture(autouse=True)
def station_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path_factory.mktemp("station-home")
    monkeypatch.setenv("BIB_STATION_HOME", str(home))
    return home


@pytest.fixture
def kyoto_settings():
    from station.core.event import kyoto_defaults

    return kyoto_defaults("kyoto-test-2027", "Kyoto Test Marathon 2027", dt.date(2027, 2, 21))
