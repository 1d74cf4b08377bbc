"""`python -m worker` takes a Temporal token renewed in its secret file while it runs, and works on with it.

The deployment mounts the token as a secret file; a secret agent renews it there before it expires. The dev
server has no authorizer, so it lets any token through: what is tested is that the running worker reads the
renewed token (it says so in one line, without the token) and still takes and finishes work afterwards.
"""

from __future__ import annotations

import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from temporalio.testing import WorkflowEnvironment

from safeguarding.housekeeping import IdempotencySweepRequest, IdempotencySweepResult
from safeguarding.temporal_token import TOKEN_FILE
from tests.fixtures.worker_process import WAIT, logged, until_polling, worker_env, worker_process

pytestmark = pytest.mark.dev_server

FIRST = "header.first-claims.signature"
RENEWED = "header.renewed-claims.signature"


async def test_the_worker_renews_its_token_from_the_secret_file_and_works_on(
    dev_server_env: WorkflowEnvironment, database_url: str, tmp_path: Path
) -> None:
    secrets = tmp_path / "secrets"
    secrets.mkdir()
    (secrets / TOKEN_FILE).write_text(FIRST)
    queue = f"test-token-{uuid.uuid4()}"
    env = worker_env(
        database_url=database_url,
        temporal_address=dev_server_env.client.service_client.config.target_host,
        task_queue=queue,
        data_dir=tmp_path / "data",
        secrets_dir=str(secrets),
        temporal_token_check_seconds="0.2",
    )

    async with worker_process(env) as (process, lines):
        await until_polling(dev_server_env, queue)
        renewed = secrets / f".{TOKEN_FILE}.new"
        renewed.write_text(RENEWED)
        renewed.replace(secrets / TOKEN_FILE)
        await logged(lines, f"the Temporal token was renewed from {secrets / TOKEN_FILE}", process)
        swept = await dev_server_env.client.execute_workflow(
            "IdempotencySweep",
            IdempotencySweepRequest(retention_days=30),
            id=f"sweep-{queue}",
            task_queue=queue,
            result_type=IdempotencySweepResult,
            execution_timeout=timedelta(seconds=WAIT),
        )

    output = "".join(lines)
    assert swept.batches >= 1, "the sweep ran to its end on the worker holding the renewed token"
    assert FIRST not in output and RENEWED not in output
    assert "Traceback" not in output, output
