"""Word frequencies for German, used to decide joins (hyphens, ligatures) and compound splits.

The frequency table comes from `wordfreq` and is loaded once, on first use, into a plain dict so
that a lookup costs a dict access, not wordfreq's per-call tokenisation.
"""

from __future__ import annotations

import math
from functools import cache


@cache
def _frequencies() -> dict[str, float]:
    import wordfreq  # imported lazily: loading the table takes ~0.2 s

    return dict(wordfreq.get_frequency_dict("de"))


def zipf(word: str) -> float:
    """Zipf frequency of `word` (case-insensitive) in German: 0.0 if unknown, ~7 for "und"."""
    frequency = _frequencies().get(word.lower())
    if not frequency:
        return 0.0
    return round(math.log10(frequency) + 9, 2)


def is_known(word: str, *, threshold: float = 1.0) -> bool:
    """Whether `word` is a German word form that occurs with at least the given Zipf frequency."""
    return zipf(word) >= threshold
