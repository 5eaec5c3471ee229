"""Settings in the web UI: admins only, secrets encrypted and never shown again, values laid
over the environment; municipal admins edit their report recipients."""

from __future__ import annotations

from sqlmodel import select

from service.models import AuditEvent, Municipality, Role, SlackInstallation, StoredSetting
from service.settings_store import effective
from tests.factories import create_municipality, create_user
from tests.helpers import login, page_csrf


def test_admin_saves_settings_secrets_stay_hidden_and_encrypted(client, session, settings):
    admin = create_user(session, role=Role.ADMIN)
    login(client, admin.email)
    page = client.get("/einstellungen")
    assert page.status_code == 200 and "SMTP-Passwort (nicht gesetzt)" in page.text
    csrf = page_csrf(client, "/einstellungen")
    r = client.post(
        "/einstellungen",
        data={
            "csrf_token": csrf,
            "email.smtp_host": "mail.fs-inge.example",
            "email.smtp_port": "2525",
            "email.smtp_password": "streng-geheim-42",
            "slack_bot_token": "xoxb-geheim",
            "slack_advisors_channel": "CBERATUNG",
            "questions.sla_working_days": "7",
        },
        follow_redirects=False,
    )
    assert r.status_code == 303
    page = client.get("/einstellungen").text
    assert "streng-geheim-42" not in page and "xoxb-geheim" not in page
    assert "SMTP-Passwort (gesetzt, wird nicht angezeigt)" in page
    assert 'value="mail.fs-inge.example"' in page
    rows = {r.key: r for r in session.exec(select(StoredSetting)).all()}
    assert rows["email.smtp_password"].secret and "streng" not in rows["email.smtp_password"].value
    live = effective(session, settings)
    assert live.email.smtp_host == "mail.fs-inge.example" and live.email.smtp_port == 2525
    assert live.email.smtp_password.get_secret_value() == "streng-geheim-42"
    assert live.questions.sla_working_days == 7
    # an empty secret field keeps the stored secret
    client.post("/einstellungen", data={"csrf_token": csrf, "email.smtp_password": ""})
    session.expire_all()
    kept = effective(session, settings).email.smtp_password
    assert kept.get_secret_value() == "streng-geheim-42"
    audit = session.exec(select(AuditEvent).where(AuditEvent.action == "settings.update")).all()
    assert audit and "streng" not in str(audit[0].details)


def test_invalid_value_is_refused_in_german(client, session):
    admin = create_user(session, role=Role.ADMIN)
    login(client, admin.email)
    csrf = page_csrf(client, "/einstellungen")
    r = client.post("/einstellungen", data={"csrf_token": csrf, "email.smtp_port": "viele"})
    assert r.status_code == 422 and "SMTP-Port" in r.text


def test_only_admins_see_installation_settings(client, session):
    advisor = create_user(session, role=Role.ADVISOR)
    login(client, advisor.email)
    assert client.get("/einstellungen").status_code == 403


def test_slack_workspace_mapped_to_a_municipality(client, session):
    town = create_municipality(session, name="Slackdorf")
    admin = create_user(session, role=Role.ADMIN)
    login(client, admin.email)
    csrf = page_csrf(client, "/einstellungen")
    client.post(
        "/einstellungen/slack",
        data={"csrf_token": csrf, "team_id": "T42", "name": "Slackdorf", "municipality": town.ags},
    )
    install = session.exec(select(SlackInstallation)).one()
    assert install.team_id == "T42" and install.municipality_id == town.id
    again = client.post("/einstellungen/slack", data={"csrf_token": csrf, "team_id": "T42"})
    assert again.status_code == 422
    client.post(f"/einstellungen/slack/{install.id}/loeschen", data={"csrf_token": csrf})
    session.expire_all()
    assert session.exec(select(SlackInstallation)).first() is None


def test_municipal_admin_edits_report_recipients(client, session):
    town = create_municipality(session, name="Berichtsdorf")
    clerk = create_user(session, role=Role.CLERK, municipality=town)
    login(client, clerk.email)
    assert client.get(f"/kommunen/{town.id}/einstellungen").status_code == 403
    client.cookies.clear()
    boss = create_user(session, role=Role.MUNICIPAL_ADMIN, municipality=town)
    login(client, boss.email)
    csrf = page_csrf(client, f"/kommunen/{town.id}/einstellungen")
    r = client.post(
        f"/kommunen/{town.id}/einstellungen",
        data={"csrf_token": csrf, "report_recipients": "Bauamt <bauamt@dorf.de>; rat@dorf.de"},
        follow_redirects=False,
    )
    assert r.status_code == 303
    session.expire_all()
    assert session.get(Municipality, town.id).report_recipients == ["bauamt@dorf.de", "rat@dorf.de"]
    bad = client.post(
        f"/kommunen/{town.id}/einstellungen",
        data={"csrf_token": csrf, "report_recipients": "kein-mail"},
    )
    assert bad.status_code == 422 and "kein-mail" in bad.text


def test_dead_letters_are_visible_and_can_be_sent_again(client, session):
    from service.models import OutboxMessage, OutboxStatus

    dead = OutboxMessage(
        channel="email",
        recipient="weg@example.org",
        subject="Prüfbericht",
        body="…",
        status=OutboxStatus.FAILED.value,
        attempts=8,
        last_error="SMTP 550: Unbekannter Empfänger",
    )
    session.add(dead)
    session.commit()
    admin = create_user(session, role=Role.ADMIN)
    login(client, admin.email)
    page = client.get("/einstellungen/ausgang?status=fehlgeschlagen").text
    assert "weg@example.org" in page and "SMTP 550" in page
    csrf = page_csrf(client, "/einstellungen/ausgang")
    r = client.post(
        f"/einstellungen/ausgang/{dead.id}/erneut",
        data={"csrf_token": csrf},
        follow_redirects=False,
    )
    assert r.status_code == 303
    session.expire_all()
    again = session.get(OutboxMessage, dead.id)
    assert again.status == "wartend" and again.attempts == 0
    twice = client.post(f"/einstellungen/ausgang/{dead.id}/erneut", data={"csrf_token": csrf})
    assert twice.status_code == 422


def test_municipal_admin_sets_the_oparl_source(client, session):
    from service.models import OParlSource

    town = create_municipality(session, name="Ratsdorf")
    boss = create_user(session, role=Role.MUNICIPAL_ADMIN, municipality=town)
    login(client, boss.email)
    url = f"/kommunen/{town.id}/einstellungen"
    csrf = page_csrf(client, url)
    data = {
        "csrf_token": csrf,
        "report_recipients": "",
        "oparl_body_url": "https://ris.ratsdorf.de/oparl/v1/body/1",
        "oparl_paper_types": "Beschlussvorlage, Antrag",
        "oparl_interval": "30",
    }
    assert client.post(url, data=data, follow_redirects=False).status_code == 303
    source = session.exec(select(OParlSource)).one()
    assert source.paper_types == ["Beschlussvorlage", "Antrag"] and source.interval_minutes == 30
    bad = client.post(url, data=data | {"oparl_body_url": "ftp://x"})
    assert bad.status_code == 422
    client.post(url, data=data | {"oparl_body_url": ""})
    session.expire_all()
    assert session.exec(select(OParlSource)).first() is None
