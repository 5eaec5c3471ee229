"""Questions by e-mail: a stored inbound mail becomes a question, or a reply in an existing
thread; attached PDFs of Vorlagen become documents that are checked. Automatic mail (RFC 3834
auto-replies, bulk, bounces, other INGEs) is never answered, so two INGE addresses cannot loop.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from email import message_from_bytes, policy
from email.message import EmailMessage
from email.utils import parseaddr

from sqlmodel import Session, col, select

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


def parse(raw: bytes) -> EmailMessage:
    message = message_from_bytes(raw, policy=policy.default)
    assert isinstance(message, EmailMessage)
    return message


def automatic_reason(mail: InboundMail, message: EmailMessage) -> str | None:
    """Why this mail must not be answered (RFC 3834 and common practice), or None."""
    if not mail.envelope_from or mail.envelope_from == "<>":
        return "Absender leer (Zustellfehler)"
    auto = (message.get("Auto-Submitted") or "no").strip().lower()
    if auto != "no":
        return f"Auto-Submitted: {auto}"
    if (message.get("Precedence") or "").strip().lower() in ("bulk", "list", "junk"):
        return "Massen- oder Listenmail"
    if message.get("X-INGE-Outbox") or message.get("List-Id"):
        return "Mail einer INGE-Installation oder Liste"
    if message.get_content_type() == "multipart/report":
        return "Zustellbericht"
    return None


def sender_of(message: EmailMessage) -> str:
    return parseaddr(str(message.get("From") or ""))[1].strip().lower()


async def process(session: Session, mail: InboundMail, settings: Settings) -> Outcome:
    message = parse(mail.raw)
    reason = automatic_reason(mail, message)
    if reason:
        return Outcome(InboundStatus.IGNORED, reason)
    if sum(1 for _ in message.walk()) > settings.email.inbound_max_parts:
        return Outcome(InboundStatus.FAILED, "Zu viele Teile in der E-Mail.")
    address = sender_of(message)
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


def _text(message: EmailMessage) -> str:
    body = message.get_body(preferencelist=("plain", "html"))
    if body is None:
        return ""
    content = body.get_content()
    if body.get_content_type() == "text/html":
        content = re.sub(r"<[^>]+>", " ", content)
    return _strip_quote(str(content))


def _strip_quote(text: str) -> str:
    """The new text of a reply, without the quoted thread below it."""
    kept = []
    for line in text.splitlines():
        if line.startswith(">") or (line.startswith("Am ") and line.rstrip().endswith("schrieb:")):
            break
        kept.append(line)
    return "\n".join(kept).strip()


def _thread(session: Session, message: EmailMessage) -> Question | None:
    """The question this mail answers: by its references to the question's Message-ID or to
    one of INGE's answers."""
    refs = " ".join(str(message.get(h) or "") for h in ("In-Reply-To", "References")).split()
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


def _reply(session: Session, question: Question, user: User, message: EmailMessage) -> Outcome:
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
    message: EmailMessage,
    municipality: Municipality,
    user: User,
    settings: Settings,
) -> list[int]:
    """Attached PDFs become Beschlussvorlagen of the municipality (and are checked)."""
    found: list[int] = []
    principal = load_principal(session, user)
    for part in message.iter_attachments():
        if part.get_content_type() not in PDF_TYPES:
            continue
        data = part.get_content()
        if not isinstance(data, bytes):
            continue
        try:
            document = await create_document(
                session,
                BytesReader(data),
                filename=part.get_filename() or "anhang.pdf",
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
    message: EmailMessage,
    municipality: Municipality,
    user: User,
    settings: Settings,
    documents: list[int],
) -> Outcome:
    assert municipality.id is not None
    text = _text(message) or str(message.get("Subject") or "")
    answer = index_for(session, municipality).search(text, k=SUGGESTIONS)
    question = create_question(
        session,
        NewQuestion(
            municipality_id=municipality.id,
            text=text or "(ohne Text)",
            subject=str(message.get("Subject") or ""),
            channel=Channel.EMAIL,
            asker_id=user.id,
            asker_name=user.display_name or user.email,
            asker_address=user.email,
            thread_ref=(str(message.get("Message-ID") or "").strip() or None),
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


def _notice_unknown(session: Session, address: str, message: EmailMessage) -> None:
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
        subject=f"Re: {message.get('Subject') or 'Ihre Nachricht an INGE'}"[:300],
        body=(
            "Guten Tag,\n\nvielen Dank für Ihre Nachricht an INGE. Fragen per E-Mail können wir "
            "nur von Personen mit einem INGE-Konto annehmen. Bitte wenden Sie sich an die "
            "INGE-Verantwortlichen Ihrer Kommune oder an die FS INGE.\n\n"
            "Diese Nachricht wurde automatisch erstellt.\n"
        ),
        purpose=NOTICE,
        thread_ref=(str(message.get("Message-ID") or "").strip() or None),
    )
