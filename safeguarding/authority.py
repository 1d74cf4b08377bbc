"""Who may make each human decision: the table the command line, the API and the profile's checks read.

Derived from the processes' descriptions (`safeguarding.descriptions`), keyed by the decision's name, which
is also the Update's name on the workflow. A workflow's validator reads its own process's description, which
for a decision several processes take (the reassignment) may allow fewer roles than this table's union.
"""

from __future__ import annotations

from datetime import datetime

from safeguarding.codes import Role
from safeguarding.descriptions.registry import decision_roles
from safeguarding.descriptions.roles import DISAGREEMENT_RAISERS
from safeguarding.working_days import describe_day, local_date

__all__ = ["DECISION_ROLES", "DISAGREEMENT_RAISERS", "already_decided", "roles_for"]

DECISION_ROLES: dict[str, tuple[Role, ...]] = decision_roles()


def roles_for(decision: str) -> tuple[Role, ...]:
    """Return the roles entitled to make `decision` in some process."""
    return DECISION_ROLES[decision]


def already_decided(role: str, effective_at: datetime) -> str:
    """Return why a decision made once is refused again: "already decided by team_manager on Tue 1 Dec 2026".

    The process's validator and the command line (for a process that has finished) say it the same way.
    """
    return f"already decided by {role} on {describe_day(local_date(effective_at))}"
