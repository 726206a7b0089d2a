"""Short-lived signed links: a browser opens a download without a header.

A link names one object (a ``Document``), the user it was issued to and its
expiry, signed with HMAC-SHA256 under a key derived from the deployment's
``secret_key`` (production refuses to start without one; in development a
key made per process stands in, so links end with the process). Whoever
opens the link acts as that user: the download checks that the user is
still active and still may read the object, and is audited as theirs.
Links are issued through GraphQL (``createDocumentDownloadLink``) and last
``download_link_seconds`` (300 unless the settings say otherwise).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import secrets
import time
from dataclasses import dataclass

from core.settings import Settings

_PURPOSE = b"jiceng signed link v1:"
_DEVELOPMENT_KEY = secrets.token_bytes(32)
MAX_TOKEN_LENGTH = 200


class LinkError(Exception):
    """The link is not valid (``INVALID_LINK``) or has expired (``LINK_EXPIRED``)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class SignedLink:
    kind: str
    object_pk: int
    user_id: int
    expires_at: int


def _key(settings: Settings) -> bytes:
    if not settings.secret_key:
        return _DEVELOPMENT_KEY
    return hashlib.sha256(_PURPOSE + settings.secret_key.encode("utf-8")).digest()


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _mac(settings: Settings, body: str) -> bytes:
    return hmac.new(_key(settings), body.encode("ascii"), hashlib.sha256).digest()


def sign_link(
    settings: Settings, kind: str, object_pk: int, user_id: int, *, now: float | None = None
) -> tuple[str, int]:
    """A token for ``kind``/``object_pk`` issued to ``user_id``, and its expiry (Unix seconds)."""
    expires_at = int(now if now is not None else time.time()) + settings.download_link_seconds
    body = _b64(f"{kind}.{object_pk}.{user_id}.{expires_at}".encode("ascii"))
    return f"{body}.{_b64(_mac(settings, body))}", expires_at


def read_link(settings: Settings, token: str, kind: str, *, now: float | None = None) -> SignedLink:
    """The link ``token`` stands for, if its signature holds, it names a
    ``kind`` object and it has not expired; else ``LinkError``."""
    if len(token) > MAX_TOKEN_LENGTH or token.count(".") != 1:
        raise LinkError("INVALID_LINK")
    body, signature = token.split(".")
    try:
        given = _unb64(signature)
        fields = _unb64(body).decode("ascii").split(".")
    except (binascii.Error, ValueError):
        raise LinkError("INVALID_LINK") from None
    if not hmac.compare_digest(given, _mac(settings, body)):
        raise LinkError("INVALID_LINK")
    if len(fields) != 4 or fields[0] != kind or not all(f.isdigit() for f in fields[1:]):
        raise LinkError("INVALID_LINK")
    link = SignedLink(fields[0], int(fields[1]), int(fields[2]), int(fields[3]))
    if link.expires_at <= int(now if now is not None else time.time()):
        raise LinkError("LINK_EXPIRED")
    return link
