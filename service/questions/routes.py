"""Pages of "Frag doch INGE": ask, the asker's view, the advisors' queue and the answer
editor with INGE's passages and text modules beside it."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session, col, select
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from service.context import db, require_principal
from service.errors import NotFound, ValidationFailed
from service.models import Channel, Document, Municipality, QuestionStatus, TextModule, User
from service.questions import service
from service.questions.api import question_of, settings_of
from service.questions.asking import ask
from service.questions.queue import (
    handlungsfelder_in_use,
    landkreise,
    list_questions,
    parse_filter,
)
from service.questions.schemas import QuestionIn
from service.settings_store import current
from service.tenancy import Principal, scope, visible_municipalities
from service.web import form_str, read_form, render, see_other

PAGE_SIZE = 100


def advisors(session: Session) -> list[User]:
    query = select(User).where(col(User.staff_role).is_not(None), col(User.is_active).is_(True))
    return list(session.exec(query.order_by(col(User.email))).all())


async def queue_page(request: Request) -> Response:
    principal = require_principal(request)
    session = db(request)
    flt = parse_filter(request.query_params, session, principal)
    if flt.is_empty() and principal.sees_all_municipalities and not request.query_params:
        flt = parse_filter({"status": "offen"}, session, principal)  # advisors start with open
    rows, total = list_questions(session, principal, flt, limit=PAGE_SIZE)
    municipalities = {m.id: m for m in visible_municipalities(session, principal)}
    names = {u.id: u.display_name or u.email for u in advisors(session)}
    return render(
        request,
        "questions/list.html",
        {
            "questions": rows,
            "total": total,
            "flt": flt,
            "municipalities": municipalities,
            "names": names,
            "landkreise": landkreise(session),
            "felder": handlungsfelder_in_use(session, principal),
            "statuses": [s.value for s in QuestionStatus],
            "overdue": {q.id for q in rows if service.is_overdue(q)},
            "channels": [c.value for c in Channel],
            "staff": principal.sees_all_municipalities,
        },
    )


async def ask_page(request: Request) -> Response:
    principal = require_principal(request)
    session = db(request)
    return render(
        request,
        "questions/ask.html",
        {
            "municipalities": visible_municipalities(session, principal),
            "documents": _vorlagen(session, principal),
            "form": {},
        },
    )


def _vorlagen(session: Session, principal: Principal) -> list[Document]:
    query = scope(select(Document), Document, principal).where(Document.kind == "beschlussvorlage")
    return list(session.exec(query.order_by(col(Document.id).desc()).limit(50)).all())


async def ask_submit(request: Request) -> Response:
    principal = require_principal(request)
    form = await read_form(request)
    body = QuestionIn(
        text=form_str(form, "text"),
        subject=form_str(form, "subject")[:300],
        municipality=form_str(form, "municipality") or None,
        document_id=_int(form, "document_id"),
        meeting_date=_date(form, "meeting_date"),
    )
    question = ask(db(request), principal, body, settings=current(request))
    return see_other(f"/fragen/{question.id}")


async def escalate_submit(request: Request) -> Response:
    """A check finding goes to FS INGE with one click (from the check page)."""
    principal = require_principal(request)
    await read_form(request)
    body = QuestionIn(
        check_run_id=request.path_params["run_id"], check_item=request.path_params["check_id"]
    )
    question = ask(db(request), principal, body, settings=current(request))
    return see_other(f"/fragen/{question.id}")


def _int(form: FormData, name: str) -> int | None:
    value = form_str(form, name)
    if not value:
        return None
    if not value.isdigit():
        raise ValidationFailed(f"{name} muss eine Zahl sein.", code=name)
    return int(value)


def _date(form: FormData, name: str) -> date | None:
    value = form_str(form, name)
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        raise ValidationFailed("Bitte das Datum als JJJJ-MM-TT angeben.", code=name) from None


async def detail_page(request: Request) -> Response:
    principal, question = question_of(request)
    session = db(request)
    staff = principal.sees_all_municipalities
    municipality = session.get(Municipality, question.municipality_id)
    events = service.history(session, question, internal=staff)
    actors = {e.actor_id for e in events if e.actor_id}
    people = {u.id: u.display_name or u.email for u in _users(session, actors)}
    modules = session.exec(select(TextModule).order_by(col(TextModule.title))).all()
    return render(
        request,
        "questions/detail.html",
        {
            "q": question,
            "municipality": municipality,
            "events": events,
            "people": people,
            "staff": staff,
            "advisors": advisors(session) if staff else [],
            "modules": modules if staff else [],
            "statuses": [s.value for s in QuestionStatus],
            "overdue": service.is_overdue(question),
            "last_answer": service.last_answer(session, question),
        },
    )


def _users(session: Session, ids: set[int]) -> list[User]:
    if not ids:
        return []
    return list(session.exec(select(User).where(col(User.id).in_(ids))).all())


async def triage_submit(request: Request) -> Response:
    principal, question = question_of(request)
    form = await read_form(request)
    assignee = form_str(form, "assignee")
    service.update_question(
        db(request),
        question,
        principal,
        status=form_str(form, "status") or None,
        assignee_id=(principal.user_id if assignee == "ich" else _int(form, "assignee")),
        tags=[t for t in form_str(form, "tags").split(",")],
        handlungsfeld=form_str(form, "handlungsfeld") or None,
    )
    return see_other(f"/fragen/{question.id}")


async def note_submit(request: Request) -> Response:
    principal, question = question_of(request)
    form = await read_form(request)
    service.add_note(db(request), question, principal, form_str(form, "text"))
    return see_other(f"/fragen/{question.id}#verlauf")


async def answer_submit(request: Request) -> Response:
    principal, question = question_of(request)
    form = await read_form(request)
    _, public_url = settings_of(request)
    service.send_answer(
        db(request),
        question,
        principal,
        form_str(form, "text"),
        public_url=public_url,
        needs_reply=form_str(form, "rueckfrage") == "1",
    )
    return see_other(f"/fragen/{question.id}#verlauf")


async def reply_submit(request: Request) -> Response:
    principal, question = question_of(request)
    form = await read_form(request)
    service.add_reply(db(request), question, principal, form_str(form, "text"))
    return see_other(f"/fragen/{question.id}#verlauf")


async def close_submit(request: Request) -> Response:
    principal, question = question_of(request)
    await read_form(request)
    service.close_by_asker(db(request), question, principal)
    return see_other(f"/fragen/{question.id}")


async def faq_submit(request: Request) -> Response:
    principal, question = question_of(request)
    form = await read_form(request)
    service.make_faq(
        db(request),
        question,
        principal,
        asked=form_str(form, "question"),
        answer=form_str(form, "answer"),
    )
    return see_other(f"/fragen/{question.id}")


async def modules_page(request: Request) -> Response:
    principal = require_principal(request)
    service.require_staff(principal)
    rows = db(request).exec(select(TextModule).order_by(col(TextModule.title))).all()
    return render(request, "questions/modules.html", {"modules": rows})


async def module_submit(request: Request) -> Response:
    principal = require_principal(request)
    service.require_staff(principal)
    form = await read_form(request)
    title, body = form_str(form, "title").strip(), form_str(form, "body").strip()
    if not title or not body:
        raise ValidationFailed("Titel und Text des Bausteins sind Pflicht.")
    db(request).add(TextModule(title=title[:200], body=body, created_by_id=principal.user_id))
    return see_other("/textbausteine")


async def module_delete_submit(request: Request) -> Response:
    principal = require_principal(request)
    service.require_staff(principal)
    await read_form(request)
    module = db(request).get(TextModule, request.path_params["module_id"])
    if module is None:
        raise NotFound()
    db(request).delete(module)
    return see_other("/textbausteine")


_Q = "/fragen/{question_id:int}"
page_routes = [
    Route("/fragen", queue_page, methods=["GET"], name="questions"),
    Route("/fragen", ask_submit, methods=["POST"], name="question_ask"),
    Route("/fragen/neu", ask_page, methods=["GET"], name="question_new"),
    Route(_Q, detail_page, methods=["GET"], name="question"),
    Route(_Q + "/bearbeiten", triage_submit, methods=["POST"], name="question_triage"),
    Route(_Q + "/notiz", note_submit, methods=["POST"], name="question_note"),
    Route(_Q + "/antwort", answer_submit, methods=["POST"], name="question_answer"),
    Route(_Q + "/nachricht", reply_submit, methods=["POST"], name="question_reply"),
    Route(_Q + "/schliessen", close_submit, methods=["POST"], name="question_close"),
    Route(_Q + "/faq", faq_submit, methods=["POST"], name="question_faq"),
    Route(
        "/pruefungen/{run_id:int}/punkte/{check_id}/an-inge",
        escalate_submit,
        methods=["POST"],
        name="check_escalate",
    ),
    Route("/textbausteine", modules_page, methods=["GET"], name="text_modules"),
    Route("/textbausteine", module_submit, methods=["POST"], name="text_module_create"),
    Route(
        "/textbausteine/{module_id:int}/loeschen",
        module_delete_submit,
        methods=["POST"],
        name="text_module_delete",
    ),
]
