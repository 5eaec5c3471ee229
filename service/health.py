"""Liveness and readiness probes."""

from __future__ import annotations

import asyncio

from sqlalchemy import text
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route


async def healthz(request: Request) -> Response:
    return JSONResponse({"status": "ok"})


async def readyz(request: Request) -> Response:
    """Ready when the database answers and Redis answers a PING, each within two seconds."""
    state = request.app.state
    checks = {"database": await _check_db(state.engine), "redis": await _check_redis(state.redis)}
    ok = all(v == "ok" for v in checks.values())
    return JSONResponse(
        {"status": "ok" if ok else "nicht bereit", "checks": checks}, status_code=200 if ok else 503
    )


async def _check_db(engine: object) -> str:
    def ping() -> None:
        with engine.connect() as connection:  # type: ignore[attr-defined]
            connection.execute(text("SELECT 1"))

    try:
        await asyncio.wait_for(asyncio.to_thread(ping), timeout=2)
    except Exception as exc:
        return f"Fehler: {type(exc).__name__}"
    return "ok"


async def _check_redis(redis: object) -> str:
    try:
        await asyncio.wait_for(redis.ping(), timeout=2)  # type: ignore[attr-defined]
    except Exception as exc:
        return f"Fehler: {type(exc).__name__}"
    return "ok"


routes = [
    Route("/healthz", healthz, methods=["GET"], name="healthz"),
    Route("/readyz", readyz, methods=["GET"], name="readyz"),
]
