"""`Idempotency-Key` on every POST: a retry with the same key gets the first answer and writes nothing twice.

Back-office systems retry after a timeout without knowing whether the first request arrived. The first
request with a key claims it (one row per caller and key in `idempotency_records`) before the use case
runs, and stores its answer after; a retry then gets that answer again, marked `Idempotent-Replayed: true`.
A key reused for a different request (another path or body) is refused (422); a retry while the first is
still being answered gets 409 and may try again. A first request that died before it answered (its server
stopped) leaves its claim unanswered: once it is older than `SAFEGUARDING_IDEMPOTENCY_CLAIM_MINUTES` the key
counts as released and the retry runs (`safeguarding.store.idempotency`). An answer that says "try again"
(503) or a failure is not kept, so the retry runs afresh. Decisions are idempotent in Temporal too: the key
becomes the Update's id (`safeguarding.idempotency.update_id`).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import timedelta

from fastapi import Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel
from pydantic_core import to_jsonable_python

from safeguarding.api.problems import MEDIA_TYPE, problem_response, service_problem
from safeguarding.idempotency import MAX_KEY, key_problem, request_hash
from safeguarding.service.access import Principal
from safeguarding.service.errors import Conflict, Invalid, ServiceError
from safeguarding.service.root import Services
from safeguarding.store.idempotency import Claim, Earlier, Held, claim_key, keep_answer, release_key

log = logging.getLogger("safeguarding.api")

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
            claim,
            method=request.method,
            path=request.url.path,
            request_hash=digest,
            stale_after=timedelta(minutes=services.settings.idempotency_claim_minutes),
            session=session,
        )
    if isinstance(first, Earlier):
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
            await _release(services, first)
            raise
        problem = service_problem(exc, request.url.path)
        await _keep(services, first, problem.status, problem.model_dump(exclude_none=True), request)
        return problem_response(problem)
    except BaseException:
        await _release(services, first)
        raise
    body = to_jsonable_python(result)
    await _keep(services, first, status_code, body, request)
    return JSONResponse(body, status_code=status_code)


async def _keep(services: Services, held: Held, status_code: int, body: object, request: Request) -> None:
    async with services.sessions.begin() as session:
        kept = await keep_answer(held, status_code, body, session=session)
    if not kept:
        log.warning(
            "the answer to %s %s by %s was not kept: a retry took its %s over after %g minutes",
            request.method,
            request.url.path,
            held.claim.principal_id,
            HEADER,
            services.settings.idempotency_claim_minutes,
        )


async def _release(services: Services, held: Held) -> None:
    async with services.sessions.begin() as session:
        await release_key(held, session=session)
