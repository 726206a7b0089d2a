"""What a file is, told by its content (magic bytes), never by its name."""

from __future__ import annotations

import io
import zipfile

PDF = "application/pdf"
JPEG = "image/jpeg"
PNG = "image/png"
TEXT = "text/plain"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"

TYPE_NAMES = {
    PDF: "PDF",
    JPEG: "JPEG 图片",
    PNG: "PNG 图片",
    TEXT: "纯文本",
    DOCX: "Word 文档（.docx）",
    XLSX: "Excel 表格（.xlsx）",
    PPTX: "PowerPoint 演示文稿（.pptx）",
}
# The part of an OOXML package that says which kind of document it is.
_OOXML_MAIN_PARTS = (("word/document.xml", DOCX), ("xl/workbook.xml", XLSX), ("ppt/presentation.xml", PPTX))
# Control characters other than tab, newline, form feed and carriage return mark binary data.
_TEXT_CONTROLS = set(range(32)) - {9, 10, 12, 13}


def _ooxml_type(data: bytes) -> str | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            names = set(package.namelist())
    except (zipfile.BadZipFile, ValueError):
        return None
    if "[Content_Types].xml" not in names:
        return None
    return next((kind for part, kind in _OOXML_MAIN_PARTS if part in names), None)


def _is_text(data: bytes) -> bool:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return not any(ord(ch) in _TEXT_CONTROLS for ch in text)


def sniff(data: bytes) -> str | None:
    """The content type of ``data`` among those the platform accepts, or
    None for anything else (an executable renamed to .pdf included)."""
    if data.startswith(b"%PDF-"):
        return PDF
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if data.startswith(b"PK\x03\x04"):
        return _ooxml_type(data)
    if data and _is_text(data):
        return TEXT
    return None


def readable_text(data: bytes, content_type: str) -> str | None:
    """The text a person reading the file sees, where the format allows it
    without rendering: plain text, and the literal strings of a PDF's
    uncompressed and Flate-compressed content streams. None: not readable."""
    if content_type == TEXT:
        return data.decode("utf-8")
    if content_type == PDF:
        from core.documents.pdftext import pdf_text

        return pdf_text(data)
    return None
