"""Supervisor PINs: argon2id in the event package, lockout per station, idle sign-out."""

from __future__ import annotations

import datetime as dt

import pytest
from argon2 import PasswordHasher

from station.core.errors import StationError
from station.store.event_package import EventPackage
from station.store.station_log import StationLog
from station.store.supervisors import (
    LockoutPolicy,
    Session,
    SignInOutcome,
    SupervisorSignIn,
    enrol,
    locked_until,
    remove,
    supervisors,
)

NOW = dt.datetime(2027, 2, 19, 3, 0, tzinfo=dt.UTC)
FAST = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1)  # the same algorithm, cheaper for tests


@pytest.fixture
def package(tmp_path, kyoto_settings):
    pkg = EventPackage.create(tmp_path / "event.sqlite", kyoto_settings)
    enrol(pkg, "sv-1", "Sato Hanako", "7391648205", hasher=FAST)
    yield pkg
    pkg.close()


@pytest.fixture
def log(tmp_path, kyoto_settings):
    station_log = StationLog.open(tmp_path / "counter-1.sqlite", station_id="counter-1",
                                  event_id=kyoto_settings.event_id)
    yield station_log
    station_log.close()


def test_the_package_keeps_an_argon2id_hash_never_the_pin(package):
    (pin_hash,) = package.conn.execute("SELECT pin_hash FROM supervisor").fetchone()
    assert pin_hash.startswith("$argon2id$") and "7391648205" not in pin_hash
    raw = package.path.read_bytes()
    assert b"7391648205" not in raw
    assert supervisors(package) == [("sv-1", "Sato Hanako")]


@pytest.mark.parametrize("pin", ["1234", "12345a", "111111", "123456", "987654", "１２３４５６", "1" * 13])
def test_weak_or_malformed_pins_are_refused(package, pin):
    with pytest.raises(StationError, match="PIN"):
        enrol(package, "sv-2", "Ito", pin, hasher=FAST)


def test_re_enrolment_changes_the_pin(package, log):
    enrol(package, "sv-1", "Sato Hanako", "5028179346", hasher=FAST)
    desk = SupervisorSignIn(package, log, hasher=FAST)
    assert desk.sign_in("sv-1", "7391648205", NOW).outcome is SignInOutcome.WRONG_PIN
    assert desk.sign_in("sv-1", "5028179346", NOW).outcome is SignInOutcome.SIGNED_IN
    assert remove(package, "sv-1") and not remove(package, "sv-1")
    assert desk.sign_in("sv-1", "5028179346", NOW).outcome is SignInOutcome.WRONG_PIN


def test_sign_in_gives_a_session_that_names_who_acts(package, log):
    result = SupervisorSignIn(package, log, hasher=FAST).sign_in("sv-1", "7391648205", NOW)
    assert result.outcome is SignInOutcome.SIGNED_IN
    assert result.session == Session("sv-1", "Sato Hanako", "counter-1", NOW, NOW)
    assert "Sato Hanako" in result.text_en and "Sato Hanako" in result.text_ja


def test_lockout_after_five_failures_then_open_again_after_five_minutes(package, log):
    desk = SupervisorSignIn(package, log, LockoutPolicy(max_failures=5, lockout=dt.timedelta(minutes=5)),
                            hasher=FAST)
    left = []
    for n in range(4):
        result = desk.sign_in("sv-1", "0000000000", NOW + dt.timedelta(seconds=n))
        assert result.outcome is SignInOutcome.WRONG_PIN
        left.append(result.attempts_left)
    assert left == [4, 3, 2, 1]
    fifth = desk.sign_in("sv-1", "0000000000", NOW + dt.timedelta(seconds=4))
    assert fifth.outcome is SignInOutcome.LOCKED_OUT
    assert fifth.locked_until == NOW + dt.timedelta(minutes=5, seconds=4)
    # Locked: even the right PIN is not checked.
    right = desk.sign_in("sv-1", "7391648205", NOW + dt.timedelta(minutes=1))
    assert right.outcome is SignInOutcome.LOCKED_OUT and "Too many" in right.text_en and right.text_ja
    # Another supervisor id is not locked.
    assert desk.sign_in("sv-2", "0000000000", NOW + dt.timedelta(minutes=1)).outcome is SignInOutcome.WRONG_PIN
    later = NOW + dt.timedelta(minutes=5, seconds=5)
    assert desk.sign_in("sv-1", "7391648205", later).outcome is SignInOutcome.SIGNED_IN
    # A success clears the count.
    assert desk.sign_in("sv-1", "0000000000", later).attempts_left == 4


