"""How the simulated practitioners act: a small model whose parameters are the command line's options.

Each delay is drawn from an exponential distribution with the given mean (most decisions are quick, a few
take much longer), in working days (bank holidays and weekends skipped, statutory-rules.md §1) unless
said otherwise, and every act happens in office hours. These are assumptions for a what-if, not measured
behaviour: a head of service sets them to what their teams do.

Capacity: the managers' delays (the front-door decision, allocation, authorisation) are those of a team
with `REFERENCE_MANAGERS` managers; with fewer, the same decisions are shared among fewer people, so each
mean grows in proportion (`managers` 2 doubles them), and with more it shrinks. A queueing model would be
truer; this one is enough to compare two runs.
"""

from __future__ import annotations

from dataclasses import dataclass

REFERENCE_MANAGERS = 4
"""The managers the default delays assume (ours: a front door and assessment service of four teams)."""


@dataclass(frozen=True)
class Behaviour:
    """The people's behaviour: how long each step takes, and how often a visit slips."""

    decision_hours: float = 4.0
    """Mean working hours from a referral's arrival to the manager's front-door decision (9:00-17:00 days)."""
    allocation_days: float = 1.0
    """Mean working days from the decision to assess to the manager allocating a social worker."""
    visit_days: float = 3.0
    """Mean working days from allocation to the child being seen, when the visit does not slip."""
    visit_slip: float = 0.2
    """Share of first visits that slip (no access, rearranged)."""
    slip_days: float = 5.0
    """Mean working days a slipped visit adds."""
    write_up_days: float = 15.0
    """Mean working days from the child seen to the social worker submitting the assessment."""
    authorise_days: float = 3.0
    """Mean working days from submission to the manager authorising."""
    discussion_days: float = 1.0
    """Mean working days from an assessment ending in a strategy discussion to the discussion being held."""
    enquiry_days: float = 6.0
    """Mean working days from the strategy discussion to the section 47 enquiry being concluded."""
    managers: float = REFERENCE_MANAGERS
    """How many managers decide (capacity): fewer lengthen every manager's delay in proportion."""
    health_knows_family: float = 0.5
    """Share of joint visits (a child under five or unborn) where the health practitioner knows the family and
    so leads the visit (§3); otherwise the social worker leads."""
    lado_allegations: float = 0.0
    """Allegations notified to the LADO a year (§6). No national statistic exists (LADO work is outside the
    children in need census): supply your authority's figure, from its LADO annual report. Default 0: none."""
    lado_outcome_days: float = 15.0
    """Mean working days from the LADO's notification to the outcome recorded (at least one: the allegation
    management meeting comes first)."""
    fgc_share: float = 0.0
    """Share of assessments finding a child in need (a Child in Need or Family Support Plan) whose family is
    referred to a family group conference (§7). No national statistic exists (the census counts family group
    decision-making only from 2026/27, before proceedings): supply your authority's figure from its own
    service data. Default 0: none."""
    fgc_days: float = 10.0
    """Mean working days the conference is held after the coordinator's ten working days of preparation."""

    def __post_init__(self) -> None:
        for name, value in vars(self).items():
            if value < 0:
                raise ValueError(f"{name} is not negative")
        if self.managers <= 0:
            raise ValueError("managers is more than 0")
        for share in ("visit_slip", "health_knows_family", "fgc_share"):
            if getattr(self, share) > 1:
                raise ValueError(f"{share} is a share between 0 and 1")

    def manager_days(self, mean: float) -> float:
        """Return a manager's mean delay `mean` (set for `REFERENCE_MANAGERS`) for this many managers."""
        return mean * REFERENCE_MANAGERS / self.managers
