from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def demo_package(tmp_path_factory):
    """The real demo event (40,000 entrants), built once per test session."""
    from station.demo import ensure_demo

    return ensure_demo(tmp_path_factory.mktemp("demo")).package
