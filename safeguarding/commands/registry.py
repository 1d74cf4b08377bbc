"""Which command model each decision takes: the one map from an Update's name to its pydantic model.

Keyed like `safeguarding.authority.DECISION_ROLES`, so every decision that has roles has a model; the
command line and the console validate a body against it before anything reaches a workflow.
"""

from __future__ import annotations

from safeguarding.commands import Decision
from safeguarding.commands.assessment import (
    Allocate,
    Authorise,
    RecordBackgroundReview,
    RecordChildSeen,
    RecordDebrief,
    RecordEmergencyAction,
    RecordFamilyTold,
    RecordPreMeet,
    RecordVisit,
    ReturnAssessment,
    SubmitAssessment,
)
from safeguarding.commands.front_door import DecideContact, DecideOutOfHours, OverrideConsent, RecordConsent

COMMANDS: dict[str, type[Decision]] = {
    # Front door (statutory-rules.md §2).
    "record_consent": RecordConsent,
    "override_consent": OverrideConsent,
    "decide_contact": DecideContact,
    "decide_out_of_hours": DecideOutOfHours,
    # Child and family assessment (§3).
    "allocate": Allocate,
    "record_child_seen": RecordChildSeen,
    "record_emergency_action": RecordEmergencyAction,
    "submit_assessment": SubmitAssessment,
    "return_assessment": ReturnAssessment,
    "authorise": Authorise,
    # Joint visit (§3).
    "record_family_told": RecordFamilyTold,
    "record_background_review": RecordBackgroundReview,
    "record_pre_meet": RecordPreMeet,
    "record_visit": RecordVisit,
    "record_debrief": RecordDebrief,
}
