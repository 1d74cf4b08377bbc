"""The LADO's process refuses bad decisions with a reason and keeps running (statutory-rules.md §6)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select, update
from temporalio.client import WorkflowFailureError, WorkflowUpdateFailedError

from safeguarding.codes import LadoNotifier, LadoOutcome, Role
from safeguarding.commands.lado import LadoInput, RespondToNotification
from safeguarding.schema import lado_allegations, people
from tests.factories import CaseIds
from tests.fixtures.temporal import Harness
from tests.workflows.lado_steps import consider, notification_form, outcome, seed_lado_team, start_lado, status
from tests.workflows.time_control import last_working_day_at


async def _reject(handle, update: str, command, expected: str) -> None:
    with pytest.raises(WorkflowUpdateFailedError) as failure:
        await handle.execute_update(update, command)
    assert expected in str(failure.value.cause)


async def _started(harness: Harness, team, **form):
    notified = last_working_day_at(await harness.env.get_current_time(), harness.calendar)
    return await start_lado(
        harness,
        team,
        notification_form(team, came_to_attention_at=notified - timedelta(hours=1), notified_at=notified, **form),
    )


async def test_bad_decisions_are_refused_with_a_reason_and_the_allegation_stays_open(harness: Harness) -> None:
    team = await seed_lado_team(harness)
    child = await harness.new_case()
    other_child = await harness.new_case()
    handle = await _started(harness, team, children=(child.case_id,))
    now = await harness.env.get_current_time()
    social_worker = harness.actor(Role.SOCIAL_WORKER)

    await _reject(
        handle,
        "consider_allegation",
        consider(team).model_copy(update={"actor": social_worker}),
        "social_worker may not",
    )
    await _reject(
        handle, "consider_allegation", consider(team, children=(other_child.case_id,)), "not among the children"
    )
    await _reject(
        handle,
        "consider_allegation",
        consider(team).model_copy(update={"effective_at": now + timedelta(days=1)}),
        "in the future",
    )
    await _reject(
        handle,
        "consider_allegation",
        consider(team).model_copy(update={"effective_at": now - timedelta(days=30)}),
        "dated before",
    )
    await _reject(
        handle, "record_allegation_outcome", outcome(team, LadoOutcome.SUBSTANTIATED), "not possible at stage"
    )
    await handle.execute_update("respond_to_notification", RespondToNotification(actor=team.actor(), advice="Hold"))
    await _reject(
        handle, "respond_to_notification", RespondToNotification(actor=team.actor(), advice="Again"), "already decided"
    )
    malformed = consider(team).model_dump(mode="json") | {"harm_test": {"harmed_a_child": {"met": "perhaps"}}}
    with pytest.raises(WorkflowUpdateFailedError):
        await handle.execute_update("consider_allegation", malformed)

    state = await status(handle)
    assert state.stage == "initial_consideration"
    assert [d.decision for d in state.decisions] == ["respond_to_notification"]
    assert [t.decision for t in state.open_tasks] == ["consider_allegation"]


async def test_an_outcome_the_record_cannot_bear_is_refused_and_the_allegation_stays_open(harness: Harness) -> None:
    team = await seed_lado_team(harness)
    handle = await _started(harness, team)
    await handle.execute_update("consider_allegation", consider(team))

    await _reject(
        handle,
        "record_allegation_outcome",
        outcome(team, LadoOutcome.UNSUBSTANTIATED).model_copy(update={"rationale": " "}),
        "a rationale is required",
    )
    removal_without_ground = outcome(team, LadoOutcome.SUBSTANTIATED, removed=True).model_dump(mode="json") | {
        "outcome": "unfounded"
    }
    with pytest.raises(WorkflowUpdateFailedError):
        await handle.execute_update("record_allegation_outcome", removal_without_ground)

    state = await status(handle)
    assert state.stage == "allegation_management"
    assert [d.decision for d in state.decisions] == ["consider_allegation"]


async def test_an_outcome_waits_for_the_persons_date_of_birth_which_stays_in_the_case_store(harness: Harness) -> None:
    team = await seed_lado_team(harness)
    handle = await _started(harness, team, date_of_birth=None)
    await handle.execute_update("consider_allegation", consider(team))

    await _reject(
        handle,
        "record_allegation_outcome",
        outcome(team, LadoOutcome.UNSUBSTANTIATED),
        "date of birth is not recorded",
    )
    case_id = (await status(handle)).case_id
    async with harness.sessionmaker.begin() as session:
        query = select(lado_allegations.c.subject_id).where(lado_allegations.c.case_id == case_id)
        subject = (await session.execute(query)).scalar_one()
        await session.execute(update(people).where(people.c.id == subject).values(date_of_birth=date(1950, 1, 31)))
    await handle.execute_update("record_allegation_outcome", outcome(team, LadoOutcome.UNSUBSTANTIATED))

    result = await handle.result()
    assert result.outcome == "unsubstantiated"
    assert "10 years" in (await status(handle)).facts.retention_basis


async def test_an_outcome_under_a_profile_without_a_retirement_age_is_refused(harness: Harness) -> None:
    team = await seed_lado_team(harness)
    notified = last_working_day_at(await harness.env.get_current_time(), harness.calendar)
    form = notification_form(team, came_to_attention_at=notified, notified_at=notified)
    handle = await start_lado(harness, team, form, profile=harness.profile.model_copy(update={"lado": None}))
    await handle.execute_update("consider_allegation", consider(team))

    await _reject(
        handle, "record_allegation_outcome", outcome(team, LadoOutcome.FALSE), "sets no normal retirement age"
    )


async def test_a_process_for_an_allegation_the_case_store_does_not_hold_fails_naming_the_case(harness: Harness) -> None:
    team = await seed_lado_team(harness)
    notified = last_working_day_at(await harness.env.get_current_time(), harness.calendar)
    handle = await harness.start(
        "Lado",
        LadoInput(
            context=harness.context(CaseIds("allegation-missing", "REF-LADO-MISSING", "", team.team_id)),
            came_to_attention_at=notified,
            notified_at=notified,
            notifier=LadoNotifier.MEMBER_OF_PUBLIC,
        ),
        "lado-REF-LADO-MISSING",
    )
    with pytest.raises(WorkflowFailureError) as failure:
        await handle.result()
    assert "unknown case allegation-missing" in str(failure.value.cause.cause)
