"""Roster search and check-in decision speed on a 40,000-entrant event.

    .venv/bin/python bench/bench_search.py [--entrants 40000] [--queries 300]

Builds an event package in a temporary folder (Faker ja_JP names, seeded),
builds the search keys, then times a mix of what volunteers type (bib, entry
number, kanji, hiragana, katakana, Latin in either order, long-vowel variants,
typos, a name still being typed) and `decide` on a runner with an escort.
Target: search p95 < 20 ms.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from faker import Faker

from station.core.event import kyoto_defaults
from station.core.evidence import DocumentType, EscortEvidence, Evidence, FoundBy, IdCheck, Match
from station.core.ledger import EntryState
from station.core.models import Category, Entrant, Sex
from station.core.names import to_katakana
from station.core.rules import EscortRecord, decide
from station.store.event_package import ENTRANT_COLUMNS, EventPackage, entrant_to_row
from station.store.search import RosterSearch
from station.store.sqlite import transaction


def hiragana(katakana: str) -> str:
    return "".join(chr(ord(c) - 0x60) if "\u30a1" <= c <= "\u30f6" else c for c in katakana)


# Name parts with their kana and passport romaji, to give the roster the long
# tail of names a real one has (Faker ja_JP alone has about 50 family and 50
# given names, so every full name would repeat ~16 times in 40,000).
FAMILY_HEADS = [
    ("山", "ヤマ", "yama"), ("川", "カワ", "kawa"), ("石", "イシ", "ishi"), ("中", "ナカ", "naka"),
    ("小", "コ", "ko"), ("大", "オオ", "o"), ("高", "タカ", "taka"), ("森", "モリ", "mori"),
    ("松", "マツ", "matsu"), ("井", "イ", "i"), ("藤", "フジ", "fuji"), ("竹", "タケ", "take"),
    ("岡", "オカ", "oka"), ("長", "ナガ", "naga"), ("吉", "ヨシ", "yoshi"), ("西", "ニシ", "nishi"),
    ("東", "ヒガシ", "higashi"), ("北", "キタ", "kita"), ("南", "ミナミ", "minami"), ("金", "カネ", "kane"),
    ("村", "ムラ", "mura"), ("上", "ウエ", "ue"), ("下", "シモ", "shimo"), ("前", "マエ", "mae"),
    ("谷", "タニ", "tani"), ("原", "ハラ", "hara"), ("宮", "ミヤ", "miya"), ("島", "シマ", "shima"),
    ("浜", "ハマ", "hama"), ("桜", "サクラ", "sakura"), ("青", "アオ", "ao"), ("白", "シラ", "shira"),
    ("黒", "クロ", "kuro"), ("平", "ヒラ", "hira"), ("福", "フク", "fuku"), ("今", "イマ", "ima"),
    ("新", "ニイ", "nii"), ("古", "フル", "furu"), ("菊", "キク", "kiku"), ("柳", "ヤナギ", "yanagi"),
]
FAMILY_TAILS = [
    ("田", "ダ", "da"), ("田", "タ", "ta"), ("川", "カワ", "kawa"), ("山", "ヤマ", "yama"),
    ("本", "モト", "moto"), ("口", "グチ", "guchi"), ("崎", "サキ", "saki"), ("沢", "サワ", "sawa"),
    ("野", "ノ", "no"), ("原", "ハラ", "hara"), ("村", "ムラ", "mura"), ("井", "イ", "i"),
    ("木", "キ", "ki"), ("島", "ジマ", "jima"), ("谷", "タニ", "tani"), ("橋", "ハシ", "hashi"),
    ("岡", "オカ", "oka"), ("部", "ベ", "be"), ("内", "ウチ", "uchi"), ("瀬", "セ", "se"),
    ("畑", "ハタ", "hata"), ("林", "バヤシ", "bayashi"), ("森", "モリ", "mori"), ("尾", "オ", "o"),
    ("浦", "ウラ", "ura"), ("坂", "サカ", "saka"),
]
GIVEN_HEADS = [
    ("健", "ケン", "ken"), ("和", "カズ", "kazu"), ("翔", "ショウ", "sho"), ("大", "ダイ", "dai"),
    ("真", "マ", "ma"), ("美", "ミ", "mi"), ("優", "ユウ", "yu"), ("直", "ナオ", "nao"),
    ("智", "トモ", "tomo"), ("裕", "ヒロ", "hiro"), ("正", "マサ", "masa"), ("明", "アキ", "aki"),
    ("浩", "コウ", "ko"), ("信", "ノブ", "nobu"), ("千", "チ", "chi"), ("恵", "メグ", "megu"),
    ("陽", "ハル", "haru"), ("光", "ミツ", "mitsu"), ("秀", "ヒデ", "hide"), ("幸", "ユキ", "yuki"),
    ("龍", "リュウ", "ryu"), ("隆", "タカ", "taka"), ("康", "ヤス", "yasu"), ("紀", "ノリ", "nori"),
    ("里", "サト", "sato"), ("悠", "ユウ", "yu"), ("圭", "ケイ", "kei"), ("純", "ジュン", "jun"),
]
GIVEN_TAILS = [
    ("郎", "ロウ", "ro"), ("子", "コ", "ko"), ("也", "ヤ", "ya"), ("美", "ミ", "mi"),
    ("介", "スケ", "suke"), ("樹", "キ", "ki"), ("人", "ト", "to"), ("彦", "ヒコ", "hiko"),
    ("奈", "ナ", "na"), ("太", "タ", "ta"), ("一", "イチ", "ichi"), ("司", "ジ", "ji"),
    ("平", "ヘイ", "hei"), ("花", "カ", "ka"), ("代", "ヨ", "yo"), ("志", "シ", "shi"),
]


def compose(rng: random.Random, heads: list, tails: list) -> tuple[str, str, str]:
    (hk, hkana, hr), (tk, tkana, tr) = rng.choice(heads), rng.choice(tails)
    return hk + tk, hkana + tkana, (hr + tr).capitalize()


def make_entrants(count: int, seed: int) -> list[Entrant]:
    """40% Faker ja_JP names (the common head), 55% composed names (the long
    tail), 5% foreign runners with Latin names only."""
    fake = Faker("ja_JP")
    fake.seed_instance(seed)
    foreign = Faker("en_US")
    foreign.seed_instance(seed)
    rng = random.Random(seed)
    entrants: list[Entrant] = []
    for n in range(1, count + 1):
        roll = rng.random()
        if roll < 0.40:
            (fk, fkana, fr), (gk, gkana, gr) = fake.last_name_pair(), fake.first_name_pair()
        elif roll < 0.95:
            (fk, fkana, fr) = compose(rng, FAMILY_HEADS, FAMILY_TAILS)
            (gk, gkana, gr) = compose(rng, GIVEN_HEADS, GIVEN_TAILS)
        else:
            fk = fkana = gk = gkana = ""
            fr, gr = foreign.last_name(), foreign.first_name()
        escort_of = None
        if n > 1 and rng.random() < 0.01 and entrants[-1].escort_of is None:
            escort_of = entrants[-1].entry_no
        entrants.append(Entrant(
            entry_no=f"K{n:06d}", bib=str(10000 + n), family_kanji=fk, given_kanji=gk,
            family_kana=fkana, given_kana=gkana, family_latin=fr, given_latin=gr,
            sex=rng.choice([Sex.MALE, Sex.FEMALE]),
            birth_date=dt.date(1950, 1, 1) + dt.timedelta(days=rng.randrange(18000)),
            nationality="JP" if fk else "US", category=Category.GENERAL,
            start_block=rng.choice("ABCDEFGH"), escort_of=escort_of,
        ))
    return entrants


def typo(word: str, rng: random.Random) -> str:
    if len(word) < 5:
        return word
    i = rng.randrange(1, len(word) - 1)
    return word[:i] + word[i + 1] + word[i] + word[i + 2:]  # swap two neighbours


def long_vowel(word: str) -> str:
    """Another spelling of the same name: Ono -> Ohno, Saito -> Saitou."""
    if word.lower().endswith("o"):
        return word + "u"
    return word.replace("o", "oh", 1) if "o" in word[1:] else word


QUERIES: dict[str, Callable[[Entrant, random.Random], str]] = {
    "bib": lambda e, r: e.bib,
    "entry number": lambda e, r: e.entry_no.lower(),
    "kanji family": lambda e, r: e.family_kanji,
    "kanji full": lambda e, r: e.family_kanji + e.given_kanji,
    "hiragana full": lambda e, r: f"{hiragana(e.family_kana)} {hiragana(e.given_kana)}",
    "katakana family": lambda e, r: to_katakana(e.family_kana),
    "latin given family": lambda e, r: f"{e.given_latin.lower()} {e.family_latin.upper()}",
    "latin long vowel": lambda e, r: long_vowel(e.family_latin),
    "latin typo": lambda e, r: f"{typo(e.family_latin, r)} {e.given_latin}",
    "typing prefix": lambda e, r: e.family_latin[:3],
}


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--entrants", type=int, default=40_000)
    parser.add_argument("--queries", type=int, default=300, help="per query type")
    parser.add_argument("--seed", type=int, default=2027)
    args = parser.parse_args()
    rng = random.Random(args.seed)

    with tempfile.TemporaryDirectory() as tmp:
        settings = kyoto_defaults("bench-2027", "Bench Marathon", dt.date(2027, 2, 21))
        package = EventPackage.create(Path(tmp) / "event.sqlite", settings)
        entrants = make_entrants(args.entrants, args.seed)
        marks = ", ".join("?" * len(ENTRANT_COLUMNS))
        with transaction(package.conn, package.path):
            package.conn.executemany(
                f"INSERT INTO entrant ({', '.join(ENTRANT_COLUMNS)}) VALUES ({marks})",
                (entrant_to_row(e) for e in entrants),
            )
        started, cpu_started = time.perf_counter(), time.process_time()
        search = RosterSearch(package)
        build = time.perf_counter() - started
        build_cpu = time.process_time() - cpu_started
        keys = package.conn.execute("SELECT count(*) FROM search_key").fetchone()[0]
        variants = package.conn.execute("SELECT count(*) FROM search_variant").fetchone()[0]
        families = len({(e.family_kanji, e.family_latin) for e in entrants})
        wholes = len({(e.family_latin, e.given_latin) for e in entrants})
        print(f"distinct family names {families}, distinct full names {wholes}")
        print(f"entrants {len(entrants)}; search keys {keys}, typo variants {variants}; "
              f"rebuild {build:.2f} s (cpu {build_cpu:.2f} s); package {package.path.stat().st_size / 1e6:.1f} MB")

        for _ in range(50):  # warm the page cache like a counter that has been running
            search.search(rng.choice(entrants).family_latin)
        everything: list[float] = []
        everything_cpu: list[float] = []
        print("wall = elapsed time; cpu = this process's CPU time (what an idle laptop would see "
              "when the machine is shared)")
        print(f"{'query':22} {'p50 ms':>7} {'p95 ms':>7} {'max ms':>7} {'cpu p95':>8} {'found':>6} "
              f"{'hits':>5}")
        japanese = [e for e in entrants if e.family_kanji]
        for label, make in QUERIES.items():
            times, cpu, found, hits = [], [], 0, []
            pool = japanese if label.startswith(("kanji", "hiragana", "katakana")) else entrants
            for _ in range(args.queries):
                person = rng.choice(pool)
                text = make(person, rng)
                c0, t0 = time.process_time(), time.perf_counter()
                result = search.search(text, limit=20)
                times.append((time.perf_counter() - t0) * 1000)
                cpu.append((time.process_time() - c0) * 1000)
                found += any(h.entrant.entry_no == person.entry_no for h in result)
                hits.append(len(result))
            everything += times
            everything_cpu += cpu
            print(f"{label:22} {statistics.median(times):7.2f} {percentile(times, 0.95):7.2f} "
                  f"{max(times):7.2f} {percentile(cpu, 0.95):8.2f} {found / len(times):6.0%} "
                  f"{statistics.mean(hits):5.1f}")
        print(f"{'ALL':22} {statistics.median(everything):7.2f} {percentile(everything, 0.95):7.2f} "
              f"{max(everything):7.2f} {percentile(everything_cpu, 0.95):8.2f}")
        print("found = share of queries whose own entrant is in the top 20 (a common name in "
              "the prefix/kanji-family rows has more than 20 holders)")

        runner = next(e for e in entrants if any(x.escort_of == e.entry_no for x in entrants))
        escort = next(x for x in entrants if x.escort_of == runner.entry_no)
        def licence(document_hash: str) -> IdCheck:
            return IdCheck(DocumentType.DRIVERS_LICENCE, Match.CONFIRMED, Match.CONFIRMED,
                           document_hash=document_hash)

        evidence = Evidence(FoundBy.SIGNED_QR, licence("h1"),
                            escorts=(EscortEvidence(escort.entry_no, licence("h2")),),
                            certificate_seen=True)
        now = dt.datetime(2027, 2, 20, 5, 0, tzinfo=dt.UTC)
        records = [EscortRecord(escort, EntryState(escort.entry_no))]
        times = []
        for _ in range(5000):
            t0 = time.perf_counter()
            verdict = decide(runner, evidence, now, EntryState(runner.entry_no), settings,
                             escorts=records, document_uses={"h1": [runner]})
            times.append((time.perf_counter() - t0) * 1000)
        print(f"decide (runner + escort, READY={verdict.ready}): p50 {statistics.median(times) * 1000:.0f} µs, "
              f"p95 {percentile(times, 0.95) * 1000:.0f} µs")
        package.close()


if __name__ == "__main__":
    main()
