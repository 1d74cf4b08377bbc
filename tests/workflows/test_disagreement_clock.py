"""A disagreement against the clock: stages that time out, beside the front door's own missed deadline (§1, §8).

Time-skipping server only: these tests move the clock by weeks.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime, time

import pytest
from temporalio.client import WorkflowHandle, WorkflowUpdateFailedError

from safeguarding.codes import ContactOutcome, DeadlineState, DisputeState, Role
from safeguarding.commands.disagreement import EscalateDisagreement, ResolveDisagreement
from safeguarding.commands.front_door import DecideContact, FrontDoorInput, FrontDoorResult, front_door_id
from tests.factories import CaseIds
from tests.fixtures.temporal import Harness
from tests.workflows.disagreement_steps import (
    PARTNERSHIP_MAILBOX,
    actor,
    address,
    at_stage,
    disputed,
    events,
    log_line,
    mail,
    raise_disagreement,
    seed_partners,
    status,
)
from tests.workflows.time_control import eventually, next_weekday_at, skip_to

MONDAY, WEDNESDAY = 0, 2


async def _contact_on_a_monday(skipping: Harness) -> tuple[CaseIds, WorkflowHandle, datetime]:
    """Move to the next Monday at 10:00 and start the front door of a contact received then."""
    case = await skipping.new_case()
    monday = next_weekday_at(await skipping.env.get_current_time(), MONDAY, time(10, 0))
    await skip_to(skipping.env, monday)
    contact = await skipping.new_contact(case, monday)
    front_door = await skipping.start(
        "FrontDoor",
        FrontDoorInput(context=skipping.context(case), contact_id=contact, received_at=monday),
        front_door_id(case.reference),
        result_type=FrontDoorResult,
    )
    return case, front_door, monday


async def test_an_unresolved_disagreement_escalates_by_itself_to_the_service_managers_while_the_clocks_run(
    skipping: Harness,
) -> None:
    partners = await seed_partners(skipping)
    case, front_door, monday = await _contact_on_a_monday(skipping)
    await skip_to(skipping.env, monday.replace(hour=11))
    school = actor(skipping, Role.SCHOOL_SAFEGUARDING_LEAD, partners.school_lead_id)
    handle = await raise_disagreement(skipping, case, front_door, "decide_contact", school)
    await disputed(front_door)
    first = await at_stage(handle, "practitioners")
    practitioners_due = first.deadlines[0].passes_at

    await skip_to(skipping.env, next_weekday_at(practitioners_due, WEDNESDAY, time(10, 0)))
    await at_stage(handle, "team_managers")
    team_managers_due = (await status(handle)).deadlines[1].passes_at
    await skip_to(skipping.env, team_managers_due.replace(hour=10))
    current = await at_stage(handle, "service_managers")

    assert [(d.rule_id, d.state) for d in current.deadlines] == [
        ("disagreement_stage_practitioners", DeadlineState.MISSED),
        ("disagreement_stage_team_managers", DeadlineState.MISSED),
        ("disagreement_stage_service_managers", DeadlineState.PENDING),
    ]
    assert current.deadlines[1].basis.startswith("5 working days after the escalation from the practitioners stage")
    held = await status(front_door)
    assert held.stage == "screening", "the front door keeps running, waiting for its decision"
    assert held.deadlines[0].state is DeadlineState.MISSED
    assert [d.state for d in held.disputes] == [DisputeState.OPEN]

    async def all_sent():
        """the stage notices and the front door's deadline alerts are all sent"""
        subjects = [subject for _, subject in mail(skipping)]
        return subjects if any(s.startswith("Still overdue") for s in subjects) else None

    await eventually(all_sent)
    received = mail(skipping)
    kinds = Counter(subject.split(" – ")[0] for _, subject in received)
    assert kinds["Professional disagreement"] == 4  # the two practitioners, then each manager in turn
    assert (kinds["Overdue"], kinds["Still overdue"]) == (1, 1)  # the front door's own missed deadline
    disagreement_mail = [(to, s) for to, s in received if s.startswith("Professional disagreement")]
    assert [to for to, _ in disagreement_mail] == [
        address(partners.school_lead_id),
        address(skipping.team.team_manager_id),  # nobody has decided yet: the team manager is the counterpart
        address(skipping.team.team_manager_id),
        address(skipping.team.service_manager_id),
    ]
    assert "for the team managers to resolve" in disagreement_mail[2][1]
    front_door_events = await events(skipping, front_door.id)
    assert {"deadline.missed", "deadline.escalated", "dispute.raised"} <= set(front_door_events)
    assert (await events(skipping, handle.id)).count("disagreement.escalated") == 2
    line = await log_line(skipping, handle.id)
    assert (line["stage_reached"], line["outcome"], line["closed_at"]) == ("service_managers", "open", None)

    await front_door.execute_update(
        "decide_contact",
        DecideContact(
            actor=skipping.actor(Role.TEAM_MANAGER), outcome=ContactOutcome.NFA_ADVICE, rationale="Advice given"
        ),
    )

    async def holding():
        """the decided front door waits, disputed, instead of closing"""
        return (await status(front_door)).stage == "disputed"

    await eventually(holding)
    await handle.execute_update(
        "resolve_disagreement",
        ResolveDisagreement(
            actor=skipping.actor(Role.SERVICE_MANAGER),
            statement="Advice is the right response; the school will refer again if attendance falls further.",
        ),
    )
    assert (await handle.result()).stage == "service_managers"
    assert (await front_door.result()).outcome is ContactOutcome.NFA_ADVICE
    final = await status(front_door)
    assert (final.stage, [d.state for d in final.disputes]) == ("closed", [DisputeState.RESOLVED])
    front_door_events = await events(skipping, front_door.id)
    assert front_door_events.index("dispute.hold") < front_door_events.index("dispute.resolved")


