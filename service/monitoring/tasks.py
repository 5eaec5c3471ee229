"""Monthly reminders by e-mail: an INSEK older than seven years, and measures whose time
horizon has passed without being marked as implemented."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlmodel import Session, col, select

from service.config import Settings
from service.insek.service import current_adopted, items_of
from service.jobs import task
from service.models import MeasureState, Membership, Municipality, Role, User
from service.monitoring.service import INSEK_MAX_YEARS, insek_age, measures, resolutions
from service.outbox.service import queue_message
from service.settings_store import effective

# years after adoption by which a measure with this horizon should be implemented
HORIZON_YEARS = {"kurzfristig": 2, "mittelfristig": 5, "langfristig": 10}


def due_year(attributes: dict[str, Any], adopted: date) -> int | None:
    """The year a measure is due: the end of its stated period, else from its horizon."""
    period = str(attributes.get("zeitraum") or "")
    years = [int(y) for y in period.replace("–", "-").split("-") if y.strip().isdigit()]
    if years:
        return max(years)
    horizon = HORIZON_YEARS.get(str(attributes.get("zeithorizont") or ""))
    return adopted.year + horizon if horizon else None


def reminder_for(session: Session, municipality: Municipality, today: date) -> str | None:
    """The reminder text for one municipality, or None when there is nothing to remind of."""
    assert municipality.id is not None
    goal_set = current_adopted(session, municipality.id)
    if goal_set is None or goal_set.council_decision_date is None:
        return None
    lines: list[str] = []
    age = insek_age(goal_set, today)
    if age is not None and age >= INSEK_MAX_YEARS:
        adopted = goal_set.council_decision_date
        lines.append(
            f"Ihr INSEK ist {age:.1f} Jahre alt (beschlossen {adopted:%d.%m.%Y}). Nach "
            f"spätestens {INSEK_MAX_YEARS} Jahren sollte es fortgeschrieben werden."
        )
    rows = measures(session, items_of(session, goal_set), resolutions(session, municipality.id))
    overdue = [
        (row, year)
        for row in rows
        if row.status != MeasureState.DONE.value
        and (year := due_year(row.item.attributes, goal_set.council_decision_date)) is not None
        and year < today.year
    ]
    if overdue:
        lines.append(
            "Maßnahmen, deren Zeitraum abgelaufen ist (noch nicht als umgesetzt markiert):"
        )
        lines += [
            f"- {row.item.text} (fällig {year}, Stand: {row.status})" for row, year in overdue
        ]
    if not lines:
        return None
    return f"Guten Tag,\n\nINGE erinnert {municipality.name}:\n\n" + "\n".join(lines) + "\n"


def admins_of(session: Session, municipality_id: int) -> list[str]:
    rows = session.exec(
        select(User.email)
        .join(Membership, col(Membership.user_id) == col(User.id))
        .where(
            Membership.municipality_id == municipality_id,
            Membership.role == Role.MUNICIPAL_ADMIN.value,
            col(User.is_active).is_(True),
        )
    ).all()
    return sorted(rows)


def send_monthly(session: Session, settings: Settings, today: date) -> int:
    sent = 0
    for municipality in session.exec(select(Municipality)).all():
        text = reminder_for(session, municipality, today)
        if text is None or municipality.id is None:
            continue
        link = f"{settings.questions.public_url.rstrip('/')}/kommunen/{municipality.id}"
        for address in admins_of(session, municipality.id):
            queue_message(
                session,
                municipality_id=municipality.id,
                channel="email",
                recipient=address,
                subject=f"INGE: Erinnerung zum INSEK von {municipality.name}",
                body=text + f"\nBeschlusskontrolle: {link}/beschlusskontrolle\n",
                purpose="reminder",
            )
            sent += 1
    return sent


@task
async def monthly_reminders(ctx: dict[str, Any], session: Session) -> int:
    return send_monthly(session, effective(session, ctx["settings"]), date.today())
