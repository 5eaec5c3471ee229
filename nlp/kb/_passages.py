"""Split a guidance text into citable passages that keep their heading, page and line span.

The texts come out of PDFs: headings are short lines (often in capitals or numbered), figure
captions ("Abb. 3: …") sit in the middle of paragraphs, and a paragraph interrupted by a caption
or a page break goes on with a lower-case word. Passages are built from whole lines so that
their line span is exact; their text is cleaned of hyphenation breaks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import pairwise

from nlp.kb._model import KbPassage
from nlp.text import clean_pages

MIN_WORDS = 40
TARGET_WORDS = 70
MAX_WORDS = 120
_MAX_HEADING_CHARS = 70
_MAX_HEADING_WORDS = 10
_MAX_HEADING_LINES = 4
_CAPTION = re.compile(r"^(?:Abb\.|Abbildung|Tab\.|Tabelle)\s*\d", re.IGNORECASE)
_URL = re.compile(r"\w\.(?:de|com|org|eu|net)\b|www\.|https?://", re.IGNORECASE)
_NUMBERED = re.compile(r"^(\d+(?:\.\d+)*)\.?\s+\S")
_BULLET = re.compile(r"^[_•▪●■◦►‣⁃∙·*–-]")
# A heading never ends on one of these: "Liebe Bürgerinnen und" is a wrapped line, not a title.
_OPEN_ENDINGS = frozenset(
    (
        "und", "oder", "sowie", "bzw", "der", "die", "das", "des", "den", "dem", "ein", "eine",
        "einer", "eines", "einen", "für", "mit", "von", "zu", "zur", "zum", "im", "in", "an",
        "am", "auf", "bei", "aus", "nach", "vor", "über", "unter", "als", "wie",
    )
)  # fmt: skip


@dataclass(frozen=True)
class _Line:
    number: int  # 1-based
    text: str  # stripped, without form feeds
    page: int


@dataclass
class _Unit:
    """A paragraph or list (body lines only) under one section heading."""

    lines: list[_Line]
    section: str | None

    @property
    def words(self) -> int:
        return sum(len(line.text.split()) for line in self.lines)


@dataclass
class _Sections:
    """The current heading: a chapter title (capitals, "3 …") and the heading below it."""

    top: str | None = None
    sub: str | None = None

    def add(self, title: str, level: int) -> None:
        if level == 1:
            self.top, self.sub = title, None
        else:
            self.sub = title

    @property
    def current(self) -> str | None:
        return " – ".join(t for t in (self.top, self.sub) if t) or None


def passages_from_text(text: str, *, source: str, source_id: str) -> list[KbPassage]:
    """Split a guidance text into passages of about 40–120 words.

    A passage is one paragraph or list, or several short ones, never crossing a heading. Each
    carries its nearest heading as `section`, the 1-based inclusive line span of its first and
    last body line, the page of its first line when the text has form-feed page breaks (else
    None) and `ref = f"{source_id}:{start_line}-{end_line}"`. Figure captions are left out of
    the passage text; hyphenation breaks are joined.
    """
    lines = _split_lines(text)
    paged = "\f" in text
    units = _units(_blocks(lines))
    passages = []
    for group in _pack(units):
        first, last = group[0].lines[0], group[-1].lines[-1]
        passages.append(
            KbPassage(
                text=_clean("\n\n".join("\n".join(ln.text for ln in u.lines) for u in group)),
                source=source,
                section=group[0].section,
                page=first.page if paged else None,
                start_line=first.number,
                end_line=last.number,
                ref=f"{source_id}:{first.number}-{last.number}",
            )
        )
    return passages


def _split_lines(text: str) -> list[_Line]:
    """Lines numbered as an editor shows them; a form feed starts the next page (a line
    starting with one belongs to the new page, one later in the line moves the next line)."""
    lines, page = [], 1
    for number, raw in enumerate(text.split("\n"), start=1):
        body = raw.lstrip("\f")
        page += len(raw) - len(body)
        lines.append(_Line(number, body.replace("\f", " ").strip(), page))
        page += body.count("\f")
    return lines


def _blocks(lines: list[_Line]) -> list[list[_Line]]:
    """Runs of text lines; blank lines, captions and page breaks end a run (captions are
    dropped together with their lower-case continuation lines)."""
    blocks: list[list[_Line]] = []
    current: list[_Line] = []
    in_caption = False
    for line in lines:
        in_caption = bool(_CAPTION.match(line.text)) or (in_caption and _continues(line.text))
        if not line.text or in_caption or (current and line.page != current[-1].page):
            blocks.append(current)
            current = []
        if line.text and not in_caption:
            current.append(line)
    blocks.append(current)
    return [b for b in blocks if b]


def _continues(text: str) -> bool:
    return bool(text) and text[0].islower()


def _units(blocks: list[list[_Line]]) -> list[_Unit]:
    """Body units with their section; a block that goes on in lower case after an unfinished
    sentence (interrupted by a caption or page break) joins the unit before it. Fragments
    without any sentence or list mark (labels of a figure) are left out."""
    sections = _Sections()
    units: list[_Unit] = []
    for block in blocks:
        head = _heading_run(block)
        tail = _tail_heading(block) if head < len(block) else 0
        if head:
            sections.add(_heading_text(block[:head]), _level(block[0].text))
        body = block[head : len(block) - tail] if head < len(block) - tail else []
        if body and not _fragment(body):
            previous = units[-1] if units else None
            if previous is not None and not head and _goes_on(previous, body, sections.current):
                previous.lines.extend(body)
            else:
                units.append(_Unit(list(body), sections.current))
        if tail:
            sections.add(_heading_text(block[-tail:]), _level(block[-tail].text))
    return units


def _goes_on(previous: _Unit, body: list[_Line], section: str | None) -> bool:
    return (
        previous.section == section
        and _continues(body[0].text)
        and not _ends_sentence(previous.lines[-1].text)
    )


def _fragment(body: list[_Line]) -> bool:
    return not any(_BULLET.match(ln.text) or re.search(r"[.!?:]", ln.text) for ln in body)


def _tail_heading(block: list[_Line]) -> int:
    """A heading printed right below a paragraph, without a blank line: the last line of
    the block, short and heading-like, after a line that ends a sentence."""
    if len(block) < 2 or not _heading_like(block[-1].text) or not _ends_sentence(block[-2].text):
        return 0
    return 0 if block[-1].text.split()[-1].lower() in _OPEN_ENDINGS else 1


def _heading_run(block: list[_Line]) -> int:
    """How many leading lines of `block` form a heading (0 if none)."""
    count = 0
    while count < min(len(block), _MAX_HEADING_LINES) and _heading_like(
        block[count].text, first=not count
    ):
        count += 1
    if not count:
        return 0
    if count < len(block) and _continues(block[count].text):
        return 0  # a short first line of a paragraph
    last_word = block[count - 1].text.split()[-1].lower()
    return 0 if last_word in _OPEN_ENDINGS else count


def _heading_like(text: str, *, first: bool = True) -> bool:
    """Short, no closing punctuation, no list mark or web address; the first line of a
    heading starts with a capital or a digit, later ones may go on in lower case."""
    if not 2 <= len(text) <= _MAX_HEADING_CHARS or len(text.split()) > _MAX_HEADING_WORDS:
        return False
    if text[-1] in ".,;:" or _BULLET.match(text) or _URL.search(text):
        return False
    initial = next((c for c in text if c.isalnum()), "")
    return initial.isupper() or initial.isdigit() or (not first and initial.islower())


def _level(text: str) -> int:
    """1 for chapter titles (numbered "3 …" or in capitals), 2 for other headings."""
    numbered = _NUMBERED.match(text)
    if numbered:
        return 1 if "." not in numbered.group(1) else 2
    letters = [c for c in text if c.isalpha()]
    capitals = sum(c.isupper() for c in letters)
    return 1 if len(letters) >= 4 and capitals >= 0.8 * len(letters) else 2


def _heading_text(lines: list[_Line]) -> str:
    return _clean("\n".join(line.text for line in lines)).replace("\n", " ")


def _ends_sentence(text: str) -> bool:
    return text.rstrip("»«\"')").endswith((".", "!", "?", ":"))


def _pack(units: list[_Unit]) -> list[list[_Unit]]:
    """Group units into passages: long units are cut at sentence ends, short ones (and a
    lead-in ending in ":") join the next unit of the same section while that stays short."""
    groups: list[list[_Unit]] = []
    for unit in (piece for u in units for piece in _split_long(u)):
        last = groups[-1] if groups else None
        if last is not None and _joinable(last, unit):
            last.append(unit)
        else:
            groups.append([unit])
    return _merge_short_tails(groups)


def _joinable(group: list[_Unit], unit: _Unit) -> bool:
    words = sum(u.words for u in group)
    if group[-1].section != unit.section or words + unit.words > MAX_WORDS:
        return False
    return words < MIN_WORDS or group[-1].lines[-1].text.endswith(":")  # a lead-in


def _merge_short_tails(groups: list[list[_Unit]]) -> list[list[_Unit]]:
    """A short last passage of a section joins the one before it when both fit."""
    merged: list[list[_Unit]] = []
    for group in groups:
        previous = merged[-1] if merged else None
        words = sum(u.words for u in group)
        if (
            previous is not None
            and previous[-1].section == group[0].section
            and words < MIN_WORDS
            and words + sum(u.words for u in previous) <= MAX_WORDS
        ):
            previous.extend(group)
        else:
            merged.append(group)
    return merged


def _split_long(unit: _Unit) -> list[_Unit]:
    """Cut a unit longer than MAX_WORDS at line ends into pieces near TARGET_WORDS.

    The cuts minimise Σ (words − TARGET)² over the pieces, plus a penalty for cutting where no
    sentence ends and a larger one for a piece over MAX_WORDS (a small dynamic programme over
    the lines of one paragraph).
    """
    if unit.words <= MAX_WORDS:
        return [unit]
    counts = [len(line.text.split()) for line in unit.lines]
    size = len(counts)
    best: list[tuple[float, int]] = [(0.0, 0)] + [(float("inf"), 0)] * size
    for end in range(1, size + 1):
        for start in range(end):
            cost = best[start][0] + _piece_cost(unit.lines, counts, start, end)
            if cost < best[end][0]:
                best[end] = (cost, start)
    cuts, end = [], size
    while end:
        cuts.append(end)
        end = best[end][1]
    bounds = [0, *reversed(cuts)]
    return [_Unit(unit.lines[a:b], unit.section) for a, b in pairwise(bounds)]


_NO_SENTENCE_END_COST = 1500.0
_OVERSIZE_COST = 1e6


def _piece_cost(lines: list[_Line], counts: list[int], start: int, end: int) -> float:
    words = sum(counts[start:end])
    cost = float((words - TARGET_WORDS) ** 2)
    if end < len(lines) and not _ends_sentence(lines[end - 1].text):
        cost += _NO_SENTENCE_END_COST
    return cost + (_OVERSIZE_COST if words > MAX_WORDS else 0.0)


def _clean(text: str) -> str:
    """Hyphenation breaks joined, list glyphs normalised, blanks collapsed (nlp.text)."""
    return clean_pages([text], remove_furniture=False).text.strip()
