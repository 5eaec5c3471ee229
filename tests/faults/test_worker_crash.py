"""kill -9 of a worker in the middle of an extraction: the job runs again on another worker,
completes, and its side effects (pages, the check run) happen once."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest
from sqlmodel import func, select

from service.models import CheckRun, Document, DocumentPage, Role
from tests.factories import create_municipality, create_token, create_user
from tests.fixtures.hostile import slow_pdf_bytes

pytestmark = pytest.mark.slow
JOB_TIMEOUT = 20  # arq lets a job's in-progress mark expire 10 s after its timeout


def start_worker(settings) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "INGE_DATABASE_URL": settings.resolved_database_url,
        "INGE_REDIS_URL": settings.redis_url,
        "INGE_QUEUE_NAME": settings.queue_name,
        "INGE_DATA_DIR": str(settings.data_dir),
        "INGE_JOB_TIMEOUT_SECONDS": str(JOB_TIMEOUT),
        "INGE_LOG_LEVEL": "WARNING",
    }
    return subprocess.Popen(
        [sys.executable, "-m", "service.cli", "worker"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def wait_for(session, document_id, statuses, seconds):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        session.expire_all()
        document = session.get(Document, document_id)
        if document.status in statuses:
            return document
        time.sleep(0.2)
    raise AssertionError(f"Dokument nicht in {statuses} nach {seconds} s")


def test_killed_worker_job_runs_again_once(client, settings, session):
    town = create_municipality(session)
    clerk = create_user(session, role=Role.CLERK, municipality=town)
    headers = {"Authorization": f"Bearer {create_token(session, clerk)}"}
    r = client.post(
        "/api/v1/documents",
        headers=headers,
        data={"kind": "beschlussvorlage"},
        files={"file": ("langsam.pdf", slow_pdf_bytes(pages=2, operations=80_000))},
    )
    assert r.status_code == 201, r.text
    document_id = r.json()["id"]

    first = start_worker(settings)
    try:
        wait_for(session, document_id, {"in Verarbeitung"}, 30)
        time.sleep(0.5)  # inside the extraction
        os.killpg(first.pid, signal.SIGKILL)  # the worker and its extraction child
        first.wait(10)
    finally:
        if first.poll() is None:
            os.killpg(first.pid, signal.SIGKILL)
    session.expire_all()
    assert session.get(Document, document_id).status == "in Verarbeitung"

    second = start_worker(settings)
    try:
        done = wait_for(session, document_id, {"verarbeitet", "fehlgeschlagen"}, JOB_TIMEOUT + 60)
    finally:
        os.killpg(second.pid, signal.SIGTERM)
        second.wait(20)
    assert done.status == "verarbeitet", done.error_message
    assert done.attempts == 2
    pages = session.exec(select(func.count()).where(DocumentPage.document_id == document_id)).one()
    assert pages == 2
    deadline = time.monotonic() + 10
    runs = 0
    while time.monotonic() < deadline and runs == 0:
        session.expire_all()
        runs = len(session.exec(select(CheckRun).where(CheckRun.document_id == document_id)).all())
        time.sleep(0.2)
    assert runs == 1
