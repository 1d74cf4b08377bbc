"""The console's Jinja environment: our templates, and GOV.UK Frontend's macros (`govuk-frontend-jinja`).

GOV.UK's base template calls its header and footer macros without arguments, which only renders with
`ChainableUndefined` (a missing parameter's attribute is undefined too, rather than an error).
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.templating import Jinja2Templates
from jinja2 import ChainableUndefined, ChoiceLoader, Environment, FileSystemLoader, PackageLoader, PrefixLoader
from starlette.responses import HTMLResponse

from safeguarding.codes import Process
from safeguarding.console.pages import case_url, decision_url, process_url
from safeguarding.console.security import csp_nonce, csrf_token
from safeguarding.descriptions.registry import DESCRIPTIONS
from safeguarding.labels import plain, words
from safeguarding.service.access import READS_WORKLOAD
from safeguarding.working_days import LONDON

TEMPLATES = Path(__file__).parent / "templates"


def decision_words(name: str, process: Process) -> str:
    """Return what a person calls the decision `name` of `process` (its task's title, else its label)."""
    description = DESCRIPTIONS.get(process)
    found = next((d for d in description.decisions if d.name == name), None) if description else None
    return found.called if found else plain(name)


def long_moment(at: datetime) -> str:
    """Return a moment as a person in England reads it: `Mon 30 Nov 2026, 14:05` in UK time."""
    local = at.astimezone(LONDON)
    return f"{local:%a} {local.day} {local:%b %Y}, {local:%H:%M}"


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
    # Every code a page shows goes through `words` (safeguarding.labels); a plain stage or outcome with its process.
    environment.filters["words"] = words
    environment.filters["decision_words"] = decision_words
    environment.filters["tray_option"] = lambda code: {"value": str(code), "text": words(code)}
    environment.filters["case_url"] = case_url
    environment.filters["process_url"] = process_url
    environment.filters["decision_url"] = decision_url
    environment.filters["long_date"] = lambda day: f"{day:%a} {day.day} {day:%b %Y}" if day else ""
    environment.filters["long_moment"] = long_moment
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
