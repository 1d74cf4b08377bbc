"""Family group conferences in the case store: who may consent, and the conference's texts (statutory-rules.md §7).

Every write is keyed by (workflow_id, <key>) and inserted once (ON CONFLICT DO NOTHING), returning the
row that is there, so an activity that is retried writes nothing twice and gets the same id back.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import RowMapping, Table, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from safeguarding.codes import FgcConsentBasis
from safeguarding.fgc_records import FgcChildVoice, FgcInvitation, FgcPlanDecision, FgcPlanText, FgcReferralTexts
from safeguarding.schema import (
    case_members,
    cases,
    fgc_child_voice,
    fgc_participants,
    fgc_plans,
    fgc_referrals,
    people,
    practitioners,
)

YOUNG_PERSON_AGES = range(16, 18)
"""A competent young person of 16–17 may consent for themselves (§7)."""


async def find_consent_basis(
    case_id: str, person_id: str, on: date, *, session: AsyncSession
) -> FgcConsentBasis | None:
    """Return why `person_id` may consent for the case's child on `on`, or None when there is no such case.

    Parental responsibility is recorded on the case's members; the child may consent for themselves from
    their 16th birthday until their 18th. A person the case store does not know is not entitled.
    """
    case = (await session.execute(select(cases.c.child_id).where(cases.c.id == case_id))).one_or_none()
    if case is None:
        return None
    responsible = await session.scalar(
        select(case_members.c.parental_responsibility).where(
            case_members.c.case_id == case_id, case_members.c.person_id == person_id
        )
    )
    if responsible:
        return FgcConsentBasis.PARENTAL_RESPONSIBILITY
    if person_id == case.child_id:
        born = await session.scalar(select(people.c.date_of_birth).where(people.c.id == person_id))
        if born is not None and age_on(born, on) in YOUNG_PERSON_AGES:
            return FgcConsentBasis.YOUNG_PERSON_16_17
    return FgcConsentBasis.NOT_ENTITLED


def age_on(born: date, on: date) -> int:
    """Return a person's age in whole years on `on` (someone born on 29 February turns a year older on 1 March)."""
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


async def insert_fgc_referral(texts: FgcReferralTexts, *, session: AsyncSession) -> None:
    """Record the referral's questions and bottom lines, once per conference."""
    await session.execute(
        insert(fgc_referrals)
        .values(
            workflow_id=texts.workflow_id,
            case_id=texts.case_id,
            referrer_id=texts.referrer_id,
            questions=list(texts.questions),
            bottom_lines=list(texts.bottom_lines),
        )
        .on_conflict_do_nothing()
    )


async def find_unknown_participants(invitation: FgcInvitation, *, session: AsyncSession) -> list[str]:
    """Return the participant ids (person or practitioner) the case store does not hold."""
    person_ids = {p.person_id for p in invitation.participants if p.person_id}
    practitioner_ids = {p.practitioner_id for p in invitation.participants if p.practitioner_id}
    known_people = set((await session.scalars(select(people.c.id).where(people.c.id.in_(person_ids)))).all())
    known_practitioners = set(
        (await session.scalars(select(practitioners.c.id).where(practitioners.c.id.in_(practitioner_ids)))).all()
    )
    return sorted((person_ids - known_people) | (practitioner_ids - known_practitioners))


async def insert_fgc_participants(invitation: FgcInvitation, *, session: AsyncSession) -> None:
    """Record the participants of one invitation, each once."""
    await session.execute(
        insert(fgc_participants)
        .values(
            [
                {
                    "workflow_id": invitation.workflow_id,
                    "invitation": invitation.invitation,
                    "participant_key": p.key,
                    "case_id": invitation.case_id,
                    "kind": str(p.kind),
                    "person_id": p.person_id,
                    "practitioner_id": p.practitioner_id,
                    "meeting": p.meeting,
                    "interpreter_language": p.interpreter_language,
                    "excluded_from_private_time": p.excluded_from_private_time,
                    "exclusion_reason": p.exclusion_reason,
                }
                for p in invitation.participants
            ]
        )
        .on_conflict_do_nothing()
    )


