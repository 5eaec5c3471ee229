"""INSEK review pages: the goal tree beside its source, edits, adoption, Mindeststandard."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session, col, select
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from checks.mindeststandard import report
from service.context import db, require_principal
from service.errors import Forbidden, ValidationFailed
from service.insek import edits
from service.insek.service import (
    adopt,
    build_tree,
    items_of,
    mindeststandard_input,
    new_draft_from,
    walk,
)
from service.marking import span_from_query, split_marked
from service.models import GoalItem, GoalSet, GoalSetStatus, ItemKind, Municipality, Role
from service.tenancy import Principal, get_scoped, scope
from service.web import form_str, read_form, render, see_other

EDIT_ROLES = frozenset({Role.CLERK, Role.MUNICIPAL_ADMIN, Role.ADVISOR, Role.ADMIN})
ADOPT_ROLES = frozenset({Role.MUNICIPAL_ADMIN, Role.ADMIN})


def require_role(principal: Principal, goal_set: GoalSet, roles: frozenset[Role]) -> None:
    if principal.role_in(goal_set.municipality_id) not in roles:
        raise Forbidden("Dafür fehlt Ihnen die Berechtigung in dieser Kommune.")


def parse_date(value: str) -> date:
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise ValidationFailed("Bitte ein Datum im Format JJJJ-MM-TT angeben.") from None


def _goal_set(request: Request) -> tuple[Principal, GoalSet]:
    principal = require_principal(request)
    return principal, get_scoped(
        db(request), GoalSet, request.path_params["goal_set_id"], principal
    )


async def goal_sets_page(request: Request) -> Response:
    principal = require_principal(request)
    rows = db(request).exec(
        scope(select(GoalSet), GoalSet, principal).order_by(
            col(GoalSet.municipality_id), col(GoalSet.version).desc()
        )
    )
    goal_sets = list(rows.all())
    names = {m.id: m.name for m in db(request).exec(select(Municipality)).all()}
    return render(request, "insek/list.html", {"goal_sets": goal_sets, "names": names})


async def goal_set_page(request: Request) -> Response:
    principal, goal_set = _goal_set(request)
    roots = build_tree(items_of(db(request), goal_set))
    fields = [n.item for n in roots if n.item.kind == ItemKind.HANDLUNGSFELD]
    role = principal.role_in(goal_set.municipality_id)
    return render(
        request,
        "insek/review.html",
        {
            "goal_set": goal_set,
            "roots": roots,
            "fields": fields,
            "kinds": list(ItemKind),
            "pages": _pages(goal_set),
            "editable": goal_set.status == GoalSetStatus.DRAFT and role in EDIT_ROLES,
            "can_adopt": role in ADOPT_ROLES,
            "can_edit": role in EDIT_ROLES,
            "count": sum(1 for _ in walk(roots)),
            "municipality": db(request).get(Municipality, goal_set.municipality_id),
        },
    )


def _pages(goal_set: GoalSet) -> list[tuple[int, int, str]]:
    starts = list(goal_set.page_starts) or [0]
    ends = [*starts[1:], len(goal_set.source_text)]
    return [
        (n, s, goal_set.source_text[s:e])
        for n, (s, e) in enumerate(zip(starts, ends, strict=True), 1)
    ]


async def item_action(request: Request) -> Response:
    principal, goal_set = _goal_set(request)
    require_role(principal, goal_set, EDIT_ROLES)
    form = await read_form(request)
    session = db(request)
    item = edits.item_in(session, goal_set, request.path_params["item_id"])
    _dispatch(session, goal_set, item, form, principal)
    anchor = f"#eintrag-{item.id}" if form_str(form, "action") != "loeschen" else ""
    return see_other(f"/insek/{goal_set.id}{anchor}")


def _dispatch(
    session: Session, goal_set: GoalSet, item: GoalItem, form: FormData, principal: Principal
) -> None:
    action = form_str(form, "action")
    if action == "speichern":
        edits.update_item(
            session,
            goal_set,
            item,
            text=form_str(form, "text"),
            kind=form_str(form, "kind"),
            description=form_str(form, "description"),
            principal=principal,
        )
    elif action == "loeschen":
        edits.delete_item(session, goal_set, item, principal=principal)
    elif action in ("hoch", "runter"):
        edits.shift_item(
            session, goal_set, item, delta=-1 if action == "hoch" else 1, principal=principal
        )
    elif action == "verschieben":
        target = form_str(form, "parent_id")
        edits.move_item(
            session, goal_set, item, parent_id=_int_or_none(target), principal=principal
        )
    elif action == "zusammenfuehren":
        edits.merge_with_next(session, goal_set, item, principal=principal)
    elif action == "teilen":
        raw = form.get("text")
        edits.split_item(
            session, goal_set, item, text=raw if isinstance(raw, str) else "", principal=principal
        )
    else:
        raise ValidationFailed("Unbekannte Aktion.")


def _int_or_none(value: str) -> int | None:
    if not value:
        return None
    if not value.isdigit():
        raise ValidationFailed("Ungültiger Eintrag.")
    return int(value)


async def add_item(request: Request) -> Response:
    principal, goal_set = _goal_set(request)
    require_role(principal, goal_set, EDIT_ROLES)
    form = await read_form(request)
    parent = form_str(form, "parent_id")
    item = edits.add_item(
        db(request),
        goal_set,
        principal=principal,
        kind=form_str(form, "kind"),
        text=form_str(form, "text"),
        parent_id=_int_or_none(parent),
    )
    return see_other(f"/insek/{goal_set.id}#eintrag-{item.id}")


async def adopt_submit(request: Request) -> Response:
    principal, goal_set = _goal_set(request)
    require_role(principal, goal_set, ADOPT_ROLES)
    form = await read_form(request)
    adopt(
        db(request),
        goal_set,
        decision_date=parse_date(form_str(form, "decision_date")),
        decision_ref=form_str(form, "decision_ref"),
        principal=principal,
    )
    return see_other(f"/insek/{goal_set.id}")


async def new_draft_submit(request: Request) -> Response:
    principal, goal_set = _goal_set(request)
    require_role(principal, goal_set, EDIT_ROLES)
    await read_form(request)
    draft = new_draft_from(db(request), goal_set, principal=principal)
    return see_other(f"/insek/{draft.id}")


async def source_page(request: Request) -> Response:
    """The goal set's source text with one passage marked (evidence of a check)."""
    _, goal_set = _goal_set(request)
    text = goal_set.source_text
    parts = split_marked(text, span_from_query(request, len(text)))
    return render(
        request,
        "marked_text.html",
        {
            "heading": f"INSEK-Quelltext: {goal_set.title}",
            "back_url": f"/insek/{goal_set.id}",
            **parts,
        },
    )


