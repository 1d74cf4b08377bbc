"""`python -m starter simulate --referrals N --from DATE --to DATE --out DIR [--seed S] [--profile FILE]`.

Simulates an authority's caseload on the real workflows and activities: N referrals of new children on the
working days from --from to --to, their paths drawn from the DfE's national flow rates
(`safeguarding.simulation.national_rates`) and their pace from a small behaviour model whose parameters are
the options below (`safeguarding.simulation.behaviour`). Like the demo it needs nothing running: it starts a
time-skipping Temporal server, a worker, a throwaway case store and a mail sink in this process, seeds the
fictional example team, and drives the referrals through the application layer (`starter.simulation_run`)
with a progress bar on stderr. It then prints the timeliness report as of the period's last day and writes
into DIR: `timeliness-<year>.json` and `.txt` and `census-<year>.xml` for each census year the period
covers (a year not over by the period's end as it stands), and `simulation.json` (what the model drew and
what was done: counts only; and the run's time, processor time and peak memory). What-if: --demand-change
and --managers with the behaviour options make a variant; --compare runs the baseline too, with the same
seed, and prints both reports and the differences (`starter.simulation_compare`). LADO allegations and family
group conferences have no national statistic: --lado-allegations and --fgc-share are the authority's own
figures, 0 by default (`safeguarding.simulation.lado_fgc`, `starter.simulation_lado_fgc`). The time-skipping server
starts at the present and only moves forward, so the period starts after today.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import resource
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, fields, replace
from datetime import date, datetime
from datetime import time as clock_time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from safeguarding.simulation.behaviour import Behaviour
from starter.simulation_clock import DEFAULT_CONCURRENCY
from starter.simulation_compare import demand_change, referrals_with

if TYPE_CHECKING:
    from safeguarding.config import Settings
    from safeguarding.procedure_profile import ProcedureProfile
    from safeguarding.simulation.caseload import Referral
    from safeguarding.simulation.lado_fgc import DrawnAllegation, DrawnConference
    from safeguarding.timeliness.report import TimelinessReport

BEHAVIOUR_HELP = {
    "decision_hours": "mean working hours to the front-door decision",
    "allocation_days": "mean working days to allocation",
    "visit_days": "mean working days from allocation to the child seen",
    "visit_slip": "share of visits that slip",
    "slip_days": "mean working days a slipped visit adds",
    "write_up_days": "mean working days from the child seen to submission",
    "authorise_days": "mean working days from submission to authorisation",
    "discussion_days": "mean working days from the assessment to the strategy discussion",
    "enquiry_days": "mean working days from the strategy discussion to the section 47 enquiry's conclusion",
    "managers": "how many managers decide: fewer lengthen their delays in proportion",
    "health_knows_family": "share of joint visits the health practitioner leads, knowing the family",
    "lado_allegations": "allegations notified to the LADO a year: no national statistic exists; supply your "
    "authority's figure (its LADO annual report)",
    "lado_outcome_days": "mean working days from the LADO's notification to the outcome",
    "fgc_share": "share of assessments finding a child in need referred to a family group conference: no national "
    "statistic exists; supply your authority's figure",
    "fgc_days": "mean working days a family group conference is held after its ten working days of preparation",
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
    parser.add_argument(
        "--concurrency",
        type=int,
        default=DEFAULT_CONCURRENCY,
        metavar="N",
        help=f"how many cases act at once (default {DEFAULT_CONCURRENCY}): the load on the worker, not the outcome",
    )
    parser.add_argument(
        "--demand-change",
        type=str,
        default="0%",
        metavar="PCT",
        help="what if referrals changed by PCT, e.g. +15%% or -10%% (default 0%%)",
    )
    parser.add_argument(
        "--compare",
        action="store_true",
        help="run a baseline (same seed, period and profile; --demand-change and the behaviour options at their "
        "defaults, but for the authority's own --lado-allegations and --fgc-share) and this variant; print both "
        "reports and the differences, and write each run into DIR/baseline and DIR/variant",
    )
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
        change = demand_change(args.demand_change)
        _check(args)
        settings = Settings()
        profile = load_profile(args.profile or settings.profile_path)
    except (ValueError, ValidationError, ProfileError) as exc:
        print(f"simulate: {exc}", file=sys.stderr)
        return 2
    variant = Run(referrals_with(args.referrals, change), behaviour, args.out)
    try:
        if args.compare:
            asyncio.run(_compare(settings, profile, args, variant))
        else:
            asyncio.run(simulate(settings, profile, args, variant))
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
    if args.concurrency < 1:
        raise ValueError("--concurrency is at least 1")
    if args.last_day < args.first_day:
        raise ValueError("--to is not before --from")
    if args.first_day <= date.today():
        raise ValueError("--from is after today: the time-skipping server starts at the present and only moves on")
    if not args.out.is_dir():
        raise ValueError(f"--out: no such directory {str(args.out)!r}")


@dataclass(frozen=True)
class Run:
    """One run of a simulation: how many referrals, how the people behave, and where its files go."""

    referrals: int
    behaviour: Behaviour
    out: Path


async def _compare(settings: Settings, profile: ProcedureProfile, args: argparse.Namespace, variant: Run) -> None:
    """Run the baseline and the variant with the same seed; print both reports and, per year, the differences."""
    from starter.simulation_compare import side_by_side

    # The authority's own LADO and FGC figures are its caseload, not a what-if: the baseline keeps them.
    own = Behaviour(lado_allegations=variant.behaviour.lado_allegations, fgc_share=variant.behaviour.fgc_share)
    baseline = Run(args.referrals, own, args.out / "baseline")
    variant = replace(variant, out=args.out / "variant")
    reports = []
    for name, run in (("baseline", baseline), ("variant", variant)):
        run.out.mkdir(exist_ok=True)
        print(f"=== {name}: {run.referrals} referrals ===", flush=True)
        reports.append(await simulate(settings, profile, args, run))
    for year, report in reports[0].items():
        table = side_by_side(report, reports[1][year])
        print(f"\n{table}", flush=True)
        (args.out / f"compare-{year}.txt").write_text(table + "\n")


async def simulate(
    settings: Settings, profile: ProcedureProfile, args: argparse.Namespace, run: Run
) -> dict[int, TimelinessReport]:
    """Start the parts, drive the caseload, print and write the reports; return the timeliness reports by year."""
    from safeguarding.bank_holidays import england_and_wales_calendar
    from safeguarding.simulation.caseload import generate
    from safeguarding.simulation.lado_fgc import draw_allegations, draw_conferences
    from safeguarding.simulation.national_rates import DFE_2024, RELEASE
    from safeguarding.store.examples import seed_examples
    from safeguarding.working_days import LONDON, at_local_time, local_date
    from starter import demo_parts
    from starter.demo_walkthrough import address_book
    from starter.history_sizes import largest_history, recorded_workflow_ids
    from starter.simulation_clock import SharedClock
    from starter.simulation_run import Progress, SimulatedTeam, drive, steps_within
    from starter.year_returns import write_year_returns

    today = datetime.now(LONDON).date()
    calendar = england_and_wales_calendar(today=today, local_closures=profile.local_closures)
    behaviour = run.behaviour
    referrals = generate(run.referrals, args.first_day, args.last_day, calendar, DFE_2024, behaviour, args.seed)
    allegations = draw_allegations(args.first_day, args.last_day, calendar, behaviour, args.seed)
    conferences = draw_conferences(referrals, calendar, behaviour, args.seed)
    until = at_local_time(args.last_day, clock_time(23, 0))
    progress = Progress(steps_within(referrals, until))
    async with demo_parts.running(settings, profile) as parts:
        async with parts.sessionmaker.begin() as session:
            ids = await seed_examples(session, today=today, partnership_id=profile.partnership_id)
        addresses = await address_book(parts, ids)
        async with demo_parts.fresh_clock(parts, patient=True) as clock:
            walk = SimulatedTeam(parts=parts, clock=clock, ids=ids, calendar=calendar, addresses=addresses)
            started = time.perf_counter()
            walk.acting = asyncio.Semaphore(args.concurrency)
            shared = SharedClock(walk)
            tally = await drive(walk, referrals, until, progress.step, shared, allegations, conferences)
            elapsed = time.perf_counter() - started
            progress.end()
            await walk.at(until)
            manager = await walk.person(ids.service_manager_id)
            years = await write_year_returns(
                clock.services, manager, first_day=args.first_day, last_day=local_date(until), out=run.out
            )
            for year in years:
                print(year.table)
            reports = {year.year: year.report for year in years}
            cpu_s, rss_mb = cpu_seconds(), peak_rss_mb()  # the year's cost, before the histories are read
            most_events, longest = await largest_history(
                clock.env.client, await recorded_workflow_ids(parts.sessionmaker)
            )
            print(f"The largest history: {most_events} events ({longest}), of Temporal's 51,200 a run", flush=True)
            written: dict[str, Any] = {
                "timeliness": [year.timeliness_file for year in years],
                "census": [{"file": year.census_file, **year.census.model_dump(exclude={"xml"})} for year in years],
            }
    summary = {
        "rates": RELEASE,
        "seed": args.seed,
        "from": args.first_day,
        "to": args.last_day,
        "demand_change": args.demand_change,
        "behaviour": asdict(behaviour),
        "drawn": {**_drawn(referrals, until), **_drawn_lado_fgc(allegations, conferences, until)},
        "done": asdict(tally),
        "run": {
            "concurrency": args.concurrency,
            "clock_moves": shared.moves,
            "drive_s": round(elapsed, 2),
            "referrals_per_s": round(len(referrals) / elapsed, 2),
            "cpu_s": round(cpu_s, 1),
            "peak_rss_mb": round(rss_mb, 1),
            "largest_history_events": most_events,
            "largest_history_workflow": longest,
        },
        "written": written,
    }
    (run.out / "simulation.json").write_text(json.dumps(summary, indent=2, default=str) + "\n")
    print(f"\nWritten to {run.out}: " + ", ".join(sorted(p.name for p in run.out.iterdir())), flush=True)
    return reports


def cpu_seconds() -> float:
    """Return the processor time this process (driver and worker) has used so far, user and system."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def peak_rss_mb() -> float:
    """Return this process's peak resident memory in MB: the worker's, which runs in it (Linux counts in KB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _drawn_lado_fgc(
    allegations: list[DrawnAllegation], conferences: list[DrawnConference], until: datetime
) -> dict[str, int]:
    """Count the allegations and conferences drawn, and how many reach their outcome or meeting in the period."""
    return {
        "lado_allegations": len(allegations),
        "lado_resolved_in_period": sum(a.outcome_at <= until for a in allegations),
        "fgcs": len(conferences),
        "fgcs_held_in_period": sum(c.conference_at <= until for c in conferences),
    }


def _drawn(referrals: list[Referral], until: datetime) -> dict[str, Any]:
    """Count what the model drew: all referrals' paths, and how many of each step fall in the period."""
    from safeguarding.simulation.caseload import Step

    def count(predicate: Callable[[Referral], bool]) -> int:
        return sum(1 for r in referrals if predicate(r))

    return {
        "referrals": len(referrals),
        "assessed": count(lambda r: r.assessment is not None),
        "section_47": count(lambda r: r.enquiry),
        "conference": count(lambda r: r.conference),
        "plan": count(lambda r: r.plan_months is not None),
        "re_referred": count(lambda r: r.re_referred),
        "unborn": count(lambda r: r.date_of_birth is None),
        "steps_in_period": {
            str(step): sum(s is step and moment <= until for r in referrals for moment, s in r.steps) for step in Step
        },
    }
