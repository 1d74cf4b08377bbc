"""`simulate --lado-allegations N --fgc-share S`: the authority's own LADO and FGC figures, run end to end.

Twice with the same seed as a head of service runs it (a real process with its own server, worker and
store), a handful of cases: what was done is what the model drew, the timeliness report's LADO and FGC
denominators are the tally's, and the seed gives the same run again. The draws themselves are checked
without a server: none by default (no national statistic exists), and setting them leaves the referrals
as they were.
"""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest

from safeguarding.bank_holidays import england_and_wales_calendar
from safeguarding.census.period import CensusYear
from safeguarding.simulation.behaviour import Behaviour
from safeguarding.simulation.caseload import generate
from safeguarding.simulation.lado_fgc import allegations_in_period, draw_allegations, draw_conferences
from safeguarding.simulation.national_rates import DFE_2024
from safeguarding.working_days import LONDON, at_local_time
from tests.simulation.environment import command_env

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT = 180.0
REFERRALS, SEED = 8, 1
FIRST = date.today() + timedelta(days=7)
LAST = FIRST + timedelta(days=63)
UNTIL = at_local_time(LAST, time(23, 0))
YEAR = CensusYear.of(FIRST).year
BEHAVIOUR = Behaviour(lado_allegations=20, lado_outcome_days=5, fgc_share=0.5, fgc_days=2)
OPTIONS = ("--lado-allegations", "20", "--lado-outcome-days", "5", "--fgc-share", "0.5", "--fgc-days", "2")


def _calendar() -> Any:
    return england_and_wales_calendar(today=datetime.now(LONDON).date())


