"""From a Vorlage text and an INSEK goal set to a filled checklist (plain data in and out).

Scores of the matcher are raw cosines; they are calibrated so that the relevance threshold
maps to 0.5 and the checks' thresholds stay independent of the matcher's scale.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from checks.base import (
    CheckContext,
    CheckResult,
    FieldScore,
    GoalMatch,
    InsekEntry,
    Span,
)
from checks.direction import direction
from checks.registry import CHECKLIST
from nlp.insek import GoalSet, Source
from nlp.match import FieldMatch, Matcher, MatchResult, Passage
from nlp.match import GoalMatch as PassageMatch
from nlp.vorlage import Vorlage, parse_vorlage

# Maximises balanced accuracy of relevant vs. "nein" on the even (tuning) half of
# ../shared/eval/karlsruhe-dev (docs/evaluation.md); the odd half is held back.
RELEVANCE_THRESHOLD = 0.079
TOP_FIELDS = 3


def calibrate(raw: float) -> float:
    """Map a raw matcher score to [0, 1] with the relevance threshold at 0.5."""
    return max(0.0, min(1.0, raw / (2 * RELEVANCE_THRESHOLD)))


@dataclass(frozen=True)
class Analysis:
    vorlage: Vorlage
    match: MatchResult
    context: CheckContext
    results: list[CheckResult]

    @property
    def relevant(self) -> bool:
        return self.context.relevant


def insek_entries(goalset: GoalSet) -> list[InsekEntry]:
    """Goals and measures of the goal set as check entries (``item_id`` from ``ids``)."""
    entries = [
        InsekEntry(None, g.level, g.text, g.handlungsfeld, _span(g.source)) for g in goalset.goals
    ]
    entries += [
        InsekEntry(None, m.kind, m.text, m.handlungsfeld, _span(m.source)) for m in goalset.measures
    ]
    return entries


def _span(source: Source) -> Span:
    return Span(source.start, source.end, source.text, source.page)


def analyse(
    text: str,
    matcher: Matcher,
    goalset: GoalSet,
    *,
    adopted_on: date | None,
    today: date | None = None,
    entries: list[InsekEntry] | None = None,
) -> Analysis:
    """Parse, match and check one Vorlage against the goal set the matcher was built on."""
    vorlage = parse_vorlage(text)
    result = matcher.match(vorlage)
    entries = entries if entries is not None else insek_entries(goalset)
    by_span = {(e.source.start, e.source.end): e for e in entries if e.source is not None}
    relevant = result.relevance >= RELEVANCE_THRESHOLD if result.ranking else False
    context = CheckContext(
        text=vorlage.text,
        sections={s.kind: Span(s.start, s.end, s.text) for s in reversed(vorlage.sections)},
        relevant=relevant,
        relevance=calibrate(result.relevance),
        fields=[FieldScore(f.handlungsfeld, calibrate(f.score)) for f in result.ranking],
        matches=_matches(vorlage.text, result, by_span),
        insek_entries=entries,
        insek_adopted_on=adopted_on,
        today=today or date.today(),
    )
    return Analysis(vorlage, result, context, CHECKLIST.run(context))


def _matches(
    text: str, result: MatchResult, by_span: dict[tuple[int, int], InsekEntry]
) -> list[GoalMatch]:
    found: list[GoalMatch] = []
    for field in result.ranking[:TOP_FIELDS]:
        for passage_match in (*field.goals, *field.measures):
            found.append(_goal_match(text, field, passage_match, by_span))
    return sorted(found, key=lambda m: -m.score)


def _goal_match(
    text: str, field: FieldMatch, match: PassageMatch, by_span: dict[tuple[int, int], InsekEntry]
) -> GoalMatch:
    passage: Passage = match.goal
    entry = by_span.get((passage.start, passage.end)) or InsekEntry(
        None,
        "massnahme" if passage.kind == "massnahme" else "strategisches_ziel",
        passage.text,
        passage.handlungsfeld,
        Span(passage.start, passage.end, passage.text, passage.page),
    )
    sentence = field.vorlage_sentence
    vorlage_span = (
        Span(sentence.start, sentence.end, sentence.text)
        if sentence is not None
        else Span(0, 0, "")
    )
    score = calibrate(match.score)
    return GoalMatch(
        entry,
        score,
        vorlage_span,
        Span(passage.start, passage.end, passage.text, passage.page),
        direction=direction(text, entry.text, score=score),
    )
