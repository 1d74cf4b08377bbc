"""A start-work form sent twice records its work once, over plain HTTP as a browser without JavaScript sends it (a
double click, a page resent after "confirm form resubmission"), against the real app, case store and Temporal.

Each form page carries a one-time form key; the same form sent again goes where the first went (303), a form still
being recorded says so, a refused form can be corrected and sent with its key, and a form without a key the
console made records nothing.
"""

from __future__ import annotations

import asyncio
import re
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

import httpx
import pytest
from sqlalchemy import ColumnElement, func, select, text
from sqlalchemy.sql.schema import Table

from safeguarding.api.identity import SESSION_COOKIE
from safeguarding.codes import Process
from safeguarding.console.form_keys import NOT_OURS, SENT_ALREADY, STILL_RECORDING, form_key_problem
from safeguarding.schema import cases, contacts, idempotency_records, people
from safeguarding.service.cases import read_case
from safeguarding.service.principals import principal_for
from safeguarding.service.sign_in import set_password
from safeguarding.service.tokens import create_token
from safeguarding.working_days import LONDON
from tests.console.conftest import Console, earlier, front_door_awaiting_decision
from tests.factories import create_case, create_idempotency_record
from tests.workflows.time_control import eventually

HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)">')
BUTTON = re.compile(r"<button [^>]*data-prevent-double-click=\"true\"")
FIELD = "form_key"


@dataclass(frozen=True)
class StartWork:
    """A start-work form: who sends it, the page showing it, where it is sent, what it says, and what it records."""

    practitioner_id: str
    page: str
    action: str
    answers: dict[str, str]
    recorded: Callable[[], Awaitable[tuple[int, ...]]]
    """Counts of what sending it records in the case store (or Temporal, for a process with an id of its own)."""


async def _signed_in(console: Console, client: httpx.AsyncClient, practitioner_id: str) -> None:
    await set_password(console.services, practitioner_id, console.password)
    form = await client.get("/console/sign-in")
    fields = {"user_id": practitioner_id, "password": console.password, **dict(HIDDEN.findall(form.text))}
    signed_in = await client.post("/console/sign-in", data=fields)
    assert signed_in.status_code == 303 and SESSION_COOKIE in client.cookies


def _hidden(page: httpx.Response) -> dict[str, str]:
    """Return the hidden inputs of the form on `page`: its CSRF token and its form key."""
    return dict(HIDDEN.findall(page.text))


async def _opened(client: httpx.AsyncClient, form: StartWork) -> dict[str, str]:
    """Open the form's page and fill it in: what the browser would send, with the page's hidden inputs."""
    page = await client.get(form.page)
    assert page.status_code == 200, page.text
    assert BUTTON.search(page.text), "the submit button asks GOV.UK Frontend to prevent a double click"
    hidden = _hidden(page)
    assert form_key_problem(hidden.get(FIELD)) is None, hidden
    return {**hidden, **form.answers}


def _moment(name: str, at: datetime) -> dict[str, str]:
    local = at.astimezone(LONDON)
    return {
        f"{name}-day": str(local.day),
        f"{name}-month": str(local.month),
        f"{name}-year": str(local.year),
        f"{name}-time": local.strftime("%H:%M"),
    }


def _born(name: str) -> dict[str, str]:
    return {f"{name}-day": "14", f"{name}-month": "3", f"{name}-year": "2019"}


async def _count(console: Console, table: Table, *where: ColumnElement[bool]) -> int:
    async with console.services.sessions() as session:
        return int((await session.execute(select(func.count()).select_from(table).where(*where))).scalar_one())


async def _processes(console: Console, case_id: str, process: Process) -> int:
    manager = await principal_for(console.services, console.ids.service_manager_id)
    case = await read_case(console.services, manager, case_id)
    return len([p for p in case.processes if p.process is process])


async def _new_case(console: Console) -> tuple[str, str]:
    """Open a case of the example team with a reference of its own (processes' ids are made from references, and
    the Temporal server outlives each test's case store); return its id and reference."""
    async with console.services.sessions.begin() as session:
        made = await create_case(session, team_id=console.ids.team_id)
    return made.case_id, made.reference


def _contact_answers(console: Console, reference: str) -> dict[str, str]:
    return {
        "case_reference": reference,
        **_moment("received_at", earlier(console)),
        "source": "school",
        "summary": "The school nurse is worried about weight loss.",
    }


