"""`python -m starter decide WORKFLOW_ID DECISION --actor PRACTITIONER_ID [--json '{...}' | --json-file F]`.

Record a human decision on a running process, as back-office automation or a manager would. The acting
user comes from the credential, never from the body: here, `--actor` names a practitioner, and their
role and team are read from the case store; a body that carries `actor` is refused. The body is checked
against the decision's command model (`safeguarding.commands.registry`) before anything is sent, so a
malformed payload is a local error naming its fields. The workflow's validator then decides whether this
actor may make this decision now (role, stage, once only, not dated in the future); a refusal is one line
on stderr, exit 2, and the process is unchanged. Sending again with the same `--update-id` is safe: the
decision is made once and its record is returned again (the key is hashed before it becomes the Update's
id: Temporal shows ids in the clear). Every practitioner the body names (`social_worker_id`, say) must be
active and hold the role the field needs, checked in the case store before anything is sent.
"""

from __future__ import annotations

import argparse
import json
import uuid
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from sqlalchemy.ext.asyncio import async_sessionmaker
from temporalio.client import Client, WorkflowExecutionStatus, WorkflowUpdateFailedError
from temporalio.service import RPCError, RPCStatusCode

from safeguarding.authority import DECISION_ROLES, already_decided
from safeguarding.codes import Role
from safeguarding.commands import Decision
from safeguarding.commands.coded_fields import codes_at, describe_codes
from safeguarding.commands.registry import COMMANDS
from safeguarding.config import Settings
from safeguarding.database import create_engine, database_url
from safeguarding.idempotency import update_id as idempotent_update_id
from safeguarding.models import Actor, DecisionRecord
from safeguarding.named_practitioners import named_practitioners
from safeguarding.refusal import refusal_reason
from safeguarding.store.decisions import first_decision
from safeguarding.store.practitioners import get_practitioner, named_practitioner_problems
from safeguarding.temporal import connect
from starter.exits import Refused, describe_validation, finish
from starter.worker_wait import answered, require_worker

SENT = "The decision was sent and is made once a worker takes it; send it again with the same --update-id to see it."


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the `decide` command."""
    parser = subparsers.add_parser("decide", help="record a decision on a running process", description=__doc__)
    parser.add_argument("workflow_id", metavar="WORKFLOW_ID", help="e.g. front-door-contact-1a2b3c4d5e6f")
    parser.add_argument("decision", metavar="DECISION", choices=sorted(COMMANDS), help=", ".join(sorted(COMMANDS)))
    parser.add_argument("--actor", required=True, metavar="PRACTITIONER_ID", help="who decides (their id)")
    body = parser.add_mutually_exclusive_group()
    body.add_argument("--json", metavar="JSON", help="the decision as a JSON object, without `actor`")
    body.add_argument("--json-file", type=Path, metavar="FILE", help="a file holding that JSON object")
    parser.add_argument(
        "--update-id",
        help="a key of your own for this decision: sending it again returns the same record (default: a new uuid)",
    )
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    """Make the decision and print its record."""
    return finish("decide", decide(args))


async def decide(args: argparse.Namespace) -> DecisionRecord:
    """Build the command from the body and the actor from the case store, then send it as an Update."""
    body = read_body(args.json, args.json_file)
    settings = Settings()
    command = build_command(args.decision, body, await resolve_actor(settings, args.actor))
    await check_named_practitioners(settings, args.decision, command)
    client = await connect(settings)
    await require_worker(client, settings.task_queue, unsent="Nothing was sent.")
    handle = client.get_workflow_handle(args.workflow_id)
    update_id = idempotent_update_id(args.decision, args.update_id or uuid.uuid4().hex)
    update = handle.execute_update(args.decision, command, id=update_id, result_type=DecisionRecord)
    try:
        return await answered(update, client, settings.task_queue, settings.worker_wait_seconds, unanswered=SENT)
    except WorkflowUpdateFailedError as exc:
        reason = refusal_reason(exc.cause)
        raise Refused(f"{args.decision} refused by {args.workflow_id}: {reason}") from None
    except RPCError as exc:
        if exc.status is not RPCStatusCode.NOT_FOUND:
            raise
        raise Refused(await _why_not_found(client, settings, args.workflow_id, args.decision, exc)) from None


def read_body(text: str | None, path: Path | None) -> dict[str, Any]:
    """Return the decision's JSON object (empty when none is given); refuse one that names its own actor."""
    if path is not None:
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise Refused(f"cannot read {path}: {exc.strerror}") from None
    try:
        body = json.loads(text) if text is not None else {}
    except json.JSONDecodeError as exc:
        raise Refused(f"the body is not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}") from None
    if not isinstance(body, dict):
        raise Refused('the body must be a JSON object, e.g. {"outcome": "early_help", "rationale": "..."}')
    if "actor" in body:
        raise Refused("the body may not name its actor: who decides comes from --actor")
    return body


