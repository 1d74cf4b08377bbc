"""How the demo acts and speaks: it moves the simulated clock, acts as the people would, and narrates.

Everything a person does in a story goes through the application layer, as the command line and the API
do: a use case run as the practitioner (`principal_for`: their role and team as the case store holds
them), over the story's `Services`, whose "now" is the time-skipping server's. A decision is made with
`make_decision` only once the process shows it as an open task (the time-skipping server moves only when
told, and activities run in real time, so each effect is polled for a bounded number of times); where the
process stands is read with `process_status`, as the service manager, who oversees every team's work
(statutory-rules.md §1). Each line printed carries the simulated moment in England. Names are the
fictional example team's; children are known by case reference only.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, time
from typing import Any, Concatenate, ParamSpec, TypeVar

from safeguarding.codes import Role
from safeguarding.models import DecisionRecord, ProcessStatus, Recipient
from safeguarding.service.access import Principal
from safeguarding.service.decisions import make_decision
from safeguarding.service.errors import Conflict, NotFound, Refused
from safeguarding.service.principals import principal_for
from safeguarding.service.root import Services
from safeguarding.service.status import process_status
from safeguarding.stages import SharedStage
from safeguarding.store.examples import PRACTITIONERS, ExampleIds
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

P = ParamSpec("P")
T = TypeVar("T")
POLL_ATTEMPTS = 200
POLL_INTERVAL = 0.05
REFERRER_EMAIL = "referrer@example.invalid"
ROLE_WORDS = {role: str(role).replace("_", " ").replace("lado", "LADO") for role in Role}

Acting = Role | str
"""Who acts: the example team's practitioner in a role, or a practitioner by id (one a story added)."""


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

    @property
    def services(self) -> Services:
        """The application layer over the case store and this story's server."""
        return self.clock.services

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

    def name(self, role: Role) -> str:
        """Return the fictional name of the example practitioner in `role`."""
        _, given_name, family_name = PRACTITIONERS[role]
        return f"{given_name} {family_name}"

    async def person(self, by: Acting) -> Principal:
        """Return who acts as the case store knows them now, as every entry point resolves a credential."""
        practitioner_id = self.ids.practitioner_id(by) if isinstance(by, Role) else by
        return await principal_for(self.services, practitioner_id)

    async def act(
        self,
        by: Acting,
        use_case: Callable[Concatenate[Services, Principal, P], Awaitable[T]],
        *args: P.args,
        **kwargs: P.kwargs,
    ) -> T:
        """Run `use_case` as `by`: record a contact, start a process, register a child, read a report."""
        return await use_case(self.services, await self.person(by), *args, **kwargs)

    async def decide(self, by: Acting, workflow_id: str, decision: str, **body: Any) -> DecisionRecord:
        """Make `decision` as `by` once the process shows it as an open task; return the recorded decision."""
        await self.awaits(workflow_id, decision)
        return await self.record(by, workflow_id, decision, **body)

    async def record(self, by: Acting, workflow_id: str, decision: str, **body: Any) -> DecisionRecord:
        """Make `decision` as `by` now: for what a process takes at any moment and never lists as a task."""
        return await self.act(by, make_decision, workflow_id, decision, body, None)

    async def refused(self, by: Acting, workflow_id: str, decision: str, **body: Any) -> str:
        """Make `decision` as `by` expecting a refusal (not entitled, or not possible now); return its reason."""
        await self.awaits(workflow_id, decision)
        try:
            await self.record(by, workflow_id, decision, **body)
        except (Refused, Conflict) as refusal:
            return refusal.reason
        raise DemoFailed(f"{workflow_id} accepted {decision}, which it should have refused")

    async def status(self, workflow_id: str) -> ProcessStatus:
        """Return where the process stands, read as the service manager."""
        return await self.act(Role.SERVICE_MANAGER, process_status, workflow_id)

    async def running(self, workflow_id: str) -> str:
        """Wait until a process (one another process starts, say) answers its `status`; return its id."""

        async def answers() -> bool:
            try:
                await self.status(workflow_id)
            except NotFound:
                return False
            return True

        await self.until(answers, f"{workflow_id} to start")
        return workflow_id

    async def closed(self, workflow_id: str) -> ProcessStatus:
        """Wait for the process to close and return its final status."""

        async def is_closed() -> bool:
            return (await self.status(workflow_id)).stage == SharedStage.CLOSED

        await self.until(is_closed, f"{workflow_id} to close")
        return await self.status(workflow_id)

    async def awaits(self, workflow_id: str, decision: str) -> None:
        """Wait until the process shows `decision` among its open tasks."""

        async def is_open() -> bool:
            return any(task.decision == decision for task in (await self.status(workflow_id)).open_tasks)

        await self.until(is_open, f"{workflow_id} to await {decision}")

    async def until(self, check: Callable[[], Awaitable[bool]], what: str) -> None:
        """Poll `check` a bounded number of times; fail clearly if it never holds."""
        loop = asyncio.get_running_loop()
        began = loop.time()
        for _ in range(POLL_ATTEMPTS):
            if await check():
                return
            await asyncio.sleep(POLL_INTERVAL)
        raise DemoFailed(f"gave up waiting for {what} after {POLL_ATTEMPTS} checks in {loop.time() - began:.0f}s")


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