async def test_at_the_partnership_the_last_stage_an_overdue_disagreement_waits_for_its_final_decision(
    skipping: Harness,
) -> None:
    partners = await seed_partners(skipping)
    case, front_door, _ = await _contact_on_a_monday(skipping)
    police = actor(skipping, Role.POLICE_OFFICER, partners.police_officer_id)
    handle = await raise_disagreement(skipping, case, front_door, "decide_contact", police, immediate_risk=True)
    service_managers = await at_stage(handle, "service_managers")

    await skip_to(skipping.env, service_managers.deadlines[0].passes_at.replace(hour=10))
    partnership = await at_stage(handle, "partnership")
    assert [t.decision for t in partnership.open_tasks] == ["resolve_disagreement"], "no stage above to escalate to"
    chair = actor(skipping, Role.PARTNERSHIP_CHAIR, "chair-1")
    with pytest.raises(WorkflowUpdateFailedError) as refused:
        await handle.execute_update("escalate_disagreement", EscalateDisagreement(actor=chair, rationale="Beyond us"))
    assert "the partnership stage is the last; its decision is final, so resolve it" in str(refused.value.cause)

    await skip_to(skipping.env, partnership.deadlines[1].passes_at.replace(hour=10))

    async def overdue():
        """the partnership is told again that its time limit has passed"""
        to_partnership = [s for to, s in mail(skipping) if to == PARTNERSHIP_MAILBOX]
        return to_partnership if len(to_partnership) == 2 else None

    await eventually(overdue)
    waiting = await status(handle)
    assert (waiting.stage, [d.state for d in waiting.deadlines]) == (
        "partnership",
        [DeadlineState.MISSED, DeadlineState.MISSED],
    )
    assert "disagreement.overdue" in await events(skipping, handle.id)
    await handle.execute_update(
        "resolve_disagreement",
        ResolveDisagreement(actor=chair, statement="The partnership decides: a strategy discussion is held today."),
    )
    result = await handle.result()
    assert (result.outcome, result.stage) == ("resolved", "partnership")
    line = await log_line(skipping, handle.id)
    assert (line["started_at_stage"], line["stage_reached"], line["immediate_risk"]) == (
        "service_managers",
        "partnership",
        True,
    )
