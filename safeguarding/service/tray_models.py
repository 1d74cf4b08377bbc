"""The work tray's request and response models: what the API serves as its schemas, and the console shows.

Ids, codes and references only: the tray names no child (the console shows names through the case read,
for those entitled to it).
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, model_validator

from safeguarding.codes import DeadlineState, Process, Role


class DueWindow(StrEnum):
    """A window of due dates the tray can be narrowed to (each but `overdue` leaves overdue tasks out)."""

    OVERDUE = "overdue"
    TODAY = "today"
    THIS_WEEK = "this_week"
    """From today to Sunday."""
    NEXT_WORKING_DAYS = "next_working_days"
    """From today to the `working_days`-th working day after it (statutory-rules.md §1's count)."""


class Rag(StrEnum):
    """A task's state against its deadline: red passed, amber due soon, green neither."""

    RED = "red"
    AMBER = "amber"
    GREEN = "green"


class TrayQuery(BaseModel):
    """Which open tasks, and which page of them: every field is optional.

    A due window and a date range are alternatives: `window` (with `working_days` for the next N working
    days), or `due_from`/`due_to` (both days included; overdue tasks in the range are kept).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    process: Process | None = None
    stage: str | None = Field(default=None, pattern=r"^[a-z][a-z0-9_]*$", max_length=64)
    window: DueWindow | None = None
    working_days: int | None = Field(default=None, ge=1, le=60)
    due_from: date | None = None
    due_to: date | None = None
    limit: int = Field(default=50, ge=1, le=200)
    cursor: str | None = Field(default=None, max_length=200, description="`next_cursor` of the page before.")

    @model_validator(mode="after")
    def _one_way_to_choose_dates(self) -> TrayQuery:
        if (self.working_days is None) != (self.window is not DueWindow.NEXT_WORKING_DAYS):
            raise ValueError("working_days goes with window next_working_days, and only with it")
        if self.window is not None and (self.due_from is not None or self.due_to is not None):
            raise ValueError("choose a window or due_from/due_to, not both")
        if self.due_from is not None and self.due_to is not None and self.due_to < self.due_from:
            raise ValueError(f"due_to {self.due_to} is before due_from {self.due_from}")
        return self


class TaskDeadline(BaseModel):
    """The deadline a task is due against, with the basis of its count in plain English."""

    key: str
    rule_id: str
    title: str
    basis: str
    citation: str
    state: DeadlineState
    due_at: datetime | None = Field(description="Set for an hours clock: the moment it is due.")
    passes_at: datetime = Field(description="When it is missed: the end of its due date, or its due moment.")


class TrayItem(BaseModel):
    """One open task in the tray."""

    task_id: int
    task_key: str
    decision: str = Field(description="The decision the task awaits (the Update that completes it).")
    title: str
    process: Process
    stage: str
    workflow_id: str
    case_id: str
    case_reference: str
    team_id: str
    assignee_id: str | None = Field(description="None: any practitioner in `allowed_roles` may take it.")
    allowed_roles: list[Role]
    opened_at: datetime
    due_date: date | None
    rag: Rag
    deadline: TaskDeadline | None = Field(description="None when the task's process has no deadline that day.")


class TrayPage(BaseModel):
    """A page of the tray, soonest due first (undated last), and where the next page starts."""

    items: list[TrayItem]
    next_cursor: str | None = Field(description="Pass as `cursor` for the next page; None on the last page.")
    as_at: datetime = Field(description="The moment red, amber and the windows were judged at.")
    amber_within_working_days: int = Field(description="The procedure profile's amber threshold.")
    calendar_version: str = Field(description="The working-day calendar amber and the windows were counted on.")


class TrayCounts(BaseModel):
    """How many open tasks are in each window, for the navigation; due today is within this week."""

    overdue: int
    due_today: int
    due_this_week: int
    open: int
    as_at: datetime
    week_ends: date = Field(description="The Sunday `due_this_week` runs to.")
