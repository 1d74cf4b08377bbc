"""The rules table (statutory-rules.md §2–§7): ids, clocks and citations that processes depend on."""

from __future__ import annotations

import re

import pytest

from safeguarding.codes import ClockKind
from safeguarding.rules import RULES, Direction, Rule, UnknownRule, national_rule


@pytest.mark.parametrize(
    ("rule_id", "clock", "amount", "section"),
    [
        ("referral_decision", ClockKind.WORKING_DAYS, 1, "§2"),
        ("assessment", ClockKind.WORKING_DAYS, 45, "§3"),
        ("icpc", ClockKind.WORKING_DAYS, 15, "§5"),
        ("core_group", ClockKind.WORKING_DAYS, 10, "§5"),
        ("first_review", ClockKind.CALENDAR_MONTHS, 3, "§5"),
        ("later_review", ClockKind.CALENDAR_MONTHS, 6, "§5"),
        ("lado_notification", ClockKind.WORKING_DAYS, 1, "§6"),
    ],
)
def test_the_national_timescales_the_processes_use_are_in_the_table(
    rule_id: str, clock: ClockKind, amount: int, section: str
) -> None:
    rule = national_rule(rule_id)
    assert (rule.clock, rule.amount, rule.direction) == (clock, amount, Direction.AFTER)
    assert rule.citation == f"statutory-rules.md {section}"


@pytest.mark.parametrize("rule_id", ["assessment", "icpc", "core_group", "first_review", "later_review"])
def test_statutory_timescales_cannot_be_varied_locally(rule_id: str) -> None:
    assert not national_rule(rule_id).local


@pytest.mark.parametrize("rule", RULES.values(), ids=list(RULES))
def test_every_rule_cites_its_section_of_the_statutory_rules(rule: Rule) -> None:
    # The one exception is the product's own service requirement, which says so (never presented as statutory).
    assert re.fullmatch(
        r"statutory-rules\.md §[1-9]|service requirement \(.+, not a statutory timescale\)", rule.citation
    )
    assert RULES[rule.id] is rule


@pytest.mark.parametrize("rule", RULES.values(), ids=list(RULES))
def test_only_local_rules_may_leave_their_amount_to_the_profile(rule: Rule) -> None:
    assert rule.local or rule.amount is not None
    assert rule.amount is None or rule.amount >= 1


def test_reports_to_parents_are_counted_back_from_the_conference() -> None:
    before = {rule.id for rule in RULES.values() if rule.direction is Direction.BEFORE}
    assert before == {"icpc_reports_to_parents", "review_reports_to_parents"}


def test_an_unknown_rule_is_refused_with_the_known_ones_listed() -> None:
    with pytest.raises(UnknownRule) as caught:
        national_rule("icpcc")
    assert str(caught.value).startswith("unknown rule 'icpcc'; known rules: assessment, ")
    assert "icpc," in str(caught.value)
