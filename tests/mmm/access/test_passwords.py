"""Password rules: length, not the name, not common; checked on every path that sets one."""

from __future__ import annotations

import time

import pytest

from mmm.access.passwords import MIN_LENGTH, WeakPassword, check_password, common_passwords
from mmm.access.users import add_user, authenticate, reset_password
from mmm.demo import DEMO_PASSWORD
from mmm.demo.people import DEMO_USERS


@pytest.mark.parametrize(
    "password,reason",
    [
        ("aaaaaaaa", "short"),  # the finding: accepted as an admin password before
        ("elf-tekens!", "short"),
        ("Anna-2024-zomer", "name"),  # the name in any case
        ("aaaaaaaaaaaa", "common"),
        ("Password1234", "common"),  # a list entry, compared in lower case
        ("wachtwoord2024", "common"),  # a local word with a year
        ("azertyuiop123", "common"),  # the Belgian keyboard's top row
        ("1q2w3e4r5t6y", "common"),
        ("zomerzomerzomer", "common"),  # a short part repeated
    ],
)
def test_weak_passwords_are_refused_with_the_reason(password: str, reason: str) -> None:
    with pytest.raises(WeakPassword) as refused:
        check_password(password, name="anna")
    assert refused.value.reason == reason


def test_good_passwords_pass_and_the_list_is_shipped() -> None:
    check_password("paard batterij nietje", name="anna")
    check_password("Correct-Horse-7", name="anna")
    entries = common_passwords()
    assert len(entries) > 5000 and all(len(e) >= MIN_LENGTH and e == e.lower() for e in entries)
    assert "qwertyuiop123" in entries and "motdepasse2024" in entries


def test_the_demo_password_meets_the_rules() -> None:
    for name, _, _ in DEMO_USERS:
        check_password(DEMO_PASSWORD, name=name)


def test_rules_hold_for_new_users_and_resets(store) -> None:
    with pytest.raises(WeakPassword, match="at least 12"):
        add_user(store, "boss", "aaaaaaaa", role="admin")
    with pytest.raises(WeakPassword, match="user name"):
        add_user(store, "boss", "the-boss-of-the-zone", role="admin")
    user = add_user(store, "boss", "paard batterij nietje", role="admin")
    with pytest.raises(WeakPassword, match="too common"):
        reset_password(store, user.id, "Qwerty123456", actor="cli")
    with pytest.raises(WeakPassword, match="user name"):
        reset_password(store, user.id, "BOSS-boss-boss-1", actor="cli")
    assert authenticate(store, "boss", "paard batterij nietje") == user


def test_an_unknown_name_costs_the_same_work_as_a_wrong_password(store) -> None:
    add_user(store, "anna", "paard batterij nietje", role="analyst")

    def timed(name: str) -> float:
        start = time.perf_counter()
        for _ in range(5):
            assert authenticate(store, name, "wrong password here") is None
        return time.perf_counter() - start

    timed("nobody")  # the first call makes the hash checked for unknown names
    known, unknown = timed("anna"), timed("nobody")
    assert 0.4 < unknown / known < 2.5  # both run scrypt (tens of ms); a lookup alone: ~0.1 ms
