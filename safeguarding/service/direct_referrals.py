"""Starting work directly on a referral: record the referral the census returns, then start (§9).

A process started without a front-door contact (an assessment from a referral, a strategy discussion about a
child in no open episode) records its referral first, with its date and census source, and takes it out again
if the process does not start, as `contacts.record_contact` does with a contact.
"""

from __future__ import annotations

from datetime import datetime

from safeguarding.codes import Process, ReferralSource
from safeguarding.service.errors import Invalid
from safeguarding.service.root import Services
from safeguarding.service.starting import ProcessInput, start_process
from safeguarding.store.direct_referrals import in_open_episode, record_direct_referral, withdraw_direct_referral
from safeguarding.working_days import local_date


async def start_on_referral(
    services: Services,
    workflow: str,
    started: ProcessInput,
    workflow_id: str,
    process: Process,
    *,
    received_at: datetime,
    referral_source: ReferralSource,
) -> None:
    """Record the referral `workflow_id` answers, then start it; withdraw the referral if the start fails."""
    async with services.sessions.begin() as session:
        referral_id = await record_direct_referral(
            case_id=started.context.case_id,
            workflow_id=workflow_id,
            process=process,
            received_at=received_at,
            referral_source=referral_source,
            session=session,
        )
    try:
        await start_process(services, workflow, started, workflow_id, process)
    except Exception:
        if referral_id is not None:
            async with services.sessions.begin() as session:
                await withdraw_direct_referral(referral_id, session=session)
        raise


async def referral_source_needed(
    services: Services, case_id: str, concerns_at: datetime, given: ReferralSource | None
) -> ReferralSource | None:
    """Return the source of the referral a strategy discussion about `case_id`'s child makes, or None if it makes
    none (the child is in an open episode on the day the concerns arose); refuse a referral without its source."""
    async with services.sessions() as session:
        if await in_open_episode(case_id, local_date(concerns_at), session=session):
            return None
    if given is None:
        raise Invalid(
            "referral_source is required: the child is in no open episode when the concerns arose, so this "
            "strategy discussion is a referral the Children in Need census returns",
            field="referral_source",
        )
    return given
