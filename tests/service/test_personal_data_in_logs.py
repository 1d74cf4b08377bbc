"""What the people and case use cases log, on success and on refusal, carries ids and codes: never personal data."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import timedelta

import pytest

from safeguarding.codes import Role
from safeguarding.service.cases import read_case, register_child
from safeguarding.service.errors import ServiceError
from safeguarding.service.people import find_people, list_person_changes, read_person, update_person
from safeguarding.service.people_models import PersonChange, PersonSearch
from safeguarding.service.root import Services
from tests.service.conftest import Teams
from tests.service.registrations import NHS_NUMBER, UPN, child, mother, registration, today


async def test_no_name_date_address_or_number_reaches_the_logs_or_the_errors(
    services: Services, teams: Teams, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="safeguarding")
    worker = teams.principal(Role.SOCIAL_WORKER)
    outsider = teams.principal(Role.SOCIAL_WORKER, team=teams.other)
    body = registration(family=(mother(),))
    errors: list[ServiceError] = []

    registered = await register_child(services, worker, body)
    record = await read_person(services, worker, registered.child_id)
    await update_person(
        services,
        worker,
        registered.child_id,
        PersonChange(expected_updated_at=record.updated_at, reason="Corrected", given_name="Zebadiah"),
    )
    await find_people(
        services,
        worker,
        PersonSearch(given_name="Zebadiah", family_name="Quillfeather", date_of_birth=body.child.date_of_birth),
    )
    await read_case(services, worker, registered.case_id)
    await list_person_changes(services, worker, registered.child_id)
    search = body.child.model_dump(include={"given_name", "family_name", "date_of_birth"})
    future = (today() + timedelta(days=3)).isoformat()
    refusals: list[Callable[[], Awaitable[object]]] = [
        lambda: register_child(services, worker, registration(child=child(given_name="Zebadiah"))),  # a duplicate
        lambda: register_child(services, teams.principal(Role.ADMINISTRATOR), body),
        lambda: register_child(services, worker, registration(child=child(date_of_birth=future))),
        lambda: read_person(services, outsider, registered.child_id),
        lambda: read_case(services, outsider, registered.case_id),
        lambda: update_person(
            services,
            worker,
            registered.child_id,
            PersonChange(expected_updated_at=record.updated_at, reason="Stale", family_name="Quillfeather-Jones"),
        ),
        lambda: find_people(services, teams.principal(Role.MIDWIFE), PersonSearch(**search)),
    ]
    for refusal in refusals:
        with pytest.raises(ServiceError) as failed:
            await refusal()
        errors.append(failed.value)

    said = "\n".join([record.getMessage() for record in caplog.records] + [error.reason for error in errors])
    assert registered.child_id in said and "refused" in said  # the logs were captured
    personal = [
        "Zebedee",
        "Zebadiah",
        "Quillfeather",
        "Marigold",
        "Imaginary",
        "marigold@example.invalid",
        "01632",
        UPN,
        NHS_NUMBER,
        body.child.date_of_birth.isoformat(),  # type: ignore[union-attr]
    ]
    assert [value for value in personal if value in said] == []
