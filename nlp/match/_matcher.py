"""Rank the Handlungsfelder of an INSEK for a Vorlage: TF-IDF baseline and a richer matcher.

Both score each field by cosine similarity between the Vorlage and the field's text. The
baseline uses plain words over the whole Vorlage; the matcher uses lemmas, compound parts and
domain topics, weights Betreff and Beschlussvorschlag above the rest, drops form lines that
recur across Vorlagen and mixes the field score with its best passages.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from nlp.insek import GoalSet
from nlp.match._model import Evidence, FieldMatch, GoalMatch, MatchResult, Passage
from nlp.match._precedents import Precedent, PrecedentIndex, Vote
from nlp.match._profile import field_passages
from nlp.match._text import boilerplate_lines, plain_tokens, rich_tokens, strip_boilerplate
from nlp.match._vectors import Tfidf
from nlp.pipeline import get_nlp
from nlp.vorlage import Vorlage, parse_vorlage

_MIN_SENTENCE = 20
_MAX_SENTENCE = 400
_MAX_SENTENCES = 80


@dataclass(frozen=True)
class MatchConfig:
    """How the matcher reads Vorlagen; `section_weights` None means the whole text, once."""

    rich: bool = True
    section_weights: dict[str, float] | None = field(
        default_factory=lambda: {
            "betreff": 4.0,
            "beschlussvorschlag": 2.0,
            "kurzfassung": 2.0,
            "sachverhalt": 1.0,
        }
    )
    boilerplate_share: float | None = 0.2
    field_weight: float = 0.5  # the rest goes to the mean of the best passages
    top_passages: int = 3
    sublinear: bool = True
    # earlier answers of the municipality (see _precedents); chosen by leave-one-out on "even"
    precedent_k: int = 5
    precedent_weight: float = 0.4  # share of the field ranking that follows the precedents
    precedent_relevance: float = 0.1  # raw-score units added per relevant share above 0.5


BASELINE = MatchConfig(
    rich=False, section_weights=None, boilerplate_share=None, field_weight=1.0, sublinear=False
)


class Matcher:
    """Scores Vorlagen against one goal set; build once, call `match` per Vorlage."""

    def __init__(
        self,
        goalset: GoalSet,
        *,
        config: MatchConfig,
        background: Sequence[str] = (),
        precedents: Sequence[Precedent] = (),
    ) -> None:
        self.config = config
        self.tokens: Callable[[str], list[str]] = rich_tokens if config.rich else plain_tokens
        self.passages = field_passages(goalset)
        self.names = [hf.name for hf in goalset.handlungsfelder]
        share = config.boilerplate_share
        self.boilerplate = boilerplate_lines(background, share=share) if share else frozenset()
        passage_bags = [Counter(self.tokens(p.text)) for p in self.passages]
        field_bags = [self._field_bag(name, passage_bags) for name in self.names]
        corpus = [list(bag) for bag in field_bags]
        if config.rich:
            corpus += [list(bag) for bag in passage_bags]
            corpus += [self.tokens(self.clean(text)) for text in background]
        self.tfidf = Tfidf(
            corpus, index_terms=[t for bag in field_bags for t in bag], sublinear=config.sublinear
        )
        self.fields = self.tfidf.vectors(field_bags)
        self.passage_vectors = self.tfidf.vectors(passage_bags)
        self.owner = np.array([self.names.index(p.handlungsfeld) for p in self.passages])
        usable = [p for p in precedents if p.label in self.names or p.label in ("nein", "ja")]
        self.precedents = (
            PrecedentIndex(
                [Precedent(self.clean(p.text), p.label, p.reference) for p in usable],
                self.tokens,
                k=config.precedent_k,
            )
            if usable
            else None
        )

    def _field_bag(self, name: str, bags: Sequence[Counter[str]]) -> Counter[str]:
        total: Counter[str] = Counter()
        for passage, bag in zip(self.passages, bags, strict=True):
            if passage.handlungsfeld == name:
                total.update(bag)
        return total

    def clean(self, text: str) -> str:
        return strip_boilerplate(text, self.boilerplate)

    def query(self, vorlage: Vorlage) -> dict[str, float]:
        """The weighted bag of tokens the Vorlage is scored with."""
        weights = self.config.section_weights
        bag: defaultdict[str, float] = defaultdict(float)
        if weights is not None:
            for section in vorlage.sections:
                weight = weights.get(section.kind, 0.0)
                for token in self.tokens(self.clean(section.text)) if weight else ():
                    bag[token] += weight
        if not bag:
            return dict(Counter(self.tokens(self.clean(vorlage.text))))
        return dict(bag)

    def match(
        self, vorlage: Vorlage | str, *, with_evidence: bool = True, exclude: str | None = None
    ) -> MatchResult:
        """All Handlungsfelder best first, each with its evidence; relevance = best score.

        With precedents, the ranking and the relevance also follow the answers of the most
        similar earlier Vorlagen; `exclude` leaves one precedent out (by reference).
        """
        if isinstance(vorlage, str):
            vorlage = parse_vorlage(vorlage)
        query = self.tfidf.vectors([self.query(vorlage)])
        field_scores = (self.fields @ query[0]).astype(float)
        passage_scores = (self.passage_vectors @ query[0]).astype(float)
        scores = self._combine(field_scores, passage_scores)
        relevance = float(scores.max()) if len(scores) else 0.0
        vote: Vote | None = None
        if self.precedents is not None and len(scores):
            vote = self.precedents.vote(self.clean(vorlage.text), exclude=exclude)
            scores = self._with_votes(scores, vote)
            relevance += self.config.precedent_relevance * (vote.relevant_share - 0.5)
        order = np.argsort(-scores, kind="stable")
        evidence: list[Evidence | None] = [None] * len(self.names)
        if with_evidence:
            evidence = self.best_sentences(vorlage)
        ranking = tuple(self._field_match(int(i), scores, passage_scores, evidence) for i in order)
        return MatchResult(ranking, relevance, vote)

    def _with_votes(self, scores: np.ndarray, vote: Vote) -> np.ndarray:
        """Blend standardised matcher scores with standardised votes, back on the matcher's
        scale (same mean and spread), so that scores stay comparable and ordered."""
        votes = np.array([vote.fields.get(name, 0.0) for name in self.names])
        if not votes.any():
            return scores
        w = self.config.precedent_weight
        mean, spread = float(scores.mean()), float(scores.std()) or 1.0
        blended = (1.0 - w) * (scores - mean) / spread + w * _standard(votes)
        return np.asarray(mean + spread * blended)

    def _combine(self, field_scores: np.ndarray, passage_scores: np.ndarray) -> np.ndarray:
        alpha = self.config.field_weight
        if alpha >= 1.0:
            return field_scores
        best = np.zeros(len(self.names))
        for index in range(len(self.names)):
            mine = np.sort(passage_scores[self.owner == index])[::-1][: self.config.top_passages]
            best[index] = float(mine.mean()) if len(mine) else 0.0
        return np.asarray(alpha * field_scores + (1.0 - alpha) * best)

    def _field_match(
        self,
        index: int,
        scores: np.ndarray,
        passage_scores: np.ndarray,
        evidence: list[Evidence | None],
    ) -> FieldMatch:
        mine = np.flatnonzero(self.owner == index)
        ranked = mine[np.argsort(-passage_scores[mine], kind="stable")]
        goals = self._best_of(ranked, passage_scores, "ziel")
        measures = self._best_of(ranked, passage_scores, "massnahme")
        top: Passage | None = self.passages[ranked[0]] if len(ranked) else None
        return FieldMatch(
            self.names[index], float(scores[index]), evidence[index], top, goals, measures
        )

    def _best_of(
        self, ranked: np.ndarray, passage_scores: np.ndarray, kind: str
    ) -> tuple[GoalMatch, ...]:
        return tuple(
            GoalMatch(self.passages[i], float(passage_scores[i]))
            for i in ranked
            if self.passages[i].kind == kind
        )[:3]

    def best_sentences(self, vorlage: Vorlage) -> list[Evidence | None]:
        """Per field, the Vorlage sentence (Betreff and body sections) closest to it."""
        spans = _sentences(vorlage)
        if not spans:
            return [None] * len(self.names)
        bags = [Counter(self.tokens(vorlage.text[s:e])) for s, e in spans]
        scores = self.tfidf.vectors(bags) @ self.fields.T
        found: list[Evidence | None] = []
        for index in range(len(self.names)):
            best = int(np.argmax(scores[:, index]))
            start, end = spans[best]
            found.append(Evidence(vorlage.text[start:end], start, end, float(scores[best, index])))
        return found


def _standard(values: np.ndarray) -> np.ndarray:
    spread = float(values.std())
    return (values - values.mean()) / spread if spread else values * 0.0


def _sentences(vorlage: Vorlage) -> list[tuple[int, int]]:
    """Sentences of Betreff and body sections (INGE sentencizer: dates, abbreviations)."""
    spans: list[tuple[int, int]] = []
    kinds = ("betreff", "beschlussvorschlag", "kurzfassung", "sachverhalt")
    nlp = get_nlp()
    for section in (s for s in vorlage.sections if s.kind in kinds):
        for sentence in nlp(section.text).sents:
            # very long "sentences" are tables that the sentencizer could not split
            if _MIN_SENTENCE <= len(sentence.text.strip()) <= _MAX_SENTENCE:
                start = section.start + sentence.start_char
                spans.append((start, start + len(sentence.text.rstrip())))
    return spans[:_MAX_SENTENCES]


def build_baseline(goalset: GoalSet) -> Matcher:
    """Plain TF-IDF: field text (name, description, goals, approaches, measures) vs Vorlage."""
    return Matcher(goalset, config=BASELINE)


def build_matcher(
    goalset: GoalSet,
    *,
    background: Sequence[str] = (),
    config: MatchConfig | None = None,
    precedents: Sequence[Precedent] = (),
) -> Matcher:
    """The richer matcher; `background` Vorlage texts teach boilerplate lines and IDF;
    `precedents` are earlier Vorlagen with their answer (field name, "nein" or "ja")."""
    return Matcher(
        goalset, config=config or MatchConfig(), background=background, precedents=precedents
    )