def _child(under: str, family_name: str) -> dict[str, str]:
    return {
        f"{under}child-given_name": "Pip",
        f"{under}child-family_name": family_name,
        **_born(f"{under}child-date_of_birth"),
        f"{under}child-sex": "F",
        f"{under}child-ethnicity": "NOBT",
        f"{under}child-address": "1 Nowhere Lane, Exampletown (fictional)",
    }


async def _contact(console: Console) -> StartWork:
    case_id, reference = await _new_case(console)

    async def recorded() -> tuple[int, ...]:
        return (await _count(console, contacts, contacts.c.case_id == case_id),)

    page = f"/console/start/contact?case_reference={reference}"
    return StartWork(
        console.ids.social_worker_id, page, "/console/start/contact", _contact_answers(console, reference), recorded
    )


async def _contact_new_child(console: Console) -> StartWork:
    family_name = "Fictional-Twice-Contact"

    async def recorded() -> tuple[int, ...]:
        named = await _count(console, people, people.c.family_name == family_name)
        return named, await _count(console, cases), await _count(console, contacts)

    answers = {
        **_moment("received_at", earlier(console)),
        "source": "health visitor",
        "summary": "Missed appointments and weight loss.",
        **_child("registration-", family_name),
    }
    action = "/console/start/contact-new-child"
    return StartWork(console.ids.social_worker_id, action, action, answers, recorded)


async def _child_registration(console: Console) -> StartWork:
    family_name = "Fictional-Twice-Child"

    async def recorded() -> tuple[int, ...]:
        return await _count(console, people, people.c.family_name == family_name), await _count(console, cases)

    action = "/console/start/child"
    return StartWork(console.ids.social_worker_id, action, action, _child("", family_name), recorded)


async def _allegation(console: Console) -> StartWork:
    reference = f"LADO-{secrets.randbelow(10**8):08d}"
    subject = "Fictional-Twice-Subject"

    async def recorded() -> tuple[int, ...]:
        named = await _count(console, people, people.c.family_name == subject)
        return named, await _count(console, cases, cases.c.reference == reference)

    answers = {
        "reference": reference,
        "subject-given_name": "Jordan",
        "subject-family_name": subject,
        "subject-role": "Teaching assistant",
        "subject-is_teacher": "false",
        "employer": "Example Primary School (fictional)",
        "setting": "Primary school",
        "what_happened": "A child said the assistant grabbed their arm.",
        **_moment("came_to_attention_at", earlier(console)),
        "action_taken": "Moved to other duties.",
        "children": console.ids.school_age.reference,
        "notifier_kind": "employer",
        "notifier_name": "Head teacher (fictional)",
        "method": "phone",
        **_moment("notified_at", earlier(console) + timedelta(hours=1)),
    }
    action = "/console/start/allegation"
    return StartWork(console.ids.lado_id, action, action, answers, recorded)


async def _conference(console: Console) -> StartWork:
    case_id, reference = await _new_case(console)
    proposed_at = earlier(console)

    async def recorded() -> tuple[int, ...]:
        return (await _processes(console, case_id, Process.FGC),)

    answers = {
        "case_reference": reference,
        **_moment("proposed_at", proposed_at),
        "reason": "pre_proceedings",
        **_moment("offer_letter_at", proposed_at - timedelta(hours=1)),
    }
    page = f"/console/start/conference?case_reference={reference}"
    return StartWork(console.ids.social_worker_id, page, "/console/start/conference", answers, recorded)


async def _disagreement(console: Console) -> StartWork:
    case_id, reference = await _new_case(console)
    workflow_id = await front_door_awaiting_decision(console, reference)

    async def recorded() -> tuple[int, ...]:
        return (await _processes(console, case_id, Process.DISAGREEMENT),)

    answers = {
        **_moment("raised_at", earlier(console) + timedelta(minutes=5)),
        "disagrees_with": "The contact needs an assessment, not advice.",
        "proposes": "A child and family assessment.",
        "immediate_risk": "false",
    }
    action = f"/console/processes/{workflow_id}/disagree?key=decide_contact"
    return StartWork(console.ids.social_worker_id, action, action, answers, recorded)


FORMS: dict[str, Callable[[Console], Awaitable[StartWork]]] = {
    "contact": _contact,
    "contact about a new child": _contact_new_child,
    "child's registration": _child_registration,
    "LADO notification": _allegation,
    "FGC referral": _conference,
    "disagreement": _disagreement,
}


