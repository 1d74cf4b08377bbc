"""The family group conference described: referral, coordinator, preparation, the meeting, its review (§7).

The referrer (a social worker or support worker) refers, records the family's consent and agrees or not
the family's plan; their manager agrees the referral and allocates an independent coordinator, who runs
everything else.
"""

from __future__ import annotations

from safeguarding.codes import Process, Role
from safeguarding.commands.fgc import (
    AgreeFgcPlan,
    AgreeFgcReferral,
    AllocateFgcCoordinator,
    ArrangeFgcConference,
    InviteFgcParticipants,
    RecordFgcBaselineMeeting,
    RecordFgcChildVoice,
    RecordFgcConferenceStage,
    RecordFgcConsent,
    RecordFgcFirstContact,
    RecordFgcReview,
    ReferToFgc,
    SubmitFgcPlan,
    WithdrawFgcConsent,
    fgc_workflow_id,
)
from safeguarding.commands.reassign import ReassignToFgcCoordinator
from safeguarding.descriptions.description import DecisionDescription, ProcessDescription
from safeguarding.descriptions.reassign import reassign
from safeguarding.stages import FgcStage

_REFERRER = (Role.SOCIAL_WORKER, Role.SUPPORT_WORKER)
_COORDINATOR = (Role.FGC_COORDINATOR,)
_EITHER = (Role.FGC_COORDINATOR, *_REFERRER)
COORDINATED = (
    FgcStage.PREPARATION,
    FgcStage.CONFERENCE,
    FgcStage.PLAN_AGREEMENT,
    FgcStage.PLAN_REVISION,
    FgcStage.REVIEW,
)
"""The stages after a coordinator is allocated: the child's voice is heard, and the coordinator reassigned."""
BEFORE_THE_PLAN = (FgcStage.REFERRAL, FgcStage.ALLOCATION, *COORDINATED[:-1])
"""The stages until the family's plan is agreed, while the family may withdraw its consent."""

FGC = ProcessDescription(
    process=Process.FGC,
    workflow="FamilyGroupConference",
    stages=tuple(FgcStage),
    workflow_id=fgc_workflow_id,
    decisions=(
        DecisionDescription(
            name="refer_to_fgc",
            command=ReferToFgc,
            roles=_REFERRER,
            stages=(FgcStage.REFERRAL,),
            title="Set the family's questions and the bottom lines",
            help="The referral: 3–4 clear questions for the family and the authority's bottom lines.",
        ),
        DecisionDescription(
            name="record_fgc_consent",
            command=RecordFgcConsent,
            roles=_REFERRER,
            stages=(FgcStage.REFERRAL,),
            title="Record the family's consent",
            help="Consent given or refused by a person with parental responsibility, or the young person at 16–17.",
        ),
        DecisionDescription(
            name="agree_fgc_referral",
            command=AgreeFgcReferral,
            roles=(Role.TEAM_MANAGER,),
            stages=(FgcStage.REFERRAL,),
            rationale_when="when the referral is not agreed",
            title="Agree the family group conference referral",
            help="The referrer's manager agrees the referral; without agreement it closes.",
        ),
        DecisionDescription(
            name="allocate_fgc_coordinator",
            command=AllocateFgcCoordinator,
            roles=(Role.TEAM_MANAGER,),
            stages=(FgcStage.ALLOCATION,),
            title="Allocate an independent coordinator",
            help="Acknowledge the referral by allocating a coordinator who has not decided on it; their clocks start.",
        ),
        DecisionDescription(
            name="record_fgc_first_contact",
            command=RecordFgcFirstContact,
            roles=_COORDINATOR,
            stages=(FgcStage.PREPARATION,),
            title="Make first contact with the family",
            help="The coordinator made first contact with the family.",
        ),
        DecisionDescription(
            name="record_fgc_baseline_meeting",
            command=RecordFgcBaselineMeeting,
            roles=_COORDINATOR,
            stages=(FgcStage.PREPARATION,),
            title="Meet the child and family; map the network",
            help="The coordinator met the child and family and mapped the network.",
        ),
        DecisionDescription(
            name="invite_fgc_participants",
            command=InviteFgcParticipants,
            roles=_COORDINATOR,
            stages=(FgcStage.PREPARATION,),
            once=False,
            title="Agree the invitees with the family",
            help="The invitees the family chose: a split conference, exclusions with reasons, interpreters.",
        ),
        DecisionDescription(
            name="arrange_fgc_conference",
            command=ArrangeFgcConference,
            roles=_COORDINATOR,
            stages=(FgcStage.PREPARATION,),
            title="Arrange the venue and date",
            help="The venue and date of each meeting: every participant is invited, and reminded the day before.",
        ),
        DecisionDescription(
            name="record_fgc_conference_stage",
            command=RecordFgcConferenceStage,
            roles=_COORDINATOR,
            stages=(FgcStage.CONFERENCE,),
            once=False,
            title="Hold the conference",
            help="Information sharing, then private family time, of one meeting.",
        ),
        DecisionDescription(
            name="submit_fgc_plan",
            command=SubmitFgcPlan,
            roles=_COORDINATOR,
            stages=(FgcStage.CONFERENCE, FgcStage.PLAN_REVISION),
            once=False,
            title="Share the family's plan",
            help="The family's plan (or its revision) is shared with the referrer.",
        ),
        DecisionDescription(
            name="agree_fgc_plan",
            command=AgreeFgcPlan,
            roles=_REFERRER,
            stages=(FgcStage.PLAN_AGREEMENT,),
            once=False,
            rationale_when="when the plan is not agreed",
            title="Agree the family's plan (or say why not)",
            help="The referrer agrees the plan, or says why it places the child at risk and the family revises it.",
        ),
        DecisionDescription(
            name="record_fgc_child_voice",
            command=RecordFgcChildVoice,
            roles=_EITHER,
            stages=COORDINATED,
            once=False,
            label="Record the child's voice",
            help="The child's own words, or through their advocate.",
        ),
        DecisionDescription(
            name="record_fgc_review",
            command=RecordFgcReview,
            roles=_COORDINATOR,
            stages=(FgcStage.REVIEW,),
            title="Hold the review meeting",
            help="The review meeting with the family: whether the plan is working; the process closes.",
        ),
        DecisionDescription(
            name="withdraw_fgc_consent",
            command=WithdrawFgcConsent,
            roles=_EITHER,
            stages=BEFORE_THE_PLAN,
            label="Record the family's withdrawal of consent",
            help="The family withdraws its consent: the process closes and everyone invited is told.",
        ),
        reassign(ReassignToFgcCoordinator, COORDINATED, who="independent coordinator"),
    ),
)
