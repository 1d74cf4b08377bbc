"""A small simulated half-year through every path: child protection to a plan's end, joint visits, unborn children.

The seed is the first whose 30 referrals over 30 weeks or more take every path within the period (found here from
the model, not written down), so the test stays true if the model's draws change. The command's outputs are
checked against what the model drew: what was done, the timeliness report's counts, and a census return the
DfE's validator accepts (`tests.census.test_validation` runs it in its own venv). Among the paths is a
re-referral that assesses a case again: its second assessment runs under an id of its own, so the census has
both, each dated by its own record (no assessment authorised before it started, DfE rule 8608).
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest

from safeguarding.bank_holidays import england_and_wales_calendar
from safeguarding.census.period import CensusYear
from safeguarding.codes import ConferenceOutcome, EnquiryOutcome, StrategyOutcome
from safeguarding.simulation.behaviour import Behaviour
from safeguarding.simulation.caseload import Referral, Step, generate
from safeguarding.simulation.national_rates import DFE_2024
from safeguarding.working_days import LONDON, at_local_time
from tests.census.test_validation import errors, validate, validator_python
from tests.simulation.environment import command_env

__all__ = ["validator_python"]  # the census tests' fixture, used here

ROOT = Path(__file__).resolve().parents[2]
COMMAND = (sys.executable, "-m", "starter", "simulate")
REFERRALS, WEEKS, SEEDS = 30, 30, 500
FIRST = date.today() + timedelta(days=7)
LAST = CensusYear.of(FIRST + timedelta(weeks=WEEKS)).reference_date
"""At least 30 weeks, to the end of a census year: a return is only valid once its year is over."""
UNTIL = at_local_time(LAST, time(23, 0))
PATHS = {
    "plan ended",
    "plan continued",
    "plan",
    "no plan",
    "conference late",
    "not substantiated",
    str(StrategyOutcome.S47_SINGLE_AGENCY),
    str(StrategyOutcome.S47_JOINT_WITH_POLICE),
    "joint visit",
    "unborn",
    "re-referral",
}


def _in_period(referral: Referral, step: Step) -> list[datetime]:
    return [moment for moment, s in referral.steps if s is step and moment <= UNTIL]


def _paths(referrals: list[Referral]) -> set[str]:
    """The paths the referrals take within the period."""
    found = set()
    for r in referrals:
        protection = r.child_protection
        reviews = [moment for moment, s in r.steps if s is Step.REVIEW]
        if reviews and reviews[-1] <= UNTIL:
            found.add("plan ended")
        if len(reviews) > 1 and reviews[0] <= UNTIL:
            found.add("plan continued")
        if protection is not None and _in_period(r, Step.CONFERENCE):
            found.add("plan" if protection.category else "no plan")
            found |= set() if protection.within_15 else {"conference late"}
        if protection is not None and _in_period(r, Step.CONCLUDE):
            found |= set() if protection.enquiry is EnquiryOutcome.SUBSTANTIATED else {"not substantiated"}
        if protection is not None and _in_period(r, Step.DISCUSS):
            found.add(str(protection.strategy))
        if _in_period(r, Step.CHILD_SEEN) and r.joint_visit(r.received_at):
            found.add("joint visit")
        if _in_period(r, Step.CHILD_SEEN) and r.date_of_birth is None:
            found.add("unborn")
        if _in_period(r, Step.RE_REFER):
            found.add("re-referral")
    return found


@dataclass(frozen=True)
class Run:
    returncode: int
    stderr: str
    out: Path
    drawn: list[Referral]

    def json(self, name: str) -> Any:
        return json.loads((self.out / name).read_text())


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> Run:
    calendar = england_and_wales_calendar(today=datetime.now(LONDON).date())
    for seed in range(1, SEEDS):
        drawn = generate(REFERRALS, FIRST, LAST, calendar, DFE_2024, Behaviour(), seed)
        paths = _paths(drawn)
        if paths >= PATHS:
            break
    else:
        pytest.fail(f"no seed below {SEEDS} draws every path in {REFERRALS} referrals: the model has changed")
    out = tmp_path_factory.mktemp("every-path")
    period = ("--from", FIRST.isoformat(), "--to", LAST.isoformat())
    completed = subprocess.run(
        [*COMMAND, "--referrals", str(REFERRALS), "--seed", str(seed), *period, "--out", str(out)],
        cwd=ROOT,
        env=command_env(tmp_path_factory.mktemp("every-path-tmp")),
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    return Run(completed.returncode, completed.stderr, out, drawn)


def test_every_child_protection_step_drawn_in_the_period_was_taken(run: Run) -> None:
    assert run.returncode == 0, run.stderr[-3000:]
    done = run.json("simulation.json")["done"]
    protections = [(r, r.child_protection) for r in run.drawn if r.child_protection is not None]
    discussed = Counter(str(p.strategy) for r, p in protections if _in_period(r, Step.DISCUSS))
    concluded = Counter(str(p.enquiry) for r, p in protections if _in_period(r, Step.CONCLUDE))
    conferences = Counter(
        str(ConferenceOutcome.PLAN if p.category else ConferenceOutcome.NO_PLAN)
        for r, p in protections
        if _in_period(r, Step.CONFERENCE)
    )
    assert done["discussions"] == dict(discussed)
    assert done["enquiries"] == dict(concluded)
    assert done["conferences"] == dict(conferences)
    late = [r for r, p in protections if not p.within_15 and p.conference_day and _in_period(r, Step.CONCLUDE)]
    assert done["late_conferences"] == len(late)
    assert done["reviews"] == sum(len(_in_period(r, Step.REVIEW)) for r in run.drawn)
    ended = [r for r in run.drawn if r.plan_months is not None and r.steps[-1][0] <= UNTIL]
    assert done["plans_ended"] == len(ended) > 0
    assert done["core_groups"] > 0


def test_joint_visits_were_taken_as_drawn(run: Run) -> None:
    assert run.returncode == 0, run.stderr[-3000:]
    done = run.json("simulation.json")["done"]
    # Each assessment's age band is the child's on the day it starts: the front door's decision of its round.
    joint = [
        r
        for r in run.drawn
        for started, _ in zip(_in_period(r, Step.DECIDE), _in_period(r, Step.CHILD_SEEN), strict=False)
        if r.joint_visit(started)
    ]
    assert done["joint_visits"] == len(joint) > 0
    assert done["re_referrals"] == sum(len(_in_period(r, Step.RE_REFER)) for r in run.drawn) > 0


def test_the_timeliness_reports_count_the_conferences_and_plans_simulated(run: Run) -> None:
    assert run.returncode == 0, run.stderr[-3000:]
    reports = [run.json(path.name) for path in sorted(run.out.glob("timeliness-*.json"))]
    indicators = [{i["key"]: i for i in report["indicators"]} for report in reports]
    held = [r.child_protection for r in run.drawn if r.child_protection and _in_period(r, Step.CONFERENCE)]
    from_discussion = [i["icpc_within_15_of_strategy_discussion"] for i in indicators]
    assert sum(i["denominator"] for i in from_discussion) == len(held)
    assert sum(i["numerator"] for i in from_discussion) == sum(p.within_15 for p in held)
    done = run.json("simulation.json")["done"]
    ended = [i["cp_plans_ending_by_duration"]["denominator"] for i in indicators]
    assert sum(ended) == done["plans_ended"]


def test_each_census_return_passes_the_dfe_rules_and_the_schema(
    run: Run, validator_python: Path, tmp_path: Path
) -> None:
    assert run.returncode == 0, run.stderr[-3000:]
    # A census year not over by the period's end is written as it stands; the DfE's rules assume a year that is
    # over (an assessment started before 1 April must be complete by the next 31 March, rule 8736).
    written = [c for c in run.json("simulation.json")["written"]["census"] if c["reference_date"] <= LAST.isoformat()]
    assert written
    for census in written:
        ruleset = f"cin{census['spec']}"
        found = validate(validator_python, (run.out / census["file"]).read_bytes(), ruleset, tmp_path)
        assert found["schema_errors"] == []
        assert found["crashed"] == []
        found_errors = errors(found["child_level"]) + errors(found["return_level"])
        assert not found_errors, "\n".join(found_errors)
