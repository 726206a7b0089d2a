"""Sign-in settings of a deployment: the ``[auth]`` table of the TOML file.

```toml
[auth]
session_hours = 10          # a session ends this long after sign-in
idle_minutes = 30           # ... or after this long without a request
max_failures = 5            # failed sign-ins per username within the window ...
failure_window_minutes = 15
lockout_minutes = 15        # ... lock that username this long after the last one
max_failures_per_address = 20   # failed sign-ins from one client address (any usernames)
                                # within the window lock that address the same way
min_password_length = 12    # never below 8
```
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from datetime import timedelta
from typing import Any

from core.settings import Settings, SettingsError

# OWASP ASVS: at least 8 characters; the default asks for more.
MIN_PASSWORD_LENGTH_FLOOR = 8


@dataclass(frozen=True)
class AuthConfig:
    session_hours: float = 10
    idle_minutes: float = 30
    max_failures: int = 5
    failure_window_minutes: float = 15
    lockout_minutes: float = 15
    min_password_length: int = 12
    # Higher than max_failures: many people may sign in from one office network.
    max_failures_per_address: int = 20

    def __post_init__(self) -> None:
        for item in fields(self):
            value = getattr(self, item.name)
            if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
                raise SettingsError(f"auth.{item.name} must be a positive number, got {value!r}")
        integers = ("max_failures", "min_password_length", "max_failures_per_address")
        if not all(isinstance(getattr(self, name), int) for name in integers):
            raise SettingsError(f"auth.{', auth.'.join(integers)} must be integers")
        if self.min_password_length < MIN_PASSWORD_LENGTH_FLOOR:
            raise SettingsError(f"auth.min_password_length must be at least {MIN_PASSWORD_LENGTH_FLOOR}")

    @property
    def session_lifetime(self) -> timedelta:
        return timedelta(hours=self.session_hours)

    @property
    def idle_timeout(self) -> timedelta:
        return timedelta(minutes=self.idle_minutes)

    @property
    def failure_window(self) -> timedelta:
        return timedelta(minutes=self.failure_window_minutes)

    @property
    def lockout(self) -> timedelta:
        return timedelta(minutes=self.lockout_minutes)

    @classmethod
    def from_mapping(cls, values: Mapping[str, Any]) -> AuthConfig:
        known = {item.name for item in fields(cls)}
        unknown = sorted(set(values) - known)
        if unknown:
            raise SettingsError(f"unknown [auth] setting(s): {', '.join(unknown)}")
        return cls(**dict(values))

    @classmethod
    def from_settings(cls, settings: Settings) -> AuthConfig:
        values = settings.extra.get("auth", {})
        if not isinstance(values, Mapping):
            raise SettingsError("[auth] must be a table")
        return cls.from_mapping(values)
