"""Every check-in rule and boundary, with the laptop in New York and the event in Tokyo."""

from __future__ import annotations

import datetime as dt
import os
import time
from collections.abc import Iterator
from zoneinfo import ZoneInfo

import pytest

from station.core.event import Eligibility, EligibilityKind, EventSettings
from station.core.evidence import (
    DocumentType,
    EscortEvidence,
    Evidence,
    FoundBy,
    IdCheck,
    Match,
)
from station.core.hlc import Stamp
from station.core.ledger import Conflict, EntryState, PickupStatus, fold_entry
from station.core.models import Category, Entrant, EntrantStatus, Fact, FactKind, Sex
from station.core.rules import (
    CounterPolicy,
    EntryRecord,
    EscortRecord,
    decide,
    in_checkin_window,
)
from station.core.verdict import TEXTS, BibRole, Outcome, ReasonCode, Verdict

R = ReasonCode
TOKYO = ZoneInfo("Asia/Tokyo")
# Kyoto defaults for a race on Sunday 2027-02-21: Friday 19th 11:30-20:00,
# Saturday 20th 10:30-19:00 (last entry), born before 2008-04-01.
OPEN = dt.datetime(2027, 2, 20, 14, 0, tzinfo=TOKYO)


CAN_SET_ZONE = hasattr(time, "tzset")  # not on Windows


@pytest.fixture(autouse=True)
def laptop_in_new_york() -> Iterator[None]:
    """The machine's zone is not the event's: nothing may depend on it."""
    if not CAN_SET_ZONE:
        yield
        return
    before = os.environ.get("TZ")
    os.environ["TZ"] = "America/New_York"
    time.tzset()
    yield
    if before is None:
        del os.environ["TZ"]
    else:
        os.environ["TZ"] = before
    time.tzset()


@pytest.fixture
def rules(kyoto_settings: EventSettings) -> EventSettings:
    return kyoto_settings


def entrant(entry_no: str = "E0001", **changes: object) -> Entrant:
    values: dict[str, object] = dict(
        entry_no=entry_no, bib=f"B{entry_no[1:]}", family_kanji="山田", given_kanji="太郎",
        family_kana="ヤマダ", given_kana="タロウ", family_latin="Yamada", given_latin="Taro",
        sex=Sex.MALE, birth_date=dt.date(1980, 5, 5), nationality="JP", category=Category.GENERAL,
        start_block="C",
    )
    values.update(changes)
    return Entrant(**values)  # type: ignore[arg-type]


def waiting(entry_no: str = "E0001") -> EntryState:
    return EntryState(entry_no)


def fact(kind: FactKind, entry_no: str, at: dt.datetime, station: str = "12",
         n: int = 0, **payload: object) -> Fact:
    return Fact(f"f-{entry_no}-{n}", kind, "kyoto-test-2027", station, "V07",
                at.astimezone(dt.UTC), Stamp(int(at.timestamp() * 1000), n, station),
                entry_no, dict(payload))


def picked_up(entry_no: str = "E0001", station: str = "12",
              at: dt.datetime = dt.datetime(2027, 2, 19, 14, 3, tzinfo=TOKYO)) -> EntryState:
    return fold_entry(entry_no, [fact(FactKind.PICKUP, entry_no, at, station)])


def good_id(document_hash: str | None = None) -> IdCheck:
    return IdCheck(DocumentType.DRIVERS_LICENCE, Match.CONFIRMED, Match.CONFIRMED,
                   document_hash=document_hash)


def qr(**changes: object) -> Evidence:
    values: dict[str, object] = dict(found_by=FoundBy.SIGNED_QR, id_check=good_id())
    values.update(changes)
    return Evidence(**values)  # type: ignore[arg-type]


def verdict(rules: EventSettings, person: Entrant | None = None, evidence: Evidence | None = None,
            now: dt.datetime = OPEN, history: EntryState | None = None, **kw: object) -> Verdict:
    person = person or entrant()
    return decide(person, evidence or qr(), now, history or waiting(person.entry_no), rules,
                  **kw)  # type: ignore[arg-type]


# -- the normal case ----------------------------------------------------------


