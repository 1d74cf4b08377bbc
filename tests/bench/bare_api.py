"""The HTTP baseline: a bare FastAPI app with nothing of ours in it, served beside the real API.

Two routes, no credential, no application layer: an `approve` Update on the bare workflow
(`tests.bench.bare`) through a client with the default converter, and a plain SQL select of a team's first
page of open tasks from the case store, with none of the tray's joins, deadlines or colours. What the real
routes take beyond these is what our API costs.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from fastapi import FastAPI
from pydantic_core import to_jsonable_python
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine
from temporalio.client import Client

from safeguarding.codes import TaskState
from safeguarding.schema import human_tasks
from tests.bench.bare import Approval, TrivialStatus

PAGE = 50
"""As many tasks as the tray's first page holds (`TrayQuery.limit`'s default)."""


def bare_app(client: Client, engine: AsyncEngine) -> FastAPI:
    """Return the bare app over a default-converter Temporal client and the case store's engine."""
    app = FastAPI()

    @app.post("/workflows/{workflow_id}/approve")
    async def approve(workflow_id: str) -> dict[str, Any]:
        status = await client.get_workflow_handle(workflow_id).execute_update(
            "approve", Approval(approved_by="bench"), result_type=TrivialStatus
        )
        return asdict(status)

    @app.get("/teams/{team_id}/tasks")
    async def tasks(team_id: str) -> list[dict[str, Any]]:
        task = human_tasks.c
        query = (
            select(human_tasks)
            .where(task.team_id == team_id, task.state == TaskState.OPEN)
            .order_by(task.due_date.asc().nulls_last(), task.id)
            .limit(PAGE)
        )
        async with engine.connect() as connection:
            rows = (await connection.execute(query)).mappings().all()
        return [to_jsonable_python(dict(row)) for row in rows]

    return app
