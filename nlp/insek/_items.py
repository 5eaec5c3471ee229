"""Pass two: the items of one section (list items, labelled items, table rows, paragraphs)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from nlp.insek._keywords import CODE, Section
from nlp.insek._lines import Line
from nlp.insek._sections import SectionSpan, label_of

_STARTS = ("bullet", "numbered", "table", "bold", "bold_lead")
_SENTENCE_END = (".", "!", "?", ";")
_CAPITALS = re.compile(r"^[^a-zäöüß]*[A-ZÄÖÜ]{2}[^a-zäöüß]*$")
_HORIZON = re.compile(r"\b(kurz|mittel|lang)fristig|\b(dauerhaft)", re.IGNORECASE)
_SKIPPED_PARAGRAPH = re.compile(r"^\s*(?:\[\^|!\[|>|<|\|)")
MIN_PARAGRAPH_CHARS = 40


@dataclass(frozen=True)
class Item:
    """Lines [first, stop) of one item; `parent` indexes the item list of the same section."""

    section: Section
    first: int
    stop: int
    parent: int | None = None
    horizon: str | None = None
    table_header: tuple[str, ...] = ()


def section_items(
    lines: Sequence[Line], span: SectionSpan, *, markdown: bool, indentation: bool
) -> list[Item]:
    """The items of a section, in order. Text before the first item start is left out.

    `indentation` says that the document indents the continuation lines of "•" items (see
    `uses_indentation`); then an unindented line ends such an item.
    """
    body = range(span.first + (1 if span.has_heading else 0), span.stop)
    starts = [i for i in body if _starts_item(lines[i], markdown=markdown)]
    if not starts:
        return _paragraphs(lines, span, body) if markdown else []
    # Under "•" items (glyph bullets of a PDF), dash items are a nested list: they stay inside.
    nested = lines[starts[0]].text.lstrip().startswith("•")
    if nested:
        starts = [i for i in starts if not _is_dash(lines[i])]
    items: list[Item] = []
    horizon: str | None = None
    header: tuple[str, ...] = ()
    for index in body:
        line = lines[index]
        if index not in starts:
            horizon = _horizon_of(line) or horizon
            continue
        if line.kind == "table" and _is_header(lines, index):
            header = _cells(line.text)
            continue
        stop = _item_stop(
            lines, index, span.stop, markdown=markdown, indentation=indentation, nested=nested
        )
        section = label_of(line) or span.section
        items.append(Item(section, index, stop, horizon=horizon, table_header=header))
    return _nest(items, lines, markdown=markdown)


def _starts_item(line: Line, *, markdown: bool) -> bool:
    if line.kind in _STARTS or label_of(line) is not None:
        return True
    return line.kind == "text" and CODE.match(line.text) is not None


def uses_indentation(lines: Sequence[Line]) -> bool:
    """Whether the text lines right after "•" items are mostly indented (continuation lines)."""
    starts = [i for i, line in enumerate(lines) if line.text.lstrip().startswith("•")]
    followers = [lines[i + 1] for i in starts if i + 1 < len(lines) and lines[i + 1].kind == "text"]
    if len(followers) < 2:
        return False
    return sum(line.indented for line in followers) >= 0.6 * len(followers)


def _is_dash(line: Line) -> bool:
    return line.kind == "bullet" and line.text.lstrip()[:1] in ("-", "–")


def _item_stop(
    lines: Sequence[Line],
    first: int,
    limit: int,
    *,
    markdown: bool,
    indentation: bool,
    nested: bool = False,
) -> int:
    """The first line after `first` that no longer belongs to the item."""
    head = lines[first]
    if head.kind == "table":
        return first + 1
    block = markdown and head.kind == "bold"
    indentation = indentation and head.text.lstrip().startswith("•")
    text = head.text.rstrip()
    index = first + 1
    while index < limit:
        line = lines[index]
        if nested and _is_dash(line):
            pass
        elif _ends_item(line, text, lines[index - 1], block=block, indentation=indentation):
            break
        if line.kind != "blank":
            text = line.text.rstrip()
        index += 1
    while index - 1 > first and _is_trailing_noise(lines[index - 1]):
        index -= 1
    return index


def _ends_item(
    line: Line, last_text: str, previous: Line, *, block: bool, indentation: bool
) -> bool:
    if block:
        return line.kind in ("bold", "heading", "table", "table_rule")
    if line.kind != "text" or label_of(line) is not None or CODE.match(line.text):
        return True
    if indentation and not line.indented:
        return True
    if _CAPITALS.match(line.text.strip()):
        return True
    return line.page != previous.page and last_text.endswith(_SENTENCE_END)


def _is_trailing_noise(line: Line) -> bool:
    return line.kind == "blank" or bool(_SKIPPED_PARAGRAPH.match(line.text))


def _horizon_of(line: Line) -> str | None:
    """ "Kurzfristige Vorhaben" as a sub-heading sets the time horizon of the items below it."""
    if line.kind != "text" or len(line.text.split()) > 4:
        return None
    match = _HORIZON.search(line.text)
    if not match:
        return None
    return f"{match.group(1).lower()}fristig" if match.group(1) else "dauerhaft"


def _is_header(lines: Sequence[Line], index: int) -> bool:
    return index + 1 < len(lines) and lines[index + 1].kind == "table_rule"


def _cells(row: str) -> tuple[str, ...]:
    return tuple(cell.strip() for cell in row.strip().strip("|").split("|"))


def _paragraphs(lines: Sequence[Line], span: SectionSpan, body: range) -> list[Item]:
    """Markdown sections without list items: each real paragraph is an item."""
    items: list[Item] = []
    first: int | None = None
    for index in [*body, span.stop]:
        inside = index < span.stop and lines[index].kind != "blank"
        if inside and first is None:
            first = index
        elif not inside and first is not None:
            paragraph = " ".join(lines[i].text for i in range(first, index)).strip()
            if len(paragraph) >= MIN_PARAGRAPH_CHARS and not _SKIPPED_PARAGRAPH.match(paragraph):
                items.append(Item(span.section, first, index))
            first = None
    return items


def _nest(items: list[Item], lines: Sequence[Line], *, markdown: bool) -> list[Item]:
    """Numbered items inside a Markdown bold block become its children (sub-goals)."""
    if not markdown:
        return items
    nested: list[Item] = []
    parent: int | None = None
    parent_stop = -1
    for item in items:
        kind = lines[item.first].kind
        if kind == "bold":
            parent, parent_stop = len(nested), item.stop
            nested.append(item)
        elif kind == "numbered" and parent is not None and item.first < parent_stop:
            nested.append(Item(item.section, item.first, item.stop, parent=parent))
        elif parent is not None and item.first < parent_stop:
            continue  # other list lines inside a bold block are part of its text
        else:
            parent = None
            nested.append(item)
    return nested
