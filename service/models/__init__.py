"""All tables, re-exported so that ``SQLModel.metadata`` knows every one of them."""

from service.models.audit import AuditEvent
from service.models.auth import ApiToken, LoginAttempt, WebSession
from service.models.base import TZDateTime, utcnow
from service.models.document import Document, DocumentKind, DocumentPage, DocumentStatus
from service.models.membership import Membership
from service.models.municipality import Municipality, MunicipalityKind
from service.models.user import Role, User

__all__ = [
    "ApiToken",
    "AuditEvent",
    "Document",
    "DocumentKind",
    "DocumentPage",
    "DocumentStatus",
    "LoginAttempt",
    "Membership",
    "Municipality",
    "MunicipalityKind",
    "Role",
    "TZDateTime",
    "User",
    "WebSession",
    "utcnow",
]
