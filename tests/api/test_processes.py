"""Starting processes and deciding on them over HTTP: the acting person from the token, refusals as problems."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from safeguarding.codes import Role
from safeguarding.schema import contacts, decisions
from tests.api.conftest import Api
from tests.workflows.time_control import eventually, last_working_day_at

PROBLEM = "application/problem+json"
EARLY_HELP = {"outcome": "early_help", "rationale": "Needs met by the family hub"}


def _contact(api: Api, **changes: str) -> dict[str, str]:
    received = last_working_day_at(datetime.now(UTC), api.worker.calendar)
    return {
        "case_reference": api.ids.school_age.reference,
        "received_at": received.isoformat(),
        "source": "school",
        "summary": "Fictional concern for testing.",
        **changes,
    }


async def _count(api: Api, table: object, **where: str) -> int:
    query = select(func.count()).select_from(table)  # type: ignore[arg-type]
    for column, value in where.items():
        query = query.where(table.c[column] == value)
    async with api.services.sessions() as session:
        return int((await session.execute(query)).scalar_one())


async def test_a_contact_is_decided_by_the_manager_after_a_social_workers_refused_attempt(api: Api) -> None:
    started = await api.http.post("/contacts", json=_contact(api), headers=await api.headers(Role.SOCIAL_WORKER))
    workflow_id = started.json()["workflow_id"]
    path = f"/processes/{workflow_id}/decisions/decide_contact"
    manager = await api.headers(Role.TEAM_MANAGER, **{"Idempotency-Key": "decide-1"})

    refused = await api.http.post(path, json=EARLY_HELP, headers=await api.headers(Role.SOCIAL_WORKER))
    decided = await api.http.post(path, json=EARLY_HELP, headers=manager)
    again = await api.http.post(path, json=EARLY_HELP, headers=manager)
    twice = await api.http.post(path, json=EARLY_HELP, headers=await api.headers(Role.TEAM_MANAGER))

    assert started.status_code == 201, started.text
    assert started.json()["deadline"]["rule_id"] == "referral_decision"
    assert (refused.status_code, refused.headers["content-type"]) == (403, PROBLEM)
    assert "social_worker may not make this decision" in refused.json()["detail"]
    assert decided.status_code == 200, decided.text
    assert (decided.json()["actor_id"], decided.json()["actor_role"]) == (api.ids.team_manager_id, "team_manager")
    assert (again.json(), again.headers["idempotent-replayed"]) == (decided.json(), "true")
    assert twice.status_code == 409
    assert twice.json()["detail"].startswith("decide_contact")

    async def recorded_once() -> bool:
        return await _count(api, decisions, workflow_id=workflow_id, decision="decide_contact") == 1

    await eventually(recorded_once)


async def test_bad_input_is_refused_with_its_field_and_nothing_is_recorded(api: Api) -> None:
    headers = await api.headers(Role.TEAM_MANAGER)
    future = (datetime.now(UTC) + timedelta(days=1)).isoformat()
    before = await _count(api, contacts)

    in_future = await api.http.post("/contacts", json=_contact(api, received_at=future), headers=headers)
    naive = await api.http.post("/contacts", json=_contact(api, received_at="2026-11-24T10:00:00"), headers=headers)
    unknown_case = await api.http.post("/contacts", json=_contact(api, case_reference="EX-9999"), headers=headers)
    control = await api.http.post("/contacts", json=_contact(api, summary="bad\x00text"), headers=headers)
    not_json = await api.http.post("/contacts", content=b"{not json", headers=headers)

    assert (in_future.status_code, in_future.json()["errors"][0]["field"]) == (422, "received_at")
    assert (naive.status_code, naive.json()["errors"][0]["field"]) == (422, "received_at")
    assert unknown_case.status_code == 404
    assert (control.status_code, control.json()["errors"][0]["field"]) == (422, "summary")
    assert not_json.status_code == 422
    assert await _count(api, contacts) == before


async def test_a_decision_body_naming_its_actor_or_an_unknown_process_is_refused(api: Api) -> None:
    started = await api.http.post("/contacts", json=_contact(api), headers=await api.headers(Role.TEAM_MANAGER))
    workflow_id = started.json()["workflow_id"]
    headers = await api.headers(Role.TEAM_MANAGER)
    forged = {**EARLY_HELP, "actor": {"practitioner_id": "mallory", "role": "team_manager", "team_id": "x"}}

    with_actor = await api.http.post(f"/processes/{workflow_id}/decisions/decide_contact", json=forged, headers=headers)
    unknown = await api.http.post(
        "/processes/front-door-nothing/decisions/decide_contact", json=EARLY_HELP, headers=headers
    )
    authorisation = {"outcome": "nfa", "primary_need": "N9", "factors": ["21"], "rationale": "x"}
    wrong_process = await api.http.post(
        f"/processes/{workflow_id}/decisions/authorise", json=authorisation, headers=headers
    )
    malformed = await api.http.post(
        f"/processes/{workflow_id}/decisions/decide_contact", json={"outcome": "maybe"}, headers=headers
    )

    assert (with_actor.status_code, with_actor.json()["errors"][0]["field"]) == (422, "actor")
    assert unknown.status_code == 404
    assert wrong_process.status_code == 404
    assert (malformed.status_code, malformed.json()["errors"][0]["field"]) == (422, "outcome")


async def test_the_status_of_a_process_is_read_by_its_team_and_not_by_a_partner_agency(api: Api) -> None:
    started = await api.http.post("/contacts", json=_contact(api), headers=await api.headers(Role.TEAM_MANAGER))
    workflow_id = started.json()["workflow_id"]

    ours = await api.http.get(f"/processes/{workflow_id}", headers=await api.headers(Role.SOCIAL_WORKER))
    police = await api.http.get(f"/processes/{workflow_id}", headers=await api.headers(Role.POLICE_OFFICER))

    assert (ours.status_code, ours.json()["stage"]) == (200, "screening")
    assert police.status_code == 403
