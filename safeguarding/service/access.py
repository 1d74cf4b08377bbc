"""Who is acting, and what their role and team entitle them to: checked before anything reaches a workflow.

The acting person is a `Principal`, made from a credential (a bearer token, a console session, the command
line's `--actor`, later the council's single sign-on) and the case store's record of the practitioner: their
role and team are read there, never taken from a request. The workflows' validators stay as the second line.

Teams (statutory-rules.md §1: a manager sees each team's work): a team-bound role (social worker, support
worker, business support, team manager) acts and reads only on its own team's cases. The roles whose work
spans teams are listed in `SPANS_TEAMS`; the partner agencies' practitioners (health, police, schools, the
partnership) act on the decisions named for their role, on any team's case, but read no case. Every
refusal is logged with who, what and why — ids and codes only.

Reads beyond a case: a practitioner's own work tray is theirs to read, whatever their role; a team's tray
is read by that team's manager and by the roles that span teams (`READS_TEAM_TRAY`). The partnership's
escalation log (statutory-rules.md §8: the partnership keeps a log of escalations, and the managers of
stages 2 and 3 decide them) is read by the partnership's chair and designated professionals, the
service managers, and a team manager for their own team's lines (`READS_ESCALATION_LOG`). The LADO's
caseload and resolution targets (§6) are read by the LADO, the LADO's manager and the service manager
(`READS_LADO_REPORT`). The timeliness report (§9: the indicators the authority is inspected on) is read by
the service managers, for the authority or any team, and by a team manager for their own team only
(`READS_TIMELINESS`): it is a manager's view of performance, so practitioners, the chairs and the partner
agencies do not read it. The managers' workload (each team's and each worker's overdue and due work) is
read by the same managers on the same terms (`READS_WORKLOAD`). The due-date calculator is for any active
practitioner.

People (children, their family) are seen through their cases: a team-bound reader sees someone on one of
their team's cases, or on no case yet; the front door's roles (`RECORDS_PEOPLE`) register children and
correct people's details. The administrator (`ADMINISTERS`) manages teams and practitioners and reads no case.
"""

from __future__ import annotations

import logging
from collections.abc import Collection
from dataclasses import dataclass

from safeguarding.codes import Role
from safeguarding.descriptions.roles import CASE_MANAGERS
from safeguarding.models import Actor
from safeguarding.service.errors import Invalid, Refused

log = logging.getLogger("safeguarding.refusals")

TEAM_BOUND: frozenset[Role] = frozenset(
    {Role.SOCIAL_WORKER, Role.SUPPORT_WORKER, Role.BUSINESS_SUPPORT, Role.TEAM_MANAGER}
)
"""Roles that act and read only on their own team's cases."""

SPANS_TEAMS: frozenset[Role] = frozenset(
    {Role.SERVICE_MANAGER, Role.EDT_WORKER, Role.CONFERENCE_CHAIR, Role.LADO, Role.LADO_MANAGER}
)
"""Roles whose work spans teams: the head of service, the out-of-hours team, the independent chairs, the LADO."""

READS_CASES: frozenset[Role] = TEAM_BOUND | SPANS_TEAMS
"""Roles that may read a child's case (their own team's, or any for `SPANS_TEAMS`)."""

MANAGES: frozenset[Role] = frozenset(CASE_MANAGERS)
"""Roles that may hand a child's case to another social worker (a team manager their own team's; a service
manager any): the managers of children's social care work, who reassign its processes too
(`descriptions.roles.CASE_MANAGERS`). The LADO manager reassigns the LADO's own work, not a child's case."""

READS_TEAM_TRAY: frozenset[Role] = frozenset({Role.TEAM_MANAGER}) | SPANS_TEAMS
"""Roles that may read a team's work tray (a team manager their own team's; the others any)."""

READS_ESCALATION_LOG: frozenset[Role] = frozenset(
    {Role.PARTNERSHIP_CHAIR, Role.DESIGNATED_PROFESSIONAL, Role.SERVICE_MANAGER, Role.TEAM_MANAGER}
)
"""Roles that may read the partnership's escalation log (§8); a team manager sees their own team's lines."""

READS_LADO_REPORT: frozenset[Role] = frozenset({Role.LADO, Role.LADO_MANAGER, Role.SERVICE_MANAGER})
"""Roles that may read the LADO's caseload and resolution targets (§6)."""

READS_CENSUS: frozenset[Role] = frozenset({Role.SERVICE_MANAGER})
"""Roles that may export the Children in Need census (§9): every child's identifiers, so the head of service only."""

READS_TIMELINESS: frozenset[Role] = frozenset({Role.SERVICE_MANAGER, Role.TEAM_MANAGER})
"""Roles that may read the timeliness report (§9); a team manager reads their own team's only."""

