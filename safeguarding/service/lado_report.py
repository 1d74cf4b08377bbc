"""The LADO's report: the open caseload, and the share of allegations resolved within each target (§6).

statutory-rules.md §6 gives the targets (profile defaults): 80% of allegations resolved within 1 month,
90% within 3 months, all but exceptional ones within 12 months, clearly unfounded or malicious ones within
1 week. The caseload counts the open allegations by stage and by LADO, each with its next date due (a
deadline missed and not yet met counts, flagged `next_due_missed`; so does one still pending after its
date has passed: the process may not yet have sent its overdue alert, which waits for office hours, but
the date has gone). Read by the LADO, the LADO's manager and the service manager (`access.READS_LADO_REPORT`).
References and ids only: no names.
"""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, Field
from sqlalchemy import RowMapping

from safeguarding.codes import DeadlineState
from safeguarding.rules import national_rule
from safeguarding.service.access import READS_LADO_REPORT, Principal, require_role
from safeguarding.service.root import Services
from safeguarding.store.lado_report import RESOLUTION_RULES, count_resolution_targets, list_open_allegations
from safeguarding.working_days import local_date


class OpenAllegation(BaseModel):
    """One open allegation on the LADO's caseload."""

    workflow_id: str
    case_reference: str
    stage: str
    responsible_id: str | None = Field(description="The LADO handling it; None while unallocated.")
    notified_on: date
    next_due: datetime | None = Field(
        description="When its earliest outstanding deadline passes: one still pending, or missed and not yet met."
    )
    next_due_rule_id: str | None
    next_due_missed: bool


class LadoCaseload(BaseModel):
    """The LADO service's open allegations, counted by stage and by LADO (`unallocated` for none)."""

    open: int
    by_stage: dict[str, int]
    by_lado: dict[str, int]
    allegations: list[OpenAllegation]


class ResolutionTarget(BaseModel):
    """How many allegations met one resolution target; `share` is met / (met + missed), None when none."""

    rule_id: str
    title: str
    met: int
    missed: int
    open: int
    share: float | None


class LadoReport(BaseModel):
    """The caseload and the resolution targets as they stand."""

    caseload: LadoCaseload
    resolution_targets: list[ResolutionTarget]


async def read_lado_report(services: Services, principal: Principal, *, now: datetime | None = None) -> LadoReport:
    """Return the LADO's caseload and resolution targets as they stand at `now` (default: now)."""
    require_role(principal, "read_lado_report", READS_LADO_REPORT)
    now = now or await services.now()
    async with services.sessions() as session:
        open_rows = await list_open_allegations(session=session)
        counted = await count_resolution_targets(now, session=session)
    allegations = [
        OpenAllegation(
            workflow_id=row["workflow_id"],
            case_reference=row["reference"],
            stage=row["stage"],
            responsible_id=row["responsible_id"],
            notified_on=local_date(row["opened_at"]),
            next_due=row["next_due"],
            next_due_rule_id=row["next_due_rule_id"],
            next_due_missed=row["next_due_state"] == DeadlineState.MISSED
            or (row["next_due"] is not None and row["next_due"] <= now),
        )
        for row in open_rows
    ]
    return LadoReport(
        caseload=_caseload(allegations), resolution_targets=[_target(rule, counted) for rule in RESOLUTION_RULES]
    )


def _caseload(allegations: list[OpenAllegation]) -> LadoCaseload:
    by_stage: dict[str, int] = {}
    by_lado: dict[str, int] = {}
    for allegation in allegations:
        by_stage[allegation.stage] = by_stage.get(allegation.stage, 0) + 1
        lado = allegation.responsible_id or "unallocated"
        by_lado[lado] = by_lado.get(lado, 0) + 1
    return LadoCaseload(open=len(allegations), by_stage=by_stage, by_lado=by_lado, allegations=allegations)


def _target(rule_id: str, counted: dict[str, RowMapping]) -> ResolutionTarget:
    row = counted.get(rule_id)
    if row is None:
        return ResolutionTarget(
            rule_id=rule_id, title=national_rule(rule_id).title, met=0, missed=0, open=0, share=None
        )
    met, missed = row["met"], row["missed"]
    return ResolutionTarget(
        rule_id=rule_id,
        title=row["title"],
        met=met,
        missed=missed,
        open=row["open"],
        share=round(met / (met + missed), 3) if met + missed else None,
    )
