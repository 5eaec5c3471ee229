"""Check runs: pages (confirm, finalise, report) and the API under /api/v1/checks."""

from __future__ import annotations

from sqlmodel import Session, col, select
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from service.context import db, require_principal
from service.db import is_storable_text
from service.errors import Conflict, NotFound
from service.models import CheckItem, CheckRun, CheckRunStatus, Document, Municipality, User
from service.resolutions import report
from service.resolutions.schemas import CheckRunOut, CheckStartIn, ConfirmIn, FinalizeIn
from service.resolutions.service import confirm_item, finalize, items_of, start_check, summary
from service.tenancy import Principal, get_scoped
from service.web import check_csrf_header, form_str, read_form, read_json, render, see_other

MAX_JSON = 64 * 1024


def _run(request: Request) -> tuple[Principal, CheckRun]:
    principal = require_principal(request)
    return principal, get_scoped(db(request), CheckRun, request.path_params["run_id"], principal)


def _item(session: Session, run: CheckRun, check_id: str) -> CheckItem:
    query = select(CheckItem).where(
        CheckItem.check_run_id == run.id, CheckItem.check_id == check_id
    )
    item = session.exec(query).first() if is_storable_text(check_id) else None
    if item is None:
        raise NotFound(f"Den Prüfpunkt {check_id} gibt es in dieser Prüfung nicht.")
    return item


def _out(request: Request, run: CheckRun) -> dict[str, object]:
    return CheckRunOut.build(run, items_of(db(request), run)).model_dump(mode="json")


def _report_html(request: Request, run: CheckRun) -> str:
    session = db(request)
    municipality = session.get(Municipality, run.municipality_id)
    assert municipality is not None
    finalizer = session.get(User, run.finalized_by_id) if run.finalized_by_id else None
    context = report.report_context(run, items_of(session, run), municipality, finalizer)
    return report.render_html(request.app.state.templates, context)


def _require_final(run: CheckRun) -> None:
    if run.status != CheckRunStatus.FINAL:
        raise Conflict("Den Bericht gibt es, sobald die Prüfung abgeschlossen ist.")


def _pdf_response(request: Request, run: CheckRun) -> Response:
    _require_final(run)
    pdf = report.render_pdf(_report_html(request, run))
    name = f"inge-pruefbericht-{run.id}.pdf"
    return Response(
        pdf,
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


# --- pages -------------------------------------------------------------------------------


async def run_page(request: Request) -> Response:
    _, run = _run(request)
    items = items_of(db(request), run)
    document = db(request).get(Document, run.document_id)
    return render(
        request,
        "checks/run.html",
        {"run": run, "items": items, "document": document, "summary": summary(items)},
    )


async def confirm_submit(request: Request) -> Response:
    principal, run = _run(request)
    form = await read_form(request)
    item = _item(db(request), run, request.path_params["check_id"])
    confirm_item(
        db(request),
        run,
        item,
        principal=principal,
        status=form_str(form, "status") or None,
        reason=form_str(form, "reason"),
    )
    return see_other(f"/pruefungen/{run.id}#punkt-{item.check_id}")


async def finalize_submit(request: Request) -> Response:
    principal, run = _run(request)
    form = await read_form(request)
    finalize(db(request), run, principal=principal, answer=form_str(form, "answer") or None)
    # to the report links: keyboard users continue from there, not from the top of the page
    return see_other(f"/pruefungen/{run.id}#bericht")


async def report_page(request: Request) -> Response:
    _, run = _run(request)
    _require_final(run)
    return Response(_report_html(request, run), media_type="text/html; charset=utf-8")


async def report_pdf_page(request: Request) -> Response:
    _, run = _run(request)
    return _pdf_response(request, run)


# --- API ---------------------------------------------------------------------------------


async def api_start(request: Request) -> Response:
    principal = require_principal(request)
    check_csrf_header(request)
    body = await read_json(request, CheckStartIn, max_bytes=MAX_JSON)
    document = get_scoped(db(request), Document, body.document_id, principal)
    run = start_check(db(request), document, actor_id=principal.user_id)
    return JSONResponse(_out(request, run), status_code=201)


async def api_get(request: Request) -> Response:
    _, run = _run(request)
    return JSONResponse(_out(request, run))


async def api_confirm(request: Request) -> Response:
    principal, run = _run(request)
    check_csrf_header(request)
    body = await read_json(request, ConfirmIn, max_bytes=MAX_JSON)
    item = _item(db(request), run, request.path_params["check_id"])
    confirm_item(
        db(request), run, item, principal=principal, status=body.status, reason=body.reason
    )
    return JSONResponse(_out(request, run))


async def api_finalize(request: Request) -> Response:
    principal, run = _run(request)
    check_csrf_header(request)
    body = await read_json(request, FinalizeIn, max_bytes=MAX_JSON)
    finalize(db(request), run, principal=principal, answer=body.answer)
    return JSONResponse(_out(request, run))


async def api_report_pdf(request: Request) -> Response:
    _, run = _run(request)
    return _pdf_response(request, run)


def runs_for_document(session: Session, document: Document) -> list[CheckRun]:
    query = select(CheckRun).where(CheckRun.document_id == document.id)
    return list(session.exec(query.order_by(col(CheckRun.id).desc())).all())


page_routes = [
    Route("/pruefungen/{run_id:int}", run_page, methods=["GET"], name="check_run"),
    Route(
        "/pruefungen/{run_id:int}/punkte/{check_id}",
        confirm_submit,
        methods=["POST"],
        name="check_confirm",
    ),
    Route(
        "/pruefungen/{run_id:int}/abschliessen",
        finalize_submit,
        methods=["POST"],
        name="check_finalize",
    ),
    Route("/pruefungen/{run_id:int}/bericht", report_page, methods=["GET"], name="check_report"),
    Route(
        "/pruefungen/{run_id:int}/bericht.pdf",
        report_pdf_page,
        methods=["GET"],
        name="check_report_pdf",
    ),
]
api_routes = [
    Route("/checks", api_start, methods=["POST"], name="api_check_start"),
    Route("/checks/{run_id:int}", api_get, methods=["GET"], name="api_check"),
    Route(
        "/checks/{run_id:int}/items/{check_id}",
        api_confirm,
        methods=["PATCH"],
        name="api_check_confirm",
    ),
    Route(
        "/checks/{run_id:int}/finalize", api_finalize, methods=["POST"], name="api_check_finalize"
    ),
    Route(
        "/checks/{run_id:int}/report.pdf", api_report_pdf, methods=["GET"], name="api_check_report"
    ),
]
