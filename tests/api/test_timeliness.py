"""`GET /reports/timeliness` over HTTP: a census year's indicators for the managers entitled to them."""

from __future__ import annotations

from datetime import date

from safeguarding.codes import Role
from safeguarding.store.examples import EXAMPLE_IDS
from tests.api.conftest import Api
from tests.factories import create_case
from tests.service.timeliness_caseload import at, contact

PROBLEM = "application/problem+json"


async def test_a_service_manager_reads_a_census_year_and_a_team_manager_their_own_team(api: Api) -> None:
    async with api.services.sessions.begin() as session:
        case = await create_case(session, team_id=EXAMPLE_IDS.team_id)
        # Fri 31 Dec 2021 -> Tue 4 Jan 2022: Mon 3 Jan is the New Year substitute day (the 4 January one is
        # Scotland's, not England's), so Tue 4 Jan is the next working day: in time.
        await contact(session, case, at(date(2021, 12, 31)), at(date(2022, 1, 4)))

    manager = await api.http.get("/reports/timeliness?year=2021", headers=await api.headers(Role.SERVICE_MANAGER))
    team = await api.http.get("/reports/timeliness?year=2021", headers=await api.headers(Role.TEAM_MANAGER))

    assert (manager.status_code, team.status_code) == (200, 200)
    report = manager.json()
    assert (report["year"], report["reference_date"], report["team_id"]) == ("2021/22", "2022-03-31", None)
    decided = next(i for i in report["indicators"] if i["key"] == "referral_decisions_within_1_working_day")
    assert (decided["numerator"], decided["denominator"], decided["convention"]) == (1, 1, "ours")
    assert team.json()["team_id"] == EXAMPLE_IDS.team_id


async def test_the_report_is_refused_to_a_practitioner_and_another_teams_manager_as_problems(api: Api) -> None:
    social_worker = await api.http.get("/reports/timeliness", headers=await api.headers(Role.SOCIAL_WORKER))
    elsewhere = await api.http.get(
        "/reports/timeliness?team=team-elsewhere", headers=await api.headers(Role.TEAM_MANAGER)
    )
    to_come = await api.http.get("/reports/timeliness?year=2999", headers=await api.headers(Role.SERVICE_MANAGER))
    malformed = await api.http.get("/reports/timeliness?year=soon", headers=await api.headers(Role.SERVICE_MANAGER))

    assert (social_worker.status_code, elsewhere.status_code) == (403, 403)
    assert social_worker.headers["content-type"] == PROBLEM
    assert (to_come.status_code, to_come.json()["errors"][0]["field"]) == (422, "year")
    assert malformed.status_code == 422
