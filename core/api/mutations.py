"""One transaction per mutation, with expected errors returned as data."""

from __future__ import annotations

import functools
import typing
from collections.abc import Callable
from typing import Any, TypeVar

import strawberry

from core.api.errors import UserInputError

F = TypeVar("F", bound=Callable[..., Any])


def atomic(resolver: F) -> F:
    """Run a mutation resolver in its own transaction.

    Success commits; a ``UserInputError`` rolls back and returns the
    resolver's payload type with ``userErrors``; anything else rolls back and
    propagates (and is masked for the client).
    """
    payload_type = typing.get_type_hints(resolver)["return"]

    @functools.wraps(resolver)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        info: strawberry.Info = kwargs["info"]
        session = info.context.session
        try:
            result = resolver(*args, **kwargs)
            session.commit()
            return result
        except UserInputError as error:
            session.rollback()
            return payload_type(user_errors=error.user_errors())
        except BaseException:
            session.rollback()
            raise

    return typing.cast(F, wrapper)
