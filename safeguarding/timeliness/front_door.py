"""The front door's indicators (statutory-rules.md §2): referral decisions in time, and re-referrals."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from safeguarding.census.period import CensusYear
from safeguarding.codes import REFERRAL_OUTCOMES
from safeguarding.timeliness.counting import Band, BandCount, Indicator, count_bands, share, working_days_between
from safeguarding.timeliness.records import Contact
from safeguarding.working_days import WorkingCalendar, add_calendar_months, add_working_days, local_date

DECISION_BANDS = (
    Band("same day", 0, 0),
    Band("next working day", 1, 1),
    Band("2 to 3 working days", 2, 3),
    Band("4 or more working days", 4),
)


def referral_decisions(
    contacts: Sequence[Contact], year: CensusYear, as_of: date, calendar: WorkingCalendar
) -> Indicator:
    """Return the share of contacts decided within 1 working day of being received (§2, ours).

    Counted: contacts received in the year. One not yet decided counts as late once its working day has
    passed (`as_of`), and is left out while it is still within it.
    """
    counted = [c for c in contacts if year.holds(local_date(c.received_at))]
    days: list[int] = []
    late_undecided = waiting = 0
    for contact in counted:
        received = local_date(contact.received_at)
        if contact.decided_on is not None:
            days.append(working_days_between(received, contact.decided_on, calendar))
        elif as_of > add_working_days(received, 1, calendar):
            late_undecided += 1
        else:
            waiting += 1
    bands = [
        *count_bands(days, DECISION_BANDS),
        BandCount(label="not decided, past 1 working day", count=late_undecided),
        BandCount(label="not decided, still within 1 working day", count=waiting),
    ]
    numerator = sum(1 for d in days if d <= 1)
    denominator = len(days) + late_undecided
    return Indicator(
        key="referral_decisions_within_1_working_day",
        title="Contacts decided within 1 working day",
        convention="ours",
        definition=(
            "Contacts received in the year whose first decision (the manager's, or the EDT's out of hours) was "
            "made by the end of the next working day; one undecided after that counts as late."
        ),
        source="statutory-rules.md §2 (Working Together: decide within 1 working day of a referral)",
        differs="The DfE publishes no such indicator; the census records the referral date, not the decision.",
        numerator=numerator,
        denominator=denominator,
        share=share(numerator, denominator),
        bands=bands,
    )


def re_referrals(contacts: Sequence[Contact], year: CensusYear, team_id: str | None) -> Indicator:
    """Return the share of referrals in the year made within 12 months of a previous referral of the child (DfE).

    `contacts` include the year before, so a previous referral there is seen; it counts whichever team took it,
    as the DfE counts the authority's referrals. `team_id` chooses whose referrals in the year are counted.
    """
    referrals = sorted((c for c in contacts if c.outcome in REFERRAL_OUTCOMES), key=lambda c: c.received_at)
    last_referred: dict[str, date] = {}
    repeated = first = 0
    for referral in referrals:
        received = local_date(referral.received_at)
        earlier = last_referred.get(referral.child_id)
        last_referred[referral.child_id] = received
        if not year.holds(received) or (team_id is not None and referral.team_id != team_id):
            continue
        if earlier is not None and earlier >= add_calendar_months(received, -12):
            repeated += 1
        else:
            first += 1
    return Indicator(
        key="re_referrals_within_12_months",
        title="Re-referrals within 12 months of a previous referral",
        convention="dfe",
        definition=(
            "Referrals received in the year for a child referred before within the 12 months up to this referral "
            "(calendar months; a previous referral that day counts when it came earlier)."
        ),
        source=(
            "DfE, Children in need statistics (explore-education-statistics.service.gov.uk), referrals and "
            "re-referrals within 12 months; statutory-rules.md §9"
        ),
        differs=(
            "A referral here is a contact the front door sent to social care (assessment, strategy discussion or "
            "immediate protection); the census also counts referrals closed with no further action (ReferralNFA), "
            "which our front door records as contacts decided nfa_advice or early_help."
        ),
        numerator=repeated,
        denominator=repeated + first,
        share=share(repeated, repeated + first),
        bands=[
            BandCount(label="no referral in the previous 12 months", count=first),
            BandCount(label="re-referral within 12 months", count=repeated),
        ],
    )
