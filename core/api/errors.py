"""Errors the API shows to users.

Expected problems (bad input, a rule refused) are data: a mutation payload's
``userErrors`` with a stable English ``code``, the ``field`` at fault and a
Chinese ``message``. Queries raise ``UserInputError`` and the client gets a
GraphQL error with the same ``code`` in ``extensions``. Anything unexpected
is masked: the client sees a generic message, the log has the traceback.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass

import strawberry

from graphql import GraphQLError, GraphQLFormattedError

log = logging.getLogger("jiceng.api")

INTERNAL_ERROR_MESSAGE = "服务器内部错误，请稍后重试或联系管理员。"


@strawberry.type(description="可由用户纠正的错误：字段、稳定的错误代码和中文说明。")
class UserError:
    field: str | None = strawberry.field(description="出错的输入字段（camelCase 路径），与具体字段无关时为空。")
    code: str = strawberry.field(description="稳定的英文错误代码，例如 NOT_FOUND、INVALID_VALUE。")
    message: str = strawberry.field(description="给最终用户看的中文说明。")


@dataclass(frozen=True)
class ErrorDetail:
    code: str
    message: str
    field: str | None = None

    def as_user_error(self) -> UserError:
        return UserError(field=self.field, code=self.code, message=self.message)


class UserInputError(Exception):
    """Raised by services for an expected, user-correctable problem."""

    def __init__(
        self,
        code: str = "",
        message: str = "",
        field: str | None = None,
        *,
        errors: Sequence[ErrorDetail] | None = None,
    ) -> None:
        self.errors: tuple[ErrorDetail, ...] = tuple(errors) if errors else (ErrorDetail(code, message, field),)
        super().__init__("; ".join(f"{e.code}: {e.message}" for e in self.errors))

    def user_errors(self) -> list[UserError]:
        return [e.as_user_error() for e in self.errors]


class NotFoundError(UserInputError):
    def __init__(self, what: str, field: str | None = "id") -> None:
        super().__init__("NOT_FOUND", f"{what}不存在或无权访问。", field)


class PermissionDeniedError(Exception):
    """The caller may not do this (outside their scope, or not signed in).

    A query answers it with a GraphQL error with the error's ``code``
    (FORBIDDEN); a mutation (``core.api.mutations.atomic``) with a user error
    of that code."""

    code = "FORBIDDEN"

    def __init__(self, message: str = "无权执行此操作。") -> None:
        super().__init__(message)
        self.message = message


class NotSignedInError(PermissionDeniedError):
    """The caller is not signed in where a signed-in user is required:
    UNAUTHENTICATED, so that a client asks for a sign-in instead of showing
    "no permission"."""

    code = "UNAUTHENTICATED"

    def __init__(self, message: str = "请先登录。") -> None:
        super().__init__(message)


# Exceptions whose message is meant for the client.
_SAFE_ERRORS: tuple[type[BaseException], ...] = (UserInputError, PermissionDeniedError)


def format_error(error: GraphQLError) -> GraphQLFormattedError:
    """A GraphQL error as the client sees it, with unexpected errors masked."""
    original = error.original_error
    if original is None:
        return error.formatted
    formatted: GraphQLFormattedError = {"message": error.message}
    if error.locations is not None:
        formatted["locations"] = [loc.formatted for loc in error.locations]
    if error.path is not None:
        formatted["path"] = error.path
    if isinstance(original, UserInputError):
        first = original.errors[0]
        formatted["message"] = first.message
        formatted["extensions"] = {"code": first.code, "field": first.field}
    elif isinstance(original, PermissionDeniedError):
        formatted["message"] = original.message
        formatted["extensions"] = {"code": original.code}
    elif isinstance(original, GraphQLError):
        # e.g. a scalar's parse error raised inside a resolver: meant for clients.
        return error.formatted
    else:
        log.error("unexpected error at %s", error.path, exc_info=original)
        formatted["message"] = INTERNAL_ERROR_MESSAGE
        formatted["extensions"] = {"code": "INTERNAL_SERVER_ERROR"}
    return formatted


def is_safe(exc: BaseException) -> bool:
    return isinstance(exc, _SAFE_ERRORS)
