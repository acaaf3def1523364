"""The hash chain over a station's own facts: every kind of tampering names its first broken link."""

from __future__ import annotations

import dataclasses
import datetime as dt

from station.core.audit import GENESIS, Break, Link, canonical, chain, link_hash, verify_chain
from station.core.hlc import Stamp
from station.core.models import Fact, FactKind

T0 = dt.datetime(2027, 2, 19, 3, 0, tzinfo=dt.UTC)


def fact(n: int, **payload) -> Fact:
    return Fact(f"f{n:03d}", FactKind.PICKUP, "ev", "counter-1", "v1", T0 + dt.timedelta(seconds=n),
                Stamp(n, 0, "counter-1"), f"10{n:02d}", payload)


def links(facts: list[Fact]) -> list[Link]:
    return [Link(n + 1, f, f.fact_id, prev, h) for n, (f, prev, h) in enumerate(chain(facts))]


def test_canonical_form_is_stable_and_ignores_the_time_zone_it_was_given_in():
    a = fact(1, items=["bib", "shirt"], bib="A12")
    jst = dt.timezone(dt.timedelta(hours=9))
    b = dataclasses.replace(a, wall_time=a.wall_time.astimezone(jst), payload={"bib": "A12", "items": ["bib", "shirt"]})
    assert canonical(a) == canonical(b)
    assert b'"wall_time":"2027-02-19T03:00:01.000+00:00"' in canonical(a)


def test_each_hash_depends_on_the_previous_one():
    f = fact(1)
    assert link_hash(GENESIS, f) != link_hash("1" * 64, f)
    (_, prev1, h1), (_, prev2, _) = chain([f, fact(2)])
    assert prev1 == GENESIS and prev2 == h1


def test_an_intact_chain_verifies_and_reports_its_head():
    facts = [fact(n) for n in range(1, 6)]
    report = verify_chain("counter-1", links(facts))
    assert report.intact and report.links == 5
    assert report.head == chain(facts)[-1][2]
    assert verify_chain("counter-1", []).head == GENESIS


def test_an_altered_fact_is_named():
    good = links([fact(n) for n in range(1, 6)])
    altered = dataclasses.replace(good[2].fact, payload={"bib": "forged"})
    good[2] = dataclasses.replace(good[2], fact=altered)
    report = verify_chain("counter-1", good)
    assert report.broken.problem is Break.ALTERED and report.broken.fact_id == "f003"
    assert report.broken.position == 3 and "f003" in report.broken.text_en and "f003" in report.broken.text_ja


def test_a_deleted_fact_with_its_link_breaks_the_next_link():
    good = links([fact(n) for n in range(1, 6)])
    del good[1]
    report = verify_chain("counter-1", good)
    assert report.broken.problem is Break.OUT_OF_ORDER and report.broken.fact_id == "f003"


def test_a_deleted_fact_whose_link_stayed_is_missing():
    good = links([fact(n) for n in range(1, 4)])
    good[1] = dataclasses.replace(good[1], fact=None)
    report = verify_chain("counter-1", good)
    assert report.broken.problem is Break.MISSING_FACT and report.broken.fact_id == "f002"


def test_swapped_facts_are_caught_at_the_first_swapped_position():
    good = links([fact(n) for n in range(1, 5)])
    a, b = good[1].fact, good[2].fact
    good[1], good[2] = dataclasses.replace(good[1], fact=b), dataclasses.replace(good[2], fact=a)
    report = verify_chain("counter-1", good)
    assert report.broken.problem is Break.WRONG_FACT and report.broken.position == 2


def test_a_fact_slipped_in_without_a_link():
    good = links([fact(n) for n in range(1, 4)])
    good.insert(1, Link(99, fact(50), None, None, None))
    report = verify_chain("counter-1", good)
    assert report.broken.problem is Break.MISSING_LINK and report.broken.fact_id == "f050"
