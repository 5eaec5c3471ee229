"""`extract_goalset`: from pages (or a `CleanText`) to a `GoalSet`."""

from __future__ import annotations

import re
from collections.abc import Sequence

from nlp.insek._attributes import measure_attributes
from nlp.insek._fields import Field, find_fields
from nlp.insek._items import Item, section_items, uses_indentation
from nlp.insek._keywords import LABEL
from nlp.insek._lines import MARKUP, Line, is_markdown, split_lines
from nlp.insek._model import (
    Approach,
    Goal,
    GoalSet,
    Handlungsfeld,
    Leitbild,
    Measure,
    Source,
)
from nlp.insek._sections import SectionSpan, find_sections
from nlp.text import CleanText, clean_pages

FORMATS = ("auto", "text", "markdown")
_DESCRIPTION_CHARS = 300
_LEITBILD_CHARS = 1500
_NUMBER_CELL = re.compile(r"^[A-Z]?\d{1,3}[a-z]?\.?$")


def extract_goalset(pages: Sequence[str] | CleanText, *, fmt: str = "auto") -> GoalSet:
    """Find Leitbild, Handlungsfelder, goals, approaches, measures and Querschnittsthemen.

    `pages` are page texts (1-based by position) or an already cleaned text; `fmt` is "auto"
    (Markdown when the text has Markdown headings or tables), "text" or "markdown". Every item's
    source gives its page and [start, end) offsets in the cleaned text. Raises ValueError for an
    unknown `fmt`.
    """
    clean = pages if isinstance(pages, CleanText) else clean_document(pages, fmt=fmt)
    markdown = _is_markdown(clean.text, fmt)
    lines = split_lines(clean, markdown=markdown)
    fields = find_fields(lines, clean, markdown=markdown)
    borders = sorted({f.start for f in fields} | {f.end for f in fields})
    spans = find_sections(lines, markdown=markdown, borders=borders)
    return _assemble(clean, lines, fields, spans, markdown=markdown)


def clean_document(pages: Sequence[str], *, fmt: str = "auto") -> CleanText:
    """The cleaned text `extract_goalset` works on; Markdown keeps its lines (no furniture).

    Raises ValueError for an unknown `fmt`.
    """
    markdown = _is_markdown("\n".join(pages), fmt)
    return clean_pages(pages, remove_furniture=not markdown)


def _is_markdown(text: str, fmt: str) -> bool:
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; expected one of {FORMATS}")
    return fmt == "markdown" or (fmt == "auto" and is_markdown(text))


def _assemble(
    clean: CleanText,
    lines: Sequence[Line],
    fields: Sequence[Field],
    spans: Sequence[SectionSpan],
    *,
    markdown: bool,
) -> GoalSet:
    goals: list[Goal] = []
    approaches: list[Approach] = []
    measures: list[Measure] = []
    themes: list[str] = []
    leitbild: Leitbild | None = None
    numbered_goals: dict[tuple[str | None, str], int] = {}
    indentation = uses_indentation(lines)
    for span in spans:
        field = _field_at(fields, lines[span.first].start)
        if span.section.kind == "leitbild" and leitbild is None:
            leitbild = _leitbild(clean, lines, span)
            continue
        items = section_items(lines, span, markdown=markdown, indentation=indentation)
        indices: dict[int, int] = {}
        for number, item in enumerate(items):
            source = _source(clean, lines, item)
            text = _display(lines, item)
            kind = item.section.kind
            label = _label_number(lines[item.first])
            if kind == "goal":
                parent = indices.get(item.parent) if item.parent is not None else None
                parent = (
                    parent if parent is not None else _numbered_parent(numbered_goals, field, label)
                )
                level = "operatives_ziel" if parent is not None else item.section.level
                indices[number] = len(goals)
                if label:
                    numbered_goals[(field, label)] = len(goals)
                goals.append(Goal(text, level or "strategisches_ziel", field, source, parent))
            elif kind == "measure":
                attributes = measure_attributes(text, horizon=item.horizon)
                kind_ = item.section.measure_kind or "massnahme"
                parent = _numbered_parent(numbered_goals, field, label)
                measures.append(Measure(text, kind_, field, source, attributes, parent))
            elif kind == "approach":
                approaches.append(Approach(text, field, source))
            elif kind == "querschnitt":
                themes.append(text)
    return GoalSet(
        leitbild=leitbild,
        handlungsfelder=tuple(_handlungsfeld(clean, lines, f) for f in fields),
        goals=tuple(goals),
        approaches=tuple(approaches),
        measures=tuple(measures),
        querschnittsthemen=tuple(themes),
    )


