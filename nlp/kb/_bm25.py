"""Okapi BM25 with a second, weighted field (BM25F): passage body and section heading.

Documents come as token bags (token → count); a query is a weighted token bag. Scores are
computed over postings held as numpy arrays, so a search touches only the passages that share
a token with the question.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray


@dataclass(frozen=True)
class Bm25Params:
    """k1 (term saturation), b (length normalisation), weight of the heading field."""

    k1: float = 1.6
    b: float = 0.75
    title_weight: float = 0.6


class Bm25:
    """BM25F over `bodies` and (optional) `titles`, one bag of tokens per document each."""

    def __init__(
        self,
        bodies: Sequence[Mapping[str, float]],
        titles: Sequence[Mapping[str, float]] | None = None,
        *,
        params: Bm25Params | None = None,
    ) -> None:
        self.params = params or Bm25Params()
        self.size = len(bodies)
        heads = titles if titles is not None else [{} for _ in bodies]
        body_norm = _length_norm(bodies, self.params.b)
        head_norm = _length_norm(heads, self.params.b)
        weights: dict[str, dict[int, float]] = {}
        for doc, (body, head) in enumerate(zip(bodies, heads, strict=True)):
            for token, count in body.items():
                _add(weights, token, doc, count / body_norm[doc])
            for token, count in head.items():
                _add(weights, token, doc, self.params.title_weight * count / head_norm[doc])
        k1 = self.params.k1
        self._postings: dict[str, tuple[NDArray[np.int64], NDArray[np.float64]]] = {}
        for token, per_doc in weights.items():
            docs = np.fromiter(per_doc.keys(), dtype=np.int64, count=len(per_doc))
            tf = np.fromiter(per_doc.values(), dtype=np.float64, count=len(per_doc))
            self._postings[token] = (docs, tf * (k1 + 1) / (tf + k1))

    def idf(self, token: str) -> float:
        """Robertson–Spärck Jones idf (never negative); a token no document has gets the
        largest value, as for a token of a single document seen half as often."""
        df = len(self._postings[token][0]) if token in self._postings else 0
        return math.log(1 + (self.size - df + 0.5) / (df + 0.5))

    def __contains__(self, token: str) -> bool:
        return token in self._postings

    def scores(self, query: Mapping[str, float]) -> NDArray[np.float64]:
        """BM25F score of every document for a weighted query."""
        total = np.zeros(self.size)
        for token, weight in query.items():
            if token in self._postings:
                docs, saturated = self._postings[token]
                total[docs] += weight * self.idf(token) * saturated
        return total

    def ceiling(self, query: Mapping[str, float]) -> float:
        """The score of a document of average length holding every query token once in its
        body: what a passage that answers all of the question reaches."""
        return sum(weight * self.idf(token) for token, weight in query.items())


def _add(weights: dict[str, dict[int, float]], token: str, doc: int, value: float) -> None:
    per_doc = weights.setdefault(token, {})
    per_doc[doc] = per_doc.get(doc, 0.0) + value


def _length_norm(bags: Sequence[Mapping[str, float]], b: float) -> list[float]:
    lengths = [sum(bag.values()) for bag in bags]
    average = (sum(lengths) / len(lengths)) if lengths else 0.0
    if average == 0:
        return [1.0] * len(bags)
    return [1 - b + b * length / average for length in lengths]