def test_a_runner_with_a_confirmed_original_id_is_ready(rules):
    v = verdict(rules)
    assert v.outcome is Outcome.READY
    assert v.codes == (R.ALL_CHECKS_PASSED,)
    assert [(h.entry_no, h.bib, h.role) for h in v.handovers] == [("E0001", "B0001", BibRole.RUNNER)]
    assert "B0001" in v.reasons[0].next_en and "B0001" in v.reasons[0].next_ja


def test_every_reason_code_has_both_languages_and_a_next_step():
    assert set(TEXTS) == set(ReasonCode)
    for text in TEXTS.values():
        assert text.en and text.ja and text.next_en and text.next_ja


def test_now_must_be_aware(rules):
    with pytest.raises(ValueError):
        verdict(rules, now=dt.datetime(2027, 2, 20, 14, 0))


# -- check-in windows, in the event's zone ------------------------------------------


@pytest.mark.parametrize(
    ("local", "open_"),
    [
        (dt.datetime(2027, 2, 20, 10, 29, 59), False),
        (dt.datetime(2027, 2, 20, 10, 30, 0), True),  # opens is inclusive
        (dt.datetime(2027, 2, 20, 19, 0, 0), True),
        (dt.datetime(2027, 2, 20, 19, 0, 30), True),  # the last-entry minute is open to its end
        (dt.datetime(2027, 2, 20, 19, 0, 59, 999999), True),
        (dt.datetime(2027, 2, 20, 19, 1, 0), False),
        (dt.datetime(2027, 2, 19, 20, 0, 59), True),  # Friday's last entry 20:00
        (dt.datetime(2027, 2, 19, 20, 1, 0), False),
        (dt.datetime(2027, 2, 19, 11, 29, 0), False),
        (dt.datetime(2027, 2, 21, 8, 0, 0), False),  # never on race day
    ],
)
def test_window_edges_in_event_time(rules, local, open_):
    # The same instants given in UTC and in New York time decide the same way.
    for zone in (dt.UTC, ZoneInfo("America/New_York")):
        now = local.replace(tzinfo=TOKYO).astimezone(zone)
        v = verdict(rules, now=now)
        assert (v.outcome is Outcome.READY) is open_, (local, zone)
        if not open_:
            race_day = local.date() >= rules.race_date
            assert v.codes == ((R.RACE_DAY,) if race_day else (R.OUTSIDE_WINDOW,))
            assert v.outcome is Outcome.REFUSED


def test_outside_window_names_the_event_local_time_and_the_hours(rules):
    now = dt.datetime(2027, 2, 20, 19, 5, tzinfo=TOKYO).astimezone(ZoneInfo("America/New_York"))
    reason = verdict(rules, now=now).reasons[0]
    assert "02/20 19:05" in reason.text_en
    assert "02/20 10:30-19:00" in reason.text_en and "02/19 11:30-20:00" in reason.text_ja


def test_last_entry_grace_zero_closes_at_the_exact_minute(rules):
    strict = CounterPolicy(last_entry_grace=dt.timedelta(0))
    at = dt.datetime(2027, 2, 20, 18, 59, 59, tzinfo=TOKYO)
    assert in_checkin_window(at, rules, strict)
    assert not in_checkin_window(at + dt.timedelta(seconds=1), rules, strict)


def test_an_event_without_windows_is_always_open(rules):
    assert in_checkin_window(dt.datetime(2030, 1, 1, tzinfo=dt.UTC), rules.with_changes(checkin_windows=()))


@pytest.mark.skipif(not CAN_SET_ZONE, reason="time.tzset is Unix-only")
def test_the_laptop_zone_is_really_new_york():
    assert time.localtime(0).tm_hour == 19  # 1970-01-01 00:00 UTC is 19:00 in New York


# -- eligibility ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("born", "eligible"),
    [(dt.date(2008, 3, 31), True), (dt.date(2008, 4, 1), False), (dt.date(2008, 4, 2), False)],
)
def test_born_before_cutoff(rules, born, eligible):
    v = verdict(rules, entrant(birth_date=born))
    assert (v.outcome is Outcome.READY) is eligible
    if not eligible:
        assert v.codes == (R.BORN_TOO_LATE,) and v.outcome is Outcome.REFUSED


