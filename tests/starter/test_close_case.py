"""`python -m starter close-case` as a manager runs it: the case closed with its census reason, once."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from safeguarding.store.cases import get_case
from safeguarding.store.examples import ExampleIds
from tests.starter.conftest import Cli


async def test_a_manager_closes_a_case_once_and_others_and_bad_options_are_refused(
    cli: Cli, examples: ExampleIds, db: async_sessionmaker[AsyncSession]
) -> None:
    case = examples.school_age
    common = ["close-case", "--case", case.reference, "--reason", "The family moved to another authority"]
    by_social_worker = await cli(*common, "--closure-reason", "RC5", "--actor", examples.social_worker_id)
    not_a_day = await cli(
        *common, "--closure-reason", "RC5", "--closed-on", "yesterday", "--actor", examples.team_manager_id
    )
    not_a_code = await cli(*common, "--closure-reason", "RC10", "--actor", examples.team_manager_id)
    unknown = await cli(
        "close-case",
        "--case",
        "EX-9999",
        "--closure-reason",
        "RC5",
        "--reason",
        "x",
        "--actor",
        examples.team_manager_id,
    )

    closed = await cli(*common, "--closure-reason", "RC5", "--actor", examples.team_manager_id)
    again = await cli(*common, "--closure-reason", "RC7", "--actor", examples.team_manager_id)

    assert [r.code for r in (by_social_worker, not_a_day, not_a_code, unknown)] == [2, 2, 2, 2]
    assert "may not close case" in by_social_worker.stderr and "--closed-on" in not_a_day.stderr
    assert "no case with reference 'EX-9999'" in unknown.stderr
    assert closed.code == 0, closed.stderr
    assert (closed.json()["reference"], closed.json()["closure_reason"]) == (case.reference, "RC5")
    assert again.code == 2 and "closed already" in again.stderr
    async with db() as session:
        row = await get_case(case.case_id, session=session)
    assert row is not None and row["closure_reason"] == "RC5"
