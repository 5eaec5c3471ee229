"""Every HTML page of the app, filled with realistic data and seen in each role that has a
page of its own, scanned by axe-core (WCAG 2.1 A/AA) in a real headless Chromium.

The list of pages comes from the app's routes, so a new page fails this test until it is
scanned here too."""

from __future__ import annotations

import re
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx2
import pytest
from playwright.sync_api import Browser, Page, expect
from sqlmodel import Session, col, select
from starlette.routing import Route

from service.config import Settings
from service.knowledge.service import import_source
from service.models import (
    CheckRun,
    Document,
    GoalSet,
    OParlSource,
    OutboxMessage,
    OutboxStatus,
    Role,
    SlackInstallation,
    User,
)
from tests.factories import PASSWORD, create_municipality, create_token, create_user
from tests.fixtures import vorlage_sample as v
from tests.fixtures.insek_sample import as_text
from tests.fixtures.kb_sample import GUIDANCE
from tests.helpers import bearer, confirm_all, run_worker, upload

pytestmark = pytest.mark.browser

NOT_PAGES = ("/api/", "/slack/", "/static/", "/healthz", "/readyz")
# GET routes that answer with a file, not with a page (a scan would have nothing to read).
DOWNLOADS = frozenset(
    {"document_file", "check_report_pdf", "control_csv", "state_csv", "municipality_export"}
)
QUESTION = "Wie erreichen wir Jugendliche bei der Beteiligung am INSEK?"
# Long enough that the text preview of its page scrolls.
MINUTES = "Niederschrift der Sitzung des Stadtrates\n\n" + "\n".join(
    f"TOP {n}: Bericht der Verwaltung zu Vorlage BV/2026/{n:03d}, Kenntnisnahme." for n in range(60)
)


def page_routes(app: Any) -> dict[str, Route]:
    """Every GET route of the app that answers with an HTML page, by route name."""
    return {
        route.name: route
        for route in app.routes
        if isinstance(route, Route)
        and "GET" in (route.methods or ())
        and not (route.path + "/").startswith(NOT_PAGES)
        and route.name not in DOWNLOADS
    }


class Scanner:
    """Opens pages, scans each with axe-core and remembers which routes it has seen."""

    def __init__(self, base: str, routes: dict[str, Route], axe: Callable[[Any, str], None]):
        self.base, self.routes, self.axe = base, routes, axe
        self.seen: dict[str, list[str]] = {}

    def visit(self, page: Page, path: str, name: str, *, status: int = 200) -> None:
        response = page.goto(self.base + path)
        assert response is not None
        assert response.status == status, f"{name}: {path} antwortet {response.status}"
        self.scan(page, name, counts=status == 200)

    def scan(self, page: Page, name: str, *, counts: bool = True) -> None:
        """Scan the page the browser shows now (also after a form was sent); an error page
        (`counts=False`) does not count as a visit of the route it was asked for."""
        assert "text/html" in page.evaluate("document.contentType"), name
        title = page.title()
        assert title.strip() and "<" not in title, f"{name}: Seitentitel {title!r}"  # 2.4.2
        self.axe(page, name)
        path = page.evaluate("location.pathname")
        for route_name, route in self.routes.items():
            if counts and route.path_regex.match(path):
                self.seen.setdefault(route_name, []).append(name)

    def missing(self) -> list[str]:
        return sorted(f"{n} ({r.path})" for n, r in self.routes.items() if n not in self.seen)


def drain(settings: Settings) -> None:
    """Run the worker until the queue is empty, in a thread of its own: Playwright's sync API
    keeps an event loop running in this one."""
    with ThreadPoolExecutor(1) as pool:
        pool.submit(run_worker, settings).result()


