"""`python -m starter start fgc`: a family group conference started on an open case, or nothing started at all."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from temporalio.service import RPCError, RPCStatusCode

from safeguarding.commands.assessment import assessment_id
from safeguarding.commands.fgc import fgc_workflow_id
from safeguarding.working_days import local_date
from tests.factories import CaseIds
from tests.fixtures.temporal import Harness
from tests.starter.conftest import Cli, Ran
from tests.workflows.time_control import last_working_day_at


def _proposed(worker: Harness) -> datetime:
    """Return 10:00 on the last working day: already past."""
    return last_working_day_at(datetime.now(UTC), worker.calendar)


def _fgc_id(case: CaseIds, proposed: datetime) -> str:
    return fgc_workflow_id(case.reference, proposed)


async def _assessment(cli: Cli, worker: Harness, case: CaseIds) -> str:
    """Start the case's assessment, the process that offers the conference; return its id."""
    referral_at = _proposed(worker).isoformat()
    manager = ("--actor", worker.team.team_manager_id)
    ran = await cli(
        "start",
        "assessment",
        "--case",
        case.reference,
        "--referral-at",
        referral_at,
        "--referral-source",
        "2A",
        *manager,
    )
    assert ran.code == 0, ran.stderr
    return str(ran.json()["workflow_id"])


async def start_fgc(cli: Cli, worker: Harness, case: CaseIds, proposed: datetime, *options: str) -> Ran:
    """Propose the conference as the case's social worker, the referrer."""
    proposing = (
        "--case",
        case.reference,
        "--proposed-at",
        proposed.isoformat(),
        "--actor",
        worker.team.social_worker_id,
    )
    return await cli("start", "fgc", *proposing, *options)


async def _nothing_started(worker: Harness, workflow_id: str) -> None:
    with pytest.raises(RPCError) as missing:
        await worker.client.get_workflow_handle(workflow_id).describe()
    assert missing.value.status is RPCStatusCode.NOT_FOUND


async def test_a_conference_offered_from_the_assessment_starts_awaiting_the_referral_with_no_clock_yet(
    cli: Cli, worker: Harness
) -> None:
    case = await worker.new_case()
    source = await _assessment(cli, worker, case)
    proposed = _proposed(worker)
    ran = await start_fgc(cli, worker, case, proposed, "--reason", "assessment", "--from", source)
    status = await cli("status", _fgc_id(case, proposed), "--actor", worker.team.social_worker_id)

    assert ran.code == 0, ran.stderr
    started = ran.json()
    assert (started["workflow_id"], started["case_reference"]) == (_fgc_id(case, proposed), case.reference)
    assert (started["reason"], started["source_workflow_id"], started["deadline"]) == ("assessment", source, None)
    assert status.code == 0, status.stderr
    shown = status.json()
    assert (shown["process"], shown["stage"], shown["deadlines"]) == ("fgc", "referral", [])
    assert [task["key"] for task in shown["open_tasks"]] == ["refer_to_fgc"]
    assert (shown["facts"]["reason"], shown["facts"]["source_workflow_id"]) == ("assessment", source)
    description = await worker.client.get_workflow_handle(started["workflow_id"]).describe()
    assert (description.workflow_type, description.task_queue) == ("FamilyGroupConference", worker.task_queue)


async def test_the_offer_before_proceedings_keeps_the_day_of_the_letter(cli: Cli, worker: Harness) -> None:
    case = await worker.new_case()
    proposed = _proposed(worker)
    letter = proposed - timedelta(days=7)
    ran = await start_fgc(
        cli, worker, case, proposed, "--reason", "pre_proceedings", "--offer-letter-at", letter.isoformat()
    )
    status = await cli("status", _fgc_id(case, proposed), "--actor", worker.team.social_worker_id)

    assert ran.code == 0, ran.stderr
    assert status.json()["facts"]["s31za_offer_made_on"] == local_date(letter).isoformat()


async def test_a_second_conference_proposed_the_same_day_is_refused(cli: Cli, worker: Harness) -> None:
    case = await worker.new_case()
    proposed = _proposed(worker)
    letter = ("--reason", "pre_proceedings", "--offer-letter-at", (proposed - timedelta(days=1)).isoformat())
    first = await start_fgc(cli, worker, case, proposed, *letter)
    again = await start_fgc(cli, worker, case, proposed + timedelta(hours=1), *letter)

    assert first.code == 0, first.stderr
    assert again.code == 2
    assert again.error == f"start: {_fgc_id(case, proposed)} is already running"


async def test_an_unknown_case_is_refused(cli: Cli, worker: Harness) -> None:
    proposed = _proposed(worker)
    unknown = CaseIds("case-nosuch", "EX-NOSUCH", "person-nosuch", worker.team.team_id)
    ran = await start_fgc(
        cli, worker, unknown, proposed, "--reason", "pre_proceedings", "--offer-letter-at", proposed.isoformat()
    )

    assert ran.code == 2
    assert ran.error == "start: no case with reference 'EX-NOSUCH'"
    assert ran.stdout == ""
    await _nothing_started(worker, _fgc_id(unknown, proposed))


async def test_a_proposal_in_the_future_is_refused(cli: Cli, worker: Harness) -> None:
    case = await worker.new_case()
    tomorrow = datetime.now(UTC) + timedelta(days=1)
    ran = await start_fgc(
        cli, worker, case, tomorrow, "--reason", "pre_proceedings", "--offer-letter-at", tomorrow.isoformat()
    )

    assert ran.code == 2
    assert ran.error.startswith("start: --proposed-at ") and ran.error.endswith(" is in the future")
    await _nothing_started(worker, _fgc_id(case, tomorrow))


async def test_a_conference_offered_from_another_cases_process_is_refused(cli: Cli, worker: Harness) -> None:
    case, other = await worker.new_case(), await worker.new_case()
    source = await _assessment(cli, worker, other)
    proposed = _proposed(worker)
    ran = await start_fgc(cli, worker, case, proposed, "--reason", "assessment", "--from", source)
    missing = await start_fgc(
        cli, worker, case, proposed, "--reason", "assessment", "--from", assessment_id(case.reference)
    )

    assert (ran.code, missing.code) == (2, 2)
    assert ran.error == f"start: --from: {source} is not a process of case {case.reference}"
    assert missing.error == f"start: --from: no workflow 'assessment-{case.reference}'"
    await _nothing_started(worker, _fgc_id(case, proposed))


async def test_a_conference_offered_from_a_process_must_name_it_and_a_reason_must_be_known(
    cli: Cli, worker: Harness
) -> None:
    case = await worker.new_case()
    proposed = _proposed(worker)
    unnamed = await start_fgc(cli, worker, case, proposed, "--reason", "cin_plan")
    unknown = await start_fgc(cli, worker, case, proposed, "--reason", "court_order")

    assert (unnamed.code, unknown.code) == (2, 2)
    assert unnamed.error.startswith("start: FgcInput: ")
    assert unnamed.error.endswith("a conference offered from cin_plan names the process it came from")
    assert "argument --reason: invalid choice: 'court_order'" in unknown.error
    await _nothing_started(worker, _fgc_id(case, proposed))