def test_born_before_2000_04_01_boundary(rules):
    cut = rules.with_changes(eligibility=Eligibility(EligibilityKind.BORN_BEFORE, born_before=dt.date(2000, 4, 1)))
    assert verdict(cut, entrant(birth_date=dt.date(2000, 3, 31))).ready
    late = verdict(cut, entrant(birth_date=dt.date(2000, 4, 1)))
    assert late.codes == (R.BORN_TOO_LATE,)
    assert "2000-04-01" in late.reasons[0].text_en


@pytest.mark.parametrize(
    ("born", "eligible"),
    [
        (dt.date(2009, 2, 20), True),  # 18 the day before the race
        (dt.date(2009, 2, 21), True),  # 18th birthday on race day
        (dt.date(2009, 2, 22), False),  # 18 the day after: 17 on race day
    ],
)
def test_min_age_on_race_day(rules, born, eligible):
    minato = rules.with_changes(eligibility=Eligibility(EligibilityKind.MIN_AGE_ON_RACE_DAY, min_age=18))
    v = verdict(minato, entrant(birth_date=born))
    assert (v.outcome is Outcome.READY) is eligible
    if not eligible:
        assert v.codes == (R.TOO_YOUNG,)
        assert "17" in v.reasons[0].text_en


# -- one pickup per entry -------------------------------------------------------------


def test_already_picked_up_shows_counter_and_event_local_time(rules):
    # Picked up at 14:03 Tokyo time; the New York laptop must still say 14:03.
    v = verdict(rules, history=picked_up(station="12"))
    assert v.outcome is Outcome.REFUSED
    assert v.codes == (R.ALREADY_PICKED_UP,)
    reason = v.reasons[0]
    assert "counter 12" in reason.text_en and "02/19" in reason.text_en and "14:03" in reason.text_en
    assert "14:03" in reason.text_ja and "カウンター 12" in reason.text_ja
    assert v.handovers == ()


def test_already_picked_up_stops_before_asking_for_id(rules):
    v = verdict(rules, evidence=qr(id_check=None), history=picked_up())
    assert v.codes == (R.ALREADY_PICKED_UP,)


def test_voided_bib_is_refused(rules):
    at = dt.datetime(2027, 2, 19, 13, 0, tzinfo=TOKYO)
    history = fold_entry("E0001", [fact(FactKind.PICKUP, "E0001", at),
                                   fact(FactKind.VOID, "E0001", at + dt.timedelta(hours=1), n=1)])
    assert history.status is PickupStatus.VOIDED
    v = verdict(rules, history=history)
    assert v.codes == (R.BIB_VOIDED,) and v.outcome is Outcome.REFUSED


def test_cancelled_in_roster_is_refused(rules):
    v = verdict(rules, entrant(status=EntrantStatus.CANCELLED))
    assert v.codes == (R.ENTRY_CANCELLED,) and v.outcome is Outcome.REFUSED


def test_cancelled_by_roster_update_fact_is_refused(rules):
    history = fold_entry("E0001", [fact(FactKind.ROSTER_UPDATE, "E0001", OPEN, change="cancelled")])
    assert verdict(rules, history=history).codes == (R.ENTRY_CANCELLED,)


def test_revoked_confirmation_is_refused(rules):
    v = verdict(rules, evidence=qr(confirmation_revoked=True))
    assert v.codes == (R.CONFIRMATION_REVOKED,) and v.outcome is Outcome.REFUSED


def test_a_conflict_in_the_log_goes_to_the_supervisor(rules):
    at = dt.datetime(2027, 2, 19, 13, 0, tzinfo=TOKYO)
    history = fold_entry("E0001", [fact(FactKind.PICKUP, "E0001", at, "3"),
                                   fact(FactKind.PICKUP, "E0001", at, "7", n=1)])
    assert history.conflict is Conflict.DOUBLE_PICKUP
    v = verdict(rules, history=history)
    assert v.outcome is Outcome.SUPERVISOR
    assert set(v.codes) == {R.STATE_CONFLICT, R.ALREADY_PICKED_UP}
    assert v.headline is not None and v.headline.code is R.STATE_CONFLICT


