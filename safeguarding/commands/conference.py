"""Commands of the initial child protection conference (statutory-rules.md §5)."""

from __future__ import annotations

from pydantic import Field, model_validator

from safeguarding.codes import ConferenceOutcome, CpCategory
from safeguarding.commands import Decision
from safeguarding.commands.strategy_discussion import Dissent
from safeguarding.models import AwareDatetime, Frozen, Id, ProcessContext
from safeguarding.named_practitioners import PractitionerId, SocialWorkerId


class InitialConferenceInput(Frozen):
    """Convene an initial conference after a substantiated enquiry; all three anchor dates are recorded (§5)."""

    context: ProcessContext
    s47_workflow_id: Id
    first_discussion_at: AwareDatetime
    last_discussion_at: AwareDatetime
    s47_started_at: AwareDatetime


class ScheduleConference(Decision):
    """Set (or move) the date and time of the conference; it must be on a working day."""

    conference_at: AwareDatetime


class AgreeDelay(Decision):
    """Agree an exceptional delay past the 15 working days: the manager and the chair must both agree, with reasons."""


class RecordReportsShared(Decision):
    """The reports have been shared with the parents before the conference."""


class DecideConference(Decision):
    """The chair's decision after seeking consensus: a plan or not; with a plan, category, lead and core group."""

    outcome: ConferenceOutcome
    category: CpCategory | None = None
    lead_social_worker_id: SocialWorkerId | None = None
    core_group_member_ids: tuple[PractitionerId, ...] = ()
    invited_agency_team_ids: tuple[Id, ...] = ()
    dissent: tuple[Dissent, ...] = Field(default=())

    @model_validator(mode="after")
    def _a_plan_is_complete(self) -> DecideConference:
        if self.outcome is ConferenceOutcome.PLAN:
            missing = [
                name
                for name, value in (
                    ("category", self.category),
                    ("lead_social_worker_id", self.lead_social_worker_id),
                    ("core_group_member_ids", self.core_group_member_ids),
                )
                if not value
            ]
            if missing:
                raise ValueError(f"a child protection plan needs {', '.join(missing)}")
        elif self.category is not None:
            raise ValueError("a category is set only with a child protection plan")
        return self


def initial_conference_id(case_reference: str) -> str:
    """Return the workflow id of the case's first initial conference (one is convened at a time).

    A later conference of the case takes a suffixed id of its own (`store.process_ids`).
    """
    return f"initial-conference-{case_reference}"
