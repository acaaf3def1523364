"""Write the two sample registration exports in samples/ (deterministic).

    .venv/bin/python scripts/make_samples.py

roster-ja-sjis.csv: Shift_JIS (CP932), Japanese headers, the way Japanese
registration systems export. roster-en-utf8.csv: UTF-8, English headers.
Each has a few bad rows on purpose; samples/README.md lists them and a test
checks that `station import` reports exactly those lines.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from pathlib import Path

from station.demo import HEADER, demo_rows

OUT = Path(__file__).resolve().parents[1] / "samples"

JA_HEADER = (
    "受付番号", "ナンバーカード番号", "姓", "名", "セイ", "メイ", "姓（ローマ字）", "名（ローマ字）",
    "性別", "生年月日", "国籍", "種目", "スタートブロック", "ニックネーム", "カタカナ変換希望",
    "Tシャツサイズ", "伴走対象受付番号", "障がい", "電話番号", "メールアドレス",
)
EN_HEADER = (
    "Entry No", "Bib Number", "Family Name (Kanji)", "Given Name (Kanji)", "Family Name (Kana)",
    "Given Name (Kana)", "Family Name", "Given Name", "Sex", "Date of Birth", "Nationality",
    "Category", "Start Block", "Nickname", "Katakana Conversion", "Shirt Size", "Escort Of",
    "Disability", "Phone", "E-mail",
)
COL = {name: i for i, name in enumerate(HEADER)}
JA_CATEGORY = {"general": "一般", "athlete": "登録", "charity": "チャリティ", "disability": "障がい者"}


def split(seed: int) -> tuple[list[list[str]], list[list[str]]]:
    rows = [r for r in demo_rows(230, seed) if not r[COL["escort_of"]]]
    for row in rows:
        row[COL["disability"]] = "0"
    return rows[:188], rows[188:]


def with_(row: list[str], **changes: str) -> list[str]:
    row = list(row)
    for key, value in changes.items():
        row[COL[key]] = value
    return row


def japanese_sample() -> tuple[list[list[str]], list[tuple[str, str]]]:
    base, spare = split(7)
    s = iter(spare)
    runner = base[40]
    bad: list[tuple[int, list[str], str]] = [
        (12, with_(next(s), bib=""), "bib number is empty"),
        (25, with_(next(s), bib=base[10][COL["bib"]]), "duplicate bib"),
        (50, with_(next(s), entry_no=base[20][COL["entry_no"]]), "duplicate entry number"),
        (75, with_(next(s), **{k: base[30][COL[k]] for k in (
            "family_kanji", "given_kanji", "family_kana", "given_kana", "family_latin", "given_latin",
            "birth_date")}), "same person as an earlier row"),
        (100, with_(next(s), birth_date="1990-02-30"), "impossible date"),
        (120, with_(next(s), escort_of="999999"), "escort of an unknown entry"),
        (150, with_(next(s), category="ウルトラ"), "unknown category"),
    ]
    escort = with_(next(s), escort_of=runner[COL["entry_no"]])
    second_escort = with_(next(s), escort_of=runner[COL["entry_no"]])
    escort_of_escort = with_(next(s), escort_of=escort[COL["entry_no"]])
    rows = list(base)
    for position, row, _ in sorted(bad, key=lambda b: b[0], reverse=True):
        rows.insert(position, row)
    rows += [escort, second_escort, escort_of_escort]
    reasons = {id(row): why for _, row, why in bad}
    reasons[id(second_escort)] = "a second escort where the event allows one"
    reasons[id(escort_of_escort)] = "escort of an escort"
    expected = [(str(i + 2), reasons[id(r)]) for i, r in enumerate(rows) if id(r) in reasons]
    return rows, expected


def english_sample() -> tuple[list[list[str]], list[tuple[str, str]]]:
    base, spare = split(11)
    s = iter(spare)
    bad: list[tuple[int, list[str], str]] = [
        (9, [*next(s), "extra"], "a stray extra column"),
        (33, with_(next(s), entry_no=""), "entry number is empty"),
        (58, with_(next(s), sex="Q"), "sex is not M, F or X"),
        (80, with_(next(s), birth_date="2001-13-01"), "impossible date"),
        (104, with_(next(s), birth_date="2031-01-01"), "date of birth in the future"),
        (130, with_(next(s), bib=base[3][COL["bib"]]), "duplicate bib"),
        (155, with_(next(s), **{k: base[60][COL[k]] for k in (
            "family_kanji", "given_kanji", "family_kana", "given_kana", "family_latin", "given_latin",
            "birth_date")}), "same person as an earlier row"),
        (170, with_(next(s), escort_of="123456"), "escort of an unknown entry"),
        (185, with_(next(s), katakana_requested="maybe"), "katakana conversion is not yes/no"),
    ]
    rows = list(base)
    for position, row, _ in sorted(bad, key=lambda b: b[0], reverse=True):
        rows.insert(position, row)
    reasons = {id(row): why for _, row, why in bad}
    expected = [(str(i + 2), reasons[id(r)]) for i, r in enumerate(rows) if id(r) in reasons]
    return rows, expected


def to_japanese(row: list[str]) -> list[str]:
    row = list(row)
    if len(row) != len(HEADER):
        return row
    row[COL["sex"]] = {"M": "男", "F": "女"}.get(row[COL["sex"]], row[COL["sex"]])
    row[COL["birth_date"]] = row[COL["birth_date"]].replace("-", "/")
    row[COL["category"]] = JA_CATEGORY.get(row[COL["category"]], row[COL["category"]])
    row[COL["katakana_requested"]] = "希望" if row[COL["katakana_requested"]] == "1" else ""
    row[COL["disability"]] = "有" if row[COL["disability"]] == "1" else "無"
    return [_shift_jis_safe(value) for value in row]


def _shift_jis_safe(value: str) -> str:
    """What a Japanese registration system stores: accents dropped (Shift_JIS
    has no ó), and an emoji nickname cannot travel at all."""
    try:
        value.encode("cp932")
        return value
    except UnicodeEncodeError:
        plain = "".join(c for c in unicodedata.normalize("NFKD", value) if not unicodedata.combining(c))
        try:
            plain.encode("cp932")
            return plain
        except UnicodeEncodeError:
            return ""


def write(path: Path, header: tuple[str, ...], rows: list[list[str]], encoding: str) -> None:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    path.write_bytes(out.getvalue().encode(encoding))


def main() -> None:
    OUT.mkdir(exist_ok=True)
    ja_rows, ja_bad = japanese_sample()
    write(OUT / "roster-ja-sjis.csv", JA_HEADER, [to_japanese(r) for r in ja_rows], "cp932")
    en_rows, en_bad = english_sample()
    write(OUT / "roster-en-utf8.csv", EN_HEADER, en_rows, "utf-8")
    for name, rows, bad in (("roster-ja-sjis.csv", ja_rows, ja_bad), ("roster-en-utf8.csv", en_rows, en_bad)):
        print(f"{name}: {len(rows)} rows; bad lines:")
        for line, why in bad:
            print(f"  line {line}: {why}")


if __name__ == "__main__":
    main()
