"""`Idempotency-Key` on every POST: a retry with the same key gets the first answer and writes nothing twice.

Back-office systems retry after a timeout without knowing whether the first request arrived. The first
request with a key claims it (one row per caller and key in `idempotency_records`) before the use case
runs, and stores its answer after; a retry then gets that answer again, marked `Idempotent-Replayed: true`.
A key reused for a different request (another path or body) is refused (422); a retry while the first is
still being answered gets 409 and may try again. An answer that says "try again" (503) or a failure is
not kept, so the retry runs afresh. Decisions are idempotent in Temporal too: the key becomes the
Update's id (`safeguarding.idempotency.update_id`).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from fastapi import Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel
from pydantic_core import to_jsonable_python

from safeguarding.api.problems import MEDIA_TYPE, problem_response, service_problem
from safeguarding.idempotency import MAX_KEY, key_problem, request_hash
from safeguarding.service.access import Principal
from safeguarding.service.errors import Conflict, Invalid, ServiceError
from safeguarding.service.root import Services
from safeguarding.store.idempotency import Claim, claim_key, keep_answer, release_key

HEADER = "Idempotency-Key"


async def once(
    request: Request,
    services: Services,
    principal: Principal,
    work: Callable[[], Awaitable[BaseModel | list[BaseModel]]],
    *,
    status_code: int = 201,
) -> Response:
    """Run `work` once per idempotency key (every time when the request has none) and answer with its result."""
    key = request.headers.get(HEADER)
    if key is None:
        return JSONResponse(to_jsonable_python(await work()), status_code=status_code)
    if key_problem(key):
        raise Invalid(f"the {HEADER} header must be 1 to {MAX_KEY} printable characters", field=HEADER)
    digest = request_hash(
        request.method.encode(), request.url.path.encode(), request.url.query.encode(), await request.body()
    )
    claim = Claim(principal.practitioner_id, key)
    async with services.sessions.begin() as session:
        first = await claim_key(
            claim, method=request.method, path=request.url.path, request_hash=digest, session=session
        )
    if first is not None:
        if first.request_hash != digest:
            raise Invalid(f"this {HEADER} was used for a different request; use a new key", field=HEADER)
        if first.status_code is None:
            raise Conflict(f"the first request with this {HEADER} is still being answered; try again shortly")
        media_type = MEDIA_TYPE if first.status_code >= 400 else "application/json"
        return JSONResponse(
            first.response_body,
            status_code=first.status_code,
            media_type=media_type,
            headers={"Idempotent-Replayed": "true"},
        )
    try:
        result = await work()
    except ServiceError as exc:
        if exc.status >= 500:
            await _release(services, claim)
            raise
        problem = service_problem(exc, request.url.path)
        await _keep(services, claim, problem.status, problem.model_dump(exclude_none=True))
        return problem_response(problem)
    except BaseException:
        await _release(services, claim)
        raise
    body = to_jsonable_python(result)
    await _keep(services, claim, status_code, body)
    return JSONResponse(body, status_code=status_code)


async def _keep(services: Services, claim: Claim, status_code: int, body: object) -> None:
    async with services.sessions.begin() as session:
        await keep_answer(claim, status_code, body, session=session)


async def _release(services: Services, claim: Claim) -> None:
    async with services.sessions.begin() as session:
        await release_key(claim, session=session)
