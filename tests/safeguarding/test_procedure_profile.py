"""Procedure profiles: local practice as configuration laid over the national rules (statutory-rules.md)."""

from __future__ import annotations

import re
from datetime import date, datetime, time
from pathlib import Path

import pytest

from safeguarding.bank_holidays import england_and_wales_calendar
from safeguarding.codes import ClockKind
from safeguarding.deadlines import compute_due
from safeguarding.procedure_profile import IcpcAnchor, ProfileError, load_profile
from safeguarding.rules import RULES, Direction, UnknownRule
from safeguarding.working_days import LONDON

PROFILES = Path(__file__).resolve().parents[2] / "profiles"

MINIMAL = """\
authority = "testshire"
name = "Testshire County Council"
version = "1"
effective_from = 2026-04-01

[escalation]
service_manager_after_working_days = 2
"""


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "authority.toml"
    path.write_text(text)
    return path


@pytest.mark.parametrize("file_name", ["example.toml", "example-24-hour-clocks.toml"])
def test_each_shipped_profile_loads_and_records_a_ref_with_a_content_digest(file_name: str) -> None:
    profile = load_profile(PROFILES / file_name)
    assert re.fullmatch(r"[a-z0-9-]+@[^#]+#[0-9a-f]{12}", profile.ref)
    assert set(RULES) <= set(profile.rule_ids())


def test_the_example_profile_sets_the_office_hours_and_a_24_hour_strategy_discussion() -> None:
    profile = load_profile(PROFILES / "example.toml")
    assert (profile.office.opens, profile.office.closes) == (time(9, 0), time(17, 0))
    assert profile.icpc_anchor is IcpcAnchor.FIRST_STRATEGY_DISCUSSION
    assert profile.local_closures == {}
    rule = profile.rule("strategy_discussion")
    assert (rule.clock, rule.amount, rule.local) == (ClockKind.HOURS, 24, True)
    assert rule.citation.startswith("statutory-rules.md §4; local: within 24 hours of concerns")


def test_the_24_hour_profile_closes_christmas_eve_and_counts_from_the_s47_start() -> None:
    profile = load_profile(PROFILES / "example-24-hour-clocks.toml")
    assert profile.local_closures == {date(2026, 12, 24): "Christmas Eve office closure"}
    assert profile.icpc_anchor is IcpcAnchor.S47_START
    assert profile.rule("lado_notification").clock is ClockKind.HOURS


def test_the_digest_changes_when_the_file_changes(tmp_path: Path) -> None:
    first = load_profile(_write(tmp_path, MINIMAL)).ref
    second = load_profile(_write(tmp_path, MINIMAL + "\n# a comment\n")).ref
    assert first != second
    assert first.split("#")[0] == second.split("#")[0] == "testshire@1"


def test_overriding_a_national_rule_is_refused_with_the_rule_and_its_citation(tmp_path: Path) -> None:
    path = _write(tmp_path, MINIMAL + '[rules.icpc]\namount = 20\nsource = "our manual"\n')
    with pytest.raises(ProfileError) as caught:
        load_profile(path)
    message = str(caught.value)
    assert str(path) in message
    assert "rule 'icpc' is national (statutory-rules.md §5) and cannot be overridden" in message


def test_a_wholly_local_rule_must_say_its_clock_amount_title_and_trigger(tmp_path: Path) -> None:
    path = _write(tmp_path, MINIMAL + '[rules.home_visit]\namount = 5\nsource = "our manual"\n')
    with pytest.raises(ProfileError, match="local rule 'home_visit' must define clock, title, trigger"):
        load_profile(path)


def test_a_complete_wholly_local_rule_is_answered_like_a_national_one(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        MINIMAL
        + '[rules.home_visit]\nclock = "working_days"\namount = 5\ntitle = "Visit the child at home"\n'
        + 'trigger = "allocation"\nsource = "Testshire manual 4.2"\n',
    )
    profile = load_profile(path)
    assert "home_visit" in profile.rule_ids()
    rule = profile.rule("home_visit")
    assert (rule.clock, rule.amount, rule.local, rule.citation) == (
        ClockKind.WORKING_DAYS,
        5,
        True,
        "local: Testshire manual 4.2",
    )
    calendar = england_and_wales_calendar(today=date(2026, 1, 1))
    due = compute_due(profile, "home_visit", datetime(2026, 12, 22, 12, 0, tzinfo=LONDON), calendar)
    assert due.due_date == date(2026, 12, 31)  # 23, 24, 29, 30, 31 Dec
    assert due.basis == "5 working days after allocation on Tue 22 Dec 2026; 25, 28 Dec are bank holidays"


def test_overriding_a_local_rule_keeps_its_direction_and_cites_both_sources(tmp_path: Path) -> None:
    path = _write(tmp_path, MINIMAL + '[rules.icpc_reports_to_parents]\namount = 2\nsource = "our manual"\n')
    rule = load_profile(path).rule("icpc_reports_to_parents")
    assert (rule.amount, rule.clock, rule.direction) == (2, ClockKind.WORKING_DAYS, Direction.BEFORE)
    assert rule.citation == "statutory-rules.md §5; local: our manual"


