"""Helpers for the server-rendered pages: rendering, CSRF-checked forms, safe redirects."""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from service.auth.tokens import csrf_valid
from service.context import csrf_for, ctx
from service.db import MAX_ID, is_storable_text
from service.errors import CsrfFailed, ValidationFailed

M = TypeVar("M", bound=BaseModel)

FORM_LIMITS = {"max_files": 1, "max_fields": 20, "max_part_size": 64 * 1024}


def render(
    request: Request, template: str, context: dict[str, Any] | None = None, *, status: int = 200
) -> Response:
    """Render a German page with the principal and a CSRF token available to the template."""
    values = {"principal": ctx(request).principal, "csrf_token": csrf_for(request)}
    values.update(context or {})
    templates = request.app.state.templates
    response: Response = templates.TemplateResponse(request, template, values, status_code=status)
    return response


async def read_form(request: Request) -> FormData:
    """Parse a form (with limits) and verify its CSRF token; a bad token is 403."""
    form = await request.form(**FORM_LIMITS)
    token = form.get("csrf_token")
    candidate = token if isinstance(token, str) else request.headers.get("x-csrf-token")
    if not csrf_valid(request.app.state.secret_key, ctx(request).csrf_key, candidate):
        await form.close()
        raise CsrfFailed()
    return form


def check_csrf_header(request: Request) -> None:
    """For cookie-authenticated API calls: the token must come in ``X-CSRF-Token``."""
    if ctx(request).via_token:
        return
    if not csrf_valid(
        request.app.state.secret_key, ctx(request).csrf_key, request.headers.get("x-csrf-token")
    ):
        raise CsrfFailed()


def safe_next(value: str | None, default: str = "/") -> str:
    """Only local absolute paths are followed after login (no open redirects)."""
    if value and value.startswith("/") and not value.startswith("//") and "\\" not in value:
        return value
    return default


def see_other(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


def form_str(form: FormData, name: str) -> str:
    """A form field as stripped text; one holding NUL (unstorable in PostgreSQL) is 422."""
    value = form.get(name)
    if not isinstance(value, str):
        return ""
    if not is_storable_text(value):
        raise ValidationFailed("Die Eingabe enthält ein unzulässiges Nullzeichen (U+0000).")
    return value.strip()


async def read_json(request: Request, model: type[M], *, max_bytes: int = 5 * 1024 * 1024) -> M:
    """Parse a JSON body into ``model``; too large, invalid or holding a NUL character (which
    PostgreSQL cannot store) is 422 with a German message."""
    body = await request.body()
    if len(body) > max_bytes:
        raise ValidationFailed("Die Anfrage ist zu groß.")
    try:
        parsed = model.model_validate_json(body or b"{}")
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first.get("loc", ()))
        raise ValidationFailed(
            f"Ungültige Eingabe bei {where or 'Anfrage'}: {first['msg']}"
        ) from None
    if not _all_text_storable(parsed.model_dump()):
        raise ValidationFailed("Die Eingabe enthält ein unzulässiges Nullzeichen (U+0000).")
    return parsed


def _all_text_storable(value: Any) -> bool:
    if isinstance(value, str):
        return is_storable_text(value)
    if isinstance(value, dict):
        return all(_all_text_storable(k) and _all_text_storable(v) for k, v in value.items())
    if isinstance(value, list | tuple | set):
        return all(_all_text_storable(v) for v in value)
    return True


def paging(request: Request) -> tuple[int, int]:
    """`limit` (1–200, default 50) and `offset` (0–MAX_ID) from the query; a German 422 otherwise.

    An offset past MAX_ID is past every row, and one past 64 bits made the database fail."""
    try:
        limit = int(request.query_params.get("limit", "50"))
        offset = int(request.query_params.get("offset", "0"))
    except ValueError:
        raise ValidationFailed("limit und offset müssen ganze Zahlen sein.") from None
    if not 1 <= limit <= 200 or not 0 <= offset <= MAX_ID:
        raise ValidationFailed(
            f"limit muss zwischen 1 und 200 liegen, offset zwischen 0 und {MAX_ID}."
        )
    return limit, offset
