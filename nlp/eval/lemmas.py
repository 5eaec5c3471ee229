"""Which lemmatizer suits INGE: accuracy on the hand-made list nlp/eval/lemmas_de.tsv.

Run `python -m nlp.eval.lemmas`. Compares spaCy's lookup lemmatizer (spacy-lookups-data),
simplemma and HanTa (each only if installed) and prints accuracy and time per word (warm).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

LEMMAS = Path(__file__).resolve().parent / "lemmas_de.tsv"

Lemmatizer = Callable[[str], str]


def pairs() -> list[tuple[str, str]]:
    """(word form, lemma) pairs of the list; lines starting with "#" are comments."""
    rows = LEMMAS.read_text(encoding="utf-8").splitlines()
    return [(a, b) for a, b in (r.split("\t") for r in rows if r and not r.startswith("#"))]


def _spacy_lookup() -> Lemmatizer:
    import spacy

    nlp = spacy.blank("de")
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    nlp.initialize()
    lemmatizer: Any = nlp.get_pipe("lemmatizer")
    table = lemmatizer.lookups.get_table("lemma_lookup")
    return lambda word: str(table.get(word, word))


def _simplemma() -> Lemmatizer:
    import simplemma

    return lambda word: str(simplemma.lemmatize(word, lang="de"))


def _hanta() -> Lemmatizer:
    from HanTa import HanoverTagger

    tagger = HanoverTagger.HanoverTagger("morphmodel_ger.pgz")
    return lambda word: str(tagger.analyze(word)[0])


CANDIDATES: dict[str, Callable[[], Lemmatizer]] = {
    "spacy-lookups-data": _spacy_lookup,
    "simplemma": _simplemma,
    "HanTa": _hanta,
}


def measure(lemmatize: Lemmatizer, data: list[tuple[str, str]]) -> tuple[int, float]:
    """(correct answers, microseconds per word after one warm-up pass); case is ignored."""
    for word, _ in data:
        lemmatize(word)
    started = time.perf_counter()
    answers = [lemmatize(word) for word, _ in data]
    elapsed = (time.perf_counter() - started) / len(data) * 1e6
    correct = sum(a.lower() == lemma.lower() for a, (_, lemma) in zip(answers, data, strict=True))
    return correct, elapsed


def main() -> int:
    """Print one line per installed lemmatizer."""
    data = pairs()
    for name, build in CANDIDATES.items():
        try:
            lemmatize = build()
        except (ImportError, OSError, ValueError) as error:
            print(f"{name}: nicht verfügbar ({error.__class__.__name__})")
            continue
        correct, micros = measure(lemmatize, data)
        print(f"{name}: {correct}/{len(data)} richtig, {micros:.1f} µs je Wort")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
