"""Web benchmark: requests/s and latency of the document list, the queue and the check page
with 50 concurrent users on loopback while the worker is busy, against /healthz in the same run.

`python -m bench.web` starts `inge web` and `inge worker` as processes (SQLite + embedded Redis
under a temporary data dir), seeds a municipality with an adopted INSEK, a checked Vorlage,
documents and questions, keeps the worker busy with PDF extractions, and then loads each page.
"""

from __future__ import annotations

import asyncio
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx2
from sqlmodel import select

from bench._common import write_result
from bench._pdf import make_insek_pdf
from service.config import Settings
from service.db import short_session
from service.embedded import start_embedded_redis
from service.migrate import upgrade
from service.models import CheckRun, Role

USERS = 50
SECONDS = 8.0


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _seed(settings: Settings) -> str:
    """A municipality, a clerk with a token; returns the token."""
    from service.accounts import create_user
    from service.auth.service import create_api_token
    from service.municipalities.service import create_municipality

    with short_session(settings.resolved_database_url) as session:
        create_municipality(session, ags="14612000", name="Benchstadt", landkreis="Bench")
        user = create_user(
            session,
            email="bench@benchstadt.de",
            password="bench-passwort-lang",  # noqa: S106 - throwaway bench user
            role=Role.MUNICIPAL_ADMIN,
            municipality_ags="14612000",
        )
        return create_api_token(session, user, name="bench")


def _wait(url: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if httpx2.get(url, timeout=2).status_code == 200:
                return
        except httpx2.HTTPError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{url} antwortet nicht")


def _prepare(base: str, token: str, database_url: str) -> int:
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
    _until(lambda: httpx2.get(goalset, headers=auth).status_code == 200)
    httpx2.post(
        f"{base}/api/v1/insek/{insek}/goalset/adopt",
        headers=auth,
        json={"council_decision_date": "2024-01-01", "council_decision_ref": "B"},
    ).raise_for_status()
    upload("radweg.txt", v.RADWEG.encode(), "beschlussvorlage")
    run = _until(lambda: _checked(database_url))
    for n in range(20):
        upload(f"notiz-{n}.txt", f"Notiz {n} zum Radverkehr".encode(), "other")
        httpx2.post(f"{base}/api/v1/questions", headers=auth, json={"text": f"Frage {n}?"})
    return int(run)


def _checked(database_url: str) -> int | None:
    with short_session(database_url) as session:
        run = session.exec(select(CheckRun).where(CheckRun.status == "geprüft")).first()
        return run.id if run else None


def _until(fn: Any, seconds: float = 60) -> Any:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = fn()
        if value:
            return value
        time.sleep(0.3)
    raise RuntimeError("Zeitüberschreitung beim Vorbereiten")


async def _load(url: str, headers: dict[str, str]) -> dict[str, float]:
    latencies: list[float] = []
    errors = 0
    stop = time.monotonic() + SECONDS
    limits = httpx2.Limits(max_connections=USERS, max_keepalive_connections=USERS)
    async with httpx2.AsyncClient(headers=headers, limits=limits, timeout=30) as client:

        async def user() -> None:
            nonlocal errors
            while time.monotonic() < stop:
                start = time.perf_counter()
                response = await client.get(url)
                latencies.append(time.perf_counter() - start)
                errors += response.status_code != 200

        started = time.monotonic()
        await asyncio.gather(*(user() for _ in range(USERS)))
        elapsed = time.monotonic() - started
    latencies.sort()
    return {
        "requests": len(latencies),
        "errors": errors,
        "requests_per_second": len(latencies) / elapsed,
        "median_ms": 1000 * statistics.median(latencies),
        "p99_ms": 1000 * latencies[int(0.99 * (len(latencies) - 1))],
    }


def run() -> dict[str, Any]:
    data_dir = Path(tempfile.mkdtemp(prefix="inge-bench-web-"))
    settings = Settings(data_dir=data_dir)
    redis, redis_url = start_embedded_redis(settings)
    upgrade(settings.resolved_database_url)
    token = _seed(settings)
    port = _port()
    env = {
        **os.environ,
        "INGE_DATA_DIR": str(data_dir),
        "INGE_REDIS_URL": redis_url,
        "INGE_LOG_LEVEL": "WARNING",
    }
    cli = [sys.executable, "-m", "service.cli"]
    web = subprocess.Popen([*cli, "web", "--port", str(port), "--no-prepare"], env=env)
    worker = subprocess.Popen([*cli, "worker"], env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait(f"{base}/healthz")
        run_id = _prepare(base, token, settings.resolved_database_url)
        auth = {"Authorization": f"Bearer {token}"}
        busy = make_insek_pdf(data_dir / "gross.pdf", pages=120).read_bytes()
        for n in range(6):  # keeps the worker busy during the load
            httpx2.post(
                f"{base}/api/v1/documents",
                headers=auth,
                data={"kind": "insek"},
                files={"file": (f"gross-{n}.pdf", busy)},
                timeout=60,
            )
        pages = {
            "healthz (Basis)": "/healthz",
            "Dokumentliste": "/dokumente",
            "Warteschlange": "/fragen",
            "Prüfungsseite": f"/pruefungen/{run_id}",
        }
        results = {name: asyncio.run(_load(base + path, auth)) for name, path in pages.items()}
    finally:
        for process in (web, worker):
            process.terminate()
            process.wait(30)
        redis.shutdown()
    baseline = results["healthz (Basis)"]["requests_per_second"]
    for figures in results.values():
        figures["ratio_to_healthz"] = figures["requests_per_second"] / baseline
    data = {"users": USERS, "seconds_per_page": SECONDS, "pages": results}
    write_result("web", data)
    return data


if __name__ == "__main__":
    import json

    print(json.dumps(run(), indent=2, ensure_ascii=False))
