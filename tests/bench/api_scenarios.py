"""The HTTP API under load, each route beside its bare baseline: a decision, and a team's work tray.

The real app (`safeguarding.api.app.create_app`) and the bare one (`tests.bench.bare_api`) are served by
uvicorn on loopback in this process (beside the worker, as `make run` has them), on a pool of connections
to the case store apart from the worker's. Twenty clients call each at once from a process of their own
(`tests.bench.load`), the bare phase and ours taking turns, so that a slower moment of the machine falls
on both alike: a figure is one request's latency with 20 in flight.

The decision measured is `decide_contact` (no further action) on a FrontDoor process started beforehand:
the front door's everyday decision, once per process, through all of the real path — bearer token,
`Idempotency-Key` claimed and kept, the process found in the case store, role and team checked, the Update
sent through our converter and codec and made by the workflow, which records it in the case store before
it answers. Its baseline is the bare route's `approve` Update on a waiting bare workflow, which likewise
ends the workflow it decides. Each round's processes are started, and have settled, before its clock runs,
and have finished before the next phase's.
"""

from __future__ import annotations

import asyncio
import contextlib
import secrets
import tempfile
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import httpx
from pydantic import SecretStr
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker
from temporalio.client import WorkflowHandle

from safeguarding.api.app import create_app
from safeguarding.api.serving import serving
from safeguarding.codes import ContactOutcome
from safeguarding.commands.front_door import FrontDoorResult
from safeguarding.config import Settings
from safeguarding.database import create_engine
from safeguarding.schema import process_records
from safeguarding.service.root import Services
from safeguarding.service.tokens import create_token
from safeguarding.working_days import LONDON
from tests.bench import scenarios, tray_rows
from tests.bench.bare import TrivialInput, TrivialWorkflow
from tests.bench.bare_api import PAGE, bare_app
from tests.bench.load import CLIENTS, Call, closed_loop

LOOPBACK = "127.0.0.1"
SETTLE_SECONDS = 120
"""How long started processes may take to settle before the benchmark gives up: a hang guard only."""
DECISION = {"outcome": ContactOutcome.NFA_ADVICE, "rationale": "Advice given to the referrer; no further action."}


@dataclass(frozen=True)
class ApiRig:
    """Where the apps are served, the tokens the clients call ours with, and the team decided for and read."""

    rig: scenarios.Rig
    ours_url: str
    bare_url: str
    tokens: list[str]
    """One per client, all the team manager's: one per device they sign in on."""

    def ours(self) -> list[dict[str, str]]:
        """Return each client's headers on the real API: its bearer token."""
        return [{"Authorization": f"Bearer {token}"} for token in self.tokens]

    def bare(self) -> list[dict[str, str]]:
        """Return each client's headers on the bare app: none."""
        return [{} for _ in self.tokens]


@contextlib.asynccontextmanager
async def api_rig(rig: scenarios.Rig, database_url: str) -> AsyncIterator[ApiRig]:
    """Serve the real API over the rig's Temporal and case store, and the bare app beside it."""
    engine = create_engine(database_url)
    try:
        with tempfile.TemporaryDirectory(prefix="safeguarding-bench-api-") as data_dir:
            services = _services(rig, engine, Path(data_dir))
            tokens = [
                (await create_token(services, rig.team.team_manager_id, label=f"bench client {index}")).token
                for index in range(CLIENTS)
            ]
            async with (
                serving(create_app(services), LOOPBACK, 0) as ours_url,
                serving(bare_app(rig.bare, engine), LOOPBACK, 0) as bare_url,
            ):
                yield ApiRig(rig=rig, ours_url=ours_url, bare_url=bare_url, tokens=tokens)
    finally:
        await engine.dispose()


async def decisions(api: ApiRig, rounds: int, count: int) -> tuple[list[float], list[float]]:
    """Time `rounds` × `count` decisions over HTTP, and as many bare Updates; return (bare, ours)."""
    bare_ms: list[float] = []
    ours_ms: list[float] = []
    for _ in range(rounds):
        trivial = await asyncio.gather(*(_trivial(api.rig) for _ in range(count)))
        front_doors = await _front_doors(api.rig, count)
        bare_ms += await closed_loop(api.bare_url, [_approve(handle.id) for handle in trivial], api.bare())
        await asyncio.gather(*(handle.result() for handle in trivial))
        ours_ms += await closed_loop(api.ours_url, [_decide(handle.id) for handle in front_doors], api.ours())
        await asyncio.gather(*(handle.result() for handle in front_doors))
    return bare_ms, ours_ms


