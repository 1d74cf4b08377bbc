"""The state every process carries: its deadlines and record, in a form that survives continue-as-new.

Deadlines are kept as absolute due dates with the trigger they were counted from, so a process that
continues-as-new, or takes a newer calendar, keeps counting from the same event (statutory-rules.md §1).
"""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from safeguarding.codes import DeadlineState
from safeguarding.deadlines import Due
from safeguarding.models import ChronologyEntry, DeadlineView, DecisionRecord, Dispute, HandOff
from safeguarding.working_days import WorkingCalendar


class TrackedDeadline(BaseModel):
    """A deadline a process is watching: the computed due date and where it stands."""

    key: str
    due: Due
    trigger_label: str
    state: DeadlineState = DeadlineState.PENDING
    met_on: datetime | None = None
    reasons: str | None = None
    responsible_id: str | None = None
    set_at: datetime | None = None
    """When the process began watching it: if it had passed by then, its overdue alert waits a working hour."""

    def view(self) -> DeadlineView:
        """Return the deadline as `status` and the case store show it."""
        return DeadlineView(
            key=self.key,
            rule_id=self.due.rule_id,
            title=self.due.title,
            due_date=self.due.due_date,
            due_at=self.due.due_at,
            passes_at=self.due.passes_at,
            basis=self.due.basis,
            citation=self.due.citation,
            state=self.state,
            met_on=self.met_on.date() if self.met_on else None,
            reasons=self.reasons,
            responsible_id=self.responsible_id,
        )


class ProcessCore(BaseModel):
    """The state every process keeps; carried whole through continue-as-new."""

    stage: str
    started_at: datetime
    calendar: WorkingCalendar
    deadlines: dict[str, TrackedDeadline] = Field(default_factory=dict)
    decisions: list[DecisionRecord] = Field(default_factory=list)
    alarms_sent: list[str] = Field(default_factory=list)
    hand_offs: list[HandOff] = Field(default_factory=list)
    disputes: list[Dispute] = Field(default_factory=list)
    facts: dict[str, str] = Field(default_factory=dict)
    responsible_id: str | None = None
    outcome: str | None = None
    closed_at: datetime | None = None
    chronology_seq: int = 0
    unrecorded_chronology: list[ChronologyEntry] = Field(default_factory=list)
    unrecorded_decisions: list[DecisionRecord] = Field(default_factory=list)
    store_refused: bool = False
    """The case store refused the last write (bad data): the team manager has been told, once."""
