"""Bad input never wedges a case: it is refused at the door, and data the store refuses anyway is survived.

The case this reproduces: a NUL in a decision's rationale was accepted, the Update recorded, and then every
write of the case store failed for ever (`invalid byte sequence for encoding "UTF8": 0x00`), so that
decision and every later one hung.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select
from temporalio.client import WorkflowUpdateFailedError

from safeguarding.codes import ConsentState, ContactOutcome, Role
from safeguarding.commands.front_door import (
    DecideContact,
    FrontDoorInput,
    FrontDoorResult,
    RecordConsent,
    front_door_id,
)
from safeguarding.models import DecisionRecord, ProcessStatus
from safeguarding.refusal import refusal_reason
from safeguarding.schema import chronology, decisions
from tests.fixtures.temporal import Harness
from tests.workflows.time_control import last_working_day_at

NUL_RATIONALE = "Agreed with the school\x00 on the phone"


async def _contact(harness: Harness, *, profile_version: str | None = None):
    case = await harness.new_case()
    received = last_working_day_at(await harness.env.get_current_time(), harness.calendar)
    contact = await harness.new_contact(case, received)
    context = harness.context(case)
    if profile_version is not None:
        # A profile's own text is not a user's input: the model is copied, not validated, to put a value the
        # case store refuses into every write of this process.
        context = context.model_copy(
            update={"profile": context.profile.model_copy(update={"version": profile_version})}
        )
    handle = await harness.start(
        "FrontDoor",
        FrontDoorInput(context=context, contact_id=contact, received_at=received),
        front_door_id(case.reference),
        result_type=FrontDoorResult,
    )
    return handle


def _decide_contact(harness: Harness) -> DecideContact:
    return DecideContact(
        actor=harness.actor(Role.TEAM_MANAGER), outcome=ContactOutcome.EARLY_HELP, rationale="Needs met by the hub"
    )


async def test_a_nul_in_a_decision_sent_round_the_models_is_refused_and_the_case_takes_the_next(
    harness: Harness,
) -> None:
    handle = await _contact(harness)
    actor = harness.actor(Role.SOCIAL_WORKER).model_dump(mode="json")
    # A raw body, as a caller that skips our models would send it (the Temporal CLI, another SDK).
    raw = {"actor": actor, "consent": "given", "rationale": NUL_RATIONALE}

    with pytest.raises(WorkflowUpdateFailedError) as refused:
        await handle.execute_update("record_consent", raw)

    reason = refusal_reason(refused.value.cause)
    assert reason == (
        "the RecordConsent body is not valid: rationale: contains the control character U+0000 at position 23; "
        "only printable text, line breaks and tabs are accepted"
    )
    consent = RecordConsent(actor=harness.actor(Role.SOCIAL_WORKER), consent=ConsentState.GIVEN)
    await handle.execute_update("record_consent", consent, result_type=DecisionRecord)
    decided = await handle.execute_update("decide_contact", _decide_contact(harness), result_type=DecisionRecord)
    result = await handle.result()
    assert (decided.outcome, result.outcome) == ("early_help", ContactOutcome.EARLY_HELP)
    async with harness.sessionmaker() as session:
        query = select(decisions.c.decision).where(decisions.c.workflow_id == handle.id)
        recorded = sorted((await session.execute(query)).scalars())
    assert recorded == ["decide_contact", "record_consent"]


async def test_data_the_case_store_refuses_is_noted_the_manager_told_once_and_the_case_keeps_running(
    harness: Harness,
) -> None:
    handle = await _contact(harness, profile_version="2026.1\x00")

    consent = RecordConsent(actor=harness.actor(Role.SOCIAL_WORKER), consent=ConsentState.GIVEN)
    await handle.execute_update("record_consent", consent, result_type=DecisionRecord)
    decided = await handle.execute_update("decide_contact", _decide_contact(harness), result_type=DecisionRecord)
    result = await handle.result()
    status = await handle.query("status", result_type=ProcessStatus)

    assert (decided.decision, result.outcome, status.stage) == ("decide_contact", ContactOutcome.EARLY_HELP, "closed")
    assert await harness.recipients("could not be stored") == [harness.team.team_manager_id]
    [alert] = [m for m in harness.smtp.messages if "could not be stored" in m["Subject"]]
    body = alert.get_content()
    assert "SQLSTATE 22P05" in body  # PostgreSQL refusing the NUL in the JSON its rows come in
    assert "2026.1" not in body
    async with harness.sessionmaker() as session:
        written = (await session.execute(select(chronology.c.id).where(chronology.c.workflow_id == handle.id))).all()
    assert written == []
