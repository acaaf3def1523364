"""The verdict's sound, played by the operating system so the counter never waits on it."""

from __future__ import annotations

import logging
import shutil
import subprocess
import sys

from station.core.verdict import Outcome
from station.resources import asset
from station.system_env import system_env

log = logging.getLogger(__name__)

# One sound per class of outcome. "done" (the chime) is only for a recorded
# pickup; READY (hand over now, nothing recorded yet) has its own soft tone.
DONE = "done"
PRINT_PROBLEM = "problem"
SOUND_FOR: dict[Outcome | str, str] = {
    Outcome.READY: "ready",
    Outcome.NEEDS_ID: "attention",
    Outcome.NEEDS_ESCORT: "attention",
    Outcome.REFUSED: "stop",
    Outcome.SUPERVISOR: "supervisor",
    DONE: "done",
    PRINT_PROBLEM: "problem",
}


class SoundPlayer:
    """Plays a short WAV asynchronously: winsound on Windows, aplay/paplay elsewhere.

    A machine with no audio player (a CI box) plays nothing and says so once in
    the log; the band's colour, icon and words carry the verdict anyway.
    """

    def __init__(self, enabled: bool = True) -> None:
        self.enabled = enabled
        self.played: list[str] = []  # what was asked for, newest last (tests and the log)
        self._player = None if sys.platform == "win32" else (shutil.which("paplay") or shutil.which("aplay"))
        self._warned = False

    def play(self, outcome: Outcome | str) -> None:
        name = SOUND_FOR[outcome]
        self.played.append(name)
        if not self.enabled:
            return
        path = asset("sounds", f"{name}.wav")
        try:
            if sys.platform == "win32":
                import winsound

                winsound.PlaySound(str(path), winsound.SND_FILENAME | winsound.SND_ASYNC | winsound.SND_NODEFAULT)
            elif self._player:
                subprocess.Popen([self._player, "-q", str(path)] if self._player.endswith("aplay")
                                 else [self._player, str(path)],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=system_env())
            elif not self._warned:
                self._warned = True
                log.info("no audio player (aplay/paplay) on this machine: verdicts are silent")
        except OSError as exc:
            log.warning("could not play %s: %s", name, exc)
