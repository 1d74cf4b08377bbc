"""Exactly once, counted: each case's chronology in the case store, each message at the SMTP server.

The chronology's unique key (process, entry key) keeps a retried write from landing twice under one key; what
it cannot keep out is a fact written again under another key, or a step done twice. So each case's
chronology is counted by (process, event) and compared with that of a reference case that walked the same
path before any fault. Each message is counted by its Message-ID, which is derived from the notice's unique
key (`activities.mail`): the outbox's notices and the server's messages must be the same, each once.

A deadline's alarms (its reminders, the overdue alert, the escalation: `ALARMS`) are the one part of a
chronology the wall clock decides, not the path: each goes at its moment (a reminder at the profile's
reminder time, 09:00, on a working day) to a process still waiting on that deadline. A case the fault held
back past such a moment, while the reference case had gone through in time, is reminded and the reference is
not: a walk begun at 08:55 on a working day reminds of the strategy discussion and its record's circulation
every case whose discussion is still open at 09:00. So alarms are left out of the comparison with the
reference and held to their own once: every alarm entry in a process's chronology is one alarm notice the
process sent (the outbox holds each alarm once, under its key), so an alarm noted twice, or noted and never
sent, or sent and never noted, fails.

One window no sender can close over SMTP: a worker killed after the server accepted a message and before the
outbox recorded it sends that message again on the retry, under the same Message-ID (`activities.notifications`
delivers at least once). A receiving system treats one Message-ID as one message, so where workers are killed
(`kills=True`) a notice is sent once when the server holds exactly its Message-ID, whatever the transport
repeated; the repeats are counted and returned. Without kills nothing may repeat at all.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from safeguarding.schema import chronology, notification_outbox
from tests.factories import CaseIds

ALARMS = {
    "deadline_reminder": "deadline.reminder",
    "deadline_overdue": "deadline.missed",
    "deadline_escalation": "deadline.escalated",
}
"""Each alarm notice's template and the chronology event noted when it is raised (`workflows._deadline_alarms`)."""


async def chronology_counts(db: async_sessionmaker[AsyncSession]) -> Counter[tuple[str, str, str]]:
    """Return how many chronology rows each (case, process, event) has."""
    process = func.split_part(chronology.c.workflow_id, "-REF-", 1)
    query = select(chronology.c.case_id, process, chronology.c.event, func.count()).group_by(
        chronology.c.case_id, process, chronology.c.event
    )
    async with db() as session:
        rows = (await session.execute(query)).all()
    return Counter({(case_id, kind, event): count for case_id, kind, event, count in rows})


async def alarm_entries(db: async_sessionmaker[AsyncSession]) -> Counter[tuple[str, str]]:
    """Return how many alarm entries (`ALARMS`) each (workflow, event) has in the chronology."""
    query = (
        select(chronology.c.workflow_id, chronology.c.event, func.count())
        .where(chronology.c.event.in_(ALARMS.values()))
        .group_by(chronology.c.workflow_id, chronology.c.event)
    )
    async with db() as session:
        rows = (await session.execute(query)).all()
    return Counter({(workflow_id, event): count for workflow_id, event, count in rows})


async def outbox(db: async_sessionmaker[AsyncSession]) -> list[dict[str, Any]]:
    """Return every notice in the outbox."""
    async with db() as session:
        rows = await session.execute(select(notification_outbox).order_by(notification_outbox.c.id))
        return [dict(row) for row in rows.mappings()]


def message_ids(smtp: Any) -> Counter[str]:
    """Return how many messages the SMTP server accepted under each Message-ID."""
    return Counter(str(message["Message-ID"]) for message in smtp.messages)


async def assert_each_once(
    db: async_sessionmaker[AsyncSession], smtp: Any, reference: CaseIds, cases: list[CaseIds], *, kills: bool = False
) -> dict[str, int]:
    """Check that each case's chronology is the reference case's but for its alarms, that each alarm noted is an
    alarm sent, and that every notice went once; return counts."""
    counts = await chronology_counts(db)

    def facts(case: CaseIds) -> Counter[tuple[str, str]]:
        return Counter(
            {
                (kind, event): n
                for (case_id, kind, event), n in counts.items()
                if case_id == case.case_id and event not in ALARMS.values()
            }
        )

    expected = facts(reference)
    assert expected, "the reference case has no chronology"
    unlike = {case.reference: facts(case) for case in cases if facts(case) != expected}
    assert unlike == {}, f"chronologies unlike the reference's {expected}: {unlike}"
    notices = await outbox(db)
    alarms_sent = Counter((row["workflow_id"], ALARMS[row["template"]]) for row in notices if row["template"] in ALARMS)
    alarms_noted = await alarm_entries(db)
    assert alarms_noted == alarms_sent, (
        f"alarms noted {alarms_noted - alarms_sent} unsent, sent {alarms_sent - alarms_noted} unnoted"
    )
    messages = message_ids(smtp)
    assert {row["state"] for row in notices} == {"sent"}
    assert {row["provider_reference"] for row in notices} == set(messages)
    assert len(notices) == len(messages), "two notices share a Message-ID"
    repeats = {message_id: n for message_id, n in messages.items() if n > 1}
    assert kills or repeats == {}, f"messages delivered more than once: {repeats}"
    return {
        "chronology": sum(counts.values()),
        "alarms": sum(alarms_noted.values()),
        "notices": len(notices),
        "messages": len(messages),
        "transport_repeats": sum(n - 1 for n in repeats.values()),
    }
