"""What the family group conference asks of the case store, and what comes back (statutory-rules.md §7).

The workflow hands texts over (questions, bottom lines, the family's plan, the child's words) and keeps
only the row ids; it asks who a consenting person is and gets a code back, never a date of birth.
"""

from __future__ import annotations

from datetime import date, datetime

from safeguarding.codes import FgcConsentBasis
from safeguarding.commands.fgc import FgcParticipant
from safeguarding.models import Frozen, Id


class ConsentGiverRequest(Frozen):
    """Ask whether `person_id` may consent for the case's child on `on`."""

    case_id: Id
    person_id: Id
    on: date


class ConsentGiver(Frozen):
    """Whether the person may consent: parental responsibility, the young person aged 16–17, or neither."""

    person_id: str
    basis: FgcConsentBasis


class FgcReferralTexts(Frozen):
    """The referrer's questions for the family and the authority's bottom lines."""

    workflow_id: str
    case_id: Id
    referrer_id: Id
    questions: tuple[str, ...]
    bottom_lines: tuple[str, ...]


class FgcInvitation(Frozen):
    """The participants of invitation number `invitation` (the coordinator may revise the list)."""

    workflow_id: str
    case_id: Id
    invitation: int
    participants: tuple[FgcParticipant, ...]


class FgcPlanText(Frozen):
    """Version `version` of the family's plan."""

    workflow_id: str
    case_id: Id
    version: int
    text: str
    submitted_by: Id
    submitted_at: datetime


class FgcPlanDecision(Frozen):
    """The referrer's decision on a version of the plan; `reason` when it is not agreed."""

    workflow_id: str
    version: int
    agreed: bool
    decided_by: Id
    decided_at: datetime
    reason: str | None = None


class FgcChildVoice(Frozen):
    """The child's own words, heard at `heard_at`."""

    workflow_id: str
    case_id: Id
    entry_key: str
    words: str
    through_advocate: bool
    heard_at: datetime
    recorded_by: Id


class FgcStored(Frozen):
    """The id of the row written (or found, on a retry), or the number of rows for a list."""

    id: int
