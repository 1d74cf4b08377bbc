"""The console's Jinja environment: our templates, and GOV.UK Frontend's macros (`govuk-frontend-jinja`).

GOV.UK's base template calls its header and footer macros without arguments, which only renders with
`ChainableUndefined` (a missing parameter's attribute is undefined too, rather than an error).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.templating import Jinja2Templates
from jinja2 import ChainableUndefined, ChoiceLoader, Environment, FileSystemLoader, PackageLoader, PrefixLoader
from starlette.responses import HTMLResponse

from safeguarding.console.pages import case_url, decision_url, process_url
from safeguarding.console.security import csp_nonce, csrf_token
from safeguarding.service.access import READS_WORKLOAD

TEMPLATES = Path(__file__).parent / "templates"


def words(code: object) -> str:
    """Return a code as words for a person: `team_manager` -> `Team manager`."""
    text = str(code).replace("_", " ")
    return text[:1].upper() + text[1:]


def _environment() -> Environment:
    environment = Environment(
        loader=ChoiceLoader(
            [
                FileSystemLoader(TEMPLATES),
                PrefixLoader({"govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja")}),
            ]
        ),
        undefined=ChainableUndefined,
        autoescape=True,
    )
    environment.filters["words"] = words
    environment.filters["tray_option"] = lambda code: {"value": code, "text": words(code)}
    environment.filters["case_url"] = case_url
    environment.filters["process_url"] = process_url
    environment.filters["decision_url"] = decision_url
    environment.filters["long_date"] = lambda day: f"{day:%a} {day.day} {day:%b %Y}" if day else ""
    environment.globals["dashboard_roles"] = READS_WORKLOAD
    return environment


templates = Jinja2Templates(env=_environment())


def render(request: Request, name: str, context: dict[str, Any], *, status_code: int = 200) -> HTMLResponse:
    """Render a page with what every page needs: its CSP nonce and its CSRF token."""
    return templates.TemplateResponse(
        request,
        name,
        {"cspNonce": csp_nonce(request.scope), "csrf_token": csrf_token(request.scope), **context},
        status_code=status_code,
    )
