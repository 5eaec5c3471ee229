"""The main flows by keyboard alone, in a real headless Chromium.

No mouse, no `.click()`, no `.fill()`: the tests press Tab (or Shift+Tab) until the control
with the wanted accessible name has the focus, type with the keyboard and activate with Enter
or Space. Every control passed on the way must have an accessible name and show a visible
focus indicator."""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx2
import pytest
from playwright.sync_api import Browser, Page, expect
from sqlmodel import Session, col, select

from service.config import Settings
from service.knowledge.service import import_source
from service.models import CheckRun, GoalSet, Role, User
from tests.factories import PASSWORD, create_municipality, create_token, create_user
from tests.fixtures import vorlage_sample as v
from tests.fixtures.insek_sample import as_text
from tests.fixtures.kb_sample import GUIDANCE
from tests.helpers import run_worker, upload

pytestmark = pytest.mark.browser

MAX_TABS = 60
# What a keyboard user needs to know about the focused element: its role, its accessible
# name (as far as our markup needs: aria-labelledby, aria-label, <label>, content, value),
# whether it shows a focus indicator and whether it is on screen.
FOCUSED = """
() => {
  const el = document.activeElement;
  if (!el || el === document.body) { return {role: "body", name: "", indicator: false}; }
  const clean = s => (s || "").replace(/\\s+/g, " ").trim();
  const text = ids => ids.split(/\\s+/).map(id => document.getElementById(id))
    .filter(Boolean).map(e => e.textContent).join(" ");
  const tag = el.tagName.toLowerCase();
  let name = "";
  if (el.getAttribute("aria-labelledby")) { name = text(el.getAttribute("aria-labelledby")); }
  else if (el.getAttribute("aria-label")) { name = el.getAttribute("aria-label"); }
  else if (el.labels && el.labels.length) {
    name = Array.from(el.labels).map(l => l.textContent).join(" ");
  }
  else if (["a", "button", "summary"].includes(tag)) { name = el.textContent; }
  else if (tag === "input" && ["submit", "button"].includes(el.type)) { name = el.value; }
  if (!clean(name)) { name = el.getAttribute("title") || el.getAttribute("placeholder") || ""; }
  const roles = {a: "link", button: "button", summary: "button", select: "combobox",
                 textarea: "textbox", main: "main"};
  let role = el.getAttribute("role") || roles[tag] || tag;
  if (tag === "input") {
    role = {submit: "button", button: "button", checkbox: "checkbox", radio: "radio",
            file: "file"}[el.type]
      || "textbox";
  }
  const style = getComputedStyle(el);
  const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0;
  const shadow = style.boxShadow !== "none";
  const box = el.getBoundingClientRect();
  const onScreen = box.width > 0 && box.height > 0 && box.right > 0 && box.bottom > 0
    && box.left < window.innerWidth && box.top < window.innerHeight;
  return {role, name: clean(name), id: el.id, indicator: outline || shadow, onScreen};
}
"""


