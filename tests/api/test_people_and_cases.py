"""People and cases over HTTP: registration (retried with its key), reads, corrections, administration."""

from __future__ import annotations

from sqlalchemy import func, select

from safeguarding.codes import Role
from safeguarding.schema import cases, change_log, people
from tests.api.conftest import Api
from tests.service.registrations import child, mother


async def _count(api: Api, table: object) -> int:
    async with api.services.sessions() as session:
        return int((await session.execute(select(func.count()).select_from(table))).scalar_one())  # type: ignore[arg-type]


async def test_a_registration_retried_with_its_key_opens_one_case_and_answers_the_same(api: Api) -> None:
    headers = await api.headers(Role.SOCIAL_WORKER, **{"Idempotency-Key": "reg-0001"})
    body = {"child": child(), "family": [mother()]}
    before = (await _count(api, cases), await _count(api, people))

    first = await api.http.post("/cases", json=body, headers=headers)
    again = await api.http.post("/cases", json=body, headers=headers)
    other_body = await api.http.post("/cases", json={**body, "confirm_new_person": True}, headers=headers)

    assert first.status_code == 201, first.text
    assert (again.status_code, again.json()) == (201, first.json())
    assert again.headers["idempotent-replayed"] == "true"
    assert other_body.status_code == 422
    assert other_body.json()["errors"][0]["field"] == "Idempotency-Key"
    assert (await _count(api, cases), await _count(api, people)) == (before[0] + 1, before[1] + 2)


async def test_the_case_is_read_by_its_team_and_refused_to_another_teams_practitioner(api: Api) -> None:
    registered = await api.http.post("/cases", json={"child": child()}, headers=await api.headers(Role.SOCIAL_WORKER))
    case_id = registered.json()["case_id"]

    ours = await api.http.get(f"/cases/{case_id}", headers=await api.headers(Role.TEAM_MANAGER))
    lado = await api.http.get(f"/cases/{case_id}", headers=await api.headers(Role.LADO))
    police = await api.http.get(f"/cases/{case_id}", headers=await api.headers(Role.POLICE_OFFICER))
    unknown = await api.http.get("/cases/case-000000000000", headers=await api.headers(Role.TEAM_MANAGER))

    assert ours.status_code == 200
    assert ours.json()["reference"] == registered.json()["reference"]
    assert lado.status_code == 200  # the LADO's work spans teams
    assert police.status_code == 403
    assert unknown.status_code == 404


async def test_a_person_is_found_and_corrected_with_a_logged_reason_and_a_stale_copy_is_refused(api: Api) -> None:
    headers = await api.headers(Role.SOCIAL_WORKER)
    registered = (await api.http.post("/cases", json={"child": child()}, headers=headers)).json()
    found = await api.http.get(
        "/people",
        headers=headers,
        params={"given_name": "Zeb", "family_name": "Quillfeather", "date_of_birth": child()["date_of_birth"]},
    )
    person = (await api.http.get(f"/people/{registered['child_id']}", headers=headers)).json()

    corrected = await api.http.patch(
        f"/people/{registered['child_id']}",
        headers=headers,
        json={"expected_updated_at": person["updated_at"], "reason": "school's records", "ethnicity": "WIRI"},
    )
    stale = await api.http.patch(
        f"/people/{registered['child_id']}",
        headers=headers,
        json={"expected_updated_at": person["updated_at"], "reason": "again", "ethnicity": "WOTH"},
    )
    changes = await api.http.get(f"/people/{registered['child_id']}/changes", headers=headers)

    assert [match["person_id"] for match in found.json()["matches"]] == [registered["child_id"]]
    assert (corrected.status_code, corrected.json()["ethnicity"]) == (200, "WIRI")
    assert stale.status_code == 409
    assert [(c["field"], c["old_value"], c["new_value"]) for c in changes.json()["changes"]] == [
        ("ethnicity", "WBRI", "WIRI")
    ]
    assert await _count(api, change_log) == 1


async def test_administration_is_the_administrators_alone(api: Api) -> None:
    team = {"team_id": "team-example-new", "name": "Example new team (fictional)"}

    refused = await api.http.post("/admin/teams", json=team, headers=await api.headers(Role.TEAM_MANAGER))
    made = await api.http.post("/admin/teams", json=team, headers=await api.headers(Role.ADMINISTRATOR))
    listed = await api.http.get("/admin/teams", headers=await api.headers(Role.ADMINISTRATOR))

    assert refused.status_code == 403
    assert made.status_code == 201, made.text
    assert "team-example-new" in {t["team_id"] for t in listed.json()["teams"]}
