"""Write the verdict sounds to assets/sounds/ (deterministic; standard library only).

done: two rising tones, the chime: the pickup is recorded (the only happy sound).
ready: one soft mid tone: checks passed, now hand over (nothing is recorded yet).
attention: one middle tone, twice (needs ID/escort).
stop: a low buzz, twice (refused).
supervisor: three short falling tones (call the supervisor).
problem: a low tone, then a high one, three times (the printer failed).
Distinct in pitch and rhythm, so a volunteer who does not look at the colour still knows.
"""

from __future__ import annotations

import math
import struct
import wave
from pathlib import Path

RATE = 22050
OUT = Path(__file__).resolve().parents[1] / "assets" / "sounds"


def tone(freq: float, ms: int, volume: float = 0.35, square: bool = False) -> list[float]:
    count = int(RATE * ms / 1000)
    fade = int(RATE * 0.01)
    samples = []
    for i in range(count):
        wave_value = math.sin(2 * math.pi * freq * i / RATE)
        if square:
            wave_value = 0.6 * (1 if wave_value >= 0 else -1) + 0.4 * wave_value
        envelope = min(1.0, i / fade, (count - i) / fade)
        samples.append(volume * envelope * wave_value)
    return samples


def silence(ms: int) -> list[float]:
    return [0.0] * int(RATE * ms / 1000)


def write(name: str, samples: list[float]) -> None:
    with wave.open(str(OUT / f"{name}.wav"), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(RATE)
        out.writeframes(b"".join(struct.pack("<h", int(s * 32767)) for s in samples))


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    write("done", tone(880, 110) + silence(30) + tone(1320, 170))
    write("ready", tone(740, 90, volume=0.25))
    write("supervisor", tone(988, 100) + silence(50) + tone(784, 100) + silence(50) + tone(587, 160))
    write("problem", (tone(330, 90, square=True) + tone(660, 90, square=True) + silence(60)) * 3)
    write("attention", tone(660, 150) + silence(90) + tone(660, 150))
    write("stop", tone(196, 220, square=True) + silence(80) + tone(196, 320, square=True))


if __name__ == "__main__":
    main()