async def _settled(form: StartWork, before: tuple[int, ...]) -> tuple[int, ...]:
    """Return the form's counts once what its first sending records shows (a process's record is written by its
    first activity)."""

    async def changed() -> tuple[int, ...] | None:
        """what the form records has been recorded"""
        now = await form.recorded()
        return now if now != before else None

    return await eventually(changed, attempts=300, interval=0.1)


@pytest.mark.parametrize("name", list(FORMS))
async def test_a_form_sent_twice_records_once_and_both_answers_go_to_the_same_page(
    console: Console, http: httpx.AsyncClient, name: str
) -> None:
    form = await FORMS[name](console)
    await _signed_in(console, http, form.practitioner_id)
    sent = await _opened(http, form)
    before = await form.recorded()

    first = await http.post(form.action, data=sent)
    assert first.status_code == 303, first.text
    once = await _settled(form, before)
    again = await http.post(form.action, data=sent)

    assert (again.status_code, again.headers.get("location")) == (303, first.headers["location"]), again.text
    assert await form.recorded() == once
    shown = await http.get(again.headers["location"])
    assert shown.status_code == 200, shown.text


async def test_a_refused_form_keeps_its_key_and_once_corrected_is_recorded(
    console: Console, http: httpx.AsyncClient
) -> None:
    form = await _contact(console)
    await _signed_in(console, http, form.practitioner_id)
    sent = await _opened(http, form)
    tomorrow = datetime.now(LONDON) + timedelta(days=1)

    refused = await http.post(form.action, data={**sent, **_moment("received_at", tomorrow)})

    assert refused.status_code == 422, refused.text
    assert "in the future" in refused.text
    assert _hidden(refused)[FIELD] == sent[FIELD]
    assert await form.recorded() == (0,)

    corrected = await http.post(form.action, data={**sent, **_hidden(refused)})
    again = await http.post(form.action, data={**sent, **_hidden(refused)})

    assert corrected.status_code == 303, corrected.text
    assert (again.status_code, again.headers["location"]) == (303, corrected.headers["location"])
    assert await form.recorded() == (1,)


@pytest.mark.parametrize(
    "key",
    [
        None,
        "",
        "a" * 201,
        secrets.token_urlsafe(32)[:-1] + "\x07",
        "short-and-chosen",
        secrets.token_urlsafe(32) + "=",
    ],
    ids=["missing", "empty", "too long", "control character", "not the console's", "padded"],
)
async def test_a_form_without_a_key_the_console_made_is_refused_and_records_nothing(
    console: Console, http: httpx.AsyncClient, key: str | None
) -> None:
    form = await _contact(console)
    await _signed_in(console, http, form.practitioner_id)
    sent = await _opened(http, form)
    forged = {name: value for name, value in sent.items() if name != FIELD} | ({} if key is None else {FIELD: key})

    refused = await http.post(form.action, data=forged)

    assert refused.status_code == 422, refused.text
    assert NOT_OURS in refused.text
    assert f'value="{sent["case_reference"]}"' in refused.text
    fresh = _hidden(refused)[FIELD]
    assert form_key_problem(fresh) is None and fresh not in (key, sent[FIELD])
    assert await form.recorded() == (0,)

    recorded = await http.post(form.action, data={**forged, FIELD: fresh})

    assert recorded.status_code == 303, recorded.text
    assert await form.recorded() == (1,)


async def test_a_form_sent_again_while_the_first_is_being_recorded_says_so_and_records_once(
    console: Console, http: httpx.AsyncClient
) -> None:
    form = await _contact(console)
    await _signed_in(console, http, form.practitioner_id)
    sent = await _opened(http, form)
    async with console.services.sessions.begin() as holding:
        await holding.execute(text("LOCK TABLE contacts IN EXCLUSIVE MODE"))  # the first waits to write its contact
        first = asyncio.create_task(http.post(form.action, data=sent))

        async def claimed() -> bool:
            """the first sending has claimed the form's key and is recording"""
            query = select(idempotency_records.c.status_code).where(idempotency_records.c.key == sent[FIELD])
            async with console.services.sessions() as session:
                return (await session.execute(query)).first() is not None

        await eventually(claimed, attempts=300, interval=0.1)
        meanwhile = await http.post(form.action, data=sent)
        assert not first.done()

    assert meanwhile.status_code == 409, meanwhile.text
    assert STILL_RECORDING in meanwhile.text
    assert _hidden(meanwhile)[FIELD] == sent[FIELD]
    recorded = await first
    assert recorded.status_code == 303, recorded.text
    again = await http.post(form.action, data=sent)
    assert (again.status_code, again.headers["location"]) == (303, recorded.headers["location"])
    assert await form.recorded() == (1,)


