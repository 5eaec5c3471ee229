"""Checking a Vorlage: a 20-page draft against a goal set of about 300 items.

Measured: the whole analysis (parse, match with evidence sentences, the checklist) per Vorlage,
median and p95 over repeated runs, and batch throughput, each next to the plain TF-IDF
baseline matcher on the same texts in the same run. All text is generated (bench/_pdf.py).
"""

from __future__ import annotations

import random
import statistics
from datetime import date
from typing import Any

from bench._common import summary, timed, write_result
from bench._pdf import VERBS, WORDS, _page_lines
from checks.analysis import analyse
from nlp.insek import GoalSet, extract_goalset
from nlp.match import build_baseline, build_matcher


def goal_set(pages: int = 400) -> GoalSet:
    rng = random.Random(3)  # noqa: S311 - test data
    return extract_goalset(["\n".join(_page_lines(n, rng)) for n in range(1, pages + 1)])


def vorlage(seed: int, *, pages: int = 20) -> str:
    rng = random.Random(seed)  # noqa: S311 - test data
    body = []
    for _ in range(pages * 30):
        words = " ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 14)))
        body.append(f"Die {words} wird {rng.choice(VERBS)}.")
    subject = " ".join(rng.choice(WORDS) for _ in range(5))
    return (
        f"Beschlussvorlage Nr. BV/2026/{seed:03d}\nBetreff: {subject}\n\n"
        f"Beschlussvorschlag:\nDer Stadtrat beschließt {subject}.\n\nSachverhalt:\n"
        + "\n".join(body)
        + "\n\nFinanzielle Auswirkungen:\nGesamtkosten 120.000 Euro.\n"
    )


def p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20)[-1] if len(samples) >= 2 else samples[0]


def run(*, repeat: int = 20, batch: int = 30) -> dict[str, Any]:
    data = goal_set()
    items = len(data.goals) + len(data.measures) + len(data.approaches)
    matcher, baseline = build_matcher(data), build_baseline(data)
    text = vorlage(1)
    analyse(text, matcher, data, adopted_on=date(2024, 1, 1))  # warm-up
    full = timed(lambda: analyse(text, matcher, data, adopted_on=date(2024, 1, 1)), repeat=repeat)
    base = timed(lambda: baseline.match(text), repeat=repeat)
    texts = [vorlage(seed) for seed in range(batch)]
    batch_full = timed(
        lambda: [analyse(t, matcher, data, adopted_on=None) for t in texts], repeat=3
    )
    batch_base = timed(lambda: [baseline.match(t) for t in texts], repeat=3)
    result = {
        "goal_set_items": items,
        "vorlage_chars": len(text),
        "analysis_seconds": {**summary(full), "p95": p95(full)},
        "baseline_seconds": {**summary(base), "p95": p95(base)},
        "batch_vorlagen": batch,
        "batch_per_second": batch / statistics.median(batch_full),
        "baseline_batch_per_second": batch / statistics.median(batch_base),
        "throughput_ratio_to_baseline": statistics.median(batch_base)
        / statistics.median(batch_full),
    }
    write_result("check", result)
    return result
