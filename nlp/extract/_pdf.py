"""PDF text via pypdf, page by page, with pypdf's failures turned into ExtractionError."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from pypdf import PasswordType, PdfReader, apply_configuration
from pypdf.errors import DependencyError, FileNotDecryptedError, LimitReachedError

from nlp.extract import _errors
from nlp.extract._errors import ExtractionError
from nlp.extract._model import ExtractionLimits
from nlp.extract._pages import PageCollector


def read_pdf(path: Path, *, limits: ExtractionLimits, pages: PageCollector) -> None:
    """Add the text of every page of the PDF at `path` to `pages`.

    An encrypted PDF is read if its user password is empty. Raises ExtractionError
    (encrypted, corrupt, zip_bomb, too_many_pages, too_much_text); OSError from opening
    `path` propagates, and so does MemoryError (the sandbox reports it).
    """
    with path.open("rb") as file, _pdf_errors(limits):
        reader = _open(file)
        count = _page_count(reader, max_pages=limits.max_pages)
        if count > limits.max_pages:
            raise _errors.too_many_pages(count, limits.max_pages)
        for page in reader.pages:
            pages.add(page.extract_text())


def count_pdf_pages(path: Path, *, limits: ExtractionLimits) -> int:
    """The number of pages (declared, if that already exceeds `limits.max_pages`).

    Raises ExtractionError like `read_pdf`.
    """
    with path.open("rb") as file, _pdf_errors(limits):
        return _page_count(_open(file), max_pages=limits.max_pages)


def _open(file: BinaryIO) -> PdfReader:
    reader = PdfReader(file, strict=False)
    if reader.is_encrypted:
        # Many official PDFs are "encrypted" only to restrict printing: empty user password.
        # AES needs the optional `cryptography` package; without it they count as encrypted.
        try:
            decrypted = reader.decrypt("")
        except DependencyError:
            raise _errors.encrypted() from None
        if decrypted == PasswordType.NOT_DECRYPTED:
            raise _errors.encrypted()
    return reader


def _page_count(reader: PdfReader, *, max_pages: int) -> int:
    # The declared /Count costs nothing; flattening the page tree of a hostile file can cost a
    # lot, so a document that already claims too many pages is judged by its claim.
    declared = _declared_page_count(reader)
    if declared is not None and declared > max_pages:
        return declared
    return len(reader.pages)


def _declared_page_count(reader: PdfReader) -> int | None:
    try:
        count = reader.root_object["/Pages"]["/Count"]  # type: ignore[index]
    except Exception:  # any malformed tree just means "no claim"
        return None
    return count if isinstance(count, int) else None


@contextmanager
def _pdf_errors(limits: ExtractionLimits) -> Iterator[None]:
    """Map whatever pypdf raises on a bad file to ExtractionError.

    pypdf raises far more than its own exception types on crafted input (TypeError, KeyError,
    RecursionError, zlib.error, ...), so everything but MemoryError counts as a broken file.
    """
    # External decoders would be a process we do not limit; text extraction never needs them.
    with apply_configuration(jbig2dec_binary=None):
        try:
            yield
        except (ExtractionError, MemoryError):
            raise
        except FileNotDecryptedError:
            raise _errors.encrypted() from None
        except LimitReachedError as error:
            raise _limit_error(error, max_pages=limits.max_pages) from None
        except Exception:
            raise _errors.corrupt_pdf() from None


def _limit_error(error: LimitReachedError, *, max_pages: int) -> ExtractionError:
    # pypdf tells its limits apart only by message; anything unrecognised stays "corrupt".
    message = str(error).lower()
    if "decompress" in message or "decoding exceeded" in message:
        return _errors.pdf_bomb()
    if "page tree page entry" in message:
        # Millions of page entries: far more than max_pages, but pypdf stopped counting.
        return _errors.too_many_pages(None, max_pages)
    return _errors.pdf_over_safety_limits()
