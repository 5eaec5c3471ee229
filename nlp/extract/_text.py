"""Plain text: UTF-8 (BOM allowed), else cp1252; pages split at form feeds or page evidence."""

from __future__ import annotations

from pathlib import Path

from nlp.extract import _errors
from nlp.extract._model import PAGE_SEPARATOR, ExtractionLimits
from nlp.extract._pages import PageCollector
from nlp.text import split_pages

_UTF8_BOM = b"\xef\xbb\xbf"
# No encoding used here needs more than four bytes for one character.
_MAX_BYTES_PER_CHAR = 4


def read_text(path: Path, *, limits: ExtractionLimits, pages: PageCollector) -> None:
    """Add the pages of the text file at `path` to `pages`.

    A trailing form feed does not open an empty last page. Raises ExtractionError
    (too_much_text, too_many_pages); OSError propagates.
    """
    if path.stat().st_size > _MAX_BYTES_PER_CHAR * limits.max_text_chars:
        raise _errors.too_much_text(limits.max_text_chars)
    decoded = decode_text(path.read_bytes())
    # Text exported from a PDF without form feeds: recover pages from the running heads' page
    # numbers when they are there (one page otherwise).
    texts = decoded.split(PAGE_SEPARATOR) if PAGE_SEPARATOR in decoded else split_pages(decoded)
    if len(texts) > 1 and not texts[-1].strip():
        texts.pop()
    if len(texts) > limits.max_pages:
        raise _errors.too_many_pages(len(texts), limits.max_pages)
    for text in texts:
        pages.add(text)


def decode_text(data: bytes) -> str:
    """UTF-8 if the bytes are valid UTF-8 (a BOM is dropped), else cp1252.

    cp1252 leaves five byte values undefined; they become U+FFFD rather than an error.
    """
    if data.startswith(_UTF8_BOM):
        data = data[len(_UTF8_BOM) :]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")
