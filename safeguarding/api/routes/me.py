"""`/me`: who the credential stands for, and `/health`: whether the API is up."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel

from safeguarding.api.deps import PrincipalDep
from safeguarding.codes import Role

router = APIRouter(tags=["identity"])


class Me(BaseModel):
    """The practitioner the credential stands for, as the case store knows them now."""

    practitioner_id: str
    role: Role
    team_id: str


class Health(BaseModel):
    """The API answers."""

    status: str = "ok"


@router.get("/me")
async def me(principal: PrincipalDep) -> Me:
    """Return who you are: the practitioner your credential stands for, with the role and team you act in."""
    return Me(practitioner_id=principal.practitioner_id, role=principal.role, team_id=principal.team_id)


@router.get("/health", tags=["operations"])
async def health() -> Health:
    """Return ok while the API process answers (no credential needed; it says nothing about any case)."""
    return Health()
