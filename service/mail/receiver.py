"""Running the SMTP receiver as its own process (`inge mail-receiver`, started by `inge serve`
when INGE_EMAIL__INBOUND_PORT is set)."""

from __future__ import annotations

import asyncio
import logging
import signal
import threading

from aiosmtpd.controller import Controller
from arq import ArqRedis

from integrations.email.receiver import make_controller
from service.config import Settings
from service.db import make_engine
from service.jobs import connect_redis, row_job_id

log = logging.getLogger(__name__)


class Enqueuer:
    """Enqueues `process_inbound`; the pool is opened lazily in the receiver's own loop and
    closed there by `close(controller)` before the controller stops."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.pool: ArqRedis | None = None

    async def __call__(self, mail_id: int) -> None:
        if self.pool is None:
            self.pool = await connect_redis(self.settings)
        await self.pool.enqueue_job(
            "process_inbound", mail_id, _job_id=row_job_id("process_inbound", mail_id)
        )

    def close(self, controller: Controller) -> None:
        if self.pool is not None:
            asyncio.run_coroutine_threadsafe(self.pool.aclose(), controller.loop).result(10)
            self.pool = None


def enqueuer(settings: Settings) -> Enqueuer:
    return Enqueuer(settings)


def run_receiver(settings: Settings) -> None:
    engine = make_engine(settings.resolved_database_url)
    enqueue = enqueuer(settings)
    controller = make_controller(settings.email, engine, enqueue)
    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())
    controller.start()
    log.info("SMTP-Empfänger auf %s:%s", settings.email.inbound_host, settings.email.inbound_port)
    try:
        stop.wait()
    finally:
        enqueue.close(controller)
        controller.stop()
        engine.dispose()
