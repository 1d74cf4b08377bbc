"""The dev server's own store holds no personal data: the SQLite file `make run` keeps, read as bytes.

A dev server like `make run`'s (persisted to a file, our search attributes registered) runs a worker with the
real workflows and activities, and the real API registers a child and family on a contact and takes the
case to an allocated assessment with a joint visit, and a person's details are corrected. The server's
database file (and any write-ahead log beside it) must not hold a name, date of birth, address or postcode
of anyone in the case store.
"""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio.client import Client
from temporalio.testing import WorkflowEnvironment

from safeguarding.codes import Role
from safeguarding.config import Settings
from safeguarding.embedded import dev_server
from tests.api.conftest import Api, served_api
from tests.fixtures.smtp import SmtpServer
from tests.fixtures.temporal import CONVERTER, SIGNER, running_harness
from tests.personal_data import found, personal_terms
from tests.service.registrations import mother
from tests.workflows.time_control import eventually, last_working_day_at

MIN_TERM = 5


def _still_there(path: Path) -> bytes:
    """Return the file's bytes, or none if it went after it was listed.

    SQLite's rollback journal (`temporal.db-journal`) lives only while a transaction writes: the server may
    commit and delete it between the listing and the reading. What it held is the database's pages as they
    were before that write, which the main file held too.
    """
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return b""


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
async def store_file_api(
    tmp_path: Path, db: async_sessionmaker[AsyncSession], smtp: SmtpServer
) -> AsyncIterator[tuple[Api, Path]]:
    """The API over a worker on a dev server of the test's own that persists to a file; yield it and the folder."""
    settings = Settings(temporal_address=f"127.0.0.1:{_free_port()}", temporal_ui_port=_free_port(), data_dir=tmp_path)
    async with dev_server(settings, tmp_path):
        client = await Client.connect(settings.temporal_address, data_converter=CONVERTER, interceptors=[SIGNER])
        env = WorkflowEnvironment.from_client(client)
        async with running_harness(env, db, smtp) as worker, served_api(worker, env, db, tmp_path / "api") as api:
            yield api, tmp_path


async def test_the_dev_servers_database_file_holds_no_name_date_of_birth_address_or_postcode(
    store_file_api: tuple[Api, Path],
) -> None:
    api, folder = store_file_api
    expected = (datetime.now(UTC) + timedelta(days=90)).date()
    received = last_working_day_at(datetime.now(UTC), api.worker.calendar)
    unborn = {
        "given_name": "Unborn",
        "family_name": "Thistlewaite",
        "expected_birth_date": expected.isoformat(),
        "sex": "U",
        "ethnicity": "NOBT",
        "address": "5 Bramblewick Lane, Exampletown EX4 7QT",
    }
    headers = {role: await api.headers(role) for role in (Role.SOCIAL_WORKER, Role.TEAM_MANAGER)}
    contact = await api.http.post(
        "/contacts/new-child",
        json={
            "registration": {"child": unborn, "family": [mother()]},
            "received_at": received.isoformat(),
            "source": "health",
            "summary": "The midwife is worried about support at the birth (fictional).",
            "referrer_email": "midwife-team@example.invalid",
        },
        headers=headers[Role.SOCIAL_WORKER],
    )
    assert contact.status_code == 201, contact.text
    front_door, reference = contact.json()["workflow_id"], contact.json()["registration"]["reference"]
    decide = f"/processes/{front_door}/decisions/decide_contact"
    decided = await api.http.post(
        decide, json={"outcome": "assessment", "rationale": "Needs assessing"}, headers=headers[Role.TEAM_MANAGER]
    )
    assert decided.status_code == 200, decided.text

    async def allocated() -> bool:
        answer = await api.http.post(
            f"/processes/assessment-{reference}/decisions/allocate",
            json={"social_worker_id": api.ids.social_worker_id},
            headers=headers[Role.TEAM_MANAGER],
        )
        return answer.status_code == 200

    assert await eventually(allocated)
    child_id = contact.json()["registration"]["child_id"]
    person = (await api.http.get(f"/people/{child_id}", headers=headers[Role.SOCIAL_WORKER])).json()
    corrected = await api.http.patch(
        f"/people/{child_id}",
        json={"expected_updated_at": person["updated_at"], "reason": "Spelling", "family_name": "Thistlewaite-Ord"},
        headers=headers[Role.SOCIAL_WORKER],
    )
    assert corrected.status_code == 200, corrected.text
    terms = await personal_terms(api.services.sessions) | {"Thistlewaite"}  # and the name before the correction
    assert {"Thistlewaite", "Thistlewaite-Ord", "EX4 7QT", "Marigold", expected.isoformat()} <= terms

    # Read while the server runs: what it has not yet checkpointed is in the write-ahead log beside the file.
    contents = b"".join(_still_there(path) for path in sorted(folder.glob("temporal.db*")))
    assert f"assessment-{reference}".encode() in contents, "the store holds the processes (the reading works)"
    # Terms of five characters or more: the file holds ciphertext, whose random bytes spell a short name
    # now and then; the short names are looked for in the CLI's reading (test_personal_data_in_temporal.py).
    long_terms = {term for term in terms if len(term) >= MIN_TERM}
    assert found(long_terms, [contents.decode("utf-8", errors="replace")]) == {}
