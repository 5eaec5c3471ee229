"""`clean_pages`: from raw page texts to a `CleanText`, and `split_pages` for plain-text files."""

from __future__ import annotations

import re
from collections.abc import Sequence

from nlp.text import _furniture, _repair
from nlp.text._cleantext import CleanText, Replacer, apply_edits, encode_pages, rewrite

PAGE_BREAK = "\f"
_BLANK_LINE = "\n\n"
# "-- 3 of 17 --" after each page, as some PDF-to-text tools write it
_PAGE_MARKER = re.compile(r"(?m)^-- \d+ of \d+ --[ \t]*$")

_STEPS: tuple[tuple[re.Pattern[str], Replacer], ...] = (
    (_repair.CHARACTERS, _repair.characters),
    (_repair.BULLET_LINE, _repair.bullet),
    (_repair.HYPHEN_BREAK, _repair.hyphen),
    (_repair.LIGATURE_BREAK, _repair.ligature),
    (_repair.INNER_SPACES, _repair.collapse_spaces),
    (_repair.TRAILING_SPACES, _repair.strip),
)


def clean_pages(pages: Sequence[str], *, remove_furniture: bool = True) -> CleanText:
    """Clean PDF-extracted pages and keep the way back to them.

    Removes running heads and footers, normalises list glyphs to "• ", joins words hyphenated at
    a line end (keeping real hyphens: "Online-Umfrage", "Schul- und"), repairs words split after
    a ligature ("Profi lierung") and collapses blanks. Line breaks are otherwise kept, since
    headings and list items are told apart by line.
    """
    pages = list(pages)
    text, codes = encode_pages(pages)
    furniture = _furniture.detect(pages) if len(pages) >= 3 else None
    if remove_furniture and furniture is not None:
        text, codes = apply_edits(text, codes, _furniture_edits(pages, furniture))
    steps = list(_STEPS)
    if len(_repair.SECTION_SIGN_BULLET.findall(text)) >= _repair.SECTION_SIGN_BULLETS_MIN:
        steps[1] = (_repair.BULLET_LINE_WITH_SECTION_SIGN, _repair.bullet)
    for pattern, replace in steps:
        text, codes = rewrite(text, codes, pattern, replace)
    offset = furniture.page_offset if furniture is not None else None
    return CleanText(text=text, codes=codes, page_count=len(pages), printed_page_offset=offset)


def _furniture_edits(
    pages: Sequence[str], furniture: _furniture.Furniture
) -> list[tuple[int, int, str]]:
    edits: list[tuple[int, int, str]] = []
    base = 0
    for page in pages:
        for start, end in _furniture.edge_lines(page):
            if _furniture.template(page[start:end]) in furniture.templates:
                stop = end + 1 if end < len(page) else end
                edits.append((base + start, base + stop, ""))
        base += len(page) + 1
    return edits


def split_page_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each page of a plain-text document, page i+1 at index i.

    Pages are separated by form feeds when the text has any. Otherwise blank lines are taken as
    page breaks if the running heads confirm it (their page numbers run with the blank-line
    chunks); then the page numbering follows the printed numbers, with empty (0, 0) spans for
    missing leading pages. Page markers "-- 3 of 17 --" closing each page are used as well.
    Failing all, the whole text is one page.
    """
    markers = list(_PAGE_MARKER.finditer(text)) if PAGE_BREAK not in text else []
    if len(markers) >= 2:
        return _marker_spans(text, markers)
    separator = PAGE_BREAK if PAGE_BREAK in text else _BLANK_LINE
    spans = _chunk_spans(text, separator)
    if separator == PAGE_BREAK:
        return spans
    chunks = [text[start:end] for start, end in spans]
    offset = _furniture.detect(chunks).page_offset if len(chunks) >= 3 else None
    if offset is None:
        return [(0, len(text))]
    # chunk i (1-based) is printed page i + offset
    if offset > 0:
        return [(0, 0)] * offset + spans
    drop = -offset
    if all(not chunk.strip() for chunk in chunks[:drop]):
        return spans[drop:]
    return spans


def _marker_spans(text: str, markers: list[re.Match[str]]) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    start = 0
    for marker in markers:
        spans.append((start, marker.start()))
        start = marker.end()
    if text[start:].strip():
        spans.append((start, len(text)))
    return spans


def split_pages(text: str) -> list[str]:
    """The page texts of a plain-text document (see `split_page_spans`)."""
    return [text[start:end] for start, end in split_page_spans(text)]


def _chunk_spans(text: str, separator: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    start = 0
    while True:
        found = text.find(separator, start)
        if found == -1:
            spans.append((start, len(text)))
            return spans
        spans.append((start, found))
        start = found + len(separator)
