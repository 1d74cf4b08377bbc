"""Commands of the strategy discussion and the section 47 enquiry it can start (statutory-rules.md §4)."""

from __future__ import annotations

from datetime import datetime

from pydantic import Field

from safeguarding.codes import Agency, EnquiryOutcome, StrategyOutcome, StrategyReason
from safeguarding.commands import Decision
from safeguarding.models import Actor, AwareDatetime, Frozen, Id, ProcessContext
from safeguarding.named_practitioners import PractitionerId


class StrategyDiscussionInput(Frozen):
    """Start a strategy discussion about one child. `concerns_at` starts the local time limit.

    Several discussions can be held on one case, so each has its own workflow id (`strategy_discussion_id`).
    """

    context: ProcessContext
    concerns_at: AwareDatetime
    reason: StrategyReason
    source_workflow_id: Id | None = None


def strategy_discussion_id(case_reference: str, concerns_at: datetime) -> str:
    """Return the workflow id of the discussion about `case_reference` started by concerns at `concerns_at`."""
    return f"strategy-discussion-{case_reference}-{concerns_at.strftime('%Y%m%dT%H%M%S')}"


class Participant(Frozen):
    """Someone taking part in a discussion, by agency; a practitioner of ours also by id."""

    agency: Agency
    practitioner_id: PractitionerId | None = None


class Dissent(Frozen):
    """A participant's recorded disagreement with the decision (statutory-rules.md §5: the chair records dissent)."""

    agency: Agency
    view: str = Field(min_length=1, max_length=2000)


class RecordDiscussion(Decision):
    """A discussion was held (effective_at is when), by telephone or as a meeting, with these participants."""

    telephone: bool = False
    participants: tuple[Participant, ...] = Field(min_length=1)


class DecideStrategy(Decision):
    """The chair's decision: section 47 enquiries or not, or immediate protection; and what the family is told."""

    outcome: StrategyOutcome
    tell_family: str = Field(min_length=1, max_length=2000)
    dissent: tuple[Dissent, ...] = ()


class RecordCirculated(Decision):
    """The record of the discussion has been circulated to the participants."""


class FurtherDiscussion(Frozen):
    """A later strategy discussion on the same case was held while the enquiry runs (its date is the 'last')."""

    held_at: AwareDatetime
    discussion_workflow_id: Id


class S47Input(Frozen):
    """Start a section 47 enquiry decided at a strategy discussion."""

    context: ProcessContext
    discussion_workflow_id: Id
    discussion_at: AwareDatetime
    started_at: AwareDatetime
    joint_with_police: bool
    decided_by: Actor | None = None
    """The chair who decided on the enquiry: who the enquiry's deferral of a joint visit is recorded as."""


class ConcludeEnquiry(Decision):
    """The team manager concludes the enquiry the social worker led (statutory-rules.md §4)."""

    outcome: EnquiryOutcome


def s47_enquiry_id(case_reference: str) -> str:
    """Return the workflow id of the case's first section 47 enquiry (one runs at a time on a case).

    A later enquiry of the case takes a suffixed id of its own (`store.process_ids`).
    """
    return f"s47-enquiry-{case_reference}"
