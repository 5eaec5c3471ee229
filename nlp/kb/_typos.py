"""Typo correction against the words of the indexed passages.

A question word that neither the passages nor German at large know ("Städtebauförderng",
"Fortschreibnug") is mapped to the passage word within a small edit distance: one edit for
words of five to seven letters, two for longer ones; a swap of neighbouring letters counts as
one edit. Candidates are found through deletion variants (the SymSpell idea), so a lookup
costs a few dict accesses, not a scan of the vocabulary. Only single deletions of vocabulary
words are stored (memory stays linear in the vocabulary); against up to two deletions of the
question word that finds every word one edit away and, two edits away, all but two missing
letters or two wrong ones ("Städtebauförderng", "Fortschreibnug", "Anwaltsplannung" are found).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from itertools import combinations

MIN_LENGTH = 5
_LONG = 8


def max_edits(word: str) -> int:
    """Edits allowed for a word: 0 below five letters, 1 up to seven, 2 from eight."""
    if len(word) < MIN_LENGTH:
        return 0
    return 1 if len(word) < _LONG else 2


def edit_distance(a: str, b: str) -> int:
    """Optimal-string-alignment distance: insertions, deletions, substitutions and swaps of
    two neighbouring letters each cost 1."""
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, start=1):
            cost = 0 if ca == cb else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        previous2, previous = previous, current
    return previous[-1]


def _deletions(word: str, edits: int) -> set[str]:
    found = {word}
    for count in range(1, edits + 1):
        for positions in combinations(range(len(word)), count):
            found.add("".join(c for i, c in enumerate(word) if i not in positions))
    return found


class TypoCorrector:
    """Maps a misspelt word to the most frequent vocabulary word within `max_edits`."""

    def __init__(self, vocabulary: Iterable[str]) -> None:
        self._frequency: Counter[str] = Counter(w for w in vocabulary if len(w) >= MIN_LENGTH - 1)
        self._variants: dict[str, set[str]] = {}
        for word in self._frequency:
            for variant in _deletions(word, 1):
                self._variants.setdefault(variant, set()).add(word)

    def __contains__(self, word: str) -> bool:
        return word in self._frequency

    def correct(self, word: str) -> str | None:
        """The closest vocabulary word (ties: the more frequent one), or None."""
        edits = max_edits(word)
        if not edits:
            return None
        candidates: set[str] = set()
        for variant in _deletions(word, edits):
            candidates |= self._variants.get(variant, set())
        scored = [
            (distance, -self._frequency[c], c)
            for c in candidates
            if (distance := edit_distance(word, c)) <= edits
        ]
        return min(scored)[2] if scored else None
