"""The child protection plan described: core groups, review conferences and its end (statutory-rules.md §5)."""

from __future__ import annotations

from safeguarding.codes import Process, Role
from safeguarding.commands.cp_plan import (
    DecideReview,
    EndWithoutConference,
    RecordBirth,
    RecordCoreGroup,
    RecordReviewReportsShared,
    ScheduleReview,
    cp_plan_id,
)
from safeguarding.commands.reassign import ReassignToSocialWorker
from safeguarding.descriptions.description import DecisionDescription, ProcessDescription
from safeguarding.descriptions.reassign import reassign
from safeguarding.stages import CpPlanStage

ACTIVE = CpPlanStage.ACTIVE
_LEAD_OR_MANAGER = (Role.SOCIAL_WORKER, Role.TEAM_MANAGER)

CP_PLAN = ProcessDescription(
    process=Process.CP_PLAN,
    workflow="ChildProtectionPlan",
    stages=(ACTIVE, CpPlanStage.ENDING),
    workflow_id=cp_plan_id,
    decisions=(
        DecisionDescription(
            name="record_core_group",
            command=RecordCoreGroup,
            roles=_LEAD_OR_MANAGER,
            stages=(ACTIVE,),
            once=False,
            # The tray shows the deadline's own title: the first core group meeting, or the next.
            title="Hold the core group meeting",
            help="A core group meeting was held: it meets its deadline and sets the next.",
        ),
        DecisionDescription(
            name="schedule_review",
            command=ScheduleReview,
            roles=(Role.CONFERENCE_CHAIR, Role.TEAM_MANAGER),
            stages=(ACTIVE,),
            once=False,
            title="Schedule the next review conference",
            help="Set (or move) the next review conference; the reports to parents fall due before it.",
        ),
        DecisionDescription(
            name="record_review_reports_shared",
            command=RecordReviewReportsShared,
            roles=_LEAD_OR_MANAGER,
            stages=(ACTIVE,),
            once=False,
            title="Share the reports with the parents",
            help="The reports for the scheduled review were shared with the parents.",
        ),
        DecisionDescription(
            name="decide_review",
            command=DecideReview,
            roles=(Role.CONFERENCE_CHAIR,),
            stages=(ACTIVE,),
            once=False,
            rationale_required=True,
            title="Hold the review conference and decide",
            help="The independent chair continues the plan, its category reviewed, or ends it; dissent is recorded.",
        ),
        DecisionDescription(
            name="record_birth",
            command=RecordBirth,
            roles=_LEAD_OR_MANAGER,
            stages=(ACTIVE,),
            title="Record the baby's birth",
            help="A pre-birth plan's baby was born: the review is due 20 working days after, if that is sooner.",
        ),
        DecisionDescription(
            name="end_without_conference",
            command=EndWithoutConference,
            roles=(Role.TEAM_MANAGER, Role.SERVICE_MANAGER),
            stages=(ACTIVE,),
            rationale_required=True,
            label="End the plan without a conference",
            help="End the plan without a conference: moved away (after its transfer-in), 18, died or left the UK.",
        ),
        reassign(ReassignToSocialWorker, (ACTIVE,), who="lead social worker"),
    ),
)
