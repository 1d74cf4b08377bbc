"""Which command model each decision takes: the one map from an Update's name to its pydantic model.

Keyed like `safeguarding.authority.DECISION_ROLES`, so every decision that has roles has a model; the
command line and the console validate a body against it before anything reaches a workflow.
"""

from __future__ import annotations

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

COMMANDS: dict[str, type[Decision]] = {
    # Front door (statutory-rules.md §2).
    "record_consent": RecordConsent,
    "override_consent": OverrideConsent,
    "decide_contact": DecideContact,
    "decide_out_of_hours": DecideOutOfHours,
    # Child and family assessment (§3).
    "allocate": Allocate,
    "record_child_seen": RecordChildSeen,
    "record_emergency_action": RecordEmergencyAction,
    "submit_assessment": SubmitAssessment,
    "return_assessment": ReturnAssessment,
    "authorise": Authorise,
    # Joint visit (§3).
    "record_family_told": RecordFamilyTold,
    "record_background_review": RecordBackgroundReview,
    "record_pre_meet": RecordPreMeet,
    "record_visit": RecordVisit,
    "record_debrief": RecordDebrief,
    # Strategy discussion, section 47 enquiry, initial conference (§4, §5).
    "record_discussion": RecordDiscussion,
    "decide_strategy": DecideStrategy,
    "record_circulated": RecordCirculated,
    "conclude_enquiry": ConcludeEnquiry,
    "schedule_conference": ScheduleConference,
    "agree_delay": AgreeDelay,
    "record_reports_shared": RecordReportsShared,
    "decide_conference": DecideConference,
    # Child protection plan and review conferences (§5).
    "record_core_group": RecordCoreGroup,
    "schedule_review": ScheduleReview,
    "record_review_reports_shared": RecordReviewReportsShared,
    "decide_review": DecideReview,
    "record_birth": RecordBirth,
    "end_without_conference": EndWithoutConference,
    # LADO: allegations against people who work with children (§6).
    "respond_to_notification": lado.RespondToNotification,
    "consider_allegation": lado.ConsiderAllegation,
    "record_allegation_meeting": lado.RecordAllegationMeeting,
    "record_police_investigation": lado.RecordPoliceInvestigation,
    "record_employer_action": lado.RecordEmployerAction,
    "record_allegation_outcome": lado.RecordAllegationOutcome,
    "record_barring_referral": lado.RecordBarringReferral,
    # Family group conference (§7).
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
    # Professional disagreement (§8): who may decide at each stage is the profile's (within authority.py's).
    "resolve_disagreement": ResolveDisagreement,
    "escalate_disagreement": EscalateDisagreement,
}
