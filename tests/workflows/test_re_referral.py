"""A child re-referred after the first assessment closed is assessed again, and the first is kept (§3, §9).

The case store keys a process's record and decisions by its workflow id. The second assessment of a case
takes an id of its own (`assessment-<ref>-2`), so the first one's record, start date and authorisation are
kept beside the second's, and the census returns each assessment with its own dates; the DfE's rules find
no error (an assessment authorised before it started is rule 8608's). Real workflows on the time-skipping
server, through the front door as a re-referral comes; the case store is the real PostgreSQL. The same holds
for a case's second section 47 enquiry and initial conference, on both servers.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select
from temporalio.client import WorkflowHandle
from temporalio.worker import Replayer

from safeguarding.census.episodes import la_child_id
from safeguarding.census.period import CensusSpec
from safeguarding.codes import (
    AssessmentOutcome,
    ConferenceOutcome,
    EnquiryOutcome,
    Process,
    ReferralSource,
    Role,
    StrategyOutcome,
)
from safeguarding.commands.assessment import Allocate, RecordChildSeen, SubmitAssessment, assessment_id
from safeguarding.commands.conference import (
    DecideConference,
    RecordReportsShared,
    ScheduleConference,
    initial_conference_id,
)
from safeguarding.commands.strategy_discussion import s47_enquiry_id
from safeguarding.models import DecisionRecord
from safeguarding.schema import decisions, process_records
from safeguarding.service.access import Principal
from safeguarding.service.assessments import AssessmentRequest, start_assessment
from safeguarding.service.census import export_census
from safeguarding.service.decisions import make_decision
from safeguarding.service.errors import Conflict
from safeguarding.service.root import Services
from safeguarding.working_days import at_local_time, local_date, next_working_day
from tests.census.test_validation import errors, validate, validator_python
from tests.factories import CaseIds
from tests.fixtures.temporal import CONVERTER, Harness
from tests.workflows.child_protection_steps import chair, conclude, hold_and_decide, running, start_discussion
from tests.workflows.cp_plan_steps import status
from tests.workflows.front_door_steps import referred_for_assessment, services_over
from tests.workflows.time_control import early_in_a_census_year, eventually
from workflows.registry import ALL_WORKFLOWS

__all__ = ["validator_python"]  # the census validator's venv, a fixture of this module too


def _principal(harness: Harness, role: Role) -> Principal:
    actor = harness.actor(role)
    return Principal(practitioner_id=actor.practitioner_id, role=role, team_id=actor.team_id)


async def _referred(harness: Harness, case: CaseIds) -> str:
    """A school's contact about `case` on the last working day, decided for an assessment: return its id."""
    front_door = await referred_for_assessment(harness, case)
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
    harness, services = skipping, services_over(skipping)
    census_year = await early_in_a_census_year(harness.env)
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
            AssessmentRequest(
                case_reference=case.reference,
                referral_at=await harness.env.get_current_time(),
                referral_source=ReferralSource.POLICE,
            ),
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
    exported = await export_census(services, head, year=census_year.year, spec=CensusSpec.CIN_2026_27)
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


async def _handed_on(handle: WorkflowHandle, to_process: Process) -> str:
    """Wait until the process has handed on to `to_process`; return the id it handed on to."""

    async def handed() -> str | None:
        """the process has handed on"""
        found = [h.workflow_id for h in (await status(handle)).hand_offs if h.to_process is to_process]
        return found[-1] if found else None

    found = await eventually(handed)
    assert isinstance(found, str)
    return found


async def _child_protection_round(harness: Harness, case: CaseIds, concerns_at: datetime) -> tuple[str, str]:
    """A discussion, a substantiated enquiry, a conference that makes no plan; return the enquiry's and its id."""
    discussion = await start_discussion(harness, case, concerns_at)
    await hold_and_decide(harness, discussion, StrategyOutcome.S47_SINGLE_AGENCY)
    enquiry_id = await _handed_on(discussion, Process.S47_ENQUIRY)
    s47 = await running(harness, enquiry_id)
    await conclude(harness, s47, EnquiryOutcome.SUBSTANTIATED)
    conference_id = await _handed_on(s47, Process.INITIAL_CONFERENCE)
    icpc = await running(harness, conference_id)
    now = await harness.env.get_current_time()
    day = next_working_day(local_date(now), harness.calendar)
    await icpc.execute_update(
        "schedule_conference",
        ScheduleConference(
            actor=harness.actor(Role.TEAM_MANAGER), conference_at=at_local_time(day, now.time().replace(microsecond=0))
        ),
    )
    await icpc.execute_update("record_reports_shared", RecordReportsShared(actor=harness.actor(Role.SOCIAL_WORKER)))
    await icpc.execute_update(
        "decide_conference",
        DecideConference(actor=chair(), outcome=ConferenceOutcome.NO_PLAN, rationale="Risk reduced by the family"),
    )
    for handle in (s47, icpc):
        await eventually(lambda handle=handle: _closed(handle))
    return enquiry_id, conference_id


async def _kinds(harness: Harness, case: CaseIds) -> dict[str, tuple[str, datetime, int]]:
    """The case's processes in the case store: workflow id -> (process, started, decisions recorded)."""
    async with harness.sessionmaker() as session:
        rows = (
            await session.execute(
                select(
                    process_records.c.workflow_id,
                    process_records.c.process,
                    process_records.c.started_at,
                    func.count(decisions.c.id),
                )
                .outerjoin(decisions, decisions.c.workflow_id == process_records.c.workflow_id)
                .where(process_records.c.case_id == case.case_id)
                .group_by(process_records.c.workflow_id)
            )
        ).all()
    return {row[0]: (row[1], row[2], row[3]) for row in rows}


async def test_a_case_s_second_enquiry_and_conference_keep_the_first_ones_records(harness: Harness) -> None:
    case = await harness.new_case()
    now = await harness.env.get_current_time()
    first = await _child_protection_round(harness, case, now - timedelta(hours=3))
    kept = await _kinds(harness, case)
    second = await _child_protection_round(harness, case, now - timedelta(hours=1))
    records = await _kinds(harness, case)

    assert first == (s47_enquiry_id(case.reference), initial_conference_id(case.reference))
    assert second == (f"{first[0]}-2", f"{first[1]}-2")
    for workflow_id in first:
        assert records[workflow_id] == kept[workflow_id]
    assert {workflow_id: records[workflow_id][0] for workflow_id in (*first, *second)} == {
        first[0]: "s47_enquiry",
        first[1]: "initial_conference",
        second[0]: "s47_enquiry",
        second[1]: "initial_conference",
    }
