"""Every Update of every process, fuzzed: a clear refusal or a recorded decision, never a failed workflow task.

For each process its description names (`safeguarding.descriptions`), one running instance on a time-skipping
server of its own is sent, for each Update its workflow defines (its decisions and the shared `reassign`,
`record_dispute`, `apply_resolution`, `apply_calendar`), bodies Hypothesis generates from the Update's
model: every field as its JSON schema says or junk, actors of the team or invented, roles and teams right
or wrong, dates in the past or future, control characters in text. Most go signed, as the service sends
them; some unsigned, as the `temporal` CLI would. After each, the process is described: no workflow task
has failed, it still answers its `status` query, and a decision it accepted is in that status. The same
examples run every time (`derandomize`); the calls run in a thread so the worker keeps working.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Coroutine
from datetime import UTC, datetime
from typing import Any, TypeVar

import hypothesis
import pytest
from hypothesis import strategies as st
from pydantic import BaseModel, ValidationError
from temporalio import workflow
from temporalio.api.enums.v1 import EventType, WorkflowExecutionStatus
from temporalio.client import Client, WorkflowHandle, WorkflowQueryFailedError, WorkflowUpdateFailedError
from temporalio.service import RPCError

from safeguarding.codes import AgeBand, CpCategory, FgcReason, Process, Role
from safeguarding.commands.assessment import JointVisitInput, assessment_id, joint_visit_id
from safeguarding.commands.conference import InitialConferenceInput, initial_conference_id
from safeguarding.commands.strategy_discussion import S47Input, s47_enquiry_id
from safeguarding.decision_proof import NO_PROOF
from safeguarding.descriptions.registry import DESCRIPTIONS
from safeguarding.models import ProcessStatus
from safeguarding.refusal import refusal_reason
from tests.fixtures.temporal import Harness
from tests.workflows.assessment_steps import start_assessment
from tests.workflows.child_protection_steps import start_discussion
from tests.workflows.cp_plan_steps import start_plan
from tests.workflows.disagreement_steps import raise_disagreement, seed_partners
from tests.workflows.fgc_steps import seed_family, start_fgc
from tests.workflows.front_door_steps import start_contact
from tests.workflows.lado_steps import notification_form, seed_lado_team, start_lado
from tests.workflows.time_control import last_working_day_at
from workflows.registry import ALL_WORKFLOWS

EXAMPLES = 20
"""Bodies per Update: enough to reach refusals of every kind and some decisions, few enough for CI."""
WORKFLOWS = {cls.PROCESS: cls for cls in ALL_WORKFLOWS if getattr(cls, "PROCESS", None) in DESCRIPTIONS}
INVENTED = "mallory"
T = TypeVar("T")


async def _now(harness: Harness) -> datetime:
    return last_working_day_at(await harness.env.get_current_time(), harness.calendar)


async def _front_door(harness: Harness) -> WorkflowHandle[Any, Any]:
    return await start_contact(harness)


async def _assessment(harness: Harness) -> WorkflowHandle[Any, Any]:
    return await start_assessment(harness, await harness.new_case(), await _now(harness))


async def _joint_visit(harness: Harness) -> WorkflowHandle[Any, Any]:
    case = await harness.new_case()
    started = JointVisitInput(
        context=harness.context(case),
        assessment_workflow_id=assessment_id(case.reference),
        social_worker_id=harness.team.social_worker_id,
        age_band=AgeBand.FIVE_AND_OVER,
    )
    return await harness.start("JointVisit", started, joint_visit_id(case.reference))


async def _strategy_discussion(harness: Harness) -> WorkflowHandle[Any, Any]:
    return await start_discussion(harness, await harness.new_case(), await _now(harness))


async def _s47_enquiry(harness: Harness) -> WorkflowHandle[Any, Any]:
    case, at = await harness.new_case(), await _now(harness)
    started = S47Input(
        context=harness.context(case),
        discussion_workflow_id=f"strategy-discussion-{case.reference}",
        discussion_at=at,
        started_at=at,
        joint_with_police=True,
    )
    return await harness.start("S47Enquiry", started, s47_enquiry_id(case.reference))


async def _initial_conference(harness: Harness) -> WorkflowHandle[Any, Any]:
    case, at = await harness.new_case(), await _now(harness)
    started = InitialConferenceInput(
        context=harness.context(case),
        s47_workflow_id=s47_enquiry_id(case.reference),
        first_discussion_at=at,
        last_discussion_at=at,
        s47_started_at=at,
    )
    return await harness.start("InitialConference", started, initial_conference_id(case.reference))


async def _cp_plan(harness: Harness) -> WorkflowHandle[Any, Any]:
    return await start_plan(harness, await harness.new_case(), await _now(harness), category=CpCategory.NEGLECT)


async def _lado(harness: Harness) -> WorkflowHandle[Any, Any]:
    team, at = await seed_lado_team(harness), await _now(harness)
    return await start_lado(harness, team, notification_form(team, came_to_attention_at=at, notified_at=at))


async def _fgc(harness: Harness) -> WorkflowHandle[Any, Any]:
    return await start_fgc(harness, await seed_family(harness), reason=FgcReason.ASSESSMENT)


async def _disagreement(harness: Harness) -> WorkflowHandle[Any, Any]:
    await seed_partners(harness)
    case = await harness.new_case()
    about = await start_assessment(harness, case, await _now(harness))
    return await raise_disagreement(harness, case, about, "allocate", harness.actor(Role.HEALTH_VISITOR))


STARTS: dict[Process, Callable[[Harness], Awaitable[WorkflowHandle[Any, Any]]]] = {
    Process.FRONT_DOOR: _front_door,
    Process.ASSESSMENT: _assessment,
    Process.JOINT_VISIT: _joint_visit,
    Process.STRATEGY_DISCUSSION: _strategy_discussion,
    Process.S47_ENQUIRY: _s47_enquiry,
    Process.INITIAL_CONFERENCE: _initial_conference,
    Process.CP_PLAN: _cp_plan,
    Process.LADO: _lado,
    Process.FGC: _fgc,
    Process.DISAGREEMENT: _disagreement,
}


def test_every_described_process_has_a_start_here() -> None:
    assert set(STARTS) == set(DESCRIPTIONS) == set(WORKFLOWS)


# -- bodies ---------------------------------------------------------------------------------------------

TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=30)
JUNK = st.one_of(st.none(), st.integers(-3, 3), TEXT, st.lists(st.integers(), max_size=2), st.just({}))
WHEN = st.datetimes(min_value=datetime(2025, 1, 1), max_value=datetime(2028, 1, 1), timezones=st.just(UTC)).map(
    datetime.isoformat
)


def _value(schema: dict[str, Any], defs: dict[str, Any], ids: list[str], team_id: str) -> st.SearchStrategy[Any]:
    """Return values for a JSON schema: as it says, mostly, with junk mixed in."""
    if "$ref" in schema:
        return _value(defs[schema["$ref"].rsplit("/", 1)[1]], defs, ids, team_id)
    if "enum" in schema:
        return st.sampled_from(schema["enum"])
    if "anyOf" in schema:
        return st.one_of([_value(option, defs, ids, team_id) for option in schema["anyOf"]])
    kind = schema.get("type")
    if kind == "object" and "properties" in schema:
        return _object(schema, defs, ids, team_id)
    if kind == "string" and schema.get("format") == "date-time":
        return WHEN
    if kind == "string" and schema.get("format") == "date":
        return WHEN.map(lambda moment: moment[:10])
    if kind == "string":
        return st.one_of(st.sampled_from([*ids, team_id]), TEXT)
    if kind == "array":
        return st.lists(_value(schema.get("items", {}), defs, ids, team_id), max_size=3)
    return {
        "integer": st.integers(-2, 40),
        "number": st.floats(allow_nan=False),
        "boolean": st.booleans(),
        "null": st.none(),
    }.get(kind, JUNK)


def _object(
    schema: dict[str, Any],
    defs: dict[str, Any],
    ids: list[str],
    team_id: str,
    *,
    junk: bool = True,
    roles: tuple[Role, ...] = (),
) -> st.SearchStrategy[Any]:
    def field(name: str, field: dict[str, Any]) -> st.SearchStrategy[Any]:
        value = _actor(ids, team_id, roles) if name == "actor" else _value(field, defs, ids, team_id)
        return st.one_of(value, JUNK) if junk else value

    fields = {name: field(name, schema_) for name, schema_ in schema["properties"].items()}
    required = set(schema.get("required", ()))
    return st.fixed_dictionaries(
        {name: value for name, value in fields.items() if name in required},
        optional={name: value for name, value in fields.items() if name not in required},
    )


def _actor(ids: list[str], team_id: str, roles: tuple[Role, ...] = ()) -> st.SearchStrategy[dict[str, str]]:
    """Return actors: of the team or invented, in a role the decision needs or any."""
    return st.fixed_dictionaries(
        {
            "practitioner_id": st.sampled_from([*ids, INVENTED]),
            "role": st.one_of(st.sampled_from(roles or tuple(Role)), st.sampled_from(list(Role))),
            "team_id": st.sampled_from([team_id, team_id, "another-team", "safeguarding-unit"]),
        }
    )


def _bodies(model: type[BaseModel], harness: Harness, roles: tuple[Role, ...]) -> st.SearchStrategy[dict[str, Any]]:
    """Return bodies for `model`: every field as its schema says, or (as often) with junk in any field."""
    schema, defs = model.model_json_schema(), model.model_json_schema().get("$defs", {})
    team = harness.team
    ids = [team.social_worker_id, team.team_manager_id, team.service_manager_id, team.health_visitor_id]
    return st.one_of(
        _object(schema, defs, ids, team.team_id, junk=False, roles=roles),
        _object(schema, defs, ids, team.team_id, roles=roles),
    )


# -- the run ----------------------------------------------------------------------------------------------


def _updates(process: Process) -> list[tuple[str, type[BaseModel], tuple[Role, ...]]]:
    """Return each Update of the process's workflow, with the model it takes and the roles its description names."""
    definition = workflow._Definition.from_class(WORKFLOWS[process])
    decisions = {decision.name: decision.roles for decision in DESCRIPTIONS[process].decisions}
    return sorted(
        (name, update.arg_types[0], decisions.get(name, ())) for name, update in definition.updates.items() if name
    )


