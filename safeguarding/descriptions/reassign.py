"""The reassignment, described for each process: the one decision every process takes (statutory-rules.md §1).

A manager names who is now responsible: reminders of the process's deadlines go to them from then on, and
a process that keeps its own assignee (the assessment's social worker, the conference's coordinator) moves
its tasks to them. Any number of times, always with the reason.
"""

from __future__ import annotations

from enum import StrEnum

from safeguarding.codes import Role
from safeguarding.commands.reassign import Reassign
from safeguarding.descriptions.description import DecisionDescription
from safeguarding.descriptions.roles import CASE_MANAGERS

REASSIGN = "reassign"


def reassign(
    command: type[Reassign], stages: tuple[StrEnum, ...], *, who: str, roles: tuple[Role, ...] = CASE_MANAGERS
) -> DecisionDescription:
    """Return the reassignment of a process whose responsible person is `who`, possible at `stages`."""
    return DecisionDescription(
        name=REASSIGN,
        command=command,
        roles=roles,
        stages=stages,
        help=f"Name the {who} now responsible: reminders go to them from then on. Say why.",
        once=False,
        rationale_required=True,
        label=f"Reassign to another {who}",
    )
