"""A fictional example team and its cases, for `python -m starter seed` and the demo.

Everything here is invented: the names are obviously fictional, every address is under `example.invalid`
(which can never be delivered), and the ids are fixed so that seeding twice changes nothing — each row is
inserted once and left alone after that (ON CONFLICT DO NOTHING). The three children cover the three age
bands a process steers by (statutory-rules.md §3: a joint visit for a child under 5 or unborn). Every role a
process needs has a practitioner, each in the team the rules want: the LADO and the LADO manager in the LADO
service (§6), an independent conference chair in a reviewing team outside the case's line management (§5),
a family group conference coordinator (§7), police and health contacts (§4), and an administrator who
manages the teams and practitioners. Given the procedure profile's partnership id, the partnership a
disagreement escalates to is recorded with a fictional business-unit mailbox, and the team manager is the
team's duty manager (§8).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Table
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from safeguarding.codes import AgeBand, Role
from safeguarding.schema import cases, duty_managers, people, practitioners, safeguarding_partnerships, teams
from safeguarding.store.console_sign_in import set_password_hash
from safeguarding.working_days import LONDON

TEAM_ID = "team-example"
LADO_TEAM_ID = "team-example-lado"
REVIEWING_TEAM_ID = "team-example-reviewing"
FGC_TEAM_ID = "team-example-fgc"
POLICE_TEAM_ID = "team-example-police"
PRACTITIONERS: dict[Role, tuple[str, str, str]] = {
    # role: (id, given name, family name)
    Role.SOCIAL_WORKER: ("prac-example-sw", "Sam", "Example-Socialworker"),
    Role.TEAM_MANAGER: ("prac-example-tm", "Terry", "Example-Teammanager"),
    Role.SERVICE_MANAGER: ("prac-example-sm", "Sandy", "Example-Servicemanager"),
    Role.HEALTH_VISITOR: ("prac-example-hv", "Harper", "Example-Healthvisitor"),
    Role.MIDWIFE: ("prac-example-mw", "Morgan", "Example-Midwife"),
    Role.EDT_WORKER: ("prac-example-edt", "Eden", "Example-Duty"),
    Role.LADO: ("prac-example-lado", "Lee", "Example-Lado"),
    Role.LADO_MANAGER: ("prac-example-lado-mgr", "Mel", "Example-Lado-Manager"),
    Role.CONFERENCE_CHAIR: ("prac-example-chair", "Cameron", "Example-Chair"),
    Role.FGC_COORDINATOR: ("prac-example-fgc", "Alex", "Example-Coordinator"),
    Role.POLICE_OFFICER: ("prac-example-police", "Parker", "Example-Police"),
    Role.DESIGNATED_PROFESSIONAL: ("prac-example-dn", "Drew", "Example-Designatednurse"),
    Role.ADMINISTRATOR: ("prac-example-admin", "Ash", "Example-Administrator"),
}
OTHER_TEAMS: dict[str, dict[str, str | None]] = {
    # The LADO's service, managed by the LADO manager (§6); the conference chairs' reviewing team, outside the
    # case's line management (§5); the family group conference service (§7); the police, a partner agency.
    LADO_TEAM_ID: {"name": "Example Borough LADO Service (fictional)", "service_manager_id": "prac-example-lado-mgr"},
    REVIEWING_TEAM_ID: {"name": "Example Borough Safeguarding Reviewing Team (fictional)"},
    FGC_TEAM_ID: {"name": "Example Family Group Conference Service (fictional)"},
    POLICE_TEAM_ID: {"name": "Example Police (fictional)", "mailbox": "team-example-police@example.invalid"},
}
TEAM_OF: dict[Role, str] = {
    Role.LADO: LADO_TEAM_ID,
    Role.LADO_MANAGER: LADO_TEAM_ID,
    Role.CONFERENCE_CHAIR: REVIEWING_TEAM_ID,
    Role.FGC_COORDINATOR: FGC_TEAM_ID,
    Role.POLICE_OFFICER: POLICE_TEAM_ID,
}
"""Where a practitioner outside the example team works; everyone else is in `TEAM_ID`."""
AGENCY_OF: dict[Role, str] = {
    Role.HEALTH_VISITOR: "health",
    Role.MIDWIFE: "health",
    Role.DESIGNATED_PROFESSIONAL: "health",
    Role.POLICE_OFFICER: "police",
}
PARTNERSHIP_NAME = "Example Safeguarding Children Partnership (fictional)"
PARTNERSHIP_MAILBOX = "partnership-business-unit@example.invalid"


@dataclass(frozen=True)
class ExampleCase:
    """One example child's case: ids only."""

    case_id: str
    reference: str
    child_id: str
    age_band: AgeBand


@dataclass(frozen=True)
class ExampleIds:
    """The ids of everything `seed_examples` creates (stable across runs)."""

    team_id: str
    social_worker_id: str
    team_manager_id: str
    service_manager_id: str
    health_visitor_id: str
    midwife_id: str
    edt_worker_id: str
    lado_id: str
    lado_manager_id: str
    conference_chair_id: str
    fgc_coordinator_id: str
    police_officer_id: str
    designated_professional_id: str
    administrator_id: str
    school_age: ExampleCase
    under_five: ExampleCase
    unborn: ExampleCase

    def practitioner_id(self, role: Role) -> str:
        """Return the id of the example practitioner in `role`."""
        return PRACTITIONERS[role][0]

    def as_json(self) -> dict[str, Any]:
        """Return the ids as JSON-ready values."""
        return asdict(self)


