"""Password hashing (argon2id) and the rules a new password must meet.

Parameters: argon2id, 32 MiB of memory, 3 passes, 1 lane. OWASP's password
storage guidance asks for at least m = 19 MiB, t = 2, p = 1; these exceed it
in memory and in passes (about 0.1 s per hash on one core). A stored hash
whose parameters are below the current ones (or of another argon2 variant)
is replaced at the next successful sign-in (``needs_rehash``); a stronger
one is kept.

Passwords are NFKC-normalized before hashing, so that full-width characters
typed with a Chinese input method (``ａｂｃ１２３``) and their half-width forms
are the same password.
"""

from __future__ import annotations

import functools
import unicodedata
from dataclasses import dataclass

from argon2 import PasswordHasher, Type, extract_parameters
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from core.api.errors import ErrorDetail, UserInputError


@dataclass(frozen=True)
class HashParameters:
    time_cost: int
    memory_cost: int  # KiB
    parallelism: int
    hash_len: int = 32
    salt_len: int = 16


# OWASP Password Storage Cheat Sheet, argon2id minimum (one of its equivalent options).
OWASP_MINIMUM = HashParameters(time_cost=2, memory_cost=19 * 1024, parallelism=1)
CURRENT = HashParameters(time_cost=3, memory_cost=32 * 1024, parallelism=1)

MAX_PASSWORD_LENGTH = 256

# A few passwords long enough to pass the length rule that guessers try first.
COMMON_PASSWORDS = frozenset(
    {
        "123456789012",
        "1234567890123",
        "12345678901234",
        "123456789abc",
        "abc123456789",
        "1234567890ab",
        "1234567890qwe",
        "qwertyuiop12",
        "qwertyuiop123",
        "1qaz2wsx3edc",
        "1q2w3e4r5t6y",
        "password1234",
        "password123456",
        "passw0rd1234",
        "admin1234567",
        "admin123456789",
        "woaini1314520",
        "5201314520131",
        "aa123456789012",
        "qwer1234qwer1234",
        "jiceng123456",
    }
)


def _hasher(parameters: HashParameters = CURRENT) -> PasswordHasher:
    return PasswordHasher(
        time_cost=parameters.time_cost,
        memory_cost=parameters.memory_cost,
        parallelism=parameters.parallelism,
        hash_len=parameters.hash_len,
        salt_len=parameters.salt_len,
        type=Type.ID,
    )


_CURRENT_HASHER = _hasher()


def normalize(password: str) -> str:
    return unicodedata.normalize("NFKC", password)


def hash_password(password: str, parameters: HashParameters = CURRENT) -> str:
    """The argon2id hash (PHC string) of ``password``."""
    hasher = _CURRENT_HASHER if parameters == CURRENT else _hasher(parameters)
    return hasher.hash(normalize(password))


def verify_password(stored_hash: str, password: str) -> bool:
    """Whether ``password`` matches ``stored_hash``; a malformed hash never matches."""
    try:
        return _CURRENT_HASHER.verify(stored_hash, normalize(password))
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


@functools.cache
def _dummy_hash() -> str:
    return hash_password("jiceng-no-such-user-placeholder")


def burn_verification_time(password: str) -> None:
    """Verify against a placeholder hash when the username is unknown, so
    that the answer takes as long as for a known user with a wrong password."""
    verify_password(_dummy_hash(), password)


def needs_rehash(stored_hash: str, current: HashParameters = CURRENT) -> bool:
    """True when the stored hash is weaker than ``current`` in any parameter
    (or is not argon2id); a stronger hash is left alone."""
    try:
        found = extract_parameters(stored_hash)
    except InvalidHashError:
        return True
    return (
        found.type is not Type.ID
        or found.version < 19
        or found.time_cost < current.time_cost
        or found.memory_cost < current.memory_cost
        or found.parallelism < current.parallelism
        or found.hash_len < current.hash_len
        or found.salt_len < current.salt_len
    )


def parameters_of(stored_hash: str) -> HashParameters:
    found = extract_parameters(stored_hash)
    return HashParameters(found.time_cost, found.memory_cost, found.parallelism, found.hash_len, found.salt_len)


def password_problems(
    password: str, *, min_length: int, username: str | None = None, field: str = "password"
) -> list[ErrorDetail]:
    """What is wrong with a new password (empty when it is acceptable)."""
    normalized = normalize(password)
    length = len(normalized)
    problems: list[ErrorDetail] = []
    if length < min_length:
        problems.append(
            ErrorDetail("PASSWORD_TOO_SHORT", f"密码至少需要 {min_length} 个字符（当前 {length} 个）。", field)
        )
    elif length > MAX_PASSWORD_LENGTH:
        problems.append(ErrorDetail("PASSWORD_TOO_LONG", f"密码不能超过 {MAX_PASSWORD_LENGTH} 个字符。", field))
    elif len(set(normalized)) == 1:
        problems.append(ErrorDetail("PASSWORD_TOO_WEAK", "密码不能由同一个字符重复组成。", field))
    elif normalized.casefold() in COMMON_PASSWORDS:
        problems.append(ErrorDetail("PASSWORD_TOO_COMMON", "这个密码过于常见，容易被猜中，请换一个。", field))
    elif username and normalized.casefold() == username.casefold():
        problems.append(ErrorDetail("PASSWORD_IS_USERNAME", "密码不能与用户名相同。", field))
    return problems


def check_new_password(password: str, *, min_length: int, username: str | None = None, field: str = "password") -> None:
    problems = password_problems(password, min_length=min_length, username=username, field=field)
    if problems:
        raise UserInputError(errors=problems)
