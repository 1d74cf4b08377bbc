"""`python -m starter simulate` as a head of service runs it: a real process with its own server, worker and store.

Run once for the module (16 referrals over six weeks, a seed of its own); each test checks one output
against what the model drew, regenerated here from the same seed (`safeguarding.simulation.caseload`).
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
from xml.etree import ElementTree

import pytest

from safeguarding.bank_holidays import england_and_wales_calendar
from safeguarding.census.period import CensusYear
from safeguarding.simulation.behaviour import Behaviour
from safeguarding.simulation.caseload import Referral, Step, generate
from safeguarding.simulation.national_rates import DFE_2024
from safeguarding.working_days import LONDON, add_working_days, at_local_time, local_date
from tests.simulation.environment import command_env

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT = 120.0
REFERRALS, SEED = 16, 11
# The server starts at the present and only moves on: the period starts next week and lasts six weeks.
FIRST = date.today() + timedelta(days=7)
LAST = FIRST + timedelta(weeks=6)
YEAR = CensusYear.of(FIRST).year
COMMAND = (sys.executable, "-m", "starter", "simulate")


def _period(first: date, last: date) -> tuple[str, ...]:
    return ("--from", first.isoformat(), "--to", last.isoformat())


@dataclass(frozen=True)
class Run:
    returncode: int
    stdout: str
    stderr: str
    out: Path

    def json(self, name: str) -> Any:
        return json.loads((self.out / name).read_text())


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> Run:
    out = tmp_path_factory.mktemp("simulation")
    completed = subprocess.run(
        [*COMMAND, "--referrals", str(REFERRALS), "--seed", str(SEED), *_period(FIRST, LAST), "--out", str(out)],
        cwd=ROOT,
        env=command_env(tmp_path_factory.mktemp("simulation-tmp")),
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )
    return Run(completed.returncode, completed.stdout, completed.stderr, out)


@pytest.fixture(scope="module")
def drawn() -> list[Referral]:
    """The caseload the command drew: the same model, seed and calendar."""
    calendar = england_and_wales_calendar(today=datetime.now(LONDON).date())
    return generate(REFERRALS, FIRST, LAST, calendar, DFE_2024, Behaviour(), SEED)


UNTIL = at_local_time(LAST, time(23, 0))


def _taken(drawn: list[Referral], step: Step) -> list[tuple[Referral, int]]:
    """Each time `step` falls in the period: the referral, and whether it is the first time (0) or the re-referral's."""
    return [(r, nth) for r in drawn for nth, moment in enumerate(m for m, s in r.steps if s is step) if moment <= UNTIL]


def _decided(referral: Referral, nth: int) -> str:
    """The front door's decision: as drawn the first time, an assessment on the re-referral."""
    return str(referral.front_door) if nth == 0 else "assessment"


def _authorised(referral: Referral, nth: int) -> str:
    return str(referral.assessment if nth == 0 else referral.second_assessment)


def test_the_simulation_exits_0_and_writes_every_output(run: Run) -> None:
    assert run.returncode == 0, run.stderr
    names = {p.name for p in run.out.iterdir()}
    assert {f"timeliness-{YEAR}.json", f"timeliness-{YEAR}.txt", f"census-{YEAR}.xml", "simulation.json"} <= names


def test_the_largest_history_of_the_year_is_reported_against_temporals_limit(run: Run) -> None:
    summary = run.json("simulation.json")["run"]
    events, workflow_id = summary["largest_history_events"], summary["largest_history_workflow"]
    assert 0 < events < 51_200
    assert f"The largest history: {events} events ({workflow_id})" in run.stdout


def test_the_progress_bar_reaches_every_step_of_the_period(run: Run, drawn: list[Referral]) -> None:
    total = len(drawn) + sum(len(_taken(drawn, step)) for step in Step)
    assert f"] {total}/{total} steps" in run.stderr


def test_every_referral_drawn_was_recorded_and_decided_as_drawn(run: Run, drawn: list[Referral]) -> None:
    done = run.json("simulation.json")["done"]
    assert done["contacts"] == REFERRALS
    assert done["re_referrals"] == len(_taken(drawn, Step.RE_REFER))
    decided = Counter(_decided(r, nth) for r, nth in _taken(drawn, Step.DECIDE))
    assert done["decided"] == dict(decided)
    assert done["allocated"] == len(_taken(drawn, Step.ALLOCATE))
    assert done["seen"] == len(_taken(drawn, Step.CHILD_SEEN))


def test_the_assessments_authorised_are_those_drawn_with_their_outcomes(run: Run, drawn: list[Referral]) -> None:
    authorised = Counter(_authorised(r, nth) for r, nth in _taken(drawn, Step.AUTHORISE))
    assert authorised, "the period is long enough for some assessment to be authorised"
    assert run.json("simulation.json")["done"]["authorised"] == dict(authorised)