@pytest.mark.parametrize("process", sorted(STARTS), ids=str)
async def test_every_update_of_every_process_is_refused_clearly_or_recorded_and_never_fails_a_task(
    skipping: Harness, process: Process
) -> None:
    harness = skipping
    handle = await STARTS[process](harness)
    await handle.query("status", result_type=ProcessStatus)
    unsigned = Client(**{**harness.client.config(), "interceptors": []})
    loop = asyncio.get_running_loop()
    outcomes: dict[str, int] = {}

    def run(coroutine: Coroutine[Any, Any, T]) -> T:
        return asyncio.run_coroutine_threadsafe(coroutine, loop).result(timeout=120)

    def fuzz(name: str, model: type[BaseModel], roles: tuple[Role, ...]) -> None:
        @hypothesis.settings(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,
            derandomize=True,
            suppress_health_check=list(hypothesis.HealthCheck),
            phases=[hypothesis.Phase.explicit, hypothesis.Phase.generate],
        )
        @hypothesis.given(body=_bodies(model, harness, roles), signed=st.integers(0, 3).map(bool))
        def sent(body: dict[str, Any], signed: bool) -> None:
            readable = _readable(model, body)
            outcome = run(_send(harness.client if signed else unsigned, handle.id, name, readable or body))
            if not signed:
                # Unsigned, it is never taken: a body the workflow can read is refused for want of a proof.
                assert outcome.startswith(("refused: ", "closed")), outcome
                assert readable is None or outcome in (f"refused: {name}: {NO_PROOF} (no proof)", "closed"), outcome
            run(_still_well(harness, handle, outcome))
            outcomes[_kind(outcome)] = outcomes.get(_kind(outcome), 0) + 1

        sent()

    for name, model, roles in _updates(process):
        await asyncio.to_thread(fuzz, name, model, roles)

    # The bodies reached every line of refusal, not only the first.
    assert {"refused unread", "refused without a proof", "refused by the rules"} <= set(outcomes), outcomes


