"""A manager closes a child's case with its census reason: the end of the child's episode of need (§9).

The Children in Need census returns an episode's closure date and reason (RC1–RC9, `codes.ReasonForClosure`):
`cases.closed_at` and `cases.closure_reason`, which the census reads (`safeguarding.census`). A case closes
only when nothing on it is still going on: every process of the case has finished (a running one would be
left with no case), and no child protection plan is open. A Child in Need plan still open ends with the case,
on the same day, since the services it planned end with it. "Closed after assessment" (RC8, RC9) is for a
case that was an assessment alone (the DfE's rule 2990): one with an enquiry, a conference or a plan closes
for another reason, services ceased (RC7) as a rule. A closed case is not reopened: a child referred again
has a new case. The closure is written to the change log with who, when and why; logs carry ids only.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import date, datetime, time

from pydantic import Field
from sqlalchemy import RowMapping

from safeguarding.codes import CaseKind, PlanKind, Process, ReasonForClosure
from safeguarding.models import Frozen
from safeguarding.service.access import MANAGES, Principal, require_role, require_team
from safeguarding.service.case_gate import readable_case
from safeguarding.service.errors import Conflict, Invalid, NotFound
from safeguarding.service.fields import Reason, Reply
from safeguarding.service.root import Services
from safeguarding.store import cases as case_store
from safeguarding.store import plans as plan_store
from safeguarding.store.case_processes import list_case_processes
from safeguarding.store.change_log import record_changes
from safeguarding.working_days import at_local_time, local_date

log = logging.getLogger(__name__)

CASE_CLOSED = "case_closed"
"""The end reason of a Child in Need plan ended because its case closed."""
AFTER_ASSESSMENT_ONLY = frozenset(
    {ReasonForClosure.CLOSED_AFTER_ASSESSMENT_NFA, ReasonForClosure.CLOSED_AFTER_ASSESSMENT_EARLY_HELP}
)
BEYOND_ASSESSMENT = frozenset({Process.STRATEGY_DISCUSSION, Process.S47_ENQUIRY, Process.INITIAL_CONFERENCE})
"""Processes after which a case did not close "after assessment" (RC8, RC9): it went on to protection work."""


class CaseClosure(Frozen):
    """Why and when the child's case closes: the census reason, the day, and the manager's reason in words."""

    closure_reason: ReasonForClosure = Field(
        description="Why the episode of need ends, as the census codes it (statutory-rules.md §9): RC1 adopted, "
        "RC2 died, RC3 child arrangements order, RC4 special guardianship order, RC5 transferred to another "
        "authority, RC6 transferred to adult services, RC7 services ceased, RC8 closed after assessment with no "
        "further action, RC9 closed after assessment and referred to early help."
    )
    closed_on: date | None = Field(
        default=None, description="The day it closed, if earlier than today: not in the future, nor before it opened."
    )
    reason: Reason


class CaseClosed(Reply):
    """The case as closed, and the Child in Need plan that ended with it, if one was open."""

    case_id: str
    reference: str
    closed_at: datetime
    closure_reason: ReasonForClosure
    ended_plan_id: int | None = Field(description="The Child in Need plan that ended with the case, if any.")


async def close_case(services: Services, principal: Principal, case_id: str, closure: CaseClosure) -> CaseClosed:
    """Close the child's case with its census reason; end its open Child in Need plan that day.

    Refused (403) for a role that does not manage cases or a team manager of another team; a conflict (409)
    for a case closed already, a process of the case still running, an open child protection plan, or RC8/RC9
    on a case that went beyond an assessment; invalid (422) for a day in the future or before the case opened,
    or a LADO allegation's case (it has no child in need).
    """
    now = await services.now()
    today = local_date(now)
    async with services.sessions.begin() as session:
        case = await readable_case(principal, case_id, session=session)
        require_role(principal, "close_case", MANAGES, target=case_id)
        require_team(principal, "close_case", case["team_id"], target=case_id)
        closed_on = closure.closed_on or today
        _check_case(case, closure, closed_on, today)
        processes = await list_case_processes(case["id"], session=session)
        plans = await plan_store.list_case_plans(case["id"], session=session)
        _check_nothing_goes_on(case, closure, processes, plans)
        closed_at = now if closed_on == today else max(case["opened_at"], at_local_time(closed_on, time(12, 0)))
        if not await case_store.close_case(
            case["id"], closed_at=closed_at, reason=str(closure.closure_reason), session=session
        ):
            raise Conflict(f"case {case['reference']} is closed already")
        open_cin = next((p for p in plans if p["ended_on"] is None and p["kind"] == PlanKind.CIN), None)
        if open_cin is not None:
            ended_on = max(closed_on, open_cin["started_on"])
            await plan_store.close_plan(open_cin["id"], ended_on, CASE_CLOSED, session=session)
        await record_changes(
            "case",
            case["id"],
            {"closed_at": (None, closed_at.isoformat()), "closure_reason": (None, str(closure.closure_reason))},
            changed_by=principal.practitioner_id,
            reason=closure.reason,
            session=session,
        )
    log.info(
        "case %s closed (%s) by %s%s",
        case["id"],
        closure.closure_reason,
        principal.practitioner_id,
        f"; CIN plan {open_cin['id']} ended" if open_cin is not None else "",
    )
    return CaseClosed(
        case_id=case["id"],
        reference=case["reference"],
        closed_at=closed_at,
        closure_reason=closure.closure_reason,
        ended_plan_id=open_cin["id"] if open_cin is not None else None,
    )


async def close_case_by_reference(
    services: Services, principal: Principal, reference: str, closure: CaseClosure
) -> CaseClosed:
    """Close the case people know by `reference` (as the command line names it), as `close_case` does."""
    async with services.sessions() as session:
        case = await case_store.get_case_by_reference(reference, session=session)
    if case is None:
        raise NotFound(f"no case with reference {reference!r}")
    return await close_case(services, principal, case["id"], closure)


def _check_case(case: RowMapping, closure: CaseClosure, closed_on: date, today: date) -> None:
    if case["kind"] != CaseKind.CHILD:
        raise Invalid(f"case {case['reference']} is a LADO allegation's case: it has no child in need to close")
    if case["closed_at"] is not None:
        raise Conflict(
            f"case {case['reference']} is closed already, on {local_date(case['closed_at']).isoformat()} "
            f"({case['closure_reason']}); a child referred again has a new case"
        )
    if closed_on > today:
        raise Invalid(f"closed_on: {closed_on.isoformat()} is in the future", field="closed_on")
    opened_on = local_date(case["opened_at"])
    if closed_on < opened_on:
        raise Invalid(
            f"closed_on: {closed_on.isoformat()} is before the case opened, on {opened_on.isoformat()}",
            field="closed_on",
        )


def _check_nothing_goes_on(
    case: RowMapping, closure: CaseClosure, processes: Sequence[RowMapping], plans: Sequence[RowMapping]
) -> None:
    running = [p["workflow_id"] for p in processes if p["closed_at"] is None]
    if running:
        raise Conflict(
            f"case {case['reference']} has processes still running: {', '.join(running)}; "
            "each finishes (or is ended by its own decisions) before the case closes"
        )
    if any(p["ended_on"] is None and p["kind"] == PlanKind.CP for p in plans):
        raise Conflict(f"case {case['reference']} has a child protection plan open: it ends before the case closes")
    if closure.closure_reason in AFTER_ASSESSMENT_ONLY and (
        plans or any(p["process"] in BEYOND_ASSESSMENT for p in processes)
    ):
        raise Conflict(
            f"closure_reason: {closure.closure_reason} is for a case closed after an assessment alone; case "
            f"{case['reference']} had a strategy discussion, an enquiry, a conference or a plan "
            f"({ReasonForClosure.SERVICES_CEASED}, services ceased, as a rule)",
            field="closure_reason",
        )
