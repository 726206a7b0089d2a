"""Parsed and validated GraphQL documents, kept by their text.

The cache is bounded by an estimate of the memory its entries hold, not only
by their number: a document's text (kept twice: as the key and inside the
parsed source), its tokens (each with its AST node and location) and its
validation errors. A document longer than ``max_document_bytes`` is parsed
and validated for its request and not kept at all, so that large distinct
documents cannot grow the server.
"""

from __future__ import annotations

import sys
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from threading import Lock

from graphql import DocumentNode, GraphQLError

# Measured with tracemalloc on real operations: about 400 to 1,200 bytes per
# token for the token, its AST node and its location; rounded up.
BYTES_PER_TOKEN = 1_500
BYTES_PER_ERROR = 2_000


@dataclass(frozen=True)
class PreparedDocument:
    """A document as parsed (or why it does not parse) and its validation errors."""

    document: DocumentNode | GraphQLError
    errors: tuple[GraphQLError, ...] = ()


def _token_count(document: DocumentNode) -> int:
    count = 0
    token = document.loc.start_token if document.loc is not None else None
    while token is not None:
        count += 1
        token = token.next
    return count


def estimated_bytes(text: str, prepared: PreparedDocument) -> int:
    """Memory an entry holds, estimated from above."""
    size = 2 * sys.getsizeof(text) + BYTES_PER_ERROR * len(prepared.errors)
    if isinstance(prepared.document, DocumentNode):
        size += BYTES_PER_TOKEN * _token_count(prepared.document)
    else:
        size += BYTES_PER_ERROR
    return size


class DocumentCache:
    """A thread-safe LRU cache of ``PreparedDocument`` by text, bounded in bytes."""

    def __init__(self, max_bytes: int, max_document_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.max_document_bytes = max_document_bytes
        self.items: OrderedDict[str, tuple[PreparedDocument, int]] = OrderedDict()
        self.bytes = 0
        self.lock = Lock()

    def get_or_make(self, text: str, make: Callable[[], PreparedDocument]) -> PreparedDocument:
        with self.lock:
            found = self.items.get(text)
            if found is not None:
                self.items.move_to_end(text)
                return found[0]
        prepared = make()
        if sys.getsizeof(text) > self.max_document_bytes:
            return prepared  # too large to keep
        size = estimated_bytes(text, prepared)
        if size > self.max_bytes:
            return prepared
        with self.lock:
            previous = self.items.pop(text, None)
            if previous is not None:
                self.bytes -= previous[1]
            self.items[text] = (prepared, size)
            self.bytes += size
            while self.bytes > self.max_bytes:
                _text, (_prepared, evicted) = self.items.popitem(last=False)
                self.bytes -= evicted
        return prepared

    def __len__(self) -> int:
        return len(self.items)
