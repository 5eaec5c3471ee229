"""`KbIndex`: BM25F search over passages with lemmas, compounds, synonyms and typo repair, and
a calibrated score that decides when INGE abstains.

The score of a passage is its *coverage*: the BM25F score divided by the score a passage would
reach that contains every question token once (`Bm25.ceiling`). Question words the passages
never use keep their full weight in that ceiling, so "Wie hoch ist die Hundesteuer?" covers
little of any passage even when "hoch" matches. Coverage is mapped to [0, 1] by a logistic
curve fitted on the dev split of nlp/eval/questions_de.jsonl (`python -m nlp.eval.kb`).
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from nlp.kb._bm25 import Bm25, Bm25Params
from nlp.kb._model import Answer, Hit, KbPassage
from nlp.kb._tokens import Analyzer, Word, analyse, stem_token
from nlp.kb._typos import TypoCorrector, max_edits
from nlp.text._lexicon import zipf


@dataclass(frozen=True)
class KbConfig:
    """Weights of the query tokens, BM25F parameters and the calibration of the score.

    `slope`/`midpoint` map coverage c to sigmoid(slope · (c − midpoint)); `threshold` is the
    calibrated score below which INGE abstains. All were chosen on the dev split only.
    """

    part_weight: float = 0.7
    lone_part_weight: float = 0.7
    unknown_weight: float = 1.5
    stem_weight: float = 0.15
    lone_stem_weight: float = 0.7
    number_weight: float = 1.0
    synonym_weight: float = 0.8
    typo_weight: float = 0.8
    bm25: Bm25Params = field(default_factory=Bm25Params)
    slope: float = 6.4
    midpoint: float = 0.61
    threshold: float = 0.443


DEFAULT_CONFIG = KbConfig()


class KbIndex:
    """Search index over a fixed set of passages (build once, search many times)."""

    def __init__(self, passages: Sequence[KbPassage], *, config: KbConfig = DEFAULT_CONFIG) -> None:
        self.passages = tuple(passages)
        self.config = config
        self._analyzer = Analyzer()
        bodies = [self._analyzer.document_tokens(p.text) for p in self.passages]
        titles = [
            self._analyzer.document_tokens(f"{p.section or ''}\n{lead_in}")
            for p, lead_in in zip(self.passages, lead_ins(self.passages), strict=True)
        ]
        self._bm25 = Bm25(bodies, titles, params=config.bm25)
        self._spelling: dict[str, str] = {}
        for passage in self.passages:
            for raw in self._analyzer.raw_words(passage.text):
                self._spelling.setdefault(raw.lower(), raw)
        self._typos = TypoCorrector(self._spelling)

    def search(self, question: str, *, k: int = 3) -> Answer:
        """The `k` best passages, best first, with calibrated scores in [0, 1].

        `answered` is False ("kann ich nicht sicher beantworten") when the best score stays
        below the threshold or nothing matches; the hits are returned all the same.
        """
        hits = tuple(
            Hit(self.passages[i], self.calibrate(coverage))
            for i, coverage in self.rank(question, k=k)
        )
        answered = bool(hits) and hits[0].score >= self.config.threshold
        return Answer(answered=answered, hits=hits)

    def rank(self, question: str, *, k: int = 3) -> list[tuple[int, float]]:
        """(passage index, coverage in [0, 1]) of the `k` best distinct passages, best first;
        passages that share no token with the question are never returned."""
        query = self.query(question)
        if not query:
            return []
        scores = self._bm25.scores(query)
        ceiling = self._bm25.ceiling(query)
        ranked: list[tuple[int, float]] = []
        seen: set[str] = set()
        for index in np.argsort(-scores, kind="stable"):
            if scores[index] <= 0 or len(ranked) == k:
                break
            text = " ".join(self.passages[index].text.split())
            if text not in seen:  # a paragraph printed twice is shown once
                seen.add(text)
                ranked.append((int(index), min(1.0, float(scores[index]) / ceiling)))
        return ranked

    def calibrate(self, coverage: float) -> float:
        """The calibrated score of a coverage value."""
        config = self.config
        return 1.0 / (1.0 + math.exp(-config.slope * (coverage - config.midpoint)))

    def query(self, question: str) -> dict[str, float]:
        """The weighted tokens of a question.

        A word the passages know gives its lemma (weight 1), compound parts and synonym groups
        (less, see KbConfig); tokens the passages lack are dropped, so "Einwohnerzahl" counts
        through "Einwohner" and "Zahl". A word none of whose tokens the passages know stays in
        the query as a missing token: it lowers every passage's coverage, the more the rarer
        the word is in German ("Hundesteuer" more than "bekommen").
        """
        config = self.config
        words = self._analyzer.words(question)
        weights: dict[str, float] = {}
        for token in self._analyzer.phrase_groups(words):
            _put(weights, token, config.synonym_weight)
        for word in words:
            if word.stop:
                continue
            word, factor = self._spelled(word)
            tokens = self._word_tokens(word)
            if not tokens:
                tokens = {word.lemma: config.unknown_weight * self._specificity(word)}
            for token, weight in tokens.items():
                _put(weights, token, weight * factor)
        return weights

    def _specificity(self, word: Word) -> float:
        """1 for numbers and words rare in German, down to 0.25 for everyday words."""
        if word.surface.isdigit():
            return self.config.number_weight / self.config.unknown_weight
        return min(1.0, max(0.25, (_COMMON_ZIPF - zipf(word.surface)) / _ZIPF_SPAN))

    def _word_tokens(self, word: Word) -> dict[str, float]:
        config = self.config
        if word.surface.isdigit():  # a year or amount asked for is a hard condition
            return {word.surface: config.number_weight} if word.surface in self._bm25 else {}
        lemma = next((f for f in word.lemmas if f in self._bm25), None)
        tokens = {lemma: 1.0} if lemma else {}
        part_weight = config.part_weight if lemma else config.lone_part_weight
        tokens.update({p: part_weight for p in word.parts if p in self._bm25})
        groups = self._analyzer.groups_of(word)
        tokens.update({g: config.synonym_weight for g in groups if g in self._bm25})
        stemmed = stem_token(word)
        if stemmed in self._bm25:  # "beraten" → Beratung, beratend; "interkommunaler" → …e
            tokens[stemmed] = config.stem_weight if lemma else config.lone_stem_weight
        return tokens

    def _spelled(self, word: Word) -> tuple[Word, float]:
        """The word itself, or the passage word it is a typo of (with the typo weight)."""
        if not self._misspelt(word):
            return word, 1.0
        fixed = self._typos.correct(word.surface)
        if fixed is None:
            return word, 1.0
        return analyse(self._spelling[fixed]), self.config.typo_weight

    def _misspelt(self, word: Word) -> bool:
        """Unknown to the passages and to German word frequencies, and long enough to tell."""
        if not max_edits(word.surface) or word.surface in self._typos or word.surface.isdigit():
            return False
        if any(form in self._bm25 for form in word.forms):
            return False
        return zipf(word.surface) == 0.0


def lead_ins(passages: Sequence[KbPassage]) -> list[str]:
    """For each passage the paragraph that introduced it, if the passage before it (same
    source and section) has one ending in ":" that is no list item itself — list items are
    about what their lead-in names ("Bestandsaufnahme … zum Beispiel durch:" → "Dokumentierte
    Stadtspaziergänge: …")."""
    found = [""] * len(passages)
    for n in range(1, len(passages)):
        before, passage = passages[n - 1], passages[n]
        if (before.source, before.section) == (passage.source, passage.section):
            found[n] = _lead_in(before.text)
    return found


def _lead_in(text: str) -> str:
    """The last paragraph of `text` that ends in ":" and is no list item."""
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", text)]
    lead = [p for p in paragraphs if p.endswith(":") and not p.startswith(_LIST_MARKS)]
    return " ".join(lead[-1].split()) if lead else ""


_LIST_MARKS = ("•", "-", "–", "_", "*")


_COMMON_ZIPF = 7.0
_ZIPF_SPAN = 4.0


def _put(weights: dict[str, float], token: str, weight: float) -> None:
    weights[token] = max(weight, weights.get(token, 0.0))
