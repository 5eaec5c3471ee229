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
    """Run the real arq worker in burst mode until the queue is empty; returns jobs completed.
    Cron jobs are left out, so that a test sees only the jobs it caused."""

    async def main() -> int:
        worker = build_worker(settings, burst=True, cron_jobs=[])
        try:
            await worker.async_run()
        finally:
            await worker.close()
        return worker.jobs_complete

    return asyncio.run(main())


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def upload(client: TestClient, token: str, name: str, text: str, kind: str) -> int:
    """Upload a text document through the API; returns its id."""
    r = client.post(
        "/api/v1/documents",
        headers=bearer(token),
        data={"kind": kind},
        files={"file": (name, text.encode())},
    )
    assert r.status_code == 201, r.text
    return int(r.json()["id"])


def adopt_sample_insek(
    client: TestClient,
    settings: Settings,
    token: str,
    *,
    decided: str = "2024-03-01",
    text: str | None = None,
) -> int:
    """Upload our sample INSEK (or `text`), let the worker extract it, adopt it (needs an
    admin's token)."""
    from tests.fixtures.insek_sample import as_text

    doc = upload(client, token, "insek.txt", text or as_text(), "insek")
    run_worker(settings)
    run_worker(settings)
    r = client.post(
        f"/api/v1/insek/{doc}/goalset/adopt",
        headers=bearer(token),
        json={"council_decision_date": decided, "council_decision_ref": "B-1"},
    )
    assert r.status_code == 200, r.text
    return doc


def confirm_all(client: TestClient, token: str, run_id: int) -> None:
    """Confirm every point of a check run as INGE filled it."""
    items = client.get(f"/api/v1/checks/{run_id}", headers=bearer(token)).json()["items"]
    for item in items:
        r = client.patch(
            f"/api/v1/checks/{run_id}/items/{item['check_id']}",
            headers=bearer(token),
            json={"reason": ""},
        )
        assert r.status_code == 200, r.text
