"""Questions by e-mail: a stored inbound mail becomes a question, or a reply in an existing
thread; attached PDFs of Vorlagen become documents that are checked. Automatic mail (RFC 3834
auto-replies, bulk, bounces, other INGEs) is never answered, so two INGE addresses cannot loop.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from sqlmodel import Session, col, select

from integrations.email.parse import MailLimits, ParsedMail, UnreadableMail, read_mail
from service.config import Settings
from service.documents.service import create_document
from service.errors import IngeError
from service.knowledge.service import hits_json, index_for
from service.models import (
    Channel,
    DocumentKind,
    InboundMail,
    InboundStatus,
    Membership,
    Municipality,
    OutboxMessage,
    Question,
    User,
)
from service.outbox.service import queue_message
from service.questions.asking import SUGGESTIONS
from service.questions.service import NewQuestion, add_reply, create_question
from service.slack.service import announce
from service.storage import BytesReader
from service.tenancy import load_principal

PDF_TYPES = {"application/pdf"}
NOTICE = "notice"


@dataclass(frozen=True)
class Outcome:
    status: InboundStatus
    reason: str
    question_id: int | None = None


def mail_limits(settings: Settings) -> MailLimits:
    return MailLimits(max_parts=settings.email.inbound_max_parts)


def automatic_reason(mail: InboundMail, message: ParsedMail) -> str | None:
    """Why this mail must not be answered (RFC 3834 and common practice), or None."""
    if not mail.envelope_from or mail.envelope_from == "<>":
        return "Absender leer (Zustellfehler)"
    if message.auto_submitted != "no":
        return f"Auto-Submitted: {message.auto_submitted}"
    if message.precedence in ("bulk", "list", "junk"):
        return "Massen- oder Listenmail"
    if message.from_inge_or_list:
        return "Mail einer INGE-Installation oder Liste"
    if message.content_type == "multipart/report":
        return "Zustellbericht"
    return None


async def process(session: Session, mail: InboundMail, settings: Settings) -> Outcome:
    """What one stored mail becomes; an unreadable mail fails with its reason, unanswered."""
    try:
        # in a thread: even a bounded parse of 25 MB must not stall the worker's event loop
        message = await asyncio.to_thread(read_mail, mail.raw, mail_limits(settings))
    except UnreadableMail as exc:
        return Outcome(InboundStatus.FAILED, exc.message)
    reason = automatic_reason(mail, message)
    if reason:
        return Outcome(InboundStatus.IGNORED, reason)
    address = message.from_address
    user = session.exec(select(User).where(User.email == address)).first()
    if user is None or not user.is_active:
        _notice_unknown(session, address, message)
        return Outcome(InboundStatus.IGNORED, f"Unbekannter Absender {address}")
    existing = _thread(session, message)
    if existing is not None:
        return _reply(session, existing, user, message)
    municipality = _municipality(session, user)
    if municipality is None or municipality.id is None:
        return Outcome(InboundStatus.FAILED, f"{address} gehört zu keiner (einzigen) Kommune.")
    documents = await _attachments(session, message, municipality, user, settings)
    return _new_question(session, message, municipality, user, settings, documents)


def _text(message: ParsedMail) -> str:
    return _strip_quote(message.text)


def _strip_quote(text: str) -> str:
    """The new text of a reply, without the quoted thread below it."""
    kept = []
    for line in text.splitlines():
        if line.startswith(">") or (line.startswith("Am ") and line.rstrip().endswith("schrieb:")):
            break
        kept.append(line)
    return "\n".join(kept).strip()


def _thread(session: Session, message: ParsedMail) -> Question | None:
    """The question this mail answers: by its references to the question's Message-ID or to
    one of INGE's answers."""
    refs = list(message.references)
    if not refs:
        return None
    question = session.exec(
        select(Question).where(col(Question.thread_ref).in_(refs), Question.channel == "email")
    ).first()
    if question is not None:
        return question
    row = session.exec(
        select(OutboxMessage).where(
            col(OutboxMessage.message_id).in_(refs), col(OutboxMessage.question_id).is_not(None)
        )
    ).first()
    return session.get(Question, row.question_id) if row and row.question_id else None


def _reply(session: Session, question: Question, user: User, message: ParsedMail) -> Outcome:
    try:
        add_reply(session, question, load_principal(session, user), _text(message) or "(leer)")
    except IngeError as exc:
        return Outcome(InboundStatus.FAILED, exc.message)
    return Outcome(InboundStatus.DONE, "Antwort im Verlauf", question.id)


def _municipality(session: Session, user: User) -> Municipality | None:
    rows = session.exec(select(Membership).where(Membership.user_id == user.id)).all()
    return session.get(Municipality, rows[0].municipality_id) if len(rows) == 1 else None


async def _attachments(
    session: Session,
    message: ParsedMail,
    municipality: Municipality,
    user: User,
    settings: Settings,
) -> list[int]:
    """Attached PDFs become Beschlussvorlagen of the municipality (and are checked)."""
    found: list[int] = []
    principal = load_principal(session, user)
    for part in message.attachments:
        if part.media_type not in PDF_TYPES or not part.data:
            continue
        try:
            document = await create_document(
                session,
                BytesReader(part.data),
                filename=part.filename if part.filename != "anhang" else "anhang.pdf",
                kind=DocumentKind.BESCHLUSSVORLAGE,
                municipality=municipality,
                principal=principal,
                settings=settings,
            )
        except IngeError:
            continue  # unreadable or too large: the question still arrives
        assert document.id is not None
        found.append(document.id)
    return found


def _new_question(
    session: Session,
    message: ParsedMail,
    municipality: Municipality,
    user: User,
    settings: Settings,
    documents: list[int],
) -> Outcome:
    assert municipality.id is not None
    text = _text(message) or message.subject
    answer = index_for(session, municipality).search(text, k=SUGGESTIONS)
    question = create_question(
        session,
        NewQuestion(
            municipality_id=municipality.id,
            text=text or "(ohne Text)",
            subject=message.subject,
            channel=Channel.EMAIL,
            asker_id=user.id,
            asker_name=user.display_name or user.email,
            asker_address=user.email,
            thread_ref=message.message_id,
            document_id=documents[0] if documents else None,
            attachments=documents,
        ),
        sla_days=settings.questions.sla_working_days,
        suggestions=hits_json(answer),
        answered=answer.answered,
        actor_id=user.id,
    )
    announce(session, question, settings)
    return Outcome(InboundStatus.DONE, "neue Frage", question.id)


def _notice_unknown(session: Session, address: str, message: ParsedMail) -> None:
    """One polite reply per unknown address, ever (auto-replied, never answered itself)."""
    if not address or "@" not in address:
        return
    sent = session.exec(
        select(OutboxMessage).where(
            OutboxMessage.recipient == address, OutboxMessage.purpose == NOTICE
        )
    ).first()
    if sent is not None:
        return
    queue_message(
        session,
        channel="email",
        recipient=address,
        subject=f"Re: {message.subject or 'Ihre Nachricht an INGE'}"[:300],
        body=(
            "Guten Tag,\n\nvielen Dank für Ihre Nachricht an INGE. Fragen per E-Mail können wir "
            "nur von Personen mit einem INGE-Konto annehmen. Bitte wenden Sie sich an die "
            "INGE-Verantwortlichen Ihrer Kommune oder an die FS INGE.\n\n"
            "Diese Nachricht wurde automatisch erstellt.\n"
        ),
        purpose=NOTICE,
        thread_ref=message.message_id,
    )
