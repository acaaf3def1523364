"""Issue 11 rules in decide(): the number card, one person, locked days, the case that follows the runner."""

from __future__ import annotations

import datetime as dt

from station.core.bibs import card_ledger, check_card
from station.core.evidence import DocumentType, IdCheck, Match
from station.core.rules import EntryRecord
from station.core.supervision import PendingCase, approval_expires
from station.core.verdict import Outcome, ReasonCode
from tests.unit.test_rules import (
    OPEN,
    RUNNER,
    TOKYO,
    entrant,
    escort,
    good_id,
    pair,
    qr,
    record,
    rules,  # noqa: F401 - the fixture
    verdict,
    waiting,
)

R = ReasonCode


def test_a_number_that_left_with_another_entry_is_never_handed_out(rules):  # noqa: F811
    cards = card_ledger([("B0001", "E0999")])
    v = verdict(rules, cards=cards)
    assert v.outcome is Outcome.SUPERVISOR and v.codes == (R.CARD_WITH_OTHER_ENTRY,) and v.handovers == ()
    assert v.headline.text_en.startswith("Number card B0001 already left the building with entry E0999")


def test_an_escort_bib_that_left_with_another_entry_stops_the_pair(rules):  # noqa: F811
    cards = card_ledger([("B0101", "E0555")])
    v = verdict(rules, RUNNER, pair("E0101"), escorts=[record(escort())], cards=cards)
    assert v.outcome is Outcome.SUPERVISOR and R.CARD_WITH_OTHER_ENTRY in v.codes


def test_the_ledger_keeps_the_first_card_an_entry_took():
    ledger = card_ledger([("5", "1001"), ("6", "1002"), ("5", "1001")])
    assert ledger.carried_by("1001") == "5" and ledger.holders["5"] == ("1001",)
    assert check_card(ledger, "1001", "5") is None
    moved = check_card(ledger, "1001", "6")
    assert moved is not None and (moved.holder, moved.carried) == ("1002", "5")


def test_race_day_stops_everything_even_waived(rules):  # noqa: F811
    race = dt.datetime(2027, 2, 21, 9, 0, tzinfo=TOKYO)
    v = verdict(rules, now=race, waived=frozenset({"race_day", "outside_window"}))
    assert v.outcome is Outcome.REFUSED and v.codes == (R.RACE_DAY,)


def test_the_runner_as_own_escort_is_one_person(rules):  # noqa: F811
    own = EntryRecord(RUNNER, waiting(RUNNER.entry_no))
    v = verdict(rules, RUNNER, pair("E0101"), escorts=[record(escort(), own=own)])
    assert v.outcome is Outcome.SUPERVISOR and R.ESCORT_IS_THE_RUNNER in v.codes and v.handovers == ()


def test_one_document_for_two_people_in_one_check_in(rules):  # noqa: F811
    same = good_id("doc-1")
    v = verdict(rules, RUNNER, pair("E0101", escort_id=same, id_check=same), escorts=[record(escort())])
    assert v.outcome is Outcome.SUPERVISOR and R.ONE_DOCUMENT_TWO_PEOPLE in v.codes


def test_an_open_or_refused_case_makes_the_verdict_supervisor(rules):  # noqa: F811
    opened = PendingCase("x", "counter-4", OPEN, "name_mismatch")
    v = verdict(rules, pending=opened)
    assert v.outcome is Outcome.SUPERVISOR and v.codes == (R.CASE_OPEN,)
    assert "counter counter-4" in v.headline.text_en
    refused = PendingCase("x", "counter-4", OPEN, "not the runner", refused=True)
    v = verdict(rules, pending=refused, waived=frozenset({"case_refused"}))
    assert v.codes == (R.CASE_REFUSED,)


def test_an_escort_row_refused_at_import_is_said(rules):  # noqa: F811
    v = verdict(rules, entrant(), qr(), withdrawn_escorts=[("E0777", "escort_is_runner")])
    assert v.outcome is Outcome.SUPERVISOR
    assert v.headline.text_en == "This runner's escort E0777 was refused at the organizer's import: supervisor."


def test_an_approval_expires_with_its_window(rules):  # noqa: F811
    from station.core.rules import window_bounds

    windows = [window_bounds(w, rules) for w in rules.checkin_windows]
    friday = dt.datetime(2027, 2, 19, 15, 0, tzinfo=TOKYO)
    assert approval_expires(friday, windows, rules.zone) == windows[0][1]
    night = dt.datetime(2027, 2, 19, 22, 0, tzinfo=TOKYO)
    assert approval_expires(night, windows, rules.zone) == dt.datetime(2027, 2, 20, 0, 0, tzinfo=TOKYO)


def test_a_non_mrz_document_passes_its_type_through(rules):  # noqa: F811
    licence = IdCheck(DocumentType.DRIVERS_LICENCE, Match.CONFIRMED, Match.CONFIRMED, document_hash="k")
    assert verdict(rules, evidence=qr(id_check=licence)).ready
