"""Finding the Handlungsfelder and the stretch of text each one covers.

Plain text: the names come from an overview list under a heading that mentions
"Handlungsfeld"; each field starts at the page a table of contents gives for it, or else at its
first heading after the overview. Without an overview, explicit headings ("Handlungsfeld 2:
Wohnen", "HF 3 – Mobilität") are used. Markdown: the headings that hold goal or measure sections.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from nlp.insek._keywords import section_of
from nlp.insek._lines import Line
from nlp.text import CleanText

_MAX_NAME_WORDS = 12
_OVERVIEW_WINDOW = 8
_TOC_LINE = re.compile(r"^\s*(?:•\s*)?(?:\d+\.\s*)?(?P<name>\D+?)[\s.…]*(?P<page>\d{1,3})\s*$")
_EXPLICIT = re.compile(
    r"^\s*(?:#{1,6}\s*)?(?:Handlungsfeld|HF)\s*(?:\d{1,2}|[A-Z])?\s*[:.–-]?\s+(?P<name>[A-ZÄÖÜ].+)$"
)


@dataclass(frozen=True)
class Field:
    """A Handlungsfeld: its name, where it is named (line span) and the text it covers."""

    name: str
    name_start: int
    name_end: int
    start: int
    end: int


def key(name: str) -> str:
    """Comparison key for names: lower case letters and digits only, "&" read as "und"."""
    return re.sub(r"[^0-9a-zäöüß]", "", name.lower().replace("&", "und"))


def find_fields(lines: Sequence[Line], clean: CleanText, *, markdown: bool) -> list[Field]:
    """The Handlungsfelder in document order, with non-overlapping [start, end) regions."""
    if markdown:
        return _markdown_fields(lines, len(clean.text))
    overview = _overview(lines)
    if overview is None:
        return _explicit_fields(lines, len(clean.text))
    names, after = overview
    toc = _toc(lines[:after])
    starts = [_start(name, lines, after, toc, clean) for name in names]
    return _regions(names, starts, lines, toc, clean)


def _overview(lines: Sequence[Line]) -> tuple[list[tuple[str, Line]], int] | None:
    """Names listed under the first heading about Handlungsfelder, and the line after the list."""
    for index, line in enumerate(lines):
        if "handlungsfeld" not in line.text.lower() or len(line.text.split()) > 8:
            continue
        if line.kind not in ("text", "heading"):
            continue
        found = _list_after(lines, index + 1)
        if found is not None:
            return found
    return None


def _list_after(lines: Sequence[Line], first: int) -> tuple[list[tuple[str, Line]], int] | None:
    names: list[tuple[str, Line]] = []
    index = first
    limit = min(len(lines), first + _OVERVIEW_WINDOW)
    while index < len(lines):
        line = lines[index]
        if line.kind in ("bullet", "numbered"):
            names.append((line.content, line))
        elif names and line.kind == "text" and line.indented and not names[-1][0].endswith("."):
            names[-1] = (f"{names[-1][0]} {line.text.strip()}", names[-1][1])
        elif names or index >= limit:
            break
        index += 1
    names = [(re.sub(r"\s+\d{1,3}$", "", n).strip(), line) for n, line in names]
    if len(names) < 3 or any(len(n.split()) > _MAX_NAME_WORDS or n.endswith(".") for n, _ in names):
        return None
    return names, index


def _toc(lines: Sequence[Line]) -> list[tuple[str, int, int]]:
    """(name key, printed page, line index) of lines that end in a page number."""
    entries: list[tuple[str, int, int]] = []
    for index, line in enumerate(lines):
        match = _TOC_LINE.match(line.text)
        if match and len(match.group("name").split()) <= _MAX_NAME_WORDS:
            entries.append((key(match.group("name")), int(match.group("page")), index))
    return entries


def _start(
    name: tuple[str, Line],
    lines: Sequence[Line],
    after: int,
    toc: Sequence[tuple[str, int, int]],
    clean: CleanText,
) -> tuple[int, Line | None]:
    """Where a field begins: its table-of-contents page, else its first heading."""
    wanted = key(name[0])
    for entry, printed, _ in toc:
        if entry == wanted:
            page = printed - (clean.printed_page_offset or 0)
            if 1 <= page <= clean.page_count:
                return clean.page_start(page), None
    heading = _heading(wanted, lines, after)
    if heading is not None:
        return heading.start, heading
    return -1, None


def _heading(wanted: str, lines: Sequence[Line], after: int) -> Line | None:
    """The first run of up to three short lines after `after` that spells the name."""
    for index in range(after, len(lines)):
        joined = ""
        for offset in range(3):
            if index + offset >= len(lines):
                break
            line = lines[index + offset]
            if line.kind not in ("text", "heading") or len(line.text.split()) > 8:
                break
            joined += key(line.text)
            if joined == wanted:
                return lines[index]
            if not wanted.startswith(joined):
                break
    return None


def _regions(
    names: Sequence[tuple[str, Line]],
    starts: Sequence[tuple[int, Line | None]],
    lines: Sequence[Line],
    toc: Sequence[tuple[str, int, int]],
    clean: CleanText,
) -> list[Field]:
    found = sorted(
        (start, name, heading or line)
        for (name, line), (start, heading) in zip(names, starts, strict=True)
        if start >= 0
    )
    end_of_last = _end_of_fields(names, toc, clean)
    fields: list[Field] = []
    for index, (start, name, line) in enumerate(found):
        end = found[index + 1][0] if index + 1 < len(found) else end_of_last
        fields.append(Field(name, line.start, line.end, start, max(end, start)))
    return fields


def _end_of_fields(
    names: Sequence[tuple[str, Line]], toc: Sequence[tuple[str, int, int]], clean: CleanText
) -> int:
    """Where the last field ends: the next table-of-contents entry after the fields' entries."""
    wanted = {key(name) for name, _ in names}
    positions = [i for i, (entry, _, _) in enumerate(toc) if entry in wanted]
    if not positions:
        return len(clean.text)
    last_page = toc[positions[-1]][1]
    for entry, printed, _ in toc[positions[-1] + 1 :]:
        if entry not in wanted and printed > last_page:
            page = printed - (clean.printed_page_offset or 0)
            if 1 <= page <= clean.page_count:
                return clean.page_start(page)
    return len(clean.text)


