"""The pre-proceedings period of a child's case and the family group decision-making offer in its letter (§9).

The Children in Need census of 2026/27 returns each period (block PreProceedingsandFGDM): the legal planning
meeting's decision to start it, the letter before proceedings and whether it offered a family group meeting
(s31ZA Children Act 1989), whether one was held, the meetings, the decision to end it or to issue, and the court
application. The case's social worker or a manager records a period when it starts and again as it goes on;
each recording replaces what the period held, keyed by the day it started. Logs carry ids only.
"""

from __future__ import annotations

import logging
from datetime import date

from pydantic import Field, model_validator

from safeguarding.codes import CaseKind, Role
from safeguarding.models import Frozen
from safeguarding.service.access import Principal, require_role, require_team
from safeguarding.service.case_gate import readable_case
from safeguarding.service.errors import Invalid
from safeguarding.service.fields import Reply
from safeguarding.service.root import Services
from safeguarding.store.pre_proceedings import record_period
from safeguarding.working_days import local_date

log = logging.getLogger(__name__)

RECORDS_PRE_PROCEEDINGS: tuple[Role, ...] = (Role.SOCIAL_WORKER, Role.TEAM_MANAGER, Role.SERVICE_MANAGER)
"""Who records a pre-proceedings period: the case's social worker and its managers."""

ORDER = (
    ("letter_before_proceedings_on", "started_on"),
    ("initial_meeting_on", "started_on"),
    ("decided_on", "started_on"),
    ("court_application_on", "decided_on"),
)
"""Each date and the one it is never before."""


class PrePeriod(Frozen):
    """A pre-proceedings period as it stands: what has happened so far (the rest left out until it does)."""

    started_on: date = Field(description="The legal planning meeting's decision to start pre-proceedings.")
    letter_before_proceedings_on: date | None = Field(default=None, description="When the letter was sent.")
    fgdm_offered: bool | None = Field(
        default=None, description="Whether the letter before proceedings offered a family group meeting."
    )
    fgdm_facilitated: bool | None = Field(default=None, description="Whether a family group meeting was then held.")
    initial_meeting_on: date | None = Field(default=None, description="The initial pre-proceedings meeting.")
    review_meetings: int | None = Field(default=None, ge=0, le=50, description="How many review meetings were held.")
    decided_on: date | None = Field(
        default=None, description="The decision to end pre-proceedings (step down) or to issue proceedings."
    )
    court_application_on: date | None = Field(default=None, description="When care proceedings were applied for.")

    @model_validator(mode="after")
    def _in_order(self) -> PrePeriod:
        for later, earlier in ORDER:
            after, before = getattr(self, later), getattr(self, earlier)
            if after is not None and before is not None and after < before:
                raise ValueError(f"{later} is never before {earlier}")
        if self.fgdm_facilitated and not self.fgdm_offered:
            raise ValueError("a family group meeting is facilitated only once it was offered: fgdm_offered is true")
        if self.fgdm_offered is not None and self.letter_before_proceedings_on is None:
            raise ValueError(
                "a family group meeting is offered in the letter before proceedings: give the letter's date"
            )
        return self

    def dates(self) -> dict[str, date]:
        """Return the dates given, by field."""
        return {name: value for name, value in self.model_dump().items() if isinstance(value, date)}


class PrePeriodRecorded(Reply):
    """The period as the case store holds it now."""

    case_id: str
    started_on: date
    letter_before_proceedings_on: date | None
    fgdm_offered: bool | None
    fgdm_facilitated: bool | None
    initial_meeting_on: date | None
    review_meetings: int | None
    decided_on: date | None
    court_application_on: date | None


async def record_pre_proceedings(
    services: Services, principal: Principal, case_id: str, period: PrePeriod
) -> PrePeriodRecorded:
    """Record the case's pre-proceedings period (or what has happened in it since); return it as it stands.

    Refused (403) for another role or a team-bound practitioner of another team; invalid (422) for a date in the
    future or before the case opened, or a LADO allegation's case.
    """
    require_role(principal, "record_pre_proceedings", RECORDS_PRE_PROCEEDINGS, target=case_id)
    today = local_date(await services.now())
    async with services.sessions.begin() as session:
        case = await readable_case(principal, case_id, session=session)
        require_team(principal, "record_pre_proceedings", case["team_id"], target=case_id)
        if case["kind"] != CaseKind.CHILD:
            raise Invalid(f"case {case['reference']} is a LADO allegation's case: it has no pre-proceedings")
        opened_on = local_date(case["opened_at"])
        for name, day in period.dates().items():
            if day > today:
                raise Invalid(f"{name}: {day.isoformat()} is in the future", field=name)
            if day < opened_on:
                raise Invalid(f"{name}: {day.isoformat()} is before the case opened, on {opened_on}", field=name)
        row = await record_period(case["id"], period.model_dump(), session=session)
    log.info("pre-proceedings of case %s recorded by %s", case["id"], principal.practitioner_id)
    return PrePeriodRecorded.model_validate(dict(row))