@pytest.mark.parametrize(
    ("extra", "unknown"),
    [
        ('colour = "red"\n', "colour"),
        ('[rules.core_group_interval]\namout = 20\nsource = "our manual"\n', "amout"),
        ("[office]\nlunch = 12:00:00\n", "lunch"),
    ],
)
def test_unknown_keys_are_refused(tmp_path: Path, extra: str, unknown: str) -> None:
    text = extra + MINIMAL if not extra.startswith("[") else MINIMAL + extra
    with pytest.raises(ProfileError, match=unknown):
        load_profile(_write(tmp_path, text))


def test_a_rule_amount_below_one_is_refused(tmp_path: Path) -> None:
    path = _write(tmp_path, MINIMAL + '[rules.core_group_interval]\namount = 0\nsource = "our manual"\n')
    with pytest.raises(ProfileError, match="core_group_interval"):
        load_profile(path)


def test_malformed_toml_is_a_profile_error_naming_the_file(tmp_path: Path) -> None:
    path = _write(tmp_path, MINIMAL + "[rules.icpc\n")
    with pytest.raises(ProfileError, match=re.escape(f"procedure profile {path} is not valid TOML")):
        load_profile(path)


def test_a_missing_file_is_a_profile_error_naming_the_file(tmp_path: Path) -> None:
    path = tmp_path / "missing.toml"
    with pytest.raises(ProfileError, match=re.escape(f"procedure profile {path} does not exist")):
        load_profile(path)


def test_asking_for_a_rule_neither_national_nor_local_is_refused(tmp_path: Path) -> None:
    with pytest.raises(UnknownRule):
        load_profile(_write(tmp_path, MINIMAL)).rule("home_visit")


def test_reminders_follow_the_rules_clock_including_reports_due_before_a_conference() -> None:
    profile = load_profile(PROFILES / "example.toml")
    assert profile.reminder_offsets(profile.rule("icpc")) == (5, 1)
    assert profile.reminder_offsets(profile.rule("strategy_discussion")) == (4,)
    assert profile.reminder_offsets(profile.rule("icpc_reports_to_parents")) == (5, 1)


def test_text_a_letter_or_the_case_store_cannot_hold_is_refused_when_the_profile_loads(tmp_path: Path) -> None:
    path = _write(tmp_path, MINIMAL + '[rules.icpc_reports_to_parents]\namount = 2\nsource = "our\\u0000 manual"\n')
    with pytest.raises(ProfileError, match="control character U\\+0000 at position 4"):
        load_profile(path)


def test_a_reference_pattern_must_match_the_whole_reference(tmp_path: Path) -> None:
    with pytest.raises(ProfileError, match="must match the whole reference"):
        load_profile(_write(tmp_path, MINIMAL + '[references]\nallegation = "LADO-[0-9]+"\n'))


def test_the_example_authority_refuses_an_allegation_reference_that_is_not_its_code() -> None:
    references = load_profile(PROFILES / "example.toml").references
    assert references.check("allegation", "LADO-0002") == "LADO-0002"
    with pytest.raises(ValueError, match="references are codes, never names") as refused:
        references.check("allegation", "LADO-Bloggs")
    assert "Bloggs" not in str(refused.value)


def test_the_trays_amber_threshold_is_the_profiles_and_a_negative_one_is_refused(tmp_path: Path) -> None:
    assert load_profile(PROFILES / "example.toml").tray.amber_within_working_days == 2
    assert (
        load_profile(
            _write(tmp_path, MINIMAL + "[tray]\namber_within_working_days = 0\n")
        ).tray.amber_within_working_days
        == 0
    )
    with pytest.raises(ProfileError, match="amber_within_working_days"):
        load_profile(_write(tmp_path, MINIMAL + "[tray]\namber_within_working_days = -1\n"))


def test_case_references_are_numbered_after_the_highest_in_use() -> None:
    references = load_profile(PROFILES / "example.toml").references

    assert references.next_case(None) == "EX-0001"
    assert references.next_case("EX-0007") == "EX-0008"
    assert references.check("case", references.next_case("EX-0998")) == "EX-0999"
    with pytest.raises(ValueError, match="needs more digits"):
        references.next_case("EX-9999")


def test_without_a_case_pattern_cases_are_numbered_case_000001_onwards(tmp_path: Path) -> None:
    assert load_profile(_write(tmp_path, MINIMAL)).references.next_case(None) == "CASE-000001"


@pytest.mark.parametrize(
    ("pattern", "reason"),
    [
        ("^EX-[0-9]+$", "cannot be numbered"),
        ("^[A-Z]{2}-[0-9]{4}$", "cannot be numbered"),
        ("^ex-[0-9]{4}$", "cannot be numbered"),
        ("^EX-[0-9]{4}", "must match the whole reference"),
    ],
)
def test_a_case_reference_pattern_that_cannot_be_numbered_is_refused(tmp_path: Path, pattern: str, reason: str) -> None:
    with pytest.raises(ProfileError, match=reason):
        load_profile(_write(tmp_path, MINIMAL + f'[references]\ncase = "{pattern}"\n'))
