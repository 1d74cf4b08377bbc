"""Finding, reading and correcting a person's details, with an audit of every change.

Who may see a person follows from their cases (`access.require_person_reader`): a team-bound reader sees the
people on their own team's cases (and anyone on no case yet); the roles spanning teams see everyone. Each
corrected field is written to the change log with who, when and why, in the same transaction as the
correction; a correction made against a copy someone else has changed since is refused, so none is lost.
Logs carry ids and field names, never a value.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import RowMapping

from safeguarding.service.access import (
    READS_CASES,
    RECORDS_PEOPLE,
    TEAM_BOUND,
    Principal,
    require_person_reader,
    require_person_team,
    require_role,
)
from safeguarding.service.birth_dates import check_born, check_expected
from safeguarding.service.errors import Conflict, Invalid, NotFound
from safeguarding.service.ids import checked_id
from safeguarding.service.people_models import (
    ChangeLog,
    ChangeRecord,
    PersonCase,
    PersonChange,
    PersonDetails,
    PersonMatch,
    PersonMatches,
    PersonRecord,
    PersonSearch,
)
from safeguarding.service.root import Services
from safeguarding.store import people as store
from safeguarding.store.change_log import differences, list_changes, record_changes
from safeguarding.store.person_search import search_people
from safeguarding.working_days import local_date

log = logging.getLogger(__name__)


async def find_people(services: Services, principal: Principal, search: PersonSearch) -> PersonMatches:
    """Return one page of the people who may be the one looked for, best match first (`store.person_search`)."""
    require_role(principal, "find_people", READS_CASES)
    async with services.sessions() as session:
        rows, total = await search_people(
            search.given_name,
            search.family_name,
            search.date_of_birth,
            team_id=principal.team_id if principal.role in TEAM_BOUND else None,
            limit=search.limit,
            offset=search.offset,
            session=session,
        )
    log.info("people search by %s: %d candidate(s)", principal.practitioner_id, total)
    return PersonMatches(
        matches=tuple(PersonMatch.model_validate({**row, "person_id": row["id"]}) for row in rows),
        total=total,
        limit=search.limit,
        offset=search.offset,
    )


async def read_person(services: Services, principal: Principal, person_id: str) -> PersonRecord:
    """Return the person's details and the cases they are on that the reader may see."""
    require_role(principal, "read_person", READS_CASES, target=person_id)
    checked_id(person_id, "person_id")
    async with services.sessions() as session:
        row = await store.get_person(person_id, session=session)
        if row is None:
            raise NotFound(f"no person {person_id!r}")
        links = await store.list_person_cases(person_id, session=session)
    require_person_reader(principal, {link["team_id"] for link in links}, target=person_id)
    return person_record(principal, row, links)


async def update_person(services: Services, principal: Principal, person_id: str, change: PersonChange) -> PersonRecord:
    """Correct the person's details; write each changed field to the change log; return the record as it is now.

    A change that changes nothing writes nothing. Refused (409) when the record has changed since
    `change.expected_updated_at`; invalid (422) for a date of birth in the future, an expected date of birth
    in the past or more than 10 months ahead, or a child left with no date at all.
    """
    require_role(principal, "update_person", RECORDS_PEOPLE, target=person_id)
    checked_id(person_id, "person_id")
    details = change.details()
    on = local_date(await services.now())
    check_born(details.get("date_of_birth"), on, field="date_of_birth")
    check_expected(details.get("expected_birth_date"), on, field="expected_birth_date")
    if (died := details.get("date_of_death")) is not None and died > on:
        raise Invalid("date_of_death: a date of death cannot be in the future", field="date_of_death")
    async with services.sessions.begin() as session:
        row = await store.get_person(person_id, session=session, for_update=True)
        if row is None:
            raise NotFound(f"no person {person_id!r}")
        links = await store.list_person_cases(person_id, session=session)
        require_person_team(principal, {link["team_id"] for link in links}, action="update_person", target=person_id)
        if row["updated_at"] != change.expected_updated_at:
            raise Conflict(
                f"person {person_id} was changed at {row['updated_at'].isoformat()}, after the copy this change was "
                "made to; read them again and make the change to what they are now",
                field="expected_updated_at",
            )
        if any(link["part"] == "child" for link in links):
            _check_child({**row, **details})
        changes = differences({field: row[field] for field in details}, details)
        if changes:
            row = await store.update_person(person_id, {field: details[field] for field in changes}, session=session)
            await record_changes(
                "person",
                person_id,
                changes,
                changed_by=principal.practitioner_id,
                reason=change.reason,
                session=session,
            )
    log.info(
        "person %s changed by %s: %s", person_id, principal.practitioner_id, ", ".join(sorted(changes)) or "nothing"
    )
    return person_record(principal, row, links)


async def list_person_changes(services: Services, principal: Principal, person_id: str) -> ChangeLog:
    """Return every change of the person's details, oldest first, to those who may read the person."""
    require_role(principal, "read_person_changes", READS_CASES, target=person_id)
    checked_id(person_id, "person_id")
    async with services.sessions() as session:
        if await store.get_person(person_id, session=session) is None:
            raise NotFound(f"no person {person_id!r}")
        links = await store.list_person_cases(person_id, session=session)
        require_person_reader(
            principal, {link["team_id"] for link in links}, action="read_person_changes", target=person_id
        )
        changes = await list_changes("person", person_id, session=session)
    return ChangeLog(
        record_kind="person",
        record_id=person_id,
        changes=tuple(ChangeRecord.model_validate(dict(change)) for change in changes),
    )


def person_details(row: RowMapping) -> PersonDetails:
    """Return a person's row from the case store as their details."""
    return PersonDetails.model_validate({**row, "person_id": row["id"]})


def person_record(principal: Principal, row: RowMapping, links: Sequence[RowMapping]) -> PersonRecord:
    """Return a person's details with the cases they are on that `principal` may read."""
    seen = [link for link in links if principal.role not in TEAM_BOUND or link["team_id"] == principal.team_id]
    return PersonRecord.model_validate(
        {**row, "person_id": row["id"], "cases": [PersonCase.model_validate(dict(link)) for link in seen]}
    )


def _check_child(after: Mapping[str, Any]) -> None:
    """Refuse leaving a case's child with no date, giving an unborn child a UPN or NHS number, a reason for no UPN
    beside a UPN, or a death before the birth."""
    if after["date_of_birth"] is None and after["expected_birth_date"] is None:
        raise Invalid(
            "date_of_birth: the child of a case has a date of birth or an expected one (a process steers by their age)",
            field="date_of_birth",
        )
    if after["date_of_birth"] is None and (after["upn"] or after["nhs_number"]):
        raise Invalid("an unborn child has no UPN or NHS number yet", field="upn" if after["upn"] else "nhs_number")
    if after["upn"] and after["upn_unknown"]:
        raise Invalid("upn_unknown says why a child has no UPN: clear one of them", field="upn_unknown")
    died, born = after["date_of_death"], after["date_of_birth"] or after["expected_birth_date"]
    if died is not None and born is not None and died < born:
        raise Invalid("date_of_death: a child does not die before their date of birth", field="date_of_death")
