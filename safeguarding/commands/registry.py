"""Which command model each decision takes, and which process takes it: one map from an Update's name.

Keyed like `safeguarding.authority.DECISION_ROLES`, so every decision that has roles has a model; the
application layer validates a body against it, and sends it only to a process that takes it, before
anything reaches a workflow. Each decision is an Update of one process's workflow
(tests/safeguarding/test_command_registry.py holds this map to the workflows' definitions).
"""

from __future__ import annotations

from safeguarding.codes import Process
from safeguarding.commands import Decision, fgc, lado
from safeguarding.commands.assessment import (
    Allocate,
    Authorise,
    RecordBackgroundReview,
    RecordChildSeen,
    RecordDebrief,
    RecordEmergencyAction,
    RecordFamilyTold,
    RecordPreMeet,
    RecordVisit,
    ReturnAssessment,
    SubmitAssessment,
)
from safeguarding.commands.conference import AgreeDelay, DecideConference, RecordReportsShared, ScheduleConference
from safeguarding.commands.cp_plan import (
    DecideReview,
    EndWithoutConference,
    RecordBirth,
    RecordCoreGroup,
    RecordReviewReportsShared,
    ScheduleReview,
)
from safeguarding.commands.disagreement import EscalateDisagreement, ResolveDisagreement
from safeguarding.commands.front_door import DecideContact, DecideOutOfHours, OverrideConsent, RecordConsent
from safeguarding.commands.strategy_discussion import (
    ConcludeEnquiry,
    DecideStrategy,
    RecordCirculated,
    RecordDiscussion,
)

DECISIONS_OF: dict[Process, dict[str, type[Decision]]] = {
    # Front door (statutory-rules.md §2).
    Process.FRONT_DOOR: {
        "record_consent": RecordConsent,
        "override_consent": OverrideConsent,
        "decide_contact": DecideContact,
        "decide_out_of_hours": DecideOutOfHours,
    },
    # Child and family assessment (§3).
    Process.ASSESSMENT: {
        "allocate": Allocate,
        "record_child_seen": RecordChildSeen,
        "record_emergency_action": RecordEmergencyAction,
        "submit_assessment": SubmitAssessment,
        "return_assessment": ReturnAssessment,
        "authorise": Authorise,
    },
    # Joint visit (§3).
    Process.JOINT_VISIT: {
        "record_family_told": RecordFamilyTold,
        "record_background_review": RecordBackgroundReview,
        "record_pre_meet": RecordPreMeet,
        "record_visit": RecordVisit,
        "record_debrief": RecordDebrief,
    },
    # Strategy discussion, section 47 enquiry, initial conference (§4, §5).
    Process.STRATEGY_DISCUSSION: {
        "record_discussion": RecordDiscussion,
        "decide_strategy": DecideStrategy,
        "record_circulated": RecordCirculated,
    },
    Process.S47_ENQUIRY: {"conclude_enquiry": ConcludeEnquiry},
    Process.INITIAL_CONFERENCE: {
        "schedule_conference": ScheduleConference,
        "agree_delay": AgreeDelay,
        "record_reports_shared": RecordReportsShared,
        "decide_conference": DecideConference,
    },
    # Child protection plan and review conferences (§5).
    Process.CP_PLAN: {
        "record_core_group": RecordCoreGroup,
        "schedule_review": ScheduleReview,
        "record_review_reports_shared": RecordReviewReportsShared,
        "decide_review": DecideReview,
        "record_birth": RecordBirth,
        "end_without_conference": EndWithoutConference,
    },
    # LADO: allegations against people who work with children (§6).
    Process.LADO: {
        "respond_to_notification": lado.RespondToNotification,
        "consider_allegation": lado.ConsiderAllegation,
        "record_allegation_meeting": lado.RecordAllegationMeeting,
        "record_police_investigation": lado.RecordPoliceInvestigation,
        "record_employer_action": lado.RecordEmployerAction,
        "record_allegation_outcome": lado.RecordAllegationOutcome,
        "record_barring_referral": lado.RecordBarringReferral,
    },
    # Family group conference (§7).
    Process.FGC: {
        "refer_to_fgc": fgc.ReferToFgc,
        "record_fgc_consent": fgc.RecordFgcConsent,
        "agree_fgc_referral": fgc.AgreeFgcReferral,
        "allocate_fgc_coordinator": fgc.AllocateFgcCoordinator,
        "record_fgc_first_contact": fgc.RecordFgcFirstContact,
        "record_fgc_baseline_meeting": fgc.RecordFgcBaselineMeeting,
        "invite_fgc_participants": fgc.InviteFgcParticipants,
        "arrange_fgc_conference": fgc.ArrangeFgcConference,
        "record_fgc_conference_stage": fgc.RecordFgcConferenceStage,
        "submit_fgc_plan": fgc.SubmitFgcPlan,
        "agree_fgc_plan": fgc.AgreeFgcPlan,
        "record_fgc_child_voice": fgc.RecordFgcChildVoice,
        "record_fgc_review": fgc.RecordFgcReview,
        "withdraw_fgc_consent": fgc.WithdrawFgcConsent,
    },
    # Professional disagreement (§8): who may decide at each stage is the profile's (within authority.py's).
    Process.DISAGREEMENT: {
        "resolve_disagreement": ResolveDisagreement,
        "escalate_disagreement": EscalateDisagreement,
    },
}
"""Each process's decisions, with the command model each takes."""

COMMANDS: dict[str, type[Decision]] = {
    decision: model for decisions in DECISIONS_OF.values() for decision, model in decisions.items()
}
"""Every decision's command model, by the decision's (the Update's) name."""

PROCESS_OF: dict[str, Process] = {
    decision: process for process, decisions in DECISIONS_OF.items() for decision in decisions
}
"""The process each decision is made on."""
