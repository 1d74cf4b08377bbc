"""`python -m starter raise-disagreement`: a disagreement started by someone entitled to raise it, or nothing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from temporalio.service import RPCError, RPCStatusCode

from safeguarding.codes import AssessmentOutcome, Role
from safeguarding.commands.assessment import Authorise
from safeguarding.commands.disagreement import disagreement_id
from tests.factories import CaseIds, create_practitioner
from tests.fixtures.temporal import Harness
from tests.starter.conftest import Cli, Ran
from tests.workflows.assessment_steps import allocate_and_see, submit
from tests.workflows.time_control import eventually, last_working_day_at


def _raised_at() -> datetime:
    """Return a moment a few minutes ago, to the second (the disagreement's id counts seconds)."""
    return (datetime.now(UTC) - timedelta(minutes=5)).replace(microsecond=0)


async def _assessment(cli: Cli, worker: Harness) -> tuple[CaseIds, str]:
    """Start an assessment on a new case: it awaits the team manager's `allocate`."""
    case = await worker.new_case()
    referral_at = last_working_day_at(datetime.now(UTC), worker.calendar).isoformat()
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
    return case, str(ran.json()["workflow_id"])


async def raise_disagreement(
    cli: Cli, workflow_id: str, key: str, actor: str, raised_at: datetime, *options: str
) -> Ran:
    return await cli(
        "raise-disagreement",
        workflow_id,
        key,
        "--actor",
        actor,
        "--raised-at",
        raised_at.isoformat(),
        "--disagrees-with",
        "Nobody has been allocated and the school's concerns about neglect are growing.",
        "--proposes",
        "Allocate a social worker today.",
        *options,
    )


async def _status(cli: Cli, worker: Harness, workflow_id: str) -> dict:
    ran = await cli("status", workflow_id, "--actor", worker.team.team_manager_id)
    assert ran.code == 0, ran.stderr
    return dict(ran.json())


async def _nothing_started(worker: Harness, workflow_id: str) -> None:
    with pytest.raises(RPCError) as missing:
        await worker.client.get_workflow_handle(workflow_id).describe()
    assert missing.value.status is RPCStatusCode.NOT_FOUND


async def test_a_social_worker_disputes_an_open_task_and_the_practitioners_stage_runs_with_its_time_limit(
    cli: Cli, worker: Harness
) -> None:
    case, assessment = await _assessment(cli, worker)
    raised_at = _raised_at()
    counterpart = worker.team.team_manager_id
    ran = await raise_disagreement(
        cli, assessment, "allocate", worker.team.social_worker_id, raised_at, "--counterpart", counterpart
    )

    assert ran.code == 0, ran.stderr
    started = ran.json()
    assert started["workflow_id"] == disagreement_id(case.reference, raised_at)
    assert (started["about_workflow_id"], started["about_key"], started["stage"]) == (
        assessment,
        "allocate",
        "practitioners",
    )
    assert started["deadline"]["rule_id"] == "disagreement_stage_practitioners"
    assert started["deadline"]["basis"].startswith("5 working days after the disagreement being raised")

    async def stage_open() -> dict | None:
        """the disagreement shows its first stage's time limit"""
        shown = await _status(cli, worker, started["workflow_id"])
        return shown if shown["deadlines"] else None

    [limit] = (await eventually(stage_open))["deadlines"]
    assert (limit["key"], limit["due_date"], limit["basis"]) == (
        "stage:practitioners",
        started["deadline"]["due_date"],
        started["deadline"]["basis"],
    )
    [dispute] = (await _status(cli, worker, assessment))["disputes"]
    assert (dispute["disagreement_workflow_id"], dispute["about_key"], dispute["state"]) == (
        started["workflow_id"],
        "allocate",
        "open",
    )


async def test_a_child_at_immediate_risk_starts_at_the_profiles_higher_stage(cli: Cli, worker: Harness) -> None:
    _, assessment = await _assessment(cli, worker)
    ran = await raise_disagreement(
        cli, assessment, "allocate", worker.team.social_worker_id, _raised_at(), "--immediate-risk"
    )

    assert ran.code == 0, ran.stderr
    assert (ran.json()["stage"], ran.json()["deadline"]["rule_id"]) == (
        "service_managers",
        "disagreement_stage_service_managers",
    )


async def test_the_same_disagreement_raised_twice_is_refused(cli: Cli, worker: Harness) -> None:
    case, assessment = await _assessment(cli, worker)
    raised_at = _raised_at()
    first = await raise_disagreement(cli, assessment, "allocate", worker.team.social_worker_id, raised_at)
    again = await raise_disagreement(cli, assessment, "allocate", worker.team.social_worker_id, raised_at)

    assert first.code == 0, first.stderr
    assert again.code == 2
    assert again.error == f"raise-disagreement: {disagreement_id(case.reference, raised_at)} is already running"


async def test_a_role_not_entitled_to_raise_a_disagreement_is_refused(cli: Cli, worker: Harness) -> None:
    case, assessment = await _assessment(cli, worker)
    async with worker.sessionmaker.begin() as session:
        clerk = await create_practitioner(session, team_id=worker.team.team_id, role=Role.BUSINESS_SUPPORT)
    raised_at = _raised_at()
    ran = await raise_disagreement(cli, assessment, "allocate", clerk, raised_at)

    assert ran.code == 2
    assert ran.error == (
        f"raise-disagreement: {clerk} is a business_support: a business_support may not raise a disagreement"
    )
    await _nothing_started(worker, disagreement_id(case.reference, raised_at))
    assert (await _status(cli, worker, assessment))["disputes"] == []


async def test_an_unknown_process_or_practitioner_is_refused(cli: Cli, worker: Harness) -> None:
    _, assessment = await _assessment(cli, worker)
    raised_at = _raised_at()
    no_process = await raise_disagreement(
        cli, "assessment-EX-NOSUCH", "allocate", worker.team.social_worker_id, raised_at
    )
    no_actor = await raise_disagreement(cli, assessment, "allocate", "prac-nosuch", raised_at)
    no_counterpart = await raise_disagreement(
        cli, assessment, "allocate", worker.team.social_worker_id, raised_at, "--counterpart", "prac-nobody"
    )

    assert (no_process.code, no_actor.code, no_counterpart.code) == (2, 2, 2)
    assert no_process.error == "raise-disagreement: no workflow 'assessment-EX-NOSUCH'"
    assert no_actor.error == "raise-disagreement: no practitioner 'prac-nosuch'"
    assert no_counterpart.error == "raise-disagreement: no practitioner 'prac-nobody'"
    assert (await _status(cli, worker, assessment))["disputes"] == []


async def test_a_moment_in_the_future_is_refused(cli: Cli, worker: Harness) -> None:
    case, assessment = await _assessment(cli, worker)
    tomorrow = (datetime.now(UTC) + timedelta(days=1)).replace(microsecond=0)
    ran = await raise_disagreement(cli, assessment, "allocate", worker.team.social_worker_id, tomorrow)

    assert ran.code == 2
    assert ran.error == f"raise-disagreement: --raised-at {tomorrow.isoformat()} is in the future"
    await _nothing_started(worker, disagreement_id(case.reference, tomorrow))


async def test_a_key_the_process_does_not_have_is_refused_listing_the_keys_it_has(cli: Cli, worker: Harness) -> None:
    case, assessment = await _assessment(cli, worker)
    raised_at = _raised_at()
    ran = await raise_disagreement(cli, assessment, "authorise:1", worker.team.social_worker_id, raised_at)

    assert ran.code == 2
    assert ran.error == (
        f"raise-disagreement: 'authorise:1' is neither a decision nor an open question of {assessment} "
        "(it has: allocate)"
    )
    await _nothing_started(worker, disagreement_id(case.reference, raised_at))


async def test_a_process_stopped_without_closing_takes_no_disagreement(cli: Cli, worker: Harness) -> None:
    case, assessment = await _assessment(cli, worker)
    await worker.client.get_workflow_handle(assessment).terminate(reason="test: the process was stopped")
    raised_at = _raised_at()
    ran = await raise_disagreement(cli, assessment, "allocate", worker.team.social_worker_id, raised_at)

    assert ran.code == 2
    assert ran.error == (
        f"raise-disagreement: {assessment} stopped without closing (terminated): it has no record to dispute"
    )
    await _nothing_started(worker, disagreement_id(case.reference, raised_at))


async def test_a_health_visitor_disputes_the_step_down_of_an_assessment_that_has_closed(
    cli: Cli, worker: Harness
) -> None:
    case, assessment = await _assessment(cli, worker)
    handle = worker.client.get_workflow_handle(assessment)
    await allocate_and_see(worker, handle)
    await submit(worker, handle, AssessmentOutcome.FAMILY_SUPPORT_PLAN)
    authorise = Authorise(
        actor=worker.actor(Role.TEAM_MANAGER),
        outcome=AssessmentOutcome.FAMILY_SUPPORT_PLAN,
        family_consents_to_health_lead=True,
        rationale="Needs met by a Family Support Plan",
    )
    await handle.execute_update("authorise", authorise)
    await handle.result()
    raised_at = _raised_at()
    ran = await raise_disagreement(cli, assessment, "authorise:1", worker.team.health_visitor_id, raised_at)
    wrong_key = await raise_disagreement(
        cli, assessment, "authorise", worker.team.health_visitor_id, raised_at + timedelta(seconds=1)
    )

    assert ran.code == 0, ran.stderr
    started = ran.json()
    assert (started["workflow_id"], started["about_workflow_id"], started["stage"]) == (
        disagreement_id(case.reference, raised_at),
        assessment,
        "practitioners",
    )

    async def recorded() -> dict | None:
        """the disagreement has recorded the dispute on the assessment's record"""
        shown = await _status(cli, worker, started["workflow_id"])
        return shown if shown["open_tasks"] else None

    shown = await eventually(recorded)
    assert shown["facts"]["about_closed_at"] is not None
    assert wrong_key.code == 2
    assert wrong_key.error == (
        f"raise-disagreement: 'authorise' is neither a decision nor an open question of {assessment} "
        "(it has: allocate:1, authorise:1, record_child_seen:1, submit_assessment:1)"
    )


async def test_a_disagreement_is_escalated_not_disputed(cli: Cli, worker: Harness) -> None:
    case, assessment = await _assessment(cli, worker)
    first = await raise_disagreement(cli, assessment, "allocate", worker.team.social_worker_id, _raised_at())
    disagreement = first.json()["workflow_id"]
    raised_at = _raised_at() + timedelta(seconds=1)
    ran = await raise_disagreement(cli, disagreement, "resolve_disagreement", worker.team.team_manager_id, raised_at)

    assert first.code == 0, first.stderr
    assert ran.code == 2
    assert ran.error == f"raise-disagreement: {disagreement} is a disagreement: escalate it instead of disputing it"
    await _nothing_started(worker, disagreement_id(case.reference, raised_at))
