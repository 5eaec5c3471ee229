"""In Chromium: a clerk asks, an advisor answers from the queue, the clerk sees the answer."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from service.knowledge.service import import_source
from service.models import Role
from tests.factories import PASSWORD, create_municipality, create_user
from tests.fixtures.kb_sample import GUIDANCE

pytestmark = pytest.mark.browser


def sign_in(page, base, email):
    page.goto(f"{base}/login")
    page.get_by_label("E-Mail-Adresse").fill(email)
    page.get_by_label("Passwort").fill(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{base}/")


def test_ask_answer_and_see_the_answer(live_server, browser, session, tmp_path, axe):
    path = tmp_path / "arbeitshilfe.txt"
    path.write_text(GUIDANCE, encoding="utf-8")
    import_source(session, path, title="Arbeitshilfe (Test)")
    session.commit()
    town = create_municipality(session, name="Fragestadt", landkreis="Landkreis Zwickau")
    clerk = create_user(session, role=Role.CLERK, municipality=town)
    advisor = create_user(session, role=Role.ADVISOR, display_name="Anna Beraterin")

    asker = browser.new_context(bypass_csp=True).new_page()
    sign_in(asker, live_server, clerk.email)
    asker.get_by_role("link", name="Frag doch INGE").click()
    asker.get_by_role("link", name="Neue Frage stellen").click()
    axe(asker, "Frage stellen")
    asker.get_by_label("Ihre Frage").fill("Wie erreichen wir Jugendliche bei der Beteiligung?")
    asker.get_by_role("button", name="Frage stellen").click()
    expect(asker.locator("main")).to_contain_text("Was INGE dazu gefunden hat")
    expect(asker.locator("main")).to_contain_text("Quelle: Arbeitshilfe (Test)")
    axe(asker, "Frage (Kommune)")
    question_url = asker.url

    staff = browser.new_context(bypass_csp=True).new_page()
    sign_in(staff, live_server, advisor.email)
    staff.goto(f"{live_server}/fragen")
    axe(staff, "Warteschlange")
    staff.get_by_label("Landkreis").select_option("Landkreis Zwickau")
    staff.get_by_role("button", name="Filtern").click()
    staff.get_by_role("link", name="Wie erreichen wir Jugendliche bei der Beteiligung?").click()
    expect(staff.locator("aside")).to_contain_text("Jugendclubs")
    axe(staff, "Antwort-Editor")
    staff.get_by_role("button", name="Mir zuweisen").click()
    expect(staff.locator("#question-status")).to_have_text("in Bearbeitung")
    staff.get_by_label("Interne Notiz (wird nie an die Kommune gesendet)").fill("Nur intern")
    staff.get_by_role("button", name="Notiz speichern").click()
    staff.get_by_label("Antwort (geht über den Kanal der Frage zurück)").fill(
        "Am besten über Schulen und Jugendclubs."
    )
    staff.get_by_role("button", name="Antwort senden").click()
    expect(staff.locator("#question-status")).to_have_text("beantwortet")

    asker.goto(question_url)
    expect(asker.locator("#verlauf + ol")).to_contain_text(
        "Am besten über Schulen und Jugendclubs."
    )
    expect(asker.locator("main")).not_to_contain_text("Nur intern")
    expect(asker.locator("#question-status")).to_have_text("beantwortet")
    axe(asker, "Antwort (Kommune)")
    asker.goto(f"{live_server}/kommunen/{town.id}/beschlusskontrolle")
    axe(asker, "Beschlusskontrolle")
    staff.goto(f"{live_server}/land")
    expect(staff.locator("main")).to_contain_text("Fragestadt")
    axe(staff, "Landesübersicht")
