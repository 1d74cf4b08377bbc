"""The read routes over HTTP: the tray, the reports and the due-date calculator, with their refusals."""

from __future__ import annotations

from safeguarding.codes import Role
from safeguarding.store.examples import LADO_TEAM_ID
from tests.api.conftest import Api

PROBLEM = "application/problem+json"


async def test_the_tray_and_its_counts_answer_for_me_and_my_team(api: Api) -> None:
    headers = await api.headers(Role.TEAM_MANAGER)

    mine = await api.http.get("/tray/mine", headers=headers)
    team = await api.http.get(f"/tray/teams/{api.ids.team_id}", headers=headers, params={"window": "overdue"})
    counts = await api.http.get(f"/tray/teams/{api.ids.team_id}/counts", headers=headers)

    assert (mine.status_code, team.status_code, counts.status_code) == (200, 200, 200)
    assert team.json()["items"] == []
    assert counts.json()["overdue"] == 0


async def test_another_teams_tray_is_refused_as_a_problem(api: Api) -> None:
    response = await api.http.get(f"/tray/teams/{LADO_TEAM_ID}", headers=await api.headers(Role.TEAM_MANAGER))

    assert response.status_code == 403
    assert response.headers["content-type"] == PROBLEM


async def test_a_tray_query_that_does_not_hold_together_names_its_fields(api: Api) -> None:
    response = await api.http.get(
        "/tray/mine", headers=await api.headers(Role.SOCIAL_WORKER), params={"working_days": 3, "limit": 0}
    )

    assert response.status_code == 422
    assert {problem["field"] for problem in response.json()["errors"]} >= {"query.limit"}


async def test_the_lado_report_is_for_the_lado_and_refused_to_a_social_worker(api: Api) -> None:
    lado = await api.http.get("/reports/lado", headers=await api.headers(Role.LADO))
    social_worker = await api.http.get("/reports/lado", headers=await api.headers(Role.SOCIAL_WORKER))

    assert lado.status_code == 200
    assert social_worker.status_code == 403


async def test_the_due_date_calculator_counts_working_days_across_christmas(api: Api) -> None:
    response = await api.http.get(
        "/due-dates/icpc",
        headers=await api.headers(Role.SOCIAL_WORKER),
        params={"trigger_at": "2026-12-22T10:00:00+00:00"},
    )
    unknown = await api.http.get(
        "/due-dates/no_such_rule",
        headers=await api.headers(Role.SOCIAL_WORKER),
        params={"trigger_at": "2026-12-22T10:00:00+00:00"},
    )
    naive = await api.http.get(
        "/due-dates/icpc", headers=await api.headers(Role.SOCIAL_WORKER), params={"trigger_at": "2026-12-22T10:00:00"}
    )

    assert response.status_code == 200
    # 15 working days from Tue 22 Dec 2026: Christmas Day, Boxing Day (substitute Mon 28) and New Year's Day skipped.
    assert response.json()["due_date"] == "2027-01-15"
    assert (unknown.status_code, unknown.json()["errors"][0]["field"]) == (422, "rule_id")
    assert naive.status_code == 422
