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
    "category": ("category", ("種目", "部門", "参加区分", "category", "division")),
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
    """Read a TOML override: [columns] "header in the file" = "field"."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise RosterFileError(f"Column mapping file {path} does not exist.") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise RosterFileError(f"Column mapping file {path} is not valid TOML: {exc}") from None
    columns = data.get("columns")
    if not isinstance(columns, dict):
        raise RosterFileError(f"Column mapping file {path} needs a [columns] table.")
    for header, field in columns.items():
        if field not in FIELDS:
            raise RosterFileError(
                f"Column mapping file {path}: {header!r} maps to unknown field {field!r}; "
                f"fields are {', '.join(FIELDS)}."
            )
    return dict(columns)


def resolve_header(header: list[str], extra: Mapping[str, str] | None = None) -> tuple[dict[str, int], list[str]]:
    """Field -> column index for a file's header row, plus the ignored headers."""
    mapping = default_map()
    for given, field in (extra or {}).items():
        mapping[normalise_header(given)] = field
    found: dict[str, int] = {}
    ignored: list[str] = []
    for index, name in enumerate(header):
        known = mapping.get(normalise_header(name))
        if known is None or known in found:
            if name.strip():
                ignored.append(name)
            continue
        found[known] = index
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
