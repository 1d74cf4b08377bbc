"""`/codec/decode`: the Temporal codec server protocol, so the Web UI and the CLI can show histories decrypted.

The protocol (Temporal's "remote codec"): the client POSTs a `Payloads` message as protobuf JSON
(`{"payloads": [{"metadata": {"encoding": "<base64>"}, "data": "<base64>"}]}`) to `<endpoint>/decode` with
an `X-Namespace` header, and gets the decoded payloads back in the same form. `make run` gives the dev
server's Web UI `--ui-codec-endpoint <api>/codec`; the CLI takes `--codec-endpoint <api>/codec --codec-auth
'Bearer sgw_...'`. The credential is the API's; the role check and the access log are the service layer's
(`safeguarding.service.payloads`). There is no `/encode`: nothing here needs to write a payload.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Sequence
from typing import Annotated

from fastapi import APIRouter, Header
from pydantic import BaseModel, Field
from starlette.middleware.cors import CORSMiddleware
from starlette.types import ASGIApp, Receive, Scope, Send
from temporalio.api.common.v1 import Payload

from safeguarding.api import CODEC_PATH
from safeguarding.api.deps import PrincipalDep, ServicesDep
from safeguarding.config import Settings
from safeguarding.service import payloads as payload_service
from safeguarding.service.errors import Invalid

router = APIRouter(prefix=CODEC_PATH, tags=["operations"])


class JsonPayload(BaseModel):
    """One Temporal payload in protobuf JSON: each metadata value and the data are base64."""

    metadata: dict[str, str] = Field(default_factory=dict)
    data: str = ""


class JsonPayloads(BaseModel):
    """A `Payloads` message in protobuf JSON."""

    payloads: list[JsonPayload] = Field(default_factory=list)


def _from_json(payload: JsonPayload, index: int) -> Payload:
    try:
        return Payload(
            metadata={key: base64.b64decode(value, validate=True) for key, value in payload.metadata.items()},
            data=base64.b64decode(payload.data, validate=True),
        )
    except (binascii.Error, ValueError):
        raise Invalid(f"payloads[{index}]: metadata values and data must be base64", field="payloads") from None


def _to_json(payload: Payload) -> JsonPayload:
    return JsonPayload(
        metadata={key: base64.b64encode(value).decode() for key, value in payload.metadata.items()},
        data=base64.b64encode(payload.data).decode(),
    )


@router.post("/decode")
async def decode(
    body: JsonPayloads,
    services: ServicesDep,
    principal: PrincipalDep,
    x_namespace: Annotated[str | None, Header(description="The Temporal namespace the payloads are from.")] = None,
    x_workflow_id: Annotated[
        str | None, Header(description="The workflow they are from, when the client knows it (logged).")
    ] = None,
) -> JsonPayloads:
    """Return the payloads decrypted (Temporal's codec server protocol), for the roles that read cases.

    Every decode is logged with who asked, the namespace, the workflow if named and the key ids: ids only.
    """
    encoded = [_from_json(payload, index) for index, payload in enumerate(body.payloads)]
    decoded = await payload_service.decode_payloads(
        services, principal, encoded, namespace=x_namespace, workflow_id=x_workflow_id
    )
    return JsonPayloads(payloads=[_to_json(payload) for payload in decoded])


class CodecCors:
    """Let the Temporal Web UI's origin, and no other, call `/codec/` from the browser, with credentials.

    The UI calls from its own origin (another port), sending the console's session cookie when its codec
    setting "include cross-origin credentials" is on. A JSON POST is always preflighted, so a page of any
    other origin can neither send a decode request with the cookie nor read an answer. Every other path of
    the app is left as it is: no CORS.
    """

    def __init__(self, app: ASGIApp, *, origins: Sequence[str]) -> None:
        self.app = app
        self.cors = CORSMiddleware(
            app,
            allow_origins=list(origins),
            allow_credentials=True,
            allow_methods=["POST"],
            allow_headers=["Authorization", "Content-Type", "X-Namespace", "X-Workflow-Id"],
            max_age=600,
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and str(scope["path"]).startswith(CODEC_PATH + "/"):
            await self.cors(scope, receive, send)
        else:
            await self.app(scope, receive, send)


def ui_origins(settings: Settings) -> list[str]:
    """Return the Web UI origins allowed to call the codec server: the setting's, else the dev server's UI."""
    if settings.temporal_ui_origins:
        return list(settings.temporal_ui_origins)
    host = settings.temporal_address.rpartition(":")[0] or "127.0.0.1"
    return [f"http://{host}:{settings.temporal_ui_port}"]
