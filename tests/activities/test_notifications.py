"""NotificationActivities with the real case store, the real outbox and a real SMTP server."""

from __future__ import annotations

import asyncio
import dataclasses
import logging
from datetime import UTC, date, datetime
from typing import Any

import pytest
from sqlalchemy import func, insert, select, text, update
from sqlalchemy.exc import DBAPIError
from temporalio.exceptions import ApplicationError
from temporalio.testing import ActivityEnvironment

from activities.mail import SmtpChannel
from activities.notifications import NotificationActivities
from safeguarding.codes import Role
from safeguarding.commands.assessment import assessment_id
from safeguarding.models import DigestRequest, DigestResult, Notice, Recipient
from safeguarding.schema import deadlines, notification_outbox, people, practitioners
from safeguarding.working_days import end_of_day
from tests.factories import CaseIds, create_case, create_contact, create_practitioner, seed_team

CHILD_NAMES = ("Zebedee", "Quillfeather")
DAY = date(2027, 1, 11)  # a Monday


@pytest.fixture
def activities(db, smtp) -> NotificationActivities:
    return NotificationActivities(db, SmtpChannel(smtp.host, smtp.port, "safeguarding-noreply@example.invalid"))


async def _case(db, team_id: str, reference: str | None = None) -> CaseIds:
    """Create a case whose child has a distinctive name, so a test can show it never leaks."""
    async with db.begin() as session:
        case = await create_case(session, team_id=team_id, reference=reference)
        await session.execute(
            update(people)
            .where(people.c.id == case.child_id)
            .values(given_name=CHILD_NAMES[0], family_name=CHILD_NAMES[1])
        )
    return case


def _deadline_notice(case: CaseIds, recipient: Recipient, kind: str = "reminder") -> Notice:
    workflow_id = assessment_id(case.reference)
    return Notice(
        key=f"{workflow_id}:assessment:{kind}:0",
        template=f"deadline_{kind}",
        recipient=recipient,
        case_id=case.case_id,
        workflow_id=workflow_id,
        fields={
            "case_reference": case.reference,
            "rule_id": "assessment",
            "title": "Conclude the child and family assessment (manager authorisation)",
            "due": "Fri 15 Jan 2027",
            "basis": "45 working days after the referral on Mon 9 Nov 2026",
            "process": "assessment",
            "workflow_id": workflow_id,
        },
    )


async def _outbox(db) -> list[dict]:
    async with db() as session:
        rows = await session.execute(select(notification_outbox).order_by(notification_outbox.c.id))
        return [dict(row) for row in rows.mappings()]


async def test_a_notice_sent_twice_with_the_same_key_is_delivered_once_and_recorded_once(db, smtp, activities) -> None:
    team = await seed_team(db)
    case = await _case(db, team.team_id)
    notice = _deadline_notice(case, Recipient(kind="practitioner", id=team.social_worker_id))
    env = ActivityEnvironment()

    first = await env.run(activities.send_notice, notice)
    second = await env.run(activities.send_notice, notice)

    assert (first.state, second.state) == ("sent", "already_sent")
    assert first.outbox_id == second.outbox_id
    [message] = smtp.messages
    assert message["To"] == f"{team.social_worker_id}@example.invalid"
    assert case.reference in message["Subject"]
    [row] = await _outbox(db)
    assert (row["state"], row["attempts"], row["notice_key"]) == ("sent", 1, notice.key)
    assert row["provider_reference"] == message["Message-ID"]
    assert row["sent_at"] is not None


async def test_two_overlapping_attempts_at_one_notice_take_turns_and_send_it_once(db, smtp, activities) -> None:
    team = await seed_team(db)
    case = await _case(db, team.team_id)
    notice = _deadline_notice(case, Recipient(kind="practitioner", id=team.social_worker_id))

    results = await asyncio.gather(*(ActivityEnvironment().run(activities.send_notice, notice) for _ in range(3)))

    assert sorted(result.state for result in results) == ["already_sent", "already_sent", "sent"]
    assert len(smtp.messages) == 1
    assert len(await _outbox(db)) == 1


