"""The table of activity names matches what the worker registers, and workflows call activities only by it.

A workflow names the activity it calls; if that name and the `@activity.defn(name=...)` drift apart, the call
fails only when a case reaches it. These checks make the drift fail here instead.
"""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio import activity
from temporalio.testing import WorkflowEnvironment

from activities.mail import SmtpChannel
from safeguarding.activity_names import ActivityName
from tests.fixtures.temporal import PROFILE
from worker import build_activities

WORKFLOWS = Path(__file__).parent.parent / "workflows"
CALLS = {"execute_activity", "start_activity", "execute_local_activity", "start_local_activity"}


async def test_the_worker_registers_exactly_the_named_activities(
    db: async_sessionmaker[AsyncSession], smtp: Any, time_skipping_env: WorkflowEnvironment
) -> None:
    registered = build_activities(
        sessionmaker=db,
        channel=SmtpChannel(smtp.host, smtp.port, "safeguarding@example.invalid"),
        profile=PROFILE,
        client=time_skipping_env.client,
        task_queue="activity-names",
    )
    names = [activity._Definition.must_from_callable(fn).name for fn in registered]
    assert sorted(names) == sorted(ActivityName)


def _calls_by_bare_string(path: Path) -> list[str]:
    """Return `file:line` of every activity call in `path` whose name is a string literal, not an ActivityName."""
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in CALLS):
            continue
        name = node.args[0] if node.args else next((k.value for k in node.keywords if k.arg == "activity"), None)
        if isinstance(name, ast.Constant) and isinstance(name.value, str):
            found.append(f"{path.name}:{node.lineno}")
    return found


def test_no_workflow_calls_an_activity_by_a_bare_string() -> None:
    assert [call for path in sorted(WORKFLOWS.glob("*.py")) for call in _calls_by_bare_string(path)] == []
