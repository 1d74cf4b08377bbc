"""A back-office system drives a child's case from the first contact to an authorised assessment over HTTP
alone, and then retries every request it made with its Idempotency-Key: nothing changes the second time.

The story, an unborn child (statutory-rules.md §3: an unborn child's assessment has a joint visit with the
midwife): the contact is recorded with the child and mother registered on a new case; the team manager
decides it goes to assessment, which the front door starts; the manager allocates the assessment, which
starts the joint visit; the social worker and the midwife record its steps; the social worker records the
child seen and submits the assessment; the social worker's attempt to authorise it is refused; the manager
authorises it. The trays and the chronology show the work. Every POST carried a key, so a client that lost
every answer and sent it all again gets the same answers and writes no second row anywhere.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from sqlalchemy import Table, func, select

from safeguarding.codes import Role
from safeguarding.schema import cases, chronology, contacts, decisions, people
from tests.api.conftest import Api
from tests.service.registrations import mother
from tests.workflows.time_control import eventually, last_working_day_at

COUNTED = (contacts, people, cases, decisions, chronology)


@dataclass
class Client:
    """A back-office client: every POST it sends carries a fresh Idempotency-Key, and is kept to send again."""

    api: Api
    sent: list[tuple[str, dict[str, Any], dict[str, str], httpx.Response]] = field(default_factory=list)

    async def post(self, path: str, body: dict[str, Any], role: Role) -> httpx.Response:
        headers = await self.api.headers(role, **{"Idempotency-Key": f"story-{len(self.sent):03d}"})
        response = await self.api.http.post(path, json=body, headers=headers)
        self.sent.append((path, body, headers, response))
        return response

    async def decide(self, workflow_id: str, decision: str, body: dict[str, Any], role: Role) -> httpx.Response:
        return await self.post(f"/processes/{workflow_id}/decisions/{decision}", body, role)

    async def get(self, path: str, role: Role, **params: Any) -> httpx.Response:
        return await self.api.http.get(path, params=params, headers=await self.api.headers(role))


async def _counts(api: Api) -> dict[str, int]:
    async def count(table: Table) -> int:
        async with api.services.sessions() as session:
            return int((await session.execute(select(func.count()).select_from(table))).scalar_one())

    return {table.name: await count(table) for table in COUNTED}


async def _running(client: Client, workflow_id: str) -> dict[str, Any]:
    """Return the process's status once it answers: a hand-off starts it a moment after the decision."""

    async def answered() -> dict[str, Any] | None:
        """the process answers its status"""
        response = await client.get(f"/processes/{workflow_id}", Role.TEAM_MANAGER)
        return response.json() if response.status_code == 200 else None

    status: dict[str, Any] = await eventually(answered)
    return status