async def insert_fgc_plan(plan: FgcPlanText, *, session: AsyncSession) -> int:
    """Record a version of the family's plan and return its id (the existing one's, if already recorded)."""
    values = {
        "workflow_id": plan.workflow_id,
        "version": plan.version,
        "case_id": plan.case_id,
        "plan_text": plan.text,
        "submitted_by": plan.submitted_by,
        "submitted_at": plan.submitted_at,
    }
    return await _insert_once(fgc_plans, values, fgc_plans.c.version == plan.version, session=session)


async def update_fgc_plan_decision(decision: FgcPlanDecision, *, session: AsyncSession) -> int | None:
    """Record the referrer's decision on a plan version; return the plan's id, or None if there is no such plan."""
    result = await session.execute(
        update(fgc_plans)
        .where(fgc_plans.c.workflow_id == decision.workflow_id, fgc_plans.c.version == decision.version)
        .values(
            agreed=decision.agreed,
            decided_by=decision.decided_by,
            decided_at=decision.decided_at,
            not_agreed_reason=None if decision.agreed else decision.reason,
        )
        .returning(fgc_plans.c.id)
    )
    return result.scalar_one_or_none()


async def insert_fgc_child_voice(voice: FgcChildVoice, *, session: AsyncSession) -> int:
    """Record the child's words once and return the entry's id."""
    values = {
        "workflow_id": voice.workflow_id,
        "entry_key": voice.entry_key,
        "case_id": voice.case_id,
        "words": voice.words,
        "through_advocate": voice.through_advocate,
        "heard_at": voice.heard_at,
        "recorded_by": voice.recorded_by,
    }
    return await _insert_once(fgc_child_voice, values, fgc_child_voice.c.entry_key == voice.entry_key, session=session)


async def list_fgc_plans(workflow_id: str, *, session: AsyncSession) -> Sequence[RowMapping]:
    """Return every version of a conference's plan, oldest first."""
    query = select(fgc_plans).where(fgc_plans.c.workflow_id == workflow_id).order_by(fgc_plans.c.version)
    return (await session.execute(query)).mappings().all()


async def list_fgc_participants(workflow_id: str, *, session: AsyncSession) -> Sequence[RowMapping]:
    """Return the participants of a conference's latest invitation, by meeting."""
    latest = select(fgc_participants.c.invitation).where(fgc_participants.c.workflow_id == workflow_id)
    query = (
        select(fgc_participants)
        .where(
            fgc_participants.c.workflow_id == workflow_id,
            fgc_participants.c.invitation
            == latest.order_by(fgc_participants.c.invitation.desc()).limit(1).scalar_subquery(),
        )
        .order_by(fgc_participants.c.meeting, fgc_participants.c.id)
    )
    return (await session.execute(query)).mappings().all()


async def get_fgc_referral(workflow_id: str, *, session: AsyncSession) -> RowMapping | None:
    """Return the referral's questions and bottom lines, or None."""
    query = select(fgc_referrals).where(fgc_referrals.c.workflow_id == workflow_id)
    return (await session.execute(query)).mappings().one_or_none()


async def list_fgc_child_voice(workflow_id: str, *, session: AsyncSession) -> Sequence[RowMapping]:
    """Return the child's recorded words, in the order they were heard."""
    query = (
        select(fgc_child_voice)
        .where(fgc_child_voice.c.workflow_id == workflow_id)
        .order_by(fgc_child_voice.c.heard_at, fgc_child_voice.c.id)
    )
    return (await session.execute(query)).mappings().all()


async def _insert_once(table: Table, values: dict, same_key, *, session: AsyncSession) -> int:
    """Insert `values` unless its (workflow_id, key) row exists; return the row's id either way."""
    inserted = await session.scalar(insert(table).values(values).on_conflict_do_nothing().returning(table.c.id))
    if inserted is not None:
        return inserted
    existing = select(table.c.id).where(table.c.workflow_id == values["workflow_id"], same_key)
    return (await session.execute(existing)).scalar_one()
