"""Registering a child and family and opening the child's case; reading a case with its family and processes.

A child comes to the front door (statutory-rules.md §2) before any process starts: the front door's roles
(`access.RECORDS_PEOPLE`) record the child, their family and who holds parental responsibility, and open the
case a process then runs on, by id and reference. Names and dates stay here, in the case store.
"""

from __future__ import annotations

import logging

from sqlalchemy.ext.asyncio import AsyncSession

from safeguarding.service.access import (
    READS_CASES,
    RECORDS_PEOPLE,
    Principal,
    require_person_team,
    require_role,
    team_for_new_case,
)
from safeguarding.service.birth_dates import check_born, check_expected
from safeguarding.service.case_gate import readable_case
from safeguarding.service.case_models import (
    CaseMember,
    CaseProcess,
    CaseRecord,
    ChildRegistration,
    RegisteredMember,
    Registration,
)
from safeguarding.service.errors import Conflict, Invalid
from safeguarding.service.fields import new_id
from safeguarding.service.people import person_details
from safeguarding.service.root import Services
from safeguarding.store.case_processes import list_case_processes
from safeguarding.store.cases import (
    insert_case_member,
    insert_child_case,
    last_case_reference,
    list_case_members,
)
from safeguarding.store.people import (
    find_same_person,
    get_person,
    insert_person,
    list_person_cases,
    lock_registrations,
)
from safeguarding.store.teams import get_team
from safeguarding.working_days import local_date

log = logging.getLogger(__name__)


async def register_child(services: Services, principal: Principal, registration: ChildRegistration) -> Registration:
    """Record a child and their family and open the child's case; return their ids and the case reference.

    Refused (403) for a role outside the front door, or a team-bound practitioner naming another team or
    someone on other teams' cases only; invalid (422) for a date of birth in the future, an expected date in
    the past or more than 10 months ahead, an unknown team or person; a conflict (409) when someone with the
    child's names and date is recorded already, unless `confirm_new_person` says it is someone else.
    """
    require_role(principal, "register_child", RECORDS_PEOPLE)
    team_id = team_for_new_case(principal, registration.team_id)
    child = registration.child
    on = local_date(await services.now())
    check_born(child.date_of_birth, on, field="child.date_of_birth")
    check_expected(child.expected_birth_date, on, field="child.expected_birth_date")
    for index, member in enumerate(registration.family):
        if member.person is not None:
            check_born(member.person.date_of_birth, on, field=f"family[{index}].person.date_of_birth")
    async with services.sessions.begin() as session:
        if await get_team(team_id, session=session) is None:
            raise Invalid(f"team_id: no team {team_id!r}", field="team_id")
        await _check_known_members(principal, registration, session=session)
        # One registration at a time: two people registering the same child cannot both miss the other, and
        # two cases opened together cannot take the same reference.
        await lock_registrations(session=session)
        born = child.date_of_birth or child.expected_birth_date
        assert born is not None  # NewChild has exactly one of them
        if not registration.confirm_new_person:
            same = await find_same_person(child.given_name, child.family_name, born, session=session)
            if same:
                raise Conflict(
                    f"someone with the child's names and date of birth is recorded already: {', '.join(same)}; "
                    "read them, and if the child is someone else, send confirm_new_person: true",
                    field="confirm_new_person",
                )
        try:
            reference = services.profile.references.next_case(
                await last_case_reference(services.profile.references.case, session=session)
            )
        except ValueError as exc:
            raise Conflict(str(exc)) from None
        case_id, child_id = new_id("case"), new_id("person")
        await insert_person(child_id, child.model_dump(), session=session)
        await insert_child_case(
            case_id,
            reference=reference,
            child_id=child_id,
            team_id=team_id,
            opened_at=await services.now(),
            session=session,
        )
        family = []
        for member in registration.family:
            person_id = member.person_id or new_id("person")
            if member.person is not None:
                await insert_person(person_id, member.person.model_dump(), session=session)
            await insert_case_member(
                case_id,
                person_id,
                relationship=member.relationship,
                parental_responsibility=member.parental_responsibility,
                session=session,
            )
            family.append(
                RegisteredMember(
                    person_id=person_id,
                    relationship=member.relationship,
                    parental_responsibility=member.parental_responsibility,
                )
            )
    log.info(
        "registered child %s and %d family member(s) on case %s (%s, team %s) by %s",
        child_id,
        len(family),
        case_id,
        reference,
        team_id,
        principal.practitioner_id,
    )
    return Registration(case_id=case_id, reference=reference, team_id=team_id, child_id=child_id, family=tuple(family))


async def read_case(services: Services, principal: Principal, case_id: str) -> CaseRecord:
    """Return the case with its child, family and processes, to its team or a role that spans teams."""
    require_role(principal, "read_case", READS_CASES, target=case_id)
    async with services.sessions() as session:
        case = await readable_case(principal, case_id, session=session)
        child = await get_person(case["child_id"], session=session) if case["child_id"] else None
        members = await list_case_members(case_id, session=session)
        processes = await list_case_processes(case_id, session=session)
    return CaseRecord(
        case_id=case["id"],
        reference=case["reference"],
        kind=case["kind"],
        team_id=case["team_id"],
        allocated_practitioner_id=case["allocated_practitioner_id"],
        opened_at=case["opened_at"],
        closed_at=case["closed_at"],
        closure_reason=case["closure_reason"],
        child=person_details(child) if child else None,
        family=tuple(
            CaseMember(
                person=person_details(member),
                relationship=member["relationship"],
                parental_responsibility=member["parental_responsibility"],
            )
            for member in members
        ),
        processes=tuple(CaseProcess.model_validate(dict(process)) for process in processes),
    )


async def _check_known_members(principal: Principal, registration: ChildRegistration, *, session: AsyncSession) -> None:
    """Refuse a known family member who does not exist, or whom a team-bound registrar may not see."""
    for index, member in enumerate(registration.family):
        if member.person_id is None:
            continue
        if await get_person(member.person_id, session=session) is None:
            raise Invalid(
                f"family[{index}].person_id: no person {member.person_id!r}", field=f"family[{index}].person_id"
            )
        teams = {link["team_id"] for link in await list_person_cases(member.person_id, session=session)}
        require_person_team(principal, teams, action="register_child", target=member.person_id)
