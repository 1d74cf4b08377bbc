"""The proof of identity an Update carries: what it binds, which keys it is checked against, and its settings."""

from __future__ import annotations

import base64
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from safeguarding.codec import PayloadKeyError
from safeguarding.codes import ContactOutcome, Role
from safeguarding.commands.front_door import DecideContact
from safeguarding.config import Settings
from safeguarding.decision_proof import proof_problem, sign
from safeguarding.models import Actor
from safeguarding.temporal import proof_keys

KEY = ("2026-11", bytes(range(32)))
OLD = ("2026-05", bytes(range(50, 82)))
ISSUED = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
DECISION = DecideContact(
    actor=Actor(practitioner_id="tm-1", role=Role.TEAM_MANAGER, team_id="team-1"),
    outcome=ContactOutcome.NFA_ADVICE,
    rationale="No concerns",
)
SIGNED = {"workflow_id": "front-door-REF-1", "update": "decide_contact", "update_id": "u-1"}


def _problem(args: list[object], *, keys=(KEY,), now=ISSUED, max_age=None, **changed: str) -> str | None:
    header = sign([KEY], args=[DECISION], issued_at=ISSUED, **SIGNED)
    return proof_problem(list(keys), header, args=args, now=now, max_age=max_age, **{**SIGNED, **changed})


def test_a_proof_holds_for_exactly_what_was_signed() -> None:
    odd = DECISION.model_copy(update={"rationale": "Café, 日本, a lone \ud800"})
    odd_header = sign([KEY], args=[odd], issued_at=ISSUED, **SIGNED)

    assert _problem([DECISION]) is None
    assert proof_problem([KEY], odd_header, args=[odd], now=ISSUED, max_age=None, **SIGNED) is None
    # The same decision read back from its JSON, as the workflow reads it, is the same decision.
    assert _problem([DecideContact.model_validate_json(DECISION.model_dump_json())]) is None


@pytest.mark.parametrize(
    "args, changed",
    [
        ([DECISION.model_copy(update={"rationale": "Closing it"})], {}),
        ([DECISION.model_copy(update={"actor": DECISION.actor.model_copy(update={"practitioner_id": "x"})})], {}),
        ([DECISION], {"workflow_id": "front-door-REF-2"}),
        ([DECISION], {"update": "decide_out_of_hours"}),
        ([DECISION], {"update_id": "u-2"}),
    ],
    ids=["rationale", "actor", "workflow", "update", "update id"],
)
def test_a_proof_moved_to_anything_else_is_refused(args: list[object], changed: dict[str, str]) -> None:
    assert _problem(args, **changed) == "a proof made for something other than what it carries"


def test_without_a_proof_or_with_a_malformed_one_or_an_unlisted_key_the_update_is_refused() -> None:
    header = sign([KEY], args=[DECISION], issued_at=ISSUED, **SIGNED)
    header.data = b"{not json"

    assert proof_problem([KEY], None, args=[DECISION], now=ISSUED, max_age=None, **SIGNED) == "no proof"
    assert proof_problem([KEY], header, args=[DECISION], now=ISSUED, max_age=None, **SIGNED) == "a malformed proof"
    assert _problem([DECISION], keys=[OLD]) == "a proof under key '2026-11', which is not listed"
    assert _problem([DECISION], keys=[OLD, KEY]) is None


def test_with_a_max_age_a_proof_is_good_for_that_long_and_not_from_the_future() -> None:
    day = timedelta(hours=24)

    assert _problem([DECISION], now=ISSUED + day, max_age=day) is None
    assert "outside the 1 day" in str(_problem([DECISION], now=ISSUED + day + timedelta(seconds=1), max_age=day))
    assert "outside the 1 day" in str(_problem([DECISION], now=ISSUED - timedelta(hours=1), max_age=day))


def _setting(*keys: tuple[str, bytes]) -> str:
    return ",".join(f"{kid}:{base64.b64encode(key).decode()}" for kid, key in keys)


def test_a_proof_key_that_is_also_a_payload_key_is_refused(tmp_path: Path) -> None:
    settings = Settings(payload_keys=_setting(KEY), proof_keys=_setting(OLD, KEY), data_dir=tmp_path)

    with pytest.raises(PayloadKeyError, match="a proof key must be a secret of its own"):
        proof_keys(settings)


def test_proof_keys_are_read_in_order_and_a_bad_one_is_named_by_its_setting(tmp_path: Path) -> None:
    settings = Settings(payload_keys=_setting(KEY), proof_keys=_setting(OLD), data_dir=tmp_path)

    assert proof_keys(settings) == [OLD]
    with pytest.raises(PayloadKeyError, match="SAFEGUARDING_PROOF_KEYS: payload key 'short' must be 32 bytes"):
        proof_keys(Settings(payload_keys=_setting(KEY), proof_keys=_setting(("short", bytes(8))), data_dir=tmp_path))


def test_in_development_the_proof_key_is_derived_from_the_payload_key_and_is_not_it(tmp_path: Path) -> None:
    settings = Settings(environment="development", payload_keys=_setting(KEY), data_dir=tmp_path)

    [(kid, key)] = proof_keys(settings)

    assert kid == "2026-11-proof"
    assert key != KEY[1] and len(key) == 32
    assert proof_keys(settings) == [(kid, key)]
