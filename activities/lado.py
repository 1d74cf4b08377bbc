"""The case store as the LADO's process uses it: refer the children involved, record the outcome (§6).

Each method owns its transaction and is idempotent: a referral writes the same values again, and the
first outcome recorded for an allegation stands. The retention date is worked out here from the
person's date of birth, which the process never sees.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio import activity
from temporalio.exceptions import ApplicationError

from safeguarding.activity_names import ActivityName
from safeguarding.commands.lado import ChildReferralRequest, ChildReferrals, OutcomeRecord, OutcomeRecorded
from safeguarding.store import lado


class LadoActivities:
    """Activities over the LADO's part of the case store, built around the worker's session factory."""

    def __init__(self, sessionmaker: async_sessionmaker[AsyncSession]) -> None:
        self._sessionmaker = sessionmaker

    @activity.defn(name=ActivityName.REFER_LADO_CHILDREN)
    async def refer_children(self, request: ChildReferralRequest) -> ChildReferrals:
        """Record the children's referral to social care; return each case, team and strategy discussion id."""
        async with self._sessionmaker.begin() as session:
            try:
                children = await lado.refer_children(
                    request.allegation_case_id, request.child_case_ids, request.referred_at, session=session
                )
            except LookupError as error:
                raise ApplicationError(str(error), type="UnknownCase", non_retryable=True) from error
        return ChildReferrals(children=tuple(children))

    @activity.defn(name=ActivityName.RECORD_LADO_OUTCOME)
    async def record_outcome(self, record: OutcomeRecord) -> OutcomeRecorded:
        """Store the outcome and its retention; fail for good when the person's date of birth is missing."""
        async with self._sessionmaker.begin() as session:
            try:
                return await lado.record_outcome(record, session=session)
            except LookupError as error:
                raise ApplicationError(str(error), type="UnknownCase", non_retryable=True) from error
            except ValueError as error:
                # Retrying cannot supply a date of birth: someone must record it in the case store.
                raise ApplicationError(
                    f"allegation {record.case_id}: {error}", type="MissingDateOfBirth", non_retryable=True
                ) from error
