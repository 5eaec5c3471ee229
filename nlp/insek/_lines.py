"""Lines of a cleaned document, each classified by its form (heading, list item, table row…)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from nlp.text import CleanText

LineKind = Literal[
    "blank", "heading", "bullet", "numbered", "table", "table_rule", "bold", "bold_lead", "text"
]

_MD_HEADING = re.compile(r"^ {0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
_BULLET = re.compile(r"^\s*(?:[•\-–*+·])\s+(?=\S)")
_MONTHS = "Januar|Februar|März|April|Mai|Juni|Juli|August|September|Oktober|November|Dezember"
# "1. Ziel", "2) …", "a) …" — but not a date at a line start ("14. Mai 2020 …")
_NUMBERED = re.compile(rf"^\s*(?:\d{{1,2}}[.)]|[a-z][)])\s+(?!(?:{_MONTHS})\b)(?=\S)")
_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)+\|?\s*$")
_TABLE = re.compile(r"^[^|\n]*\|[^|\n]*\|")
_BOLD = re.compile(r"^\s*\*\*(?P<title>[^*]+?)\*\*\s*:?\s*$")
_BOLD_LEAD = re.compile(r"^\s*(?:[*\-+]\s+)?\*\*[^*]+\*\*")
MARKUP = re.compile(r"\*\*|__|`|^\s*#{1,6}\s+|^\s*[•\-–*+·]\s+|^\s*(?:\d{1,2}[.)]|[a-z]\))\s+")


@dataclass(frozen=True)
class Line:
    """One line: [start, end) in the cleaned text, its form and, for headings, the level."""

    start: int
    end: int
    text: str
    kind: LineKind
    page: int
    indented: bool
    level: int = 0

    @property
    def content(self) -> str:
        """The line without list markers, Markdown emphasis or heading hashes."""
        return MARKUP.sub("", self.text).strip()


def is_markdown(text: str) -> bool:
    """Whether the text reads as Markdown: several "#" headings or a pipe table."""
    headings = len(re.findall(r"(?m)^ {0,3}#{1,6} \S", text))
    tables = len(re.findall(r"(?m)^\s*\|?\s*:?-{3,}:?\s*\|", text))
    return headings >= 2 or tables >= 1


def split_lines(clean: CleanText, *, markdown: bool) -> list[Line]:
    """All lines of `clean.text` with their kinds; page numbers come from `clean`."""
    lines: list[Line] = []
    position = 0
    text = clean.text
    for raw in text.split("\n"):
        start, end = position, position + len(raw)
        position = end + 1
        page = clean.page_at(start) if start < len(text) else clean.page_count
        kind, level = _classify(raw, markdown=markdown)
        indented = raw[:1] in (" ", "\t")
        lines.append(Line(start, end, raw, kind, page, indented, level))
    return lines


def _classify(raw: str, *, markdown: bool) -> tuple[LineKind, int]:
    if not raw.strip():
        return "blank", 0
    if markdown:
        heading = _MD_HEADING.match(raw)
        if heading:
            return "heading", len(heading.group(1))
        if _TABLE_RULE.match(raw):
            return "table_rule", 0
        if _BOLD.match(raw):
            return "bold", 0
        if _BOLD_LEAD.match(raw):
            return "bold_lead", 0
        if _TABLE.match(raw):
            return "table", 0
    if _BULLET.match(raw):
        return "bullet", 0
    if _NUMBERED.match(raw):
        return "numbered", 0
    return "text", 0
