"""The reassignment every process takes: a manager names who now does its work (statutory-rules.md §1).

Reminders go to whoever is responsible for a process; when that person changes (leave, a move of team, a
caseload rebalanced) the manager names the new one, with the reason. Each process names someone in the
role its work needs, so each has its own command; `Reassign` is what they share, and what the Update takes.
"""

from __future__ import annotations

from safeguarding.commands import Decision
from safeguarding.named_practitioners import (
    FgcCoordinatorId,
    LadoId,
    ManagerId,
    ResponsibleId,
    SocialWorkerId,
    TeamManagerId,
)


class Reassign(Decision):
    """A manager names who is now responsible for the process; the rationale is the reason, and is required."""

    practitioner_id: ResponsibleId


class ReassignToSocialWorker(Reassign):
    """Reassign the social worker who does the work: the assessment, a joint visit, an enquiry, a plan."""

    practitioner_id: SocialWorkerId


class ReassignToTeamManager(Reassign):
    """Reassign the team manager who sees the decision through: a contact, a strategy discussion."""

    practitioner_id: TeamManagerId


class ReassignToManager(Reassign):
    """Reassign the manager who sees a professional disagreement through its stages."""

    practitioner_id: ManagerId


class ReassignToLado(Reassign):
    """Reassign the LADO who manages the allegation."""

    practitioner_id: LadoId


class ReassignToFgcCoordinator(Reassign):
    """Reassign the family group conference's independent coordinator."""

    practitioner_id: FgcCoordinatorId
