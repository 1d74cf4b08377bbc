"""The professional disagreement procedure of a profile: stages, deciders and time limits (statutory-rules.md §8)."""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path

import pytest

from safeguarding.bank_holidays import england_and_wales_calendar
from safeguarding.codes import ClockKind, DisagreementStage, Role
from safeguarding.deadlines import compute_due
from safeguarding.procedure_profile import ProfileError, load_profile
from safeguarding.rules import national_rule
from safeguarding.working_days import LONDON

PROFILES = Path(__file__).resolve().parents[2] / "profiles"
STAGES = list(DisagreementStage)

MINIMAL = """\
authority = "testshire"
name = "Testshire County Council"
version = "1"
effective_from = 2026-04-01

[escalation]
service_manager_after_working_days = 2

[disagreement]
partnership = "testshire-partnership"
immediate_risk_starts_at = "team_managers"
source = "Testshire escalation policy 2026"

[[disagreement.stages]]
id = "practitioners"
deciders = ["social_worker", "health_visitor"]

[[disagreement.stages]]
id = "team_managers"
deciders = ["team_manager"]

[rules.disagreement_stage_practitioners]
clock = "working_days"
amount = 5
source = "Testshire escalation policy 2026"
"""
TEAM_MANAGERS_LIMIT = """
[rules.disagreement_stage_team_managers]
clock = "working_days"
amount = 3
source = "Testshire escalation policy 2026"
"""


def _load(tmp_path: Path, text: str):
    path = tmp_path / "authority.toml"
    path.write_text(text)
    return load_profile(path)


@pytest.mark.parametrize("file_name", ["example.toml", "example-24-hour-clocks.toml"])
def test_each_shipped_profile_runs_the_four_typical_stages_each_with_a_time_limit_and_its_source(
    file_name: str,
) -> None:
    profile = load_profile(PROFILES / file_name)
    procedure = profile.disagreement
    assert procedure is not None
    assert [stage.id for stage in procedure.stages] == STAGES
    assert procedure.immediate_risk_starts_at is not DisagreementStage.PRACTITIONERS
    assert "local choice" in procedure.source
    for stage in procedure.stages[1:]:
        rule = profile.rule(stage.rule_id)
        assert rule.amount is not None
        assert "the example authority's own local choice" in rule.citation, stage.id


def test_the_example_practitioner_stage_is_one_working_week_as_in_london_and_birmingham() -> None:
    profile = load_profile(PROFILES / "example.toml")
    rule = profile.rule("disagreement_stage_practitioners")
    assert (rule.clock, rule.amount) == (ClockKind.WORKING_DAYS, 5)
    assert rule.citation.startswith("statutory-rules.md §8; local: within one working week")
    assert "London, Birmingham" in rule.citation
    assert profile.disagreement is not None
    assert profile.disagreement.stage(DisagreementStage.PARTNERSHIP).deciders == (
        Role.PARTNERSHIP_CHAIR,
        Role.DESIGNATED_PROFESSIONAL,
    )


def test_the_24_hour_profile_counts_the_practitioner_stage_in_wall_clock_hours() -> None:
    profile = load_profile(PROFILES / "example-24-hour-clocks.toml")
    calendar = england_and_wales_calendar(today=date(2026, 11, 25))
    friday = datetime(2026, 11, 27, 16, 0, tzinfo=LONDON)
    due = compute_due(profile, "disagreement_stage_practitioners", friday, calendar, trigger_label="the disagreement")
    assert due.due_at == datetime(2026, 11, 28, 16, 0, tzinfo=LONDON)
    assert due.basis.startswith("24 hours after the disagreement at ")


def test_no_stage_has_a_national_time_limit() -> None:
    for stage in STAGES:
        rule = national_rule(f"disagreement_stage_{stage}")
        assert (rule.amount, rule.local, rule.citation) == (None, True, "statutory-rules.md §8")


def test_a_procedure_whose_stages_have_their_limits_loads_and_answers_the_next_stage(tmp_path: Path) -> None:
    procedure = _load(tmp_path, MINIMAL + TEAM_MANAGERS_LIMIT).disagreement
    assert procedure is not None
    following = procedure.after(DisagreementStage.PRACTITIONERS)
    assert following is not None and following.id is DisagreementStage.TEAM_MANAGERS
    assert procedure.after(DisagreementStage.TEAM_MANAGERS) is None


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            ("", ""),
            "disagreement stage 'team_managers' needs its time limit: set [rules.disagreement_stage_team_managers]",
        ),
        (('immediate_risk_starts_at = "team_managers"', 'immediate_risk_starts_at = "practitioners"'), "higher stages"),
        (('id = "team_managers"', 'id = "practitioners"'), "each appear once, lowest first"),
        (('deciders = ["team_manager"]', 'deciders = ["business_support"]'), "business_support may not decide"),
        (('deciders = ["team_manager"]', "deciders = []"), "at least 1 item"),
    ],
)
def test_a_procedure_that_cannot_run_is_refused_with_the_reason(
    tmp_path: Path, change: tuple[str, str], message: str
) -> None:
    text = MINIMAL.replace(*change) + ("" if change == ("", "") else TEAM_MANAGERS_LIMIT)
    with pytest.raises(ProfileError, match=re.escape(message)):
        _load(tmp_path, text)


def test_a_profile_without_a_procedure_still_loads(tmp_path: Path) -> None:
    text = MINIMAL.split("[disagreement]")[0]
    assert _load(tmp_path, text).disagreement is None