@pytest.mark.parametrize(
    ("kind", "template", "expected"),
    [
        ("practitioner", "deadline_reminder", "social_worker"),
        ("team_manager", "deadline_overdue", "team_manager"),
        ("service_manager", "deadline_escalation", "service_manager"),
        ("referrer", "referral_acknowledgement", "referrer"),
        ("health_team", "health_team_briefing", "mailbox"),
    ],
)
async def test_each_kind_of_recipient_is_addressed_from_the_case_store(
    db, smtp, activities, kind, template, expected
) -> None:
    team = await seed_team(db)
    case = await _case(db, team.team_id)
    async with db.begin() as session:
        contact_id = await create_contact(
            session, case_id=case.case_id, received_at=datetime(2027, 1, 8, 10, tzinfo=UTC)
        )
    recipient_id = {"practitioner": team.social_worker_id, "referrer": contact_id}.get(kind, team.team_id)
    address = {
        "social_worker": f"{team.social_worker_id}@example.invalid",
        "team_manager": f"{team.team_manager_id}@example.invalid",
        "service_manager": f"{team.service_manager_id}@example.invalid",
        "referrer": "referrer@example.invalid",
        "mailbox": f"{team.team_id}@example.invalid",
    }[expected]
    fields = {
        "case_reference": case.reference,
        "received": "Fri 8 Jan 2027",
        "age_band": "under_5",
        "workflow_id": f"joint_visit-{case.reference}",
        **_deadline_notice(case, Recipient(kind="practitioner", id="x")).fields,
    }
    notice = Notice(
        key=f"test:{kind}",
        template=template,
        recipient=Recipient(kind=kind, id=recipient_id),
        case_id=case.case_id,
        workflow_id=fields["workflow_id"],
        fields=fields,
    )

    result = await ActivityEnvironment().run(activities.send_notice, notice)

    assert result.state == "sent"
    [message] = smtp.messages
    assert message["To"] == address
    [row] = await _outbox(db)
    assert (row["recipient_kind"], row["recipient_id"], row["address"]) == (kind, recipient_id, address)


async def test_a_team_with_two_managers_alerts_the_active_one_with_the_lowest_id(db, smtp, activities) -> None:
    team = await seed_team(db)
    async with db.begin() as session:
        for practitioner_id, active in (("aaa-manager-left", False), ("bbb-manager", True), ("zzz-manager", True)):
            await create_practitioner(
                session, team_id=team.team_id, role=Role.TEAM_MANAGER, practitioner_id=practitioner_id, active=active
            )
    case = await _case(db, team.team_id)

    await ActivityEnvironment().run(
        activities.send_notice, _deadline_notice(case, Recipient(kind="team_manager", id=team.team_id), "overdue")
    )

    assert [message["To"] for message in smtp.messages] == ["bbb-manager@example.invalid"]


@pytest.mark.parametrize(
    ("kind", "recipient_id", "why"),
    [
        ("practitioner", "no-such-practitioner", "no active practitioner"),
        ("team_manager", "no-such-team", "no active team manager"),
        ("service_manager", "no-such-team", "no active service manager"),
        ("referrer", "no-such-contact", "no referrer e-mail"),
        ("health_team", "no-such-team", "no mailbox"),
    ],
)
async def test_an_unresolvable_recipient_is_a_clear_error_that_is_not_retried(
    db, smtp, activities, kind, recipient_id, why
) -> None:
    team = await seed_team(db)
    case = await _case(db, team.team_id)

    with pytest.raises(ApplicationError) as failure:
        await ActivityEnvironment().run(
            activities.send_notice, _deadline_notice(case, Recipient(kind=kind, id=recipient_id))
        )

    assert failure.value.type == "UnresolvableRecipient"
    assert failure.value.non_retryable
    assert kind in str(failure.value) and recipient_id in str(failure.value) and why in str(failure.value)
    assert smtp.messages == []
    assert await _outbox(db) == []


