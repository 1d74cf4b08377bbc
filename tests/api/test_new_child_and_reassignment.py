"""Two routes that write to the case and start or move its work: a contact about a child not yet known
(`POST /contacts/new-child`), and handing a case to another social worker (`POST /cases/{id}/responsible-worker`).

Each is shown working end to end, and refused — for the wrong role, the wrong team, a bad worker or date,
a duplicate child or an unknown case — with nothing written.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Table, func, select

from safeguarding.codes import Role
from safeguarding.schema import cases, change_log, contacts, people
from tests.api.conftest import Api
from tests.factories import create_practitioner, seed_team
from tests.service.registrations import child, mother
from tests.workflows.time_control import eventually, last_working_day_at

PROBLEM = "application/problem+json"


async def _counts(api: Api, *tables: Table) -> list[int]:
    async with api.services.sessions() as session:
        return [int((await session.execute(select(func.count()).select_from(t))).scalar_one()) for t in tables]


def _new_child_contact(api: Api, **changes: Any) -> dict[str, Any]:
    received = last_working_day_at(datetime.now(UTC), api.worker.calendar)
    return {
        "registration": {"child": child(), "family": [mother()]},
        "received_at": received.isoformat(),
        "source": "school",
        "summary": "The school is worried about the child's attendance (fictional).",
        "referrer_email": "school@example.invalid",
        **changes,
    }


async def test_a_contact_about_a_new_child_registers_the_family_opens_the_case_and_starts_its_front_door(
    api: Api,
) -> None:
    async with api.services.sessions.begin() as session:
        clerk = await create_practitioner(session, team_id=api.ids.team_id, role=Role.BUSINESS_SUPPORT)
    before = await _counts(api, people, cases, contacts)

    recorded = await api.http.post(
        "/contacts/new-child",
        json=_new_child_contact(api),
        headers={"Authorization": f"Bearer {await api.token(clerk)}"},
    )

    assert recorded.status_code == 201, recorded.text
    registration = recorded.json()["registration"]
    assert registration["team_id"] == api.ids.team_id
    assert recorded.json()["deadline"]["rule_id"] == "referral_decision"
    assert await _counts(api, people, cases, contacts) == [before[0] + 2, before[1] + 1, before[2] + 1]
    case = (
        await api.http.get(f"/cases/{registration['case_id']}", headers=await api.headers(Role.SOCIAL_WORKER))
    ).json()
    assert (case["child"]["given_name"], [m["relationship"] for m in case["family"]]) == ("Zebedee", ["mother"])
    status = await api.http.get(
        f"/processes/{recorded.json()['workflow_id']}", headers=await api.headers(Role.TEAM_MANAGER)
    )
    assert (status.status_code, status.json()["stage"], status.json()["case_id"]) == (
        200,
        "screening",
        registration["case_id"],
    )


async def test_a_contact_about_a_new_child_refused_writes_nothing(api: Api) -> None:
    first = await api.http.post(
        "/contacts/new-child", json=_new_child_contact(api), headers=await api.headers(Role.SOCIAL_WORKER)
    )
    assert first.status_code == 201, first.text
    before = await _counts(api, people, cases, contacts)
    future = (datetime.now(UTC) + timedelta(days=1)).isoformat()
    another = {"child": child(given_name="Ottoline"), "team_id": "team-example-lado"}

    police = await api.http.post(
        "/contacts/new-child", json=_new_child_contact(api), headers=await api.headers(Role.POLICE_OFFICER)
    )
    administrator = await api.http.post(
        "/contacts/new-child", json=_new_child_contact(api), headers=await api.headers(Role.ADMINISTRATOR)
    )
    duplicate = await api.http.post(
        "/contacts/new-child", json=_new_child_contact(api), headers=await api.headers(Role.SOCIAL_WORKER)
    )
    in_future = await api.http.post(
        "/contacts/new-child",
        json=_new_child_contact(api, received_at=future, registration={"child": child(given_name="Ottoline")}),
        headers=await api.headers(Role.SOCIAL_WORKER),
    )
    other_team = await api.http.post(
        "/contacts/new-child",
        json=_new_child_contact(api, registration=another),
        headers=await api.headers(Role.SOCIAL_WORKER),
    )
    edt_without_team = await api.http.post(
        "/contacts/new-child",
        json=_new_child_contact(api, registration={"child": child(given_name="Ottoline")}),
        headers=await api.headers(Role.EDT_WORKER),
    )

    assert (police.status_code, police.headers["content-type"]) == (403, PROBLEM)
    assert administrator.status_code == 403
    assert duplicate.status_code == 409
    assert first.json()["registration"]["child_id"] in duplicate.json()["detail"]
    assert (in_future.status_code, in_future.json()["errors"][0]["field"]) == (422, "received_at")
    assert other_team.status_code == 403
    assert (edt_without_team.status_code, edt_without_team.json()["errors"][0]["field"]) == (422, "team_id")
    assert await _counts(api, people, cases, contacts) == before


async def _assessment_allocated_to_the_example_social_worker(api: Api) -> str:
    referral = last_working_day_at(datetime.now(UTC), api.worker.calendar)
    manager = await api.headers(Role.TEAM_MANAGER)
    started = await api.http.post(
        "/assessments",
        json={
            "case_reference": api.ids.school_age.reference,
            "referral_at": referral.isoformat(),
            "referral_source": "2A",
        },
        headers=manager,
    )
    assert started.status_code == 201, started.text
    workflow_id = str(started.json()["workflow_id"])
    allocated = await api.http.post(
        f"/processes/{workflow_id}/decisions/allocate",
        json={"social_worker_id": api.ids.social_worker_id},
        headers=manager,
    )
    assert allocated.status_code == 200, allocated.text
    return workflow_id


async def test_a_case_handed_to_another_social_worker_takes_the_assessment_they_led_with_it(api: Api) -> None:
    assessment = await _assessment_allocated_to_the_example_social_worker(api)
    async with api.services.sessions.begin() as session:
        newcomer = await create_practitioner(session, team_id=api.ids.team_id, role=Role.SOCIAL_WORKER)
    path = f"/cases/{api.ids.school_age.case_id}/responsible-worker"

    to_first = await api.http.post(
        path,
        json={"practitioner_id": api.ids.social_worker_id, "reason": "Allocated at the team meeting"},
        headers=await api.headers(Role.TEAM_MANAGER),
    )
    handover = {"practitioner_id": newcomer, "reason": "Sam is on long-term leave"}
    keyed = await api.headers(Role.SERVICE_MANAGER, **{"Idempotency-Key": "handover-1"})
    to_newcomer = await api.http.post(path, json=handover, headers=keyed)
    again = await api.http.post(path, json=handover, headers=keyed)

    assert to_first.status_code == 200, to_first.text
    assert to_newcomer.status_code == 200, to_newcomer.text
    assert to_newcomer.json()["previous_practitioner_id"] == api.ids.social_worker_id
    assert [(p["workflow_id"], p["reassigned"]) for p in to_newcomer.json()["processes"]] == [(assessment, True)]
    assert (again.json(), again.headers["idempotent-replayed"]) == (to_newcomer.json(), "true")
    case = await api.http.get(f"/cases/{api.ids.school_age.case_id}", headers=await api.headers(Role.TEAM_MANAGER))
    assert case.json()["allocated_practitioner_id"] == newcomer

    async def tasks_moved() -> bool:
        """the assessment's social worker tasks are the newcomer's"""
        status = await api.http.get(f"/processes/{assessment}", headers=await api.headers(Role.TEAM_MANAGER))
        assignees = {t["assignee_id"] for t in status.json()["open_tasks"] if "social_worker" in t["allowed_roles"]}
        return assignees == {newcomer}

    await eventually(tasks_moved)
    reassigned = await api.http.get(f"/processes/{assessment}", headers=await api.headers(Role.TEAM_MANAGER))
    assert [d["actor_id"] for d in reassigned.json()["decisions"] if d["decision"] == "reassign"] == [
        api.ids.service_manager_id
    ]
    assert await _counts(api, change_log) == [2]


async def test_a_reassignment_refused_changes_neither_the_case_nor_its_processes(api: Api) -> None:
    assessment = await _assessment_allocated_to_the_example_social_worker(api)
    other = await seed_team(api.services.sessions)
    path = f"/cases/{api.ids.school_age.case_id}/responsible-worker"
    body = {"practitioner_id": api.ids.social_worker_id, "reason": "Fictional reason"}
    other_manager = {"Authorization": f"Bearer {await api.token(other.team_manager_id)}"}
    manager = await api.headers(Role.TEAM_MANAGER)

    by_social_worker = await api.http.post(path, json=body, headers=await api.headers(Role.SOCIAL_WORKER))
    by_lado_manager = await api.http.post(path, json=body, headers=await api.headers(Role.LADO_MANAGER))
    by_other_team = await api.http.post(path, json=body, headers=other_manager)
    to_a_manager = await api.http.post(path, json={**body, "practitioner_id": api.ids.team_manager_id}, headers=manager)
    to_other_team = await api.http.post(path, json={**body, "practitioner_id": other.social_worker_id}, headers=manager)
    without_reason = await api.http.post(path, json={"practitioner_id": api.ids.social_worker_id}, headers=manager)
    unknown_case = await api.http.post("/cases/case-000000000000/responsible-worker", json=body, headers=manager)

    assert [r.status_code for r in (by_social_worker, by_lado_manager, by_other_team)] == [403, 403, 403]
    assert (to_a_manager.status_code, to_a_manager.json()["errors"][0]["field"]) == (422, "practitioner_id")
    assert (to_other_team.status_code, to_other_team.json()["errors"][0]["field"]) == (422, "practitioner_id")
    assert (without_reason.status_code, without_reason.json()["errors"][0]["field"]) == (422, "reason")
    assert unknown_case.status_code == 404
    case = await api.http.get(f"/cases/{api.ids.school_age.case_id}", headers=manager)
    assert case.json()["allocated_practitioner_id"] is None
    assert await _counts(api, change_log) == [0]
    status = await api.http.get(f"/processes/{assessment}", headers=manager)
    assert "reassign" not in {d["decision"] for d in status.json()["decisions"]}
