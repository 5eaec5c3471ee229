"""A live server (uvicorn in a thread), a live worker, and Debian's headless Chromium."""

from __future__ import annotations

import asyncio
import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator

import pytest
import uvicorn

from service.config import Settings
from service.worker import build_worker

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture()
def live_server(app) -> Iterator[str]:
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        assert time.monotonic() < deadline, "Server startet nicht"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


class LiveWorker:
    """The real arq worker, started on demand in a thread, draining the queue until stopped."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.stop = threading.Event()
        self.thread: threading.Thread | None = None

    def start(self) -> None:
        self.thread = threading.Thread(target=self._loop, daemon=True)
        self.thread.start()

    def _loop(self) -> None:
        async def drain() -> None:
            worker = build_worker(self.settings, burst=True)
            try:
                await worker.async_run()
            finally:
                await worker.close()

        while not self.stop.is_set():
            asyncio.run(drain())
            time.sleep(0.2)

    def close(self) -> None:
        self.stop.set()
        if self.thread is not None:
            self.thread.join(timeout=30)


@pytest.fixture()
def live_worker(settings: Settings) -> Iterator[LiveWorker]:
    worker = LiveWorker(settings)
    yield worker
    worker.close()


@pytest.fixture()
def browser() -> Iterator:
    if not os.path.exists(CHROMIUM):
        if os.environ.get("INGE_REQUIRE_BROWSER"):
            pytest.fail(f"Chromium fehlt ({CHROMIUM}), ist in CI aber Pflicht")
        pytest.skip("Debian-Paket chromium ist nicht installiert (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        instance = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()
