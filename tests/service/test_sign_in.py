"""Signing in to the console: argon2 hashes, sessions that expire and end, failed attempts slowed and logged."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, update

from safeguarding.schema import console_sessions, practitioner_passwords, practitioners
from safeguarding.service.errors import Invalid, Refused, Unauthenticated
from safeguarding.service.root import Services
from safeguarding.service.sign_in import (
    FREE_ATTEMPTS,
    IDLE_MINUTES,
    SESSION_HOURS,
    principal_for_session,
    set_password,
    sign_in,
    sign_out,
)
from safeguarding.store.examples import ExampleIds

PASSWORD = "correct horse battery staple"
NOW = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)


async def test_the_right_password_starts_a_session_that_stands_for_the_practitioner_and_only_a_hash_is_kept(
    services: Services, examples: ExampleIds
) -> None:
    await set_password(services, examples.team_manager_id, PASSWORD)

    started = await sign_in(services, examples.team_manager_id, PASSWORD, now=NOW)
    principal = await principal_for_session(services, started.secret, now=NOW + timedelta(minutes=5))

    assert (principal.practitioner_id, principal.role, started.expires_at) == (
        examples.team_manager_id,
        "team_manager",
        NOW + timedelta(hours=SESSION_HOURS),
    )
    async with services.sessions() as session:
        stored_hash = await session.scalar(select(practitioner_passwords.c.password_hash))
        session_ids = (await session.scalars(select(console_sessions.c.id))).all()
    assert str(stored_hash).startswith("$argon2id$") and PASSWORD not in str(stored_hash)
    assert started.secret not in session_ids and len(session_ids) == 1


@pytest.mark.parametrize("who", ["wrong password", "unknown user", "no password set"])
async def test_a_wrong_password_an_unknown_user_or_one_without_a_password_is_refused_alike(
    services: Services, examples: ExampleIds, who: str, caplog: pytest.LogCaptureFixture
) -> None:
    await set_password(services, examples.team_manager_id, PASSWORD)
    user, password = {
        "wrong password": (examples.team_manager_id, "not the password at all"),
        "unknown user": ("prac-nobody", PASSWORD),
        "no password set": (examples.social_worker_id, PASSWORD),
    }[who]
    caplog.set_level(logging.INFO, logger="safeguarding.credentials")

    with pytest.raises(Unauthenticated) as refused:
        await sign_in(services, user, password, now=NOW)

    assert refused.value.reason == "Enter a correct user ID and password"
    assert password not in caplog.text and "prac-nobody" not in caplog.text
    async with services.sessions() as session:
        assert (await session.scalars(select(console_sessions.c.id))).all() == []


async def test_repeated_failures_make_the_account_wait_longer_each_time_and_a_success_starts_afresh(
    services: Services, examples: ExampleIds, caplog: pytest.LogCaptureFixture
) -> None:
    await set_password(services, examples.team_manager_id, PASSWORD)
    caplog.set_level(logging.INFO, logger="safeguarding.credentials")
    for attempt in range(FREE_ATTEMPTS):
        with pytest.raises(Unauthenticated):
            await sign_in(services, examples.team_manager_id, f"guess {attempt}", now=NOW)

    with pytest.raises(Unauthenticated) as waiting:
        await sign_in(services, examples.team_manager_id, PASSWORD, now=NOW + timedelta(seconds=59))
    with pytest.raises(Unauthenticated):
        await sign_in(services, examples.team_manager_id, "one more guess", now=NOW + timedelta(minutes=1))
    with pytest.raises(Unauthenticated) as waiting_longer:
        await sign_in(services, examples.team_manager_id, PASSWORD, now=NOW + timedelta(minutes=2, seconds=59))
    signed_in = await sign_in(services, examples.team_manager_id, PASSWORD, now=NOW + timedelta(minutes=3))
    with pytest.raises(Unauthenticated) as after_success:
        await sign_in(services, examples.team_manager_id, "a slip", now=NOW + timedelta(minutes=4))

    assert waiting.value.reason == "Too many failed sign-ins: try again after 09:01"
    assert waiting_longer.value.reason == "Too many failed sign-ins: try again after 09:03"
    assert signed_in.practitioner_id == examples.team_manager_id
    assert after_success.value.reason == "Enter a correct user ID and password"
    failures = [r.getMessage() for r in caplog.records if r.getMessage().startswith("sign-in failed")]
    assert failures[-1] == f"sign-in failed: practitioner {examples.team_manager_id}, wrong password (1 in a row)"
    assert failures[FREE_ATTEMPTS] == (
        f"sign-in failed: practitioner {examples.team_manager_id}, wrong password ({FREE_ATTEMPTS + 1} in a row)"
    )
    assert "guess" not in caplog.text and PASSWORD not in caplog.text


async def test_a_session_ends_on_sign_out_after_its_hours_and_when_left_idle(
    services: Services, examples: ExampleIds
) -> None:
    await set_password(services, examples.team_manager_id, PASSWORD)
    signed_out = await sign_in(services, examples.team_manager_id, PASSWORD, now=NOW)
    idle = await sign_in(services, examples.team_manager_id, PASSWORD, now=NOW)
    long = await sign_in(services, examples.team_manager_id, PASSWORD, now=NOW)
    for minutes in range(0, SESSION_HOURS * 60, IDLE_MINUTES // 2):
        await principal_for_session(services, long.secret, now=NOW + timedelta(minutes=minutes))

    await sign_out(services, signed_out.secret, now=NOW + timedelta(minutes=1))

    refusals = []
    for secret, at in (
        (signed_out.secret, NOW + timedelta(minutes=2)),
        (idle.secret, NOW + timedelta(minutes=IDLE_MINUTES)),
        (long.secret, NOW + timedelta(hours=SESSION_HOURS)),
        ("never-issued", NOW),
    ):
        with pytest.raises(Unauthenticated) as refused:
            await principal_for_session(services, secret, now=at)
        refusals.append(refused.value.reason)
    assert refusals == [
        "you have signed out; sign in again",
        "the session has expired; sign in again",
        "the session has expired; sign in again",
        "the session is not valid; sign in again",
    ]


async def test_an_inactive_practitioner_cannot_sign_in_or_go_on_with_a_running_session(
    services: Services, examples: ExampleIds
) -> None:
    await set_password(services, examples.team_manager_id, PASSWORD)
    running = await sign_in(services, examples.team_manager_id, PASSWORD, now=NOW)
    async with services.sessions.begin() as session:
        await session.execute(
            update(practitioners).where(practitioners.c.id == examples.team_manager_id).values(active=False)
        )

    with pytest.raises(Refused):
        await sign_in(services, examples.team_manager_id, PASSWORD, now=NOW)
    with pytest.raises(Refused):
        await principal_for_session(services, running.secret, now=NOW)


async def test_a_short_password_is_refused(services: Services, examples: ExampleIds) -> None:
    with pytest.raises(Invalid) as refused:
        await set_password(services, examples.team_manager_id, "short")

    assert refused.value.field == "password"
