"""Web benchmark: requests/s and latency of the document list, the queue and the check page
with 50 concurrent users on loopback while the worker is busy, against /healthz in the same run.

`python -m bench.web` starts `inge web` and `inge worker` as processes (SQLite + embedded Redis
under a temporary data dir), seeds a municipality with an adopted INSEK, a checked Vorlage,
documents and questions, keeps the worker busy with PDF extractions, and then loads each page.
:func:`measure` does the same on any :class:`~bench._stack.Stack`s (bench/scaling.py: also
PostgreSQL + Redis, two web processes, two workers); the clients are spread over the web
processes.
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx2
from sqlmodel import select

from bench._common import progress, write_result
from bench._pdf import make_insek_pdf
from bench._stack import EMBEDDED, Running, provision, until
from service.db import session_scope
from service.models import CheckRun, Role

USERS = 50
SECONDS = 8.0
BASELINE = "healthz (Basis)"
BUSY_PAGES = 300
# extractions in flight during the load, whatever the stack: each worker of the 2×2 has one,
# the single worker of the 1×1 runs two, so every configuration carries the same demand
BUSY_JOBS = 2


def seed(running: Running) -> str:
    """A municipality, a clerk with a token; returns the token."""
    from service.accounts import create_user
    from service.auth.service import create_api_token
    from service.municipalities.service import create_municipality

    with session_scope(running.engine) as session:
        create_municipality(session, ags="14612000", name="Benchstadt", landkreis="Bench")
        user = create_user(
            session,
            email="bench@benchstadt.de",
            password="bench-passwort-lang",  # noqa: S106 - throwaway bench user
            role=Role.MUNICIPAL_ADMIN,
            municipality_ags="14612000",
        )
        return create_api_token(session, user, name="bench")


def _prepare(base: str, token: str, running: Running) -> int:
    """INSEK adopted, a Vorlage checked, questions asked; returns the check run id."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from tests.fixtures import vorlage_sample as v
    from tests.fixtures.insek_sample import as_text

    auth = {"Authorization": f"Bearer {token}"}

    def upload(name: str, data: bytes, kind: str) -> int:
        r = httpx2.post(
            f"{base}/api/v1/documents",
            headers=auth,
            data={"kind": kind},
            files={"file": (name, data)},
            timeout=30,
        )
        r.raise_for_status()
        return int(r.json()["id"])

    insek = upload("insek.txt", as_text().encode(), "insek")
    goalset = f"{base}/api/v1/insek/{insek}/goalset"
    until(lambda: httpx2.get(goalset, headers=auth).status_code == 200)
    httpx2.post(
        f"{base}/api/v1/insek/{insek}/goalset/adopt",
        headers=auth,
        json={"council_decision_date": "2024-01-01", "council_decision_ref": "B"},
    ).raise_for_status()
    upload("radweg.txt", v.RADWEG.encode(), "beschlussvorlage")
    run = until(lambda: _checked(running))
    for n in range(20):
        upload(f"notiz-{n}.txt", f"Notiz {n} zum Radverkehr".encode(), "other")
        httpx2.post(f"{base}/api/v1/questions", headers=auth, json={"text": f"Frage {n}?"})
    return int(run)


def _checked(running: Running) -> int | None:
    with session_scope(running.engine) as session:
        run = session.exec(select(CheckRun).where(CheckRun.status == "geprüft")).first()
        return run.id if run else None


async def _load(urls: list[str], headers: dict[str, str], seconds: float) -> dict[str, float]:
    """``USERS`` clients, client i on ``urls[i % len(urls)]``, each looping for ``seconds``."""
    latencies: list[float] = []
    errors = 0
    stop = time.monotonic() + seconds
    limits = httpx2.Limits(max_connections=USERS, max_keepalive_connections=USERS)
    async with httpx2.AsyncClient(headers=headers, limits=limits, timeout=30) as client:

        async def user(url: str) -> None:
            nonlocal errors
            while time.monotonic() < stop:
                start = time.perf_counter()
                response = await client.get(url)
                latencies.append(time.perf_counter() - start)
                errors += response.status_code != 200

        started = time.monotonic()
        await asyncio.gather(*(user(urls[i % len(urls)]) for i in range(USERS)))
        elapsed = time.monotonic() - started
    latencies.sort()
    return {
        "requests": len(latencies),
        "errors": errors,
        "requests_per_second": len(latencies) / elapsed,
        "median_ms": 1000 * statistics.median(latencies),
        "p99_ms": 1000 * latencies[int(0.99 * (len(latencies) - 1))],
    }


@dataclass(frozen=True)
class Target:
    """A stack made ready for the load: its pages (one URL per web process) and credentials."""

    running: Running
    pages: dict[str, list[str]]
    auth: dict[str, str]
    busy_pdf: Path


def prepare(running: Running) -> Target:
    """Seed, start the stack's web processes and workers, adopt an INSEK, check a Vorlage."""
    stack = running.stack
    token = seed(running)
    bases = running.start_web(stack.web_processes)
    running.start_workers(stack.workers, warm_up=0)  # _prepare waits for their first jobs
    run_id = _prepare(bases[0], token, running)
    paths = {
        BASELINE: "/healthz",
        "Dokumentliste": "/dokumente",
        "Warteschlange": "/fragen",
        "Prüfungsseite": f"/pruefungen/{run_id}",
    }
    # large enough that one upload is stored faster than it is extracted (0.2 s vs 1 s)
    pdf = make_insek_pdf(running.settings.data_dir / "gross.pdf", pages=BUSY_PAGES)
    progress(f"web: {stack.label}: vorbereitet")
    return Target(
        running=running,
        pages={name: [base + path for base in bases] for name, path in paths.items()},
        auth={"Authorization": f"Bearer {token}"},
        busy_pdf=pdf,
    )


def load_round(target: Target, *, seconds: float) -> dict[str, dict[str, float]]:
    """Every page once, for ``seconds`` each, while ``BUSY_JOBS`` extractions of a
    ``BUSY_PAGES``-page PDF are kept in flight; each page's figures with its ratio to /healthz
    of the same round. The queue is drained afterwards."""
    with target.running.keep_busy(target.busy_pdf, depth=BUSY_JOBS):
        results = {
            name: asyncio.run(_load(urls, target.auth, seconds))
            for name, urls in target.pages.items()
        }
    baseline = results[BASELINE]["requests_per_second"]
    for figures in results.values():
        figures["ratio_to_healthz"] = figures["requests_per_second"] / baseline
    return results


def measure(
    runnings: list[Running], *, rounds: int, seconds: float
) -> list[list[dict[str, dict[str, float]]]]:
    """For each stack, ``rounds`` load rounds (see :func:`load_round`). The stacks take turns
    round by round, so that drift in the machine's load hits them alike. The workers are left
    running."""
    targets = [prepare(running) for running in runnings]
    out: list[list[dict[str, dict[str, float]]]] = [[] for _ in targets]
    for n in range(rounds):
        for target, results in zip(targets, out, strict=True):
            results.append(load_round(target, seconds=seconds))
        progress(f"web: Runde {n + 1}/{rounds} gemessen")
    return out


def run() -> dict[str, Any]:
    with provision(EMBEDDED, prefix="inge-bench-web-") as running:
        results = measure([running], rounds=1, seconds=SECONDS)[0][0]
    data = {"users": USERS, "seconds_per_page": SECONDS, "pages": results}
    write_result("web", data)
    return data


if __name__ == "__main__":
    import json

    print(json.dumps(run(), indent=2, ensure_ascii=False))
