"""The work tray page: my tasks or my team's, soonest due first, filtered by process, stage and due window.

The filters are a GET form, so a filtered tray is a link that can be kept or shared and works with
JavaScript off; pages follow the tray's cursor. A filter the tray refuses is shown as a GOV.UK error summary
beside its field.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import Response
from pydantic import ValidationError

from safeguarding.api.deps import ServicesDep
from safeguarding.console.pages import ConsolePrincipal, FrameDep
from safeguarding.console.templating import render
from safeguarding.descriptions.registry import DESCRIPTIONS
from safeguarding.labels import label
from safeguarding.service import tray
from safeguarding.service.access import READS_TEAM_TRAY
from safeguarding.service.errors import ServiceError
from safeguarding.service.tray_models import DueWindow, TrayPage, TrayQuery

router = APIRouter(prefix="/console")

FILTERS = ("process", "stage", "window", "working_days")
VIEWS = ("mine", "team")
WINDOW_WORDS = {
    DueWindow.OVERDUE: "Overdue",
    DueWindow.TODAY: "Due today",
    DueWindow.THIS_WEEK: "Due by Sunday",
    DueWindow.NEXT_WORKING_DAYS: "Due within a number of working days",
}
PAGE_SIZE = 25
RAG_WORDS = {"red": "Overdue", "amber": "Due soon", "green": "On track"}


@router.get("/tray")
async def tray_page(
    request: Request, services: ServicesDep, principal: ConsolePrincipal, layout: FrameDep, view: str = "mine"
) -> Response:
    """Show the tray: my tasks, or my team's for those who may read it."""
    may_read_team = principal.role in READS_TEAM_TRAY
    view = view if view in VIEWS and (view == "mine" or may_read_team) else "mine"
    chosen = {name: request.query_params.get(name, "").strip() for name in FILTERS}
    errors: list[dict[str, str]] = []
    page: TrayPage | None = None
    try:
        query = TrayQuery(
            **{name: value for name, value in chosen.items() if value},
            cursor=request.query_params.get("cursor") or None,
            limit=PAGE_SIZE,
        )
    except ValidationError as exc:
        errors = [_error(error) for error in exc.errors()]
    else:
        now = await services.now()
        try:
            if view == "team":
                page = await tray.list_team_tasks(services, principal, principal.team_id, query, now=now)
            else:
                page = await tray.list_my_tasks(services, principal, query, now=now)
        except ServiceError as refused:
            errors = [{"text": refused.reason, "href": f"#{refused.field or 'process'}", "field": refused.field or ""}]
    context: dict[str, Any] = {
        **layout,
        "view": view,
        "may_read_team": may_read_team,
        "chosen": chosen,
        "errors": errors,
        "page": page,
        "processes": sorted(DESCRIPTIONS),
        "stages": _stage_options(),
        "windows": WINDOW_WORDS,
        "rag_words": RAG_WORDS,
        "next_url": _next_url(view, chosen, page),
        "first_url": _first_url(view, chosen) if request.query_params.get("cursor") else None,
    }
    return render(request, "tray.html", context, status_code=422 if errors else 200)


def _stage_options() -> list[dict[str, str]]:
    """Return each stage code once, as a select item in words (a code two processes share names both meanings)."""
    texts: dict[str, list[str]] = {}
    for description in DESCRIPTIONS.values():
        for stage in description.stages:
            texts.setdefault(str(stage), []).append(label(stage))
    items = [{"value": code, "text": " or ".join(dict.fromkeys(shown))} for code, shown in texts.items()]
    return sorted(items, key=lambda item: item["text"])


def _error(error: Any) -> dict[str, str]:
    """Return one refused filter as an error summary entry, pointing at its field (the first one it names)."""
    message = str(error["msg"]).removeprefix("Value error, ")
    in_message = sorted((name for name in FILTERS if name in message), key=message.find)
    named = [str(part) for part in error["loc"]] + in_message
    field = next((name for name in named if name in FILTERS), "window")
    return {"text": message, "href": f"#{field}", "field": field}


def _next_url(view: str, chosen: dict[str, str], page: TrayPage | None) -> str | None:
    """Return the address of the page after this one, with the same filters; None on the last page."""
    if page is None or page.next_cursor is None:
        return None
    return _first_url(view, chosen) + "&" + urlencode({"cursor": page.next_cursor})


def _first_url(view: str, chosen: dict[str, str]) -> str:
    """Return the address of the first page with these filters."""
    return "/console/tray?" + urlencode({"view": view, **{name: value for name, value in chosen.items() if value}})
