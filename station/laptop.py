"""Which laptop this is: the id a hub binds a provisioning code to.

It combines the operating system's machine id (/etc/machine-id, Windows'
MachineGuid) with a random id kept in this account's data folder, so two
stations started from one disk image differ once the image's machine id is
regenerated, and two test homes on one machine differ too.
"""

from __future__ import annotations

import hashlib
import sys
import uuid
from pathlib import Path

from station.settings import Folders

LAPTOP_FILE = "laptop-id"


def machine_id() -> str:
    if sys.platform == "win32":
        try:
            import winreg

            with winreg.OpenKey(winreg.HKEY_LOCAL_MACHINE, r"SOFTWARE\Microsoft\Cryptography") as key:
                return str(winreg.QueryValueEx(key, "MachineGuid")[0])
        except OSError:
            pass
    for path in ("/etc/machine-id", "/var/lib/dbus/machine-id"):
        try:
            text = Path(path).read_text().strip()
        except OSError:
            continue
        if text:
            return text
    return f"{uuid.getnode():012x}"


def laptop_id(folders: Folders | None = None) -> str:
    folders = folders or Folders.current()
    path = folders.data / LAPTOP_FILE
    try:
        own = path.read_text(encoding="ascii").strip()
    except OSError:
        own = ""
    if len(own) != 32:
        own = uuid.uuid4().hex
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(own + "\n", encoding="ascii")
    return hashlib.sha256(f"{machine_id()}:{own}".encode()).hexdigest()[:32]
