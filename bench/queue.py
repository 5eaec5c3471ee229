"""Queue benchmark: document jobs per second with one and with two workers, and the time from
upload to `verarbeitet` for a 20-page Vorlage (SQLite + embedded Redis, real `inge worker`
processes). The baseline is the same job run in-process without the queue."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from sqlmodel import col, func, select

from bench._common import write_result
from bench._pdf import make_insek_pdf
from service.config import Settings
from service.db import short_session
from service.embedded import start_embedded_redis
from service.migrate import upgrade
from service.models import Document
from service.storage import BytesReader

JOBS = 24
WARM_UP = 6.0


def _text(n: int) -> bytes:
    return ("\n".join(f"Absatz {n}.{i}: Der Radverkehr wird gestärkt." for i in range(40))).encode()


async def _upload(settings: Settings, files: list[tuple[str, bytes]]) -> list[int]:
    """Store documents through the upload service and enqueue their jobs after the commit."""
    from service.documents.service import create_document
    from service.jobs import send_now, take_pending_jobs
    from service.models import DocumentKind, Municipality

    with short_session(settings.resolved_database_url) as session:
        town = session.exec(select(Municipality)).one()
        ids = []
        for name, data in files:
            document = await create_document(
                session,
                BytesReader(data),
                filename=name,
                kind=DocumentKind.BESCHLUSSVORLAGE if name.endswith(".pdf") else DocumentKind.OTHER,
                municipality=town,
                principal=None,
                settings=settings,
            )
            ids.append(document.id)
        jobs = take_pending_jobs(session)
    await send_now(settings, jobs)
    return [i for i in ids if i is not None]


def _done(settings: Settings, ids: list[int]) -> int:
    with short_session(settings.resolved_database_url) as session:
        return int(
            session.exec(
                select(func.count()).where(
                    col(Document.id).in_(ids),
                    col(Document.status).in_(["verarbeitet", "fehlgeschlagen"]),
                )
            ).one()
        )


def _timed_batch(
    settings: Settings, env: dict[str, str], workers: int, files: list[tuple[str, bytes]]
) -> float:
    procs = [
        subprocess.Popen([sys.executable, "-m", "service.cli", "worker"], env=env)
        for _ in range(workers)
    ]
    try:
        time.sleep(WARM_UP)  # workers start (imports, Redis) before the clock runs
        start = time.perf_counter()
        ids = asyncio.run(_upload(settings, files))
        while _done(settings, ids) < len(ids):
            time.sleep(0.1)
        return time.perf_counter() - start
    finally:
        for p in procs:
            p.terminate()
            p.wait(30)


def run() -> dict[str, Any]:
    data_dir = Path(tempfile.mkdtemp(prefix="inge-bench-queue-"))
    settings = Settings(data_dir=data_dir)
    redis, redis_url = start_embedded_redis(settings)
    settings.redis_url = redis_url
    upgrade(settings.resolved_database_url)
    from service.municipalities.service import create_municipality

    with short_session(settings.resolved_database_url) as session:
        create_municipality(session, ags="14612000", name="Queuestadt")
    env = {
        **os.environ,
        "INGE_DATA_DIR": str(data_dir),
        "INGE_REDIS_URL": redis_url,
        "INGE_LOG_LEVEL": "WARNING",
    }
    try:
        batch = [(f"t{n}.txt", _text(n)) for n in range(JOBS)]
        one = _timed_batch(settings, env, 1, batch)
        batch = [(f"u{n}.txt", _text(n + 100)) for n in range(JOBS)]
        two = _timed_batch(settings, env, 2, batch)
        pdf = make_insek_pdf(data_dir / "vorlage.pdf", pages=20, seed=11).read_bytes()
        single = _timed_batch(settings, env, 1, [("vorlage-20.pdf", pdf)])
    finally:
        redis.shutdown()
    data = {
        "jobs": JOBS,
        "one_worker_jobs_per_second": JOBS / one,
        "two_workers_jobs_per_second": JOBS / two,
        "two_to_one_ratio": one / two,
        "upload_to_processed_seconds_20_pages": single,
        "note": "workers warm; clock from upload (incl. storing) to the last status",
    }
    write_result("queue", data)
    return data


if __name__ == "__main__":
    print(json.dumps(run(), indent=2, ensure_ascii=False))