READS_WORKLOAD: frozenset[Role] = frozenset({Role.SERVICE_MANAGER, Role.TEAM_MANAGER})
"""Roles that may read the managers' dashboard of overdue and due work (§1: a manager sees each team's work) and
its timeliness charts; a team manager reads their own team's, the service manager (head of service) every team's."""

RECORDS_PEOPLE: frozenset[Role] = frozenset(
    {Role.SOCIAL_WORKER, Role.TEAM_MANAGER, Role.BUSINESS_SUPPORT, Role.EDT_WORKER, Role.SERVICE_MANAGER}
)
"""Roles that register a child and family, open the child's case and correct people's details: the front door's.

The duty social worker and their manager take contacts (statutory-rules.md §2), business support enters them,
the Emergency Duty Team takes them out of hours (§1) and the head of service oversees the front door. A support
worker works on cases others opened; the chairs, the coordinator and the LADO record only what their process
needs, through it.
"""

DECODES_PAYLOADS: frozenset[Role] = READS_CASES
"""Roles that may read Temporal's histories decrypted (the codec server behind the Web UI and the CLI).

A history holds case facts, so the roles that read cases; but the Web UI names no workflow when it asks for
a decode, so no team can be checked: a team-bound reader decodes what the UI shows them. Partner agencies
and the administrator, who read no case, are refused."""

ADMINISTERS: frozenset[Role] = frozenset({Role.ADMINISTRATOR})
"""Roles that manage teams, practitioners and their roles; they read no child's case."""


@dataclass(frozen=True)
class Principal:
    """The practitioner a credential stands for, as the case store knows them now (active ones only)."""

    practitioner_id: str
    role: Role
    team_id: str

    @property
    def actor(self) -> Actor:
        """The actor a decision this person makes carries into the workflow."""
        return Actor(practitioner_id=self.practitioner_id, role=self.role, team_id=self.team_id)

    def spans_teams(self) -> bool:
        """Whether this person's role works across every team."""
        return self.role in SPANS_TEAMS


def refuse(principal: Principal, action: str, reason: str, *, target: str | None = None) -> Refused:
    """Log a refusal (who, what, on what, why: ids only) and return the error to raise."""
    log.warning(
        "refused %s by %s (%s, team %s) on %s: %s",
        action,
        principal.practitioner_id,
        principal.role,
        principal.team_id,
        target or "-",
        reason,
    )
    return Refused(reason)


def require_role(
    principal: Principal, action: str, roles: frozenset[Role] | tuple[Role, ...], *, target: str | None = None
) -> None:
    """Refuse unless the principal holds one of `roles`."""
    if principal.role not in roles:
        needed = " or ".join(sorted(str(role) for role in roles))
        raise refuse(
            principal,
            action,
            f"a {principal.role} may not {action.replace('_', ' ')}; it needs {needed}",
            target=target,
        )


def require_team(principal: Principal, action: str, team_id: str, *, target: str | None = None) -> None:
    """Refuse a team-bound principal acting on another team's work."""
    if principal.role in TEAM_BOUND and principal.team_id != team_id:
        raise refuse(
            principal,
            action,
            f"this is team {team_id}'s work; {principal.practitioner_id} is in team {principal.team_id}",
            target=target,
        )


def require_case_reader(principal: Principal, team_id: str, *, target: str | None = None) -> None:
    """Refuse reading a case unless the principal is in its team or holds a role that spans teams."""
    require_role(principal, "read_case", READS_CASES, target=target)
    if principal.role not in SPANS_TEAMS:
        require_team(principal, "read_case", team_id, target=target)


def require_person_reader(
    principal: Principal, team_ids: Collection[str], *, action: str = "read_person", target: str | None = None
) -> None:
    """Refuse unless the principal may read cases and sees the person on one: `team_ids` are the teams of their cases.

    A team-bound reader sees someone on one of their team's cases, or on none yet (being registered); the
    roles that span teams see everyone.
    """
    require_role(principal, action, READS_CASES, target=target)
    require_person_team(principal, team_ids, action=action, target=target)


def require_person_team(
    principal: Principal, team_ids: Collection[str], *, action: str, target: str | None = None
) -> None:
    """Refuse a team-bound principal acting on someone who is on cases of other teams only."""
    if principal.role in TEAM_BOUND and team_ids and principal.team_id not in team_ids:
        raise refuse(
            principal,
            action,
            f"{target or 'this person'} is on no case of team {principal.team_id}",
            target=target,
        )


def team_for_new_case(principal: Principal, team_id: str | None) -> str:
    """Return the team a case the principal opens belongs to: their own, or the one named by a role spanning teams.

    A team-bound practitioner opens cases for their own team only; the Emergency Duty Team and the head of
    service work across teams, so they say which team takes the case.
    """
    if principal.role in SPANS_TEAMS:
        if team_id is None:
            raise Invalid(f"a {principal.role} works across teams: name the team the case belongs to", field="team_id")
        return team_id
    require_team(principal, "open_case", team_id or principal.team_id, target=team_id)
    return principal.team_id