def test_entry_problems_are_reported_together(rules):
    history = EntryState("E0001", PickupStatus.CANCELLED)
    v = verdict(rules, entrant(status=EntrantStatus.CANCELLED),
                qr(confirmation_revoked=True), history=history)
    assert v.codes == (R.ENTRY_CANCELLED, R.CONFIRMATION_REVOKED)


def test_entry_problems_stop_before_the_window(rules):
    late = dt.datetime(2027, 2, 21, 8, 0, tzinfo=TOKYO)
    assert verdict(rules, now=late, history=picked_up()).codes == (R.ALREADY_PICKED_UP,)


# -- identity ----------------------------------------------------------------------------


def test_no_id_yet_needs_id(rules):
    v = verdict(rules, evidence=qr(id_check=None))
    assert v.outcome is Outcome.NEEDS_ID and v.codes == (R.ID_NOT_CHECKED,)
    assert "1980-05-05" in v.reasons[0].next_en
    assert v.handovers == ()


@pytest.mark.parametrize(
    ("name", "born"),
    [(Match.NOT_CHECKED, Match.CONFIRMED), (Match.CONFIRMED, Match.NOT_CHECKED)],
)
def test_half_checked_id_needs_id(rules, name, born):
    check = IdCheck(DocumentType.MY_NUMBER_CARD, name, born)
    assert verdict(rules, evidence=qr(id_check=check)).codes == (R.ID_NOT_CHECKED,)


def test_photocopy_is_not_an_id(rules):
    check = IdCheck(DocumentType.RESIDENCE_CARD, Match.CONFIRMED, Match.CONFIRMED, original=False)
    v = verdict(rules, evidence=qr(id_check=check))
    assert v.outcome is Outcome.NEEDS_ID and v.codes == (R.ID_NOT_ORIGINAL,)


def test_birth_date_mismatch_is_a_false_statement_for_the_supervisor(rules):
    check = IdCheck(DocumentType.PASSPORT, Match.CONFIRMED, Match.MISMATCH)
    v = verdict(rules, evidence=qr(id_check=check))
    assert v.outcome is Outcome.SUPERVISOR and v.codes == (R.BIRTH_DATE_MISMATCH,)


def test_name_mismatch_goes_to_the_supervisor(rules):
    check = IdCheck(DocumentType.HEALTH_INSURANCE_CARD, Match.MISMATCH, Match.CONFIRMED)
    v = verdict(rules, evidence=qr(id_check=check))
    assert v.outcome is Outcome.SUPERVISOR and v.codes == (R.NAME_MISMATCH,)


def test_proxy_pickup_is_refused(rules):
    v = verdict(rules, evidence=qr(in_person=False))
    assert v.outcome is Outcome.REFUSED and v.codes == (R.NOT_IN_PERSON,)


def test_id_not_required_when_the_event_says_so(rules):
    v = verdict(rules, evidence=qr(id_check=None), policy=CounterPolicy(id_required=False))
    assert v.ready


def test_same_document_for_another_entry_goes_to_the_supervisor(rules):
    other = entrant("E0777", family_kanji="佐藤", family_latin="Sato", family_kana="サトウ")
    v = verdict(rules, evidence=qr(id_check=good_id("doc-1")),
                document_uses={"doc-1": [other]})
    assert v.outcome is Outcome.SUPERVISOR and v.codes == (R.DOCUMENT_USED_ELSEWHERE,)
    assert "E0777" in v.reasons[0].text_en


def test_same_document_for_the_same_entry_is_fine(rules):
    v = verdict(rules, evidence=qr(id_check=good_id("doc-1")),
                document_uses={"doc-1": [entrant()], "doc-2": [entrant("E0777")]})
    assert v.ready


