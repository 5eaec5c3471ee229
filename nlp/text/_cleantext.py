"""`CleanText`: cleaned text that remembers where every character came from.

Each character of the cleaned text carries a code `page_index << 32 | offset_in_page` into the
original pages. Edits are applied with `rewrite`, which keeps the codes aligned: characters that
survive an edit keep their own code, inserted ones borrow the code of a neighbour.
"""

from __future__ import annotations

import re
from array import array
from bisect import bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass

_SHIFT = 32
_MASK = (1 << _SHIFT) - 1

Replacer = Callable[[re.Match[str]], str | None]


@dataclass(frozen=True)
class CleanText:
    """Cleaned text of a paged document.

    `text` joins the cleaned pages with "\\n". `page_at(offset)` and `source_offset(offset)` map
    any offset `0 <= offset <= len(text)` back to the 1-based page number and the offset in that
    page's original text (as passed to `clean_pages`).
    """

    text: str
    codes: array
    page_count: int
    printed_page_offset: int | None = None

    def page_at(self, offset: int) -> int:
        """1-based number of the page the character at `offset` came from."""
        return self.source_offset(offset)[0]

    def source_offset(self, offset: int) -> tuple[int, int]:
        """(1-based page number, offset in the original page text) for a cleaned offset.

        `offset == len(text)` maps just past the last character, so (start, end) spans map too.
        """
        if not 0 <= offset <= len(self.text):
            raise IndexError(f"offset {offset} outside 0..{len(self.text)}")
        if not self.codes:
            return (1, 0)
        if offset == len(self.text):
            page, position = _decode(self.codes[-1])
            return (page, position + 1)
        return _decode(self.codes[offset])

    def page_start(self, page: int) -> int:
        """Offset in `text` of the first character that came from `page` (or a later page)."""
        return bisect_right(self.codes, ((page - 1) << _SHIFT) - 1)


def _decode(code: int) -> tuple[int, int]:
    return ((code >> _SHIFT) + 1, code & _MASK)


def encode_pages(pages: Sequence[str]) -> tuple[str, array]:
    """Join pages with "\\n" and give every character its source code.

    The joining newline of page i maps to the end of page i, so codes never decrease.
    """
    parts: list[str] = []
    codes = array("q")
    for index, page in enumerate(pages):
        base = index << _SHIFT
        if index:
            parts.append("\n")
            codes.append(((index - 1) << _SHIFT) | len(pages[index - 1]))
        parts.append(page)
        codes.extend(range(base, base + len(page)))
    return "".join(parts), codes


def rewrite(
    text: str, codes: array, pattern: re.Pattern[str], replace: Replacer
) -> tuple[str, array]:
    """Apply `replace` to every match of `pattern`; `None` or the same text leaves a match as is."""
    edits: list[tuple[int, int, str]] = []
    for match in pattern.finditer(text):
        replacement = replace(match)
        if replacement is not None and replacement != match.group(0):
            edits.append((match.start(), match.end(), replacement))
    return apply_edits(text, codes, edits)


def apply_edits(
    text: str, codes: array, edits: Sequence[tuple[int, int, str]]
) -> tuple[str, array]:
    """Replace each (start, end) span by its text; spans must be sorted and must not overlap."""
    if not edits:
        return text, codes
    parts: list[str] = []
    new_codes = array("q")
    position = 0
    for start, end, replacement in edits:
        parts.append(text[position:start])
        new_codes.extend(codes[position:start])
        parts.append(replacement)
        new_codes.extend(_align(text[start:end], replacement, codes[start:end], start, codes))
        position = end
    parts.append(text[position:])
    new_codes.extend(codes[position:])
    return "".join(parts), new_codes


def _align(old: str, new: str, old_codes: array, start: int, codes: array) -> list[int]:
    """Codes for `new`: a character also found (in order) in `old` keeps its code."""
    if not old_codes:
        fallback = codes[start - 1] if start else (codes[0] if codes else 0)
        return [fallback] * len(new)
    result: list[int] = []
    cursor = 0
    for char in new:
        found = old.find(char, cursor)
        if found == -1:
            result.append(old_codes[min(cursor, len(old_codes) - 1)])
        else:
            result.append(old_codes[found])
            cursor = found + 1
    return result
