"""One transaction per mutation, with expected errors returned as data, and
one audit record per mutation."""

from __future__ import annotations

import functools
import logging
import typing
from collections.abc import Callable
from typing import Any, TypeVar

import strawberry

from core.api.errors import ErrorDetail, PermissionDeniedError, UserInputError
from core.api.hygiene import TextTooLongError, input_path
from core.api.relay import MUTATION_RUNNING
from core.audit import service as audit
from core.db import database_unavailable

F = TypeVar("F", bound=Callable[..., Any])

log = logging.getLogger("jiceng.api")


FORBIDDEN = "FORBIDDEN"


def forbidden(error: PermissionDeniedError) -> UserInputError:
    """A permission refusal as the user error a mutation payload carries:
    FORBIDDEN, or UNAUTHENTICATED for a caller who is not signed in."""
    return UserInputError(errors=[ErrorDetail(error.code, error.message, None)])


def atomic(resolver: F) -> F:
    """Run a mutation resolver in its own transaction, audited.

    Success writes a "success" audit record in the same transaction and
    commits. A ``UserInputError`` rolls back, writes a "refused" record in a
    fresh transaction and returns the resolver's payload type with
    ``userErrors``. A ``PermissionDeniedError`` (not signed in, or outside
    the caller's scope) is a refusal too: the payload carries one user error
    with code FORBIDDEN (UNAUTHENTICATED when not signed in) and no field. Anything else rolls back, writes an
    "error" record (if the database still accepts it) and propagates (masked
    for the client); a database out of reach propagates without a record.
    The record's subject is what the resolver noted with
    ``context.audit_subject(...)``, else the payload's first ``Node``.
    """
    payload_type = typing.get_type_hints(resolver)["return"]

    @functools.wraps(resolver)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        info: strawberry.Info = kwargs["info"]
        context = info.context
        session = context.session
        action = f"mutation:{info.field_name}"
        context.audit_note = None
        context.in_mutation = True
        # Input IDs of records must go through core.api.ids meanwhile.
        running = MUTATION_RUNNING.set(True)
        try:
            result = resolver(*args, **kwargs)
            audit.record_mutation(context, action, "success", payload=result)
            session.commit()
            return result
        except (UserInputError, PermissionDeniedError) as error:
            session.rollback()
            context.in_mutation = False
            refusal = error if isinstance(error, UserInputError) else forbidden(error)
            if isinstance(error, TextTooLongError):
                # Name the input field the text came from, not the column.
                field = input_path({k: v for k, v in kwargs.items() if k != "info"}, error.value)
                refusal = error.named(field) if field else error
            # The refused change is gone; the refusal itself is kept.
            try:
                audit.record_mutation(context, action, "refused", detail={"codes": [e.code for e in refusal.errors]})
                session.commit()
            except BaseException:
                session.rollback()
                raise
            return payload_type(user_errors=refusal.user_errors())
        except Exception as error:
            session.rollback()
            context.in_mutation = False
            if database_unavailable(error):
                # The trail cannot be written either; the request is answered
                # 503 (or run again on a fresh connection) and logged once.
                raise
            try:
                audit.record_mutation(context, action, "error", detail={"error": type(error).__name__})
                session.commit()
            except Exception:
                session.rollback()
                log.exception("could not write the audit record of failed mutation %s", action)
            raise
        except BaseException:
            session.rollback()
            raise
        finally:
            context.in_mutation = False
            MUTATION_RUNNING.reset(running)

    return typing.cast(F, wrapper)
