"""What a route is given: the services of the app, and the principal its credential proves."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from safeguarding.api.identity import authenticate
from safeguarding.service.access import Principal
from safeguarding.service.root import Services


def services_of(request: Request) -> Services:
    """Return the services the app was built over."""
    services: Services = request.app.state.services
    return services


async def principal_of(request: Request, services: Annotated[Services, Depends(services_of)]) -> Principal:
    """Return who is calling, from the request's credential (never from its body)."""
    return await authenticate(request, services, request.app.state.authenticators)


ServicesDep = Annotated[Services, Depends(services_of)]
PrincipalDep = Annotated[Principal, Depends(principal_of)]