def test_unsigned_code_refused_unless_allowed(rules):
    code = qr(found_by=FoundBy.UNSIGNED_CODE)
    refused = verdict(rules, evidence=code)
    assert refused.outcome is Outcome.REFUSED and refused.codes == (R.UNSIGNED_CODE_NOT_ALLOWED,)
    allowed = verdict(rules.with_changes(allow_unsigned_codes=True), evidence=code)
    assert allowed.outcome is Outcome.READY
    assert allowed.codes == (R.ALL_CHECKS_PASSED, R.ID_ONLY_PROOF)
    assert "only proof" in allowed.reasons[1].text_en


def test_found_by_search_says_the_id_is_the_only_proof(rules):
    v = verdict(rules, evidence=qr(found_by=FoundBy.SEARCH))
    assert v.ready and R.ID_ONLY_PROOF in v.codes
    assert "検索" in v.reasons[1].text_ja


# -- escorts ----------------------------------------------------------------------


RUNNER = entrant("E0100", disability=True, category=Category.DISABILITY)


def escort(entry_no: str = "E0101", of: str = "E0100", **changes: object) -> Entrant:
    names = dict(family_kanji="鈴木", given_kanji="一郎", family_kana="スズキ", given_kana="イチロウ",
                 family_latin="Suzuki", given_latin="Ichiro", birth_date=dt.date(1975, 1, 1))
    names.update(changes)
    return entrant(entry_no, escort_of=of, **names)


def record(person: Entrant, history: EntryState | None = None, own: EntryRecord | None = None) -> EscortRecord:
    return EscortRecord(person, history or waiting(person.entry_no), own)


def pair(*present: str, certificate: bool = True, escort_id: IdCheck | None = None, **kw: object) -> Evidence:
    return qr(escorts=tuple(EscortEvidence(no, escort_id or good_id()) for no in present),
              certificate_seen=certificate, **kw)


def test_runner_with_escort_and_certificate_gets_both_bibs(rules):
    v = verdict(rules, RUNNER, pair("E0101"), escorts=[record(escort())])
    assert v.outcome is Outcome.READY
    assert [(h.bib, h.role) for h in v.handovers] == [("B0100", BibRole.RUNNER), ("B0101", BibRole.ESCORT)]


def test_runner_without_escort_waits_for_the_escort(rules):
    v = verdict(rules, RUNNER, pair(), escorts=[record(escort())])
    assert v.outcome is Outcome.NEEDS_ESCORT and v.codes == (R.ESCORT_MISSING,)
    assert "E0101" in v.reasons[0].text_en and v.handovers == ()


def test_certificate_missing(rules):
    v = verdict(rules, RUNNER, pair("E0101", certificate=False), escorts=[record(escort())])
    assert v.outcome is Outcome.NEEDS_ESCORT and v.codes == (R.CERTIFICATE_NOT_SEEN,)


def test_missing_id_and_missing_escort_are_shown_together(rules):
    v = verdict(rules, RUNNER, pair(id_check=None, certificate=False), escorts=[record(escort())])
    assert v.outcome is Outcome.NEEDS_ID
    assert set(v.codes) == {R.ID_NOT_CHECKED, R.ESCORT_MISSING, R.CERTIFICATE_NOT_SEEN}


def test_escort_never_picks_up_alone(rules):
    v = verdict(rules, escort(), qr())
    assert v.outcome is Outcome.REFUSED and v.codes == (R.ESCORT_ALONE,)
    assert v.reasons[0].param("runner") == "E0100"
    assert "E0100" in v.reasons[0].next_en


def test_more_escorts_than_allowed_is_refused(rules):
    two = [record(escort("E0101")), record(escort("E0102", given_latin="Jiro", given_kanji="二郎"))]
    v = verdict(rules, RUNNER, pair("E0101", "E0102"), escorts=two)
    assert v.outcome is Outcome.REFUSED and R.TOO_MANY_ESCORTS in v.codes
    two_allowed = rules.with_changes(max_escorts=2)
    assert verdict(two_allowed, RUNNER, pair("E0101", "E0102"), escorts=two).ready


def test_every_required_escort_must_be_present(rules):
    two = [record(escort("E0101")), record(escort("E0102", given_latin="Jiro"))]
    v = verdict(rules.with_changes(max_escorts=2), RUNNER, pair("E0101"), escorts=two)
    assert v.codes == (R.ESCORT_MISSING,) and "E0102" in v.reasons[0].text_en


