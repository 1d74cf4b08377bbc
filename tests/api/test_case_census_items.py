"""Over HTTP: a case closed with its census reason (`POST /cases/{id}/closure`) and its pre-proceedings recorded
(`PUT /cases/{id}/pre-proceedings`), each once per idempotency key, refused with a problem naming the field."""

from __future__ import annotations

from safeguarding.codes import Role
from safeguarding.working_days import local_date
from tests.api.conftest import Api


async def test_a_manager_closes_a_case_once_and_a_bad_reason_or_role_is_refused(api: Api) -> None:
    path = f"/cases/{api.ids.school_age.case_id}/closure"
    manager = await api.headers(Role.TEAM_MANAGER, **{"Idempotency-Key": "close-1"})
    body = {"closure_reason": "RC5", "reason": "The family moved to another authority, which took the case"}

    not_a_code = await api.http.post(path, json={**body, "closure_reason": "moved"}, headers=manager)
    by_social_worker = await api.http.post(path, json=body, headers=await api.headers(Role.SOCIAL_WORKER))
    closed = await api.http.post(path, json=body, headers=manager)
    retried = await api.http.post(path, json=body, headers=manager)
    again = await api.http.post(path, json=body, headers=await api.headers(Role.TEAM_MANAGER))

    assert (not_a_code.status_code, not_a_code.json()["errors"][0]["field"]) == (422, "closure_reason")
    assert by_social_worker.status_code == 403
    assert closed.status_code == 200, closed.text
    assert (closed.json()["closure_reason"], retried.json()) == ("RC5", closed.json())
    assert (again.status_code, "closed already" in again.json()["detail"]) == (409, True)
    case = await api.http.get(f"/cases/{api.ids.school_age.case_id}", headers=manager)
    assert case.json()["closure_reason"] == "RC5"
    assert case.json()["closed_at"] == closed.json()["closed_at"]


async def test_a_social_worker_records_pre_proceedings_and_a_period_out_of_order_is_refused(api: Api) -> None:
    path = f"/cases/{api.ids.school_age.case_id}/pre-proceedings"
    worker = await api.headers(Role.SOCIAL_WORKER)
    today = local_date(await api.services.now()).isoformat()
    period = {"started_on": today, "letter_before_proceedings_on": today, "fgdm_offered": True}

    recorded = await api.http.put(path, json=period, headers=worker)
    out_of_order = await api.http.put(path, json={**period, "decided_on": "2020-01-01"}, headers=worker)
    unknown_field = await api.http.put(path, json={**period, "child_name": "Someone"}, headers=worker)

    assert recorded.status_code == 200, recorded.text
    assert (recorded.json()["started_on"], recorded.json()["fgdm_offered"]) == (today, True)
    assert out_of_order.status_code == 422 and "decided_on is never before started_on" in out_of_order.text
    assert unknown_field.status_code == 422
