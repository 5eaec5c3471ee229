"""Slack end to end: signed requests, the immediate answer in the thread, forwarding to the
queue, the advisors' channel, the answer back in the thread, retries and rate limits."""

from __future__ import annotations

import json
import time
from pathlib import Path
from urllib.parse import urlencode

from sqlmodel import select

from service.knowledge.service import import_source
from service.models import Question, Role, SlackDelivery
from tests.factories import create_municipality, create_token, create_user
from tests.fixtures.kb_sample import GUIDANCE
from tests.helpers import run_worker
from tests.integrations.slack_server import signed_headers


def post_form(client, path, fields, **sign):
    body = urlencode(fields).encode()
    headers = {"Content-Type": "application/x-www-form-urlencoded", **signed_headers(body, **sign)}
    return client.post(path, content=body, headers=headers)


def post_json(client, path, payload, extra=None):
    body = json.dumps(payload).encode()
    headers = {"Content-Type": "application/json", **signed_headers(body), **(extra or {})}
    return client.post(path, content=body, headers=headers)


FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "slack"


def fixture(name: str) -> dict:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def command(text, trigger="trig-1", user="U1"):
    return fixture("command_inge.json") | {"text": text, "user_id": user, "trigger_id": trigger}


def action(action_id, value, *, user="U1", channel="CKOMMUNE", ts=""):
    payload = fixture("block_actions.json")
    payload["user"]["id"], payload["channel"]["id"] = user, channel
    payload["message"]["ts"] = ts
    payload["actions"][0] |= {"action_id": action_id, "value": str(value)}
    return payload


def setup_town(session, tmp_path, slack):
    path = tmp_path / "arbeitshilfe.txt"
    path.write_text(GUIDANCE, encoding="utf-8")
    import_source(session, path, title="Arbeitshilfe (Test)")
    town = create_municipality(session, name="Slackstadt")
    clerk = create_user(session, role=Role.CLERK, municipality=town, email="clara@slackstadt.de")
    advisor = create_user(session, role=Role.ADVISOR, email="anna@fs-inge.de")
    slack.emails.update({"U1": clerk.email, "UADV": advisor.email})
    session.commit()
    return town, clerk, advisor


def test_url_verification_and_signatures(client, slack):
    challenge = fixture("url_verification.json")
    ok = post_json(client, "/slack/events", challenge)
    assert ok.status_code == 200 and ok.json() == {"challenge": challenge["challenge"]}
    body = b"token=x&text=hallo"
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    cases = [
        signed_headers(body, secret="falsch"),
        signed_headers(body, timestamp=int(time.time()) - 6 * 60),  # stale
        {"X-Slack-Request-Timestamp": "gestern", "X-Slack-Signature": "v0=00"},
        {},
    ]
    for headers in cases:
        r = client.post("/slack/commands", content=body, headers={**form, **headers})
        assert r.status_code == 401, (headers, r.status_code)
    assert client.post("/slack/events", content=b"{", headers={**form}).status_code == 401


def test_slash_command_answers_in_the_channel_once(client, settings, session, tmp_path, slack):
    setup_town(session, tmp_path, slack)
    r = post_form(client, "/slack/commands", command("Wie beteiligen wir Jugendliche?"))
    assert r.status_code == 200 and r.json()["response_type"] == "ephemeral"
    again = post_form(client, "/slack/commands", command("Wie beteiligen wir Jugendliche?"))
    assert again.status_code == 200
    run_worker(settings)
    posts = slack.posted()
    assert len(posts) == 1
    assert posts[0]["channel"] == "CKOMMUNE" and "Jugendclubs" in posts[0]["text"]
    assert "Arbeitshilfe (Test)" in posts[0]["text"]
    button = posts[0]["blocks"][1]["elements"][0]
    assert button["text"]["text"] == "An FS INGE weiterleiten"
    assert len(session.exec(select(SlackDelivery)).all()) == 1