async def mindeststandard_page(request: Request) -> Response:
    _, goal_set = _goal_set(request)
    items = items_of(db(request), goal_set)
    result = report(mindeststandard_input(goal_set, items))
    return render(request, "insek/mindeststandard.html", {"goal_set": goal_set, "report": result})


page_routes = [
    Route("/insek", goal_sets_page, methods=["GET"], name="goal_sets"),
    Route("/insek/{goal_set_id:int}", goal_set_page, methods=["GET"], name="goal_set"),
    Route("/insek/{goal_set_id:int}/eintraege", add_item, methods=["POST"], name="goal_item_add"),
    Route(
        "/insek/{goal_set_id:int}/eintraege/{item_id:int}",
        item_action,
        methods=["POST"],
        name="goal_item_action",
    ),
    Route(
        "/insek/{goal_set_id:int}/beschliessen",
        adopt_submit,
        methods=["POST"],
        name="goal_set_adopt",
    ),
    Route(
        "/insek/{goal_set_id:int}/neue-fassung",
        new_draft_submit,
        methods=["POST"],
        name="goal_set_new_draft",
    ),
    Route("/insek/{goal_set_id:int}/quelle", source_page, methods=["GET"], name="goal_set_source"),
    Route(
        "/insek/{goal_set_id:int}/mindeststandard",
        mindeststandard_page,
        methods=["GET"],
        name="goal_set_mindeststandard",
    ),
]
