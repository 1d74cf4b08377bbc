"""Which command model each decision takes: the one map from an Update's name to its pydantic model.

Derived from the processes' descriptions (`safeguarding.descriptions`) and keyed like
`safeguarding.authority.DECISION_ROLES`; the command line and the console validate a body against it before
anything reaches a workflow.
"""

from __future__ import annotations

from safeguarding.commands import Decision
from safeguarding.descriptions.registry import commands

COMMANDS: dict[str, type[Decision]] = commands()
