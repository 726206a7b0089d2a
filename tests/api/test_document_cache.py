"""The parse and validation cache stays bounded in bytes, whatever documents arrive.

Memory is measured with tracemalloc around many distinct documents, so the
tests hold for what the process really keeps, not only for the cache's own
estimate.
"""

from __future__ import annotations

import gc
import tracemalloc
from collections.abc import Callable

from core.api.document_cache import DocumentCache, PreparedDocument, estimated_bytes
from core.api.http import GraphQLEndpoint
from graphql import DocumentNode
from tests.api.test_http import endpoint_app

MB = 1024 * 1024


def retained_by(action: Callable[[], None]) -> int:
    """Bytes still allocated after ``action`` (and a collection) that were not before."""
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        action()
        gc.collect()
        return tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()


def padded(index: int, size: int) -> str:
    """A distinct valid document of about ``size`` characters."""
    return f"{{ hello }} # {index}\n" + " " * size


def send(endpoint: GraphQLEndpoint, documents: list[str]) -> None:
    for text in documents:
        assert isinstance(endpoint._document(text), DocumentNode)


def test_documents_above_the_size_limit_are_not_kept() -> None:
    endpoint, _client = endpoint_app()  # defaults: 64 KiB at most per cached document
    documents = [padded(i, 300_000) for i in range(10)]  # 3 MB of distinct documents
    grown = retained_by(lambda: send(endpoint, documents))
    assert grown < 1 * MB
    assert len(endpoint.documents) == 0 and endpoint.documents.bytes == 0
    # A small document is still parsed once and kept.
    assert endpoint._document("{ hello }") is endpoint._document("{ hello }")


def test_many_distinct_documents_stay_within_the_byte_bound() -> None:
    bound = 1 * MB
    endpoint, _client = endpoint_app(document_cache_bytes=bound, max_cached_document_bytes=64 * 1024)
    documents = [padded(i, 30_000) for i in range(100)]  # 3 MB of distinct documents, each cacheable
    grown = retained_by(lambda: send(endpoint, documents))
    assert endpoint.documents.bytes <= bound
    assert grown <= bound
    assert 0 < len(endpoint.documents) < 100
    # The newest documents are the ones kept.
    assert documents[-1] in endpoint.documents.items and documents[0] not in endpoint.documents.items


def test_the_estimate_is_not_below_what_a_document_holds() -> None:
    endpoint, _client = endpoint_app()
    text = "{ " + " ".join(f"a{i}: hello" for i in range(1000)) + " }"
    kept: list[PreparedDocument] = []
    grown = retained_by(lambda: kept.append(endpoint._prepared(text + " ")))
    assert estimated_bytes(text, kept[0]) >= grown


def test_an_entry_larger_than_the_whole_cache_is_not_kept() -> None:
    cache = DocumentCache(max_bytes=1_000, max_document_bytes=64 * 1024)
    made = cache.get_or_make("{ hello }" + " " * 2_000, lambda: PreparedDocument(DocumentNode()))
    assert isinstance(made.document, DocumentNode)
    assert len(cache) == 0 and cache.bytes == 0
