"""Drive a simulated caseload through the real workflows and activities on a time-skipping server.

The caseload (`safeguarding.simulation.caseload`) is a list of referrals, each with the moments its
decisions are taken. The runner merges every referral's steps into one timeline and walks it: it moves the
server's clock to each moment (timers fire on the way: reminders, overdue alerts), then acts as the
practitioner through the application layer, as the demo does (`starter.demo_walkthrough`): the social
worker registers the child and records the contact, the team manager decides and allocates, the social
worker records the child seen and submits, the team manager authorises (with reasons for the delay once
the 45 working days have passed, statutory-rules.md §3). Steps after the period's end are not taken: the
processes stay open, as the census date finds them. What is driven: the front door and the child and
family assessment. An assessment that ends in a strategy discussion starts one, which waits undriven.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TextIO

from safeguarding.codes import AssessmentFactor, AssessmentOutcome, ConsentState, Ethnicity, PrimaryNeed, Role
from safeguarding.commands.assessment import assessment_id
from safeguarding.service.case_models import ChildRegistration, NewChild
from safeguarding.service.contacts import NewChildContactRequest, record_contact_about_new_child
from safeguarding.simulation.caseload import Referral, Step
from starter.demo_walkthrough import REFERRER_EMAIL, Walkthrough

SW, TM = Role.SOCIAL_WORKER, Role.TEAM_MANAGER
RATIONALE = {
    Step.DECIDE: "Simulated referral decision",
    Step.AUTHORISE: "Simulated authorisation of the assessment",
}
DELAY_REASONS = "Simulated: the assessment took longer than 45 working days"
FINDINGS: dict[AssessmentOutcome, tuple[PrimaryNeed, tuple[AssessmentFactor, ...]]] = {
    AssessmentOutcome.NFA: (PrimaryNeed.NOT_IN_NEED, (AssessmentFactor.NO_FACTORS_IDENTIFIED,)),
    AssessmentOutcome.FAMILY_SUPPORT_PLAN: (
        PrimaryNeed.FAMILY_IN_ACUTE_STRESS,
        (AssessmentFactor.MENTAL_HEALTH_PARENT,),
    ),
    AssessmentOutcome.CIN_PLAN: (PrimaryNeed.FAMILY_DYSFUNCTION, (AssessmentFactor.DOMESTIC_ABUSE_PARENT,)),
    AssessmentOutcome.STRATEGY_DISCUSSION: (PrimaryNeed.ABUSE_OR_NEGLECT, (AssessmentFactor.NEGLECT,)),
}
"""The primary need and factors a simulated authorisation records, by outcome (census, statutory-rules.md §9)."""


@dataclass
class Tally:
    """What the runner did, to compare with what the model drew."""

    contacts: int = 0
    decided: dict[str, int] = field(default_factory=dict)
    allocated: int = 0
    seen: int = 0
    submitted: int = 0
    authorised: dict[str, int] = field(default_factory=dict)
    late_authorised: int = 0
    not_reached: int = 0
    """Steps that fell after the period's end."""


class Progress:
    """A one-line progress bar on stderr: steps taken of steps in the period, and the simulated day."""

    def __init__(self, total: int, out: TextIO = sys.stderr, width: int = 30) -> None:
        self.total, self.out, self.width, self.done = total, out, width, 0

    def step(self, moment: datetime) -> None:
        """Count one step taken at `moment` and redraw the bar."""
        self.done += 1
        filled = self.width * self.done // max(self.total, 1)
        bar = "#" * filled + "." * (self.width - filled)
        self.out.write(f"\rsimulating [{bar}] {self.done}/{self.total} steps, {moment:%Y-%m-%d}")
        self.out.flush()

    def end(self) -> None:
        """Finish the bar's line."""
        self.out.write("\n")
        self.out.flush()


