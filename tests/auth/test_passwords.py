"""Password hashing parameters and rules (no database)."""

from __future__ import annotations

import pytest
from argon2 import Type, extract_parameters

from core.api.errors import UserInputError
from core.auth import passwords
from core.auth.config import AuthConfig
from core.settings import SettingsError


def test_hashes_are_argon2id_at_or_above_the_owasp_minimum() -> None:
    stored = passwords.hash_password("一二三四五六七八九十abc")
    found = extract_parameters(stored)
    assert stored.startswith("$argon2id$")
    assert found.type is Type.ID
    assert found.memory_cost >= 19 * 1024  # KiB
    assert found.time_cost >= 2
    assert found.parallelism >= 1
    assert found.salt_len >= 16 and found.hash_len >= 32
    # The declared minimum is OWASP's, and current parameters meet it in every dimension.
    assert (passwords.OWASP_MINIMUM.memory_cost, passwords.OWASP_MINIMUM.time_cost) == (19456, 2)
    assert passwords.CURRENT.memory_cost >= passwords.OWASP_MINIMUM.memory_cost
    assert passwords.CURRENT.time_cost >= passwords.OWASP_MINIMUM.time_cost


def test_verify_and_salt() -> None:
    first = passwords.hash_password("correct horse battery")
    second = passwords.hash_password("correct horse battery")
    assert first != second  # salted
    assert passwords.verify_password(first, "correct horse battery")
    assert not passwords.verify_password(first, "correct horse batterY")
    assert not passwords.verify_password("not a hash", "anything")


def test_full_width_input_is_the_same_password() -> None:
    stored = passwords.hash_password("abc123XYZ789")
    assert passwords.verify_password(stored, "ａｂｃ１２３ＸＹＺ７８９")


def test_weaker_hashes_need_rehash_stronger_do_not() -> None:
    weak = passwords.hash_password(
        "x" * 12 + "y", passwords.HashParameters(time_cost=1, memory_cost=8 * 1024, parallelism=1)
    )
    assert passwords.needs_rehash(weak)
    assert not passwords.needs_rehash(passwords.hash_password("abcdefghijkl"))
    stronger = passwords.HashParameters(time_cost=4, memory_cost=48 * 1024, parallelism=2)
    assert not passwords.needs_rehash(passwords.hash_password("abcdefghijkl", stronger))
    assert passwords.needs_rehash("$2b$12$notargon")


def test_password_rules_have_chinese_messages() -> None:
    with pytest.raises(UserInputError) as excinfo:
        passwords.check_new_password("short", min_length=12)
    error = excinfo.value.errors[0]
    assert error.code == "PASSWORD_TOO_SHORT"
    assert "密码至少需要 12 个字符" in error.message
    for bad, code in (
        ("a" * 20, "PASSWORD_TOO_WEAK"),
        ("password1234", "PASSWORD_TOO_COMMON"),
        ("wang.xiaoming", "PASSWORD_IS_USERNAME"),
        ("x" * 300 + "y", "PASSWORD_TOO_LONG"),
    ):
        problems = passwords.password_problems(bad, min_length=12, username="wang.xiaoming")
        assert [p.code for p in problems] == [code], bad
    # Characters count, not bytes: twelve Chinese characters are enough.
    assert passwords.password_problems("基层治理平台账号密码安全", min_length=12) == []


def test_config_refuses_a_minimum_length_below_eight() -> None:
    assert AuthConfig.from_mapping({"min_password_length": 10}).min_password_length == 10
    with pytest.raises(SettingsError):
        AuthConfig.from_mapping({"min_password_length": 6})
    with pytest.raises(SettingsError):
        AuthConfig.from_mapping({"no_such_setting": 1})