async def write_worktray(api: ApiRig) -> None:
    """Fill the case store with trays across teams; check both routes answer the team's first page in full."""
    await tray_rows.write_trays(api.rig.sessionmaker, api.rig.team.team_id, today=datetime.now(LONDON).date())
    team_id = api.rig.team.team_id
    async with httpx.AsyncClient(timeout=60) as http:
        ours = (await http.get(f"{api.ours_url}{_tray(team_id).path}", headers=api.ours()[0])).raise_for_status()
        bare = (await http.get(f"{api.bare_url}{_bare_tasks(team_id).path}")).raise_for_status()
    if len(ours.json()["items"]) != PAGE or len(bare.json()) != PAGE:
        raise RuntimeError(f"a first page of {PAGE} tasks was expected: the tray gave {len(ours.json()['items'])}")


async def worktray(api: ApiRig, rounds: int, count: int) -> tuple[list[float], list[float]]:
    """Time `rounds` × `count` reads of the team's tray, and as many bare selects; return (bare, ours)."""
    team_id = api.rig.team.team_id
    bare_ms: list[float] = []
    ours_ms: list[float] = []
    for _ in range(rounds):
        bare_ms += await closed_loop(api.bare_url, [_bare_tasks(team_id)] * count, api.bare())
        ours_ms += await closed_loop(api.ours_url, [_tray(team_id)] * count, api.ours())
    return bare_ms, ours_ms


def _services(rig: scenarios.Rig, engine: AsyncEngine, data_dir: Path) -> Services:
    settings = Settings(
        environment="test",
        task_queue=rig.front_door_queue,
        data_dir=data_dir,
        session_secret=SecretStr(secrets.token_urlsafe(32)),
    )
    sessions = async_sessionmaker(engine, expire_on_commit=False)
    return Services(settings=settings, profile=rig.profile, sessions=sessions, client=rig.ours)


async def _trivial(rig: scenarios.Rig) -> WorkflowHandle:
    return await rig.bare.start_workflow(
        TrivialWorkflow.run, TrivialInput(activities=0), id=f"bench-{uuid.uuid4()}", task_queue=rig.bare_queue
    )


async def _front_doors(rig: scenarios.Rig, count: int) -> list[WorkflowHandle]:
    """Start `count` front doors and wait until each has recorded itself and waits, idle, for its decision."""

    async def start() -> WorkflowHandle:
        front_door_input, workflow_id = await scenarios.new_contact(rig)
        return await rig.ours.start_workflow(
            "FrontDoor", front_door_input, id=workflow_id, task_queue=rig.front_door_queue, result_type=FrontDoorResult
        )

    handles = await asyncio.gather(*(start() for _ in range(count)))
    ids = [handle.id for handle in handles]
    async with asyncio.timeout(SETTLE_SECONDS):
        while True:
            if await _recorded(rig, ids) and all(await asyncio.gather(*map(_idle, handles))):
                return handles
            await asyncio.sleep(0.1)


async def _recorded(rig: scenarios.Rig, workflow_ids: list[str]) -> bool:
    async with rig.sessionmaker() as session:
        query = select(func.count()).where(process_records.c.workflow_id.in_(workflow_ids))
        return (await session.execute(query)).scalar_one() == len(workflow_ids)


async def _idle(handle: WorkflowHandle) -> bool:
    """Return whether the workflow has no activity or workflow task pending: it waits for a person."""
    raw = (await handle.describe()).raw_description
    return not raw.pending_activities and not raw.HasField("pending_workflow_task")


def _approve(workflow_id: str) -> Call:
    return Call("POST", f"/workflows/{workflow_id}/approve")


def _decide(workflow_id: str) -> Call:
    return Call(
        "POST",
        f"/processes/{workflow_id}/decisions/decide_contact",
        json=DECISION,
        headers={"Idempotency-Key": str(uuid.uuid4())},
    )


def _tray(team_id: str) -> Call:
    return Call("GET", f"/tray/teams/{team_id}")


def _bare_tasks(team_id: str) -> Call:
    return Call("GET", f"/teams/{team_id}/tasks")
