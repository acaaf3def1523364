"""What a supervisor may decide for which case, and what nothing unlocks."""

from __future__ import annotations

import pytest

from station.core.ledger import Conflict, PickupStatus
from station.core.supervision import (
    LOCKED,
    Block,
    CaseFacts,
    Decision,
    Ground,
    Resolution,
    RulingOutcome,
    allowed_decisions,
    grounds_for,
    locked_codes,
    rule_on,
)
from station.core.words import code_words


def case(reason: str, *codes: str, status: PickupStatus = PickupStatus.WAITING,
         conflict: Conflict | None = None, entry_no: str | None = "1001") -> CaseFacts:
    return CaseFacts("x-1", entry_no, reason, codes, status, conflict)


def resolve(decision: Decision, **fields) -> Resolution:
    fields.setdefault("reason_text", "checked with the runner")
    return Resolution(decision, supervisor_id="sv-1", **fields)


def blocks(ruling) -> set[Block]:
    return {b.block for b in ruling.blockers}


# -- approve an override -------------------------------------------------------------


@pytest.mark.parametrize(("reason", "ground"), [
    ("name_mismatch", Ground.NAME_CHANGED_BY_MARRIAGE),
    ("name_mismatch", Ground.ROMANISATION_OR_KANJI_VARIANT),
    ("birth_date_mismatch", Ground.ROSTER_TYPO),
    ("id_not_checked", Ground.ID_WITHOUT_MRZ_CHECKED_BY_HAND),
    ("id_not_original", Ground.COPY_OF_ID_ACCEPTED),
    ("confirmation_revoked", Ground.FOUND_BY_NAME_WITH_ID),
    ("unknown_key", Ground.FOUND_BY_NAME_WITH_ID),
    ("certificate_not_seen", Ground.CERTIFICATE_CONFIRMED_OTHERWISE),
])
def test_an_override_on_the_right_ground_is_allowed(reason, ground):
    ruling = rule_on(case(reason), resolve(Decision.APPROVE_OVERRIDE, ground=ground))
    assert ruling.outcome is RulingOutcome.ALLOWED and ruling.allowed and ruling.blockers == ()


def test_an_override_needs_a_ground_that_answers_every_reason():
    both = case("name_mismatch", "name_mismatch", "certificate_not_seen")
    ruling = rule_on(both, resolve(Decision.APPROVE_OVERRIDE, ground=Ground.NAME_CHANGED_BY_MARRIAGE))
    assert not ruling.allowed
    (blocker,) = ruling.blockers
    assert blocker.block is Block.GROUND_DOES_NOT_COVER and blocker.code == "certificate_not_seen"
    # the reason and the ground in words of the sentence's language, never as codes
    assert "婚姻" in blocker.text_ja and "certificate_not_seen" not in blocker.text_ja + blocker.text_en
    assert blocks(rule_on(both, resolve(Decision.APPROVE_OVERRIDE))) == {Block.GROUND_MISSING}
    assert grounds_for(case("name_mismatch")) == (Ground.NAME_CHANGED_BY_MARRIAGE,
                                                  Ground.ROMANISATION_OR_KANJI_VARIANT, Ground.ROSTER_TYPO)


def test_an_already_picked_up_bib_is_not_overridden_but_reprinted():
    picked = case("already_picked_up", status=PickupStatus.PICKED_UP)
    assert not any(rule_on(picked, resolve(Decision.APPROVE_OVERRIDE, ground=g)).allowed for g in Ground)
    assert rule_on(picked, resolve(Decision.REPRINT_BIB)).allowed
    assert blocks(rule_on(case("name_mismatch"), resolve(Decision.REPRINT_BIB))) == {Block.NOT_FOR_THIS_CASE}


def test_every_decision_needs_a_written_reason():
    for decision in Decision:
        ruling = rule_on(case("name_mismatch"), resolve(decision, reason_text="  "))
        assert Block.REASON_TEXT_MISSING in blocks(ruling), decision


# -- what nothing unlocks ----------------------------------------------------------


@pytest.mark.parametrize("code", sorted(LOCKED))
def test_nothing_that_hands_a_bib_over_unlocks_a_locked_reason(code):
    locked = case(code, status=PickupStatus.PICKED_UP)
    assert locked_codes(locked) == {code}
    attempts = [resolve(Decision.APPROVE_OVERRIDE, ground=g) for g in Ground]
    attempts += [resolve(Decision.REPRINT_BIB), resolve(Decision.FIX_NICKNAME, nickname=""),
                 resolve(Decision.REPAIR_ESCORTS, escorts=("2001",))]
    for attempt in attempts:
        ruling = rule_on(locked, attempt)
        assert not ruling.allowed
        assert any(b.block is Block.LOCKED_REASON and b.code == code for b in ruling.blockers)
    assert rule_on(locked, resolve(Decision.REFUSE)).allowed
    text = next(b for b in rule_on(locked, attempts[0]).blockers if b.block is Block.LOCKED_REASON)
    words = code_words(code)
    assert words.render("en") in text.text_en and words.render("ja") in text.text_ja
    assert code not in text.text_ja


