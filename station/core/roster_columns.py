"""The column map: which header in a registration export means which field.

Japanese registration systems and Excel sheets name their columns in many ways;
each field lists the headers we know. A header matches after normalisation
(NFKC, case, spaces and punctuation ignored), so "ＢＩＢ　Ｎｏ．" matches "bib no".
An organizer whose export uses other names passes a small TOML file:

    [columns]
    "ｾﾞｯｹﾝ" = "bib"
    "Runner ID" = "entry_no"

docs/ROSTER_FORMAT.md documents this table; a test keeps the two in step.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from collections.abc import Mapping
from pathlib import Path

from station.core.errors import RosterFileError

# field -> (human label, known headers)
FIELDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "entry_no": (
        "entry number",
        ("受付番号", "エントリー番号", "申込番号", "entry no", "entry number", "entry_no", "entry id"),
    ),
    "bib": (
        "bib number",
        ("ナンバーカード番号", "ナンバーカード", "ゼッケン番号", "ゼッケン", "bib", "bib no", "bib number"),
    ),
    "family_kanji": ("family name (kanji)", ("姓", "姓(漢字)", "氏名(姓)", "family_kanji", "family name kanji")),
    "given_kanji": ("given name (kanji)", ("名", "名(漢字)", "氏名(名)", "given_kanji", "given name kanji")),
    "family_kana": (
        "family name (kana)",
        ("セイ", "姓(カナ)", "姓(フリガナ)", "フリガナ(姓)", "姓(ふりがな)", "family_kana", "family name kana"),
    ),
    "given_kana": (
        "given name (kana)",
        ("メイ", "名(カナ)", "名(フリガナ)", "フリガナ(名)", "名(ふりがな)", "given_kana", "given name kana"),
    ),
    "family_latin": (
        "family name (Latin)",
        ("姓(ローマ字)", "姓(英字)", "family name", "last name", "surname", "family_latin"),
    ),
    "given_latin": ("given name (Latin)", ("名(ローマ字)", "名(英字)", "given name", "first name", "given_latin")),
    "sex": ("sex", ("性別", "sex", "gender")),
    "birth_date": ("date of birth", ("生年月日", "date of birth", "birth date", "birthdate", "dob", "birthday")),
    "nationality": ("nationality", ("国籍", "nationality", "country")),
    "category": ("category", ("部門", "カテゴリー", "カテゴリ", "参加区分", "区分", "category", "division")),
    "start_block": ("start block", ("スタートブロック", "ブロック", "start block", "block", "corral")),
    "nickname": ("nickname", ("ニックネーム", "愛称", "nickname", "name on bib")),
    "katakana_requested": (
        "katakana conversion",
        ("カタカナ変換", "カタカナ変換希望", "katakana", "katakana conversion"),
    ),
    "shirt_size": (
        "shirt size",
        ("Tシャツサイズ", "シャツサイズ", "ウェアサイズ", "shirt size", "t-shirt size", "shirt"),
    ),
    "escort_of": ("escort of", ("伴走対象", "伴走対象受付番号", "伴走する選手の受付番号", "escort of", "guide for")),
    "disability": ("disability", ("障がい", "障害", "障がい者", "disability")),
    "phone": ("phone", ("電話番号", "電話", "phone", "tel")),
    "email": ("e-mail", ("メールアドレス", "メール", "e-mail", "email")),
}

# Headers that mean a field only when no column above names it. Kyoto-style
# exports carry both 種目 (the race: マラソン, 10km) and 部門 (一般, 登録):
# 部門 is the category then, and 種目 is reported as not used.
FALLBACK: dict[str, tuple[str, ...]] = {
    "category": ("種目",),
}

# The `--columns` target that drops a column without reporting it.
IGNORE = "ignore"

REQUIRED = ("entry_no", "bib", "birth_date", "category")
NAME_FIELDS = ("family_kanji", "family_kana", "family_latin")

_PUNCTUATION = re.compile(r"[\s_\-.・()（）:：/]")


def normalise_header(header: str) -> str:
    return _PUNCTUATION.sub("", unicodedata.normalize("NFKC", header).casefold())


def default_map() -> dict[str, str]:
    """Normalised header -> field."""
    mapping: dict[str, str] = {}
    for field, (_, headers) in FIELDS.items():
        for header in (field, *headers):
            mapping[normalise_header(header)] = field
    return mapping


def load_mapping_file(path: Path) -> dict[str, str]:
    """Read a TOML override: [columns] "header in the file" = "field" (or "ignore")."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise RosterFileError(f"Column mapping file {path} does not exist.") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise RosterFileError(f"Column mapping file {path} is not valid TOML: {exc}") from None
    columns = data.get("columns")
    if not isinstance(columns, dict):
        raise RosterFileError(f"Column mapping file {path} needs a [columns] table.")
    return _checked(columns, f"Column mapping file {path}")