async def test_a_contact_to_an_authorised_assessment_over_http_and_every_retry_changes_nothing(api: Api) -> None:
    client = Client(api)
    expected = (datetime.now(UTC) + timedelta(days=90)).date()
    received = last_working_day_at(datetime.now(UTC), api.worker.calendar)
    unborn = {
        "given_name": "Unborn",
        "family_name": "Quillfeather",
        "expected_birth_date": expected.isoformat(),
        "sex": "U",
        "ethnicity": "NOBT",
        "address": "3 Imaginary Row, Exampletown (fictional)",
    }

    contact = await client.post(
        "/contacts/new-child",
        {
            "registration": {"child": unborn, "family": [mother()]},
            "received_at": received.isoformat(),
            "source": "health",
            "summary": "The midwife is worried about the mother's support at the birth (fictional).",
            "referrer_email": "midwife-team@example.invalid",
        },
        Role.SOCIAL_WORKER,
    )
    assert contact.status_code == 201, contact.text
    registration = contact.json()["registration"]
    case_id, reference = registration["case_id"], registration["reference"]
    front_door = contact.json()["workflow_id"]

    decided = await client.decide(
        front_door, "decide_contact", {"outcome": "assessment", "rationale": "Needs assessing"}, Role.TEAM_MANAGER
    )
    assert decided.status_code == 200, decided.text
    assessment = f"assessment-{reference}"
    assert (await _running(client, assessment))["stage"] == "allocation"
    case = await client.get(f"/cases/{case_id}", Role.SOCIAL_WORKER)
    assert {p["workflow_id"] for p in case.json()["processes"]} >= {front_door, assessment}

    allocated = await client.decide(
        assessment, "allocate", {"social_worker_id": api.ids.social_worker_id}, Role.TEAM_MANAGER
    )
    assert allocated.status_code == 200, allocated.text
    joint_visit = f"joint-visit-{reference}"
    await _running(client, joint_visit)
    for decision, body, role in (
        ("record_family_told", {}, Role.SOCIAL_WORKER),
        ("record_background_review", {}, Role.MIDWIFE),
        (
            "record_pre_meet",
            {
                "health_practitioner_id": api.ids.midwife_id,
                "social_worker_knows_family": False,
                "health_practitioner_knows_family": True,
            },
            Role.SOCIAL_WORKER,
        ),
        ("record_visit", {"consent_explained": True, "information_sharing_consent": "given"}, Role.MIDWIFE),
        (
            "record_debrief",
            {"actions": [{"description": "Midwife visits weekly", "owner_id": api.ids.midwife_id}]},
            Role.SOCIAL_WORKER,
        ),
    ):
        step = await client.decide(joint_visit, decision, body, role)
        assert step.status_code == 200, f"{decision}: {step.text}"

    async def joint_visit_done() -> bool:
        """the assessment has the joint visit's result"""
        return bool((await _running(client, assessment))["facts"].get("joint_visit") == "done")

    await eventually(joint_visit_done)
    seen = await client.decide(assessment, "record_child_seen", {}, Role.SOCIAL_WORKER)
    submitted = await client.decide(assessment, "submit_assessment", {"recommended_outcome": "nfa"}, Role.SOCIAL_WORKER)
    authorisation = {
        "outcome": "nfa",
        "primary_need": "N9",
        "factors": ["21"],
        "rationale": "Support in place from the midwife and family",
    }
    refused = await client.decide(assessment, "authorise", authorisation, Role.SOCIAL_WORKER)
    authorised = await client.decide(assessment, "authorise", authorisation, Role.TEAM_MANAGER)

    assert (seen.status_code, submitted.status_code) == (200, 200), (seen.text, submitted.text)
    assert refused.status_code == 403
    assert authorised.status_code == 200, authorised.text
    assert (authorised.json()["actor_id"], authorised.json()["outcome"]) == (api.ids.team_manager_id, "nfa")
    mine = await client.get("/tray/mine", Role.SOCIAL_WORKER)
    team = await client.get(f"/tray/teams/{api.ids.team_id}", Role.TEAM_MANAGER)
    history = await client.get(f"/cases/{case_id}/chronology", Role.SOCIAL_WORKER, limit=200)
    assert (mine.status_code, team.status_code, history.status_code) == (200, 200, 200)
    assert not [item for item in team.json()["items"] if item["workflow_id"] == assessment]
    who_did_what = {(entry["workflow_id"], entry["actor_id"]) for entry in history.json()["entries"]}
    assert who_did_what >= {
        (front_door, api.ids.team_manager_id),
        (assessment, api.ids.team_manager_id),
        (assessment, api.ids.social_worker_id),
        (joint_visit, api.ids.midwife_id),
    }

    before = await _counts(api)
    again = [await api.http.post(path, json=body, headers=headers) for path, body, headers, _first in list(client.sent)]
    after = await _counts(api)

    assert after == before
    for (path, _body, _headers, first), retried in zip(client.sent, again, strict=True):
        assert (retried.status_code, retried.json()) == (first.status_code, first.json()), path
        assert retried.headers["idempotent-replayed"] == "true", path
