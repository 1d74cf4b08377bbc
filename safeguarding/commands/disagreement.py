"""Commands of the professional disagreement procedure (statutory-rules.md §8), and what it tells the process
it concerns.

A professional raises a disagreement against a decision of a process (by the decision's key in that
process's `status` or record, e.g. `authorise:1`) — running, or finished — or against an open question of a
running one (an open task's key, e.g. `authorise`), saying what they disagree with and what they propose.
At each stage someone entitled by the profile resolves it with the outcome agreed in writing — changing
the decision, if that is what was agreed — or escalates it with reasons. Escalation is not a complaint.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import Field, model_validator

from safeguarding.codes import AssessmentOutcome, DisagreementOutcome, DisagreementStage, Process, Role
from safeguarding.commands import Decision
from safeguarding.descriptions.roles import DISAGREEMENT_RAISERS
from safeguarding.models import Actor, AwareDatetime, Frozen, Id, ProcessContext
from safeguarding.named_practitioners import PractitionerId


class RaiseDisagreement(Decision):
    """A professional disagrees with a decision or an open question of a running process (§8)."""

    about_workflow_id: Id
    about_key: Id = Field(description="The decision's key in that process's status, or an open task's key.")
    disagrees_with: str = Field(min_length=1, max_length=4000, description="What they disagree with, and why.")
    proposes: str = Field(min_length=1, max_length=4000, description="What they propose instead.")
    immediate_risk: bool = Field(default=False, description="The child is at immediate risk: skip to a higher stage.")
    counterpart_id: PractitionerId | None = Field(
        default=None, description="The practitioner they disagree with, if not the one who made the decision."
    )

    @model_validator(mode="after")
    def _a_participant_with_something_to_say(self) -> RaiseDisagreement:
        if self.actor.role not in DISAGREEMENT_RAISERS:
            raise ValueError(f"a {self.actor.role} may not raise a professional disagreement")
        if not (self.disagrees_with.strip() and self.proposes.strip()):
            raise ValueError("say what you disagree with and what you propose")
        return self


class DisagreementInput(Frozen):
    """Start resolving a disagreement, under the procedure of the profile in `context` (§8)."""

    context: ProcessContext
    raised: RaiseDisagreement

    @model_validator(mode="after")
    def _the_profile_has_a_procedure(self) -> DisagreementInput:
        if self.context.profile.disagreement is None:
            raise ValueError(f"profile {self.context.profile.ref} has no [disagreement] procedure")
        return self


RAISED = "the disagreement being raised"
"""What the first stage's time limit counts from, as its basis names it (statutory-rules.md §8)."""


def disagreement_id(case_reference: str, raised_at: datetime) -> str:
    """Return the workflow id of the disagreement about `case_reference` raised at `raised_at`."""
    return f"disagreement-{case_reference}-{raised_at.strftime('%Y%m%dT%H%M%S')}"


class ResolveDisagreement(Decision):
    """The outcome agreed in writing at this stage; `new_outcome` when the decision itself is to change."""

    statement: str = Field(min_length=1, max_length=8000, description="The outcome, as agreed in writing.")
    new_outcome: Id | None = Field(
        default=None, description="The changed decision (e.g. `cin_plan`), applied to the process it concerns."
    )

    @model_validator(mode="after")
    def _statement_written(self) -> ResolveDisagreement:
        if not self.statement.strip():
            raise ValueError("record the outcome agreed in writing")
        return self


class EscalateDisagreement(Decision):
    """Not resolved at this stage: escalate to the next, with the reasons (`rationale`, required)."""


class DisagreementResult(Frozen):
    """How the disagreement ended."""

    outcome: DisagreementOutcome
    stage: DisagreementStage
    changed_to: str | None = None
    closed_at: datetime


# -- what the disagreement sends the process it concerns (its Updates `record_dispute`, `apply_resolution`) --


class RecordDispute(Frozen):
    """Mark a decision or an open question of a process as disputed."""

    disagreement_workflow_id: str
    about_key: Id
    raised_by: Actor
    raised_at: AwareDatetime
    immediate_risk: bool = False


class DisputeRecorded(Frozen):
    """What the disputed process says about what is disputed: whose decision it was, who is responsible."""

    process: Process
    about_key: str
    decision: str | None = None
    outcome: str | None = None
    decided_by_id: str | None = None
    responsible_id: str | None = None
    closed_at: AwareDatetime | None = Field(
        default=None,
        description="When the process had already finished: the dispute is on its record in the case store, "
        "and the disagreement itself carries out any change agreed.",
    )


class DisputeRefused(Frozen):
    """The process (or, once finished, its record) refuses the dispute or the resolution: an answer, not a fault."""

    workflow_id: str
    reason: str


class ApplyResolution(Decision):
    """The resolution, for the process it concerns: `actor` decided it, `rationale` is the agreed statement."""

    disagreement_workflow_id: str
    stage: DisagreementStage
    new_outcome: Id | None = None


class ResolutionApplied(Frozen):
    """What the process did with the resolution: `applied` is False only when it had already finished."""

    workflow_id: str
    applied: bool = True
    changed_to: str | None = None


PROCESS_CLOSING = "the process is closing; the dispute goes on its record once it has closed"
"""A process's refusal of a dispute in the moment between deciding to close and its record saying so."""

FINISHED_CHANGES: dict[str, str] = {
    AssessmentOutcome.CIN_PLAN: "a Child in Need plan recorded",
    AssessmentOutcome.STRATEGY_DISCUSSION: "a strategy discussion started",
}
"""The changes a disagreement can carry out itself once the process it concerns has finished, with what
is done for each (§8): that process can take no change, so what the change needs now is done instead."""


class FinishedResolution(Frozen):
    """Write on the record of finished process `workflow_id` how the dispute about it was resolved (§8)."""

    workflow_id: str
    case_id: str
    resolution: ApplyResolution
    carried_out: str | None = Field(default=None, description="What was done for the change agreed, in words.")


class DisputeRequest(Frozen):
    """Ask the activity to record a dispute on process `workflow_id`."""

    workflow_id: str
    dispute: RecordDispute


class ResolutionRequest(Frozen):
    """Ask the activity to apply a resolution to process `workflow_id`; `update_id` makes a retry harmless."""

    workflow_id: str
    update_id: str
    resolution: ApplyResolution


class DisagreementLogEntry(Frozen):
    """One line of the partnership's escalation log (§8): who, about what, stage reached, time taken, outcome."""

    workflow_id: str
    case_id: str
    team_id: str
    partnership_id: str
    about_workflow_id: str
    about_key: str
    about_process: Process | None = None
    about_outcome: str | None = None
    raised_by_id: str
    raised_by_role: Role
    immediate_risk: bool
    raised_at: datetime
    started_at_stage: DisagreementStage
    stage_reached: DisagreementStage
    outcome: DisagreementOutcome
    changed_to: str | None = None
    closed_at: datetime | None = None


class LogRecorded(Frozen):
    """The escalation log holds the disagreement's current line."""

    workflow_id: str
