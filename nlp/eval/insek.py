"""INSEK extraction against the gold annotations in tests/fixtures/gold/.

Run `python -m nlp.eval.insek` (from the repository root; needs ../shared). A predicted item
matches a gold item of the same kind and Handlungsfeld when their character spans overlap with
an intersection-over-union of at least 0.5; pairs are taken greedily, best overlap first.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field

from nlp.eval._documents import LOADERS, Document, available, fingerprint, gold_span, load
from nlp.insek import GoalSet, clean_document, extract_goalset
from nlp.insek._fields import key
from nlp.text import CleanText

MIN_OVERLAP = 0.5
KINDS = ("goal", "measure")


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    field: int | None  # gold Handlungsfeld index; -1 for a predicted field the gold lacks
    horizon: str | None = None


@dataclass
class Score:
    """Counts for one item kind of one document."""

    gold: int = 0
    predicted: int = 0
    matched: int = 0
    matched_any_field: int = 0

    @property
    def precision(self) -> float:
        return self.matched / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.matched / self.gold if self.gold else 0.0


@dataclass
class Result:
    """The evaluation of one document."""

    document: str
    seconds: float
    fields_gold: int
    fields_found: int
    fields_predicted: int
    scores: dict[str, Score] = field(default_factory=dict)
    horizon_correct: int = 0
    horizon_total: int = 0
    hash_mismatches: int = 0


def evaluate(name: str) -> Result:
    """Extract document `name` and score it against its gold file."""
    document = load(name)
    started = time.perf_counter()
    clean = clean_document(document.pages)
    goalset = extract_goalset(clean)
    seconds = time.perf_counter() - started
    gold_names = [_gold_text(document, hf["locator"]) for hf in document.gold["handlungsfelder"]]
    field_index = {key(n): i for i, n in enumerate(gold_names)}
    predicted_names = {key(hf.name) for hf in goalset.handlungsfelder}
    result = Result(
        document=name,
        seconds=round(seconds, 2),
        fields_gold=len(gold_names),
        fields_found=sum(1 for n in gold_names if key(n) in predicted_names),
        fields_predicted=len(goalset.handlungsfelder),
        hash_mismatches=_hash_mismatches(document),
    )
    predicted = _predicted(goalset, clean, document, field_index)
    for kind in KINDS:
        gold = [
            _gold_item(document, item) for item in document.gold["items"] if item["kind"] == kind
        ]
        score, pairs = _score(gold, predicted[kind])
        result.scores[kind] = score
        if kind == "measure":
            _count_horizons(result, pairs)
    return result


def _gold_text(document: Document, locator: dict) -> str:
    start, end = gold_span(document, locator)
    return document.coordinates[start:end]


def _gold_item(document: Document, item: dict) -> Span:
    start, end = gold_span(document, item["locator"])
    return Span(start, end, item.get("hf"), item.get("zeithorizont"))


def _hash_mismatches(document: Document) -> int:
    entries = [*document.gold["handlungsfelder"], *document.gold["items"]]
    return sum(
        1
        for entry in entries
        if fingerprint(_gold_text(document, entry["locator"])) != entry["sha1"]
    )


def _predicted(
    goalset: GoalSet, clean: CleanText, document: Document, field_index: dict[str, int]
) -> dict[str, list[Span]]:
    def span(start: int, end: int, field_name: str | None, horizon: str | None = None) -> Span:
        page, offset = clean.source_offset(start)
        last_page, last = clean.source_offset(max(end - 1, start))
        field = None if field_name is None else field_index.get(key(field_name), -1)
        begin = document.bases[page - 1] + offset
        return Span(begin, document.bases[last_page - 1] + last + 1, field, horizon)

    return {
        "goal": [span(g.source.start, g.source.end, g.handlungsfeld) for g in goalset.goals],
        "measure": [
            span(m.source.start, m.source.end, m.handlungsfeld, m.attributes.get("zeithorizont"))
            for m in goalset.measures
        ],
    }


def _overlap(a: Span, b: Span) -> float:
    inner = min(a.end, b.end) - max(a.start, b.start)
    if inner <= 0:
        return 0.0
    return inner / (max(a.end, b.end) - min(a.start, b.start))


def _score(
    gold: Sequence[Span], predicted: Sequence[Span]
) -> tuple[Score, list[tuple[Span, Span]]]:
    score = Score(gold=len(gold), predicted=len(predicted))
    pairs = _pairs(gold, predicted, same_field=True)
    score.matched = len(pairs)
    score.matched_any_field = len(_pairs(gold, predicted, same_field=False))
    return score, pairs


def _pairs(
    gold: Sequence[Span], predicted: Sequence[Span], *, same_field: bool
) -> list[tuple[Span, Span]]:
    candidates = []
    for i, g in enumerate(gold):
        for j, p in enumerate(predicted):
            if p.start >= g.end or p.end <= g.start or (same_field and p.field != g.field):
                continue
            overlap = _overlap(g, p)
            if overlap >= MIN_OVERLAP:
                candidates.append((overlap, i, j))
    used_gold: set[int] = set()
    used_predicted: set[int] = set()
    pairs: list[tuple[Span, Span]] = []
    for _, i, j in sorted(candidates, reverse=True):
        if i not in used_gold and j not in used_predicted:
            used_gold.add(i)
            used_predicted.add(j)
            pairs.append((gold[i], predicted[j]))
    return pairs


def _count_horizons(result: Result, pairs: Sequence[tuple[Span, Span]]) -> None:
    for gold, predicted in pairs:
        if gold.horizon is not None:
            result.horizon_total += 1
            result.horizon_correct += int(gold.horizon == predicted.horizon)


def table(results: Sequence[Result]) -> str:
    """The results as a Markdown table (one row per document and item kind)."""
    rows = [
        "| Dokument | Art | Gold | Gefunden | Treffer | Precision | Recall | Recall ohne HF |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for result in results:
        for kind, score in result.scores.items():
            any_recall = score.matched_any_field / score.gold if score.gold else 0.0
            rows.append(
                f"| {result.document} | {kind} | {score.gold} | {score.predicted} | "
                f"{score.matched} | {score.precision:.2f} | {score.recall:.2f} | {any_recall:.2f} |"
            )
    return "\n".join(rows)


def summary(result: Result) -> str:
    """One line per document: Handlungsfelder found, time, attribute and hash checks."""
    parts = [
        f"{result.document}: Handlungsfelder {result.fields_found}/{result.fields_gold} "
        f"(vorhergesagt {result.fields_predicted})",
        f"Extraktion {result.seconds:.2f} s",
    ]
    if result.horizon_total:
        parts.append(f"Zeithorizont {result.horizon_correct}/{result.horizon_total}")
    if result.hash_mismatches:
        parts.append(f"WARNUNG: {result.hash_mismatches} Gold-Hashes passen nicht")
    return " · ".join(parts)


def main(argv: Sequence[str] | None = None) -> int:
    """Evaluate every document that ../shared holds; print a table (or JSON with --json)."""
    parser = argparse.ArgumentParser(prog="python -m nlp.eval.insek", description=__doc__)
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    args = parser.parse_args(argv)
    names = [name for name in LOADERS if available(name)]
    if not names:
        print("../shared fehlt: keine Dokumente zum Auswerten.", file=sys.stderr)
        return 1
    results = [evaluate(name) for name in names]
    if args.json:
        print(json.dumps([asdict(r) for r in results], indent=2, ensure_ascii=False))
        return 0
    print(table(results))
    print()
    for result in results:
        print(summary(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
