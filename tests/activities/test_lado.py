"""The LADO's part of the case store and its activities, against a real PostgreSQL (statutory-rules.md §6)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from pydantic import ValidationError
from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio.exceptions import ApplicationError
from temporalio.testing import ActivityEnvironment

from activities.lado import LadoActivities
from safeguarding.codes import LADO_REFERRAL_SOURCE, CaseKind, LadoOutcome, LadoRetention, ReferralRoute
from safeguarding.commands.lado import ChildReferralRequest, OutcomeRecord
from safeguarding.schema import cases, contacts, lado_allegations, lado_outcomes
from safeguarding.store.lado import NotificationForm, get_allegation, insert_allegation, list_children
from tests.factories import create_case
from tests.workflows.lado_steps import LadoTeam, create_lado_team, notification_form

Sessionmaker = async_sessionmaker[AsyncSession]
NOTIFIED = datetime(2026, 11, 2, 10, 0, tzinfo=UTC)
NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


@pytest.fixture
async def team(db: Sessionmaker) -> LadoTeam:
    async with db.begin() as session:
        return await create_lado_team(session)


async def _allegation(db: Sessionmaker, team: LadoTeam, **form) -> tuple[str, list[str]]:
    async with db.begin() as session:
        children = [(await create_case(session)).case_id for _ in range(2)]
        attention = NOTIFIED - timedelta(hours=3)
        case_id = await insert_allegation(
            notification_form(
                team, came_to_attention_at=attention, notified_at=NOTIFIED, children=tuple(children), **form
            ),
            now=NOW,
            session=session,
        )
    return case_id, children


def _outcome(case_id: str, outcome: LadoOutcome = LadoOutcome.SUBSTANTIATED) -> OutcomeRecord:
    return OutcomeRecord(
        case_id=case_id,
        workflow_id="lado-REF-1",
        outcome=outcome,
        decided_at=NOW,
        dbs_referral_required=True,
        regulator_referral_required=False,
        normal_retirement_age=67,
    )


async def test_a_notification_becomes_a_case_of_its_own_with_no_child_and_its_children_linked(
    db: Sessionmaker, team: LadoTeam
) -> None:
    case_id, children = await _allegation(db, team)
    async with db() as session:
        case = (await session.execute(select(cases).where(cases.c.id == case_id))).mappings().one()
        allegation = await get_allegation(case_id, session=session)
        linked = await list_children(case_id, session=session)

    assert (case["kind"], case["child_id"], case["team_id"]) == (CaseKind.LADO_ALLEGATION, None, team.team_id)
    assert allegation is not None and allegation["notifier_kind"] == "employer"
    assert sorted(row["child_case_id"] for row in linked) == sorted(children)


async def test_a_childs_case_without_a_child_is_refused_by_the_case_store(db: Sessionmaker, team: LadoTeam) -> None:
    with pytest.raises(IntegrityError, match="ck_cases_child_when_kind_child"):
        async with db.begin() as session:
            await session.execute(
                insert(cases).values(id="case-x", reference="REF-X", team_id=team.team_id, opened_at=NOW)
            )


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"notified_at": NOW + timedelta(days=1)}, "in the future"),
        ({"reference": "REF-DUPLICATE"}, "already in use"),
        ({"children": ("case-nobody",)}, "no child's case 'case-nobody'"),
    ],
)
async def test_a_bad_notification_is_refused_and_writes_nothing(
    db: Sessionmaker, team: LadoTeam, change: dict, message: str
) -> None:
    async with db.begin() as session:
        await create_case(session, reference="REF-DUPLICATE")
    form = notification_form(team, came_to_attention_at=NOTIFIED, notified_at=NOTIFIED).model_copy(update=change)
    with pytest.raises(ValueError, match=message):
        async with db.begin() as session:
            await insert_allegation(form, now=NOW, session=session)
    async with db() as session:
        assert (await session.execute(select(lado_allegations))).all() == []


def test_a_malformed_notification_form_is_refused() -> None:
    team = LadoTeam("team-lado", "lado-1", "lado-manager-1")
    with pytest.raises(ValidationError, match="before the concern came to the employer's attention"):
        notification_form(team, came_to_attention_at=NOTIFIED, notified_at=NOTIFIED - timedelta(hours=1))
    form = notification_form(team, came_to_attention_at=NOTIFIED, notified_at=NOTIFIED).model_dump()
    with pytest.raises(ValidationError, match="notifier_email"):
        NotificationForm.model_validate(form | {"notifier_email": "not an address"})
    with pytest.raises(ValidationError, match="notifier_kind"):
        NotificationForm.model_validate(form | {"notifier_kind": "anonymous_letter"})


async def test_referring_children_records_each_strategy_discussion_and_census_referral_once(
    db: Sessionmaker, team: LadoTeam
) -> None:
    case_id, children = await _allegation(db, team)
    activities = LadoActivities(db)
    request = ChildReferralRequest(allegation_case_id=case_id, child_case_ids=(children[0],), referred_at=NOW)

    first = await ActivityEnvironment().run(activities.refer_children, request)
    again = await ActivityEnvironment().run(activities.refer_children, request)

    assert first == again
    [child] = first.children
    assert child.strategy_discussion_workflow_id.startswith(f"strategy-discussion-{child.case_reference}-")
    async with db() as session:
        referred = {row["child_case_id"]: row["referred_at"] for row in await list_children(case_id, session=session)}
        census = select(contacts.c.case_id, contacts.c.received_at, contacts.c.referral_source, contacts.c.how)
        census_referrals = [tuple(row) for row in (await session.execute(census)).all()]
    assert referred == {children[0]: NOW, children[1]: None}
    assert census_referrals == [(children[0], NOW, str(LADO_REFERRAL_SOURCE), str(ReferralRoute.DIRECT))]


async def test_referring_a_child_not_involved_fails_for_good(db: Sessionmaker, team: LadoTeam) -> None:
    case_id, _ = await _allegation(db, team)
    async with db.begin() as session:
        stranger = (await create_case(session)).case_id
    request = ChildReferralRequest(allegation_case_id=case_id, child_case_ids=(stranger,), referred_at=NOW)

    with pytest.raises(ApplicationError) as failure:
        await ActivityEnvironment().run(LadoActivities(db).refer_children, request)
    assert (failure.value.type, failure.value.non_retryable) == ("UnknownCase", True)


async def test_the_first_outcome_stands_and_its_retention_date_stays_in_the_case_store(
    db: Sessionmaker, team: LadoTeam
) -> None:
    case_id, _ = await _allegation(db, team, date_of_birth=date(1990, 4, 12))
    activities = LadoActivities(db)

    first = await ActivityEnvironment().run(activities.record_outcome, _outcome(case_id))
    retried = await ActivityEnvironment().run(activities.record_outcome, _outcome(case_id, LadoOutcome.MALICIOUS))

    assert first == retried
    assert first.retention is LadoRetention.KEEP_UNTIL
    assert "2057" not in first.summary
    async with db() as session:
        stored = (await session.execute(select(lado_outcomes))).mappings().one()
    assert (stored["outcome"], stored["retain_until"]) == ("substantiated", date(2057, 4, 12))


async def test_an_outcome_without_the_date_of_birth_or_for_no_allegation_fails_for_good(
    db: Sessionmaker, team: LadoTeam
) -> None:
    case_id, _ = await _allegation(db, team, date_of_birth=None)
    activities = LadoActivities(db)
    for record, kind in ((_outcome(case_id), "MissingDateOfBirth"), (_outcome("allegation-none"), "UnknownCase")):
        with pytest.raises(ApplicationError) as failure:
            await ActivityEnvironment().run(activities.record_outcome, record)
        assert (failure.value.type, failure.value.non_retryable) == (kind, True)
    async with db() as session:
        assert (await session.execute(select(lado_outcomes))).all() == []
