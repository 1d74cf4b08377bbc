"""THE rules table: every statutory or local timescale, by a stable rule id.

Each rule cites its section of `reference/statutory-rules.md`. National rules (N) are fixed; a rule marked
`local` (L) may be set or overridden by the authority's procedure profile (`procedure_profile.py`). A local
rule for which the reference gives no single national value has no default here (`amount is None`): the
profile must define it, and asking for it without one is an error rather than an invented timescale.

Rule ids are permanent: they are stored in the case store and in workflow histories.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from safeguarding.codes import ClockKind


class Direction(StrEnum):
    """Whether a period runs after its trigger or ends at an anchor (reports before a conference)."""

    AFTER = "after"
    BEFORE = "before"


@dataclass(frozen=True)
class Rule:
    """One timescale: `amount` units of `clock`, after (or before) `trigger`."""

    id: str
    title: str
    clock: ClockKind
    amount: int | None
    trigger: str
    citation: str
    local: bool = False
    direction: Direction = Direction.AFTER


_WD, _H, _M, _D = (
    ClockKind.WORKING_DAYS,
    ClockKind.HOURS,
    ClockKind.CALENDAR_MONTHS,
    ClockKind.CALENDAR_DAYS,
)

RULES: dict[str, Rule] = {
    rule.id: rule
    for rule in (
        # §2 Front door. Some authorities screen contacts on a 24-hour clock: the profile may say so.
        Rule(
            "referral_decision",
            "Decide the response to a referral and acknowledge the referrer",
            _WD,
            1,
            "the referral",
            "statutory-rules.md §2",
            local=True,
        ),
        # §3 Child and family assessment: from the referral, not from allocation.
        Rule(
            "assessment",
            "Conclude the child and family assessment (manager authorisation)",
            _WD,
            45,
            "the referral",
            "statutory-rules.md §3",
        ),
        # §4 Strategy discussion: "as soon as possible" nationally; the limit is local only.
        Rule(
            "strategy_discussion",
            "Hold the strategy discussion",
            _H,
            None,
            "the concerns",
            "statutory-rules.md §4",
            local=True,
        ),
        Rule(
            "strategy_record_circulation",
            "Circulate the strategy discussion record",
            _WD,
            1,
            "the strategy discussion",
            "statutory-rules.md §4",
            local=True,
        ),
        # §5 Conferences and the plan.
        Rule(
            "icpc",
            "Hold the initial child protection conference",
            _WD,
            15,
            "the strategy discussion",
            "statutory-rules.md §5",
        ),
        Rule(
            "icpc_reports_to_parents",
            "Share reports with parents before the initial conference",
            _WD,
            3,
            "the initial conference",
            "statutory-rules.md §5",
            local=True,
            direction=Direction.BEFORE,
        ),
        Rule(
            "review_reports_to_parents",
            "Share reports with parents before a review conference",
            _WD,
            5,
            "the review conference",
            "statutory-rules.md §5",
            local=True,
            direction=Direction.BEFORE,
        ),
        Rule(
            "core_group",
            "Hold the first core group meeting",
            _WD,
            10,
            "the initial conference",
            "statutory-rules.md §5",
        ),
        Rule(
            "core_group_interval",
            "Hold the next core group meeting",
            _WD,
            None,
            "the last core group meeting",
            "statutory-rules.md §5",
            local=True,
        ),
        Rule(
            "first_review", "Hold the first review conference", _M, 3, "the initial conference", "statutory-rules.md §5"
        ),
        Rule(
            "later_review",
            "Hold the next review conference",
            _M,
            6,
            "the last review conference",
            "statutory-rules.md §5",
        ),
        Rule(
            "prebirth_review_after_birth",
            "Hold the review conference of a pre-birth plan",
            _WD,
            20,
            "the birth",
            "statutory-rules.md §5",
            local=True,
        ),
        # Not a statutory timescale: statutory-rules.md gives none for a plan's length. Issue 3 requires
        # a plan that reaches two years to be flagged to the service manager, so the flag is a service
        # requirement of this service, cited to the issue, national (the same for every authority here)
        # and not overridable by a profile. It raises a flag, never a missed deadline.
        Rule(
            "cp_plan_two_years",
            "Flag a child protection plan that has lasted two years to the service manager",
            _M,
            24,
            "the initial conference",
            "service requirement (the product's own flag, not a statutory timescale)",
        ),
        # §6 LADO. Southampton uses 24 hours for notification: the profile may say so.
        Rule(
            "lado_notification",
            "Employer notifies the LADO of the allegation",
            _WD,
            1,
            "the allegation coming to the employer's attention",
            "statutory-rules.md §6",
            local=True,
        ),
        Rule(
            "lado_response",
            "LADO responds to the notification",
            _WD,
            1,
            "the notification",
            "statutory-rules.md §6",
            local=True,
        ),
        Rule(
            "lado_allegation_management_meeting",
            "Hold the allegation management meeting",
            _WD,
            5,
            "the initial consideration",
            "statutory-rules.md §6",
            local=True,
        ),
        Rule(
            "lado_review_meeting",
            "Hold the allegation management review meeting",
            _D,
            28,
            "the last allegation management meeting",
            "statutory-rules.md §6",
            local=True,
        ),
        Rule(
            "lado_resolution_1_month",
            "Resolve the allegation (target: 80% of cases)",
            _M,
            1,
            "the notification",
            "statutory-rules.md §6",
            local=True,
        ),
        Rule(
            "lado_resolution_3_months",
            "Resolve the allegation (target: 90% of cases)",
            _M,
            3,
            "the notification",
            "statutory-rules.md §6",
            local=True,
        ),
        Rule(
            "lado_resolution_12_months",
            "Resolve the allegation (all but exceptional cases)",
            _M,
            12,
            "the notification",
            "statutory-rules.md §6",
            local=True,
        ),
        Rule(
            "lado_resolution_unfounded",
            "Resolve a clearly unfounded or malicious allegation",
            _D,
            7,
            "the notification",
            "statutory-rules.md §6",
            local=True,
        ),
        # §7 Family group conference: all local.
        Rule(
            "fgc_acknowledgement",
            "Acknowledge the family group conference referral",
            _D,
            2,
            "the referral",
            "statutory-rules.md §7",
            local=True,
        ),
        Rule(
            "fgc_coordinator_contact",
            "Coordinator makes first contact with the family",
            _H,
            48,
            "allocation to the coordinator",
            "statutory-rules.md §7",
            local=True,
        ),
        Rule(
            "fgc_baseline_meeting",
            "Hold the baseline meeting",
            _WD,
            5,
            "allocation to the coordinator",
            "statutory-rules.md §7",
            local=True,
        ),
        Rule(
            "fgc_urgent_conference",
            "Hold an urgent family group conference",
            _H,
            24,
            "the referral",
            "statutory-rules.md §7",
            local=True,
        ),
        Rule(
            "fgc_preparation",
            "Complete the preparation for the conference",
            _D,
            30,
            "allocation to the coordinator",
            "statutory-rules.md §7",
            local=True,
        ),
        Rule(
            "fgc_whole_process",
            "Complete the family group conference process",
            _D,
            56,
            "the referral",
            "statutory-rules.md §7",
            local=True,
        ),
        # §7 says a review meeting follows the agreed plan but gives no interval: the profile must set it.
        Rule(
            "fgc_review_meeting",
            "Hold the family group conference review meeting",
            _M,
            None,
            "the plan agreed",
            "statutory-rules.md §7",
            local=True,
        ),
        # §8 Professional disagreement: each stage's time limit is a profile setting. The reference reports
        # "within one working week" (London, Birmingham) and "same working day" (Cheshire East) for the
        # practitioner stage and nothing for the others, so no stage has a national value.
        *(
            Rule(
                f"disagreement_stage_{stage}",
                f"Resolve the professional disagreement at the {title} stage (or it escalates)",
                _WD,
                None,
                "the disagreement reaching this stage",
                "statutory-rules.md §8",
                local=True,
            )
            for stage, title in (
                ("practitioners", "practitioner"),
                ("team_managers", "team managers'"),
                ("service_managers", "service managers'"),
                ("partnership", "safeguarding partnership"),
            )
        ),
    )
}


class UnknownRule(KeyError):
    """A rule id that is neither national nor defined by the profile."""

    def __str__(self) -> str:
        return f"unknown rule {self.args[0]!r}; known rules: {', '.join(sorted(RULES))}"


def national_rule(rule_id: str) -> Rule:
    """Return the national definition of `rule_id` (before any profile override)."""
    try:
        return RULES[rule_id]
    except KeyError:
        raise UnknownRule(rule_id) from None