def _kind(outcome: str) -> str:
    """Return what an outcome shows: a refusal at reading, for want of a proof, or by the workflow's rules."""
    if not outcome.startswith("refused: "):
        return outcome.split(":")[0]
    if NO_PROOF in outcome:
        return "refused without a proof"
    if "body is not valid" in outcome or "payload" in outcome or "decoding" in outcome:
        return "refused unread"
    return "refused by the rules"


def _readable(model: type[BaseModel], body: dict[str, Any]) -> BaseModel | None:
    """Return the body as its model, if it is one: sent so, what is signed is what the workflow reads."""
    try:
        return model.model_validate(body)
    except ValidationError:
        return None


async def _send(client: Client, workflow_id: str, name: str, sent: BaseModel | dict[str, Any]) -> str:
    """Send one generated body; return what became of it: refused (and why), taken, recorded, or closed."""
    handle = client.get_workflow_handle(workflow_id)
    try:
        result = await asyncio.wait_for(handle.execute_update(name, sent), timeout=60)
    except WorkflowUpdateFailedError as refused:
        reason = refusal_reason(refused.cause)
        assert reason.strip(), "a refusal says why"
        return f"refused: {reason}"
    except RPCError as closed:
        assert "workflow execution already completed" in closed.message, closed.message
        return "closed"
    return f"recorded: {name}" if isinstance(result, dict) and "decision" in result else f"taken: {name}"


async def _still_well(harness: Harness, handle: WorkflowHandle[Any, Any], outcome: str) -> None:
    """The process has no failed workflow task, still answers `status`, and shows a decision it recorded."""
    history = await handle.fetch_history()
    failed = [e for e in history.events if e.event_type == EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED]
    if failed:
        failure = failed[0].workflow_task_failed_event_attributes.failure
        raise AssertionError(f"after {outcome}: {await harness.client.data_converter.decode_failure(failure)!r}")
    execution = await harness.execution(handle.id)
    assert execution.status in (
        WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING,
        WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_COMPLETED,
    ), outcome
    status = await _status(handle)
    if outcome.startswith("recorded: "):
        assert outcome.removeprefix("recorded: ") in {d.decision for d in status.decisions}


async def _status(handle: WorkflowHandle[Any, Any], attempts: int = 5) -> ProcessStatus:
    """Return the process's `status`, asking again if a query fails.

    On a loaded machine the SDK's deadlock detector fails a query whose thread is not scheduled within two
    seconds; asked again, a healthy process answers, and a stuck one never does.
    """
    for _ in range(attempts - 1):
        try:
            return await handle.query("status", result_type=ProcessStatus)
        except WorkflowQueryFailedError:
            await asyncio.sleep(1)
    return await handle.query("status", result_type=ProcessStatus)
