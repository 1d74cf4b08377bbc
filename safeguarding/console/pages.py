"""What every signed-in page is given: the principal from the session, who they are, and their tray counts.

The console asks the identity seam (`safeguarding.api.identity.authenticate`) with its own authenticators
(the session cookie today; the council's single sign-on beside it later), never a bearer token: a browser
page is signed in by a session only. A request without a running session is sent to the sign-in page, and
comes back to where it was going once signed in.
"""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import quote

from fastapi import Depends, Request

from safeguarding.api.deps import ServicesDep
from safeguarding.api.identity import authenticate
from safeguarding.service import tray
from safeguarding.service.access import Principal
from safeguarding.service.errors import NotFound, Refused, Unauthenticated
from safeguarding.service.signed_in import describe_signed_in

SIGN_IN = "/console/sign-in"
HOME = "/console/tray"


class SignInNeeded(Exception):
    """The request has no running session: send the browser to sign in, then back to `next_path`."""

    def __init__(self, next_path: str) -> None:
        super().__init__(next_path)
        self.next_path = next_path


async def console_principal(request: Request, services: ServicesDep) -> Principal:
    """Return who is signed in; send anyone else to the sign-in page."""
    try:
        return await authenticate(request, services, request.app.state.console_authenticators)
    except (Unauthenticated, Refused, NotFound):
        raise SignInNeeded(
            safe_next(request.url.path + (f"?{request.url.query}" if request.url.query else ""))
        ) from None


ConsolePrincipal = Annotated[Principal, Depends(console_principal)]


async def frame(services: ServicesDep, principal: ConsolePrincipal) -> dict[str, Any]:
    """Return what the layout shows around every signed-in page: the identity bar and the navigation's counts."""
    return {
        "me": await describe_signed_in(services, principal),
        "counts": await tray.count_my_tasks(services, principal, now=await services.now()),
    }


FrameDep = Annotated[dict[str, Any], Depends(frame)]


def safe_next(path: str) -> str:
    """Return `path` if it is one of the console's own pages, else the home page (no open redirect)."""
    if path.startswith("/console/") and not path.startswith("//") and "\\" not in path:
        return path
    return HOME


def sign_in_url(next_path: str) -> str:
    """Return the sign-in page's address, coming back to `next_path`."""
    return f"{SIGN_IN}?next={quote(safe_next(next_path), safe='/')}"


def process_url(workflow_id: str) -> str:
    """Return the address of a process's page."""
    return f"/console/processes/{quote(workflow_id, safe='')}"


def decision_url(workflow_id: str, decision: str) -> str:
    """Return the address of a decision's form on a process."""
    return f"{process_url(workflow_id)}/decisions/{quote(decision, safe='')}"


def case_url(case_id: str) -> str:
    """Return the address of a case's page."""
    return f"/console/cases/{quote(case_id, safe='')}"
