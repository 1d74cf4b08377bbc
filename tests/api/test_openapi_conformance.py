"""Every operation of the OpenAPI document, fuzzed by Schemathesis against the served API: no 5xx, and every
answer's status code, content type and body as the document declares them.

The cases are generated from the document by Hypothesis (a few per operation, the same ones every run) and
sent over HTTP to the app uvicorn serves for the test, as a back-office client would send them: with a team
manager's bearer token (for the routes that always refuse a team manager — administration, the census, the
LADO's report — the token of someone they answer: `READERS`).
Half of each operation's cases name real ids (the example cases, people, team, a running front door),
so the checks see the answers of found resources as well as of unknown ids. The calls run in a thread so
the server, on the test's event loop, keeps answering.
"""

from __future__ import annotations

import asyncio
import secrets
from datetime import UTC, datetime
from typing import Any

import hypothesis
import pytest
import schemathesis
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from safeguarding.api.app import create_app
from safeguarding.codes import Role
from safeguarding.config import Settings
from tests.api.conftest import Api
from tests.workflows.time_control import last_working_day_at

SCHEMA = schemathesis.openapi.from_dict(
    create_app(settings=Settings(environment="test", session_secret=secrets.token_urlsafe(32))).openapi()
)
OPERATIONS = [result.ok() for result in SCHEMA.get_all_operations()]
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
READERS = {"/admin": Role.ADMINISTRATOR, "/reports/census": Role.SERVICE_MANAGER, "/reports/lado": Role.LADO}
"""The routes a team manager is always refused, called as someone they answer, so their answers are checked too."""
EXAMPLES = 8
"""Cases per operation: enough to reach each operation's refusals and answers, few enough for CI."""


@pytest.mark.parametrize("operation", OPERATIONS, ids=[operation.label for operation in OPERATIONS])
async def test_every_answer_is_as_the_openapi_document_declares(
    shared_api: Api, front_door: str, operation: Any
) -> None:
    api = shared_api
    role = next((role for prefix, role in READERS.items() if operation.path.startswith(prefix)), Role.TEAM_MANAGER)
    headers = await api.headers(role)
    real = _real_path_parameters(api, front_door, operation.path)
    generated = operation.as_strategy()
    strategy = st.one_of(generated, operation.as_strategy(path_parameters=real)) if real else generated

    @hypothesis.settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(hypothesis.HealthCheck),
        phases=[hypothesis.Phase.explicit, hypothesis.Phase.generate, hypothesis.Phase.shrink],
    )
    @hypothesis.given(case=strategy)
    def conforms(case: Any) -> None:
        case.call_and_validate(base_url=str(api.http.base_url), headers=headers, checks=CHECKS, timeout=60)

    await asyncio.to_thread(conforms)


@pytest.fixture(scope="module")
async def front_door(shared_api: Api) -> str:
    """Return the workflow id of a front door running for the module's tests."""
    received = last_working_day_at(datetime.now(UTC), shared_api.worker.calendar)
    contact = {
        "case_reference": shared_api.ids.school_age.reference,
        "received_at": received.isoformat(),
        "source": "school",
        "summary": "Fictional concern for testing.",
        "referrer_email": "referrer@example.invalid",
    }
    headers = await shared_api.headers(Role.TEAM_MANAGER)
    started = await shared_api.http.post("/contacts", json=contact, headers=headers)
    assert started.status_code == 201, started.text
    return str(started.json()["workflow_id"])


def _real_path_parameters(api: Api, front_door: str, path: str) -> dict[str, str]:
    """Return real ids for the path's parameters: example rows, and the module's running front door."""
    known = {
        "case_id": api.ids.school_age.case_id,
        "person_id": api.ids.school_age.child_id,
        "team_id": api.ids.team_id,
        "practitioner_id": api.ids.social_worker_id,
        "rule_id": "icpc",
        "workflow_id": front_door,
    }
    return {name: value for name, value in known.items() if f"{{{name}}}" in path}
