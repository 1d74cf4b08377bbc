"""How the demo acts and speaks: it moves the simulated clock, makes decisions as the people would, and narrates.

Every decision goes to a running process as its Update, only once the process shows the decision as an
open task (the time-skipping server moves only when told, and activities run in real time, so each
effect is polled for a bounded number of times). Each line printed carries the simulated moment in
England. Names are the fictional example team's; children are known by case reference only.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, time
from typing import Any

from temporalio.client import WorkflowHandle, WorkflowUpdateFailedError
from temporalio.service import RPCError

from safeguarding.codes import Role
from safeguarding.commands import Decision
from safeguarding.models import Actor, DecisionRecord, ProcessContext, ProcessStatus, Recipient
from safeguarding.stages import SharedStage
from safeguarding.store.contacts import insert_contact
from safeguarding.store.examples import PRACTITIONERS, ExampleCase, ExampleIds
from safeguarding.store.recipients import find_recipient_address
from safeguarding.working_days import (
    WorkingCalendar,
    at_local_time,
    describe_moment,
    local_date,
    next_working_day,
)
from starter.demo_parts import Clock, Mail, Parts
from starter.time_skipping import skip_to

POLL_ATTEMPTS = 200
POLL_INTERVAL = 0.05
REFERRER_EMAIL = "referrer@example.invalid"
ROLE_WORDS = {role: str(role).replace("_", " ") for role in Role}


class DemoFailed(RuntimeError):
    """Something the demo expected did not happen; the message says what."""


@dataclass
class Walkthrough:
    """The demo's hands and voice over one set of running parts and the seeded example team."""

    parts: Parts
    clock: Clock
    ids: ExampleIds
    calendar: WorkingCalendar
    addresses: dict[str, str]
    mail_seen: int = field(init=False)

    def __post_init__(self) -> None:
        self.mail_seen = len(self.parts.mail.since(0))  # earlier cases' e-mails were narrated already

    # -- the clock ---------------------------------------------------------------------------------

    async def now(self) -> datetime:
        """Return the simulated time."""
        return await self.clock.env.get_current_time()

    async def at(self, when: datetime) -> None:
        """Move the simulated clock forward to `when` (if it is not there already)."""
        if when > await self.now():
            await skip_to(self.clock.env, when)

    async def next_working_day_at(self, clock: time) -> datetime:
        """Move to `clock` on the next working day (bank holidays skipped) and return that moment."""
        day = next_working_day(local_date(await self.now()), self.calendar)
        moment = at_local_time(day, clock)
        await self.at(moment)
        return moment

    async def later_today(self, clock: time) -> datetime:
        """Move to `clock` later on the same simulated day and return that moment."""
        moment = at_local_time(local_date(await self.now()), clock)
        await self.at(moment)
        return moment

    # -- speaking ----------------------------------------------------------------------------------

    def heading(self, text: str) -> None:
        """Print a section heading."""
        print(f"\n=== {text} ===", flush=True)

    async def say(self, text: str) -> None:
        """Print one line of narration, stamped with the simulated time in England."""
        print(f"[{describe_moment(await self.now())}] {text}", flush=True)

    async def mail(self, count: int = 1) -> list[Mail]:
        """Wait for `count` more e-mails to reach the SMTP sink, and say who received what."""

        async def delivered() -> bool:
            return len(self.parts.mail.since(self.mail_seen)) >= count

        await self.until(delivered, f"{count} more e-mail(s)")
        arrived = self.parts.mail.since(self.mail_seen)[:count]
        self.mail_seen += count
        for message in arrived:
            await self.say(f"  e-mail to {who(self.addresses, message.to)}: {message.subject}")
        return arrived

    # -- the people and the processes ---------------------------------------------------------------

    def actor(self, role: Role) -> Actor:
        """Return the example team's practitioner in `role`, as the actor of a decision."""
        return Actor(practitioner_id=self.ids.practitioner_id(role), role=role, team_id=self.ids.team_id)

    def name(self, role: Role) -> str:
        """Return the fictional name of the example practitioner in `role`."""
        _, given_name, family_name = PRACTITIONERS[role]
        return f"{given_name} {family_name}"

    def context(self, case: ExampleCase) -> ProcessContext:
        """Return the context a process of `case` runs under."""
        return ProcessContext(
            case_id=case.case_id,
            case_reference=case.reference,
            team_id=self.ids.team_id,
            profile=self.parts.profile,
            calendar=self.calendar,
        )

    async def new_contact(self, case: ExampleCase, received_at: datetime, *, source: str, organisation: str) -> str:
        """Record a referral on `case` from a fictional referrer and return the contact id."""
        async with self.parts.sessionmaker.begin() as session:
            return await insert_contact(
                case_id=case.case_id,
                received_at=received_at,
                source=source,
                summary="Fictional concern raised for the demonstration.",
                referrer_name="Fictional Referrer",
                referrer_email=REFERRER_EMAIL,
                referrer_organisation=organisation,
                session=session,
            )

    async def start(self, workflow: str, arg: Any, workflow_id: str) -> WorkflowHandle[Any, Any]:
        """Start a process on the demo's task queue."""
        return await self.clock.env.client.start_workflow(
            workflow, arg, id=workflow_id, task_queue=self.clock.task_queue
        )

    async def running(self, workflow_id: str) -> WorkflowHandle[Any, Any]:
        """Return the handle of a process another one starts, once it answers its `status` query."""
        handle = self.clock.env.client.get_workflow_handle(workflow_id)

        async def answers() -> bool:
            try:
                await self.status(handle)
            except RPCError:
                return False
            return True

        await self.until(answers, f"{workflow_id} to start")
        return handle

    async def status(self, handle: WorkflowHandle[Any, Any]) -> ProcessStatus:
        """Return the process's `status` query."""
        return await handle.query("status", result_type=ProcessStatus)

    async def closed(self, handle: WorkflowHandle[Any, Any]) -> ProcessStatus:
        """Wait for the process to close and return its final status."""

        async def is_closed() -> bool:
            return (await self.status(handle)).stage == SharedStage.CLOSED

        await self.until(is_closed, f"{handle.id} to close")
        return await self.status(handle)

    async def decide(self, handle: WorkflowHandle[Any, Any], decision: str, command: Decision) -> DecisionRecord:
        """Make `decision` once the process shows it as an open task; return the recorded decision."""
        await self.awaits(handle, decision)
        return await handle.execute_update(decision, command, result_type=DecisionRecord)

    async def refused(self, handle: WorkflowHandle[Any, Any], decision: str, command: Decision) -> str:
        """Make `decision` expecting the process to refuse it; return the refusal's message."""
        await self.awaits(handle, decision)
        try:
            await handle.execute_update(decision, command, result_type=DecisionRecord)
        except WorkflowUpdateFailedError as refusal:
            return str(getattr(refusal.cause, "message", refusal.cause))
        raise DemoFailed(f"{handle.id} accepted {decision}, which it should have refused")

    async def awaits(self, handle: WorkflowHandle[Any, Any], decision: str) -> None:
        """Wait until the process shows `decision` among its open tasks."""

        async def is_open() -> bool:
            return any(task.decision == decision for task in (await self.status(handle)).open_tasks)

        await self.until(is_open, f"{handle.id} to await {decision}")

    async def until(self, check: Callable[[], Awaitable[bool]], what: str) -> None:
        """Poll `check` a bounded number of times; fail clearly if it never holds."""
        for _ in range(POLL_ATTEMPTS):
            if await check():
                return
            await asyncio.sleep(POLL_INTERVAL)
        raise DemoFailed(f"gave up waiting for {what} after {POLL_ATTEMPTS * POLL_INTERVAL:.0f}s")


async def address_book(parts: Parts, ids: ExampleIds) -> dict[str, str]:
    """Return who each e-mail address belongs to, so the narration can say who received what."""
    addresses = {REFERRER_EMAIL: "the referrer"}
    async with parts.sessionmaker() as session:
        for role, (practitioner_id, given_name, family_name) in PRACTITIONERS.items():
            address = await find_recipient_address(Recipient(kind="practitioner", id=practitioner_id), session=session)
            addresses[address] = f"{given_name} {family_name}, {ROLE_WORDS[role]}"
        mailbox = await find_recipient_address(Recipient(kind="health_team", id=ids.team_id), session=session)
    addresses[mailbox] = "the team's shared mailbox, for the health visiting team"
    return addresses


def who(addresses: dict[str, str], address: str) -> str:
    """Return an e-mail address with who it belongs to, when known."""
    return f"{address} ({addresses[address]})" if address in addresses else address
