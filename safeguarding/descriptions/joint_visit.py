"""The joint visit described: its steps in order, each the decision that ends it (statutory-rules.md §3)."""

from __future__ import annotations

from safeguarding.codes import Process, Role
from safeguarding.commands.assessment import (
    RecordBackgroundReview,
    RecordDebrief,
    RecordFamilyTold,
    RecordPreMeet,
    RecordVisit,
    joint_visit_id,
)
from safeguarding.commands.reassign import ReassignToSocialWorker
from safeguarding.descriptions.description import DecisionDescription, ProcessDescription
from safeguarding.descriptions.reassign import reassign
from safeguarding.descriptions.roles import HEALTH
from safeguarding.stages import JointVisitStep

_TOGETHER = (Role.SOCIAL_WORKER, *HEALTH)

JOINT_VISIT = ProcessDescription(
    process=Process.JOINT_VISIT,
    workflow="JointVisit",
    stages=tuple(JointVisitStep),
    workflow_id=joint_visit_id,
    decisions=(
        DecisionDescription(
            name="record_family_told",
            command=RecordFamilyTold,
            roles=(Role.SOCIAL_WORKER,),
            stages=(JointVisitStep.TELL_FAMILY,),
            title="Tell the family a joint visit will be arranged",
            help="The family has been told a joint visit with health will be arranged.",
        ),
        DecisionDescription(
            name="record_background_review",
            command=RecordBackgroundReview,
            roles=_TOGETHER,
            stages=(JointVisitStep.BACKGROUND_REVIEW,),
            title="Review the case record and chronology",
            help="The case record and chronology were reviewed; the child is then flagged in the health record.",
        ),
        DecisionDescription(
            name="record_pre_meet",
            command=RecordPreMeet,
            roles=_TOGETHER,
            stages=(JointVisitStep.PRE_MEET,),
            title="Hold the pre-meet: plan the visit, agree the lead",
            help="The pre-meet planned the visit; whoever knows the family leads, else the social worker.",
        ),
        DecisionDescription(
            name="record_visit",
            command=RecordVisit,
            roles=_TOGETHER,
            stages=(JointVisitStep.VISIT,),
            title="Visit jointly; explain and record consent",
            help="The joint visit, with the family's consent to information sharing.",
        ),
        DecisionDescription(
            name="record_debrief",
            command=RecordDebrief,
            roles=_TOGETHER,
            stages=(JointVisitStep.DEBRIEF,),
            title="Debrief: agree actions and owners",
            help="The debrief's actions and their owners; each practitioner then reports to their own manager.",
        ),
        reassign(ReassignToSocialWorker, tuple(JointVisitStep), who="social worker"),
    ),
)
