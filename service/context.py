"""Per-request context: the database session, the principal, the CSRF key, the request id.

A pure ASGI middleware opens one session per request, resolves who is calling, and commits
*before* the response starts (so a redirect never overtakes its own write); the jobs the request
enqueued are sent to arq right after that commit. Responses with status >= 400 roll back.
"""

from __future__ import annotations

import logging
import secrets
import time
import uuid
from dataclasses import dataclass
from typing import Any

from redis.exceptions import RedisError
from sqlmodel import Session
from starlette.requests import HTTPConnection, Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from service.auth.service import principal_from_api_token, principal_from_session
from service.auth.tokens import csrf_token
from service.errors import Unauthorized
from service.jobs import send_jobs, take_pending_jobs
from service.logs import log_request, request_id_var
from service.tenancy import Principal

log = logging.getLogger(__name__)

SESSION_COOKIE = "inge_session"
ANON_COOKIE = "inge_anon"


@dataclass
class RequestContext:
    session: Session
    request_id: str
    principal: Principal | None = None
    via_token: bool = False
    session_token: str | None = None
    anon_key: str | None = None
    new_anon_key: bool = False

    @property
    def csrf_key(self) -> str:
        return self.session_token or self.anon_key or ""


def ctx(request: HTTPConnection) -> RequestContext:
    context: RequestContext = request.scope["inge_ctx"]
    return context


def db(request: HTTPConnection) -> Session:
    return ctx(request).session


def require_principal(request: HTTPConnection) -> Principal:
    principal = ctx(request).principal
    if principal is None:
        raise Unauthorized()
    return principal


def csrf_for(request: Request) -> str:
    return csrf_token(request.app.state.secret_key, ctx(request).csrf_key)


class RequestContextMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        state = scope["app"].state
        session = Session(state.engine, expire_on_commit=False)
        context = RequestContext(session=session, request_id=uuid.uuid4().hex[:16])
        scope["inge_ctx"] = context
        token = request_id_var.set(context.request_id)
        started, status = time.perf_counter(), [500]

        async def recording_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                status[0] = message["status"]
            await send(message)

        try:
            _authenticate(HTTPConnection(scope), context)
            await self.app(scope, receive, _committing_send(recording_send, context, state))
        finally:
            session.rollback()
            session.close()
            millis = (time.perf_counter() - started) * 1000
            log_request(scope["method"], scope["path"], status[0], millis)
            request_id_var.reset(token)


def _authenticate(conn: HTTPConnection, context: RequestContext) -> None:
    auth = conn.headers.get("authorization", "")
    if auth.lower().startswith("bearer "):
        context.principal = principal_from_api_token(context.session, auth[7:].strip())
        context.via_token = True
        return
    token = conn.cookies.get(SESSION_COOKIE)
    if token:
        context.principal = principal_from_session(context.session, token)
        if context.principal is not None:
            context.session_token = token
    context.anon_key = conn.cookies.get(ANON_COOKIE)
    if not context.anon_key:
        context.anon_key = secrets.token_urlsafe(24)
        context.new_anon_key = True


def _committing_send(send: Send, context: RequestContext, state: Any) -> Send:
    async def wrapped(message: Message) -> None:
        if message["type"] == "http.response.start":
            await _finish_transaction(message, context, state)
        await send(message)

    return wrapped


async def _finish_transaction(message: Message, context: RequestContext, state: Any) -> None:
    headers = list(message.get("headers", []))
    headers.append((b"x-request-id", context.request_id.encode()))
    if context.new_anon_key and context.anon_key:
        cookie = f"{ANON_COOKIE}={context.anon_key}; Path=/; HttpOnly; SameSite=Lax"
        if state.settings.secure_cookies:
            cookie += "; Secure"
        headers.append((b"set-cookie", cookie.encode()))
    message["headers"] = headers
    if message["status"] >= 400:
        context.session.rollback()
        take_pending_jobs(context.session)
        return
    context.session.commit()
    jobs = take_pending_jobs(context.session)
    if not jobs:
        return
    try:
        await send_jobs(state.redis, jobs, queue_name=state.settings.queue_name)
    except (RedisError, OSError) as exc:
        # The write is committed and must not turn into a 500: the rows wait, and the
        # reconciler cron jobs (document_stragglers, slack_stragglers, …) enqueue them later.
        log.warning("Redis nicht erreichbar, %d Job(s) nicht gesendet: %s", len(jobs), exc)
