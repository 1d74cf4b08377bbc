"""A child re-referred after the first assessment closed is assessed again, and the first is kept (§3, §9).

The case store keys a process's record and decisions by its workflow id. The second assessment of a case
takes an id of its own (`assessment-<ref>-2`), so the first one's record, start date and authorisation are
kept beside the second's, and the census returns each assessment with its own dates; the DfE's rules find
no error (an assessment authorised before it started is rule 8608's). Real workflows on the time-skipping
server, through the front door as a re-referral comes; the case store is the real PostgreSQL.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, update
from temporalio.client import WorkflowHandle
from temporalio.worker import Replayer

from safeguarding.census.episodes import la_child_id
from safeguarding.codes import AssessmentOutcome, ConsentState, ContactOutcome, Process, Role
from safeguarding.commands.assessment import Allocate, RecordChildSeen, SubmitAssessment, assessment_id
from safeguarding.commands.front_door import (
    DecideContact,
    FrontDoorInput,
    FrontDoorResult,
    RecordConsent,
    front_door_id,
)
from safeguarding.config import Settings
from safeguarding.models import DecisionRecord
from safeguarding.schema import contacts, decisions, process_records
from safeguarding.service.access import Principal
from safeguarding.service.assessments import AssessmentRequest, start_assessment
from safeguarding.service.census import export_census
from safeguarding.service.decisions import make_decision
from safeguarding.service.errors import Conflict
from safeguarding.service.root import Services
from safeguarding.working_days import local_date
from tests.census.test_validation import errors, validate, validator_python
from tests.factories import CaseIds
from tests.fixtures.temporal import CONVERTER, Harness
from tests.workflows.child_protection_steps import running
from tests.workflows.cp_plan_steps import status
from tests.workflows.time_control import eventually, last_working_day_at
from workflows.registry import ALL_WORKFLOWS

__all__ = ["validator_python"]  # the census validator's venv, a fixture of this module too


def _services(harness: Harness) -> Services:
    """The service layer over the test's case store and worker, on the server's clock."""
    return Services(
        settings=Settings(task_queue=harness.task_queue),
        profile=harness.profile,
        sessions=harness.sessionmaker,
        client=harness.client,
        clock=harness.env.get_current_time,
    )


def _principal(harness: Harness, role: Role) -> Principal:
    actor = harness.actor(role)
    return Principal(practitioner_id=actor.practitioner_id, role=role, team_id=actor.team_id)


async def _referred(harness: Harness, case: CaseIds) -> str:
    """A school's contact about `case` on the last working day, decided for an assessment: return its id."""
    received = last_working_day_at(await harness.env.get_current_time(), harness.calendar)
    contact = await harness.new_contact(case, received)
    async with harness.sessionmaker.begin() as session:
        await session.execute(update(contacts).where(contacts.c.id == contact).values(referral_source="2A"))
    front_door = await harness.start(
        "FrontDoor",
        FrontDoorInput(context=harness.context(case), contact_id=contact, received_at=received),
        front_door_id(contact),
        result_type=FrontDoorResult,
    )
    manager, worker = harness.actor(Role.TEAM_MANAGER), harness.actor(Role.SOCIAL_WORKER)
    await front_door.execute_update(
        "record_consent",
        RecordConsent(actor=worker, consent=ConsentState.GIVEN, effective_at=received + timedelta(hours=1)),
    )
    await front_door.execute_update(
        "decide_contact",
        DecideContact(
            actor=manager,
            outcome=ContactOutcome.ASSESSMENT,
            rationale="Concerns about the child's needs",
            effective_at=received + timedelta(hours=2),
        ),
    )
    await front_door.result()
    [hand_off] = (await status(front_door)).hand_offs
    assert hand_off.to_process is Process.ASSESSMENT and hand_off.workflow_id is not None
    return hand_off.workflow_id


async def _closed(handle: WorkflowHandle) -> bool:
    """The process has closed."""
    return (await status(handle)).stage == "closed"


