"""Pydantic models shared by every process: what crosses the Temporal boundary in common.

Inputs, status, decision records and the messages workflows send to activities. They carry ids and
codes only — never a name, address or date of birth: personal data lives in the case store, and a
workflow that needs a fact about a child (such as its age band) asks an activity for the code.
Process-specific commands live beside their workflow in `safeguarding/commands/`.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator

from safeguarding.codes import AgeBand, AlarmKind, DeadlineState, DisputeState, HandOffState, Process, Role
from safeguarding.facts import ProcessFacts
from safeguarding.procedure_profile import ProcedureProfile
from safeguarding.text import check_clear
from safeguarding.working_days import WorkingCalendar


def _aware(value: datetime) -> datetime:
    if value.tzinfo is None:
        raise ValueError("a date-time must carry its time zone (for example 2026-12-05T14:30:00+00:00)")
    return value


AwareDatetime = Annotated[datetime, AfterValidator(_aware)]
Id = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9._:-]+$")]


class Frozen(BaseModel):
    """Base of every boundary model: immutable, unknown fields are an error, not silently lost, and no text
    holds a control character (`safeguarding.text`): a value the case store cannot write is refused here,
    with a reason, before it can reach a workflow and wedge the case."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    @field_validator("*", mode="after")
    @classmethod
    def _clear_text(cls, value: Any) -> Any:
        return check_clear(value)


class FromState(Frozen):
    """What a workflow builds from the state it holds, to write, send or show: its text is not checked again.

    That state came in through checked models, so there is nothing to refuse; and if a bad value were in it
    all the same (a case started before the check, a profile's own text), refusing it here would fail the
    workflow task on every attempt and wedge the case. Instead the write goes out, and the case store's
    refusal is handled without stopping the process (`ProcessWorkflow.record`).
    """

    @field_validator("*", mode="after")
    @classmethod
    def _clear_text(cls, value: Any) -> Any:
        return value


class Actor(Frozen):
    """Who makes a decision. Resolved from the case store by the caller, never typed in by hand."""

    practitioner_id: Id
    role: Role
    team_id: Id


class ProcessContext(Frozen):
    """What every process carries: the case it concerns, the rules it runs under, the calendar it counts on."""

    case_id: Id
    case_reference: Id
    team_id: Id
    profile: ProcedureProfile
    calendar: WorkingCalendar


class DeadlineView(Frozen):
    """One deadline as the `status` query and the case store show it."""

    key: str
    rule_id: str
    title: str
    due_date: date
    due_at: datetime | None = None
    passes_at: datetime
    basis: str
    citation: str
    state: DeadlineState = DeadlineState.PENDING
    met_on: date | None = None
    reasons: str | None = None
    responsible_id: str | None = None


class TaskView(Frozen):
    """An open human task: the decision awaited, who may make it, and by when."""

    key: str
    decision: str
    title: str
    allowed_roles: tuple[Role, ...]
    assignee_id: str | None = None
    due_date: date | None = None


class DecisionRecord(FromState):
    """A decision made: who, when, what, why. `effective_at` may be earlier than `recorded_at`."""

    key: str
    decision: str
    actor_id: str
    actor_role: Role
    effective_at: datetime
    recorded_at: datetime
    outcome: str
    rationale: str | None = None


class HandOff(Frozen):
    """A hand-off to another process: started, or pending until that process exists."""

    to_process: Process
    reason: str
    state: HandOffState
    workflow_id: str | None = None


class ProcessStart(Frozen):
    """A hand-off: start another process's workflow, on this deployment's task queue, under a fixed id.

    The other process is independent of the one handing off, never its child: a child protection plan runs
    for years after the conference that made it.
    """

    workflow: str = Field(description="The workflow type, e.g. `ChildProtectionPlan`.")
    workflow_id: str
    input: dict[str, Any] = Field(description="The target workflow's input model, dumped as JSON.")
    started_by: str = Field(description="The workflow id of the process handing off.")


class ProcessIdRequest(Frozen):
    """Ask the case store which id a process of a kind takes on a case (`store.process_ids`)."""

    case_id: Id
    process: Process
    first_id: str = Field(min_length=1, max_length=200, description="The id the case's first one takes.")


class ProcessStarted(Frozen):
    """What a hand-off found: `started` is False when that process was already running and was joined."""

    workflow_id: str
    started: bool