def test_the_timeliness_denominators_are_the_contacts_referrals_and_assessments_simulated(
    run: Run, drawn: list[Referral]
) -> None:
    indicators = {i["key"]: i for i in run.json(f"timeliness-{YEAR}.json")["indicators"]}
    # A contact whose decision falls after the period (received on its last afternoon) is not counted yet.
    assert indicators["referral_decisions_within_1_working_day"]["denominator"] == len(_taken(drawn, Step.DECIDE))
    again = [r for r, nth in _taken(drawn, Step.DECIDE) if nth == 1]
    to_social_care = sum(str(r.front_door) == "assessment" for r in drawn) + len(again)
    assert indicators["re_referrals_within_12_months"]["denominator"] == to_social_care
    assert indicators["re_referrals_within_12_months"]["numerator"] == len(again)
    assert indicators["assessment_duration"]["denominator"] == len(_taken(drawn, Step.AUTHORISE))
    assert f"Timeliness {CensusYear(YEAR).label}" in run.stdout


def test_the_census_holds_every_child_and_each_authorised_assessment(run: Run, drawn: list[Referral]) -> None:
    root = ElementTree.parse(run.out / f"census-{YEAR}.xml").getroot()
    # A contact closed at the front door with advice or early help is no referral to social care: not in the census.
    assert len(root.findall("./Children/Child")) == sum(str(r.front_door) == "assessment" for r in drawn)
    # An assessment starts with the front door's decision to assess, before it is allocated.
    started = [r for r, nth in _taken(drawn, Step.DECIDE) if _decided(r, nth) == "assessment"]
    assert len(root.findall(".//Assessments/AssessmentActualStartDate")) == len(started)
    assert len(root.findall(".//Assessments/AssessmentAuthorisationDate")) == len(_taken(drawn, Step.AUTHORISE))
    # Each authorisation records the child's primary need and the factors identified (census, §9).
    authorised = [e for e in root.iter("CINdetails") if e.find("Assessments/AssessmentAuthorisationDate") is not None]
    assert all(e.findtext("PrimaryNeedCode") not in (None, "N0") for e in authorised)
    assert all(e.find("Assessments/FactorsIdentifiedAtAssessment/AssessmentFactors") is not None for e in authorised)


def test_slow_write_ups_make_late_assessments_authorised_with_reasons_and_counted_late(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """Behaviour options on the command line: slow visits and write-ups (the seed draws late ones whatever the day)."""
    out, last = tmp_path_factory.mktemp("slow"), FIRST + timedelta(weeks=20)
    options = (
        "--referrals",
        "6",
        "--seed",
        "8",
        "--write-up-days",
        "50",
        "--visit-days",
        "10",
        "--decision-hours",
        "0",
    )
    completed = subprocess.run(
        [*COMMAND, *options, *_period(FIRST, last), "--out", str(out)],
        cwd=ROOT,
        env=command_env(tmp_path_factory.mktemp("slow-tmp")),
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    calendar = england_and_wales_calendar(today=datetime.now(LONDON).date())
    slow = Behaviour(write_up_days=50, visit_days=10, decision_hours=0)
    until = at_local_time(last, time(23, 0))
    authorised = [
        (r, moment)
        for r in generate(6, FIRST, last, calendar, DFE_2024, slow, 8)
        for moment, step in r.steps
        if step is Step.AUTHORISE and moment <= until
    ]
    late = [
        r for r, moment in authorised if local_date(moment) > add_working_days(local_date(r.received_at), 45, calendar)
    ]
    assert late, "the seed draws at least one assessment authorised after its 45 working days"
    done = json.loads((out / "simulation.json").read_text())["done"]
    assert done["late_authorised"] == len(late)
    within = [
        next(i for i in json.loads(path.read_text())["indicators"] if i["key"] == "assessment_duration")
        for path in out.glob("timeliness-*.json")
    ]
    assert sum(i["denominator"] for i in within) == len(authorised)
    assert sum(i["numerator"] for i in within) == len(authorised) - len(late)


def test_no_childs_name_is_printed(run: Run) -> None:
    assert "Simulated Child" not in run.stdout + run.stderr
    assert "Fictional Road" not in run.stdout + run.stderr


def test_a_period_starting_today_or_earlier_is_refused_before_anything_starts(tmp_path: Path) -> None:
    completed = subprocess.run(
        [*COMMAND, "--referrals", "3", *_period(date.today(), LAST), "--out", str(tmp_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )
    assert completed.returncode == 2
    assert "--from is after today" in completed.stderr
    assert list(tmp_path.iterdir()) == []
