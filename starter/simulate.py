"""`python -m starter simulate --referrals N --from DATE --to DATE --out DIR [--seed S] [--profile FILE]`.

Simulates an authority's caseload on the real workflows and activities: N referrals of new children on the
working days from --from to --to, their paths drawn from the DfE's national flow rates
(`safeguarding.simulation.national_rates`) and their pace from a small behaviour model whose parameters are
the options below (`safeguarding.simulation.behaviour`). Like the demo it needs nothing running: it starts a
time-skipping Temporal server, a worker, a throwaway case store and a mail sink in this process, seeds the
fictional example team, and drives the referrals through the application layer (`starter.simulation_run`)
with a progress bar on stderr. It then prints the timeliness report as of the period's last day and writes
into DIR: `timeliness-<year>.json` and `.txt` and `census-<year>.xml` for each census year the period
covers, and `simulation.json` (what the model drew and what was done: counts only). The time-skipping
server starts at the present and only moves forward, so the period starts after today.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import sys
from collections.abc import Callable
from dataclasses import asdict, fields
from datetime import date, datetime, time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from safeguarding.simulation.behaviour import Behaviour

if TYPE_CHECKING:
    from safeguarding.config import Settings
    from safeguarding.procedure_profile import ProcedureProfile
    from safeguarding.simulation.caseload import Referral

BEHAVIOUR_HELP = {
    "decision_hours": "mean working hours to the front-door decision",
    "allocation_days": "mean working days to allocation",
    "visit_days": "mean working days from allocation to the child seen",
    "visit_slip": "share of visits that slip",
    "slip_days": "mean working days a slipped visit adds",
    "write_up_days": "mean working days from the child seen to submission",
    "authorise_days": "mean working days from submission to authorisation",
}
"""Each behaviour parameter's option help (`safeguarding.simulation.behaviour` says what it models)."""


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `simulate` command."""
    parser = subparsers.add_parser(
        "simulate", help="run a simulated caseload through the real workflows", description=__doc__
    )
    parser.add_argument("--referrals", required=True, type=int, metavar="N", help="how many referrals")
    parser.add_argument("--from", dest="first_day", required=True, type=date.fromisoformat, metavar="DATE")
    parser.add_argument("--to", dest="last_day", required=True, type=date.fromisoformat, metavar="DATE")
    parser.add_argument("--out", required=True, type=Path, metavar="DIR", help="where the reports are written")
    parser.add_argument("--seed", type=int, default=1, help="the random seed (default 1): same seed, same caseload")
    parser.add_argument("--profile", type=Path, metavar="FILE", help="the procedure profile (default: the settings')")
    defaults = Behaviour()
    for item in fields(Behaviour):
        parser.add_argument(
            f"--{item.name.replace('_', '-')}",
            type=float,
            default=getattr(defaults, item.name),
            help=f"{BEHAVIOUR_HELP[item.name]} (default {getattr(defaults, item.name)})",
        )
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    """Run the simulation; 0 when done, 2 for input refused, 1 when it failed."""
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    from pydantic import ValidationError

    from safeguarding.config import Settings
    from safeguarding.procedure_profile import ProfileError, load_profile
    from safeguarding.service.errors import ServiceError
    from starter.demo_walkthrough import DemoFailed
    from starter.time_skipping import ClockStuck

    try:
        behaviour = Behaviour(**{item.name: getattr(args, item.name) for item in fields(Behaviour)})
        _check(args)
        settings = Settings()
        profile = load_profile(args.profile or settings.profile_path)
    except (ValueError, ValidationError, ProfileError) as exc:
        print(f"simulate: {exc}", file=sys.stderr)
        return 2
    try:
        asyncio.run(simulate(settings, profile, args, behaviour))
    except (DemoFailed, ClockStuck, FileNotFoundError) as exc:
        print(f"\nsimulate failed: {exc}", file=sys.stderr)
        return 1
    except ServiceError as exc:
        print(f"\nsimulate failed: {exc.title.lower()}: {exc.reason}", file=sys.stderr)
        return 1
    return 0


def _check(args: argparse.Namespace) -> None:
    if args.referrals < 1:
        raise ValueError("--referrals is at least 1")
    if args.last_day < args.first_day:
        raise ValueError("--to is not before --from")
    if args.first_day <= date.today():
        raise ValueError("--from is after today: the time-skipping server starts at the present and only moves on")
    if not args.out.is_dir():
        raise ValueError(f"--out: no such directory {str(args.out)!r}")


async def simulate(
    settings: Settings, profile: ProcedureProfile, args: argparse.Namespace, behaviour: Behaviour
) -> None:
    """Start the parts, drive the caseload, and print and write the reports."""
    from safeguarding.bank_holidays import england_and_wales_calendar
    from safeguarding.simulation.caseload import generate
    from safeguarding.simulation.national_rates import DFE_2024, RELEASE
    from safeguarding.store.examples import seed_examples
    from safeguarding.working_days import LONDON, at_local_time, local_date
    from starter import demo_parts
    from starter.demo_walkthrough import Walkthrough, address_book
    from starter.simulation_run import Progress, drive, steps_within
    from starter.year_returns import write_year_returns

    today = datetime.now(LONDON).date()
    calendar = england_and_wales_calendar(today=today, local_closures=profile.local_closures)
    referrals = generate(args.referrals, args.first_day, args.last_day, calendar, DFE_2024, behaviour, args.seed)
    until = at_local_time(args.last_day, time(23, 0))
    progress = Progress(steps_within(referrals, until))
    async with demo_parts.running(settings, profile) as parts:
        async with parts.sessionmaker.begin() as session:
            ids = await seed_examples(session, today=today, partnership_id=profile.partnership_id)
        addresses = await address_book(parts, ids)
        async with demo_parts.fresh_clock(parts) as clock:
            walk = Walkthrough(parts=parts, clock=clock, ids=ids, calendar=calendar, addresses=addresses)
            tally = await drive(walk, referrals, until, progress.step)
            progress.end()
            await walk.at(until)
            manager = await walk.person(ids.service_manager_id)
            years = await write_year_returns(
                clock.services, manager, first_day=args.first_day, last_day=local_date(until), out=args.out
            )
            for year in years:
                print(year.table)
            written: dict[str, Any] = {
                "timeliness": [year.timeliness_file for year in years],
                "census": [{"file": year.census_file, **year.census.model_dump(exclude={"xml"})} for year in years],
            }
    summary = {
        "rates": RELEASE,
        "seed": args.seed,
        "from": args.first_day,
        "to": args.last_day,
        "behaviour": asdict(behaviour),
        "drawn": _drawn(referrals, until),
        "done": asdict(tally),
        "written": written,
    }
    (args.out / "simulation.json").write_text(json.dumps(summary, indent=2, default=str) + "\n")
    print(f"\nWritten to {args.out}: " + ", ".join(sorted(p.name for p in args.out.iterdir())), flush=True)


def _drawn(referrals: list[Referral], until: datetime) -> dict[str, int]:
    """Count what the model drew (all referrals, and those whose step falls in the period)."""
    from safeguarding.simulation.caseload import Step

    def count(predicate: Callable[[Referral], bool]) -> int:
        return sum(1 for r in referrals if predicate(r))

    def stepped(r: Referral, step: Step) -> bool:
        return any(s is step and moment <= until for moment, s in r.steps)

    return {
        "referrals": len(referrals),
        "assessed": count(lambda r: r.assessment is not None),
        "decided_in_period": count(lambda r: stepped(r, Step.DECIDE)),
        "authorised_in_period": count(lambda r: stepped(r, Step.AUTHORISE)),
        "section_47": count(lambda r: r.enquiry),
        "conference": count(lambda r: r.conference),
        "plan": count(lambda r: r.plan_months is not None),
        "re_referred": count(lambda r: r.re_referred),
    }