def sign_in(browser: Browser, base: str, user: User) -> Page:
    page = browser.new_context(bypass_csp=True, locale="de-DE").new_page()
    page.goto(f"{base}/login")
    page.get_by_label("E-Mail-Adresse").fill(user.email)
    page.get_by_label("Passwort").fill(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{base}/")
    return page


def build_town(session: Session, settings: Settings, base: str, tmp_path: Any) -> dict[str, Any]:
    """A municipality with an adopted INSEK, one checked and one finalised Vorlage, a long
    and a broken document, the guidance for "Frag doch INGE", a failing OParl source, a Slack
    workspace and a dead letter."""
    path = tmp_path / "arbeitshilfe.txt"
    path.write_text(GUIDANCE, encoding="utf-8")
    import_source(session, path, title="Arbeitshilfe (Test)")
    town = create_municipality(session, name="Seitenstadt", landkreis="Landkreis Zwickau")
    people = {
        Role.CLERK: create_user(session, role=Role.CLERK, municipality=town, display_name="Clara"),
        Role.MUNICIPAL_ADMIN: create_user(session, role=Role.MUNICIPAL_ADMIN, municipality=town),
        Role.ADVISOR: create_user(session, role=Role.ADVISOR, display_name="Anna Beraterin"),
        Role.ADMIN: create_user(session, role=Role.ADMIN, display_name="Adam Admin"),
    }
    token = create_token(session, people[Role.MUNICIPAL_ADMIN])
    with httpx2.Client(base_url=base, timeout=60) as api:
        insek = upload(api, token, "insek.txt", as_text(), "insek")
        drain(settings)
        r = api.post(
            f"/api/v1/insek/{insek}/goalset/adopt",
            headers=bearer(token),
            json={"council_decision_date": "2024-03-01", "council_decision_ref": "B-1"},
        )
        assert r.status_code == 200, r.text
        upload(api, token, "radweg.txt", v.RADWEG, "beschlussvorlage")
        upload(api, token, "parkhaus.txt", v.PARKHAUS, "beschlussvorlage")
        minutes = upload(api, token, "protokoll.txt", MINUTES, "other")
        broken = upload(api, token, "kaputt.pdf", "%PDF-1.4\nkein PDF", "other")
        drain(settings)
        session.expire_all()
        runs = session.exec(select(CheckRun).order_by(col(CheckRun.id))).all()
        assert [r.status for r in runs] == ["geprüft", "geprüft"], runs
        final, open_run = runs
        assert final.id is not None
        confirm_all(api, token, final.id)
        r = api.post(f"/api/v1/checks/{final.id}/finalize", headers=bearer(token), json={})
        assert r.status_code == 200, r.text
    session.add(
        OParlSource(
            municipality_id=town.id,
            body_url="https://ris.example/oparl/body/1",
            last_error="Das Ratsinformationssystem antwortet nicht (HTTP 503).",
        )
    )
    session.add(SlackInstallation(team_id="T0SEITE", name="Seitenstadt", municipality_id=town.id))
    session.add(
        OutboxMessage(
            municipality_id=town.id,
            channel="email",
            recipient="rathaus@seitenstadt.example",
            subject="Ihre Frage an die FS INGE",
            body="Antwort",
            status=OutboxStatus.FAILED.value,
            attempts=5,
            last_error="SMTP 550: Postfach unbekannt",
        )
    )
    session.commit()
    goal_set = session.exec(select(GoalSet)).one()
    vorlage = session.get(Document, open_run.document_id)
    return {
        "town": town,
        "people": people,
        "goal_set": goal_set,
        "final": final,
        "open": open_run,
        "vorlage": vorlage,
        "minutes": minutes,
        "broken": broken,
    }


def scan_as_anonymous(scanner: Scanner, browser: Browser, clerk: User) -> None:
    page = browser.new_context(bypass_csp=True, locale="de-DE").new_page()
    scanner.visit(page, "/login", "Anmeldung")
    page.get_by_label("E-Mail-Adresse").fill(clerk.email)
    page.get_by_label("Passwort").fill("falsch-falsch-falsch")
    page.get_by_role("button", name="Anmelden").click()
    expect(page.locator("#login-error")).to_be_visible()
    scanner.scan(page, "Anmeldung mit Fehlermeldung")
    scanner.visit(page, "/gibt-es-nicht", "Seite nicht gefunden (404)", status=404)
    expect(page.locator("h1")).to_have_text("Das hat nicht geklappt")


def scan_as_clerk(scanner: Scanner, page: Page, data: dict[str, Any]) -> str:
    """Every page of a municipality's clerk; asks a question and returns its path."""
    goal_set, final, vorlage = data["goal_set"], data["final"], data["vorlage"]
    scanner.scan(page, "Übersicht (Kommune)")
    scanner.visit(page, "/dokumente", "Dokumente")
    scanner.visit(page, "/dokumente/neu", "Hochladen")
    scanner.visit(page, f"/dokumente/{vorlage.id}", "Dokument")
    scanner.visit(page, f"/dokumente/{data['minutes']}", "Dokument (lange Textvorschau)")
    scanner.visit(page, f"/dokumente/{data['broken']}", "Dokument (fehlgeschlagen)")
    expect(page.get_by_role("alert")).not_to_be_empty()
    scanner.visit(page, f"/dokumente/{vorlage.id}/text?von=40&bis=90#fundstelle", "Volltext")
    scanner.visit(page, "/insek", "INSEK-Zielsysteme")
    scanner.visit(page, f"/insek/{goal_set.id}", "Zielsystem (beschlossen)")
    scanner.visit(page, f"/insek/{goal_set.id}/quelle?von=100&bis=180", "INSEK-Quelltext")
    scanner.visit(page, f"/insek/{goal_set.id}/mindeststandard", "Mindeststandard")
    scanner.visit(page, f"/pruefungen/{data['open'].id}", "Prüfung (offen)")
    scanner.visit(page, f"/pruefungen/{final.id}", "Prüfung (abgeschlossen)")
    scanner.visit(page, f"/pruefungen/{final.id}/bericht", "Prüfbericht")
    scanner.visit(page, f"/kommunen/{data['town'].id}/beschlusskontrolle", "Beschlusskontrolle")
    scanner.visit(page, "/einstellungen", "Keine Berechtigung (403)", status=403)
    scanner.visit(page, "/fragen/neu", "Frage stellen")
    page.get_by_label("Ihre Frage").fill(QUESTION)
    with page.expect_navigation():
        page.get_by_role("button", name="Frage stellen").click()
    expect(page.locator("main")).to_contain_text("Was INGE dazu gefunden hat")
    scanner.scan(page, "Frage (Kommune)")
    question_path = page.evaluate("location.pathname")
    scanner.visit(page, "/fragen", "Fragen (Kommune)")
    return str(question_path)


def submit(page: Page, button: str | re.Pattern[str]) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name=button).click()


