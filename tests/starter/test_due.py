"""`python -m starter due`, run as a real process from the repository root, as a user would.

It asks as a practitioner (`--actor`), read from the case store, which also holds the announced closures.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from safeguarding.store.examples import EXAMPLE_IDS, ExampleIds
from safeguarding.working_days import COUNTING_CONVENTION

ROOT = Path(__file__).resolve().parents[2]
HOURS_PROFILE = "profiles/example-24-hour-clocks.toml"


@pytest.fixture(autouse=True)
def case_store(database_url: str, examples: ExampleIds, monkeypatch: pytest.MonkeyPatch) -> None:
    """Point every `due` below at the test's case store, where the example practitioners are."""
    monkeypatch.setenv("DATABASE_URL", database_url)


def _due(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("SAFEGUARDING_")}
    actor = () if "--help" in args or "--actor" in args else ("--actor", EXAMPLE_IDS.social_worker_id)
    return subprocess.run(
        [sys.executable, "-m", "starter", "due", *args, *actor],
        cwd=ROOT,
        env={**clean, **(env or {})},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def _stderr_lines(done: subprocess.CompletedProcess[str]) -> list[str]:
    """Return what the command wrote on stderr, leaving out Python warnings raised by imports."""
    return [line for line in done.stderr.splitlines() if "Warning: " not in line and not line.startswith("  ")]


def _json(*args: str, env: dict[str, str] | None = None) -> dict[str, object]:
    done = _due(*args, env=env)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_an_icpc_over_christmas_is_printed_with_its_basis_profile_and_convention() -> None:
    due = _json("icpc", "2026-12-22")
    assert due["rule_id"] == "icpc"
    assert due["title"] == "Hold the initial child protection conference"
    assert (due["clock"], due["amount"]) == ("working_days", 15)
    assert due["trigger"] == "2026-12-22T12:00:00+00:00"  # a bare date is midday in England
    assert due["due_date"] == "2027-01-15"
    assert due["due_at"] is None
    assert due["passes_at"] == "2027-01-16T00:00:00+00:00"
    assert due["basis"] == (
        "15 working days after the strategy discussion on Tue 22 Dec 2026; 25, 28 Dec and 1 Jan are bank holidays"
    )
    assert due["citation"] == "statutory-rules.md §5"
    assert str(due["profile"]).startswith("example@2026.1#")
    assert str(due["calendar_version"]).startswith("ENG-")
    assert due["counting_convention"] == COUNTING_CONVENTION


def test_a_bare_summer_date_is_midday_bst_so_a_24_hour_clock_ends_at_midday_next_day() -> None:
    due = _json("referral_decision", "2026-07-03", "--profile", HOURS_PROFILE)
    assert due["trigger"] == "2026-07-03T12:00:00+01:00"
    assert due["due_at"] == due["passes_at"] == "2026-07-04T12:00:00+01:00"
    assert due["due_date"] == "2026-07-04"
    assert str(due["profile"]).startswith("example-24h@2026.1#")


def test_a_local_time_without_offset_is_england_and_24_hours_are_elapsed_over_the_clock_change() -> None:
    due = _json("referral_decision", "2026-03-28T12:00", "--profile", HOURS_PROFILE)
    assert due["trigger"] == "2026-03-28T12:00:00+00:00"
    assert due["due_at"] == "2026-03-29T13:00:00+01:00"


def test_a_time_with_an_offset_is_taken_as_given() -> None:
    due = _json("assessment", "2026-06-29T23:30:00+00:00")
    assert due["trigger"] == "2026-06-29T23:30:00+00:00"
    # 00:30 BST on Tue 30 Jun is day 0: 23 working days in July, 20 in August before the bank holiday
    # on Mon 31 Aug, then Tue 1 and Wed 2 Sep.
    assert due["due_date"] == "2026-09-02"


def test_the_default_profile_comes_from_the_settings() -> None:
    due = _json("referral_decision", "2026-12-04", env={"SAFEGUARDING_PROFILE_PATH": HOURS_PROFILE})
    assert due["clock"] == "hours"
    assert due["due_at"] == "2026-12-05T12:00:00+00:00"


def test_local_closures_of_the_profile_are_in_the_calendar() -> None:
    due = _json("icpc", "2026-12-22", "--profile", HOURS_PROFILE)
    assert due["due_date"] == "2027-01-18"
    assert str(due["basis"]).endswith("; 24 Dec is a local closure day")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("icpcc", "2026-12-22"), "due: unknown rule 'icpcc'; known rules: "),
        (("icpc", "22/12/2026"), "due: DATE '22/12/2026' is not an ISO date"),
        (("icpc", "2010-01-04"), "due: DATE '2010-01-04' is before 2015"),
        (
            ("core_group_interval", "2026-12-22", "--profile", "tests/starter/bare-profile.toml"),
            "due: rule 'core_group_interval' is local",
        ),
        (("icpc", "2026-12-22", "--profile", "profiles/missing.toml"), "due: procedure profile profiles/missing"),
    ],
)
def test_a_usage_error_is_one_line_on_stderr_and_exit_code_2(args: tuple[str, ...], message: str) -> None:
    done = _due(*args)
    assert done.returncode == 2
    assert done.stdout == ""
    [line] = _stderr_lines(done)
    assert line.startswith(message)
    assert "Traceback" not in done.stderr


def test_an_actor_the_case_store_does_not_know_is_refused() -> None:
    done = _due("icpc", "2026-12-22", "--actor", "prac-nobody")
    assert (done.returncode, done.stdout) == (2, "")
    assert _stderr_lines(done) == ["due: no practitioner 'prac-nobody'"]


def test_a_malformed_profile_is_one_line_naming_the_file(tmp_path: Path) -> None:
    path = tmp_path / "broken.toml"
    path.write_text('authority = "x"\n[rules.icpc\n')
    done = _due("icpc", "2026-12-22", "--profile", str(path))
    assert done.returncode == 2
    [line] = _stderr_lines(done)
    assert line.startswith(f"due: procedure profile {path} is not valid TOML")


def test_an_invalid_profile_is_one_line_naming_the_file(tmp_path: Path) -> None:
    path = tmp_path / "national.toml"
    path.write_text(
        'authority = "x"\nname = "X"\nversion = "1"\neffective_from = 2026-04-01\n'
        "[escalation]\nservice_manager_after_working_days = 1\n"
        '[rules.icpc]\namount = 20\nsource = "ours"\n'
    )
    done = _due("icpc", "2026-12-22", "--profile", str(path))
    assert done.returncode == 2
    [line] = _stderr_lines(done)
    assert line.startswith(f"due: procedure profile {path} is invalid:")
    assert "rule 'icpc' is national (statutory-rules.md §5) and cannot be overridden" in line


def test_help_says_a_bare_date_is_midday_in_england() -> None:
    done = _due("--help")
    assert done.returncode == 0
    assert "12:00 midday in Europe/London" in " ".join(done.stdout.split())
