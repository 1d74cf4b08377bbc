"""The request body of each decision: its command model without `actor`, derived, never written by hand.

Who decides comes from the credential, so the body a caller sends is the decision's command model
(`safeguarding.commands.registry.COMMANDS`) less its `actor`; a body that names one is refused as an
unknown field. The command's own validators run when the application layer builds the command, so what
the body model lets through is still checked in full before anything reaches a workflow.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from pydantic import BaseModel, ConfigDict, create_model

from safeguarding.commands import Decision


@cache
def body_model(command: type[Decision]) -> type[BaseModel]:
    """Return the request body model of `command`: its fields but `actor`, unknown fields forbidden."""
    fields: dict[str, Any] = {
        name: (field.annotation, field) for name, field in command.model_fields.items() if name != "actor"
    }
    return create_model(
        f"{command.__name__}Body",
        __config__=ConfigDict(extra="forbid", title=f"{command.__name__}Body"),
        __doc__=command.__doc__,
        **fields,
    )
