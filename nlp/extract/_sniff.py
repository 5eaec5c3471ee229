"""Media type detection by content; the file name is never consulted."""

from __future__ import annotations

import codecs
import zipfile
from pathlib import Path

from nlp.extract._model import DOCX, PDF, TXT

# How much of a file's beginning callers should pass to `sniff_media_type`.
SNIFF_BYTES = 4096

_PDF_MAGIC = b"%PDF-"
# The PDF specification lets readers accept junk before the header within the first KiB.
_PDF_HEADER_WINDOW = 1024
_ZIP_MAGIC = b"PK\x03\x04"
_DOCX_MAIN_PART = "word/document.xml"
_MIN_PRINTABLE_SHARE = 0.95
# Layout characters that str.isprintable() rejects but ordinary text is full of.
_TEXT_LAYOUT = frozenset("\t\n\r\f\xa0\xad")


def sniff_media_type(head: bytes, *, path: Path | None = None) -> str | None:
    """Return PDF, DOCX or TXT for the file that starts with `head`, else None.

    Only the content counts. A ZIP is DOCX when it holds word/document.xml; telling that needs
    `path` (the whole file), so without it a ZIP is None. Text is UTF-8 (with or without BOM)
    or cp1252 without NUL bytes and with at least 95 % printable characters. OSError from
    opening `path` propagates.
    """
    if _PDF_MAGIC in head[:_PDF_HEADER_WINDOW]:
        return PDF
    if head.startswith(_ZIP_MAGIC):
        return DOCX if path is not None and _is_docx(path) else None
    return TXT if _looks_like_text(head) else None


def _is_docx(path: Path) -> bool:
    with path.open("rb") as file:
        try:
            with zipfile.ZipFile(file) as archive:
                return any(info.filename == _DOCX_MAIN_PART for info in archive.infolist())
        except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError, OSError):
            # A damaged central directory can send zipfile seeking to nonsense offsets.
            return False


def _looks_like_text(head: bytes) -> bool:
    if not head or b"\x00" in head:
        return False
    text = _decode_head(head)
    if text is None:
        return False
    printable = sum(1 for char in text if char.isprintable() or char in _TEXT_LAYOUT)
    return printable >= _MIN_PRINTABLE_SHARE * len(text)


def _decode_head(head: bytes) -> str | None:
    # Incremental, so a multi-byte character cut off at the end of `head` is not an error.
    try:
        return codecs.getincrementaldecoder("utf-8-sig")().decode(head, final=False)
    except UnicodeDecodeError:
        pass
    try:
        return head.decode("cp1252")
    except UnicodeDecodeError:
        return None