def parse_mapping(text: str) -> dict[str, str]:
    """`--columns` given inline: "種目=ignore,Runner ID=entry_no"."""
    pairs: dict[str, str] = {}
    for part in text.split(","):
        if not part.strip():
            continue
        header, sep, field = part.partition("=")
        if not sep or not header.strip():
            raise RosterFileError(
                f"--columns {text!r}: write HEADER=FIELD pairs separated by commas, "
                "or give a TOML file (see docs/ROSTER_FORMAT.md)."
            )
        pairs[header.strip()] = field.strip()
    return _checked(pairs, "--columns")


def _checked(columns: Mapping[str, object], where: str) -> dict[str, str]:
    for header, field in columns.items():
        if field != IGNORE and field not in FIELDS:
            raise RosterFileError(
                f"{where}: {header!r} maps to unknown field {field!r}; "
                f"fields are {', '.join(FIELDS)}, or {IGNORE} to drop the column."
            )
    return {str(k): str(v) for k, v in columns.items()}


def resolve_header(header: list[str], extra: Mapping[str, str] | None = None) -> tuple[dict[str, int], list[str]]:
    """Field -> column index for a file's header row, plus the headers not used.

    The organizer's own mapping (`extra`) wins over the known words; a column
    mapped to "ignore" is dropped silently. Unknown columns are reported,
    never fatal; only a missing required field is."""
    mapping = default_map()
    explicit = {normalise_header(given): field for given, field in (extra or {}).items()}
    fallback = {normalise_header(h): f for f, headers in FALLBACK.items() for h in headers}
    found: dict[str, int] = {}
    ignored: list[str] = []
    later: list[tuple[int, str]] = []
    # explicit first, then the known words, then the fallbacks
    for index, name in enumerate(header):
        key = normalise_header(name)
        field = explicit.get(key)
        if field == IGNORE:
            continue
        if field is not None and field not in found:
            found[field] = index
            continue
        later.append((index, name))
    rest: list[tuple[int, str]] = []
    for index, name in later:
        key = normalise_header(name)
        field = None if key in explicit else mapping.get(key)
        if field is None or field in found:
            rest.append((index, name))
            continue
        found[field] = index
    for index, name in rest:
        field = fallback.get(normalise_header(name))
        if field is not None and field not in found:
            found[field] = index
        elif name.strip():
            ignored.append(name)
    missing = [f for f in REQUIRED if f not in found]
    if missing:
        labels = "; ".join(
            f"{FIELDS[f][0]} (looked for {', '.join(FIELDS[f][1][:4])})" for f in missing
        )
        raise RosterFileError(
            f"The export has no column for {labels}. Rename the header or map it with --columns FILE."
        )
    if not any(f in found for f in NAME_FIELDS):
        raise RosterFileError(
            "The export has no family-name column (kanji, kana or Latin); map one with --columns FILE."
        )
    return found, ignored
