"""Referrals recorded by a direct start (statutory-rules.md §9): a row of `contacts` with `how` = direct.

Work started without a front-door contact still answers a referral, and the census returns it with its date
and source: an assessment started from a referral, a strategy discussion about a child in no open episode
(`census.episodes` says which), the LADO's referral of a child. The row's id is built from the process it
started and the moment it came, so recording it again (a retried activity) writes nothing new.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import delete, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from safeguarding.census.caseload import read_caseload
from safeguarding.census.episodes import open_episode_on
from safeguarding.codes import Process, ReferralRoute, ReferralSource
from safeguarding.schema import cases, contacts


def direct_referral_id(workflow_id: str, received_at: datetime) -> str:
    """The id of the referral that started `workflow_id`, received at `received_at` (ids only, no names)."""
    return f"referral-{workflow_id}-{received_at.astimezone(UTC):%Y%m%dT%H%M%S}"


async def record_direct_referral(
    *,
    case_id: str,
    workflow_id: str,
    process: Process,
    received_at: datetime,
    referral_source: ReferralSource,
    session: AsyncSession,
) -> str | None:
    """Record the referral `workflow_id` starts on; return its id, or None when it was already recorded."""
    referral_id = direct_referral_id(workflow_id, received_at)
    written = await session.execute(
        insert(contacts)
        .values(
            id=referral_id,
            case_id=case_id,
            received_at=received_at,
            source=f"direct: {process}",
            summary=f"Referral recorded as the {process} {workflow_id} started directly, without a front-door contact.",
            referral_source=referral_source,
            how=ReferralRoute.DIRECT,
        )
        .on_conflict_do_nothing(index_elements=[contacts.c.id])
        .returning(contacts.c.id)
    )
    return written.scalar_one_or_none()


async def withdraw_direct_referral(referral_id: str, *, session: AsyncSession) -> None:
    """Remove a referral whose process could not be started, so a refused start leaves nothing behind."""
    await session.execute(
        delete(contacts).where(contacts.c.id == referral_id, contacts.c.how == str(ReferralRoute.DIRECT))
    )


async def in_open_episode(case_id: str, day: date, *, session: AsyncSession) -> bool:
    """Return whether the child of case `case_id` is in an open CIN episode on `day`, over all their cases."""
    child_id = (await session.execute(select(cases.c.child_id).where(cases.c.id == case_id))).scalar_one_or_none()
    if child_id is None:
        return False
    return any(open_episode_on(child, day) for child in await read_caseload(session=session, child_id=child_id))
