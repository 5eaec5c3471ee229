"""Extraction in the calling process: the reader behind the sandbox, unsafe on its own."""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from nlp.extract import _errors
from nlp.extract._docx import read_docx
from nlp.extract._errors import ExtractionError
from nlp.extract._model import DOCX, PDF, TXT, DocumentInfo, ExtractedText, ExtractionLimits
from nlp.extract._pages import PageCollector
from nlp.extract._pdf import count_pdf_pages, read_pdf
from nlp.extract._sniff import SNIFF_BYTES, sniff_media_type
from nlp.extract._text import read_text


class _Reader(Protocol):
    def __call__(self, path: Path, *, limits: ExtractionLimits, pages: PageCollector) -> None: ...


_READERS: dict[str, _Reader] = {PDF: read_pdf, DOCX: read_docx, TXT: read_text}


def extract_text(path: Path, *, limits: ExtractionLimits) -> ExtractedText:
    """Read the text of the PDF, DOCX or plain-text file at `path`, page by page.

    The type is sniffed from the content. Only `limits`' page, text and DOCX limits apply
    here; CPU, memory and wall time are bounded only by `extract_text_sandboxed`, so call
    this directly only for trusted files. Raises ExtractionError for files that cannot be
    read; OSError (e.g. a missing file) and MemoryError propagate.
    """
    media_type = read_media_type(path)
    if media_type is None:
        raise _errors.unsupported_type()
    pages = PageCollector(limits)
    _READERS[media_type](path, limits=limits, pages=pages)
    return ExtractedText(media_type=media_type, pages=pages.finish())


def inspect_in_process(path: Path, *, limits: ExtractionLimits) -> DocumentInfo:
    """Media type and, for PDFs, page count; page_count is None wherever it is unknown.

    Never raises ExtractionError: a broken or encrypted PDF just has no page count.
    """
    try:
        media_type = read_media_type(path)
    except ExtractionError:
        return DocumentInfo(media_type=None, page_count=None)
    if media_type != PDF:
        return DocumentInfo(media_type=media_type, page_count=None)
    try:
        page_count: int | None = count_pdf_pages(path, limits=limits)
    except ExtractionError:
        page_count = None
    return DocumentInfo(media_type=media_type, page_count=page_count)


def read_media_type(path: Path) -> str | None:
    """Sniff the file at `path`; raises ExtractionError `empty` for an empty file."""
    with path.open("rb") as file:
        head = file.read(SNIFF_BYTES)
    if not head:
        raise _errors.empty_file()
    return sniff_media_type(head, path=path)
