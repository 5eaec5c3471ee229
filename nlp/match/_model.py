"""Results of matching a Vorlage against the Handlungsfelder of an INSEK."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from nlp.match._precedents import Vote

PassageKind = Literal["name", "beschreibung", "ziel", "ansatz", "massnahme"]


@dataclass(frozen=True)
class Passage:
    """An INSEK passage of a Handlungsfeld; [start, end) in the cleaned INSEK text."""

    handlungsfeld: str
    kind: PassageKind
    text: str
    start: int
    end: int
    page: int


@dataclass(frozen=True)
class Evidence:
    """A Vorlage sentence; [start, end) in the Vorlage text."""

    text: str
    start: int
    end: int
    score: float


@dataclass(frozen=True)
class GoalMatch:
    goal: Passage
    score: float


@dataclass(frozen=True)
class FieldMatch:
    """One Handlungsfeld's score with the best Vorlage sentence and INSEK passage."""

    handlungsfeld: str
    score: float
    vorlage_sentence: Evidence | None
    insek_passage: Passage | None
    goals: tuple[GoalMatch, ...]
    measures: tuple[GoalMatch, ...] = ()


@dataclass(frozen=True)
class MatchResult:
    """Handlungsfelder best first; `relevance` grows with how well the best field fits."""

    ranking: tuple[FieldMatch, ...]
    relevance: float
    precedents: Vote | None = None  # the vote of earlier answers, when there were any

    @property
    def best(self) -> FieldMatch:
        return self.ranking[0]