async def test_a_referrer_with_no_email_cannot_be_written_to(db, smtp, activities) -> None:
    team = await seed_team(db)
    case = await _case(db, team.team_id)
    async with db.begin() as session:
        contact_id = await create_contact(
            session, case_id=case.case_id, received_at=datetime(2027, 1, 8, 10, tzinfo=UTC), referrer_email=None
        )
    notice = Notice(
        key="ack",
        template="referral_acknowledgement",
        recipient=Recipient(kind="referrer", id=contact_id),
        case_id=case.case_id,
        workflow_id=f"front_door-{case.reference}",
        fields={"case_reference": case.reference, "received": "Fri 8 Jan 2027"},
    )

    with pytest.raises(ApplicationError, match=f"referrer '{contact_id}'") as failure:
        await ActivityEnvironment().run(activities.send_notice, notice)

    assert failure.value.non_retryable


async def test_a_notice_missing_a_field_is_refused_before_it_is_queued(db, smtp, activities) -> None:
    team = await seed_team(db)
    case = await _case(db, team.team_id)
    notice = _deadline_notice(case, Recipient(kind="practitioner", id=team.social_worker_id))
    notice = notice.model_copy(update={"fields": {k: v for k, v in notice.fields.items() if k != "due"}})

    with pytest.raises(ApplicationError, match="'deadline_reminder' needs field 'due'") as failure:
        await ActivityEnvironment().run(activities.send_notice, notice)

    assert (failure.value.type, failure.value.non_retryable) == ("InvalidNotice", True)
    assert await _outbox(db) == []


async def test_a_refused_address_fails_the_notice_for_good_and_it_is_never_resent(db, smtp, activities) -> None:
    team = await seed_team(db)
    case = await _case(db, team.team_id)
    smtp.refuse(f"{team.social_worker_id}@example.invalid")
    notice = _deadline_notice(case, Recipient(kind="practitioner", id=team.social_worker_id))
    env = ActivityEnvironment()

    with pytest.raises(ApplicationError) as first:
        await env.run(activities.send_notice, notice)
    smtp.accept(f"{team.social_worker_id}@example.invalid")
    with pytest.raises(ApplicationError) as second:
        await env.run(activities.send_notice, notice)

    for failure in (first, second):
        assert (failure.value.type, failure.value.non_retryable) == ("PermanentDeliveryError", True)
    assert smtp.messages == []
    [row] = await _outbox(db)
    assert (row["state"], row["attempts"]) == ("failed", 1)
    assert "550" in row["last_error"]


async def test_a_temporary_failure_is_retried_and_the_notice_then_goes_once(db, smtp, activities) -> None:
    team = await seed_team(db)
    case = await _case(db, team.team_id)
    address = f"{team.social_worker_id}@example.invalid"
    smtp.refuse(address, reply="451 4.3.0 Try again later")
    notice = _deadline_notice(case, Recipient(kind="practitioner", id=team.social_worker_id))
    env = ActivityEnvironment()

    with pytest.raises(ApplicationError) as failure:
        await env.run(activities.send_notice, notice)
    [queued] = await _outbox(db)
    smtp.accept(address)
    result = await env.run(activities.send_notice, notice)

    assert (failure.value.type, failure.value.non_retryable) == ("TemporaryDeliveryError", False)
    assert (queued["state"], queued["attempts"]) == ("queued", 1)
    assert result.state == "sent"
    assert len(smtp.messages) == 1
    [row] = await _outbox(db)
    assert (row["state"], row["attempts"], row["last_error"]) == ("sent", 2, None)


