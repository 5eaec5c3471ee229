"""The plain data that extraction takes and returns."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
TXT = "text/plain"

PAGE_SEPARATOR = "\f"


@dataclass(frozen=True)
class ExtractionLimits:
    """Resource limits for reading one untrusted file; every value must be positive.

    The first three bound the sandboxed child process as a whole; the rest are checked while
    reading, in the child and in-process alike.
    """

    cpu_seconds: int = 60
    memory_bytes: int = 1_073_741_824
    wall_seconds: float = 120.0
    max_pages: int = 2000
    max_text_chars: int = 20_000_000
    max_docx_uncompressed_bytes: int = 200_000_000
    max_docx_members: int = 5000

    def __post_init__(self) -> None:
        for field in dataclasses.fields(self):
            if not getattr(self, field.name) > 0:
                raise ValueError(f"ExtractionLimits.{field.name} must be positive")


@dataclass(frozen=True)
class Page:
    """The text of one page; `number` is 1-based and counts every page, empty ones too."""

    number: int
    text: str


@dataclass(frozen=True)
class ExtractedText:
    """The text of a document, page by page.

    Page texts use "\\n" for line breaks and never contain "\\f" or NUL characters, so `.text`
    can be split at "\\f" back into the pages.
    """

    media_type: str
    pages: tuple[Page, ...]

    @property
    def text(self) -> str:
        """All pages joined with a form feed."""
        return PAGE_SEPARATOR.join(page.text for page in self.pages)

    @property
    def page_count(self) -> int:
        return len(self.pages)

    @property
    def char_count(self) -> int:
        """Characters of page text, without the separators between pages."""
        return sum(len(page.text) for page in self.pages)


@dataclass(frozen=True)
class DocumentInfo:
    """What an upload is, as far as a cheap look can tell; None where it could not tell."""

    media_type: str | None
    page_count: int | None
