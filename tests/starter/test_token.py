"""`python -m starter token`: made once and printed once, listed without secrets, revoked."""

from __future__ import annotations

from safeguarding.store.examples import ExampleIds
from tests.starter.conftest import Cli


async def test_a_token_is_made_listed_without_its_secret_and_revoked(cli: Cli, examples: ExampleIds) -> None:
    made = await cli("token", "create", "--practitioner", examples.team_manager_id, "--expires", "30")
    listed = await cli("token", "list", "--practitioner", examples.team_manager_id)
    revoked = await cli("token", "revoke", made.json()["id"])

    assert made.code == 0, made.stderr
    token = made.json()["token"]
    assert token.startswith(f"sgw_{made.json()['id']}_")
    assert [entry["id"] for entry in listed.json()] == [made.json()["id"]]
    assert token not in listed.stdout
    assert revoked.json()["revoked_at"] is not None


async def test_a_token_for_an_unknown_practitioner_or_a_bad_expiry_is_refused(cli: Cli, examples: ExampleIds) -> None:
    unknown = await cli("token", "create", "--practitioner", "nobody")
    too_long = await cli("token", "create", "--practitioner", examples.team_manager_id, "--expires", "5000")
    no_token = await cli("token", "revoke", "000000000000")

    assert (unknown.code, unknown.error) == (2, "token: no practitioner 'nobody'")
    assert (too_long.code, too_long.error) == (2, "token: a token expires after 1 to 400 days, not 5000")
    assert (no_token.code, no_token.error) == (2, "token: no token '000000000000'")