def test_a_cancelled_escort_is_not_required_but_said_on_the_band(rules):
    gone = record(escort(status=EntrantStatus.CANCELLED))
    v = verdict(rules, RUNNER, pair(certificate=False), escorts=[gone])
    assert v.outcome is Outcome.SUPERVISOR and v.codes == (R.ESCORT_WITHDRAWN,)
    assert v.headline.text_en == "This runner's escort E0101 was cancelled by the organizer: supervisor."
    assert "取り消されました" in v.headline.text_ja


def test_someone_elses_escort_is_refused(rules):
    v = verdict(rules, RUNNER, pair("E0101", "E0999"), escorts=[record(escort())])
    assert v.outcome is Outcome.REFUSED and R.NOT_THIS_RUNNERS_ESCORT in v.codes


def test_escort_id_needed_and_escort_mismatch(rules):
    unchecked = IdCheck(DocumentType.PASSPORT)
    v = verdict(rules, RUNNER, pair("E0101", escort_id=unchecked), escorts=[record(escort())])
    assert v.outcome is Outcome.NEEDS_ID and v.codes == (R.ESCORT_ID_NOT_CHECKED,)
    wrong = IdCheck(DocumentType.PASSPORT, Match.CONFIRMED, Match.MISMATCH)
    v = verdict(rules, RUNNER, pair("E0101", escort_id=wrong), escorts=[record(escort())])
    assert v.outcome is Outcome.SUPERVISOR and v.codes == (R.ESCORT_ID_MISMATCH,)


def test_escort_already_picked_up_goes_to_the_supervisor(rules):
    v = verdict(rules, RUNNER, pair("E0101"), escorts=[record(escort(), picked_up("E0101", "5"))])
    assert v.outcome is Outcome.SUPERVISOR and v.codes == (R.ESCORT_ALREADY_PICKED_UP,)
    assert "counter 5" in v.reasons[0].text_en


def test_escort_who_is_also_a_runner_gets_both_bibs(rules):
    helper = escort()
    own = entrant("E0500", family_kanji="鈴木", given_kanji="一郎", family_latin="Suzuki",
                  given_latin="Ichiro", birth_date=dt.date(1975, 1, 1))
    escorts = [record(helper, own=EntryRecord(own, waiting("E0500")))]
    # The escort's ID was used before for their own runner entry: the same
    # person in two roles, not a second application.
    v = verdict(rules, RUNNER, pair("E0101", escort_id=good_id("doc-s")), escorts=escorts,
                document_uses={"doc-s": [own]})
    assert v.outcome is Outcome.READY
    assert [(h.entry_no, h.role) for h in v.handovers] == [
        ("E0100", BibRole.RUNNER), ("E0101", BibRole.ESCORT), ("E0500", BibRole.RUNNER)]
    assert R.ESCORT_ALSO_RUNNER in v.codes


def test_escort_whose_runner_bib_is_already_collected_gets_only_the_escort_bib(rules):
    own = entrant("E0500", family_latin="Suzuki", birth_date=dt.date(1975, 1, 1))
    escorts = [record(escort(), own=EntryRecord(own, picked_up("E0500", "3")))]
    v = verdict(rules, RUNNER, pair("E0101"), escorts=escorts)
    assert v.ready
    assert [h.entry_no for h in v.handovers] == ["E0100", "E0101"]
    assert R.ESCORT_RUNNER_BIB_HELD_BACK in v.codes


def test_escort_document_used_by_a_stranger_goes_to_the_supervisor(rules):
    stranger = entrant("E0900", family_latin="Tanaka", family_kanji="田中")
    v = verdict(rules, RUNNER, pair("E0101", escort_id=good_id("doc-x")),
                escorts=[record(escort())], document_uses={"doc-x": [stranger]})
    assert v.outcome is Outcome.SUPERVISOR and v.codes == (R.DOCUMENT_USED_ELSEWHERE,)


def test_a_runner_without_escorts_needs_no_certificate(rules):
    assert verdict(rules, RUNNER, qr()).ready
