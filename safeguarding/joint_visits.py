"""The rules of joint visits for children under 5 and unborn (statutory-rules.md §3, Norfolk procedure)."""

from __future__ import annotations

from safeguarding.codes import AgeBand, LeadPractitioner, Role


def needs_joint_visit(age_band: AgeBand) -> bool:
    """Return whether the assessment is done jointly with health: a child under 5 or unborn."""
    return age_band in (AgeBand.UNBORN, AgeBand.UNDER_FIVE)


def health_role_for(age_band: AgeBand) -> Role:
    """Return who joins from health: the midwife before birth, the health visitor after."""
    return Role.MIDWIFE if age_band is AgeBand.UNBORN else Role.HEALTH_VISITOR


def lead_practitioner(*, social_worker_knows_family: bool, health_knows_family: bool) -> LeadPractitioner:
    """Return who leads the visit: whoever knows the family; if neither (or both) does, the social worker.

    The reference names the lead as "whoever knows the family; if neither does, the social worker
    leads". Where both know the family the social worker leads, since the social worker produces the
    assessment.
    """
    if health_knows_family and not social_worker_knows_family:
        return LeadPractitioner.HEALTH_PRACTITIONER
    return LeadPractitioner.SOCIAL_WORKER
