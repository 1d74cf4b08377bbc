"""`python -m starter demo` (`make demo`): watch fictional cases run on a simulated clock, in seconds.

Nothing needs to be running first. The demo starts its own real parts in this process — the
time-skipping Temporal server from its wheel, a throwaway case store (PostgreSQL), an SMTP server on
loopback and a worker with every workflow and activity — seeds the fictional example team, and walks the
stories below. Every person in them acts through the application layer (`safeguarding.service`), as on
the command line or the API: the practitioners register children, record contacts, start processes and
make decisions; a refusal is the layer's own.

1. a 2-year-old's referral through a joint visit with the health visitor to a Family Support Plan;
2. a 7-year-old's assessment left past its 45 working days: reminders, the overdue alert to the team
   manager, the escalation to the service manager, and a late authorisation that needs its reasons;
3. the same child from a strategy discussion through a section 47 enquiry and an initial conference to a
   child protection plan, two review conferences and the plan's end;
4. a LADO allegation against a teacher; 5. a family group conference; 6. a professional disagreement.

It then prints each case's timeline from the case store's chronology and every e-mail the SMTP server
received. With `--out DIR` it also writes, as the service manager, the census return and the timeliness
report of each census year its stories covered (`census-YEAR.xml`, `timeliness-YEAR.json` and `.txt`; see
`starter.year_returns`), as `starter census` and `starter report` would on the day its clock stopped.
Everything is stopped and removed at the end, also after a failure (exit status 1).
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
import traceback
from collections.abc import Awaitable, Callable
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from safeguarding.config import Settings
    from safeguarding.procedure_profile import ProcedureProfile
    from safeguarding.service.access import Principal
    from safeguarding.service.root import Services
    from starter.demo_parts import Parts
    from starter.demo_walkthrough import Walkthrough

STOPPING = "Stopping the demo's server, worker, database and mail server ..."


def _stories() -> tuple[Callable[[Walkthrough], Awaitable[None]], ...]:
    """Return the walkthroughs in the order they run; each process adds its own."""
    from starter import demo_cases, demo_child_protection, demo_disagreement, demo_fgc, demo_lado

    return (
        demo_cases.joint_visit_case,
        demo_cases.missed_deadline_case,
        # -- strategy discussion to the end of a child protection plan --
        demo_child_protection.child_protection_case,
        # -- LADO --
        demo_lado.lado_case,
        # -- family group conference --
        demo_fgc.family_group_conference_case,
        # -- professional disagreement --
        demo_disagreement.disagreement_case,
    )


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `demo` command."""
    parser = subparsers.add_parser(
        "demo", help="walk fictional cases through their processes on a simulated clock", description=__doc__
    )
    parser.add_argument(
        "--out",
        type=Path,
        metavar="DIR",
        help="also write the census return and timeliness report of each census year covered into DIR",
    )
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    """Run the demo; return 0 when every step happened as expected, else 1 with the reason on stderr."""
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    # Imported here: the other commands should not pay for the server, the worker and every workflow.
    from pydantic import ValidationError

    from safeguarding.config import Settings
    from safeguarding.procedure_profile import ProfileError, load_profile
    from safeguarding.service.errors import ServiceError
    from starter.demo_walkthrough import DemoFailed
    from starter.time_skipping import ClockStuck

    if args.out is not None and not args.out.is_dir():
        print(f"demo: --out: no such directory {str(args.out)!r}", file=sys.stderr)
        return 2
    try:
        settings = Settings()
        profile = load_profile(settings.profile_path)
    except (ValidationError, ProfileError) as exc:
        print(f"demo: cannot start: {exc}", file=sys.stderr)
        return 2
    try:
        asyncio.run(_demo(settings, profile, args.out))
    except (DemoFailed, ClockStuck, FileNotFoundError) as exc:
        print(f"demo failed: {exc}", file=sys.stderr)
        return 1
    except ServiceError as exc:  # a step the application layer would not take: its reason, as the CLI says it
        print(f"demo failed: {exc.title.lower()}: {exc.reason}", file=sys.stderr)
        return 1
    except ImportError as exc:
        print(f"demo failed: {exc}; `make install` installs what the demo needs", file=sys.stderr)
        return 1
    except Exception:
        traceback.print_exc()
        print("demo failed: an unexpected error (above); everything it started has been stopped", file=sys.stderr)
        return 1
    print("\nThe demo finished: every step happened as expected.", flush=True)
    return 0


