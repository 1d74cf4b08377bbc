"""A decision's body, checked against its command model before anything reaches a workflow.

The body is the decision's own fields (`safeguarding.commands.registry.COMMANDS`); who decides is added
from the credential, never taken from the body. A body that does not fit is pydantic's ValidationError,
each entry point's 422; `body_problem` says it on one line, with the codes a coded field takes when words
were given for one (`safeguarding.commands.coded_fields`: `NEG`, not "neglect").
"""

from __future__ import annotations

from functools import cache
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError, create_model

from safeguarding.authority import roles_for
from safeguarding.commands import Decision
from safeguarding.commands.coded_fields import codes_at, describe_codes
from safeguarding.commands.registry import COMMANDS
from safeguarding.models import Actor
from safeguarding.service.errors import describe_validation


def build_command(decision: str, body: dict[str, Any], actor: Actor, model: type[Decision] | None = None) -> Decision:
    """Return the command of `decision` (as `model`, a process's own, when given) from the body and the actor.

    A body that does not fit raises ValidationError.
    """
    return (model or COMMANDS[decision]).model_validate({**body, "actor": actor})


def body_problem(decision: str, exc: ValidationError) -> str:
    """Return why the body of `decision` was refused, naming its model, who decides it and each field's problem."""
    model = COMMANDS[decision]
    roles = " or ".join(roles_for(decision))
    codes = "".join(
        f"; {'.'.join(str(part) for part in error['loc'])} takes {describe_codes(coded)}"
        for error in exc.errors()
        if (coded := codes_at(model, error["loc"])) is not None
    )
    return f"the {decision} body is not valid ({model.__name__}, decided by {roles}): {describe_validation(exc)}{codes}"


@cache
def body_model(command: type[Decision]) -> type[BaseModel]:
    """Return the body model of `command` (its fields but `actor`, unknown fields forbidden): the API's schema.

    The command's own validators run when `build_command` makes the command from the body, so what this
    model lets through is still checked in full before anything reaches a workflow.
    """
    fields: dict[str, Any] = {
        name: (field.annotation, field) for name, field in command.model_fields.items() if name != "actor"
    }
    return create_model(
        f"{command.__name__}Body",
        __config__=ConfigDict(extra="forbid", title=f"{command.__name__}Body"),
        __doc__=command.__doc__,
        **fields,
    )
