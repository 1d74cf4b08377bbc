"""LADO allegations resolved in time (statutory-rules.md §6) and family group conferences (§7): ours, no DfE's."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from safeguarding.census.period import CensusYear
from safeguarding.timeliness.counting import Band, BandCount, Indicator, count_bands, share
from safeguarding.timeliness.records import Allegation, FamilyGroupConference
from safeguarding.working_days import WorkingCalendar, months_due

KCSIE = "statutory-rules.md §6 (Keeping Children Safe in Education, older editions: 80% in 1 month, 90% in 3)"
NO_DFE = "The DfE publishes no national indicator for this; the target is a profile default, not a statutory limit."


def allegations_resolved(
    allegations: Sequence[Allegation], year: CensusYear, calendar: WorkingCalendar
) -> list[Indicator]:
    """Return the allegations resolved in the year within 1 month and within 3 months of the notification.

    A month period ends on the same day-of-month (clamped to the month's end), moved back to the working
    day before when it falls on a non-working day (§1), as the LADO's own deadlines count it.
    """
    resolved = [a for a in allegations if year.holds(a.resolved_on)]
    bands = _bands(resolved, calendar)
    return [_within(resolved, months, calendar, bands) for months in (1, 3)]


@dataclass(frozen=True)
class FgcLimit:
    """The profile's limit on a family group conference (`fgc_whole_process`): its words, and its due date."""

    label: str
    due: Callable[[date, WorkingCalendar], date]


def fgc_referral_to_conference(
    fgcs: Sequence[FamilyGroupConference], year: CensusYear, limit: FgcLimit, calendar: WorkingCalendar
) -> Indicator:
    """Return the family group conferences held in the year by the profile's limit from their referral (§7, ours).

    The limit is the profile's `fgc_whole_process` (56 calendar days in the example profile), counted on its
    own clock: the whole process, so a conference held after it cannot have kept to it.
    """
    held = [f for f in fgcs if year.holds(f.conference_on)]
    numerator = sum(1 for f in held if f.conference_on <= limit.due(f.referred_on, calendar))
    days = [(f.conference_on - f.referred_on).days for f in held]
    return Indicator(
        key="fgc_referral_to_conference",
        title="Family group conferences held within the whole-process limit of the referral",
        convention="ours",
        definition=(
            "Family group conferences whose meeting began in the year, in time when the meeting began within "
            f"{limit.label} of the social worker's referral; the bands are calendar days."
        ),
        source="statutory-rules.md §7 (local timescales: preparation about 30 days, the whole process 4-8 weeks)",
        differs=NO_DFE,
        numerator=numerator,
        denominator=len(held),
        share=share(numerator, len(held)),
        bands=count_bands(
            days, (Band("within 4 weeks", 0, 28), Band("4 to 8 weeks", 29, 56), Band("over 8 weeks", 57))
        ),
    )


def _within(
    resolved: Sequence[Allegation], months: int, calendar: WorkingCalendar, bands: list[BandCount]
) -> Indicator:
    numerator = sum(1 for a in resolved if a.resolved_on <= months_due(a.notified_on, months, calendar))
    span = "1 month" if months == 1 else f"{months} months"
    return Indicator(
        key=f"lado_resolved_within_{months}_month{'s' if months > 1 else ''}",
        title=f"LADO allegations resolved within {span}",
        convention="ours",
        definition=(
            f"Allegations whose outcome was recorded in the year, resolved within {span} of the LADO's "
            "notification (open allegations are in the LADO's report)."
        ),
        source=KCSIE,
        differs=NO_DFE,
        numerator=numerator,
        denominator=len(resolved),
        share=share(numerator, len(resolved)),
        bands=bands,
    )


def _bands(resolved: Sequence[Allegation], calendar: WorkingCalendar) -> list[BandCount]:
    limits = [
        ("within 1 week", lambda a: a.notified_on + timedelta(days=7)),
        ("over 1 week, within 1 month", lambda a: months_due(a.notified_on, 1, calendar)),
        ("over 1 month, within 3 months", lambda a: months_due(a.notified_on, 3, calendar)),
        ("over 3 months, within 12 months", lambda a: months_due(a.notified_on, 12, calendar)),
    ]
    counts = [0] * (len(limits) + 1)
    for allegation in resolved:
        index = next((i for i, (_, end) in enumerate(limits) if allegation.resolved_on <= end(allegation)), len(limits))
        counts[index] += 1
    labels = [label for label, _ in limits] + ["over 12 months"]
    return [BandCount(label=label, count=count) for label, count in zip(labels, counts, strict=True)]