def test_a_forged_code_hidden_among_other_reasons_still_locks_the_case():
    mixed = case("name_mismatch", "name_mismatch", "forged")
    ruling = rule_on(mixed, resolve(Decision.APPROVE_OVERRIDE, ground=Ground.ROMANISATION_OR_KANJI_VARIANT))
    assert [b.code for b in ruling.blockers] == ["forged"]
    assert "forged" in ruling.blockers[0].text_en and "偽造" in ruling.blockers[0].text_ja
    assert allowed_decisions(mixed) == (Decision.REFUSE,)


def test_an_escort_alone_cannot_be_re_paired_into_a_pickup():
    ruling = rule_on(case("escort_alone"), resolve(Decision.REPAIR_ESCORTS, escorts=("1001",)))
    assert Block.LOCKED_REASON in blocks(ruling)


# -- the other decisions ---------------------------------------------------------------


def test_refuse_answers_any_case_even_one_without_an_entry():
    for reason in ("forged", "name_mismatch", "volunteer"):
        assert rule_on(case(reason, entry_no=None), resolve(Decision.REFUSE)).allowed


def test_decisions_other_than_refuse_need_an_entry():
    ruling = rule_on(case("malformed", entry_no=None),
                     resolve(Decision.APPROVE_OVERRIDE, ground=Ground.FOUND_BY_NAME_WITH_ID))
    assert blocks(ruling) == {Block.NO_ENTRY}


def test_fix_nickname_needs_the_new_nickname():
    nick = case("volunteer")
    assert blocks(rule_on(nick, resolve(Decision.FIX_NICKNAME))) == {Block.DETAIL_MISSING}
    assert rule_on(nick, resolve(Decision.FIX_NICKNAME, nickname="")).allowed
    assert rule_on(nick, resolve(Decision.FIX_NICKNAME, nickname="ハシル")).allowed


def test_reprint_of_a_voided_bib_but_not_during_a_conflict():
    assert rule_on(case("bib_voided", status=PickupStatus.VOIDED), resolve(Decision.REPRINT_BIB)).allowed
    conflicted = case("state_conflict", status=PickupStatus.PICKED_UP, conflict=Conflict.DOUBLE_PICKUP)
    assert not rule_on(conflicted, resolve(Decision.REPRINT_BIB)).allowed


def test_re_pair_escorts_only_for_escort_problems_and_with_the_escorts_named():
    missing = case("escort_missing", "escort_missing")
    assert rule_on(missing, resolve(Decision.REPAIR_ESCORTS, escorts=("2001",))).allowed
    assert blocks(rule_on(missing, resolve(Decision.REPAIR_ESCORTS))) == {Block.DETAIL_MISSING}
    assert blocks(rule_on(case("name_mismatch"), resolve(Decision.REPAIR_ESCORTS, escorts=("2001",)))) == {
        Block.NOT_FOR_THIS_CASE}


def test_void_only_a_bib_that_was_handed_out():
    assert rule_on(case("document_used_elsewhere", status=PickupStatus.PICKED_UP),
                   resolve(Decision.VOID_BIB)).allowed  # voiding takes nothing out of the hall
    assert blocks(rule_on(case("name_mismatch"), resolve(Decision.VOID_BIB))) == {Block.NOT_FOR_THIS_CASE}


def test_an_offline_double_pickup_is_resolved_by_naming_the_pickup_that_counts():
    double = case("state_conflict", status=PickupStatus.PICKED_UP, conflict=Conflict.DOUBLE_PICKUP)
    assert rule_on(double, resolve(Decision.RESOLVE_DOUBLE_PICKUP, keep_pickup="p-1")).allowed
    assert blocks(rule_on(double, resolve(Decision.RESOLVE_DOUBLE_PICKUP))) == {Block.DETAIL_MISSING}
    plain = case("already_picked_up", status=PickupStatus.PICKED_UP)
    assert Block.NOT_FOR_THIS_CASE in blocks(rule_on(plain, resolve(Decision.RESOLVE_DOUBLE_PICKUP,
                                                                    keep_pickup="p-1")))
    assert Decision.RESOLVE_DOUBLE_PICKUP in allowed_decisions(double)


def test_a_resolved_case_takes_no_second_resolution():
    done = CaseFacts("x-1", "1001", "name_mismatch", resolved=True)
    assert Block.ALREADY_RESOLVED in blocks(rule_on(done, resolve(Decision.REFUSE)))
