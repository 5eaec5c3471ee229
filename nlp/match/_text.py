"""Tokenizers for matching: plain words (baseline) and lemmas + compound parts + topics."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence

from spacy.lang.de.stop_words import STOP_WORDS

from nlp.pipeline import compound_parts, get_nlp, lemma

_WORD = re.compile(r"[A-Za-zÄÖÜäöüß]{3,}")
_STOP = frozenset(w.lower() for w in STOP_WORDS)


def plain_tokens(text: str) -> list[str]:
    """Lower-case words of three letters or more, without stop words."""
    words = (w.lower() for w in _WORD.findall(text))
    return [w for w in words if w not in _STOP]


def rich_tokens(text: str, *, topics: bool = True) -> list[str]:
    """Lemmas, the parts of compounds ("Radwegebau" → radweg, bau) and topic ids ("#mobility")."""
    tokens: list[str] = []
    for word in _WORD.findall(text):
        base = lemma(word).lower()
        if base in _STOP or word.lower() in _STOP:
            continue
        tokens.append(base)
        parts = compound_parts(word)
        if len(parts) > 1:
            tokens.extend(p for p in parts if p not in _STOP)
    if topics:
        tokens.extend(topic_tokens(text))
    return tokens


def topic_tokens(text: str) -> list[str]:
    """One "#topic" token per mention of a domain-vocabulary topic."""
    doc = get_nlp()(text)
    return ["#" + span.label_ for span in doc.spans.get("topics", [])]


def boilerplate_lines(texts: Sequence[str], *, share: float = 0.2) -> frozenset[str]:
    """Normalised lines that occur in at least `share` of `texts` (form furniture)."""
    counts: Counter[str] = Counter()
    for text in texts:
        counts.update(set(normalise_lines(text)))
    floor = max(2, int(share * len(texts)))
    return frozenset(line for line, n in counts.items() if n >= floor)


def normalise_lines(text: str) -> Iterable[str]:
    for line in text.splitlines():
        key = re.sub(r"[\d\W_]+", " ", line).strip().lower()
        if len(key) >= 4:
            yield key


def strip_boilerplate(text: str, boilerplate: frozenset[str]) -> str:
    """`text` without the lines found in `boilerplate` (offsets are not kept)."""
    if not boilerplate:
        return text
    kept = [
        line
        for line in text.splitlines()
        if re.sub(r"[\d\W_]+", " ", line).strip().lower() not in boilerplate
    ]
    return "\n".join(kept)
