"""Helpers for driving the app in tests: logging in, uploading, running the worker."""

from __future__ import annotations

import asyncio
import re

from starlette.testclient import TestClient

from service.config import Settings
from service.worker import build_worker
from tests.factories import PASSWORD

CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_from(html: str) -> str:
    match = CSRF_RE.search(html)
    assert match, "Seite enthält kein CSRF-Token"
    return match.group(1)


def login(client: TestClient, email: str, password: str = PASSWORD) -> None:
    token = csrf_from(client.get("/login").text)
    response = client.post(
        "/login",
        data={"email": email, "password": password, "csrf_token": token, "next": "/"},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text


def page_csrf(client: TestClient, path: str = "/") -> str:
    return csrf_from(client.get(path).text)


def run_worker(settings: Settings) -> int:
    """Run the real arq worker in burst mode until the queue is empty; returns jobs completed."""

    async def main() -> int:
        worker = build_worker(settings, burst=True)
        try:
            await worker.async_run()
        finally:
            await worker.close()
        return worker.jobs_complete

    return asyncio.run(main())
