"""The resolution checklist's building blocks: the context a check reads and what it returns.

A check is a class with a stable ``id`` (never changed once published), a one-sentence
``requirement``, and ``evaluate(context) -> CheckResult``. Checks take plain data only.
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import ClassVar, Literal

ERFUELLT = "erfüllt"
TEILWEISE = "teilweise"
NICHT_ERFUELLT = "nicht erfüllt"
NICHT_ANWENDBAR = "nicht anwendbar"
PRUEFEN = "prüfen"
STATUSES = (ERFUELLT, TEILWEISE, NICHT_ERFUELLT, NICHT_ANWENDBAR, PRUEFEN)

Side = Literal["vorlage", "insek"]

# Item kinds of a goal set (the values of service.models.ItemKind; checks never import service).
GOAL_KINDS = ("leitziel", "strategisches_ziel", "operatives_ziel")
MEASURE_KINDS = ("massnahme", "schluesselprojekt")


@dataclass(frozen=True)
class Span:
    """A passage: [start, end) offsets in its document's text, the text, the page if known."""

    start: int
    end: int
    text: str
    page: int | None = None


@dataclass(frozen=True)
class Evidence:
    side: Side
    span: Span
    note: str = ""


@dataclass(frozen=True)
class InsekEntry:
    """An item of the adopted goal set: a goal, measure or Handlungsfeld with its source."""

    item_id: int | None
    kind: str
    text: str
    handlungsfeld: str | None
    source: Span | None = None


@dataclass(frozen=True)
class GoalMatch:
    """How a Vorlage serves one INSEK item: the score and the two sentences that show it."""

    entry: InsekEntry
    score: float
    vorlage: Span
    insek: Span
    direction: str = "neutral"  # fördernd | neutral | hemmend


@dataclass(frozen=True)
class FieldScore:
    name: str
    score: float


@dataclass(frozen=True)
class CheckContext:
    """Everything the checks read about one Vorlage and the municipality's adopted INSEK."""

    text: str
    sections: Mapping[str, Span] = field(default_factory=dict)
    relevant: bool = False
    relevance: float = 0.0
    fields: Sequence[FieldScore] = ()
    matches: Sequence[GoalMatch] = ()
    insek_entries: Sequence[InsekEntry] = ()
    insek_adopted_on: date | None = None
    today: date = field(default_factory=date.today)

    def section_text(self, *names: str) -> str:
        return "\n".join(self.sections[n].text for n in names if n in self.sections)


@dataclass(frozen=True)
class CheckResult:
    check_id: str
    requirement: str
    status: str
    explanation: str
    evidence: tuple[Evidence, ...] = ()


class Check(ABC):
    id: ClassVar[str]
    requirement: ClassVar[str]

    @abstractmethod
    def evaluate(self, context: CheckContext) -> CheckResult:
        """Judge the context; never raises for ordinary input."""

    def result(
        self, status: str, explanation: str, evidence: Sequence[Evidence] = ()
    ) -> CheckResult:
        return CheckResult(self.id, self.requirement, status, explanation, tuple(evidence))


def cue(*stems: str) -> re.Pattern[str]:
    """Case-insensitive pattern of word beginnings (German stems)."""
    return re.compile(r"(?<![a-zäöüß])(?:" + "|".join(stems) + ")", re.IGNORECASE)


def sentences_with(text: str, pattern: re.Pattern[str], *, limit: int = 3) -> list[Span]:
    """The sentences of ``text`` in which ``pattern`` occurs (first ``limit``)."""
    found: list[Span] = []
    for match in pattern.finditer(text):
        start = max(text.rfind(". ", 0, match.start()) + 2, text.rfind("\n", 0, match.start()) + 1)
        end_dot = text.find(". ", match.end())
        end_line = text.find("\n", match.end())
        ends = [e for e in (end_dot + 1 if end_dot >= 0 else -1, end_line) if e >= 0]
        end = min(ends) if ends else len(text)
        if found and start < found[-1].end:
            continue
        found.append(Span(start, end, text[start:end].strip()))
        if len(found) >= limit:
            break
    return found
