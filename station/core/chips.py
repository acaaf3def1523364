"""A chip tag is a chip tag: what the event says its timing chips' tags look
like, and why anything else scanned while a chip is pending is refused.

The default is an EPC-96 UHF tag as scanners print it (24 hexadecimal
characters, e.g. E2801160600002084A1B2C3D); an event declares its own with
`EventSettings.chip_tag_pattern` (a regular expression the whole tag must match).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from station.core.texts import Text

DEFAULT_CHIP_PATTERN = r"[0-9A-Fa-f]{24}"
MAX_TAG_CHARS = 64


_SCAN_THE_CHIP = Text("計測チップ本体のタグを読み取ってください。", "Scan the tag on the timing chip itself.")


@dataclass(frozen=True, slots=True)
class ChipRefusal:
    text: Text
    next: Text = _SCAN_THE_CHIP


def check_chip_tag(tag: str, pattern: str, *, names_entry: str | None = None,
                   is_confirmation: bool = False) -> ChipRefusal | None:
    """None when `tag` may be paired as the runner's chip. `names_entry`: the
    entry this text is the number of (the caller looks it up in the roster)."""
    text = tag.strip()
    if is_confirmation:
        return ChipRefusal(Text("それは参加確認書のコードで、計測チップのタグではありません。",
                                "That is a participation confirmation, not a chip tag."))
    if names_entry is not None:
        return ChipRefusal(Text("それは受付番号 {entry_no} の番号（別の方の用紙？）で、"
                                "計測チップのタグではありません。",
                                "That is entry {entry_no}'s number (another runner's printout?), "
                                "not a chip tag.")(entry_no=names_entry))
    if "://" in text or text.lower().startswith("www."):
        return ChipRefusal(Text("それはURLで、計測チップのタグではありません。",
                                "That is a web address, not a chip tag."))
    if not text or len(text) > MAX_TAG_CHARS or re.fullmatch(pattern, text) is None:
        shown = text[:30] + ("…" if len(text) > 30 else "")
        return ChipRefusal(Text("「{tag}」はこの大会の計測チップのタグの形式ではありません。登録していません。",
                                "'{tag}' does not look like this event's chip tags; it was not paired.")(
                                    tag=shown))
    return None


def valid_pattern(pattern: str) -> bool:
    try:
        re.compile(pattern)
    except re.error:
        return False
    return True
