"""File types told by content; PDF text read for the personal-data check;
the storage key never becomes a path outside the storage directory."""

from __future__ import annotations

import io
import zipfile
import zlib
from pathlib import Path

import pytest
from openpyxl import Workbook

from core.documents.content import (
    DOCX,
    JPEG,
    PDF,
    PNG,
    TEXT,
    XLSX,
    readable_text,
    sniff,
)
from core.documents.samples import pdf_with_text, png
from core.documents.storage import LocalStorage, StoredFileMissing


def _zip(**parts: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        for name, data in parts.items():
            package.writestr(name.replace("__", "/"), data)
    return buffer.getvalue()


def test_types_by_content() -> None:
    workbook = io.BytesIO()
    Workbook().save(workbook)
    assert sniff(workbook.getvalue()) == XLSX
    assert sniff(_zip(**{"[Content_Types].xml": b"<x/>", "word__document.xml": b"<w/>"})) == DOCX
    # A zip that is not an office document, and a broken one.
    assert sniff(_zip(**{"evil.exe": b"MZ"})) is None
    assert sniff(b"PK\x03\x04garbage") is None
    assert sniff(pdf_with_text("x")) == PDF
    assert sniff(png()) == PNG
    assert sniff(b"\xff\xd8\xff\xe0\x00\x10JFIF") == JPEG
    assert sniff("居民议事会记录\n".encode()) == TEXT
    assert sniff(b"text with a \x00 NUL") is None
    assert sniff(b"\xc3\x28 not utf-8") is None
    assert sniff(b"") is None


def test_pdf_text_plain_and_compressed() -> None:
    assert "13812345678" in (readable_text(pdf_with_text("call 13812345678"), PDF) or "")
    stream = zlib.compress(b"BT (ID 110101199003071234) Tj ET")
    compressed = b"%PDF-1.4\n4 0 obj\n<< /Filter /FlateDecode >>\nstream\n" + stream + b"\nendstream\nendobj\n%%EOF"
    assert "110101199003071234" in (readable_text(compressed, PDF) or "")
    assert readable_text(png(), PNG) is None


def test_local_storage_round_trip_and_keys(tmp_path: Path) -> None:
    storage = LocalStorage(tmp_path)
    storage.put("2026/12/abc", b"data")
    assert storage.exists("2026/12/abc") and storage.get("2026/12/abc") == b"data"
    storage.delete("2026/12/abc")
    assert not storage.exists("2026/12/abc")
    with pytest.raises(StoredFileMissing):
        storage.get("2026/12/abc")
    for bad in ("../etc/passwd", "/abs", "a/../../b", "A"):
        with pytest.raises(ValueError):
            storage.put(bad, b"x")
