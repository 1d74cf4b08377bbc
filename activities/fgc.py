"""The family group conference's activities on the case store (statutory-rules.md §7).

The workflow learns only codes and ids from here: whether a person may consent (never their date of
birth), and the ids under which the questions, the family's plan and the child's words are kept. Each
method owns its transaction and writes under a unique key, so a retry writes nothing twice.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio import activity
from temporalio.exceptions import ApplicationError

from activities.case_store import unknown_case
from safeguarding.activity_names import ActivityName
from safeguarding.fgc_records import (
    ConsentGiver,
    ConsentGiverRequest,
    FgcChildVoice,
    FgcInvitation,
    FgcPlanDecision,
    FgcPlanText,
    FgcReferralTexts,
    FgcStored,
)
from safeguarding.store import fgc
from safeguarding.store.cases import get_case


class FgcActivities:
    """Activities of the family group conference, built around the worker's session factory."""

    def __init__(self, sessionmaker: async_sessionmaker[AsyncSession]) -> None:
        self._sessionmaker = sessionmaker

    @activity.defn(name=ActivityName.CHECK_FGC_CONSENT_GIVER)
    async def check_fgc_consent_giver(self, request: ConsentGiverRequest) -> ConsentGiver:
        """Return whether the person has parental responsibility, is the child aged 16–17, or neither."""
        async with self._sessionmaker.begin() as session:
            basis = await fgc.find_consent_basis(request.case_id, request.person_id, request.on, session=session)
        if basis is None:
            raise unknown_case(request.case_id)
        return ConsentGiver(person_id=request.person_id, basis=basis)

    @activity.defn(name=ActivityName.STORE_FGC_REFERRAL)
    async def store_fgc_referral(self, texts: FgcReferralTexts) -> FgcStored:
        """Keep the referrer's questions and bottom lines; return how many texts there are."""
        async with self._sessionmaker.begin() as session:
            await self._case(texts.case_id, session)
            await fgc.insert_fgc_referral(texts, session=session)
        return FgcStored(id=len(texts.questions) + len(texts.bottom_lines))

    @activity.defn(name=ActivityName.STORE_FGC_PARTICIPANTS)
    async def store_fgc_participants(self, invitation: FgcInvitation) -> FgcStored:
        """Keep the invitees; refuse (not retried) people or practitioners the case store does not know."""
        async with self._sessionmaker.begin() as session:
            await self._case(invitation.case_id, session)
            unknown = await fgc.find_unknown_participants(invitation, session=session)
            if unknown:
                raise ApplicationError(
                    f"not in the case store: {', '.join(unknown)}", type="UnknownParticipant", non_retryable=True
                )
            await fgc.insert_fgc_participants(invitation, session=session)
        return FgcStored(id=len(invitation.participants))

    @activity.defn(name=ActivityName.STORE_FGC_PLAN)
    async def store_fgc_plan(self, plan: FgcPlanText) -> FgcStored:
        """Keep a version of the family's plan; return its id."""
        async with self._sessionmaker.begin() as session:
            await self._case(plan.case_id, session)
            return FgcStored(id=await fgc.insert_fgc_plan(plan, session=session))

    @activity.defn(name=ActivityName.STORE_FGC_PLAN_DECISION)
    async def store_fgc_plan_decision(self, decision: FgcPlanDecision) -> FgcStored:
        """Record whether the referrer agreed a version of the plan (and why not); return the plan's id."""
        async with self._sessionmaker.begin() as session:
            plan_id = await fgc.update_fgc_plan_decision(decision, session=session)
        if plan_id is None:
            raise ApplicationError(
                f"no plan version {decision.version} for {decision.workflow_id}", type="UnknownPlan", non_retryable=True
            )
        return FgcStored(id=plan_id)

    @activity.defn(name=ActivityName.STORE_FGC_CHILD_VOICE)
    async def store_fgc_child_voice(self, voice: FgcChildVoice) -> FgcStored:
        """Keep the child's own words; return the entry's id."""
        async with self._sessionmaker.begin() as session:
            await self._case(voice.case_id, session)
            return FgcStored(id=await fgc.insert_fgc_child_voice(voice, session=session))

    async def _case(self, case_id: str, session: AsyncSession) -> None:
        if await get_case(case_id, session=session) is None:
            raise unknown_case(case_id)
