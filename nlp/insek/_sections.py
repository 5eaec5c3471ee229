"""Pass one: where sections start and end (keyword headings, labels, Handlungsfeld borders)."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

from nlp.insek._keywords import LABEL, Section, label_section, section_of
from nlp.insek._lines import Line

_HEADING_KINDS = ("text", "numbered", "heading", "bold")


@dataclass(frozen=True)
class SectionSpan:
    """Lines [first, stop) of a section; `first` is its heading (or its first label line)."""

    section: Section
    first: int
    stop: int
    has_heading: bool


def find_sections(
    lines: Sequence[Line], *, markdown: bool, borders: Sequence[int]
) -> list[SectionSpan]:
    """Sections in document order; a section ends at the next section heading, at a Markdown
    heading of the same or a higher level, or at a Handlungsfeld border (`borders` are offsets).
    """
    spans: list[SectionSpan] = []
    open_: tuple[Section, int, int, bool] | None = None  # section, first, heading level, heading
    for index, line in enumerate(lines):
        opened = _opens(line, markdown=markdown)
        closes = open_ is not None and (
            opened is not None
            or _crosses(borders, lines[open_[1]].start, line.start)
            or (markdown and line.kind == "heading" and line.level <= max(open_[2], 1))
        )
        if closes and open_ is not None:
            spans.append(SectionSpan(open_[0], open_[1], index, open_[3]))
            open_ = None
        if opened is None and open_ is None and (label := label_of(line)) is not None:
            opened = (label, False)
        if opened is not None:
            open_ = (opened[0], index, line.level, opened[1])
    if open_ is not None:
        spans.append(SectionSpan(open_[0], open_[1], len(lines), open_[3]))
    return spans


def _opens(line: Line, *, markdown: bool) -> tuple[Section, bool] | None:
    """(section, is_heading) if the line opens a section; a label line opens one of its kind."""
    if line.kind in _HEADING_KINDS and (not markdown or line.kind in ("heading", "bold")):
        section = section_of(line.content)
        if section is not None:
            return section, True
    return None


def _crosses(borders: Sequence[int], start: int, position: int) -> bool:
    return bisect_right(borders, start) != bisect_right(borders, position)


def label_of(line: Line) -> Section | None:
    """The item kind of a labelled line ("Ziel 3: …"), or None."""
    match = LABEL.match(line.text)
    return label_section(match.group("word")) if match else None
