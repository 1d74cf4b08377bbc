"""Groups of roles that several decisions share, and who may raise a professional disagreement.

A leaf (it imports only the codes): the procedure profile checks its disagreement stages against
`DISAGREEMENT_DECIDERS`, and the profile is imported by the models every description's commands use.
"""

from __future__ import annotations

from safeguarding.codes import Role

HEALTH = (Role.HEALTH_VISITOR, Role.MIDWIFE)
"""Who joins a joint visit from health: the health visitor, or the midwife before birth (§3)."""

CASE_MANAGERS = (Role.TEAM_MANAGER, Role.SERVICE_MANAGER)
"""Who manages the children's social care work of a process, and so may reassign it."""

DISAGREEMENT_DECIDERS = (
    Role.SOCIAL_WORKER,
    *HEALTH,
    Role.POLICE_OFFICER,
    Role.SCHOOL_SAFEGUARDING_LEAD,
    Role.TEAM_MANAGER,
    Role.SERVICE_MANAGER,
    Role.PARTNERSHIP_CHAIR,
    Role.DESIGNATED_PROFESSIONAL,
)
"""The ceiling of who may decide a professional disagreement (§8): the profile names who, at each stage."""

DISAGREEMENT_RAISERS = (
    Role.SOCIAL_WORKER,
    Role.TEAM_MANAGER,
    Role.SERVICE_MANAGER,
    Role.EDT_WORKER,
    *HEALTH,
    Role.POLICE_OFFICER,
    Role.SCHOOL_SAFEGUARDING_LEAD,
    Role.SUPPORT_WORKER,
    Role.CONFERENCE_CHAIR,
    Role.FGC_COORDINATOR,
    Role.LADO,
)
"""Who may raise a professional disagreement (§8): any professional taking part in a child's case."""
