"""The environment for the system's own programs (lpstat, aplay, paplay ...).

A PyInstaller bundle puts its _internal folder first on LD_LIBRARY_PATH so that
the bundle finds its libraries; a system program started with that inherits
the bundle's (possibly older or newer) libssl, libstdc++ or libasound and may
fail. The bootloader keeps the value the user had in LD_LIBRARY_PATH_ORIG.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping

_RESTORED = ("LD_LIBRARY_PATH", "LIBPATH", "DYLD_LIBRARY_PATH")


def system_env(environ: Mapping[str, str] | None = None, *, frozen: bool | None = None) -> dict[str, str]:
    env = dict(os.environ if environ is None else environ)
    if not (getattr(sys, "frozen", False) if frozen is None else frozen):
        return env
    for name in _RESTORED:
        original = env.pop(f"{name}_ORIG", None)
        if original is not None:
            env[name] = original
        else:
            env.pop(name, None)
    return env