class Dispute(Frozen):
    """A professional disagreement about one of a process's decisions or open questions (statutory-rules.md §8).

    The process it concerns keeps running and its clocks keep counting; it only waits, before it closes,
    for the disagreement to be resolved, so that an agreed change can still be applied to it.
    """

    disagreement_workflow_id: str
    about_key: str = Field(description="A decision's key (`authorise:1`) or an open task's key (`decide_contact`).")
    raised_by_id: str
    raised_by_role: Role
    raised_at: datetime
    immediate_risk: bool = False
    state: DisputeState = DisputeState.OPEN
    resolved_at: datetime | None = None
    resolved_at_stage: str | None = None
    changed_to: str | None = None


class ProcessStatus(FromState):
    """The answer of every process's `status` query."""

    process: Process
    workflow_id: str
    case_id: str
    case_reference: str
    stage: str
    profile_ref: str
    calendar_version: str
    open_tasks: tuple[TaskView, ...]
    deadlines: tuple[DeadlineView, ...]
    decisions: tuple[DecisionRecord, ...]
    hand_offs: tuple[HandOff, ...] = ()
    outcome: str | None = None
    facts: ProcessFacts
    """The facts of its kind (`safeguarding.facts`), told apart by `facts.process`."""
    disputes: tuple[Dispute, ...] = ()


class CalendarUpdate(Frozen):
    """A newer bank-holiday calendar for a running process (a one-off day has been announced)."""

    calendar: WorkingCalendar


class ChronologyEntry(FromState):
    """One line of a case's append-only chronology. `key` makes the write idempotent per workflow."""

    key: str
    event: str
    occurred_at: datetime
    summary: str
    actor_id: str | None = None


class ProcessSnapshot(FromState):
    """What a process writes to the case store in one transaction after a change.

    Every part is keyed, so replaying or retrying the activity writes each fact once. A process sends only
    what changed since its last record (`workflows._case_record`): the decisions and chronology entries
    not yet written, the deadlines and hand-offs that changed, and its open tasks only when they changed
    (None: as last recorded). A full snapshot is still a valid one: applying it writes what differs.
    """

    workflow_id: str
    process: Process
    case_id: str
    team_id: str
    stage: str
    profile_ref: str
    started_at: datetime
    closed_at: datetime | None = None
    outcome: str | None = None
    responsible_id: str | None = None
    tasks: tuple[TaskView, ...] | None = ()
    deadlines: tuple[DeadlineView, ...] = ()
    decisions: tuple[DecisionRecord, ...] = ()
    chronology: tuple[ChronologyEntry, ...] = ()
    hand_offs: tuple[HandOff, ...] = ()


class Recipient(Frozen):
    """Who a notice goes to, by id and kind; the activity finds the address in the case store."""

    kind: str = Field(
        pattern=r"^(practitioner|team_manager|service_manager|referrer|health_team|agency|person"
        r"|duty_manager|partnership)$"  # -- the duty manager and the partnership (§8) --
    )
    id: Id


class Notice(FromState):
    """A message to send once: reminder, overdue alert, escalation, or a letter to a referrer."""

    key: str
    template: str
    recipient: Recipient
    case_id: str
    workflow_id: str
    fields: dict[str, str] = Field(default_factory=dict)


class Alarm(Frozen):
    """A notice a deadline raises at a moment: a reminder before, an alert or escalation after."""

    deadline_key: str
    kind: AlarmKind
    at: datetime
    offset: int = 0

    @property
    def key(self) -> str:
        return f"{self.deadline_key}:{self.kind}:{self.offset}"


class CaseFactsRequest(Frozen):
    """Ask the case store for the coded facts a process needs about a case, as on a given day."""

    case_id: Id
    on: date


class CaseFacts(Frozen):
    """Coded facts about a case: enough to steer a process, nothing that identifies the child."""

    case_id: str
    case_reference: str
    team_id: str
    child_id: str
    age_band: AgeBand
    allocated_practitioner_id: str | None = None


class Recorded(Frozen):
    """What `record_process` wrote: how many chronology entries were new (0 on a retry)."""

    workflow_id: str
    chronology_written: int


class HealthRecordFlag(Frozen):
    """Ask the health record to flag the child as vulnerable (joint visit, statutory-rules.md §3)."""

    workflow_id: str
    case_id: Id
    flag: str = "vulnerable_child"


class Flagged(Frozen):
    """When the flag was (first) set."""

    flagged_at: datetime


class NoticeResult(Frozen):
    """What `send_notice` did: `sent`, `already_sent` (a retry or replay), or `failed` permanently."""

    state: str
    channel: str
    outbox_id: int


class DigestRequest(Frozen):
    """Send each team manager the digest of overdue and due-this-week work for `day`."""

    day: date


class DigestResult(Frozen):
    """How many teams had a digest and how many were sent now (not already sent that day)."""

    teams: int
    sent: int
