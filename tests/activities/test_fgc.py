"""The family group conference's activities against a real PostgreSQL: who may consent, texts kept once."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio.exceptions import ApplicationError
from temporalio.testing import ActivityEnvironment

from activities.fgc import FgcActivities
from safeguarding.codes import FgcConsentBasis, FgcParticipantKind
from safeguarding.commands.fgc import FgcParticipant
from safeguarding.fgc_records import ConsentGiverRequest, FgcChildVoice, FgcInvitation, FgcPlanDecision, FgcPlanText
from safeguarding.schema import case_members, people
from safeguarding.store.fgc import age_on, list_fgc_child_voice, list_fgc_plans
from tests.factories import CaseIds, create_case

Sessionmaker = async_sessionmaker[AsyncSession]
ON = date(2026, 11, 25)
AT = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)


async def _case_with_parent(db: Sessionmaker, born: date) -> tuple[CaseIds, str, str]:
    async with db.begin() as session:
        case = await create_case(session, date_of_birth=born)
        for person, responsible in (("person-parent", True), ("person-aunt", False)):
            await session.execute(insert(people).values(id=person, given_name="P", family_name="Fictional"))
            await session.execute(
                insert(case_members).values(
                    case_id=case.case_id, person_id=person, relationship="x", parental_responsibility=responsible
                )
            )
    return case, "person-parent", "person-aunt"


async def _basis(db: Sessionmaker, case_id: str, person_id: str) -> FgcConsentBasis:
    request = ConsentGiverRequest(case_id=case_id, person_id=person_id, on=ON)
    return (await ActivityEnvironment().run(FgcActivities(db).check_fgc_consent_giver, request)).basis


@pytest.mark.parametrize(
    ("born", "child_may_consent"),
    [
        (date(2010, 11, 26), False),  # 16 tomorrow
        (date(2010, 11, 25), True),  # 16 today
        (date(2008, 11, 26), True),  # 18 tomorrow
        (date(2008, 11, 25), False),  # 18 today
    ],
)
async def test_a_parent_may_consent_and_the_child_only_at_16_or_17(
    db: Sessionmaker, born: date, child_may_consent: bool
) -> None:
    case, parent, aunt = await _case_with_parent(db, born)

    assert await _basis(db, case.case_id, parent) is FgcConsentBasis.PARENTAL_RESPONSIBILITY
    assert await _basis(db, case.case_id, aunt) is FgcConsentBasis.NOT_ENTITLED
    assert await _basis(db, case.case_id, "person-unknown") is FgcConsentBasis.NOT_ENTITLED
    child = await _basis(db, case.case_id, case.child_id)
    assert child is (FgcConsentBasis.YOUNG_PERSON_16_17 if child_may_consent else FgcConsentBasis.NOT_ENTITLED)


def test_someone_born_on_29_february_is_a_year_older_on_1_march() -> None:
    assert (age_on(date(2008, 2, 29), date(2026, 2, 28)), age_on(date(2008, 2, 29), date(2026, 3, 1))) == (17, 18)


async def test_consent_for_an_unknown_case_is_a_non_retryable_error(db: Sessionmaker) -> None:
    with pytest.raises(ApplicationError) as raised:
        await _basis(db, "case-missing", "person-parent")
    assert (raised.value.type, raised.value.non_retryable) == ("UnknownCase", True)


async def test_a_plan_version_is_kept_once_and_its_decision_recorded(db: Sessionmaker) -> None:
    case, _, _ = await _case_with_parent(db, date(2015, 1, 1))
    activities = FgcActivities(db)
    plan = FgcPlanText(
        workflow_id="fgc-x", case_id=case.case_id, version=1, text="The plan.", submitted_by="c-1", submitted_at=AT
    )

    first = await ActivityEnvironment().run(activities.store_fgc_plan, plan)
    again = await ActivityEnvironment().run(activities.store_fgc_plan, plan)
    decision = FgcPlanDecision(
        workflow_id="fgc-x", version=1, agreed=False, decided_by="sw-1", decided_at=AT, reason="Risky."
    )
    decided = await ActivityEnvironment().run(activities.store_fgc_plan_decision, decision)

    assert first.id == again.id == decided.id
    async with db() as session:
        [row] = await list_fgc_plans("fgc-x", session=session)
    assert (row["plan_text"], row["agreed"], row["not_agreed_reason"]) == ("The plan.", False, "Risky.")
    with pytest.raises(ApplicationError) as raised:
        await ActivityEnvironment().run(activities.store_fgc_plan_decision, decision.model_copy(update={"version": 2}))
    assert raised.value.type == "UnknownPlan"


async def test_the_childs_words_are_kept_once_per_entry(db: Sessionmaker) -> None:
    case, _, _ = await _case_with_parent(db, date(2015, 1, 1))
    voice = FgcChildVoice(
        workflow_id="fgc-x",
        case_id=case.case_id,
        entry_key="001",
        words="I like it at Nan's.",
        through_advocate=True,
        heard_at=AT,
        recorded_by="c-1",
    )
    activities = FgcActivities(db)

    ids = {(await ActivityEnvironment().run(activities.store_fgc_child_voice, voice)).id for _ in range(2)}

    async with db() as session:
        rows = await list_fgc_child_voice("fgc-x", session=session)
    assert len(ids) == 1 and [r["words"] for r in rows] == ["I like it at Nan's."]


async def test_invitees_unknown_to_the_case_store_are_refused_and_nothing_is_written(db: Sessionmaker) -> None:
    case, parent, _ = await _case_with_parent(db, date(2015, 1, 1))
    invitation = FgcInvitation(
        workflow_id="fgc-x",
        case_id=case.case_id,
        invitation=1,
        participants=(
            FgcParticipant(kind=FgcParticipantKind.FAMILY_MEMBER, person_id=parent),
            FgcParticipant(kind=FgcParticipantKind.PROFESSIONAL, practitioner_id="prac-nobody"),
        ),
    )

    with pytest.raises(ApplicationError) as raised:
        await ActivityEnvironment().run(FgcActivities(db).store_fgc_participants, invitation)

    assert (raised.value.type, raised.value.non_retryable) == ("UnknownParticipant", True)
    assert raised.value.message == "not in the case store: prac-nobody"
