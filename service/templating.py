"""The Jinja templates of pages, reports and mails, with INGE's filters (one place)."""

from __future__ import annotations

from pathlib import Path

from starlette.templating import Jinja2Templates

from service.models import Channel, ItemKind

TEMPLATES = Path(__file__).resolve().parent / "templates"


def kind_label(value: str) -> str:
    try:
        return ItemKind(value).label
    except ValueError:
        return value


def channel_label(value: str) -> str:
    try:
        return Channel(value).label
    except ValueError:
        return value


def make_templates() -> Jinja2Templates:
    templates = Jinja2Templates(directory=str(TEMPLATES))
    templates.env.filters["kind_label"] = kind_label
    templates.env.filters["channel_label"] = channel_label
    return templates