EXAMPLE_IDS = ExampleIds(
    team_id=TEAM_ID,
    social_worker_id=PRACTITIONERS[Role.SOCIAL_WORKER][0],
    team_manager_id=PRACTITIONERS[Role.TEAM_MANAGER][0],
    service_manager_id=PRACTITIONERS[Role.SERVICE_MANAGER][0],
    health_visitor_id=PRACTITIONERS[Role.HEALTH_VISITOR][0],
    midwife_id=PRACTITIONERS[Role.MIDWIFE][0],
    edt_worker_id=PRACTITIONERS[Role.EDT_WORKER][0],
    lado_id=PRACTITIONERS[Role.LADO][0],
    lado_manager_id=PRACTITIONERS[Role.LADO_MANAGER][0],
    conference_chair_id=PRACTITIONERS[Role.CONFERENCE_CHAIR][0],
    fgc_coordinator_id=PRACTITIONERS[Role.FGC_COORDINATOR][0],
    police_officer_id=PRACTITIONERS[Role.POLICE_OFFICER][0],
    designated_professional_id=PRACTITIONERS[Role.DESIGNATED_PROFESSIONAL][0],
    administrator_id=PRACTITIONERS[Role.ADMINISTRATOR][0],
    school_age=ExampleCase("case-example-7y", "EX-0007", "person-example-7y", AgeBand.FIVE_AND_OVER),
    under_five=ExampleCase("case-example-2y", "EX-0002", "person-example-2y", AgeBand.UNDER_FIVE),
    unborn=ExampleCase("case-example-unborn", "EX-0000", "person-example-unborn", AgeBand.UNBORN),
)


async def seed_examples(
    session: AsyncSession,
    *,
    today: date | None = None,
    partnership_id: str | None = None,
    password_hash: str | None = None,
) -> ExampleIds:
    """Create the example team, its practitioners and three cases, unless they exist; return their ids.

    Dates of birth are set from `today` (default: today in England) on the first run only: a 7-year-old,
    a 2-year-old and a child expected in four months. With `partnership_id` (the procedure profile's
    `disagreement.partnership`), the partnership and the team's duty manager are recorded too, so a
    disagreement can reach both. With `password_hash` (development only: `python -m starter seed`), every
    example practitioner signs in to the console with that password, replacing the one set before. Never
    commits: the caller owns the transaction.
    """
    today = today or datetime.now(LONDON).date()
    ids = EXAMPLE_IDS
    await _insert_once(
        teams,
        {
            "id": TEAM_ID,
            "name": "Example Borough Assessment Team (fictional)",
            "service_manager_id": ids.service_manager_id,
            "mailbox": "example-team@example.invalid",
        },
        session=session,
    )
    for team_id, team in OTHER_TEAMS.items():
        await _insert_once(teams, {"id": team_id, **team}, session=session)
    for role, (practitioner_id, given_name, family_name) in PRACTITIONERS.items():
        await _insert_once(
            practitioners,
            {
                "id": practitioner_id,
                "given_name": given_name,
                "family_name": family_name,
                "email": f"{practitioner_id}@example.invalid",
                "role": str(role),
                "agency": AGENCY_OF.get(role, "social_care"),
                "team_id": TEAM_OF.get(role, TEAM_ID),
            },
            session=session,
        )
        if password_hash is not None:
            await set_password_hash(practitioner_id, password_hash, session=session)
    births: dict[AgeBand, dict[str, date | None]] = {
        AgeBand.FIVE_AND_OVER: {"date_of_birth": _years_before(today, 7, days=40), "expected_birth_date": None},
        AgeBand.UNDER_FIVE: {"date_of_birth": _years_before(today, 2, days=75), "expected_birth_date": None},
        AgeBand.UNBORN: {"date_of_birth": None, "expected_birth_date": today + timedelta(days=120)},
    }
    if partnership_id is not None:
        await _insert_once(
            safeguarding_partnerships,
            {"id": partnership_id, "name": PARTNERSHIP_NAME, "mailbox": PARTNERSHIP_MAILBOX},
            session=session,
        )
        await _insert_once(duty_managers, {"team_id": TEAM_ID, "practitioner_id": ids.team_manager_id}, session=session)
    given_names = {AgeBand.FIVE_AND_OVER: "Pip", AgeBand.UNDER_FIVE: "Robin", AgeBand.UNBORN: "Unborn"}
    opened_at = datetime.combine(today, time(9, 0), tzinfo=LONDON)
    for case in (ids.school_age, ids.under_five, ids.unborn):
        await _insert_once(
            people,
            {
                "id": case.child_id,
                "given_name": given_names[case.age_band],
                "family_name": "Fictional",
                "address": "1 Nowhere Lane, Exampletown (fictional)",
                **births[case.age_band],
            },
            session=session,
        )
        await _insert_once(
            cases,
            {
                "id": case.case_id,
                "reference": case.reference,
                "child_id": case.child_id,
                "team_id": TEAM_ID,
                "opened_at": opened_at,
            },
            session=session,
        )
    return ids


def _years_before(day: date, years: int, *, days: int) -> date:
    """Return the day `years` years and `days` days before `day` (29 February becomes 28 February)."""
    try:
        shifted = day.replace(year=day.year - years)
    except ValueError:
        shifted = date(day.year - years, 2, 28)
    return shifted - timedelta(days=days)


async def _insert_once(table: Table, row: dict[str, Any], *, session: AsyncSession) -> None:
    await session.execute(insert(table).values(row).on_conflict_do_nothing())
