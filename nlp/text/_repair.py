"""The repairs applied to PDF-extracted text, each a pattern and a replacement function."""

from __future__ import annotations

import re

from nlp.text._lexicon import is_known, zipf

BULLET = "•"

# Characters that stand alone on a line start as list markers after PDF extraction: "n" and "§"
# are Wingdings/Symbol glyphs mapped to letters, the \uf0xx ones private-use glyph codes.
_GLYPHS = r"n|[•▪●■◦►➢‣⁃∙·_]|[\uf0a7\uf0b7\uf0d8\uf076\uf0fc\uf0e0]"
BULLET_LINE = re.compile(
    rf"(?m)^[ \t]*(?:(?:{_GLYPHS}|§(?![ \t]*\d))[ \t]+(?=\S)|§(?=[A-ZÄÖÜ][a-zäöüß]))"
)
# Where "§" serves as the list glyph throughout, "§ 300 Jahre …" is a list item too.
BULLET_LINE_WITH_SECTION_SIGN = re.compile(
    rf"(?m)^[ \t]*(?:(?:{_GLYPHS}|§)[ \t]+(?=\S)|§(?=[A-ZÄÖÜ][a-zäöüß]))"
)
SECTION_SIGN_BULLET = re.compile(r"(?m)^[ \t]*§[ \t]+[A-Za-zÄÖÜäöü„\"]")
SECTION_SIGN_BULLETS_MIN = 5
CHARACTERS = re.compile(r"[\r\u00ad\u00a0\ufb00-\ufb04\x00]")
_CHARACTER_MAP = {
    "\r": "",
    "\u00ad": "",
    "\x00": "",
    "\u00a0": " ",
    "\ufb00": "ff",
    "\ufb01": "fi",
    "\ufb02": "fl",
    "\ufb03": "ffi",
    "\ufb04": "ffl",
}
HYPHEN_BREAK = re.compile(r"(\w+)-[ \t]*\n[ \t]*(\w+)")
# The right-hand piece must not itself end in a broken ligature ("Landschaft refl ektiert"):
# that later break is repaired first, on its own.
LIGATURE_BREAK = re.compile(
    r"\b(\w*(?:ffi|ffl|ff|fi|fl|ft)) ([a-zäöüß]\w*)\b(?!(?<=fi|fl|ff|ft) [a-zäöüß])"
)
INNER_SPACES = re.compile(r"(?<=\S)[ \t]{2,}(?=\S)")
TRAILING_SPACES = re.compile(r"(?m)[ \t]+$")

# Words that follow a suspended hyphen ("Schul- und Sportamt"): the hyphen is real.
_CONJUNCTIONS = frozenset({"und", "oder", "bzw", "sowie", "bis", "als", "wie", "noch", "statt"})
# A fragment after a broken ligature that is itself this common is a word of its own ("oft an").
_WORD_ZIPF = 3.5
# Below this a lowercase piece is taken for a word fragment ("ächen", "nden").
_FRAGMENT_ZIPF = 2.5


def characters(match: re.Match[str]) -> str:
    """Drop carriage returns, soft hyphens and NULs; expand ligature code points."""
    return _CHARACTER_MAP[match.group(0)]


def bullet(match: re.Match[str]) -> str:
    """Any leading bullet glyph becomes "• "."""
    return f"{BULLET} "


def hyphen(match: re.Match[str]) -> str:
    """Join a word broken at the line end, or keep a real hyphen without the line break."""
    first, second = match.group(1), match.group(2)
    if second in _CONJUNCTIONS:
        return f"{first}- {second}"
    if _keeps_hyphen(first, second):
        return f"{first}-{second}"
    return first + second


def _keeps_hyphen(first: str, second: str) -> bool:
    if first.isdigit() or (len(first) == 1 and first.isupper()):
        return True
    if second[0].islower():
        return first.isupper() and not first[-1:].isdigit() and len(first) <= 4
    if first.isupper() and second.isupper():
        # Headings in capitals are hyphenated like running text; keep the hyphen only where
        # both halves are common words and the joined form is rare ("BADEN-WÜRTTEMBERG").
        common = _WORD_ZIPF - 0.5
        return zipf(first) >= common and zipf(second) >= common and zipf(first + second) < common
    return True


def ligature(match: re.Match[str]) -> str | None:
    """Rejoin a word split after fi/fl/ff/ffi/ffl/ft ("Profi lierung") unless both are words.

    Words ending in "ft"/"ff" are common ("Zukunft", "Begriff"), so those join only when the
    right-hand piece is no word at all; "fi"/"fl" rarely end a word, so those join unless both
    pieces are words ("Profi", "Golf" + a common word).
    """
    left, right = match.group(1), match.group(2)
    joined = left + right
    if is_known(joined):
        return joined
    if left.endswith(("ft", "ff")):
        return joined if zipf(right) < _FRAGMENT_ZIPF else None
    if is_known(left, threshold=2.0) and zipf(right) >= _WORD_ZIPF:
        return None
    return joined


def collapse_spaces(match: re.Match[str]) -> str:
    """Runs of blanks inside a line become one space."""
    return " "


def strip(match: re.Match[str]) -> str:
    """Trailing blanks are dropped."""
    return ""
