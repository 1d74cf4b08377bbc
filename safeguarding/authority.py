"""Who may make each human decision: the one table the workflows' validators and the work tray read.

Keyed by the decision's name, which is also the Update's name on the workflow. Sources: statutory-rules.md
§2 (the manager decides the front-door response and records a consent override), §3 (the manager
authorises an assessment; the social worker and the health practitioner run the joint visit).
"""

from __future__ import annotations

from safeguarding.codes import Role

_SW, _TM, _EDT = Role.SOCIAL_WORKER, Role.TEAM_MANAGER, Role.EDT_WORKER
_HEALTH = (Role.HEALTH_VISITOR, Role.MIDWIFE)

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
    # -- strategy discussion, s47 enquiry, initial conference (issue 3; §4, §5) --
    # -- child protection plan and review conferences (issue 3; §5) --
    # -- LADO (issue 4; §6) --
    # -- family group conference (issue 5; §7) --
    # -- professional disagreement (issue 6; §8) --
}


def roles_for(decision: str) -> tuple[Role, ...]:
    """Return the roles entitled to make `decision`."""
    return DECISION_ROLES[decision]
