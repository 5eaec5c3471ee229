"""TF-IDF vectors as dense numpy rows over the terms of the indexed (INSEK) texts.

Only terms of the index can contribute to a cosine with it, so rows keep just those columns;
the L2 norm is still taken over every term of the bag (unknown terms get the highest IDF),
which keeps cosines exact without a sparse-matrix dependency.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence

import numpy as np


class Tfidf:
    """IDF learnt from `corpus` (token lists); columns are the `index_terms`."""

    def __init__(
        self,
        corpus: Sequence[Iterable[str]],
        *,
        index_terms: Iterable[str],
        sublinear: bool = False,
    ) -> None:
        frequency: Counter[str] = Counter()
        for tokens in corpus:
            frequency.update(set(tokens))
        n = len(corpus)
        self.idf = {t: math.log((1 + n) / (1 + df)) + 1.0 for t, df in frequency.items()}
        self.unknown_idf = math.log(1 + n) + 1.0
        self.columns = {term: i for i, term in enumerate(sorted(set(index_terms)))}
        self.sublinear = sublinear

    def weight(self, term: str, count: float) -> float:
        tf = 1.0 + math.log(count) if self.sublinear and count >= 1 else count
        return tf * self.idf.get(term, self.unknown_idf)

    def vectors(self, bags: Sequence[Mapping[str, float]]) -> np.ndarray:
        """One L2-normalised row per weighted bag of tokens."""
        matrix = np.zeros((len(bags), len(self.columns)), dtype=np.float32)
        for row, bag in enumerate(bags):
            norm = 0.0
            for term, count in bag.items():
                if count <= 0:
                    continue
                value = self.weight(term, count)
                norm += value * value
                col = self.columns.get(term)
                if col is not None:
                    matrix[row, col] = value
            if norm > 0:
                matrix[row] /= math.sqrt(norm)
        return matrix
