"""THIRD_PARTY_NOTICES: the licences of everything Bib Station ships.

Generated from the installed distributions' own metadata (name, version,
licence, home page and the licence files they ship) when the bundle is built
(station.spec), so the list is exactly what went into that bundle; plus the
parts no Python metadata names: Qt (inside PySide6), FFmpeg (inside OpenCV),
OpenSSL, SQLite, the Python runtime and the bib font.
`station --licences` shows the bundled file (or generates it from a checkout).
"""

from __future__ import annotations

import re
import sys
from importlib import metadata
from pathlib import Path

NOTICES_FILE = "THIRD_PARTY_NOTICES.txt"
ROOT_DISTRIBUTION = "bib-station"

EMBEDDED = """\
Components without Python package metadata of their own
--------------------------------------------------------
Qt 6 (inside PySide6): GNU LGPL v3. Bib Station links Qt dynamically (the
  libQt6*.so / Qt6*.dll files in the _internal folder); you may replace them with
  your own build of the same Qt version. Qt's source: https://download.qt.io/
FFmpeg (inside opencv-python-headless, libavcodec etc.): GNU LGPL v2.1 or later,
  dynamically linked. Source: https://ffmpeg.org/ and https://github.com/opencv/opencv-python
OpenSSL (the Python runtime's ssl module and cryptography): Apache License 2.0.
SQLite (the Python runtime's sqlite3 module): public domain.
Python runtime: Python Software Foundation License Version 2.
IPAex Gothic font (assets/fonts/ipaexg.ttf, bibs and the screen's Japanese
  fallback): IPA Font License Agreement v1.0, shipped beside the font.
certifi (the CA bundle used for https hubs without a pinned certificate): MPL 2.0;
  its source is at https://github.com/certifi/python-certifi
"""


def runtime_distributions(root: str = ROOT_DISTRIBUTION) -> list[metadata.Distribution]:
    """`root` and everything it needs at run time (no extras), by name."""
    seen: dict[str, metadata.Distribution] = {}
    pending = [root]
    while pending:
        name = _normal(pending.pop())
        if name in seen:
            continue
        try:
            dist = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            continue
        seen[name] = dist
        for requirement in dist.requires or []:
            if "extra ==" in requirement.replace("extra==", "extra =="):
                continue
            if ";" in requirement and not _marker_holds(requirement.split(";", 1)[1]):
                continue
            pending.append(re.split(r"[\s\[<>=!~;(]", requirement.strip(), maxsplit=1)[0])
    seen.pop(_normal(root), None)
    return sorted(seen.values(), key=lambda d: _normal(d.metadata["Name"]))


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _marker_holds(marker: str) -> bool:
    try:
        from packaging.markers import Marker

        return Marker(marker).evaluate()
    except Exception:
        return True  # unsure: list it rather than leave it out


def licence_of(dist: metadata.Distribution) -> str:
    meta = dist.metadata
    expression = meta.get("License-Expression")
    if expression:
        return expression
    text = (meta.get("License") or "").strip()
    if text and len(text) < 100:
        return text
    classifiers = [c.split("::")[-1].strip() for c in meta.get_all("Classifier") or [] if c.startswith("License ::")]
    return ", ".join(classifiers) or (text.splitlines()[0] if text else "see the licence text below")


def _licence_texts(dist: metadata.Distribution) -> list[tuple[str, str]]:
    texts = []
    for file in dist.files or []:
        name = Path(str(file)).name.upper()
        if "dist-info" in str(file) and re.match(r"^(LICEN[CS]E|COPYING|NOTICE|AUTHORS)", name):
            try:
                texts.append((str(file), file.locate().read_text(encoding="utf-8", errors="replace")))
            except OSError:
                continue
    return texts


def generate(bundled_modules: set[str] | None = None) -> str:
    """`bundled_modules`: top-level module names in the bundle (station.spec passes
    them); a distribution none of whose modules went in is left out."""
    from station import __version__

    parts = [
        f"Bib Station {__version__}: third-party notices\n",
        "Bib Station itself is licensed under the Apache License 2.0 (LICENSE).\n"
        "It ships the following third-party software, each under its own licence.\n",
        EMBEDDED,
        "Python packages (name, version, licence, home page)\n"
        "----------------------------------------------------",
    ]
    distributions = runtime_distributions()
    if bundled_modules is not None:
        shipped = {_normal(d) for module, dists in metadata.packages_distributions().items()
                   if module in bundled_modules for d in dists}
        distributions = [d for d in distributions if _normal(d.metadata["Name"]) in shipped]
    for dist in distributions:
        meta = dist.metadata
        urls = {u.split(",", 1)[0].strip().lower(): u.split(",", 1)[1].strip()
                for u in meta.get_all("Project-URL") or [] if "," in u}
        home = meta.get("Home-page") or next(
            (urls[k] for k in ("homepage", "home", "source", "source code", "repository") if k in urls),
            next(iter(urls.values()), ""))
        parts.append(f"{meta['Name']} {dist.version}: {licence_of(dist)}" + (f"  <{home}>" if home else ""))
    parts.append("\n\nLicence texts as the packages ship them\n=======================================")
    for dist in distributions:
        for file, text in _licence_texts(dist):
            parts.append(f"\n--- {dist.metadata['Name']} {dist.version}: {Path(file).name} ---\n{text.strip()}")
    return "\n".join(parts) + "\n"


def bundled_notices() -> str:
    """The file station.spec generated into the bundle, or a fresh one from a checkout."""
    from station.resources import resource_root

    path = resource_root() / NOTICES_FILE
    if getattr(sys, "frozen", False) and path.is_file():
        return path.read_text(encoding="utf-8")
    return generate()