@pytest.mark.parametrize(
    ("beyond_the_window", "status_code", "recorded"),
    [(-1, 409, (0,)), (1, 303, (1,))],
    ids=["within the claim window", "after it"],
)
async def test_a_form_whose_first_sending_died_is_recorded_when_sent_again_after_the_claim_window(
    console: Console, http: httpx.AsyncClient, beyond_the_window: int, status_code: int, recorded: tuple[int, ...]
) -> None:
    form = await _contact(console)
    await _signed_in(console, http, form.practitioner_id)
    sent = await _opened(http, form)
    window = timedelta(minutes=console.services.settings.idempotency_claim_minutes)
    async with console.services.sessions.begin() as session:  # its server stopped while it was being recorded
        await create_idempotency_record(
            session,
            principal_id=form.practitioner_id,
            key=sent[FIELD],
            age=window + timedelta(minutes=beyond_the_window),
            path=form.action,
        )

    again = await http.post(form.action, data=sent)

    assert again.status_code == status_code, again.text
    assert (STILL_RECORDING in again.text) is (status_code == 409)
    assert await form.recorded() == recorded


async def test_a_form_sent_again_with_other_answers_records_them_only_when_sent_as_new_work(
    console: Console, http: httpx.AsyncClient
) -> None:
    form = await _contact(console)
    await _signed_in(console, http, form.practitioner_id)
    sent = await _opened(http, form)
    first = await http.post(form.action, data=sent)
    assert first.status_code == 303, first.text
    changed = {**sent, "summary": "The school nurse is worried about bruising too."}

    refused = await http.post(form.action, data=changed)

    assert refused.status_code == 409, refused.text
    assert SENT_ALREADY in refused.text
    assert f'href="{first.headers["location"]}"' in refused.text
    assert "bruising too" in refused.text
    assert await form.recorded() == (1,)
    fresh = _hidden(refused)[FIELD]
    assert form_key_problem(fresh) is None and fresh != sent[FIELD]

    new_work = await http.post(form.action, data={**changed, FIELD: fresh})

    assert new_work.status_code == 303 and new_work.headers["location"] != first.headers["location"]
    assert await form.recorded() == (2,)


async def test_a_form_key_is_its_senders_alone(console: Console, http: httpx.AsyncClient) -> None:
    form = await _contact(console)
    await _signed_in(console, http, form.practitioner_id)
    sent = await _opened(http, form)
    first = await http.post(form.action, data=sent)
    assert first.status_code == 303, first.text

    async with httpx.AsyncClient(base_url=console.base_url, timeout=30) as manager:
        await _signed_in(console, manager, console.ids.team_manager_id)
        own = _hidden(await manager.get(form.page))
        theirs = await manager.post(form.action, data={**sent, "csrftoken": own["csrftoken"]})

    assert theirs.status_code == 303 and theirs.headers["location"] != first.headers["location"]
    assert await form.recorded() == (2,)


async def test_a_key_used_at_the_api_is_not_a_form_key(console: Console, http: httpx.AsyncClient) -> None:
    form = await _contact(console)
    await _signed_in(console, http, form.practitioner_id)
    sent = await _opened(http, form)
    bearer = (await create_token(console.services, form.practitioner_id)).token
    async with httpx.AsyncClient(base_url=console.base_url, timeout=30) as api:
        body = {
            "case_reference": sent["case_reference"],
            "received_at": earlier(console).isoformat(),
            "source": "school",
            "summary": "Sent by the back office.",
        }
        headers = {"Authorization": f"Bearer {bearer}", "Idempotency-Key": sent[FIELD]}
        recorded = await api.post("/contacts", json=body, headers=headers)
    assert recorded.status_code == 201, recorded.text

    refused = await http.post(form.action, data=sent)

    assert refused.status_code == 422, refused.text
    assert NOT_OURS in refused.text
    assert await form.recorded() == (1,)
