"""A second TF-IDF baseline: each Handlungsfeld profiled by its whole chapter of the INSEK.

The issue names a plain TF-IDF baseline at about 0.67 top-1, 0.87 top-3, 0.75 AUC; our item-
based baseline (name, description, goals, measures only) stays well below that. Profiling a
field by its chapter comes close, so the issue's baseline was probably built that way. Run:
``.venv/bin/python -m nlp.eval.chapter_baseline``. Nothing here is tuned.
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from nlp.eval._vorlagen import SHARED, Labelled, load_dev
from nlp.eval.checks import roc_auc
from nlp.insek import clean_document, handlungsfeld_chapters
from nlp.match._text import plain_tokens
from nlp.match._vectors import Tfidf
from nlp.text import split_pages

ISEK = SHARED / "data/karlsruhe/isek-2020-volltext.txt"


@dataclass(frozen=True)
class Figures:
    top1: float
    top3: float
    auc: float
    labelled: int


def _key(name: str) -> str:
    return re.sub(r"[^0-9a-zäöüß]", "", name.lower())


def chapters(path: Path = ISEK) -> list[tuple[str, str]]:
    """(name, chapter text) of every Handlungsfeld of the Karlsruhe INSEK."""
    clean = clean_document(split_pages(path.read_text(encoding="utf-8")))
    return [(name, clean.text[start:end]) for name, start, end in handlungsfeld_chapters(clean)]


def evaluate(
    docs: Sequence[Labelled], fields: list[tuple[str, str]], *, sublinear: bool
) -> Figures:
    bags = [Counter(plain_tokens(text)) for _, text in fields]
    tfidf = Tfidf(
        [list(b) for b in bags], index_terms=[t for b in bags for t in b], sublinear=sublinear
    )
    scores = tfidf.vectors([Counter(plain_tokens(d.text)) for d in docs]) @ tfidf.vectors(bags).T
    names = [_key(name) for name, _ in fields]
    hits1 = hits3 = labelled = 0
    for doc, row in zip(docs, scores, strict=True):
        if doc.has_field:
            ranked = [names[i] for i in np.argsort(-row)]
            labelled += 1
            hits1 += ranked[0] == _key(doc.label)
            hits3 += _key(doc.label) in ranked[:3]
    auc = roc_auc([float(r.max()) for r in scores], [d.relevant for d in docs])
    return Figures(hits1 / labelled, hits3 / labelled, auc, labelled)


def main() -> int:
    docs = load_dev()
    fields = chapters()
    print("| Variante | Split | Top-1 | Top-3 | ROC AUC |\n|---|---|---|---|---|")
    for sublinear in (False, True):
        for split in ("even", "odd", "all"):
            subset = [d for d in docs if split == "all" or d.split == split]
            f = evaluate(subset, fields, sublinear=sublinear)
            name = "Kapitel-TF-IDF" + (" (sublinear)" if sublinear else "")
            print(f"| {name} | {split} | {f.top1:.3f} | {f.top3:.3f} | {f.auc:.3f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
