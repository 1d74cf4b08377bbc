"""An `Idempotency-Key` whose first request died before it answered: over HTTP, against the real app and case store.

The first request claimed the key and its server stopped: the claim is left with no answer, as here. Within the
claim window (`SAFEGUARDING_IDEMPOTENCY_CLAIM_MINUTES`) the first could still be answering, so a retry is told
so and runs nothing; after it, the retry runs once, and its answer is replayed from then on.
"""

from __future__ import annotations

import json
from datetime import timedelta

from sqlalchemy import func, select

from safeguarding.codes import Role
from safeguarding.idempotency import request_hash
from safeguarding.schema import teams
from tests.api.conftest import Api
from tests.factories import create_idempotency_record

PATH = "/admin/teams"
MINUTE = timedelta(minutes=1)


async def _left_unanswered(api: Api, key: str, team_name: str, *, age: timedelta) -> bytes:
    """Leave the administrator's claim of `key` as a request creating `team_name` that died `age` ago would; return
    that request's body, to send again."""
    body = json.dumps({"name": team_name}).encode()
    async with api.services.sessions.begin() as session:
        await create_idempotency_record(
            session,
            principal_id=api.ids.practitioner_id(Role.ADMINISTRATOR),
            key=key,
            age=age,
            path=PATH,
            request_hash=request_hash(b"POST", PATH.encode(), b"", body),
        )
    return body


async def _send(api: Api, key: str, body: bytes) -> tuple[int, dict[str, object], str | None]:
    headers = await api.headers(Role.ADMINISTRATOR, **{"Idempotency-Key": key, "Content-Type": "application/json"})
    answer = await api.http.post(PATH, content=body, headers=headers)
    return answer.status_code, answer.json(), answer.headers.get("Idempotent-Replayed")


async def _teams_named(api: Api, name: str) -> int:
    async with api.services.sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(teams).where(teams.c.name == name)) or 0)


def _window(api: Api) -> timedelta:
    return timedelta(minutes=api.services.settings.idempotency_claim_minutes)


async def test_a_retry_after_the_first_request_died_runs_once_and_is_replayed_from_then_on(shared_api: Api) -> None:
    api = shared_api
    body = await _left_unanswered(api, "died-long-ago", "Fictional Team Retried", age=_window(api) + MINUTE)

    retried = await _send(api, "died-long-ago", body)
    again = await _send(api, "died-long-ago", body)

    assert (retried[0], retried[1]["name"], retried[2]) == (201, "Fictional Team Retried", None), retried
    assert again == (201, retried[1], "true")
    assert await _teams_named(api, "Fictional Team Retried") == 1


async def test_a_retry_while_the_first_request_could_still_be_answering_is_told_so_and_runs_nothing(
    shared_api: Api,
) -> None:
    api = shared_api
    body = await _left_unanswered(api, "claimed-lately", "Fictional Team Waited", age=_window(api) - MINUTE)

    status, problem, replayed = await _send(api, "claimed-lately", body)

    assert (status, replayed) == (409, None)
    assert "still being answered" in str(problem["detail"])
    assert await _teams_named(api, "Fictional Team Waited") == 0
