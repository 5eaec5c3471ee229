"""One error base class with a status code and a German message, rendered in one handler."""

from __future__ import annotations

import logging
from urllib.parse import urlsplit

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

log = logging.getLogger(__name__)


class IngeError(Exception):
    """An expected failure: its ``message`` is shown to the user as it is."""

    status_code = 400
    code = "bad_request"
    message = "Die Anfrage ist ungültig."

    def __init__(self, message: str | None = None, *, code: str | None = None) -> None:
        super().__init__(message or self.message)
        if message is not None:
            self.message = message
        if code is not None:
            self.code = code


class Unauthorized(IngeError):
    status_code = 401
    code = "unauthorized"
    message = "Bitte melden Sie sich an."


class Forbidden(IngeError):
    status_code = 403
    code = "forbidden"
    message = "Dafür fehlt Ihnen die Berechtigung."


class CsrfFailed(Forbidden):
    code = "csrf"
    message = (
        "Das Formular ist abgelaufen oder ungültig. Bitte laden Sie die Seite neu und "
        "versuchen Sie es erneut."
    )


class NotFound(IngeError):
    status_code = 404
    code = "not_found"
    message = "Nicht gefunden."


class Conflict(IngeError):
    status_code = 409
    code = "conflict"
    message = "Das ist im aktuellen Zustand nicht möglich."


class PayloadTooLarge(IngeError):
    status_code = 413
    code = "too_large"
    message = "Die Datei ist zu groß."


class UnsupportedMediaType(IngeError):
    status_code = 415
    code = "unsupported_type"
    message = "Dieser Dateityp wird nicht unterstützt."


class ValidationFailed(IngeError):
    status_code = 422
    code = "invalid"
    message = "Die Eingaben sind ungültig."


class TooManyRequests(IngeError):
    status_code = 429
    code = "throttled"
    message = "Zu viele Versuche. Bitte warten Sie einige Minuten."


class ServiceUnavailable(IngeError):
    status_code = 503
    code = "unavailable"
    message = "Der Dienst ist vorübergehend nicht erreichbar. Bitte versuchen Sie es später."


HTTP_MESSAGES = {
    404: "Diese Seite gibt es nicht.",
    405: "Diese Methode ist hier nicht erlaubt.",
}


def wants_json(request: Request) -> bool:
    """API paths and clients that ask for JSON get JSON; everyone else gets a page."""
    if request.url.path.startswith("/api/"):
        return True
    accept = request.headers.get("accept", "")
    return "application/json" in accept and "text/html" not in accept


async def handle_inge_error(request: Request, exc: Exception) -> Response:
    """Render an :class:`IngeError` (or a Starlette HTTPException) as JSON or as a German page."""
    if isinstance(exc, IngeError):
        status, code, message = exc.status_code, exc.code, exc.message
    elif isinstance(exc, HTTPException):
        status, code = exc.status_code, "http_error"
        message = HTTP_MESSAGES.get(exc.status_code, "Die Anfrage konnte nicht bearbeitet werden.")
    else:  # pragma: no cover - registered only for the two types above
        raise exc
    if wants_json(request):
        return JSONResponse({"error": {"code": code, "message": message}}, status_code=status)
    templates = request.app.state.templates
    context = {"status": status, "message": message, "back_url": _form_page(request, status)}
    return templates.TemplateResponse(request, "error.html", context, status_code=status)


def _form_page(request: Request, status: int) -> str | None:
    """Where a refused form came from (same origin only), so the user can go back to it with
    what they typed; None for anything but a refused form submission."""
    if request.method != "POST" or not 400 <= status < 500 or status in (401, 403):
        return None
    referer = urlsplit(request.headers.get("referer", ""))
    if referer.netloc and referer.netloc != request.url.netloc:
        return None
    if not referer.path.startswith("/") or referer.path.startswith("//"):
        return None
    return referer.path + (f"?{referer.query}" if referer.query else "")


async def handle_unexpected(request: Request, exc: Exception) -> Response:
    """Last resort: log the exception (without request data) and answer a German 500."""
    log.exception("unerwarteter Fehler bei %s %s", request.method, request.url.path)
    message = "Ein interner Fehler ist aufgetreten. Bitte versuchen Sie es später erneut."
    if wants_json(request):
        return JSONResponse({"error": {"code": "internal", "message": message}}, status_code=500)
    return Response(message, status_code=500, media_type="text/plain; charset=utf-8")