def _simulate(out: Path, tmp: Path) -> subprocess.CompletedProcess[str]:
    period = ("--from", FIRST.isoformat(), "--to", LAST.isoformat())
    cases = ("--referrals", str(REFERRALS), "--seed", str(SEED))
    return subprocess.run(
        [sys.executable, "-m", "starter", "simulate", *cases, *period, *OPTIONS, "--out", str(out)],
        cwd=ROOT,
        env=command_env(tmp),
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """The same command twice: the output directories of both runs."""
    outs = []
    for name in ("first", "again"):
        out = tmp_path_factory.mktemp(name)
        completed = _simulate(out, tmp_path_factory.mktemp(f"{name}-tmp"))
        assert completed.returncode == 0, completed.stderr
        outs.append(out)
    return outs


def _summary(out: Path) -> dict[str, Any]:
    return dict(json.loads((out / "simulation.json").read_text()))


def _indicators(out: Path) -> dict[str, dict[str, Any]]:
    return {i["key"]: i for i in json.loads((out / f"timeliness-{YEAR}.json").read_text())["indicators"]}


def test_the_allegations_and_conferences_drawn_are_taken_to_the_period_end(runs: list[Path]) -> None:
    calendar = _calendar()
    allegations = draw_allegations(FIRST, LAST, calendar, BEHAVIOUR, SEED)
    referrals = generate(REFERRALS, FIRST, LAST, calendar, DFE_2024, BEHAVIOUR, SEED)
    conferences = draw_conferences(referrals, calendar, BEHAVIOUR, SEED)
    resolved = sum(a.outcome_at <= UNTIL for a in allegations)
    held = sum(c.conference_at <= UNTIL for c in conferences)
    assert resolved and held, "the seed and period draw an allegation resolved and a conference held"
    done = _summary(runs[0])["done"]
    assert done["allegations_notified"] == sum(a.notified_at <= UNTIL for a in allegations)
    assert done["allegations_resolved"] == resolved
    assert done["fgcs_referred"] == sum(c.referred_at <= UNTIL for c in conferences)
    assert done["fgcs_held"] == held


def test_the_timeliness_reports_lado_and_fgc_denominators_are_the_tally(runs: list[Path]) -> None:
    done, indicators = _summary(runs[0])["done"], _indicators(runs[0])
    assert indicators["lado_resolved_within_1_month"]["denominator"] == done["allegations_resolved"]
    assert indicators["lado_resolved_within_3_months"]["denominator"] == done["allegations_resolved"]
    assert indicators["fgc_referral_to_conference"]["denominator"] == done["fgcs_held"]


def test_the_same_seed_gives_the_same_run(runs: list[Path]) -> None:
    first, again = (_summary(out) for out in runs)
    assert first["drawn"] == again["drawn"]
    assert first["done"] == again["done"]
    assert _indicators(runs[0]) == _indicators(runs[1])


def test_no_allegation_or_conference_is_drawn_by_default() -> None:
    """No national statistic exists for either: without the authority's figures, none is simulated."""
    calendar = _calendar()
    referrals = generate(40, FIRST, LAST, calendar, DFE_2024, Behaviour(), SEED)
    assert draw_allegations(FIRST, LAST, calendar, Behaviour(), SEED) == []
    assert draw_conferences(referrals, calendar, Behaviour(), SEED) == []


def test_setting_the_figures_leaves_the_referrals_as_they_were() -> None:
    calendar = _calendar()
    assert generate(40, FIRST, LAST, calendar, DFE_2024, BEHAVIOUR, SEED) == generate(
        40, FIRST, LAST, calendar, DFE_2024, Behaviour(), SEED
    )


def test_allegations_are_the_yearly_figure_in_proportion_to_the_period() -> None:
    assert allegations_in_period(365, date(2027, 1, 1), date(2027, 1, 31)) == 31
    assert allegations_in_period(0, date(2027, 1, 1), date(2027, 12, 31)) == 0
    calendar = _calendar()
    drawn = draw_allegations(FIRST, LAST, calendar, BEHAVIOUR, SEED)
    assert len(drawn) == allegations_in_period(BEHAVIOUR.lado_allegations, FIRST, LAST)
    assert all(a.notified_at < a.meeting_at < a.outcome_at for a in drawn)


def test_a_share_over_1_is_refused() -> None:
    with pytest.raises(ValueError, match="fgc_share is a share"):
        Behaviour(fgc_share=1.5)


def test_compare_keeps_the_authoritys_own_figures_in_the_baseline(tmp_path_factory: pytest.TempPathFactory) -> None:
    """The LADO and FGC figures are the authority's caseload, not a what-if: only the other options reset."""
    out = tmp_path_factory.mktemp("compare")
    period = ("--from", FIRST.isoformat(), "--to", (FIRST + timedelta(days=14)).isoformat())
    own = ("--lado-allegations", "50", "--fgc-share", "0.5")
    what_if = ("--compare", "--managers", "2")
    completed = subprocess.run(
        [sys.executable, "-m", "starter", "simulate", "--referrals", "2", *period, *own, *what_if, "--out", str(out)],
        cwd=ROOT,
        env=command_env(tmp_path_factory.mktemp("compare-tmp")),
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    baseline, variant = (_summary(out / name)["behaviour"] for name in ("baseline", "variant"))
    assert (baseline["lado_allegations"], baseline["fgc_share"]) == (variant["lado_allegations"], variant["fgc_share"])
    assert (baseline["lado_allegations"], baseline["fgc_share"]) == (50, 0.5)
    assert (baseline["managers"], variant["managers"]) == (Behaviour().managers, 2)
    assert _summary(out / "baseline")["drawn"]["lado_allegations"] == allegations_in_period(
        50, FIRST, FIRST + timedelta(days=14)
    )


@pytest.mark.parametrize(
    ("option", "refusal"),
    [
        (("--fgc-share", "1.5"), "fgc_share is a share between 0 and 1"),
        (("--lado-allegations", "-3"), "lado_allegations is not negative"),
    ],
)
def test_a_figure_out_of_range_is_refused_before_anything_starts(
    tmp_path: Path, option: tuple[str, str], refusal: str
) -> None:
    period = ("--from", FIRST.isoformat(), "--to", FIRST.isoformat())
    completed = subprocess.run(
        [sys.executable, "-m", "starter", "simulate", "--referrals", "2", *period, *option, "--out", str(tmp_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )
    assert completed.returncode == 2
    assert refusal in completed.stderr
    assert list(tmp_path.iterdir()) == []
