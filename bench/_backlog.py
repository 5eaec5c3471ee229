"""`python -m bench._backlog PDF DEPTH FLAG`: keep the workers of a running stack busy.

Started by :meth:`bench._stack.Running.keep_busy` with the stack's environment. Uploads the PDF
2 × DEPTH times (kind "other": sandboxed text extraction and page storage, the CPU-heavy part
of every upload); then, while the file FLAG exists and fewer than DEPTH jobs are due in the
queue, sends one of the finished documents back to `hochgeladen` and enqueues its processing
again. Runs until terminated.

Re-processing costs the feeder one UPDATE and one enqueue; a fresh upload would cost it a
sandboxed page count per file and fall behind the workers on a busy machine. A process of its
own, so that it does not take the load generator's interpreter lock.

Not as INSEK: a goal-set extraction holds SQLite's write lock while spaCy tags the items, so
several at once fail with "database is locked" (docs/performance.md) and the load would measure
that failure instead of a busy worker.
"""

from __future__ import annotations

import asyncio
import sys
import time
from pathlib import Path

from sqlalchemy import update
from sqlalchemy.engine import Engine
from sqlmodel import col, select

from bench._stack import FINAL, upload_documents
from service.config import Settings
from service.db import make_engine, session_scope
from service.jobs import connect_redis
from service.models import Document, DocumentKind, DocumentStatus


def _reset_one(engine: Engine, ids: list[int]) -> int | None:
    """Put one finished document of ``ids`` back to `hochgeladen`; its id, or None."""
    with session_scope(engine) as session:
        query = select(Document.id).where(
            col(Document.id).in_(ids), col(Document.status).in_(FINAL)
        )
        found = session.exec(query.limit(1)).first()
        if found is None:
            return None
        session.exec(
            update(Document)
            .where(col(Document.id) == found)
            .values(status=DocumentStatus.UPLOADED.value)
        )
        return int(found)


async def feed(pdf: Path, depth: int, flag: Path) -> None:
    settings = Settings()
    engine = make_engine(settings.resolved_database_url)
    data = pdf.read_bytes()
    files = [(f"auslastung-{n}.pdf", data) for n in range(2 * depth)]
    ids = await upload_documents(settings, engine, files, kind=DocumentKind.OTHER)
    pool = await connect_redis(settings)
    rounds = 0
    while True:
        due = await pool.zcount(settings.queue_name, "-inf", time.time() * 1000)
        if flag.exists() and due < depth:
            found = _reset_one(engine, ids)
            if found is not None:
                rounds += 1
                job_id = f"process_document:{found}:auslastung-{rounds}"
                await pool.enqueue_job("process_document", found, _job_id=job_id)
                continue
        await asyncio.sleep(0.05)


if __name__ == "__main__":
    asyncio.run(feed(Path(sys.argv[1]), int(sys.argv[2]), Path(sys.argv[3])))
