"""A command that needs Temporal while nothing answers at its address: one line ending "try again", exit 1.

`python -m starter status` runs as its own process against the test's case store, configured through the
environment as a deployment configures it, with `SAFEGUARDING_TEMPORAL_ADDRESS` naming a port nothing
listens on.
"""

from __future__ import annotations

import os
from pathlib import Path

from safeguarding.store.examples import ExampleIds
from starter.exits import UNAVAILABLE
from tests.fixtures.temporal import TEST_KEYS, TEST_PROOF_KEYS, key_setting, refused_address
from tests.starter.conftest import Cli

UNKNOWN = "front-door-contact-not-on-record"
"""A process the case store has no record of: who may read it can only be settled by asking Temporal."""


async def test_a_status_asked_with_temporal_unreachable_says_try_again_in_one_line(
    examples: ExampleIds, database_url: str, tmp_path: Path
) -> None:
    address = refused_address()
    inherited = {key: value for key, value in os.environ.items() if not key.startswith("SAFEGUARDING_")}
    cli = Cli(
        env={
            **inherited,
            "DATABASE_URL": database_url,
            "SAFEGUARDING_ENVIRONMENT": "test",
            "SAFEGUARDING_TEMPORAL_ADDRESS": address,
            "SAFEGUARDING_PAYLOAD_KEYS": key_setting(TEST_KEYS),
            "SAFEGUARDING_PROOF_KEYS": key_setting(TEST_PROOF_KEYS),
            "SAFEGUARDING_DATA_DIR": str(tmp_path / "data"),
        }
    )

    ran = await cli("status", UNKNOWN, "--actor", examples.team_manager_id)

    assert ran.code == UNAVAILABLE
    assert ran.stderr.strip().splitlines() == [
        f"status: Temporal did not answer while connecting to {address} (no connection); try again"
    ]
    assert ran.stdout == ""