async def drive(
    walk: Walkthrough, referrals: list[Referral], until: datetime, on_step: Callable[[datetime], None]
) -> Tally:
    """Take every referral's steps up to `until`, in time order, and return what was done."""
    timeline = sorted(
        (
            (moment, referral.index, order, step)
            for referral in referrals
            for order, (moment, step) in enumerate(((referral.received_at, None), *referral.steps))
        ),
        key=lambda entry: entry[:3],
    )
    by_index = {referral.index: referral for referral in referrals}
    front_doors: dict[int, str] = {}
    cases: dict[int, str] = {}
    tally = Tally()
    for moment, index, _, step in timeline:
        if moment > until:
            tally.not_reached += 1
            continue
        await walk.at(moment)
        referral = by_index[index]
        if step is None:
            recorded = await walk.act(SW, record_contact_about_new_child, _contact(referral))
            front_doors[index], cases[index] = recorded.workflow_id, recorded.case_reference
            tally.contacts += 1
        else:
            await _take(walk, referral, step, front_doors[index], assessment_id(cases[index]), tally)
        on_step(moment)
    return tally


def steps_within(referrals: list[Referral], until: datetime) -> int:
    """Return how many steps (each contact and each decision) fall in the period."""
    return sum(1 + sum(moment <= until for moment, _ in r.steps) for r in referrals if r.received_at <= until)


async def _take(
    walk: Walkthrough, referral: Referral, step: Step, front_door: str, assessment: str, tally: Tally
) -> None:
    """Make the decision `step` on the referral's process once it awaits it."""
    if step is Step.CONSENT:
        await walk.decide(SW, front_door, step, consent=ConsentState.GIVEN)
    elif step is Step.DECIDE:
        await walk.decide(TM, front_door, step, outcome=referral.front_door, rationale=RATIONALE[step])
        tally.decided[referral.front_door] = tally.decided.get(referral.front_door, 0) + 1
    elif step is Step.ALLOCATE:
        await walk.running(assessment)
        await walk.decide(TM, assessment, step, social_worker_id=walk.ids.social_worker_id)
        tally.allocated += 1
    elif step is Step.CHILD_SEEN:
        await walk.decide(SW, assessment, step)
        tally.seen += 1
    elif step is Step.SUBMIT:
        await walk.decide(SW, assessment, step, recommended_outcome=referral.assessment)
        tally.submitted += 1
    else:
        outcome = referral.assessment or AssessmentOutcome.NFA
        deadline = next(d for d in (await walk.status(assessment)).deadlines if d.rule_id == "assessment")
        late = await walk.now() >= deadline.passes_at
        reasons = DELAY_REASONS if late else None
        # No joint visit for a child of five or more (§3): health has no lead to consent to; the plan stays with us.
        consent = False if outcome is AssessmentOutcome.FAMILY_SUPPORT_PLAN else None
        need, factors = FINDINGS[outcome]
        await walk.decide(
            TM,
            assessment,
            step,
            outcome=outcome,
            primary_need=need,
            factors=factors,
            rationale=RATIONALE[step],
            reasons_for_delay=reasons,
            family_consents_to_health_lead=consent,
        )
        tally.authorised[outcome] = tally.authorised.get(outcome, 0) + 1
        tally.late_authorised += late


def _contact(referral: Referral) -> NewChildContactRequest:
    """The contact about a new, fictional child: no real person's data (names are made from the index)."""
    child = NewChild(
        given_name="Simulated",
        family_name=f"Child {_letters(referral.index)}",
        date_of_birth=referral.date_of_birth,
        sex=referral.sex,
        ethnicity=Ethnicity.NOT_YET_OBTAINED,
        address=f"{referral.index} Fictional Road",
    )
    return NewChildContactRequest(
        received_at=referral.received_at,
        source=str(referral.source),
        summary="Simulated referral.",
        referral_source=referral.source,
        referrer_email=REFERRER_EMAIL,  # a fictional address: the front door acknowledges and tells the outcome
        registration=ChildRegistration(child=child),
    )


def _letters(index: int) -> str:
    """Return `index` in letters (1 -> A, 27 -> AA): a name may not hold digits."""
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters
