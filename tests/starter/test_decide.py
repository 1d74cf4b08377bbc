"""`python -m starter decide`: a decision made by the right person once, or refused with nothing recorded."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from safeguarding.codes import Role
from safeguarding.idempotency import update_id
from safeguarding.schema import decisions
from safeguarding.store.examples import EXAMPLE_IDS, ExampleIds
from safeguarding.working_days import describe_day, local_date
from tests.factories import create_practitioner
from tests.fixtures.temporal import Harness
from tests.starter.conftest import Cli
from tests.starter.test_start import received_in_office_hours, start_front_door

EARLY_HELP = json.dumps({"outcome": "early_help", "rationale": "Needs met by the family hub"})


async def _front_door(cli: Cli, worker: Harness, examples: ExampleIds) -> str:
    ran = await start_front_door(cli, examples.school_age.reference, received_in_office_hours(worker))
    assert ran.code == 0, ran.stderr
    return str(ran.json()["workflow_id"])


async def _decisions(cli: Cli, workflow_id: str) -> list[dict]:
    return list((await cli("status", workflow_id, "--actor", EXAMPLE_IDS.team_manager_id)).json()["decisions"])


async def _recorded(db: async_sessionmaker[AsyncSession], workflow_id: str) -> list[str]:
    async with db() as session:
        query = select(decisions.c.decision).where(decisions.c.workflow_id == workflow_id)
        return list((await session.execute(query)).scalars())


async def test_the_team_manager_decides_the_contact_and_status_shows_the_decision(
    cli: Cli, worker: Harness, examples: ExampleIds
) -> None:
    workflow_id = await _front_door(cli, worker, examples)

    ran = await cli("decide", workflow_id, "decide_contact", "--actor", examples.team_manager_id, "--json", EARLY_HELP)

    assert ran.code == 0, ran.stderr
    record = ran.json()
    assert (record["decision"], record["actor_id"], record["actor_role"], record["outcome"]) == (
        "decide_contact",
        examples.team_manager_id,
        "team_manager",
        "early_help",
    )
    [shown] = await _decisions(cli, workflow_id)
    assert shown == record


async def test_a_decided_contact_takes_no_more_decisions_and_says_who_decided_it(
    cli: Cli, worker: Harness, examples: ExampleIds
) -> None:
    workflow_id = await _front_door(cli, worker, examples)
    decide = ("decide", workflow_id, "decide_contact", "--actor", examples.team_manager_id, "--json", EARLY_HELP)
    first = await cli(*decide)
    assert first.code == 0, first.stderr
    await worker.client.get_workflow_handle(workflow_id).result()

    again = await cli(*decide)

    assert again.code == 2
    on = describe_day(local_date(datetime.fromisoformat(first.json()["effective_at"])))
    assert again.error == (
        f"decide: decide_contact refused by {workflow_id}: already decided by team_manager on {on}; "
        f"{workflow_id} has finished (completed); it takes no more decisions"
    )


async def test_a_finished_process_without_the_decision_says_only_that_it_has_finished(
    cli: Cli, worker: Harness, examples: ExampleIds
) -> None:
    workflow_id = await _front_door(cli, worker, examples)
    decide = ("decide", workflow_id, "decide_contact", "--actor", examples.team_manager_id, "--json", EARLY_HELP)
    assert (await cli(*decide)).code == 0
    await worker.client.get_workflow_handle(workflow_id).result()

    consent = await cli(
        "decide", workflow_id, "record_consent", "--actor", examples.social_worker_id, "--json", '{"consent": "given"}'
    )

    assert consent.code == 2
    assert consent.error == f"decide: {workflow_id} has finished (completed); it takes no more decisions"


async def test_a_decision_by_a_social_worker_is_refused_with_the_validators_reason(
    cli: Cli, worker: Harness, examples: ExampleIds, db: async_sessionmaker[AsyncSession]
) -> None:
    workflow_id = await _front_door(cli, worker, examples)

    ran = await cli("decide", workflow_id, "decide_contact", "--actor", examples.social_worker_id, "--json", EARLY_HELP)

    assert ran.code == 2
    assert ran.error.startswith(f"decide: decide_contact refused by {workflow_id}: ")
    assert "a social_worker may not make this decision; it needs team_manager" in ran.error
    assert "Traceback" not in ran.stderr
    assert await _decisions(cli, workflow_id) == []
    assert await _recorded(db, workflow_id) == []


async def test_a_decision_made_twice_is_refused_but_a_resent_one_returns_the_same_record(
    cli: Cli, worker: Harness, examples: ExampleIds
) -> None:
    workflow_id = await _front_door(cli, worker, examples)
    given = json.dumps({"consent": "given"})
    decide = ("decide", workflow_id, "record_consent", "--actor", examples.social_worker_id, "--json", given)

    key = "consent from Fictional Parent"  # a caller's key may hold anything, a name included
    first = await cli(*decide, "--update-id", key)
    resent = await cli(*decide, "--update-id", key)
    duplicate = await cli(*decide)

    assert (first.code, resent.code) == (0, 0), first.stderr + resent.stderr
    assert resent.json() == first.json()
    assert duplicate.code == 2
    on = describe_day(local_date(datetime.fromisoformat(first.json()["effective_at"])))
    assert duplicate.error.endswith(f"record_consent: already decided by social_worker on {on}")
    assert [d["decision"] for d in await _decisions(cli, workflow_id)] == ["record_consent"]
    history = await worker.client.get_workflow_handle(workflow_id).fetch_history()
    accepted = [
        e.workflow_execution_update_accepted_event_attributes.accepted_request.meta.update_id
        for e in history.events
        if e.HasField("workflow_execution_update_accepted_event_attributes")
    ]
    assert accepted == [update_id("record_consent", key)]
    assert "Fictional Parent" not in history.to_json()


async def test_a_decision_dated_in_the_future_is_refused(cli: Cli, worker: Harness, examples: ExampleIds) -> None:
    workflow_id = await _front_door(cli, worker, examples)
    tomorrow = (datetime.now(UTC) + timedelta(days=1)).isoformat()
    body = json.dumps({"outcome": "early_help", "rationale": "Family hub", "effective_at": tomorrow})

    ran = await cli("decide", workflow_id, "decide_contact", "--actor", examples.team_manager_id, "--json", body)

    assert ran.code == 2
    assert "which is in the future" in ran.error
    assert await _decisions(cli, workflow_id) == []


async def test_a_malformed_body_is_refused_locally_naming_the_field_and_nothing_is_recorded(
    cli: Cli, worker: Harness, examples: ExampleIds, db: async_sessionmaker[AsyncSession]
) -> None:
    workflow_id = await _front_door(cli, worker, examples)
    decide = ("decide", workflow_id, "decide_contact", "--actor", examples.team_manager_id, "--json")

    wrong_value = await cli(*decide, json.dumps({"outcome": "send_to_the_moon", "rationale": "x"}))
    missing = await cli(*decide, json.dumps({"rationale": "x"}))
    unknown = await cli(*decide, json.dumps({"outcome": "early_help", "rationale": "x", "urgency": "high"}))
    not_json = await cli(*decide, "{outcome: early_help")

    assert [ran.code for ran in (wrong_value, missing, unknown, not_json)] == [2, 2, 2, 2]
    assert wrong_value.error.startswith("decide: the decide_contact body is not valid (DecideContact")
    assert "outcome: Input should be 'nfa_advice'" in wrong_value.error
    assert "outcome: Field required" in missing.error
    assert "urgency: Extra inputs are not permitted" in unknown.error
    assert "the body is not valid JSON" in not_json.error
    assert await _decisions(cli, workflow_id) == []
    assert await _recorded(db, workflow_id) == []


async def test_the_actor_comes_from_the_case_store_never_from_the_body(
    cli: Cli, worker: Harness, examples: ExampleIds, db: async_sessionmaker[AsyncSession], tmp_path: Path
) -> None:
    workflow_id = await _front_door(cli, worker, examples)
    async with db.begin() as session:
        gone = await create_practitioner(session, team_id=examples.team_id, role=Role.TEAM_MANAGER, active=False)
    claimed = {"outcome": "early_help", "rationale": "x", "actor": {"practitioner_id": examples.team_manager_id}}
    body_file = tmp_path / "decision.json"
    body_file.write_text(json.dumps(claimed), encoding="utf-8")

    in_body = await cli(
        "decide", workflow_id, "decide_contact", "--actor", examples.social_worker_id, "--json-file", str(body_file)
    )
    unknown = await cli("decide", workflow_id, "decide_contact", "--actor", "prac-nosuch", "--json", EARLY_HELP)
    inactive = await cli("decide", workflow_id, "decide_contact", "--actor", gone, "--json", EARLY_HELP)

    assert in_body.code == 2
    assert in_body.error == "decide: the body may not name its actor: who decides comes from --actor"
    assert unknown.code == 2
    assert unknown.error == "decide: no practitioner 'prac-nosuch'"
    assert inactive.code == 2
    assert inactive.error == f"decide: practitioner {gone} is inactive and may not act"
    assert await _decisions(cli, workflow_id) == []


async def test_a_decision_on_an_unknown_workflow_is_refused(cli: Cli, examples: ExampleIds) -> None:
    ran = await cli(
        "decide",
        "front-door-contact-nosuch",
        "decide_contact",
        "--actor",
        examples.team_manager_id,
        "--json",
        EARLY_HELP,
    )

    assert ran.code == 2
    assert ran.error == "decide: no workflow 'front-door-contact-nosuch'"


async def _assessment(cli: Cli, worker: Harness, examples: ExampleIds) -> str:
    reference = examples.school_age.reference
    referral_at = received_in_office_hours(worker)
    ran = await cli(
        "start",
        "assessment",
        "--case",
        reference,
        "--referral-at",
        referral_at,
        "--referral-source",
        "2A",
        "--actor",
        examples.team_manager_id,
    )
    assert ran.code == 0, ran.stderr
    return str(ran.json()["workflow_id"])


async def test_allocating_to_someone_who_is_not_an_active_social_worker_is_refused_before_anything_is_sent(
    cli: Cli, worker: Harness, examples: ExampleIds, db: async_sessionmaker[AsyncSession]
) -> None:
    workflow_id = await _assessment(cli, worker, examples)
    async with db.begin() as session:
        gone = await create_practitioner(session, team_id=examples.team_id, active=False)
    manager = ("--actor", examples.team_manager_id)

    refused = [
        await cli("decide", workflow_id, "allocate", *manager, "--json", json.dumps({"social_worker_id": who}))
        for who in ("prac-ghost", gone, examples.health_visitor_id)
    ]

    said = "decide: the allocate body names someone who cannot take it: social_worker_id:"
    assert [(r.code, r.error) for r in refused] == [
        (2, f"{said} no practitioner 'prac-ghost'"),
        (2, f"{said} practitioner {gone} is inactive"),
        (2, f"{said} {examples.health_visitor_id} is a health_visitor; it must name a social_worker"),
    ]
    assert await _decisions(cli, workflow_id) == []
    allocated = await cli(
        "decide",
        workflow_id,
        "allocate",
        *manager,
        "--json",
        json.dumps({"social_worker_id": examples.social_worker_id}),
    )
    assert allocated.code == 0, allocated.stderr


async def test_a_nul_in_a_rationale_is_refused_and_the_next_decision_lands(
    cli: Cli, worker: Harness, examples: ExampleIds, db: async_sessionmaker[AsyncSession]
) -> None:
    workflow_id = await _front_door(cli, worker, examples)
    manager = ("--actor", examples.team_manager_id)
    nul = json.dumps({"outcome": "early_help", "rationale": "Needs met\u0000 by the family hub"})

    ran = await cli("decide", workflow_id, "decide_contact", *manager, "--json", nul)

    assert ran.code == 2
    assert ran.error == (
        "decide: the decide_contact body is not valid (DecideContact, decided by team_manager): rationale: "
        "Value error, contains the control character U+0000 at position 10; "
        "only printable text, line breaks and tabs are accepted"
    )
    assert (await cli("decide", workflow_id, "decide_contact", *manager, "--json", EARLY_HELP)).code == 0
    assert await _recorded(db, workflow_id) == ["decide_contact"]


async def test_a_control_character_in_an_option_is_refused_naming_the_option(cli: Cli, examples: ExampleIds) -> None:
    ran = await cli("decide", "front-door-x", "decide_contact", "--actor", "prac\x1b[2J", "--json", EARLY_HELP)

    assert ran.code == 2
    assert ran.error == (
        "python -m starter decide: actor contains the control character U+001B at position 5; "
        "only printable text, line breaks and tabs are accepted"
    )


async def test_a_code_given_as_words_is_refused_naming_the_codes_the_field_takes(
    cli: Cli, worker: Harness, examples: ExampleIds
) -> None:
    workflow_id = await _front_door(cli, worker, examples)
    words = json.dumps({"outcome": "early help", "rationale": "Needs met by the family hub"})

    ran = await cli("decide", workflow_id, "decide_contact", "--actor", examples.team_manager_id, "--json", words)

    assert ran.code == 2
    assert ran.error.endswith(
        "; outcome takes nfa_advice, early_help, assessment, strategy_discussion or immediate_protection"
    )
