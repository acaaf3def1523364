"""The built-in demo event: 40,000 entrants, seeded, the same on every machine.

The roster is written as a registration export (CSV) and goes through the same
checker and importer an organizer's file does, so the demo also exercises the
import path. It is built once into the user's data folder; a half-built demo
is never left behind (it is built under a temporary name and renamed).
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import random
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from faker import Faker

from station.core.event import EventSettings, NicknameRules, kyoto_defaults
from station.core.roster import check_roster
from station.core.text_safety import csv_row
from station.store.event_package import EventPackage
from station.store.roster_import import import_roster
from station.store.search import RosterSearch

SEED = 20270221
RACE_DATE = dt.date(2027, 2, 21)
EVENT_ID = "kyoto-demo-2027"
EVENT_NAME = "京都マラソン2027 デモ / Kyoto Marathon 2027 (demo)"
FILE_NAME = f"{EVENT_ID}.sqlite"
ENTRANTS = 40_000
BLOCKS = "ABCDEFGHIJK"

HEADER = (
    "entry_no", "bib", "family_kanji", "given_kanji", "family_kana", "given_kana",
    "family_latin", "given_latin", "sex", "birth_date", "nationality", "category",
    "start_block", "nickname", "katakana_requested", "shirt_size", "escort_of",
    "disability", "phone", "email",
)

# (Faker locale, ISO 3166 alpha-3, share of the international runners)
INTERNATIONAL = (
    ("en_US", "USA", 0.22), ("zh_TW", "TWN", 0.18), ("en_GB", "GBR", 0.10),
    ("fr_FR", "FRA", 0.09), ("de_DE", "DEU", 0.08), ("en_AU", "AUS", 0.08),
    ("id_ID", "IDN", 0.07), ("en_PH", "PHL", 0.07), ("it_IT", "ITA", 0.06),
    ("es_ES", "ESP", 0.05),
)
SHIRTS = ("XS", "S", "M", "L", "XL", "XXL")
SHIRT_WEIGHTS = (4, 18, 34, 28, 12, 4)
# Nicknames that break the rules on purpose, for the nickname checks to catch.
RULE_BREAKERS = ("TOYOTA", "ユニクロ", "ＳＯＮＹ", "ランナー🏃", "SUPERFASTRUNNER2027", "はしるぞ！！！")
BANNED = ("TOYOTA", "トヨタ", "SONY", "ソニー", "ユニクロ", "UNIQLO", "NIKE", "ナイキ")


CONFIRMATION_SAMPLES = 40  # runners whose confirmation is also drawn as a PNG and a printable PDF


@dataclass(frozen=True, slots=True)
class DemoEvent:
    package: Path
    built: bool  # False when an existing demo was reused


def demo_settings() -> EventSettings:
    base = kyoto_defaults(EVENT_ID, EVENT_NAME, RACE_DATE)
    return base.with_changes(
        max_escorts=2,
        nickname=NicknameRules(banned_words=BANNED),
        allow_unsigned_codes=False,
    )


def ensure_demo(folder: Path, *, rebuild: bool = False,
                progress: Callable[[str], None] | None = None) -> DemoEvent:
    target = folder / FILE_NAME
    if target.exists() and not rebuild:
        if not (folder / DEMO_KEY_FILE).exists():  # a demo built before the key was written beside it
            write_demo_key(folder / DEMO_KEY_FILE)
        return DemoEvent(target, built=False)
    folder.mkdir(parents=True, exist_ok=True)
    partial = folder / f"{FILE_NAME}.building"
    partial.unlink(missing_ok=True)
    say = progress or (lambda _: None)
    say(f"Making {ENTRANTS:,} demo entrants…")
    export = demo_export()
    settings = demo_settings()
    say("Checking and importing the roster…")
    check = check_roster(export, max_escorts=settings.max_escorts, today=RACE_DATE)
    package = EventPackage.create(partial, settings)
    try:
        import_roster(package, check, volunteer_id="demo")
        say("Indexing names for the counter's search…")
        RosterSearch(package, refresh=False).rebuild()
        say("Signing every runner's QR confirmation…")
        issue_demo_confirmations(package, folder / "confirmations")
    finally:
        package.close()
    write_demo_key(folder / DEMO_KEY_FILE)
    target.unlink(missing_ok=True)
    partial.replace(target)
    return DemoEvent(target, built=True)


DEMO_KEY_FILE = "demo-organizer.private.pem"


def write_demo_key(path: Path) -> Path:
    """The demo organizer's private key as `station keys new` writes one, for
    `station hub serve --event DEMO --key ...` (an event with keys takes only
    signed roster updates). Not a secret: anyone can derive it from the seed."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat

    key = Ed25519PrivateKey.from_private_bytes(_demo_seed())
    pem = key.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption())
    path.write_bytes(pem)
    return path


