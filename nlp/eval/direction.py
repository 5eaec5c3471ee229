"""Direction (fördernd / neutral / hemmend) on our own labelled pairs, rules vs the old rule.

`python -m nlp.eval.direction [--write]` reads nlp/eval/direction_de.jsonl (written for INGE,
blind to the rules: goal, Vorlage excerpt, expected direction, split dev/test). The rules in
checks/direction.py were adjusted on `dev` only. Every pair is topically related by construction,
so the match score is fixed at 1.0 (a clear match); the question is only the direction.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from checks.conflicts import RULES
from checks.direction import FOERDERND, HEMMEND, NEUTRAL, direction
from nlp.eval._report import write_section

DATA = Path(__file__).with_name("direction_de.jsonl")
TITLE = "## Beschlussvorlagen: Richtung der Wirkung (fördernd / neutral / hemmend)"
CLASSES = (FOERDERND, NEUTRAL, HEMMEND)


@dataclass(frozen=True)
class Pair:
    id: str
    split: str
    goal: str
    vorlage: str
    direction: str


def load() -> list[Pair]:
    rows = [json.loads(line) for line in DATA.read_text(encoding="utf-8").splitlines() if line]
    return [Pair(r["id"], r["split"], r["goal"], r["vorlage"], r["direction"]) for r in rows]


def old_rule(text: str, goal: str, *, score: float) -> str:
    """Before: hemmend only by a conflict rule, otherwise by the score."""
    for rule in RULES:
        if rule.goal.search(goal) and rule.action.search(text):
            return HEMMEND
    return FOERDERND if score >= 0.5 else NEUTRAL


def evaluate(pairs: Sequence[Pair], rule: Callable[..., str]) -> dict[str, float]:
    predicted = [rule(p.vorlage, p.goal, score=1.0) for p in pairs]
    scores: dict[str, float] = {
        "accuracy": sum(a == p.direction for a, p in zip(predicted, pairs, strict=True))
        / max(1, len(pairs))
    }
    for label in CLASSES:
        tp = sum(a == label == p.direction for a, p in zip(predicted, pairs, strict=True))
        said = sum(a == label for a in predicted)
        gold = sum(p.direction == label for p in pairs)
        scores[f"P {label}"] = tp / said if said else float("nan")
        scores[f"R {label}"] = tp / gold if gold else float("nan")
    return scores


def report() -> list[str]:
    pairs = load()
    counts = Counter((p.split, p.direction) for p in pairs)
    lines = [
        TITLE,
        "",
        "`python -m nlp.eval.direction` — eigene Paare (INSEK-Ziel, Auszug einer Vorlage,",
        "erwartete Richtung) in `nlp/eval/direction_de.jsonl`, ohne Kenntnis der Regeln",
        "geschrieben. Die Regeln (`checks/direction.py`) wurden nur auf `dev` angepasst;",
        "`test` ist zurückgehalten. „Vorher“ ist die alte Regel (nur Zielkonflikt-Regeln",
        "→ hemmend, sonst fördernd).",
        "",
        "Paare: "
        + ", ".join(
            f"{split} {sum(n for (s, _), n in counts.items() if s == split)} "
            f"({', '.join(f'{counts[(split, c)]} {c}' for c in CLASSES)})"
            for split in ("dev", "test")
        ),
        "",
        "| Regel | Split | Genauigkeit | P/R fördernd | P/R neutral | P/R hemmend |",
        "|---|---|---|---|---|---|",
    ]
    for name, rule in (("vorher", old_rule), ("Regeln", direction)):
        for split in ("dev", "test"):
            s = evaluate([p for p in pairs if p.split == split], rule)
            cells = " | ".join(f"{s[f'P {c}']:.2f} / {s[f'R {c}']:.2f}" for c in CLASSES)
            lines.append(f"| {name} | {split} | {s['accuracy']:.2f} | {cells} |")
    return [
        *lines,
        "",
        "Einordnung: Der Abstand zwischen `dev` und `test` zeigt, dass Stichwortregeln an den",
        "Formulierungen kleben, an denen sie entstanden. Ehrlich ist die `test`-Zeile: deutlich",
        "besser als vorher (vor allem hemmend wird jetzt erkannt), aber weit von sicher. Deshalb",
        "zeigt INGE die Richtung als Vorschlag neben dem Beleg, und die Sachbearbeitung bestätigt",
        "jeden Prüfpunkt. Die Zielkonflikt-Regeln (INSEK-04) gelten in beiden Zeilen.",
    ]


def main(argv: Sequence[str]) -> int:
    if not DATA.exists():
        print(f"{DATA} fehlt.")
        return 1
    lines = report()
    print("\n".join(lines))
    if "--write" in argv:
        write_section(TITLE, lines)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
