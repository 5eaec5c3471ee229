"""Queue benchmark: document jobs per second with one and with two workers, and the time from
upload to `verarbeitet` for a 20-page Vorlage (SQLite + embedded Redis, real `inge worker`
processes). :func:`measure` does the same on several :class:`~bench._stack.Stack`s at once
(bench/scaling.py: also PostgreSQL + Redis)."""

from __future__ import annotations

import json
import time
from typing import Any

from bench._common import progress, write_result
from bench._pdf import make_insek_pdf
from bench._stack import EMBEDDED, WORKER_WARM_UP, Running, provision
from service.db import session_scope
from service.models import DocumentKind

JOBS = 24
PDF_KEY = "upload_to_processed_seconds_20_pages"
TEXT, VORLAGE = DocumentKind.OTHER, DocumentKind.BESCHLUSSVORLAGE


def _text(n: int) -> bytes:
    return ("\n".join(f"Absatz {n}.{i}: Der Radverkehr wird gestärkt." for i in range(40))).encode()


def _timed_batch(running: Running, files: list[tuple[str, bytes]], *, kind: DocumentKind) -> float:
    """Seconds from the upload (the files are stored) to the last final status."""
    running.drain()  # follow-up jobs of the previous batch (a check) must not overlap
    start = time.perf_counter()
    ids = running.upload(files, kind=kind)
    running.wait_finished(ids)
    return time.perf_counter() - start


def measure(runnings: list[Running], *, rounds: int) -> list[dict[str, list[float]]]:
    """For each stack, ``rounds`` timings each: a batch of ``JOBS`` text documents with one
    worker, the 20-page Vorlage PDF alone with one worker, then the batch with two workers.
    Workers start and warm up before any clock runs and stay warm across rounds; the stacks
    take turns round by round. Leaves two workers running on each stack."""
    data_dir = runnings[0].settings.data_dir
    pdf = make_insek_pdf(data_dir / "vorlage.pdf", pages=20, seed=11).read_bytes()
    out: list[dict[str, list[float]]] = [
        {"one_worker_seconds": [], "two_workers_seconds": [], PDF_KEY: []} for _ in runnings
    ]
    _scale(runnings, 1)
    for r in range(rounds):
        for running, seconds in zip(runnings, out, strict=True):
            batch = [(f"eins-{r}-{n}.txt", _text(n + 1000 * r)) for n in range(JOBS)]
            seconds["one_worker_seconds"].append(_timed_batch(running, batch, kind=TEXT))
            vorlage = [(f"vorlage-20-{r}.pdf", pdf)]
            seconds[PDF_KEY].append(_timed_batch(running, vorlage, kind=VORLAGE))
    progress("queue: ein Worker gemessen")
    _scale(runnings, 2)
    for r in range(rounds):
        for running, seconds in zip(runnings, out, strict=True):
            batch = [(f"zwei-{r}-{n}.txt", _text(n + 1000 * r + 500)) for n in range(JOBS)]
            seconds["two_workers_seconds"].append(_timed_batch(running, batch, kind=TEXT))
    return out


def _scale(runnings: list[Running], workers: int) -> None:
    for running in runnings:
        running.drain()
    started = [running.scale_workers(workers) for running in runnings]
    if any(started):
        time.sleep(WORKER_WARM_UP)


def run() -> dict[str, Any]:
    from service.municipalities.service import create_municipality

    with provision(EMBEDDED, prefix="inge-bench-queue-") as running:
        with session_scope(running.engine) as session:
            create_municipality(session, ags="14612000", name="Queuestadt")
        seconds = measure([running], rounds=1)[0]
    one = seconds["one_worker_seconds"][0]
    two = seconds["two_workers_seconds"][0]
    data = {
        "jobs": JOBS,
        "one_worker_jobs_per_second": JOBS / one,
        "two_workers_jobs_per_second": JOBS / two,
        "two_to_one_ratio": one / two,
        PDF_KEY: seconds[PDF_KEY][0],
        "note": "workers warm; clock from upload (incl. storing) to the last status",
    }
    write_result("queue", data)
    return data


if __name__ == "__main__":
    print(json.dumps(run(), indent=2, ensure_ascii=False))
