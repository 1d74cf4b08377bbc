"""When the initial child protection conference falls due (rule `icpc`; statutory-rules.md §5, §9).

Within 15 working days of a date the reference leaves disputed: the strategy discussion that started the
section 47 enquiry (WT2018, most manuals), the last discussion, or the enquiry's start (as DfE statistics
count). The procedure profile chooses; all three dates are recorded. The enquiry shows the target from its
start and the conference counts its deadline from the same date, so both show one date (the census's
ICPC target date).
"""

from __future__ import annotations

from datetime import datetime

from safeguarding.deadlines import Due, compute_due
from safeguarding.procedure_profile import IcpcAnchor, ProcedureProfile
from safeguarding.working_days import WorkingCalendar

ANCHOR_LABEL = {
    IcpcAnchor.FIRST_STRATEGY_DISCUSSION: "the strategy discussion that started the section 47 enquiry",
    IcpcAnchor.LAST_STRATEGY_DISCUSSION: "the last strategy discussion",
    IcpcAnchor.S47_START: "the start of the section 47 enquiry",
}


def icpc_anchor(
    profile: ProcedureProfile, *, first_discussion_at: datetime, last_discussion_at: datetime, s47_started_at: datetime
) -> tuple[datetime, str]:
    """Return the moment the 15 working days count from under `profile`, and how the basis names it."""
    anchor = profile.icpc_anchor
    at = {
        IcpcAnchor.FIRST_STRATEGY_DISCUSSION: first_discussion_at,
        IcpcAnchor.LAST_STRATEGY_DISCUSSION: last_discussion_at,
        IcpcAnchor.S47_START: s47_started_at,
    }[anchor]
    return at, ANCHOR_LABEL[anchor]


def icpc_target(
    profile: ProcedureProfile,
    calendar: WorkingCalendar,
    *,
    first_discussion_at: datetime,
    last_discussion_at: datetime,
    s47_started_at: datetime,
) -> Due:
    """Return when the initial conference is due if the enquiry finds continuing risk of significant harm."""
    at, label = icpc_anchor(
        profile,
        first_discussion_at=first_discussion_at,
        last_discussion_at=last_discussion_at,
        s47_started_at=s47_started_at,
    )
    return compute_due(profile, "icpc", at, calendar, trigger_label=label)
