"""The Starlette application: named mounts, middleware, and a lifespan with typed state."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

from arq import ArqRedis
from sqlalchemy.engine import Engine
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates

from service.admin.routes import routes as admin_routes
from service.api.routes import routes as api_routes
from service.auth.routes import routes as auth_routes
from service.config import Settings, get_settings
from service.context import RequestContextMiddleware
from service.db import make_engine
from service.documents.routes import page_routes as document_pages
from service.errors import IngeError, Unauthorized, handle_inge_error, handle_unexpected, wants_json
from service.health import routes as health_routes
from service.insek.routes import page_routes as insek_pages
from service.jobs import connect_redis
from service.logs import install_request_ids
from service.middleware import BodySizeLimitMiddleware, SecurityHeadersMiddleware
from service.monitoring.routes import routes as monitoring_routes
from service.municipalities.routes import page_routes as overview_pages
from service.questions.routes import page_routes as question_pages
from service.resolutions.routes import page_routes as check_pages
from service.slack.routes import routes as slack_routes
from service.templating import make_templates

log = logging.getLogger(__name__)
HERE = Path(__file__).resolve().parent
MULTIPART_OVERHEAD = 256 * 1024


@dataclass
class AppState:
    """What the lifespan puts on ``app.state`` (documented here for readers and mypy)."""

    settings: Settings
    engine: Engine
    redis: ArqRedis
    templates: Jinja2Templates
    secret_key: str


async def handle_error(request: Request, exc: Exception) -> Response:
    if isinstance(exc, Unauthorized) and not wants_json(request):
        return RedirectResponse(f"/login?next={request.url.path}", status_code=303)
    return await handle_inge_error(request, exc)


def create_app(settings: Settings | None = None) -> Starlette:
    """Build the app; the database engine and Redis pool are opened in the lifespan."""
    settings = settings or get_settings()
    templates = make_templates()
    install_request_ids()

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        app.state.settings = settings
        app.state.secret_key = settings.resolved_secret_key()
        app.state.templates = templates
        app.state.engine = make_engine(settings.resolved_database_url)
        app.state.redis = await connect_redis(settings)
        try:
            yield
        finally:
            await app.state.redis.aclose()
            app.state.engine.dispose()

    routes = [
        *health_routes,
        Mount("/api/v1", routes=api_routes, name="api"),
        Mount("/static", app=StaticFiles(directory=str(HERE / "static")), name="static"),
        *auth_routes,
        *overview_pages,
        *document_pages,
        *insek_pages,
        *check_pages,
        *question_pages,
        *slack_routes,
        *admin_routes,
        *monitoring_routes,
    ]
    middleware = [
        Middleware(SecurityHeadersMiddleware, hsts=settings.secure_cookies),
        Middleware(RequestContextMiddleware),
        Middleware(
            BodySizeLimitMiddleware, max_bytes=settings.upload.max_bytes + MULTIPART_OVERHEAD
        ),
    ]
    return Starlette(
        routes=routes,
        middleware=middleware,
        lifespan=lifespan,
        exception_handlers={
            IngeError: handle_error,
            HTTPException: handle_error,
            Exception: handle_unexpected,
        },
    )