def demo_signer():
    """The demo organizer's key. Derived from the seed, so every demo build signs
    the same codes; a real event's key comes from `station keys new` and is secret."""
    from station.core.confirmation import Signer

    return Signer(_demo_seed())


def _demo_seed() -> bytes:
    return hashlib.sha256(f"bib-station demo key {SEED}".encode()).digest()


def issue_demo_confirmations(package: EventPackage, out: Path) -> Path:
    """Every entrant's signed confirmation code in confirmations.csv (what a mailing
    would carry), and the first runners' as PNG and printable PDF, to show to the
    webcam or to scan from a phone."""
    from station.printing.confirmation_sheet import SheetWriter, qr_png
    from station.store import confirmations as store

    signer = demo_signer()
    store.add_public_key(package, signer.public_raw)
    out.mkdir(parents=True, exist_ok=True)
    entrants = list(package.entrants())
    plans = store.plan_issues(package, (e.entry_no for e in entrants))
    codes = [signer.code(package.settings.event_id, e.entry_no, plan.serial)
             for e, plan in zip(entrants, plans, strict=True)]
    with (out / "confirmations.csv").open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(("entry_no", "bib", "name", "escort_of", "code"))
        for entrant, code in zip(entrants, codes, strict=True):
            writer.writerow(csv_row((entrant.entry_no, entrant.bib, entrant.display_name, entrant.escort_of or "",
                                     code)))
    sheets = SheetWriter(package.settings.name)
    samples = [(e, c, p) for e, c, p in zip(entrants, codes, plans, strict=True) if not e.is_escort]
    for entrant, code, plan in samples[:CONFIRMATION_SAMPLES]:
        (out / f"{entrant.entry_no}.png").write_bytes(qr_png(code))
        sheets.write(out / f"{entrant.entry_no}.pdf", entrant, code, plan.serial)
    store.record_issues(package, plans, signer.key_id)
    return out


def demo_export() -> bytes:
    """The demo roster as a UTF-8 CSV registration export."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADER)
    writer.writerows(demo_rows(ENTRANTS, SEED))
    return out.getvalue().encode("utf-8")


def demo_rows(count: int, seed: int) -> list[list[str]]:
    """`count` roster rows in HEADER's order: runners first, then their escorts."""
    rng = random.Random(seed)
    japanese = Faker("ja_JP")
    japanese.seed_instance(seed)
    abroad = {locale: Faker(locale) for locale, _, _ in INTERNATIONAL}
    for index, fake in enumerate(abroad.values()):
        fake.seed_instance(seed + index + 1)

    rows: list[list[str]] = []
    escorts_wanted: list[tuple[int, int]] = []  # (runner row index, escorts)
    runner_target = count
    people: set[tuple[str, ...]] = set()  # the demo registers nobody twice
    while len(rows) + sum(n for _, n in escorts_wanted) < runner_target:
        row = _runner(rng, japanese, abroad)
        person = (row[2], row[3], row[6], row[7], row[9])
        if person in people:
            continue
        people.add(person)
        rows.append(row)
        if row[11] == "disability" and rng.random() < 0.8:
            escorts_wanted.append((len(rows) - 1, 2 if rng.random() < 0.2 else 1))
            row[17] = "1"

    # Bibs follow start blocks, as organizers number them: A gets the lowest numbers.
    order = sorted(range(len(rows)), key=lambda i: (rows[i][12], i))
    for number, i in enumerate(order, start=1):
        rows[i][1] = str(number)
    for number, row in enumerate(rows, start=1):
        row[0] = f"{270000 + number:06d}"

    escort_rows: list[list[str]] = []
    for runner_row, count in escorts_wanted:
        for _ in range(count):
            row = _runner(rng, japanese, abroad, escort=True)
            row[0] = f"{370000 + len(escort_rows) + 1:06d}"
            row[1] = f"{90000 + len(escort_rows) + 1}"
            row[16] = rows[runner_row][0]
            escort_rows.append(row)
    return rows + escort_rows


