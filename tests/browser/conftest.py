"""A live server (uvicorn in a thread), a live worker, and Debian's headless Chromium."""

from __future__ import annotations

import asyncio
import os
import shutil
import socket
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import uvicorn

from service.config import Settings
from service.worker import build_worker

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
AXE = Path(__file__).parent / "a11y" / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
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
            worker = build_worker(self.settings, burst=True, cron_jobs=[])
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


@pytest.fixture()
def axe() -> Callable[[Any, str], None]:
    """`axe(page, name)` scans the page with axe-core (WCAG 2.1 A/AA) and fails on violations.

    The page's context must be opened with `bypass_csp=True`: our CSP forbids injected scripts.
    axe-core comes from npm (`make test` installs tests/browser/a11y); without it the scan is
    skipped, except in CI (INGE_REQUIRE_BROWSER), where it must run.
    """
    if not AXE.exists():
        if os.environ.get("INGE_REQUIRE_BROWSER"):
            pytest.fail(f"axe-core fehlt ({AXE}); npm ci --prefix tests/browser/a11y")
        pytest.skip("axe-core fehlt (npm ci --prefix tests/browser/a11y)")

    def scan(page: Any, name: str) -> None:
        page.add_script_tag(path=str(AXE))
        result = page.evaluate(
            "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS
        )
        problems = [
            f"{v['id']} ({v['impact']}): {v['help']} – "
            + "; ".join(n["target"][0] if n["target"] else "?" for n in v["nodes"][:3])
            for v in result["violations"]
        ]
        assert not problems, f"Barrierefreiheit {name}: " + " | ".join(problems)

    return scan
