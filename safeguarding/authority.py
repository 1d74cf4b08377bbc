"""Who may make each human decision: the one table the workflows' validators and the work tray read.

Keyed by the decision's name, which is also the Update's name on the workflow. Sources: statutory-rules.md
§2 (the manager decides the front-door response and records a consent override), §3 (the manager
authorises an assessment; the social worker and the health practitioner run the joint visit).
"""

from __future__ import annotations

from datetime import datetime

from safeguarding.codes import Role
from safeguarding.working_days import describe_day, local_date

_SW, _TM, _EDT = Role.SOCIAL_WORKER, Role.TEAM_MANAGER, Role.EDT_WORKER
_HEALTH = (Role.HEALTH_VISITOR, Role.MIDWIFE)
_PARTNER_PRACTITIONERS = (Role.POLICE_OFFICER, Role.SCHOOL_SAFEGUARDING_LEAD)
_DISAGREEMENT_DECIDERS = (
    _SW,
    *_HEALTH,
    *_PARTNER_PRACTITIONERS,
    _TM,
    Role.SERVICE_MANAGER,
    Role.PARTNERSHIP_CHAIR,
    Role.DESIGNATED_PROFESSIONAL,
)

DECISION_ROLES: dict[str, tuple[Role, ...]] = {
    # Front door (§2).
    "record_consent": (_SW, _TM),
    "override_consent": (_TM,),
    "decide_contact": (_TM,),
    "decide_out_of_hours": (_EDT,),
    # Child and family assessment (§3).
    "allocate": (_TM,),
    "record_child_seen": (_SW,),
    "record_emergency_action": (_SW, _TM),
    "submit_assessment": (_SW,),
    "return_assessment": (_TM,),
    "authorise": (_TM,),
    # Joint visit (§3).
    "record_family_told": (_SW,),
    "record_background_review": (_SW, *_HEALTH),
    "record_pre_meet": (_SW, *_HEALTH),
    "record_visit": (_SW, *_HEALTH),
    "record_debrief": (_SW, *_HEALTH),
    # -- strategy discussion, s47 enquiry, initial conference (§4, §5) --
    "record_discussion": (_TM, _SW),
    "decide_strategy": (_TM,),
    "record_circulated": (_TM, _SW, Role.BUSINESS_SUPPORT),
    "conclude_enquiry": (_TM,),
    "schedule_conference": (_TM, Role.BUSINESS_SUPPORT, Role.CONFERENCE_CHAIR),
    "agree_delay": (_TM, Role.CONFERENCE_CHAIR),
    "record_reports_shared": (_SW,),
    "decide_conference": (Role.CONFERENCE_CHAIR,),
    # -- child protection plan and review conferences (§5) --
    "record_core_group": (_SW, _TM),
    "schedule_review": (Role.CONFERENCE_CHAIR, _TM),
    "record_review_reports_shared": (_SW, _TM),
    "decide_review": (Role.CONFERENCE_CHAIR,),
    "record_birth": (_SW, _TM),
    "end_without_conference": (_TM, Role.SERVICE_MANAGER),
    # -- LADO (§6) --
    # The LADO decides and records; their manager may act for them. The employer's actions are recorded by
    # the LADO as the employer reports them: the person the allegation is about never takes part.
    "respond_to_notification": (Role.LADO, Role.LADO_MANAGER),
    "consider_allegation": (Role.LADO, Role.LADO_MANAGER),
    "record_allegation_meeting": (Role.LADO, Role.LADO_MANAGER),
    "record_police_investigation": (Role.LADO, Role.LADO_MANAGER),
    "record_employer_action": (Role.LADO, Role.LADO_MANAGER),
    "record_allegation_outcome": (Role.LADO, Role.LADO_MANAGER),
    "record_barring_referral": (Role.LADO, Role.LADO_MANAGER),
    # -- family group conference (§7) --
    # The referrer (a social worker or support worker) refers, records the family's consent and agrees or
    # not the family's plan; their manager agrees the referral and allocates an independent coordinator,
    # who runs everything else.
    "refer_to_fgc": (Role.SOCIAL_WORKER, Role.SUPPORT_WORKER),
    "record_fgc_consent": (Role.SOCIAL_WORKER, Role.SUPPORT_WORKER),
    "agree_fgc_referral": (Role.TEAM_MANAGER,),
    "allocate_fgc_coordinator": (Role.TEAM_MANAGER,),
    "record_fgc_first_contact": (Role.FGC_COORDINATOR,),
    "record_fgc_baseline_meeting": (Role.FGC_COORDINATOR,),
    "invite_fgc_participants": (Role.FGC_COORDINATOR,),
    "arrange_fgc_conference": (Role.FGC_COORDINATOR,),
    "record_fgc_conference_stage": (Role.FGC_COORDINATOR,),
    "submit_fgc_plan": (Role.FGC_COORDINATOR,),
    "agree_fgc_plan": (Role.SOCIAL_WORKER, Role.SUPPORT_WORKER),
    "record_fgc_child_voice": (Role.FGC_COORDINATOR, Role.SOCIAL_WORKER, Role.SUPPORT_WORKER),
    "record_fgc_review": (Role.FGC_COORDINATOR,),
    "withdraw_fgc_consent": (Role.FGC_COORDINATOR, Role.SOCIAL_WORKER, Role.SUPPORT_WORKER),
    # -- professional disagreement (§8) --
    # The ceiling: the profile names which of these decide at each stage (`[disagreement]`).
    "resolve_disagreement": _DISAGREEMENT_DECIDERS,
    "escalate_disagreement": _DISAGREEMENT_DECIDERS,
}

DISAGREEMENT_RAISERS: tuple[Role, ...] = (
    _SW,
    _TM,
    Role.SERVICE_MANAGER,
    _EDT,
    *_HEALTH,
    *_PARTNER_PRACTITIONERS,
    Role.SUPPORT_WORKER,
    Role.CONFERENCE_CHAIR,
    Role.FGC_COORDINATOR,
    Role.LADO,
)
"""Who may raise a professional disagreement (§8): any professional taking part in a child's case."""


def roles_for(decision: str) -> tuple[Role, ...]:
    """Return the roles entitled to make `decision`."""
    return DECISION_ROLES[decision]


def already_decided(role: str, effective_at: datetime) -> str:
    """Return why a decision made once is refused again: "already decided by team_manager on Tue 1 Dec 2026".

    The process's validator and the command line (for a process that has finished) say it the same way.
    """
    return f"already decided by {role} on {describe_day(local_date(effective_at))}"
