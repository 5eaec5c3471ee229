"""`inge serve` (the embedded default behind `make run`): everything comes up on a fresh data
directory, a worker killed with SIGKILL is started again and works, and SIGTERM ends it all."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx2
import pytest
from sqlmodel import Session, select

from service.db import make_engine
from service.models import User
from tests.factories import create_municipality, create_token
from tests.integrations.conftest import free_port

pytestmark = pytest.mark.slow


def children_of(pid: int) -> dict[int, str]:
    """Child processes of `pid` (from /proc) with their command lines."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except (OSError, IndexError, ValueError):
            continue
        if ppid == pid:
            found[int(entry.name)] = cmdline
    return found


def worker_pid(serve: subprocess.Popen[bytes]) -> int | None:
    return next((p for p, cmd in children_of(serve.pid).items() if " worker" in cmd), None)


def until(condition, seconds: float, what: str):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"{what}: nicht nach {seconds} s")


def healthy(base: str) -> bool:
    try:
        return httpx2.get(base + "/healthz", timeout=5).status_code == 200
    except httpx2.HTTPError:
        return False


def test_serve_restarts_a_killed_worker_and_stops_cleanly(tmp_path):
    port = free_port()
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("INGE_", "PYTEST"))  # the embedded default, nothing configured
    }
    env |= {
        "INGE_DATA_DIR": str(tmp_path / "var"),
        "INGE_ADMIN_EMAIL": "admin@inge.example",
        "INGE_ADMIN_PASSWORD": "ein-langes-passwort-42",
        "INGE_LOG_LEVEL": "WARNING",
    }
    serve = subprocess.Popen(
        [sys.executable, "-m", "service.cli", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        until(lambda: healthy(base), 90, "Webserver")
        first = until(lambda: worker_pid(serve), 30, "Worker")
        os.kill(first, signal.SIGKILL)
        second = until(lambda: (p := worker_pid(serve)) and p != first and p, 30, "neuer Worker")
        assert serve.poll() is None and second != first

        engine = make_engine(f"sqlite:///{tmp_path / 'var' / 'inge.sqlite3'}")
        with Session(engine) as session:
            admin = session.exec(select(User).where(User.email == "admin@inge.example")).one()
            token = create_token(session, admin)
            ags = create_municipality(session, name="Einbettstadt").ags
        headers = {"Authorization": f"Bearer {token}"}
        uploaded = httpx2.post(
            base + "/api/v1/documents",
            headers=headers,
            data={"kind": "other", "municipality": ags},
            files={"file": ("notiz.txt", b"Der neue Worker liest auch diese Datei.")},
            timeout=10,
        )
        assert uploaded.status_code == 201, uploaded.text
        url = f"{base}/api/v1/documents/{uploaded.json()['id']}"
        status = until(
            lambda: (
                (s := httpx2.get(url, headers=headers, timeout=5).json()["status"])
                in ("verarbeitet", "fehlgeschlagen")
                and s
            ),
            60,
            "Verarbeitung durch den neuen Worker",
        )
        assert status == "verarbeitet"
        engine.dispose()
    finally:
        serve.send_signal(signal.SIGTERM)
        code = serve.wait(timeout=30)
    assert code == 0
    assert worker_pid(serve) is None