def _label_number(line: Line) -> str | None:
    match = LABEL.match(line.text)
    return match.group("number") if match else None


def _numbered_parent(
    numbered: dict[tuple[str | None, str], int], field: str | None, label: str | None
) -> int | None:
    """ "Maßnahme 2.1" or "Ziel 2.1" belongs to "Ziel 2" of the same Handlungsfeld."""
    while label and "." in label:
        label = label.rsplit(".", 1)[0]
        if (field, label) in numbered:
            return numbered[(field, label)]
    return None


def _field_at(fields: Sequence[Field], position: int) -> str | None:
    for field in fields:
        if field.start <= position < field.end:
            return field.name
    return None


def _source(clean: CleanText, lines: Sequence[Line], item: Item) -> Source:
    start = lines[item.first].start
    end = lines[item.stop - 1].end
    return _span_source(clean, start, end)


def _span_source(clean: CleanText, start: int, end: int) -> Source:
    text = clean.text[start:end]
    start += len(text) - len(text.lstrip())
    end -= len(text) - len(text.rstrip())
    return Source(page=clean.page_at(start), start=start, end=end, text=clean.text[start:end])


def _display(lines: Sequence[Line], item: Item) -> str:
    """The item's text for people: one line, markers and table syntax removed."""
    head = lines[item.first]
    if head.kind == "table":
        cells = [c.strip() for c in head.text.strip().strip("|").split("|")]
        kept = [c for c in cells if c and c != "-" and not _NUMBER_CELL.match(c)]
        return ": ".join(kept)
    parts = [MARKUP.sub("", lines[i].text).strip() for i in range(item.first, item.stop)]
    return re.sub(r"\s+", " ", " ".join(p for p in parts if p)).strip()


def _leitbild(clean: CleanText, lines: Sequence[Line], span: SectionSpan) -> Leitbild | None:
    """The text under a Leitbild heading, up to about `_LEITBILD_CHARS` characters."""
    first = span.first + 1
    last = first
    while last + 1 < span.stop and lines[last + 1].end - lines[first].start <= _LEITBILD_CHARS:
        last += 1
    if first >= span.stop:
        return None
    source = _span_source(clean, lines[first].start, lines[last].end)
    text = re.sub(r"\s+", " ", MARKUP.sub("", source.text)).strip()
    return Leitbild(text, source) if text else None


def _handlungsfeld(clean: CleanText, lines: Sequence[Line], field: Field) -> Handlungsfeld:
    source = _span_source(clean, field.name_start, field.name_end)
    return Handlungsfeld(field.name, _description(lines, field), source)


def _description(lines: Sequence[Line], field: Field) -> str | None:
    """The opening prose of a field (up to ~300 characters), skipping headings."""
    words: list[str] = []
    for line in lines:
        if line.start < field.start or line.kind != "text" or line.text.strip().isupper():
            continue
        if line.start >= field.end or sum(len(w) + 1 for w in words) > _DESCRIPTION_CHARS:
            break
        words.extend(MARKUP.sub("", line.text).split())
    text = " ".join(words)
    if len(text) > _DESCRIPTION_CHARS:
        text = text[:_DESCRIPTION_CHARS].rsplit(" ", 1)[0] + " …"
    return text or None


def handlungsfeld_chapters(clean: CleanText, *, fmt: str = "auto") -> list[tuple[str, int, int]]:
    """(name, start, end) of the text each Handlungsfeld covers in ``clean`` (whole chapters).

    Raises ValueError for an unknown `fmt`.
    """
    markdown = _is_markdown(clean.text, fmt)
    lines = split_lines(clean, markdown=markdown)
    return [(f.name, f.start, f.end) for f in find_fields(lines, clean, markdown=markdown)]