class _StoreLostOnceAccepted:
    """The real SMTP channel; once the server has accepted a message, the case store drops the connection of the
    transaction that would record it (terminated as a PostgreSQL restart or failover terminates it)."""

    def __init__(self, channel: SmtpChannel, db) -> None:
        self.name = channel.name
        self._channel = channel
        self._db = db

    async def send(self, **message: Any) -> str:
        reference = await self._channel.send(**message)
        async with self._db() as session:
            cut = await session.scalar(
                text(
                    "SELECT count(*) FILTER (WHERE pg_terminate_backend(pid, 5000)) FROM pg_stat_activity"
                    " WHERE datname = current_database() AND pid <> pg_backend_pid()"
                    " AND state = 'idle in transaction' AND query ILIKE '%notification_outbox%'"
                )
            )
        assert cut == 1, "the sending transaction's connection was not found"
        return reference


async def test_a_notice_accepted_before_the_case_store_went_is_recorded_by_the_retry_not_sent_again(
    db, smtp, activities
) -> None:
    team = await seed_team(db)
    case = await _case(db, team.team_id)
    notice = _deadline_notice(case, Recipient(kind="practitioner", id=team.social_worker_id))
    channel = SmtpChannel(smtp.host, smtp.port, "safeguarding-noreply@example.invalid")
    losing = NotificationActivities(db, _StoreLostOnceAccepted(channel, db))
    heartbeats: list[tuple[Any, ...]] = []
    first = ActivityEnvironment()
    first.on_heartbeat = lambda *details: heartbeats.append(details)

    with pytest.raises(DBAPIError):
        await first.run(losing.send_notice, notice)
    unrecorded = await _outbox(db)
    # Temporal hands the retry the last heartbeat of the attempt before it, if there was one.
    retry = ActivityEnvironment()
    retry.info = dataclasses.replace(first.info, attempt=2, heartbeat_details=[*heartbeats[-1]] if heartbeats else [])
    result = await retry.run(activities.send_notice, notice)

    assert unrecorded == []  # the row went with the transaction: only the heartbeat knew the message had gone
    assert result.state == "sent"
    [message] = smtp.messages
    [row] = await _outbox(db)
    assert (row["state"], row["attempts"], row["provider_reference"]) == ("sent", 1, message["Message-ID"])


async def _add_deadline(db, case: CaseIds, due: date, state: str = "pending") -> None:
    async with db.begin() as session:
        await session.execute(
            insert(deadlines).values(
                workflow_id=assessment_id(case.reference),
                deadline_key=f"assessment:{due.isoformat()}",
                case_id=case.case_id,
                team_id=case.team_id,
                rule_id="assessment",
                title="Conclude the child and family assessment",
                due_date=due,
                passes_at=end_of_day(due),
                basis="45 working days after the referral",
                citation="statutory-rules.md §3",
                state=state,
            )
        )


async def test_each_team_manager_gets_one_digest_a_day_of_overdue_and_due_this_week_work(db, smtp, activities) -> None:
    team, other_team, quiet_team = await seed_team(db), await seed_team(db), await seed_team(db)
    listed = {
        "REF-PENDING-PAST": (date(2027, 1, 8), "pending"),
        "REF-MISSED": (date(2027, 1, 4), "missed"),
        "REF-TODAY": (date(2027, 1, 11), "pending"),
        "REF-DAY-6": (date(2027, 1, 17), "pending"),
    }
    left_out = {
        "REF-DAY-7": (date(2027, 1, 18), "pending"),
        "REF-MET": (date(2027, 1, 5), "met"),
        "REF-LATER": (date(2027, 2, 1), "pending"),
    }
    for reference, (due, state) in {**listed, **left_out}.items():
        await _add_deadline(db, await _case(db, team.team_id, reference), due, state)
    await _add_deadline(db, await _case(db, other_team.team_id, "REF-OTHER"), date(2027, 1, 12))
    await _add_deadline(db, await _case(db, quiet_team.team_id, "REF-QUIET"), date(2027, 3, 1))
    env = ActivityEnvironment()

    first = await env.run(activities.send_team_digests, DigestRequest(day=DAY))
    again = await env.run(activities.send_team_digests, DigestRequest(day=DAY))

    assert first == DigestResult(teams=2, sent=2)
    assert again == DigestResult(teams=2, sent=0)
    by_address = {message["To"]: message for message in smtp.messages}
    assert set(by_address) == {
        f"{team.team_manager_id}@example.invalid",
        f"{other_team.team_manager_id}@example.invalid",
    }
    digest = by_address[f"{team.team_manager_id}@example.invalid"]
    body = digest.get_content()
    overdue, due_soon = body.split("Due in the next 7 days")
    assert "2 overdue, 2 due in the next 7 days" in digest["Subject"]
    assert "REF-PENDING-PAST" in overdue and "REF-MISSED" in overdue
    assert "REF-TODAY" in due_soon and "REF-DAY-6" in due_soon
    assert not any(reference in body for reference in left_out)
    assert "REF-OTHER" not in body
    keys = sorted(row["notice_key"] for row in await _outbox(db))
    assert keys == sorted(f"digest:{t.team_id}:2027-01-11" for t in (team, other_team))


