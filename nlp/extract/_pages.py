"""Collecting page texts under the page and character limits."""

from __future__ import annotations

from nlp.extract import _errors
from nlp.extract._model import PAGE_SEPARATOR, ExtractionLimits, Page


def normalise(text: str) -> str:
    """Line breaks become "\\n"; form feeds (reserved between pages) become "\\n" too.

    NUL characters are dropped (PostgreSQL text cannot hold them) and lone surrogates, which
    broken PDF fonts produce, become "?" so the text can always be encoded as UTF-8.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace(PAGE_SEPARATOR, "\n")
    text = text.replace("\x00", "")
    return text.encode("utf-8", "replace").decode("utf-8")


class PageCollector:
    """Accumulates pages in order and raises ExtractionError as soon as a limit is passed."""

    def __init__(self, limits: ExtractionLimits) -> None:
        self._limits = limits
        self._pages: list[Page] = []
        self._chars = 0

    def ensure_room(self, pending_chars: int) -> None:
        """Raise too_much_text if `pending_chars` more characters would pass the limit.

        Readers that build a page piece by piece call this so a single enormous page is
        stopped early, not after it was assembled.
        """
        if self._chars + pending_chars > self._limits.max_text_chars:
            raise _errors.too_much_text(self._limits.max_text_chars)

    def add(self, text: str) -> None:
        """Append the next page (normalised)."""
        if len(self._pages) >= self._limits.max_pages:
            raise _errors.too_many_pages(None, self._limits.max_pages)
        text = normalise(text)
        self.ensure_room(len(text))
        self._chars += len(text)
        self._pages.append(Page(number=len(self._pages) + 1, text=text))

    def finish(self) -> tuple[Page, ...]:
        """All pages; raises `empty` when no page holds anything but whitespace."""
        if not any(page.text.strip() for page in self._pages):
            raise _errors.no_text()
        return tuple(self._pages)
