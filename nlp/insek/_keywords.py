"""The words that mark sections and items of an INSEK: "Ziele", "Maßnahmen", "Ziel 3:" …"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from nlp.insek._model import GoalLevel, MeasureKind

SectionKind = Literal["goal", "approach", "measure", "leitbild", "querschnitt", "other"]

_GOAL_WORDS: dict[str, GoalLevel] = {
    "leitziele": "leitziel",
    "leitziel": "leitziel",
    "übergeordnete ziele": "leitziel",
    "strategische ziele": "strategisches_ziel",
    "entwicklungsziele": "strategisches_ziel",
    "unsere ziele": "strategisches_ziel",
    "hauptziele": "strategisches_ziel",
    "ziele": "strategisches_ziel",
    "zielsetzungen": "strategisches_ziel",
    "zielsetzung": "strategisches_ziel",
    "operative ziele": "operatives_ziel",
    "handlungsziele": "operatives_ziel",
    "teilziele": "operatives_ziel",
    "maßnahmenziele": "operatives_ziel",
}
_APPROACH_WORDS = (
    "strategische ansätze",
    "strategischer ansatz",
    "handlungsansätze",
    "handlungsstrategien",
    "strategien",
    "leitlinien",
    "leitinien",  # a typo that real documents carry
)
_MEASURE_WORDS: dict[str, MeasureKind] = {
    "schlüsselprojekte": "schluesselprojekt",
    "schlüsselmaßnahmen": "schluesselprojekt",
    "leitprojekte": "schluesselprojekt",
    "leuchtturmprojekte": "schluesselprojekt",
    "impulsprojekte": "schluesselprojekt",
    "maßnahmen": "massnahme",
    "maßnahmenkatalog": "massnahme",
    "maßnahmenübersicht": "massnahme",
    "maßnahmenvorschläge": "massnahme",
    "projekte": "massnahme",
    "projektvorschläge": "massnahme",
    "handlungsempfehlungen": "massnahme",
    "vorhaben": "massnahme",
}
_OTHER_WORDS = (
    "ausgangslage",
    "bestandsanalyse",
    "bestandsaufnahme",
    "analyse",
    "herausforderungen",
    "herauforderungen",
    "herausfoderungen",
    "handlungsbedarf",
    "handlungsbedarfe",
    "stärken und schwächen",
    "stärken",
    "schwächen",
    "swot-analyse",
    "einleitung",
    "hintergrund",
    "vorbemerkung",
    "fazit",
    "zusammenfassung",
    "literatur",
    "quellen",
    "impressum",
)
_LEITBILD_WORDS = ("leitbild", "räumliches leitbild", "vision", "zielbild", "unser leitbild")
_QUERSCHNITT_WORDS = ("querschnittsthemen", "querschnittsziele", "querschnittsaufgaben")

_NUMBERING = re.compile(r"^(?:\d+(?:\.\d+)*\.?|[A-Z]\.|[IVX]+\.)\s+")
_TAIL = r"(?:\s*[:–-].{0,80}|\s+(?:im|in|des|der|für|zum|zur|bis|und|von)\b.{0,60})?"
_MAX_HEADING_WORDS = 9


@dataclass(frozen=True)
class Section:
    """What a heading opens: the kind and, for goals and measures, the level or kind."""

    kind: SectionKind
    level: GoalLevel | None = None
    measure_kind: MeasureKind | None = None


def normalise(text: str) -> str:
    """Lower case, "Handlungs-Empfehlung" → "handlungsempfehlung", numbering and blanks dropped."""
    text = re.sub(r"\s+", " ", text).strip().lower().replace("massnahm", "maßnahm")
    text = _NUMBERING.sub("", text)
    text = re.sub(r"(\w)- (?=\w)", r"\1", text)
    return re.sub(r"(?<=[a-zäöüß])-(?=[a-zäöüß])", "", text).strip(" :.")


def _pattern(words: tuple[str, ...] | list[str]) -> re.Pattern[str]:
    alternatives = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    return re.compile(rf"^(?P<word>{alternatives}){_TAIL}$")


_GOAL = _pattern(list(_GOAL_WORDS))
_APPROACH = _pattern(_APPROACH_WORDS)
_MEASURE = _pattern(list(_MEASURE_WORDS))
_OTHER = _pattern(_OTHER_WORDS)
# A Leitbild heading stands alone ("Zielbild zum Stadtentwicklungskonzept" is a title)
_LEITBILD = re.compile(rf"^(?:{'|'.join(_LEITBILD_WORDS)})(?:\s*:.{{0,80}})?$")
_QUERSCHNITT = _pattern(_QUERSCHNITT_WORDS)


def section_of(text: str) -> Section | None:
    """The section a heading-like line opens, or None if it is no section heading."""
    if len(text.split()) > _MAX_HEADING_WORDS or text.rstrip().endswith((".", ",", ";")):
        return None
    first_letter = re.search(r"[^\W\d_]", text)
    if first_letter is None or first_letter.group(0).islower():
        return None  # headings start with a capital; "stärken" on its own line is a wrap
    key = normalise(text)
    if match := _GOAL.match(key):
        return Section("goal", level=_GOAL_WORDS[match.group("word")])
    if _APPROACH.match(key):
        return Section("approach")
    if match := _MEASURE.match(key):
        return Section("measure", measure_kind=_MEASURE_WORDS[match.group("word")])
    if _LEITBILD.match(key):
        return Section("leitbild")
    if _QUERSCHNITT.match(key):
        return Section("querschnitt")
    if _OTHER.match(key):
        return Section("other")
    return None


# "Ziel 3:", "Leitziel 2 –", "Maßnahme 4.1", "Handlungs-Empfehlung 1:", "Projekt 7"
LABEL = re.compile(
    r"^\s*(?:[•\-–*]\s+)?(?P<word>Leitziel|Strategisches Ziel|Operatives Ziel|Handlungsziel|"
    r"Entwicklungsziel|Teilziel|Ziel|Schlüsselprojekt|Leitprojekt|Maßnahme|Massnahme|Projekt|"
    r"Handlungs-?\s?[Ee]mpfehlung)\s+(?P<number>[A-Z]?\d{1,2}(?:\.\d{1,2})*[a-z]?)\s*[:.)–-]?"
    r"(?:\s+|$)"
)
# "M01 …", "N30a …", "Z 2.1 …": a code and a capitalised text (only inside a section); after a
# zero-padded or lettered code ("N30a fachlicher …") the text may start in lower case
CODE = re.compile(
    r"^\s*(?P<code>[A-Z]{1,2}\d{2}[a-z]?(?=\s+\w)|"
    r"[A-Z]{1,2}\s?\d{1,2}(?:\.\d{1,2})*[a-z]?(?=\s+[A-ZÄÖÜ„\"»]))\s+"
)

_LABEL_GOAL: dict[str, GoalLevel] = {
    "leitziel": "leitziel",
    "strategisches ziel": "strategisches_ziel",
    "entwicklungsziel": "strategisches_ziel",
    "ziel": "strategisches_ziel",
    "operatives ziel": "operatives_ziel",
    "handlungsziel": "operatives_ziel",
    "teilziel": "operatives_ziel",
}


def label_section(word: str) -> Section:
    """The item kind a label word stands for ("Ziel" → goal, "Projekt" → measure)."""
    key = normalise(word)
    if key in _LABEL_GOAL:
        return Section("goal", level=_LABEL_GOAL[key])
    if key in ("schlüsselprojekt", "leitprojekt"):
        return Section("measure", measure_kind="schluesselprojekt")
    return Section("measure", measure_kind="massnahme")
