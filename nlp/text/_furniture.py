"""Running heads and footers: short lines repeated at the top or bottom of many pages.

A line template (digits replaced by "#") is furniture when it sits among the first or last
`EDGE_LINES` non-empty lines of many pages, and either carries a number that runs with the page
index (a page number) or repeats verbatim on a large share of pages. Section headings that recur
page after page ("ZIELE") rarely sit at an edge often enough to pass either test.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

EDGE_LINES = 3
MAX_LINE_CHARS = 100
# Printed page numbers usually trail the physical index by a few unnumbered cover pages; a
# larger offset means the number counts something else ("Ziel 7" on page 19).
MAX_PAGE_OFFSET = 6
NUMBERED_SHARE = 0.15
VERBATIM_SHARE = 0.4

_DIGITS = re.compile(r"\d+")
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class Furniture:
    """Templates found to be furniture and the detected printed-page offset (printed - index)."""

    templates: frozenset[str]
    page_offset: int | None


def template(line: str) -> str:
    """The comparison key of a line: lower case, digits as "#", whitespace collapsed."""
    return _SPACES.sub(" ", _DIGITS.sub("#", line)).strip().lower()


def edge_lines(page: str) -> list[tuple[int, int]]:
    """(start, end) spans of the first and last `EDGE_LINES` non-empty lines of a page."""
    spans = [m.span() for m in re.finditer(r"[^\n]*\S[^\n]*", page)]
    if len(spans) <= 2 * EDGE_LINES:
        return spans
    return spans[:EDGE_LINES] + spans[-EDGE_LINES:]


def detect(pages: Sequence[str]) -> Furniture:
    """Find the furniture templates of a document (needs at least three pages with text)."""
    occurrences: dict[str, set[int]] = defaultdict(set)
    offsets: dict[str, Counter[int]] = defaultdict(Counter)
    for index, page in enumerate(pages, start=1):
        for start, end in edge_lines(page):
            line = page[start:end]
            if len(line.strip()) > MAX_LINE_CHARS:
                continue
            key = template(line)
            occurrences[key].add(index)
            for number in {int(n) for n in _DIGITS.findall(line) if len(n) <= 4}:
                offsets[key][number - index] += 1
    text_pages = sum(1 for page in pages if page.strip())
    templates: set[str] = set()
    page_offset: Counter[int] = Counter()
    for key, found in occurrences.items():
        share = len(found) / max(text_pages, 1)
        if len(found) < 3:
            continue
        offset = _page_number_offset(offsets.get(key), len(found))
        if offset is not None and share >= NUMBERED_SHARE:
            templates.add(key)
            page_offset[offset] += len(found)
        elif "#" not in key and share >= VERBATIM_SHARE:
            templates.add(key)
    best = page_offset.most_common(1)[0][0] if page_offset else None
    return Furniture(frozenset(templates), best)


def _page_number_offset(counts: Counter[int] | None, occurrences: int) -> int | None:
    if not counts:
        return None
    offset, count = counts.most_common(1)[0]
    if abs(offset) <= MAX_PAGE_OFFSET and count >= 0.6 * occurrences:
        return offset
    return None