async def _demo(settings: Settings, profile: ProcedureProfile, out: Path | None) -> None:
    """Start the parts, seed the example team, walk the stories, print what the case store recorded; write the
    census returns and timeliness reports into `out` when given."""
    from safeguarding.bank_holidays import england_and_wales_calendar
    from safeguarding.service.principals import principal_for
    from safeguarding.store.examples import seed_examples
    from safeguarding.working_days import LONDON
    from starter import demo_parts
    from starter.demo_walkthrough import Walkthrough, address_book

    print("Starting a case database and a mail server ...", flush=True)
    async with demo_parts.running(settings, profile) as parts:
        today = datetime.now(LONDON).date()
        async with parts.sessionmaker.begin() as session:
            ids = await seed_examples(session, today=today, partnership_id=profile.partnership_id)
        calendar = england_and_wales_calendar(today=today, local_closures=profile.local_closures)
        addresses = await address_book(parts, ids)
        resume_at = None
        for story in _stories():
            print("Starting a time-skipping Temporal server and a worker for the next case ...", flush=True)
            async with demo_parts.fresh_clock(parts) as clock:
                walk = Walkthrough(parts=parts, clock=clock, ids=ids, calendar=calendar, addresses=addresses)
                if resume_at is not None:
                    await walk.at(resume_at)  # carry on where the last case's clock stopped
                await story(walk)
                resume_at = await walk.now()
        reader = await principal_for(parts.services, ids.service_manager_id)
        for case_id in await _cases_with_a_timeline(parts):
            await _print_timeline(parts.services, reader, case_id)
        _print_mail(parts, addresses)
        if out is not None and resume_at is not None:
            await _write_returns(parts.services, reader, today, resume_at, out)
        print(f"\n{STOPPING}", flush=True)


async def _cases_with_a_timeline(parts: Parts) -> list[str]:
    """Return the id of every case the demo wrote to, in the order their timelines began."""
    from sqlalchemy import func, select

    from safeguarding.schema import chronology

    query = select(chronology.c.case_id).group_by(chronology.c.case_id).order_by(func.min(chronology.c.id))
    async with parts.sessionmaker() as session:
        return list(await session.scalars(query))


async def _print_timeline(services: Services, reader: Principal, case_id: str) -> None:
    """Print the case's chronology as the service manager reads it: ids and codes, never a child's name."""
    from safeguarding.service.chronology import MAX_LIMIT, list_case_chronology
    from safeguarding.working_days import describe_moment

    page = await list_case_chronology(services, reader, case_id, limit=MAX_LIMIT)
    entries, cursor = list(page.entries), page.next_cursor
    while cursor is not None:
        more = await list_case_chronology(services, reader, case_id, limit=MAX_LIMIT, cursor=cursor)
        entries, cursor = entries + more.entries, more.next_cursor
    print(f"\n=== Timeline of case {page.case_reference} (the case store's chronology) ===")
    width = max((len(entry.workflow_id) for entry in entries), default=0)
    for entry in reversed(entries):  # read newest first; told oldest first
        print(f"  {describe_moment(entry.occurred_at):<22} {entry.workflow_id:<{width}}  {entry.summary}")


async def _write_returns(services: Services, manager: Principal, began: date, ended: datetime, out: Path) -> None:
    """Write the census returns and timeliness reports of the years from `began` to `ended`, and list them.

    They are read as on the moment the last story's clock stopped: the case store holds what happened up to
    then, which is the wall clock's future.
    """
    from safeguarding.working_days import local_date
    from starter.year_returns import write_year_returns

    async def when_the_clock_stopped() -> datetime:
        return ended

    at_the_end = replace(services, clock=when_the_clock_stopped)
    written = await write_year_returns(at_the_end, manager, first_day=began, last_day=local_date(ended), out=out)
    print(f"\n=== Census returns and timeliness reports written to {out} (as the service manager) ===")
    for year in written:
        census = year.census
        print(
            f"  {year.census_file}: census year {year.report.year}, {census.children} children, "
            f"{census.episodes} episodes (specification {census.spec})"
        )
        print(f"  {year.timeliness_file}, {year.table_file}: timeliness counted to {year.report.as_of}")


def _print_mail(parts: Parts, addresses: dict[str, str]) -> None:
    """Print every e-mail the SMTP server received, in order: to whom, and the subject."""
    from starter.demo_walkthrough import who

    received = parts.mail.since(0)
    print(f"\n=== E-mails received by the SMTP server on loopback ({len(received)}) ===")
    for message in received:
        print(f"  to {who(addresses, message.to)}\n     {message.subject}")
