"""Literal strings of a PDF's content streams, for the personal-data check
of public attachments. Text drawn with ``(…) Tj`` / ``[…] TJ`` in plain or
Flate-compressed streams is found; text in fonts with custom encodings is
not (such a PDF is checked as far as the format allows)."""

from __future__ import annotations

import re
import zlib

_STREAM = re.compile(rb"stream\r?\n(.*?)\r?\nendstream", re.DOTALL)
_LITERAL = re.compile(rb"\((?:\\.|[^\\)])*\)", re.DOTALL)
_ESCAPES = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f", b"(": b"(", b")": b")", b"\\": b"\\"}
# Decompressed content read per stream: a bomb stops here.
MAX_STREAM_BYTES = 4 * 1024 * 1024


def _unescape(literal: bytes) -> bytes:
    out = bytearray()
    i = 0
    while i < len(literal):
        ch = literal[i : i + 1]
        if ch == b"\\" and i + 1 < len(literal):
            nxt = literal[i + 1 : i + 2]
            if nxt in _ESCAPES:
                out += _ESCAPES[nxt]
                i += 2
                continue
            octal = re.match(rb"[0-7]{1,3}", literal[i + 1 : i + 4])
            if octal:
                out.append(int(octal.group(), 8) & 0xFF)
                i += 1 + len(octal.group())
                continue
            i += 1
            continue
        out += ch
        i += 1
    return bytes(out)


def _streams(data: bytes) -> list[bytes]:
    found = []
    for match in _STREAM.finditer(data):
        raw = match.group(1)
        try:
            found.append(zlib.decompressobj().decompress(raw, MAX_STREAM_BYTES))
        except zlib.error:
            found.append(raw)
    return found


def pdf_text(data: bytes) -> str:
    parts = []
    for stream in _streams(data):
        for literal in _LITERAL.findall(stream):
            parts.append(_unescape(literal[1:-1]).decode("latin-1"))
    return " ".join(parts)
