"""The safeguarding partnership's escalation log (statutory-rules.md §8): its professional disagreements.

Each partnership keeps a log of escalations. This lists, for a period, every disagreement raised under the
partnership between the two days (in England, both included), oldest first: who raised it, about which
decision or open question of which process, whether the child was said to be at immediate risk, the stage
it started at and the stage it reached, the outcome, any decision it changed, and the time it took. Ids
and codes only: what was said is on the case. Read by the partnership's chair and designated
professionals and by the service managers; a team manager reads the lines of their own team's cases
(`access.READS_ESCALATION_LOG`). The partnership is the one the procedure profile names.
"""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, Field
from sqlalchemy import RowMapping

from safeguarding.codes import DisagreementOutcome, DisagreementStage, Process, Role
from safeguarding.service.access import READS_ESCALATION_LOG, TEAM_BOUND, Principal, require_role
from safeguarding.service.errors import Invalid, NotFound
from safeguarding.service.ids import checked_id
from safeguarding.service.root import Services
from safeguarding.store.disagreements import list_escalation_log


class EscalationLogLine(BaseModel):
    """One disagreement as the partnership's log shows it: who, about what, stage reached, time taken, outcome."""

    workflow_id: str
    case_reference: str
    raised_by_id: str
    raised_by_role: Role
    about_process: Process | None
    about_workflow_id: str
    about_key: str = Field(description="The decision disputed (`authorise:1`) or the open task (`authorise`).")
    about_outcome: str | None
    immediate_risk: bool
    raised_at: datetime
    started_at_stage: DisagreementStage
    stage_reached: DisagreementStage
    outcome: DisagreementOutcome
    changed_to: str | None = Field(description="The decision's new outcome, when the disagreement changed it.")
    closed_at: datetime | None
    time_taken_hours: float | None = Field(description="From raising to the outcome, to 0.1 h; None while open.")


class EscalationLog(BaseModel):
    """The partnership's log for a period (days in England, both included)."""

    partnership_id: str
    first_day: date
    last_day: date
    lines: list[EscalationLogLine]


async def read_escalation_log(
    services: Services, principal: Principal, partnership_id: str, first_day: date, last_day: date
) -> EscalationLog:
    """Return the lines of the disagreements raised under the partnership from `first_day` to `last_day`."""
    checked_id(partnership_id, "partnership_id")
    require_role(principal, "read_escalation_log", READS_ESCALATION_LOG, target=partnership_id)
    if last_day < first_day:
        raise Invalid(f"the period ends on {last_day.isoformat()}, before it starts on {first_day.isoformat()}")
    if partnership_id != services.profile.partnership_id:
        raise NotFound(f"no partnership {partnership_id!r} in this authority's procedure profile")
    own_team = principal.team_id if principal.role in TEAM_BOUND else None
    async with services.sessions() as session:
        rows = await list_escalation_log(partnership_id, first_day, last_day, team_id=own_team, session=session)
    return EscalationLog(
        partnership_id=partnership_id, first_day=first_day, last_day=last_day, lines=[_line(row) for row in rows]
    )


def _line(row: RowMapping) -> EscalationLogLine:
    closed_at: datetime | None = row["closed_at"]
    taken = None if closed_at is None else round((closed_at - row["raised_at"]).total_seconds() / 3600, 1)
    return EscalationLogLine(
        **{field: row[field] for field in EscalationLogLine.model_fields if field != "time_taken_hours"},
        time_taken_hours=taken,
    )
