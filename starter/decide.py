"""`python -m starter decide WORKFLOW_ID DECISION --actor PRACTITIONER_ID [--json '{...}' | --json-file F]`.

Record a human decision on a running process, as back-office automation or a manager would
(`safeguarding.service.decisions.make_decision`). The acting user comes from the credential, never from
the body: here, `--actor` names a practitioner, and their role and team are read from the case store; a
body that carries `actor` is refused. The body is checked against the decision's command model before
anything is sent, so a malformed payload is a local error naming its fields (and, for a coded field given
in words, the codes it takes). The role, the team and every practitioner the body names (`social_worker_id`,
say) are checked too; the workflow's validator then decides whether this decision is possible now (stage,
once only, not dated in the future). A refusal is one line on stderr, exit 2, and the process is unchanged.
Sending again with the same `--update-id` is safe: the decision is made once and its record is returned
again (the key is hashed before it becomes the Update's id: Temporal shows ids in the clear).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from safeguarding.commands.registry import COMMANDS
from safeguarding.models import DecisionRecord
from safeguarding.service.decision_bodies import body_problem
from safeguarding.service.decisions import make_decision
from starter.arguments import acting, add_actor
from starter.exits import Refused, finish


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the `decide` command."""
    parser = subparsers.add_parser("decide", help="record a decision on a running process", description=__doc__)
    parser.add_argument("workflow_id", metavar="WORKFLOW_ID", help="e.g. front-door-contact-1a2b3c4d5e6f")
    parser.add_argument("decision", metavar="DECISION", choices=sorted(COMMANDS), help=", ".join(sorted(COMMANDS)))
    add_actor(parser, acts="who decides")
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
    """Make the decision the body describes, as `--actor`; a body that does not fit is refused naming its fields."""
    body = read_body(args.json, args.json_file)
    try:
        return await acting(args.actor, make_decision, args.workflow_id, args.decision, body, args.update_id)
    except ValidationError as exc:
        raise Refused(body_problem(args.decision, exc)) from None


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
