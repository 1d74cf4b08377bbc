"""One simulated clock for many cases at once: each case waits for its next moment, the clock moves for all.

Driving a caseload one step at a time costs a move of the time-skipping server's clock per step, and each
move waits until every workflow has finished its work. Here every referral runs as its own asyncio task
that asks for the moment of its next step (`reach`). Once no task is acting, the clock takes the earliest
moment asked for and gathers every other moment within `slot` of it on the same local day; it moves the
server once, to the latest of them, and lets all those tasks act together. A step is thus taken up to
`slot` late but always on the day drawn, so every working-day count (statutory-rules.md §1) comes out as
drawn; timers that fall due on the way fire as they would.
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
from collections.abc import Awaitable, Iterable
from datetime import datetime, time, timedelta

from safeguarding.working_days import at_local_time, local_date
from starter.demo_walkthrough import Walkthrough

DEFAULT_SLOT = timedelta(hours=1)
DEFAULT_CONCURRENCY = 32
"""How many use cases run at once by default (`SimulatedTeam.acting`)."""


class SharedClock:
    """The simulated present every case task waits on; `run` drives the tasks until all are done."""

    def __init__(self, walk: Walkthrough, slot: timedelta = DEFAULT_SLOT):
        self.walk, self.slot = walk, slot
        self.moves = 0
        """How many times the server's clock was moved."""
        self._now: datetime | None = None
        self._busy = 0
        self._idle = asyncio.Event()
        self._waiting: list[tuple[datetime, int, asyncio.Future[None]]] = []
        self._order = itertools.count()

    async def run(self, stories: Iterable[Awaitable[None]]) -> None:
        """Run every story (a case's steps) as a task, moving the clock whenever all of them wait.

        The first story to fail stops the rest, and its error is raised (not an exception group).
        """
        self._now = await self.walk.now()
        try:
            async with asyncio.TaskGroup() as group:
                for story in stories:
                    self._busy += 1
                    group.create_task(self._story(story))
                while True:
                    if self._busy:
                        self._idle.clear()
                        await self._idle.wait()
                    if not self._waiting:
                        return
                    await self._advance()
        except BaseExceptionGroup as failed:
            raise failed.exceptions[0] from None

    async def reach(self, moment: datetime) -> None:
        """Wait until the simulated clock is at `moment` or later (at once if it is already)."""
        if self._now is not None and moment <= self._now:
            return
        waiter: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        heapq.heappush(self._waiting, (moment, next(self._order), waiter))
        self._done_acting()
        await waiter

    async def _story(self, story: Awaitable[None]) -> None:
        try:
            await story
        finally:
            self._done_acting()

    def _done_acting(self) -> None:
        self._busy -= 1
        if self._busy == 0:
            self._idle.set()

    async def _advance(self) -> None:
        """Move the server to the latest moment within a slot of the earliest asked for; release those tasks."""
        first = self._waiting[0][0]
        midnight = at_local_time(local_date(first) + timedelta(days=1), time(0))
        horizon = min(first + self.slot, midnight - timedelta(minutes=1))
        released = []
        while self._waiting and self._waiting[0][0] <= horizon:
            released.append(heapq.heappop(self._waiting))
        target = max(moment for moment, _, _ in released)
        await self.walk.at(target)
        self.moves += 1
        self._now = target
        self._busy += len(released)
        for _, _, waiter in released:
            waiter.set_result(None)
