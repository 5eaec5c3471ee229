"""The finalised check as a report: HTML for the browser, PDF to attach to the Vorlage."""

from __future__ import annotations

from typing import Any

from starlette.templating import Jinja2Templates

from service.models import CheckItem, CheckRun, Municipality, User
from service.resolutions.service import effective_status


def report_context(
    run: CheckRun, items: list[CheckItem], municipality: Municipality, finalizer: User | None
) -> dict[str, Any]:
    return {
        "run": run,
        "items": items,
        "municipality": municipality,
        "finalizer": finalizer,
        "effective_status": effective_status,
    }


def render_html(templates: Jinja2Templates, context: dict[str, Any]) -> str:
    """The report as a standalone HTML document (also the source of the PDF)."""
    return templates.get_template("checks/report.html").render(**context)


def render_pdf(html: str) -> bytes:
    """The report as PDF (A4, WeasyPrint); no network access for resources."""
    from weasyprint import HTML  # imported here: a heavy import only reports need

    pdf = HTML(string=html, base_url=None, url_fetcher=_no_fetch).write_pdf()
    assert pdf is not None
    return bytes(pdf)


def _no_fetch(url: str, timeout: int = 10, ssl_context: Any = None) -> dict[str, Any]:
    raise ValueError(f"Externe Ressourcen sind im Bericht nicht erlaubt: {url}")
