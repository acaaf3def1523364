"""Every module of the package imports: a module that needs a file or a package
the checkout does not have fails here, not in front of a volunteer."""

from __future__ import annotations

import importlib
import pkgutil

import pytest

import station

MODULES = sorted(m.name for m in pkgutil.walk_packages(station.__path__, "station.") if m.name != "station.__main__")


@pytest.mark.parametrize("name", MODULES)
def test_module_imports(name):
    importlib.import_module(name)