def test_the_lockout_survives_a_restart_of_the_station(package, log, tmp_path, kyoto_settings):
    desk = SupervisorSignIn(package, log, hasher=FAST)
    for n in range(5):
        desk.sign_in("sv-1", "0000000000", NOW + dt.timedelta(seconds=n))
    log.close()
    reopened = StationLog.open(tmp_path / "counter-1.sqlite", station_id="counter-1",
                               event_id=kyoto_settings.event_id)
    try:
        again = SupervisorSignIn(package, reopened, hasher=FAST)
        assert again.sign_in("sv-1", "7391648205", NOW + dt.timedelta(minutes=1)).outcome is SignInOutcome.LOCKED_OUT
    finally:
        reopened.close()


def test_an_unknown_id_fails_like_a_wrong_pin(package, log):
    result = SupervisorSignIn(package, log, hasher=FAST).sign_in("nobody", "7391648205", NOW)
    assert result.outcome is SignInOutcome.WRONG_PIN and result.session is None


def test_old_failures_are_forgotten():
    policy = LockoutPolicy(max_failures=3, window=dt.timedelta(minutes=15))
    old = [NOW - dt.timedelta(minutes=20 + n) for n in range(5)]
    assert locked_until(old, NOW, policy) is None
    assert locked_until([NOW - dt.timedelta(minutes=1)] * 3, NOW, policy) == NOW + dt.timedelta(minutes=4)


def test_idle_sign_out_rule():
    session = Session("sv-1", "Sato", "counter-1", NOW, NOW, idle_limit=dt.timedelta(minutes=3))
    assert session.remaining(NOW + dt.timedelta(minutes=1)) == dt.timedelta(minutes=2)
    assert not session.expired(NOW + dt.timedelta(minutes=2, seconds=59))
    assert session.expired(NOW + dt.timedelta(minutes=3))
    touched = session.touched(NOW + dt.timedelta(minutes=2))
    assert not touched.expired(NOW + dt.timedelta(minutes=4))
    assert touched.touched(NOW) == touched  # a late event does not turn the clock back


def test_the_command_enrols_with_a_hidden_pin_typed_twice(tmp_path, kyoto_settings, log):
    from click.testing import CliRunner

    from station.commands.supervisors import supervisors as command

    path = tmp_path / "cli-event.sqlite"
    EventPackage.create(path, kyoto_settings).close()
    runner = CliRunner()
    result = runner.invoke(command, ["add", "--event", str(path), "--id", "sv-9", "--name", "Ito Ken"],
                           input="4802739615\n4802739615\n")
    assert result.exit_code == 0, result.output
    assert "4802739615" not in result.output
    mismatch = runner.invoke(command, ["add", "--event", str(path), "--id", "sv-8", "--name", "X"],
                             input="4802739615\n4802739614\n4802739615\n4802739615\n")
    assert "do not match" in mismatch.output.lower() or "match" in mismatch.output.lower()
    listed = runner.invoke(command, ["list", "--event", str(path)])
    assert "sv-9\tIto Ken" in listed.output
    package = EventPackage.open(path)
    try:
        result = SupervisorSignIn(package, log).sign_in("sv-9", "4802739615", NOW)
        assert result.outcome is SignInOutcome.SIGNED_IN
    finally:
        package.close()
    assert runner.invoke(command, ["remove", "--event", str(path), "--id", "sv-9"]).exit_code == 0
    gone = runner.invoke(command, ["remove", "--event", str(path), "--id", "sv-9"])
    assert gone.exit_code != 0 and "No supervisor sv-9" in str(gone.exception)


def test_the_lockout_is_hall_wide_and_survives_a_clock_set_back(package, log, tmp_path, kyoto_settings):
    desk = SupervisorSignIn(package, log, hasher=FAST)
    for n in range(5):
        desk.sign_in("sv-1", "0000000000", NOW + dt.timedelta(seconds=n))
    # The attempts are facts: another counter that receives them by sync is locked too.
    other = StationLog.open(tmp_path / "counter-2.sqlite", station_id="counter-2", event_id=kyoto_settings.event_id)
    try:
        other.append([f for _, f in log.facts()], received=True)
        elsewhere = SupervisorSignIn(package, other, hasher=FAST)
        assert elsewhere.sign_in("sv-1", "7391648205", NOW + dt.timedelta(minutes=1)).outcome \
            is SignInOutcome.LOCKED_OUT
    finally:
        other.close()
    # Setting the laptop's clock back an hour does not end it.
    back = desk.sign_in("sv-1", "7391648205", NOW - dt.timedelta(hours=1))
    assert back.outcome is SignInOutcome.LOCKED_OUT
    assert desk.sign_in("sv-1", "7391648205", NOW + dt.timedelta(minutes=6)).outcome is SignInOutcome.SIGNED_IN
