"""The child and family assessment described: allocated, carried out, authorised (statutory-rules.md §3)."""

from __future__ import annotations

from safeguarding.codes import Process, Role
from safeguarding.commands.assessment import (
    Allocate,
    AuthoriseWithFindings,
    RecordChildSeen,
    RecordEmergencyAction,
    ReturnAssessment,
    SubmitAssessment,
    assessment_id,
)
from safeguarding.commands.reassign import ReassignToSocialWorker
from safeguarding.descriptions.description import DecisionDescription, ProcessDescription
from safeguarding.descriptions.reassign import reassign
from safeguarding.stages import AssessmentStage

ALLOCATION, IN_PROGRESS, AUTHORISATION = (
    AssessmentStage.ALLOCATION,
    AssessmentStage.IN_PROGRESS,
    AssessmentStage.AUTHORISATION,
)

ASSESSMENT = ProcessDescription(
    process=Process.ASSESSMENT,
    workflow="Assessment",
    stages=(ALLOCATION, IN_PROGRESS, AUTHORISATION),
    workflow_id=assessment_id,
    decisions=(
        DecisionDescription(
            name="allocate",
            command=Allocate,
            roles=(Role.TEAM_MANAGER,),
            stages=(ALLOCATION,),
            title="Allocate the assessment to a social worker",
            help="Allocate a social worker, who is reminded of the 45 working days from then on.",
        ),
        DecisionDescription(
            name="record_child_seen",
            command=RecordChildSeen,
            roles=(Role.SOCIAL_WORKER,),
            stages=(IN_PROGRESS,),
            title="See the child",
            help="When the social worker saw the child.",
        ),
        DecisionDescription(
            name="record_emergency_action",
            command=RecordEmergencyAction,
            roles=(Role.SOCIAL_WORKER, Role.TEAM_MANAGER),
            stages=(ALLOCATION, IN_PROGRESS),
            once=False,
            rationale_required=True,
            label="Record emergency action started or ended",
            help="Emergency action started or ended: a joint visit with health waits until it ends.",
        ),
        DecisionDescription(
            name="submit_assessment",
            command=SubmitAssessment,
            roles=(Role.SOCIAL_WORKER,),
            stages=(IN_PROGRESS,),
            once=False,
            title="Submit the assessment",
            help="Submit the assessment to the manager with the outcome it recommends, once the child is seen.",
        ),
        DecisionDescription(
            name="return_assessment",
            command=ReturnAssessment,
            roles=(Role.TEAM_MANAGER,),
            stages=(AUTHORISATION,),
            once=False,
            rationale_required=True,
            label="Return the assessment for more work",
            help="Return the assessment to the social worker for more work, saying what is needed.",
        ),
        DecisionDescription(
            name="authorise",
            command=AuthoriseWithFindings,
            roles=(Role.TEAM_MANAGER,),
            stages=(AUTHORISATION,),
            rationale_required=True,
            title="Authorise the assessment (or return it)",
            help="Authorise the assessment with its outcome, the child's primary need and the factors identified: its "
            "completion; past 45 working days, with the reasons.",
        ),
        reassign(ReassignToSocialWorker, (IN_PROGRESS, AUTHORISATION), who="social worker"),
    ),
)
