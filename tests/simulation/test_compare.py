"""What-if runs: demand and capacity options, and `--compare` printing both reports and their differences."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest

from safeguarding.simulation.behaviour import REFERENCE_MANAGERS, Behaviour
from safeguarding.timeliness.report import TimelinessReport
from starter.simulation_compare import demand_change, referrals_with, side_by_side
from tests.simulation.environment import command_env

ROOT = Path(__file__).resolve().parents[2]
FIRST = date.today() + timedelta(days=7)
LAST = FIRST + timedelta(weeks=1)


@pytest.mark.parametrize(("text", "change"), [("+15%", 0.15), ("-10%", -0.10), ("15", 0.15), ("+2.5%", 0.025)])
def test_a_demand_change_is_a_percentage(text: str, change: float) -> None:
    assert demand_change(text) == pytest.approx(change)


@pytest.mark.parametrize("text", ["fifteen", "15%%", "-100%", "+", ""])
def test_a_demand_change_that_is_no_percentage_or_removes_every_referral_is_refused(text: str) -> None:
    with pytest.raises(ValueError, match="--demand-change"):
        demand_change(text)


def test_more_demand_means_more_referrals_and_fewer_managers_slower_decisions() -> None:
    assert referrals_with(200, 0.15) == 230
    assert referrals_with(1, -0.9) == 1
    halved = Behaviour(managers=REFERENCE_MANAGERS / 2)
    assert halved.manager_days(3.0) == pytest.approx(6.0)
    with pytest.raises(ValueError, match="managers"):
        Behaviour(managers=0)


def test_compare_runs_a_baseline_and_a_variant_and_prints_both_reports_and_the_differences(tmp_path: Path) -> None:
    options = ("--referrals", "6", "--seed", "3", "--from", FIRST.isoformat(), "--to", LAST.isoformat())
    what_if = ("--compare", "--demand-change", "+50%", "--managers", "1", "--decision-hours", "12")
    completed = subprocess.run(
        [sys.executable, "-m", "starter", "simulate", *options, *what_if, "--out", str(tmp_path)],
        cwd=ROOT,
        env=command_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr[-3000:]
    runs = {name: json.loads((tmp_path / name / "simulation.json").read_text()) for name in ("baseline", "variant")}
    assert runs["baseline"]["done"]["contacts"] == 6
    assert runs["variant"]["done"]["contacts"] == 9
    assert runs["baseline"]["behaviour"]["managers"] == REFERENCE_MANAGERS
    assert runs["variant"]["behaviour"]["managers"] == 1
    assert completed.stdout.count("Timeliness ") >= 2  # both reports, printed in full
    year = runs["baseline"]["written"]["timeliness"][0]
    baseline, variant = (
        TimelinessReport.model_validate_json((tmp_path / name / year).read_text()) for name in ("baseline", "variant")
    )
    table = side_by_side(baseline, variant)
    assert table in completed.stdout
    decisions = next(line for line in table.splitlines() if line.startswith("Contacts decided within 1 working day"))
    first, second = (
        next(i for i in report.indicators if i.key == "referral_decisions_within_1_working_day")
        for report in (baseline, variant)
    )
    assert f"{first.numerator}/{first.denominator}" in decisions
    assert f"{second.numerator}/{second.denominator}" in decisions
    assert first.share is not None and second.share is not None
    assert re.search(rf"{(second.share - first.share) * 100:+.1f} pp$", decisions)
    assert (tmp_path / f"compare-{baseline.year.split('/')[0]}.txt").read_text() == table + "\n"