async def test_a_team_without_a_manager_is_skipped_and_the_other_teams_still_get_their_digest(
    db, smtp, activities, caplog
) -> None:
    team = await seed_team(db)
    async with db.begin() as session:
        await session.execute(
            update(practitioners).where(practitioners.c.id == team.team_manager_id).values(active=False)
        )
    managed = await seed_team(db)
    await _add_deadline(db, await _case(db, team.team_id), date(2027, 1, 12))
    await _add_deadline(db, await _case(db, managed.team_id), date(2027, 1, 12))

    with caplog.at_level(logging.WARNING):
        result = await ActivityEnvironment().run(activities.send_team_digests, DigestRequest(day=DAY))

    assert result == DigestResult(teams=2, sent=1)
    assert [message["To"] for message in smtp.messages] == [f"{managed.team_manager_id}@example.invalid"]
    assert team.team_id in caplog.text


async def test_no_message_or_log_line_carries_the_childs_name_or_an_address(db, smtp, activities, caplog) -> None:
    team = await seed_team(db)
    case = await _case(db, team.team_id)
    async with db.begin() as session:
        contact_id = await create_contact(
            session, case_id=case.case_id, received_at=datetime(2027, 1, 8, 10, tzinfo=UTC)
        )
    await _add_deadline(db, case, date(2027, 1, 8))
    env = ActivityEnvironment()
    notices = [
        _deadline_notice(case, Recipient(kind="practitioner", id=team.social_worker_id), "reminder"),
        _deadline_notice(case, Recipient(kind="team_manager", id=team.team_id), "overdue"),
        _deadline_notice(case, Recipient(kind="service_manager", id=team.team_id), "escalation"),
    ]
    letters = [
        ("referral_acknowledgement", "referrer", contact_id, {"received": "Fri 8 Jan 2027"}),
        ("referral_outcome", "referrer", contact_id, {"outcome": "assessment", "decided": "Mon 11 Jan 2027"}),
        ("health_team_briefing", "health_team", team.team_id, {"age_band": "unborn", "workflow_id": "jv-1"}),
    ]
    notices += [
        Notice(
            key=template,
            template=template,
            recipient=Recipient(kind=kind, id=recipient_id),
            case_id=case.case_id,
            workflow_id=f"front_door-{case.reference}",
            fields={"case_reference": case.reference, **fields},
        )
        for template, kind, recipient_id, fields in letters
    ]

    with caplog.at_level(logging.DEBUG):
        for notice in notices:
            await env.run(activities.send_notice, notice)
        await env.run(activities.send_team_digests, DigestRequest(day=DAY))

    assert len(smtp.messages) == 7
    for message in smtp.messages:
        text = f"{message['Subject']}\n{message.get_content()}"
        assert case.reference in text
        assert not any(name in text for name in CHILD_NAMES)
    ours = "\n".join(r.getMessage() for r in caplog.records if r.name.startswith(("activities", "safeguarding")))
    assert "notice referral_outcome sent to referrer" in ours
    assert not any(name in ours for name in CHILD_NAMES)
    assert "@example.invalid" not in ours
    async with db() as session:
        assert await session.scalar(select(func.count()).select_from(notification_outbox)) == 7