def _runner(rng: random.Random, japanese: Faker, abroad: dict[str, Faker], *,
            escort: bool = False) -> list[str]:
    male = rng.random() < 0.74
    international = not escort and rng.random() < 0.10
    if international:
        locale, nationality = _pick_country(rng)
        fake = abroad[locale]
        family_kanji = given_kanji = family_kana = given_kana = ""
        if locale == "zh_TW":  # registered as on the passport, in Latin letters
            family_latin = fake.last_romanized_name()
            given_latin = fake.first_romanized_name_male() if male else fake.first_romanized_name_female()
        else:
            family_latin = fake.last_name()
            given_latin = fake.first_name_male() if male else fake.first_name_female()
    else:
        nationality = "JPN"
        family_kanji, family_kana, family_latin = japanese.last_name_pair()
        given_kanji, given_kana, given_latin = (
            japanese.first_name_male_pair() if male else japanese.first_name_female_pair()
        )
    age = rng.choices((rng.randint(20, 29), rng.randint(30, 49), rng.randint(50, 69),
                       rng.randint(70, 85)), weights=(18, 45, 32, 5))[0]
    born = RACE_DATE - dt.timedelta(days=age * 365 + rng.randint(0, 364))
    if not escort and rng.random() < 0.0004:  # a few too young, registered by mistake
        born = dt.date(RACE_DATE.year - 18, rng.randint(4, 12), rng.randint(1, 28))
    roll = rng.random()
    category = ("general" if escort else
                "athlete" if roll < 0.03 else
                "charity" if roll < 0.08 else
                "disability" if roll < 0.0865 else "general")
    block = ("A" if category == "athlete" else
             "K" if escort else BLOCKS[min(10, max(1, int(rng.gauss(6, 2.5))))])
    nickname, katakana = _nickname(rng, given_kanji, given_kana, given_latin, international)
    return [
        "", "", family_kanji, given_kanji, family_kana, given_kana, family_latin, given_latin,
        "M" if male else "F", born.isoformat(), nationality, category, block, nickname,
        "1" if katakana else "0", rng.choices(SHIRTS, SHIRT_WEIGHTS)[0], "", "0",
        f"0{rng.randint(70, 90)}-{rng.randint(1000, 9999)}-{rng.randint(1000, 9999)}",
        f"runner{rng.randint(1, 10**9)}@example.jp",
    ]


def _pick_country(rng: random.Random) -> tuple[str, str]:
    locale, nationality, _ = rng.choices(INTERNATIONAL, weights=[w for _, _, w in INTERNATIONAL])[0]
    return locale, nationality


def _nickname(rng: random.Random, given_kanji: str, given_kana: str, given_latin: str,
              international: bool) -> tuple[str, bool]:
    roll = rng.random()
    if roll > 0.30:
        return "", False
    if roll < 0.002:
        return rng.choice(RULE_BREAKERS), False
    if international:
        if rng.random() < 0.35:  # asks the organizer for katakana
            return given_latin, True
        return given_latin.upper()[:10], False
    if rng.random() < 0.5 and len(given_kanji) <= 5:
        return given_kanji, False
    return given_kana[:5], False