def _explicit_fields(lines: Sequence[Line], length: int) -> list[Field]:
    """Fields named by headings such as "Handlungsfeld 2: Wohnen"."""
    heads: list[tuple[str, Line]] = []
    seen: set[str] = set()
    for line in lines:
        match = _EXPLICIT.match(line.text)
        if (
            not match
            or len(line.text.split()) > _MAX_NAME_WORDS
            or line.text.rstrip().endswith(".")
        ):
            continue
        name = match.group("name").strip(" :")
        if key(name) not in seen:
            seen.add(key(name))
            heads.append((name, line))
    return [
        Field(
            name,
            line.start,
            line.end,
            line.start,
            heads[i + 1][1].start if i + 1 < len(heads) else length,
        )
        for i, (name, line) in enumerate(heads)
    ]


def _markdown_fields(lines: Sequence[Line], length: int) -> list[Field]:
    """Headings of the outermost level whose stretch holds goal, approach or measure sections."""
    headings = [line for line in lines if line.kind == "heading"]
    for level in range(1, 7):
        candidates = [h for h in headings if h.level == level and section_of(h.content) is None]
        fields = _with_sections(candidates, headings, length)
        if len(fields) >= 2:
            return fields
    return []


def _with_sections(
    candidates: Sequence[Line], headings: Sequence[Line], length: int
) -> list[Field]:
    fields: list[Field] = []
    for index, head in enumerate(candidates):
        end = candidates[index + 1].start if index + 1 < len(candidates) else length
        inner = [h for h in headings if head.start < h.start < end]
        if any(
            (s := section_of(h.content)) and s.kind in ("goal", "measure", "approach")
            for h in inner
        ):
            fields.append(Field(_field_name(head.content), head.start, head.end, head.start, end))
    return fields


def _field_name(heading: str) -> str:
    """ "Handlungsfeld 2: Wohnen" → "Wohnen"; other headings stay as they are."""
    match = _EXPLICIT.match(heading)
    return match.group("name").strip(" :") if match else heading
