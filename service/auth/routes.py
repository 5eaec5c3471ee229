"""Login and logout pages."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from service.auth import service as auth
from service.context import SESSION_COOKIE, ctx, db
from service.db import session_scope
from service.errors import TooManyRequests
from service.web import form_str, read_form, render, safe_next, see_other

LOGIN_FAILED = "E-Mail-Adresse oder Passwort ist falsch."


async def login_page(request: Request) -> Response:
    if ctx(request).principal is not None:
        return see_other(safe_next(request.query_params.get("next")))
    return render(request, "login.html", {"next": safe_next(request.query_params.get("next"))})


async def login_submit(request: Request) -> Response:
    form = await read_form(request)
    email, password = form_str(form, "email"), form_str(form, "password")
    next_url = safe_next(form_str(form, "next"))
    settings = request.app.state.settings
    client_ip = request.client.host if request.client else "unbekannt"
    try:
        user = auth.authenticate(
            db(request), email, password, client_ip=client_ip, settings=settings
        )
    except TooManyRequests as exc:
        return render(
            request,
            "login.html",
            {"error": exc.message, "email": email, "next": next_url},
            status=429,
        )
    with session_scope(request.app.state.engine) as attempt_session:
        auth.record_attempt(
            attempt_session, email=email, client_ip=client_ip, succeeded=user is not None
        )
    if user is None:
        return render(
            request,
            "login.html",
            {"error": LOGIN_FAILED, "email": email, "next": next_url},
            status=401,
        )
    old = ctx(request).session_token
    if old:  # a new login never reuses a session token (fixation)
        auth.end_session(db(request), old)
    token = auth.start_session(db(request), user, settings=settings)
    response = see_other(next_url)
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=settings.session_hours * 3600,
        httponly=True,
        samesite="lax",
        secure=settings.secure_cookies,
        path="/",
    )
    return response


async def logout(request: Request) -> Response:
    await read_form(request)
    token = ctx(request).session_token
    if token:
        auth.end_session(db(request), token)
    response = see_other("/login")
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


routes = [
    Route("/login", login_page, methods=["GET"], name="login"),
    Route("/login", login_submit, methods=["POST"], name="login_submit"),
    Route("/logout", logout, methods=["POST"], name="logout"),
]
