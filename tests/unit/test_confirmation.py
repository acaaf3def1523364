"""The signed confirmation: every outcome, key rotation, revocation, and fuzzing."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from station.core.confirmation import (
    MAX_CODE_CHARS,
    MAX_SERIAL,
    PREFIX,
    CodeCheck,
    CodeOutcome,
    KeyRing,
    PublicKey,
    Signer,
    b45decode,
    b45encode,
    check_code,
    event_tag,
    key_id_for,
    outcome_message,
)

EVENT = "kyoto-2027"
SEED_A = bytes(range(32))
SEED_B = bytes(range(32, 64))
SIGNER_A = Signer(SEED_A)
SIGNER_B = Signer(SEED_B)


def ring(*signers: Signer, retired: tuple[Signer, ...] = (), revoked=None, event=EVENT) -> KeyRing:
    keys = {s.key_id: PublicKey(s.key_id, s.public_raw, s in retired) for s in (*signers, *retired)}
    return KeyRing(event, keys, revoked or {})


RING = ring(SIGNER_A)


def check(raw, key_ring=RING, allow_unsigned=False) -> CodeCheck:
    return check_code(raw, key_ring, allow_unsigned=allow_unsigned)


def test_round_trip_gives_the_entry_serial_and_key():
    code = SIGNER_A.code(EVENT, "K-000123", 1)
    assert code.startswith("BS1:")
    result = check(code)
    assert result == CodeCheck(CodeOutcome.VALID, "K-000123", 1, SIGNER_A.key_id, 1)
    assert result.accepted and not result.id_check_is_only_proof
    # The scanner hands over bytes; the same code as bytes checks the same.
    assert check(code.encode("ascii")) == result


def test_code_holds_nothing_but_the_entry_number_and_fits_qr_version_6_m():
    import qrcode
    from qrcode.constants import ERROR_CORRECT_M

    longest = SIGNER_A.code("an-event-with-a-rather-long-identifier-2027", "X" * 20, MAX_SERIAL)
    assert len(longest) <= MAX_CODE_CHARS
    qr = qrcode.QRCode(error_correction=ERROR_CORRECT_M)
    qr.add_data(longest)
    qr.make(fit=True)
    assert qr.version == 6
    assert qr.data_list[0].mode == qrcode.util.MODE_ALPHA_NUM


def test_unsigned_entry_numbers_depend_on_the_event_setting():
    allowed = check(b"10234", allow_unsigned=True)
    assert allowed.outcome is CodeOutcome.UNSIGNED
    assert allowed.accepted and allowed.id_check_is_only_proof
    assert allowed.entry_no == "10234"
    refused = check(b"10234", allow_unsigned=False)
    assert refused.outcome is CodeOutcome.UNSIGNED_NOT_ALLOWED
    assert not refused.accepted and refused.entry_no == "10234"


def test_unsigned_entry_number_in_shift_jis_full_width_digits():
    result = check("１０２３４\r\n".encode("cp932"), allow_unsigned=True)
    assert result.outcome is CodeOutcome.UNSIGNED and result.entry_no == "10234"


def test_other_qr_codes_are_not_confirmations():
    for raw in (b"https://www.kyoto-marathon.com/", "東京".encode("cp932"), b"\xff\xfe\x00garbage",
                b"A" * 21):
        assert check(raw, allow_unsigned=True).outcome is CodeOutcome.NOT_A_CONFIRMATION


def test_empty_and_broken_codes_are_malformed():
    good = SIGNER_A.code(EVENT, "1234", 1)
    assert check(b"").outcome is CodeOutcome.MALFORMED
    assert check(b"\r\n").outcome is CodeOutcome.MALFORMED
    assert check(PREFIX + "abc").outcome is CodeOutcome.MALFORMED  # lowercase: not Base45
    assert check(good[:10] + "~" + good[11:]).outcome is CodeOutcome.MALFORMED
    assert check(PREFIX + "GGW").outcome is CodeOutcome.MALFORMED  # triple above 0xFFFF


def test_extra_bytes_after_the_signature_are_malformed():
    good = SIGNER_A.code(EVENT, "1234", 1)
    payload = b45decode(good[len(PREFIX):])
    assert check(PREFIX + b45encode(payload + b"\x00")).outcome is CodeOutcome.MALFORMED


def test_every_cut_of_a_code_is_truncated_or_malformed_never_valid():
    good = SIGNER_A.code(EVENT, "1234", 7)
    outcomes = {check(good[:n]).outcome for n in range(len(PREFIX) + 1, len(good))}
    assert CodeOutcome.TRUNCATED in outcomes
    assert outcomes <= {CodeOutcome.TRUNCATED, CodeOutcome.MALFORMED}
    assert check(good[:-1]).outcome is CodeOutcome.TRUNCATED
    assert check(good[:-3]).outcome is CodeOutcome.TRUNCATED


def test_oversized_codes_are_refused_before_decoding():
    good = SIGNER_A.code(EVENT, "1234", 1)
    assert check(good + "0" * MAX_CODE_CHARS).outcome is CodeOutcome.OVERSIZED


def test_a_newer_format_is_unsupported_not_forged():
    result = check(b"BS2:" + b"0" * 300)
    assert result.outcome is CodeOutcome.UNSUPPORTED_VERSION and result.version == 2


def test_a_code_from_another_event_is_wrong_event():
    code = SIGNER_A.code("osaka-2027", "1234", 1)
    assert event_tag("osaka-2027") != event_tag(EVENT)
    result = check(code)
    assert result.outcome is CodeOutcome.WRONG_EVENT and result.entry_no == "1234"


def test_a_key_the_event_does_not_carry_is_unknown():
    assert check(SIGNER_B.code(EVENT, "1234", 1)).outcome is CodeOutcome.UNKNOWN_KEY


def test_changed_entry_number_fails_the_signature():
    code = SIGNER_A.code(EVENT, "1234", 1)
    payload = bytearray(b45decode(code[len(PREFIX):]))
    at = payload.index(b"1234")
    payload[at + 3] = ord("5")
    assert check(PREFIX + b45encode(bytes(payload))).outcome is CodeOutcome.FORGED


def test_a_signature_by_another_key_under_our_key_id_is_forged():
    mine = b45decode(SIGNER_A.code(EVENT, "1234", 1)[len(PREFIX):])
    theirs = b45decode(SIGNER_B.code(EVENT, "1234", 1)[len(PREFIX):])
    spliced = mine[:-64] + theirs[-64:]
    result = check(PREFIX + b45encode(spliced))
    assert result.outcome is CodeOutcome.FORGED and result.key_id == SIGNER_A.key_id


def test_key_rotation_both_keys_valid_until_the_old_one_is_retired():
    old, new = SIGNER_A.code(EVENT, "1234", 1), SIGNER_B.code(EVENT, "1234", 2)
    both = ring(SIGNER_A, SIGNER_B)
    assert check(old, both).outcome is CodeOutcome.VALID
    assert check(new, both).outcome is CodeOutcome.VALID
    rotated = ring(SIGNER_B, retired=(SIGNER_A,))
    assert check(old, rotated).outcome is CodeOutcome.RETIRED_KEY
    assert check(new, rotated).outcome is CodeOutcome.VALID


def test_a_forgery_naming_a_retired_key_is_called_forged():
    code = bytearray(b45decode(SIGNER_A.code(EVENT, "1234", 1)[len(PREFIX):]))
    code[-1] ^= 1
    rotated = ring(SIGNER_B, retired=(SIGNER_A,))
    assert check(PREFIX + b45encode(bytes(code)), rotated).outcome is CodeOutcome.FORGED


def test_revocation_voids_that_serial_and_older_ones_only():
    revoked = ring(SIGNER_A, revoked={"1234": 2})
    for serial in (1, 2):
        result = check(SIGNER_A.code(EVENT, "1234", serial), revoked)
        assert result.outcome is CodeOutcome.REVOKED and result.serial == serial
    assert check(SIGNER_A.code(EVENT, "1234", 3), revoked).outcome is CodeOutcome.VALID
    assert check(SIGNER_A.code(EVENT, "9999", 1), revoked).outcome is CodeOutcome.VALID


def test_non_canonical_serial_encoding_is_malformed():
    code = b45decode(SIGNER_A.code(EVENT, "1234", 1)[len(PREFIX):])
    padded = code[:8] + b"\x81\x00" + code[9:]  # serial 1 written in two bytes
    assert check(PREFIX + b45encode(padded)).outcome is CodeOutcome.MALFORMED
    zero = code[:8] + b"\x00" + code[9:]
    assert check(PREFIX + b45encode(zero)).outcome is CodeOutcome.MALFORMED


def test_signer_refuses_entry_numbers_and_serials_a_code_cannot_carry():
    with pytest.raises(ValueError):
        SIGNER_A.code(EVENT, "名前", 1)
    with pytest.raises(ValueError):
        SIGNER_A.code(EVENT, "1234", 0)


def test_every_outcome_has_japanese_and_english_text():
    for outcome in CodeOutcome:
        ja, en = outcome_message(outcome, "ja"), outcome_message(outcome, "en")
        assert ja and en and ja != en
    assert "ID" in CodeCheck(CodeOutcome.UNSIGNED).message("en")


def test_key_id_is_the_hash_of_the_public_key():
    assert SIGNER_A.key_id == key_id_for(SIGNER_A.public_raw)
    assert len(SIGNER_A.key_id) == 8 and SIGNER_A.key_id != SIGNER_B.key_id


def test_base45_matches_the_rfc_examples():
    assert b45encode(b"AB") == "BB8"
    assert b45encode(b"Hello!!") == "%69 VD92EX0"
    assert b45encode(b"ietf!") == "QED8WEX0"
    assert b45decode("QED8WEX0") == b"ietf!"


# -- fuzzing: 102,500 payloads, none may crash or come out VALID -----------------
# Each example carries a batch of payloads: hypothesis's per-example overhead
# would otherwise make 100,000 payloads take minutes.

BATCH = 25
VALID_CODES = [SIGNER_A.code(EVENT, f"{n:06d}", n % 5 + 1).encode() for n in range(20)]
FUZZ_RING = ring(SIGNER_A, retired=(SIGNER_B,), revoked={"000003": 1})
FUZZ = settings(
    max_examples=1_000,  # x BATCH = 25,000 payloads
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
FED = {"payloads": 0}


def batch(strategy):
    return st.lists(strategy, min_size=BATCH, max_size=BATCH)


def _survives(raw: bytes, *, may_be_valid: bool = False) -> CodeCheck:
    FED["payloads"] += 1
    result = check_code(raw, FUZZ_RING, allow_unsigned=True)
    assert isinstance(result.outcome, CodeOutcome)
    assert result.message("ja") and result.message("en")
    if not may_be_valid:
        assert result.outcome is not CodeOutcome.VALID
    return result


@settings(FUZZ, max_examples=1_200)
@given(batch(st.binary(max_size=400)))
def test_fuzz_random_bytes(payloads: list[bytes]):
    for raw in payloads:
        _survives(raw)


@FUZZ
@given(batch(st.text(max_size=200)))
def test_fuzz_random_text(texts: list[str]):
    for text in texts:
        _survives(text.encode("utf-8", "surrogatepass"))
        assert check_code(text, FUZZ_RING, allow_unsigned=False).outcome is not CodeOutcome.VALID


mutation = st.tuples(
    st.sampled_from(VALID_CODES),
    st.lists(st.tuples(st.integers(0, 200), st.integers(0, 255)), min_size=1, max_size=4),
)


# Mutants that keep their shape reach the signature check, the slow part.
@settings(FUZZ, max_examples=400)
@given(batch(mutation))
def test_fuzz_mutated_valid_codes(cases: list[tuple[bytes, list[tuple[int, int]]]]):
    for code, edits in cases:
        mutated = bytearray(code)
        for at, value in edits:
            mutated[at % len(mutated)] = value
        # Only an edit that changed nothing may still verify.
        _survives(bytes(mutated), may_be_valid=bytes(mutated).strip(b"\r\n\t\x00") == code)


@settings(FUZZ, max_examples=500)
@given(batch(st.tuples(st.sampled_from(VALID_CODES), st.integers(0, 160), st.binary(max_size=8))))
def test_fuzz_truncated_and_extended_codes(cases: list[tuple[bytes, int, bytes]]):
    for code, cut, tail in cases:
        raw = code[:cut] + tail
        _survives(raw, may_be_valid=raw.strip(b"\r\n\t\x00") == code)


@FUZZ
@given(batch(st.binary(max_size=120)))
def test_fuzz_well_formed_base45_of_random_payloads(payloads: list[bytes]):
    for payload in payloads:
        _survives((PREFIX + b45encode(payload)).encode())


def test_zz_the_fuzz_tests_fed_at_least_100000_payloads():
    """Runs after the five above (pytest keeps file order); skipped when run alone."""
    if FED["payloads"] == 0:
        pytest.skip("run with the fuzz tests to count their payloads")
    assert FED["payloads"] >= 100_000


def test_core_works_without_cryptography_until_a_signature_is_checked():
    import subprocess
    import sys

    script = (
        "import sys; sys.modules['cryptography'] = None\n"
        "from station.core.confirmation import KeyRing, check_code, CodeOutcome\n"
        "r = check_code(b'12345', KeyRing('e'), allow_unsigned=True)\n"
        "assert r.outcome is CodeOutcome.UNSIGNED, r\n"
        "assert check_code(b'BS1:00', KeyRing('e'), allow_unsigned=True).outcome is CodeOutcome.TRUNCATED\n"
    )
    subprocess.run([sys.executable, "-c", script], check=True)
