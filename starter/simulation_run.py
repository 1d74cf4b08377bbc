"""Drive a simulated caseload through the real workflows and activities on a time-skipping server.

The caseload (`safeguarding.simulation.caseload`) is a list of referrals, each with the moments its
decisions are taken. Every referral runs as its own task on one shared clock (`starter.simulation_clock`):
it waits for the moment of its next step, the clock moves the server for all the referrals waiting (timers
fire on the way: reminders, overdue alerts), and it acts as the practitioner through the application
layer, as the demo does (`starter.demo_walkthrough`); what each step decides, and as whom, is
`starter.simulation_decisions`. Steps after the period's end are not taken: the processes stay open, as
the census date finds them.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime
from typing import Concatenate, ParamSpec, TextIO, TypeVar

from safeguarding.service.access import Principal
from safeguarding.service.root import Services
from safeguarding.simulation.caseload import Referral
from safeguarding.simulation.lado_fgc import DrawnAllegation, DrawnConference
from starter.demo_walkthrough import Acting, Walkthrough
from starter.simulation_clock import DEFAULT_CONCURRENCY, SharedClock
from starter.simulation_decisions import CaseInHand, Tally, take
from starter.simulation_lado_fgc import allegation_story, conference_story

P = ParamSpec("P")
T = TypeVar("T")


class SimulatedTeam(Walkthrough):
    """The demo's hands without its voice, for thousands of steps and many cases at once.

    Who acts is resolved once per person: the example team's roles and teams do not change while a
    simulation runs, and `principal_for` is a read of the case store per act otherwise (a large share of a
    simulated year's cost). At most `acting` use cases run at once, bounding the load on the worker and
    the case store; a case waiting for the clock or for a process to catch up holds none.
    """

    acting: asyncio.Semaphore

    def __post_init__(self) -> None:
        super().__post_init__()
        self._principals: dict[Acting, Principal] = {}
        self.acting = asyncio.Semaphore(DEFAULT_CONCURRENCY)

    async def person(self, by: Acting) -> Principal:
        """Return who acts, resolved through the service layer on first use."""
        if by not in self._principals:
            self._principals[by] = await super().person(by)
        return self._principals[by]

    async def act(
        self,
        by: Acting,
        use_case: Callable[Concatenate[Services, Principal, P], Awaitable[T]],
        *args: P.args,
        **kwargs: P.kwargs,
    ) -> T:
        """Run `use_case` as `by`, one of at most `acting` at once."""
        async with self.acting:
            return await super().act(by, use_case, *args, **kwargs)


class Progress:
    """A one-line progress bar on stderr: steps taken of steps in the period, and the simulated day."""

    def __init__(self, total: int, out: TextIO = sys.stderr, width: int = 30) -> None:
        self.total, self.out, self.width, self.done = total, out, width, 0
        self.latest: datetime | None = None

    def step(self, moment: datetime) -> None:
        """Count one step taken at `moment` and redraw the bar (with the latest simulated day reached)."""
        self.done += 1
        self.latest = moment = max(moment, self.latest or moment)
        filled = self.width * self.done // max(self.total, 1)
        bar = "#" * filled + "." * (self.width - filled)
        self.out.write(f"\rsimulating [{bar}] {self.done}/{self.total} steps, {moment:%Y-%m-%d}")
        self.out.flush()

    def end(self) -> None:
        """Finish the bar's line."""
        self.out.write("\n")
        self.out.flush()


async def drive(
    walk: Walkthrough,
    referrals: list[Referral],
    until: datetime,
    on_step: Callable[[datetime], None],
    clock: SharedClock,
    allegations: Sequence[DrawnAllegation] = (),
    conferences: Sequence[DrawnConference] = (),
) -> Tally:
    """Take every referral's steps up to `until`, all referrals at once on one clock; return what was done.

    The LADO's allegations and the family group conferences drawn run on the same clock
    (`starter.simulation_lado_fgc`); a conference's referral registers its child with a parent.
    """
    tally = Tally()
    offered = {conference.referral_index for conference in conferences}
    cases = {r.index: CaseInHand(r, with_parent=r.index in offered) for r in referrals}

    async def story(referral: Referral) -> None:
        case = cases[referral.index]
        for moment, step in ((referral.received_at, None), *referral.steps):
            if moment > until:
                tally.not_reached += 1
                continue
            await clock.reach(moment)
            await take(walk, case, step, moment, tally, clock.reach, until)
            on_step(moment)

    await clock.run(
        [
            *(story(referral) for referral in referrals),
            *(allegation_story(walk, drawn, tally, clock.reach, until) for drawn in allegations),
            *(
                conference_story(walk, drawn, cases[drawn.referral_index], tally, clock.reach, until)
                for drawn in conferences
            ),
        ]
    )
    return tally


def steps_within(referrals: list[Referral], until: datetime) -> int:
    """Return how many steps (each contact and each decision) fall in the period."""
    return sum(1 + sum(moment <= until for moment, _ in r.steps) for r in referrals if r.received_at <= until)
