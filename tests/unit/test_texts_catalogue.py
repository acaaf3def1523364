"""Every core text rendered in Japanese carries no English word, and in English no Japanese.

Each reason, blocker, scanned-code message, nickname problem, audit break and
sign-in message is rendered in both languages with representative parameters
(every enum value a parameter can take). A Latin word in the Japanese
rendering is allowed only when it came from a parameter that is a name, a
number or a code (an entry number, a station id), or is one of the few
acronyms written in Latin letters in Japanese too (ID, QR, PIN, ...).
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
import string
from collections.abc import Iterator
from enum import StrEnum

import pytest

from station.core.audit import Break, BrokenLink
from station.core.confirmation import CodeCheck, CodeOutcome
from station.core.event import EventSettings
from station.core.evidence import DocumentType, EscortEvidence, Evidence, FoundBy, IdCheck, Match
from station.core.ledger import Conflict, EntryState, PickupStatus
from station.core.models import Category, Entrant, Sex
from station.core.nickname import NicknameProblem, NicknameReason
from station.core.rules import EntryRecord, EscortRecord, decide
from station.core.supervision import Block, Blocker, Decision, Ground, reason_param
from station.core.texts import Language, Param, Text, sentences, word
from station.core.verdict import TEXTS, BibRole, ReasonCode
from station.core.words import (
    HANDOVER_ITEM,
    HELD_BACK_CANCELLED,
    HELD_BACK_NOT_ELIGIBLE,
    HELD_BACK_PICKED_UP,
    HELD_BACK_VOIDED,
    WORDED,
    IdField,
    category_words,
    code_words,
    key,
    waited,
)

# Written in Latin letters in Japanese texts too (acronyms, key names, a product and its file suffix).
ACRONYMS = frozenset({"ID", "QR", "PIN", "UTC", "MRZ", "IT", "Ctrl", "Enter", "Esc", "SQLite", "sqlite"})
# A run of Latin letters (with digits and underscores: "double_pickup" is one word).
# One with a digit in it is a code (B0001, E0102, counter-3) and allowed.
LATIN_WORD = re.compile(r"[A-Za-z0-9_-]*[A-Za-z][A-Za-z0-9_-]*(?:['’][A-Za-z]+)*")


def words_in(rendered: str) -> set[str]:
    return {w for w in LATIN_WORD.findall(rendered) if not any(c.isdigit() for c in w)}
JAPANESE = re.compile(r"[\u3000-\u30ff\u3400-\u9fff\uff00-\uffef]")

WHERE = {"station": "counter-3", "date": "02/19", "time": "14:03"}

# Representative values for every parameter name a text may use; a list means
# "render once with each". A text with a parameter not listed here fails the test.
SAMPLES: dict[str, list[Param]] = {
    "entry_no": ["E0101"], "runner": ["E0100"], "escort": ["E0102"], "runner_entry": ["E0200"],
    "bib": ["B0042"], "escort_bib": ["B0043"], "runner_bib": ["B0200"], **{k: [v] for k, v in WHERE.items()},
    "now": ["02/19 19:05"], "windows": ["02/19 11:30-20:00, 02/20 10:30-19:00"],
    "birth_date": [dt.date(1980, 5, 5)], "cutoff": [dt.date(2008, 4, 1)], "race_date": [dt.date(2027, 2, 21)],
    "age": [17], "min_age": [18], "count": [3], "allowed": [2],
    "others": [("E0301",), ("E0301", "E0302")], "escorts": [("E0102",), ("E0102", "E0103")],
    "conflict": list(Conflict),
    "found_by": list(FoundBy),
    "what": [(IdField.NAME,), (IdField.BIRTH_DATE,), (IdField.BIRTH_DATE, IdField.NAME)],
    "problem": [*Conflict, HELD_BACK_CANCELLED, HELD_BACK_VOIDED, HELD_BACK_NOT_ELIGIBLE,
                HELD_BACK_PICKED_UP(**WHERE)],
    "bibs": [tuple(HANDOVER_ITEM(bib=f"B00{n}", role=role) for n, role in enumerate(BibRole, 42))],
    "detail": ["3", "Coca-Cola", "😀"],
    "fact_id": ["f003"], "position": [3],
    "carried": ["B0041"], "holder": ["E0099"], "entries": [("E0101", "E0102")], "today": [dt.date(2027, 2, 21)],
    "reason": [ReasonCode.NAME_MISMATCH, reason_param("volunteer"), reason_param("double_pickup"),
               reason_param("print_failed")],
}


def names(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def with_samples(text: Text) -> Iterator[Text]:
    wanted = sorted(names(text.ja) | names(text.en))
    missing = [n for n in wanted if n not in SAMPLES]
    assert not missing, f"add representative values for {missing} to SAMPLES"
    for values in itertools.product(*(SAMPLES[n] for n in wanted)):
        yield text(**dict(zip(wanted, values, strict=True)))


def plain_params(text: Text) -> set[str]:
    """Latin words allowed because a parameter (a name, number or code) brought them."""
    out: set[str] = set()
    for _, value in text.params:
        if isinstance(value, Text):
            out |= plain_params(value)
        elif isinstance(value, tuple):
            out |= plain_params(Text("", "", tuple((str(i), v) for i, v in enumerate(value))))
        elif isinstance(value, str):
            out |= words_in(value)
    return out


def assert_japanese(text: Text) -> None:
    rendered = text.render(Language.JA)
    assert rendered.strip(), text
    stray = words_in(rendered) - ACRONYMS - plain_params(text)
    assert not stray, f"English in Japanese: {sorted(stray)} in {rendered!r}"


def assert_english(text: Text) -> None:
    rendered = text.render(Language.EN)
    assert rendered.strip(), text
    params = "".join(str(v) for _, v in text.params if isinstance(v, str))
    stray = {c for c in JAPANESE.findall(rendered) if c not in params}
    assert not stray, f"Japanese in English: {sorted(stray)} in {rendered!r}"


def both(text: Text) -> None:
    assert_japanese(text)
    assert_english(text)


# -- the words ----------------------------------------------------------------------


@pytest.mark.parametrize("kind", WORDED, ids=lambda k: k.__name__)
def test_every_member_of_a_worded_enum_has_words_in_both_languages(kind):
    seen_ja, seen_en = set(), set()
    for member in kind:
        text = word(member)
        assert text is not None, f"{kind.__name__}.{member.name} has no words in station/core/words.py"
        both(text)
        seen_ja.add(text.render("ja"))
        seen_en.add(text.render("en"))
    assert len(seen_ja) == len(seen_en) == len(kind), "two members read the same"


def test_members_of_two_enums_with_the_same_value_keep_their_own_words():
    class Other(StrEnum):
        RUNNER = "runner"

    assert Other.RUNNER == BibRole.RUNNER  # equal as strings, so a plain dict would mix them up
    assert key(Other.RUNNER) != key(BibRole.RUNNER) and word(Other.RUNNER) is None


# -- reasons -------------------------------------------------------------------------


def test_every_reason_code_has_a_text():
    assert set(TEXTS) == set(ReasonCode)


@pytest.mark.parametrize("code", list(ReasonCode), ids=str)
def test_every_reason_renders_without_the_other_language(code):
    template = TEXTS[code]
    for text in (*with_samples(template.text), *with_samples(template.next)):
        both(text)


# -- what a supervisor reads ---------------------------------------------------------


def blockers() -> Iterator[Blocker]:
    codes = [c.value for c in ReasonCode] + [c.value for c in CodeOutcome] + [c.value for c in Conflict]
    codes += [s.value for s in PickupStatus] + ["volunteer"]
    for block in Block:
        for code in codes:
            for decision in Decision:
                yield Blocker(block, code, decision, Ground.ROSTER_TYPO)
    for ground in Ground:
        yield Blocker(Block.GROUND_DOES_NOT_COVER, "outside_window", Decision.APPROVE_OVERRIDE, ground)


def test_every_blocker_renders_without_the_other_language():
    for blocker in blockers():
        both(blocker.text)
    assert "outside_window" not in Blocker(Block.LOCKED_REASON, "outside_window").text_ja


def test_a_reason_code_from_the_queue_is_shown_in_words():
    for code in [*ReasonCode, *CodeOutcome, *Conflict]:
        both(code_words(code.value))
    assert code_words("something_new").render("ja") == "something_new"  # a code, as it is


def test_waiting_times_and_categories_in_words():
    assert waited(125).render("ja") == "2 分" and waited(125).render("en") == "2 min"
    assert waited(3 * 3600 + 5 * 60).render("ja") == "3 時間 05 分"
    for seconds in (0, 59, 60, 3599, 3600, 86400):
        both(waited(seconds))
    assert category_words("disability").render("ja") == "障がい者"
    assert category_words("elite").render("ja") == "elite"  # an unknown code stays a code


def test_a_refused_resolution_says_every_blocker_in_each_language():
    joined = sentences(Blocker(Block.GROUND_MISSING).text, Blocker(Block.REASON_TEXT_MISSING).text)
    both(joined)
    assert joined.render("ja").count("。") == 2 and ". " in joined.render("en")


# -- errors and messages -------------------------------------------------------------


@pytest.mark.parametrize("outcome", list(CodeOutcome), ids=str)
def test_every_scanned_code_message(outcome):
    both(CodeCheck(outcome).text)


@pytest.mark.parametrize("reason", list(NicknameReason), ids=str)
def test_every_nickname_problem(reason):
    for detail in SAMPLES["detail"]:
        both(NicknameProblem(reason, str(detail)).message)


@pytest.mark.parametrize("problem", list(Break), ids=str)
def test_every_audit_break(problem):
    both(BrokenLink("counter-3", 3, "f003", problem).text)


def test_every_sign_in_message():
    from station.store.supervisors import Session, SignIn, SignInOutcome

    now = dt.datetime(2027, 2, 19, 10, 0, tzinfo=dt.UTC)
    session = Session("S1", "Sato Hanako", "counter-3", now, now)
    for result in (SignIn(SignInOutcome.SIGNED_IN, session), SignIn(SignInOutcome.SIGNED_IN),
                   SignIn(SignInOutcome.LOCKED_OUT, locked_until=now),
                   SignIn(SignInOutcome.WRONG_PIN, attempts_left=2)):
        both(result.text)


# -- the cases that leaked English, through the one decision ---------------------------


def person(entry_no: str, **changes: object) -> Entrant:
    values: dict[str, object] = dict(
        entry_no=entry_no, bib=f"B{entry_no[1:]}", family_kanji="山田", given_kanji="太郎",
        family_kana="ヤマダ", given_kana="タロウ", family_latin="Yamada", given_latin="Taro",
        sex=Sex.MALE, birth_date=dt.date(1980, 5, 5), nationality="JP", category=Category.GENERAL,
        start_block="C",
    )
    values.update(changes)
    return Entrant(**values)  # type: ignore[arg-type]


OPEN = dt.datetime(2027, 2, 20, 5, 0, tzinfo=dt.UTC)  # 14:00 in Tokyo, inside a window
CHECKED = IdCheck(DocumentType.DRIVERS_LICENCE, Match.CONFIRMED, Match.CONFIRMED)


def rendered(verdict) -> tuple[str, str]:
    ja = "\n".join(r.text_ja + " " + r.next_ja for r in verdict.reasons)
    en = "\n".join(r.text_en + " " + r.next_en for r in verdict.reasons)
    return ja, en


def test_escort_document_mismatch_is_said_in_japanese(kyoto_settings: EventSettings):
    runner = person("E0100", category=Category.DISABILITY)
    escort = person("E0102", escort_of="E0100", family_kanji="佐藤")
    wrong = IdCheck(DocumentType.DRIVERS_LICENCE, Match.MISMATCH, Match.MISMATCH)
    evidence = Evidence(FoundBy.SIGNED_QR, id_check=CHECKED, escorts=(EscortEvidence("E0102", wrong),),
                        certificate_seen=True)
    verdict = decide(runner, evidence, OPEN, EntryState("E0100"), kyoto_settings,
                     escorts=(EscortRecord(escort, EntryState("E0102")),))
    ja, en = rendered(verdict)
    assert ReasonCode.ESCORT_ID_MISMATCH in verdict.codes
    assert "（生年月日、氏名）" in ja and "(date of birth, name)" in en
    assert not words_in(ja)


def test_a_conflict_and_the_hand_over_list_are_said_in_japanese(kyoto_settings: EventSettings):
    runner = person("E0001")
    conflict = decide(runner, Evidence(FoundBy.SIGNED_QR, id_check=CHECKED), OPEN,
                      EntryState("E0001", conflict=Conflict.DOUBLE_PICKUP), kyoto_settings)
    ja, en = rendered(conflict)
    assert "二重の受け取り" in ja and "double pickup" in en and "double_pickup" not in ja + en
    assert conflict.reasons[0].param("conflict") == "double_pickup"  # the code stays a code

    ready = decide(runner, Evidence(FoundBy.SEARCH, id_check=CHECKED), OPEN, EntryState("E0001"),
                   kyoto_settings)
    ja, en = rendered(ready)
    assert ready.ready and "B0001（選手用）" in ja and "B0001 (runner)" in en
    assert "検索で見つけた" in ja
    assert words_in(ja) == set()


def histories(entry_no: str) -> Iterator[EntryState]:
    from station.core.hlc import Stamp
    from station.core.ledger import PickupRecord

    pickup = PickupRecord("f1", "counter-3", "v1", OPEN - dt.timedelta(days=1), Stamp(1, 0, "counter-3"))
    yield EntryState(entry_no)
    yield EntryState(entry_no, PickupStatus.PICKED_UP, pickup, pickups=1)
    yield EntryState(entry_no, PickupStatus.VOIDED, pickup, pickups=1)
    yield EntryState(entry_no, PickupStatus.CANCELLED)
    for conflict in Conflict:
        yield EntryState(entry_no, PickupStatus.PICKED_UP, pickup, pickups=2, conflict=conflict)


def test_every_escort_and_own_entry_state_is_said_in_japanese(kyoto_settings: EventSettings):
    """The escort's state problems and the reasons an escort's own runner bib is held back."""
    runner = person("E0100", category=Category.DISABILITY)
    escort = person("E0102", escort_of="E0100", family_kanji="佐藤")
    own = person("E0200", family_kanji="佐藤")
    young = person("E0200", family_kanji="佐藤", birth_date=dt.date(2015, 1, 1))
    checked = EscortEvidence("E0102", CHECKED)
    seen = set()
    for escort_history, own_history, own_entrant, found_by in itertools.product(
            histories("E0102"), histories("E0200"), (own, young), FoundBy):
        record = EscortRecord(escort, escort_history, EntryRecord(own_entrant, own_history))
        evidence = Evidence(found_by, id_check=CHECKED, escorts=(checked,), certificate_seen=True)
        verdict = decide(runner, evidence, OPEN, EntryState("E0100"), kyoto_settings, escorts=(record,))
        ja, en = rendered(verdict)
        assert words_in(ja) <= ACRONYMS, ja
        assert not JAPANESE.search(en.replace("佐藤", "")), en
        seen |= set(verdict.codes)
    assert {ReasonCode.ESCORT_STATE_PROBLEM, ReasonCode.ESCORT_RUNNER_BIB_HELD_BACK, ReasonCode.ESCORT_ALSO_RUNNER,
            ReasonCode.ESCORT_ALREADY_PICKED_UP, ReasonCode.ESCORT_CANCELLED, ReasonCode.ID_ONLY_PROOF} <= seen


@pytest.mark.parametrize("message", ["database is locked", "file is not a database",
                                     "attempt to write a readonly database", "database or disk is full"])
def test_sqlite_errors_that_reach_the_counter_are_said_in_both_languages(message, tmp_path):
    import sqlite3

    from station.store.sqlite import translate

    for path in (tmp_path / "counter-3.sqlite", None):
        error = translate(sqlite3.OperationalError(message), path)
        both(error.message_text)
        assert str(error) == error.message_text.render("en")  # the command line and the log: English


def test_a_reason_a_fact_was_set_aside_is_said_in_words():
    from station.core.fact_check import Refusal
    from station.core.words import refusal_words

    for reason in [*Refusal, "malformed"]:
        both(refusal_words(str(reason)))
    assert refusal_words("unsigned").render("en") == "signature missing"  # not the scanned code's words
    assert refusal_words("bad_signature").render("ja") == "署名が一致しない"
    assert refusal_words("something {new}").render("ja") == "something {new}"  # a code, as it is