async def resolve_actor(settings: Settings, practitioner_id: str) -> Actor:
    """Return the actor `practitioner_id` is, from the case store; refuse an unknown or inactive one."""
    engine = create_engine(database_url(settings, settings.data_dir))
    try:
        async with async_sessionmaker(engine)() as session:
            row = await get_practitioner(practitioner_id, session=session)
    finally:
        await engine.dispose()
    if row is None:
        raise Refused(f"no practitioner {practitioner_id!r}")
    if not row["active"]:
        raise Refused(f"practitioner {practitioner_id} is inactive and may not make decisions")
    return Actor(practitioner_id=row["id"], role=Role(row["role"]), team_id=row["team_id"])


async def check_named_practitioners(settings: Settings, decision: str, command: Decision) -> None:
    """Refuse a body whose ids name no practitioner, an inactive one, or one without the role the field needs."""
    named = named_practitioners(command)
    if not named:
        return
    engine = create_engine(database_url(settings, settings.data_dir))
    try:
        async with async_sessionmaker(engine)() as session:
            problems = await named_practitioner_problems(named, session=session)
    finally:
        await engine.dispose()
    if problems:
        raise Refused(f"the {decision} body names someone who cannot take it: {'; '.join(problems)}")


async def _recorded_decision(settings: Settings, workflow_id: str, decision: str) -> str | None:
    engine = create_engine(database_url(settings, settings.data_dir))
    try:
        async with async_sessionmaker(engine)() as session:
            row = await first_decision(workflow_id, decision, session=session)
    finally:
        await engine.dispose()
    return already_decided(row["actor_role"], row["effective_at"]) if row else None


def build_command(decision: str, body: dict[str, Any], actor: Actor) -> Decision:
    """Return the command of `decision` from the body and the actor; refuse a body that does not fit it."""
    model = COMMANDS[decision]
    try:
        return model.model_validate({**body, "actor": actor})
    except ValidationError as exc:
        message = describe_validation(exc)
        roles = " or ".join(DECISION_ROLES[decision])
        codes = [
            f"; {'.'.join(str(part) for part in error['loc'])} takes {describe_codes(coded)}"
            for error in exc.errors()
            if (coded := codes_at(model, error["loc"])) is not None
        ]
        raise Refused(
            f"the {decision} body is not valid ({model.__name__}, decided by {roles}): {message}{''.join(codes)}"
        ) from None


async def _why_not_found(client: Client, settings: Settings, workflow_id: str, decision: str, exc: RPCError) -> str:
    """Return why an Update found nothing to update: no such workflow, or one that has already finished.

    A finished process whose record holds this decision says who made it and when, as the running
    process would have.
    """
    try:
        status = (await client.get_workflow_handle(workflow_id).describe()).status
    except RPCError as missing:
        if missing.status is RPCStatusCode.NOT_FOUND:
            return f"no workflow {workflow_id!r}"
        raise
    if status is not None and status is not WorkflowExecutionStatus.RUNNING:
        finished = f"{workflow_id} has finished ({status.name.lower()}); it takes no more decisions"
        made = await _recorded_decision(settings, workflow_id, decision)
        return f"{decision} refused by {workflow_id}: {made}; {finished}" if made else finished
    return f"{workflow_id}: {exc.message}"
