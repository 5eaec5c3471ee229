"""Earlier answers of the same municipality ("Präzedenzfälle") as a second opinion.

A Vorlage that resembles earlier Vorlagen usually gets the answer they got: on the Karlsruhe
dev set, every pair of Vorlagen with a text cosine above 0.6 (70 pairs) carries the same label.
The index holds earlier Vorlagen with their answer (a Handlungsfeld name, "nein" or "ja") and
votes for a new Vorlage with its k most similar ones, weighted by similarity.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from nlp.match._vectors import Tfidf

NOT_RELEVANT = "nein"
RELEVANT_NO_FIELD = "ja"


@dataclass(frozen=True)
class Precedent:
    """An earlier Vorlage and its answer; `reference` names it (file, document id)."""

    text: str
    label: str
    reference: str = ""


@dataclass(frozen=True)
class Vote:
    """Similarity-weighted votes per field name and the relevant share of the neighbours."""

    fields: dict[str, float]
    relevant_share: float
    neighbours: tuple[tuple[str, str, float], ...]  # (reference, label, similarity)


class PrecedentIndex:
    """Vectors of earlier Vorlagen over all their terms (IDF from the precedents themselves)."""

    def __init__(
        self, precedents: Sequence[Precedent], tokens: Callable[[str], list[str]], *, k: int = 5
    ) -> None:
        self.precedents = list(precedents)
        self.tokens = tokens
        self.k = k
        bags = [Counter(tokens(p.text)) for p in self.precedents]
        self.tfidf = Tfidf(
            [list(bag) for bag in bags], index_terms=[t for b in bags for t in b], sublinear=True
        )
        self.vectors = self.tfidf.vectors(bags)

    def __len__(self) -> int:
        return len(self.precedents)

    def vote(self, text: str, *, exclude: str | None = None) -> Vote:
        """The k nearest precedents' votes; `exclude` leaves out a precedent by reference."""
        query = self.tfidf.vectors([Counter(self.tokens(text))])[0]
        similarity = self.vectors @ query
        order = [
            int(i)
            for i in np.argsort(-similarity, kind="stable")
            if exclude is None or self.precedents[int(i)].reference != exclude
        ]
        fields: dict[str, float] = {}
        with_field = [i for i in order if self.precedents[i].label not in _NO_FIELD][: self.k]
        for i in with_field:
            label = self.precedents[i].label
            fields[label] = fields.get(label, 0.0) + max(0.0, float(similarity[i]))
        nearest = order[: self.k]
        weights = np.array([max(0.0, float(similarity[i])) for i in nearest]) + 1e-9
        relevant = np.array([self.precedents[i].label != NOT_RELEVANT for i in nearest])
        share = float((weights * relevant).sum() / weights.sum()) if nearest else 0.5
        neighbours = tuple(
            (self.precedents[i].reference, self.precedents[i].label, float(similarity[i]))
            for i in nearest
        )
        return Vote(fields, share, neighbours)


_NO_FIELD = frozenset({NOT_RELEVANT, RELEVANT_NO_FIELD})
