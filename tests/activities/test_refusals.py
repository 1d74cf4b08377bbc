"""Data the case store refuses fails an activity at once (never retried), naming the error and never the data."""

from __future__ import annotations

import traceback
from datetime import UTC, datetime

import pytest
from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from activities.refusals import refused, without_values
from safeguarding.models import ChronologyEntry
from safeguarding.schema import people
from safeguarding.store.processes import apply_snapshot
from safeguarding.text import REFUSED_DATA
from tests.activities.test_case_store import snapshot
from tests.factories import create_case

Sessionmaker = async_sessionmaker[AsyncSession]
SECRET = "Jo Bloggs, 1 Example Street"


async def _write_refused(db: Sessionmaker, summary: str) -> BaseException:
    async with db.begin() as session:
        case = await create_case(session)
    entry = ChronologyEntry(key="00001", event="note", occurred_at=datetime.now(UTC), summary=summary)
    with pytest.raises(Exception) as failed:
        async with db.begin() as session:
            await apply_snapshot(snapshot(case, chronology=(entry,)), datetime.now(UTC), session=session)
    return failed.value


@pytest.mark.parametrize(
    ("bad", "sqlstate"),
    # The record's rows reach PostgreSQL as JSON (`store.processes`), which refuses both in its own words.
    [("\x00", "SQLSTATE 22P05, UntranslatableCharacterError"), ("\ud800", "SQLSTATE 22P02, InvalidTextRepresentation")],
    ids=["nul", "lone-surrogate"],
)
async def test_a_value_the_store_cannot_hold_fails_non_retryably_without_quoting_it(
    db: Sessionmaker, bad: str, sqlstate: str
) -> None:
    error = await _write_refused(db, f"{SECRET}{bad}")

    failure = refused(error)

    assert failure is not None
    assert (failure.type, failure.non_retryable) == (REFUSED_DATA, True)
    assert sqlstate in failure.message
    assert SECRET not in failure.message and "Bloggs" not in str(failure)


async def test_an_outage_is_not_mistaken_for_bad_data() -> None:
    assert refused(ConnectionRefusedError("the case store is down")) is None
    assert refused(TimeoutError()) is None


async def test_any_other_database_error_is_retried_said_with_identifiers_only(db: Sessionmaker) -> None:
    with pytest.raises(Exception) as failed:
        async with db.begin() as session:
            row = {"id": "person-refused", "given_name": None, "family_name": "Bloggs", "address": SECRET}
            await session.execute(insert(people).values(**row))
    logged = "".join(traceback.format_exception(failed.value))
    assert "Example Street" in logged, "a traceback of PostgreSQL's error quotes the row"

    failure = without_values(failed.value)

    assert failure is not None
    assert (failure.type, failure.non_retryable) == ("CaseStoreError", False)
    assert failure.message == (
        "the case store failed: IntegrityError (SQLSTATE 23502, NotNullViolationError, on people.given_name)"
    )
    assert without_values(ConnectionRefusedError("the case store is down")) is None
