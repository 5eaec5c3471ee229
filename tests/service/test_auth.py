"""Login, sessions, CSRF, throttling, logout and API tokens."""

from __future__ import annotations

from sqlmodel import select

from service.models import Role, WebSession
from tests.factories import PASSWORD, create_municipality, create_token, create_user
from tests.helpers import csrf_from, login, page_csrf


def test_pages_need_login_and_redirect_to_login(client):
    response = client.get("/dokumente", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=/dokumente"


def test_login_page_is_german_and_sets_no_session(client):
    response = client.get("/login")
    assert response.status_code == 200
    assert '<html lang="de">' in response.text
    assert "E-Mail-Adresse" in response.text
    assert "inge_session" not in response.cookies


def test_login_with_right_password_opens_session(client, session):
    m = create_municipality(session)
    user = create_user(session, municipality=m)
    login(client, user.email)
    page = client.get("/")
    assert page.status_code == 200
    assert m.name in page.text


def test_wrong_password_is_refused_in_german(client, session):
    m = create_municipality(session)
    user = create_user(session, municipality=m)
    token = csrf_from(client.get("/login").text)
    response = client.post(
        "/login", data={"email": user.email, "password": "falsch-falsch", "csrf_token": token}
    )
    assert response.status_code == 401
    assert "E-Mail-Adresse oder Passwort ist falsch" in response.text
    assert client.get("/", follow_redirects=False).status_code == 303


def test_login_without_csrf_token_is_forbidden(client, session):
    user = create_user(session, role=Role.ADVISOR)
    client.get("/login")
    response = client.post("/login", data={"email": user.email, "password": "x"})
    assert response.status_code == 403
    assert "Formular ist abgelaufen" in response.text


def test_login_is_throttled_after_repeated_failures(client, session, settings):
    user = create_user(session, role=Role.ADVISOR)
    token = csrf_from(client.get("/login").text)
    for _ in range(settings.login_max_failures):
        r = client.post(
            "/login", data={"email": user.email, "password": "falsch-falsch", "csrf_token": token}
        )
        assert r.status_code == 401
    # Even the right password is refused while throttled.
    r = client.post(
        "/login",
        data={"email": user.email, "password": "korrekt-pferd-batterie", "csrf_token": token},
    )
    assert r.status_code == 429
    assert "Zu viele fehlgeschlagene Anmeldeversuche" in r.text


def test_logout_revokes_the_server_side_session(client, session):
    user = create_user(session, role=Role.ADVISOR)
    login(client, user.email)
    cookie = client.cookies.get("inge_session")
    token = page_csrf(client)
    response = client.post("/logout", data={"csrf_token": token}, follow_redirects=False)
    assert response.status_code == 303
    session.expire_all()
    rows = session.exec(select(WebSession).where(WebSession.user_id == user.id)).all()
    assert rows and all(r.revoked_at is not None for r in rows)
    # The old cookie, replayed, no longer works.
    client.cookies.set("inge_session", cookie)
    assert client.get("/", follow_redirects=False).status_code == 303


def test_login_issues_a_new_session_token_each_time(client, session):
    user = create_user(session, role=Role.ADVISOR)
    login(client, user.email)
    first = client.cookies.get("inge_session")
    login(client, user.email)
    second = client.cookies.get("inge_session")
    assert first and second and first != second


def test_open_redirect_after_login_is_refused(client, session):
    user = create_user(session, role=Role.ADVISOR)
    token = csrf_from(client.get("/login").text)
    response = client.post(
        "/login",
        data={
            "email": user.email,
            "password": "korrekt-pferd-batterie",
            "csrf_token": token,
            "next": "//evil.example/",
        },
        follow_redirects=False,
    )
    assert response.headers["location"] == "/"


def test_api_needs_a_token(client):
    response = client.get("/api/v1/documents")
    assert response.status_code == 401
    assert response.json()["error"]["message"] == "Bitte melden Sie sich an."


def test_api_token_works_and_wrong_token_does_not(client, session):
    m = create_municipality(session)
    user = create_user(session, municipality=m)
    token = create_token(session, user)
    ok = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert ok.status_code == 200
    assert ok.json()["municipalities"][0]["ags"] == m.ags
    bad = client.get("/api/v1/me", headers={"Authorization": "Bearer inge_falsch"})
    assert bad.status_code == 401


def test_security_headers_present(client):
    response = client.get("/login")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    assert response.headers["x-content-type-options"] == "nosniff"


def test_a_planted_session_cookie_is_replaced_at_login_and_worth_nothing(client, session):
    """Session fixation: a cookie value chosen by an attacker never becomes a session."""
    user = create_user(session, role=Role.ADVISOR)
    planted = "angreifer-kennt-diesen-wert"
    client.cookies.set("inge_session", planted)
    assert client.get("/", follow_redirects=False).status_code == 303  # not logged in
    token = csrf_from(client.get("/login").text)
    response = client.post(
        "/login",
        data={"email": user.email, "password": PASSWORD, "csrf_token": token, "next": "/"},
        follow_redirects=False,
    )
    issued = [c for c in response.headers.get_list("set-cookie") if "inge_session=" in c]
    assert issued and planted not in issued[0]
    attacker = client.__class__(client.app, base_url="http://testserver")
    attacker.cookies.set("inge_session", planted)
    assert attacker.get("/", follow_redirects=False).status_code == 303


def test_behind_tls_hsts_and_secure_cookies(settings, session):
    from starlette.testclient import TestClient

    from service.app import create_app

    settings.secure_cookies = True
    user = create_user(session, role=Role.ADVISOR)
    with TestClient(create_app(settings), base_url="https://testserver") as tls:
        page = tls.get("/login")
        assert page.headers["strict-transport-security"] == "max-age=31536000"
        token = csrf_from(page.text)
        response = tls.post(
            "/login",
            data={"email": user.email, "password": PASSWORD, "csrf_token": token, "next": "/"},
            follow_redirects=False,
        )
        assert response.status_code == 303
        cookies = response.headers.get_list("set-cookie")
        session_cookie = next(c for c in cookies if c.startswith("inge_session="))
        assert "Secure" in session_cookie and "HttpOnly" in session_cookie
        assert "SameSite" in session_cookie


def test_without_tls_no_hsts(client):
    assert "strict-transport-security" not in client.get("/login").headers