class Keyboard:
    """Drives one page by keyboard and remembers which kinds of control it reached."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.reached: set[str] = set()

    def focused(self) -> dict[str, Any]:
        return self.page.evaluate(FOCUSED)

    def tab_to(
        self,
        name: str | re.Pattern[str],
        *,
        role: str | None = None,
        back: bool = False,
        limit: int = MAX_TABS,
    ) -> dict[str, Any]:
        """Press Tab (Shift+Tab with `back`) until the control called `name` has the focus;
        fail after `limit` presses, listing every control that had the focus. Every control
        passed on the way must show that it has the focus."""
        key = "Shift+Tab" if back else "Tab"
        trail: list[str] = []
        for _ in range(limit):
            self.page.keyboard.press(key)
            now = self.focused()
            trail.append(f"{now['role']} „{now['name']}“")
            if now["role"] != "body":
                self._check_indicator(now)
            wanted = (
                name.search(now["name"]) if isinstance(name, re.Pattern) else now["name"] == name
            )
            if wanted and role in (None, now["role"]):
                return now
        raise AssertionError(
            f"{role or 'Element'} „{getattr(name, 'pattern', name)}“ nach {limit}× {key} "
            f"nicht erreicht ({self.page.url}). Fokus war auf: " + " → ".join(trail)
        )

    def _check_indicator(self, now: dict[str, Any]) -> None:
        what = f"{now['role']} „{now['name']}“"
        assert now["name"], f"{what} ({self.page.url}) hat keinen zugänglichen Namen"
        assert now["indicator"], f"kein sichtbarer Fokus auf {what}"
        assert now["onScreen"], f"{what} hat den Fokus, ist aber nicht zu sehen"
        self.reached.add(now["role"])

    def type_into(self, label: str, text: str, **kwargs: Any) -> None:
        self.tab_to(label, **kwargs)
        self.page.keyboard.type(text)

    def activate(
        self,
        name: str | re.Pattern[str],
        *,
        key: str = "Enter",
        navigates: bool = True,
        **kwargs: Any,
    ) -> None:
        """Tab to the control and press `key`; wait for the page it leads to (`navigates`)."""
        self.tab_to(name, **kwargs)
        if not navigates:
            self.page.keyboard.press(key)
            return
        with self.page.expect_navigation():
            self.page.keyboard.press(key)


def open_page(browser: Browser, url: str) -> Keyboard:
    page = browser.new_context(bypass_csp=True, locale="de-DE").new_page()
    page.goto(url)
    return Keyboard(page)


def sign_in(browser: Browser, base: str, user: User) -> Keyboard:
    """Log in by keyboard: skip link first, then the form."""
    keys = open_page(browser, f"{base}/login")
    keys.tab_to("Zum Inhalt springen", role="link", limit=1)
    keys.page.keyboard.press("Enter")
    assert keys.focused()["id"] == "inhalt", "Der Sprunglink führt nicht zum Inhalt"
    keys.type_into("E-Mail-Adresse", user.email, role="textbox", limit=1)
    keys.type_into("Passwort", PASSWORD, role="textbox", limit=1)
    keys.activate("Anmelden", role="button", limit=1)
    keys.page.wait_for_url(f"{base}/")
    return keys


def drain(settings: Settings) -> None:
    """Run the worker until the queue is empty, in its own thread (Playwright's sync API
    keeps an event loop running in this one)."""
    with ThreadPoolExecutor(1) as pool:
        pool.submit(run_worker, settings).result()


def test_skip_link_and_focus_indicators(live_server, browser, session) -> None:
    town = create_municipality(session, name="Tabstadt")
    clerk = create_user(session, role=Role.CLERK, municipality=town)
    keys = sign_in(browser, live_server, clerk)
    page = keys.page
    keys.tab_to("Zum Inhalt springen", role="link", limit=1)
    box = page.locator(".skip-link").bounding_box()
    assert box is not None and box["x"] >= 0 and box["y"] >= 0, "Sprunglink nicht zu sehen"
    page.keyboard.press("Enter")
    assert keys.focused()["id"] == "inhalt"
    keys.tab_to("Tabstadt", role="link", limit=3)  # the first link in the content
    keys.tab_to("Abmelden", role="button", back=True)
    keys.activate("Hochladen", role="link", back=True)
    page.wait_for_url(f"{live_server}/dokumente/neu")
    keys.tab_to("Art des Dokuments", role="combobox")
    keys.tab_to("Datei (PDF, Word DOCX oder Text)")
    keys.activate("Abmelden", role="button", back=True, key="Space")
    page.wait_for_url(re.compile(r"/login"))
    keys.tab_to("Zum Inhalt springen", limit=1)
    page.keyboard.press("Enter")
    keys.tab_to("E-Mail-Adresse", role="textbox", limit=1)
    assert {"link", "button", "textbox", "combobox"} <= keys.reached


def test_ask_and_answer_by_keyboard(live_server, browser, session, tmp_path) -> None:
    path = tmp_path / "arbeitshilfe.txt"
    path.write_text(GUIDANCE, encoding="utf-8")
    import_source(session, path, title="Arbeitshilfe (Test)")
    session.commit()
    town = create_municipality(session, name="Tastenstadt", landkreis="Landkreis Zwickau")
    clerk = create_user(session, role=Role.CLERK, municipality=town)
    advisor = create_user(session, role=Role.ADVISOR, display_name="Anna Beraterin")
    question = "Wie erreichen wir Jugendliche bei der Beteiligung?"

    asker = sign_in(browser, live_server, clerk)
    asker.activate("Frag doch INGE", role="link")
    asker.page.wait_for_url(f"{live_server}/fragen")
    asker.activate("Neue Frage stellen", role="link")
    asker.page.wait_for_url(f"{live_server}/fragen/neu")
    asker.type_into("Ihre Frage", question, role="textbox")
    asker.activate("Frage stellen", role="button", key="Space")
    expect(asker.page.locator("main")).to_contain_text("Quelle: Arbeitshilfe (Test)")
    question_url = asker.page.url

    staff = sign_in(browser, live_server, advisor)
    staff.activate("Frag doch INGE", role="link")
    staff.page.wait_for_url(f"{live_server}/fragen")
    staff.activate("Textbausteine", role="link")
    staff.page.wait_for_url(f"{live_server}/textbausteine")
    staff.type_into("Titel", "Gruß", role="textbox")
    staff.type_into("Text", "Viele Grüße, Ihre FS INGE", role="textbox")
    staff.activate("Speichern", role="button")
    expect(staff.page.get_by_role("heading", name="Gruß")).to_be_visible()
    staff.activate("Frag doch INGE", role="link")
    staff.page.wait_for_url(f"{live_server}/fragen")
    staff.activate(question, role="link")
    expect(staff.page.locator("#question-status")).to_have_text("neu")
    staff.activate("Mir zuweisen", role="button")
    expect(staff.page.locator("#question-status")).to_have_text("in Bearbeitung")
    staff.type_into("Antwort (geht über den Kanal der Frage zurück)", "Über Jugendclubs.")
    staff.activate("„Gruß“ einfügen", role="button", navigates=False)
    assert staff.focused()["id"] == "answer-text", "Nach dem Einfügen steht der Fokus nicht im Text"
    staff.activate("Antwort senden", role="button")
    expect(staff.page.locator("#question-status")).to_have_text("beantwortet")

    asker.page.goto(question_url)
    expect(asker.page.locator("#verlauf + ol")).to_contain_text("Über Jugendclubs.")
    expect(asker.page.locator("#verlauf + ol")).to_contain_text("Viele Grüße, Ihre FS INGE")


def prepare_insek(session: Session, settings: Settings, base: str) -> tuple[User, User, str]:
    town = create_municipality(session, name="Tastenhausen")
    admin = create_user(session, role=Role.MUNICIPAL_ADMIN, municipality=town)
    clerk = create_user(session, role=Role.CLERK, municipality=town, display_name="Clara")
    token = create_token(session, admin)
    with httpx2.Client(base_url=base, timeout=60) as api:
        upload(api, token, "insek.txt", as_text(), "insek")
    drain(settings)
    session.expire_all()
    assert session.exec(select(GoalSet)).one().status == "Entwurf"
    return admin, clerk, token


def review_and_adopt(keys: Keyboard, base: str) -> None:
    """A municipal admin opens the draft, looks into the tree and the source, adopts it."""
    keys.activate("INSEK", role="link")
    keys.page.wait_for_url(f"{base}/insek")
    keys.activate("insek", role="link")
    # The review tree: open the first entry's form, then go back up to the adopt form.
    keys.activate(re.compile(r"^Bearbeiten\b"), role="button", navigates=False)
    keys.tab_to("Art", role="combobox", limit=1)
    # Backwards, the date field's calendar button comes first: it, too, must show the focus.
    keys.tab_to("Datum des Ratsbeschlusses", role="textbox", back=True)
    keys.tab_to("Dokument", role="link", back=True)
    # Day and month alike: the field order follows the browser's language, not the page's.
    keys.type_into("Datum des Ratsbeschlusses", "01012024", role="textbox", limit=1)
    assert keys.page.evaluate("document.activeElement.value") == "2024-01-01"
    keys.type_into("Beschlussnummer / Aktenzeichen", "B-7", role="textbox")
    keys.activate("Beschließen", role="button")
    expect(keys.page.locator(".badge").first).to_have_text("beschlossen")
    radweg = re.compile(r"^Quelle \(S\. 3\): Radweg entlang der Mulde")
    keys.activate(radweg, role="button", navigates=False)
    expect(keys.page.locator("#source-status")).to_contain_text("Radweg entlang der Mulde")
    # The source text scrolls by keyboard: it is the last stop of the page.
    keys.page.reload()
    keys.tab_to("Quelltext", role="region", back=True, limit=1)
    scrolled = "document.getElementById('source-text').scrollTop"
    assert keys.page.evaluate(scrolled) == 0
    keys.page.keyboard.press("PageDown")
    keys.page.wait_for_function(f"{scrolled} > 0")  # Chromium scrolls smoothly


def confirm_and_finalise(keys: Keyboard) -> None:
    """A clerk goes from the overview to the check, confirms every point (overriding the
    last one with a reason), finalises and opens the report."""
    keys.activate("radweg", role="link")
    keys.activate(re.compile(r"^Prüfung vom "), role="link")
    expect(keys.page.locator("main")).to_contain_text("INSEK-relevant: ja")
    for n in range(1, 11):
        check = f"INSEK-{n:02d}"
        if n == 10:
            keys.tab_to(f"Ergebnis {check}", role="combobox")
            keys.page.keyboard.type("erf")
            assert keys.page.evaluate("document.activeElement.value") == "erfüllt"
            keys.type_into(f"Begründung (bei Änderung Pflicht) {check}", "Radzählung jährlich")
        # After each point the page returns to it (#punkt-…), and Tab goes on from there.
        keys.activate(f"Bestätigen ({check})", role="button", key="Enter" if n % 2 else "Space")
        expect(keys.page.locator(f"#punkt-{check}")).to_contain_text("bestätigt")
    keys.activate("Prüfung abschließen und Bericht erstellen", role="button")
    expect(keys.page.locator("main")).to_contain_text("abgeschlossen")
    # the finalised page opens at its report links: the next Tab reaches them
    keys.activate("Bericht ansehen", role="link", limit=1)
    expect(keys.page.locator("body")).to_contain_text("Radzählung jährlich")
    expect(keys.page.locator("body")).to_contain_text("Bestätigt von Clara")


def test_adopt_insek_and_check_a_vorlage_by_keyboard(
    live_server, browser, session, settings
) -> None:
    admin, clerk, token = prepare_insek(session, settings, live_server)
    review_and_adopt(sign_in(browser, live_server, admin), live_server)

    with httpx2.Client(base_url=live_server, timeout=60) as api:
        upload(api, token, "radweg.txt", v.RADWEG, "beschlussvorlage")
    drain(settings)
    session.expire_all()
    assert session.exec(select(CheckRun).order_by(col(CheckRun.id))).one().status == "geprüft"
    confirm_and_finalise(sign_in(browser, live_server, clerk))