def scan_as_advisor(scanner: Scanner, page: Page, question_path: str) -> None:
    """The queue, the answer editor before and after answering, text modules, the state."""
    scanner.visit(page, "/textbausteine", "Textbausteine (leer)")
    page.get_by_label("Titel").fill("Gruß")
    page.get_by_label("Text", exact=True).fill("Viele Grüße\nIhre FS INGE")
    submit(page, "Speichern")
    scanner.scan(page, "Textbausteine")
    scanner.visit(page, "/fragen", "Warteschlange")
    scanner.visit(page, question_path, "Antwort-Editor")
    submit(page, "Mir zuweisen")
    page.get_by_label("Antwort (geht über den Kanal der Frage zurück)").fill("Über Jugendclubs.")
    submit(page, "Antwort senden")
    expect(page.locator("#question-status")).to_have_text("beantwortet")
    submit(page, "FAQ-Eintrag anlegen")
    scanner.scan(page, "Antwort-Editor (beantwortet, FAQ angelegt)")
    scanner.visit(page, "/", "Übersicht (FS INGE)")
    scanner.visit(page, "/land", "Landesübersicht")


def scan_as_admins(scanner: Scanner, browser: Browser, data: dict[str, Any]) -> None:
    """The municipality's admin (its settings, a new draft of its INSEK), then FS INGE's."""
    people, goal_set = data["people"], data["goal_set"]
    page = sign_in(browser, scanner.base, people[Role.MUNICIPAL_ADMIN])
    settings_path = f"/kommunen/{data['town'].id}/einstellungen"
    scanner.visit(page, settings_path, "Einstellungen der Kommune")
    page.goto(f"{scanner.base}/insek/{goal_set.id}")
    submit(page, re.compile("Neue Entwurfsfassung"))
    expect(page.locator("main")).to_contain_text("Als beschlossen markieren")
    page.get_by_text("Bearbeiten").first.click()  # one entry's form open, so axe sees it
    scanner.scan(page, "Zielsystem (Entwurf, bearbeitbar)")

    page = sign_in(browser, scanner.base, people[Role.ADMIN])
    scanner.visit(page, "/einstellungen", "Einstellungen der Installation")
    scanner.visit(page, "/einstellungen/ausgang", "Ausgang")
    scanner.visit(page, settings_path, "Einstellungen der Kommune (FS INGE)")


def test_every_page_passes_axe(app, live_server, browser, session, settings, tmp_path, axe) -> None:
    routes = page_routes(app)
    names = {getattr(r, "name", None) for r in app.routes}
    assert names >= DOWNLOADS, f"Ausnahmen ohne Route: {sorted(DOWNLOADS - names)}"
    data = build_town(session, settings, live_server, tmp_path)
    people = data["people"]
    scanner = Scanner(live_server, routes, axe)

    scan_as_anonymous(scanner, browser, people[Role.CLERK])
    clerk = sign_in(browser, live_server, people[Role.CLERK])
    question_path = scan_as_clerk(scanner, clerk, data)
    scan_as_advisor(scanner, sign_in(browser, live_server, people[Role.ADVISOR]), question_path)
    scanner.visit(clerk, question_path, "Frage mit Antwort (Kommune)")
    scan_as_admins(scanner, browser, data)

    missing = scanner.missing()
    assert not missing, "Seiten ohne Barrierefreiheits-Scan: " + ", ".join(missing)
