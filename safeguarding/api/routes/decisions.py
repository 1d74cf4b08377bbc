"""One route per human decision, generated from the processes' descriptions: `POST /processes/{id}/decisions/{name}`.

The body is the decision's command model without its actor (`service.decision_bodies.body_model`); who
decides is the credential's practitioner. A new decision described for a process gets its route, its
schema in the OpenAPI document and its place in the role tests without any code here.
"""

# No `from __future__ import annotations`: FastAPI reads each generated route's body type from its signature.

from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from pydantic import BaseModel

from safeguarding.api.deps import PrincipalDep, ServicesDep
from safeguarding.api.idempotency import HEADER, once
from safeguarding.commands.registry import COMMANDS
from safeguarding.descriptions.registry import DESCRIPTIONS
from safeguarding.models import DecisionRecord
from safeguarding.service.decision_bodies import body_model
from safeguarding.service.decisions import make_decision

router = APIRouter(prefix="/processes", tags=["decisions"])


def _route(name: str, body_type: type[BaseModel]) -> Callable[..., Awaitable[Response]]:
    async def decide(
        workflow_id: str, body: BaseModel, request: Request, services: ServicesDep, principal: PrincipalDep
    ) -> Response:
        fields: dict[str, Any] = body.model_dump(exclude_unset=True)
        key = request.headers.get(HEADER)
        return await once(
            request,
            services,
            principal,
            lambda: make_decision(services, principal, workflow_id, name, fields, key),
            status_code=200,
        )

    decide.__annotations__["body"] = body_type  # the decision's own schema, for FastAPI and the OpenAPI document
    return decide


def _description(name: str) -> tuple[str, str]:
    """Return the decision's summary and description, from every process that takes it."""
    takers = [(process, d) for process, p in DESCRIPTIONS.items() for d in p.decisions if d.name == name]
    first = takers[0][1]
    lines = [first.help, ""]
    for process, decision in takers:
        roles = " or ".join(decision.roles)
        stages = ", ".join(decision.stages)
        once_only = "once" if decision.once else "as often as needed"
        lines.append(f"- {process}: by a {roles}, at {stages}, {once_only}")
    lines += [
        "",
        "A refusal by the process (wrong stage, already decided, a date before it became possible) is 409 with",
        "the process's own words; a role or team that may not make it is 403 before anything is sent.",
    ]
    return first.help, "\n".join(lines)


for _name in sorted({d.name for p in DESCRIPTIONS.values() for d in p.decisions}):
    _summary, _text = _description(_name)
    router.add_api_route(
        f"/{{workflow_id}}/decisions/{_name}",
        _route(_name, body_model(COMMANDS[_name])),
        methods=["POST"],
        response_model=DecisionRecord,
        summary=_summary,
        description=_text,
        operation_id=f"decide_{_name}",
    )
