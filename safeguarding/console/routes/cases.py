"""A case's page: the child and family, each running process on its path, a timeline of deadlines, the chronology.

Read through the use cases that guard the case (`cases.read_case`, `status.process_status`,
`deadlines.list_case_deadlines`, `chronology.list_case_chronology`): whoever may not read it gets their
refusal as the console's error page. Each running process is drawn on its description's path, standing where
its own `status` says, with the open tasks it waits for; when a process cannot be asked just now, the page
still shows the case, with the stage the case store last recorded and a line saying so. The deadlines are a
timeline by due date with today marked in it; the chronology is newest first, a page at a time (the
service's cursor), shown as MoJ Frontend's timeline with who decided, in what role, when and why.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import date
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import Response

from safeguarding.api.deps import ServicesDep
from safeguarding.console.pages import ConsolePrincipal, FrameDep, case_url
from safeguarding.console.paths import Step, path_of
from safeguarding.console.templating import decision_words, render
from safeguarding.labels import words
from safeguarding.models import TaskView
from safeguarding.service.access import Principal
from safeguarding.service.case_models import CaseProcess
from safeguarding.service.cases import read_case
from safeguarding.service.chronology import ChronologyItem, ChronologyPage, list_case_chronology
from safeguarding.service.deadlines import DeadlineItem, list_case_deadlines
from safeguarding.service.errors import NotFound, Unavailable
from safeguarding.service.root import Services
from safeguarding.service.status import process_status
from safeguarding.working_days import local_date

router = APIRouter(prefix="/console")

CHRONOLOGY_PAGE = 20


@dataclass(frozen=True)
class Running:
    """A running process as the case page draws it: its path, and what it waits for (None: it did not answer)."""

    process: CaseProcess
    path: tuple[Step, ...]
    waiting: tuple[TaskView, ...] | None


@router.get("/cases/{case_id}")
async def case_page(
    request: Request,
    services: ServicesDep,
    principal: ConsolePrincipal,
    layout: FrameDep,
    case_id: str,
    cursor: str | None = None,
) -> Response:
    """Show the case; `cursor` is where an older page of its chronology starts."""
    case = await read_case(services, principal, case_id)
    deadlines = await list_case_deadlines(services, principal, case_id)
    chronology = await list_case_chronology(services, principal, case_id, limit=CHRONOLOGY_PAGE, cursor=cursor)
    running = [process for process in case.processes if process.closed_at is None]
    context = {
        **layout,
        "title": f"Case {case.reference}",
        "case": case,
        "running": await asyncio.gather(*(_running(services, principal, process) for process in running)),
        "past": [process for process in case.processes if process.closed_at is not None],
        "timeline": deadline_timeline(deadlines.deadlines, local_date(await services.now())),
        "chronology": chronology,
        "titles": {entry.entry_id: chronology_title(entry) for entry in chronology.entries},
        "newer_url": f"{case_url(case_id)}#chronology" if cursor else None,
        "older_url": _older_url(case_id, chronology),
        "errors": [],
    }
    return render(request, "case.html", context)


async def _running(services: Services, principal: Principal, process: CaseProcess) -> Running:
    """Return the process on its path where it says it stands; where the store last saw it if it cannot answer."""
    try:
        status = await process_status(services, principal, process.workflow_id)
    except (Unavailable, NotFound):
        return Running(process, path_of(process.process, process.stage), None)
    return Running(process, path_of(status.process, status.stage), status.open_tasks)


@dataclass(frozen=True)
class TimelineEntry:
    """One mark on the deadlines' timeline: a deadline, or today (`deadline` None) among them."""

    day: date
    deadline: DeadlineItem | None = None


def deadline_timeline(deadlines: list[DeadlineItem], today: date) -> list[TimelineEntry]:
    """Return the deadlines by due date, today marked before the first one due from today on (or after the last)."""
    ordered = sorted(deadlines, key=lambda d: (d.due_date, d.passes_at, d.title))
    entries = [TimelineEntry(d.due_date, d) for d in ordered]
    where = next((index for index, entry in enumerate(entries) if entry.day >= today), len(entries))
    entries.insert(where, TimelineEntry(today))
    return entries


def chronology_title(entry: ChronologyItem) -> str:
    """Return an entry's title: a decision by what a person calls it, a move by the stage in words, else its summary.

    A process notes each move as `stage <from> -> <to>` (`workflows._case_record.CaseRecord.set_stage`).
    """
    if entry.decision is not None:
        return decision_words(entry.decision.decision, entry.process) if entry.process else words(entry.event)
    old, arrow, new = entry.summary.removeprefix("stage ").partition(" -> ")
    if entry.event == "stage" and arrow and entry.process is not None:
        return f"Moved from ‘{words(old, entry.process)}’ to ‘{words(new, entry.process)}’"
    return words(entry.summary)


def _older_url(case_id: str, chronology: ChronologyPage) -> str | None:
    """Return the address of the chronology's next (older) page, or None on its last page."""
    if chronology.next_cursor is None:
        return None
    return f"{case_url(case_id)}?{urlencode({'cursor': chronology.next_cursor})}#chronology"