async def _assessed(harness: Harness, services: Services, workflow_id: str) -> tuple[WorkflowHandle, DecisionRecord]:
    """Allocate, see the child, submit and authorise no further action; return the handle and the authorisation."""
    assessment = await running(harness, workflow_id)
    manager, worker = harness.actor(Role.TEAM_MANAGER), harness.actor(Role.SOCIAL_WORKER)
    await assessment.execute_update("allocate", Allocate(actor=manager, social_worker_id=worker.practitioner_id))
    await harness.env.sleep(timedelta(days=3))
    await assessment.execute_update("record_child_seen", RecordChildSeen(actor=worker))
    await assessment.execute_update(
        "submit_assessment", SubmitAssessment(actor=worker, recommended_outcome=AssessmentOutcome.NFA)
    )
    authorisation = {
        "outcome": "nfa",
        "primary_need": "N9",
        "factors": ["21"],
        "rationale": "The child's needs are met by universal services",
    }
    authorised = await make_decision(
        services, _principal(harness, Role.TEAM_MANAGER), workflow_id, "authorise", authorisation, f"{workflow_id}-1"
    )
    await eventually(lambda: _closed(assessment))
    return assessment, authorised


async def _records(harness: Harness, case: CaseIds) -> dict[str, tuple[datetime, datetime | None]]:
    """The case's assessments in the case store: workflow id -> (started, authorised)."""
    async with harness.sessionmaker() as session:
        rows = (
            await session.execute(
                select(process_records.c.workflow_id, process_records.c.started_at, decisions.c.effective_at)
                .outerjoin(
                    decisions,
                    (decisions.c.workflow_id == process_records.c.workflow_id) & (decisions.c.decision == "authorise"),
                )
                .where(process_records.c.case_id == case.case_id, process_records.c.process == "assessment")
            )
        ).all()
    return {row.workflow_id: (row.started_at, row.effective_at) for row in rows}


async def test_a_re_referred_case_keeps_its_first_assessment_and_returns_both(
    skipping: Harness, validator_python: Path, tmp_path: Path
) -> None:
    harness, services = skipping, _services(skipping)
    case = await harness.new_case()
    first_id = await _referred(harness, case)
    first, first_authorised = await _assessed(harness, services, first_id)
    first_kept = await _records(harness, case)

    await harness.env.sleep(timedelta(days=40))
    second_id = await _referred(harness, case)
    with pytest.raises(Conflict, match=f"{second_id} is already running"):
        await start_assessment(
            services,
            _principal(harness, Role.TEAM_MANAGER),
            AssessmentRequest(case_reference=case.reference, referral_at=await harness.env.get_current_time()),
        )
    second, second_authorised = await _assessed(harness, services, second_id)

    assert (first_id, second_id) == (assessment_id(case.reference), f"{assessment_id(case.reference)}-2")
    records = await _records(harness, case)
    assert records[first_id] == first_kept[first_id]
    assert records[first_id][1] == first_authorised.effective_at
    assert records[second_id][1] == second_authorised.effective_at
    for started, authorised in records.values():
        assert authorised is not None and started <= authorised
    assert records[first_id][1] < records[second_id][0]

    head = Principal(practitioner_id=harness.team.service_manager_id, role=Role.SERVICE_MANAGER, team_id=case.team_id)
    exported = await export_census(services, head, year=2026)
    root = ET.fromstring(exported.xml)
    [child] = [c for c in root.iter("Child") if c.findtext("ChildIdentifiers/LAchildID") == la_child_id(case.child_id)]
    returned = sorted(
        (a.findtext("AssessmentActualStartDate"), a.findtext("AssessmentAuthorisationDate"))
        for a in child.iterfind("CINdetails/Assessments")
    )
    assert returned == sorted(
        (local_date(started).isoformat(), local_date(authorised).isoformat())
        for started, authorised in records.values()
        if authorised is not None
    )
    assert len(returned) == 2
    found = validate(validator_python, exported.xml, "cin2026_27", tmp_path)
    assert found["schema_errors"] == []
    mine = [i for i in found["child_level"] if i["child_id"] == la_child_id(case.child_id)]
    assert errors(mine) == []

    replayer = Replayer(workflows=ALL_WORKFLOWS, data_converter=CONVERTER)
    for handle in (first, second):
        await replayer.replay_workflow(await handle.fetch_history())