def test_retried_event_gives_one_answer_in_the_thread(client, settings, session, tmp_path, slack):
    setup_town(session, tmp_path, slack)
    event = fixture("event_app_mention.json")
    assert post_json(client, "/slack/events", event).status_code == 200
    retry = post_json(client, "/slack/events", event, {"X-Slack-Retry-Num": "1"})
    assert retry.status_code == 200
    run_worker(settings)
    posts = slack.posted()
    assert len(posts) == 1 and posts[0]["thread_ts"] == "1700000500.000200"
    assert "<@UINGE>" not in posts[0]["text"]


def test_forward_announce_answer_back_in_thread(client, settings, session, tmp_path, slack):
    _, _, advisor = setup_town(session, tmp_path, slack)
    post_form(client, "/slack/commands", command("Was gehört in ein Monitoring?"))
    run_worker(settings)
    delivery = session.exec(select(SlackDelivery)).one()
    click = action("inge_forward", delivery.id)
    for _ in range(2):  # a double click creates one question
        r = post_form(client, "/slack/interactions", {"payload": json.dumps(click)})
        assert r.status_code == 200
    slack.rate_limit_next = 1  # the advisors' post meets a 429 first and waits it out
    run_worker(settings)
    session.expire_all()
    question = session.exec(select(Question)).one()
    assert question.channel == "slack" and question.thread_ref.startswith("CKOMMUNE:")
    advisors = [p for p in slack.posted() if p["channel"] == "CBERATUNG"]
    assert len(advisors) == 1 and "Slackstadt" in advisors[0]["text"]
    labels = [e["text"]["text"] for e in advisors[0]["blocks"][1]["elements"]]
    assert labels == ["Übernehmen", "Öffnen"]

    claim = action("inge_claim", question.id, user="UADV", channel="CBERATUNG")
    post_form(client, "/slack/interactions", {"payload": json.dumps(claim)})
    run_worker(settings)
    session.expire_all()
    assert session.get(Question, question.id).assignee_id == advisor.id

    headers = {"Authorization": f"Bearer {create_token(session, advisor)}"}
    client.post(
        f"/api/v1/questions/{question.id}/notes", headers=headers, json={"text": "nur intern"}
    )
    answer = client.post(
        f"/api/v1/questions/{question.id}/answer",
        headers=headers,
        json={"text": "Indikatoren und ein Bericht alle zwei Jahre."},
    )
    assert answer.status_code == 200
    run_worker(settings)
    thread = question.thread_ref.split(":", 1)
    replies = [p for p in slack.posted() if p.get("thread_ts") == thread[1]]
    assert any("Indikatoren und ein Bericht" in p["text"] for p in replies)
    assert not any("nur intern" in p["text"] for p in slack.posted())


def test_status_lists_open_questions(client, settings, session, tmp_path, slack):
    _, clerk, _ = setup_town(session, tmp_path, slack)
    headers = {"Authorization": f"Bearer {create_token(session, clerk)}"}
    client.post("/api/v1/questions", headers=headers, json={"text": "Was ist ein INGEKO?"})
    post_form(client, "/slack/commands", command("status", trigger="trig-status"))
    run_worker(settings)
    ephemeral = slack.posted("chat.postEphemeral")
    assert len(ephemeral) == 1 and "Was ist ein INGEKO?" in ephemeral[0]["text"]


def test_unknown_user_gets_public_answer_but_cannot_forward(
    client, settings, session, tmp_path, slack
):
    setup_town(session, tmp_path, slack)
    post_form(client, "/slack/commands", command("Wie beteiligen wir Jugendliche?", user="UX"))
    run_worker(settings)
    assert len(slack.posted()) == 1
    delivery = session.exec(select(SlackDelivery)).one()
    click = action("inge_forward", delivery.id, user="UX")
    post_form(client, "/slack/interactions", {"payload": json.dumps(click)})
    run_worker(settings)
    assert session.exec(select(Question)).first() is None
    assert "INGE-Konto" in slack.posted("chat.postEphemeral")[0]["text"]


def test_nul_in_a_command_is_dropped_before_it_is_stored(
    client, settings, session, tmp_path, slack
):
    setup_town(session, tmp_path, slack)
    r = post_form(client, "/slack/commands", command("Wie beteiligen\x00 wir Jugendliche?"))
    assert r.status_code == 200
    stored = session.exec(select(SlackDelivery)).one()
    assert stored.text == "Wie beteiligen wir Jugendliche?"
